"""Reads behind the members' portal. Every query goes through a scoped manager,
so the caller's scope decides which union's rows can be seen."""

from gonghui.members.models import Member, StatusChange
from gonghui.orgs.models import Department, Union


def own_member(*, user) -> Member | None:
    """The member record linked to this account, or None (e.g. a staff account)."""
    if not user.is_authenticated:
        return None
    return Member.objects.select_related("union", "group", "department").filter(user=user).first()


def status_history(*, member: Member):
    """The member's own status changes, most recent first."""
    return StatusChange.objects.filter(member=member).order_by("-on", "-id")


def departments_of(*, union: Union):
    """The departments an applicant of this union can choose from (names only)."""
    return Department.objects.filter(union=union).only("id", "name", "union_id").order_by("name")
