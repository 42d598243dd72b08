"""Reads of the roster and the membership metrics."""

from django.db.models import Q, Sum
from django_scopes import scopes_disabled

from gonghui.members.models import Gender, Member, Status, StatusChange
from gonghui.orgs.models import Union
from gonghui.reports.registry import metric, ratio


def on_roll_at(unions, day):
    """Members on the roll at the end of `day`."""
    return Member.objects.filter(union__in=unions, joined_on__lte=day).filter(
        Q(left_on__isnull=True) | Q(left_on__gt=day)
    )


@metric("members.at_end", label="期末会员数", unit="人")
def members_at_end(unions, period):
    return on_roll_at(unions, period.end)


@metric("members.joined", label="新入会会员", unit="人")
def members_joined(unions, period):
    return Member.objects.filter(union__in=unions, joined_on__range=period.bounds)


def _left(unions, period, statuses):
    return Member.objects.filter(
        union__in=unions, left_on__range=period.bounds, status__in=statuses
    )


@metric("members.left", label="减少会员", unit="人", breakdown="status")
def members_left(unions, period):
    return _left(
        unions, period, [Status.TRANSFERRED, Status.RETIRED, Status.WITHDRAWN, Status.DECEASED]
    )


@metric("members.left_transferred", label="调出会员", unit="人")
def members_transferred(unions, period):
    return _left(unions, period, [Status.TRANSFERRED])


@metric("members.left_retired", label="退休会员", unit="人")
def members_retired(unions, period):
    return _left(unions, period, [Status.RETIRED])


@metric("members.left_withdrawn", label="退会会员", unit="人")
def members_withdrawn(unions, period):
    return _left(unions, period, [Status.WITHDRAWN])


@metric("members.left_deceased", label="去世会员", unit="人")
def members_deceased(unions, period):
    return _left(unions, period, [Status.DECEASED])


@metric("members.women", label="女会员数", unit="人")
def women_members(unions, period):
    return on_roll_at(unions, period.end).filter(gender=Gender.FEMALE)


ratio(
    "members.women_share",
    label="女会员占比",
    numerator="members.women",
    denominator="members.at_end",
)


def _headcount(unions, period):
    with scopes_disabled():
        return Union.objects.filter(pk__in=unions).aggregate(n=Sum("headcount"))["n"] or 0


ratio(
    "members.membership_rate",
    label="入会率",
    numerator="members.at_end",
    denominator_fn=_headcount,
    description="期末会员数 ÷ 职工总数",
)


@metric("members.per_group", label="各小组会员数", unit="人", breakdown="group__name")
def members_per_group(unions, period):
    return on_roll_at(unions, period.end)


def status_changes_in(unions, period):
    return StatusChange.objects.filter(union__in=unions, on__range=period.bounds)
