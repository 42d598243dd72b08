"""Reads behind the API: what the caller may list, filtered and paged."""

import re
from datetime import date

from django.db.models import Count, Q

from gonghui import encryption, idcard
from gonghui.api import cursor as cursors
from gonghui.members.models import Member, Status
from gonghui.orgs.models import Department, Group, Union

_ID_NUMBER = re.compile(r"^\d{17}[\dX]$")


def readable_unions(access):
    return (
        Union.objects.filter(pk__in=access.read)
        .select_related("parent")
        .annotate(
            members_count=Count("member", filter=Q(member__status=Status.ACTIVE), distinct=True)
        )
        .order_by("path")
    )


def departments_of(union):
    return Department.objects.filter(union=union).order_by("name", "id")


def groups_of(union):
    return (
        Group.objects.filter(union=union)
        .annotate(members_count=Count("members", filter=Q(members__status=Status.ACTIVE)))
        .order_by("name", "id")
    )


def member_page(
    *,
    union_ids,
    union=None,
    group=None,
    department=None,
    status=None,
    gender=None,
    joined_year=None,
    q=None,
    cursor=None,
    limit=50,
) -> tuple[list[Member], str | None]:
    """One page of members of `union_ids` in id order, and the cursor of the next page."""
    members = Member.objects.filter(union_id__in=union_ids).select_related(
        "union", "department", "group"
    )
    if union is not None:
        members = members.filter(union_id=union)
    if group is not None:
        members = members.filter(group_id=group)
    if department is not None:
        members = members.filter(department_id=department)
    if status:
        members = members.filter(status=status)
    if gender:
        members = members.filter(gender=gender)
    if joined_year:
        members = members.filter(
            joined_on__gte=date(joined_year, 1, 1), joined_on__lt=date(joined_year + 1, 1, 1)
        )
    if q and q.strip():
        members = members.filter(_matching(q.strip()))
    if cursor:
        members = members.filter(pk__gt=cursors.decode(cursor))
    rows = list(members.order_by("pk")[: limit + 1])
    next_cursor = cursors.encode(rows[limit - 1].pk) if len(rows) > limit else None
    return rows[:limit], next_cursor


def _matching(q: str) -> Q:
    """Name, pinyin initials or full pinyin; a whole ID number matches exactly by digest."""
    number = idcard.normalise(q)
    if _ID_NUMBER.match(number):
        return Q(id_number_digest=encryption.digest(number))
    lowered = q.lower()
    return (
        Q(name__contains=q)
        | Q(name_initials__startswith=lowered)
        | Q(search_text__contains=lowered)
    )
