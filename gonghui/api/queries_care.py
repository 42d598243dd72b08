"""Reads behind the care endpoints: records of the unions the caller may see,
filtered and paged by id."""

from django.db.models import Count

from gonghui.api.queries_finance import page
from gonghui.care.models import (
    Assistance,
    DonationCampaign,
    FestivalDistribution,
    HardshipCase,
    MutualAidEnrolment,
    SchoolAid,
    Visit,
)


def _in(rows, union_ids, union):
    rows = rows.filter(union_id__in=union_ids)
    return rows.filter(union_id=union) if union is not None else rows


def visits(*, union_ids, union=None, kind=None, member=None, on_from=None, on_until=None, **paging):
    rows = _in(Visit.objects.prefetch_related("members", "visitors"), union_ids, union)
    if kind:
        rows = rows.filter(kind=kind)
    if member is not None:
        rows = rows.filter(members=member)
    if on_from is not None:
        rows = rows.filter(on__gte=on_from)
    if on_until is not None:
        rows = rows.filter(on__lte=on_until)
    return page(rows, **paging)


def cases(*, union_ids, union=None, member=None, level=None, open=None, **paging):
    rows = _in(HardshipCase.objects.select_related("member"), union_ids, union)
    if member is not None:
        rows = rows.filter(member_id=member)
    if level:
        rows = rows.filter(level=level)
    if open is not None:
        rows = rows.filter(closed_on__isnull=open)
    return page(rows, **paging)


def assistance(
    *,
    union_ids,
    union=None,
    member=None,
    kind=None,
    source=None,
    approved=None,
    year=None,
    **paging,
):
    rows = _in(Assistance.objects.select_related("member"), union_ids, union)
    if member is not None:
        rows = rows.filter(member_id=member)
    if kind:
        rows = rows.filter(kind=kind)
    if source:
        rows = rows.filter(source=source)
    if approved is not None:
        rows = rows.filter(approved_at__isnull=not approved)
    if year is not None:
        rows = rows.filter(on__year=year)
    return page(rows, **paging)


def campaigns(*, union_ids, union=None, open_on=None, **paging):
    rows = _in(DonationCampaign.objects.select_related("beneficiary"), union_ids, union)
    if open_on is not None:
        rows = rows.filter(opens_on__lte=open_on, closes_on__gte=open_on)
    return page(rows, **paging)


def school_aid(*, union_ids, union=None, member=None, state=None, year=None, **paging):
    rows = _in(SchoolAid.objects.select_related("member"), union_ids, union)
    if member is not None:
        rows = rows.filter(member_id=member)
    if state:
        rows = rows.filter(state=state)
    if year is not None:
        rows = rows.filter(applied_on__year=year)
    return page(rows, **paging)


def distributions(*, union_ids, union=None, occasion=None, year=None, **paging):
    rows = _in(
        FestivalDistribution.objects.annotate(recipient_count=Count("recipients")),
        union_ids,
        union,
    )
    if occasion:
        rows = rows.filter(occasion=occasion)
    if year is not None:
        rows = rows.filter(on__year=year)
    return page(rows, **paging)


def enrolments(*, union_ids, union=None, member=None, year=None, **paging):
    rows = _in(MutualAidEnrolment.objects.select_related("member"), union_ids, union)
    if member is not None:
        rows = rows.filter(member_id=member)
    if year is not None:
        rows = rows.filter(year=year)
    return page(rows, **paging)
