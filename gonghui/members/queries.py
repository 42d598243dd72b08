"""Reads of the roster and the membership metrics."""

from django.db.models import Q
from django_scopes import scopes_disabled

from gonghui.members.models import Gender, Member, Status, StatusChange, Transfer
from gonghui.members.rolls import ALL, WOMEN, on_roll_per_union
from gonghui.orgs.models import Union
from gonghui.reports.registry import metric, ratio


def on_roll_at(unions, day):
    """Members on the roll at the end of `day`."""
    return Member.objects.filter(union__in=unions, joined_on__lte=day).filter(
        Q(left_on__isnull=True) | Q(left_on__gt=day)
    )


@metric("members.at_end", label="期末会员数", unit="人", per_union=on_roll_per_union(ALL))
def members_at_end(unions, period):
    return on_roll_at(unions, period.end)


@metric(
    "members.joined",
    label="新入会会员",
    unit="人",
    description="本期进入本工会名册的会员，含由系统内其他工会转入的会员（见“转入会员”）",
)
def members_joined(unions, period):
    return Member.objects.filter(union__in=unions, joined_on__range=period.bounds)


# A transfer between two unions of the system closes the member's row in the
# old union and opens one in the new union on the same day: the old union
# counts the member in members.left (and members.transferred_out), the new
# one in members.joined (and members.transferred_in). Each union's figures stay
# additive, so a subtree's sum counts the move once on each side and its
# end-of-period membership is unchanged; members.joined_new leaves transfers
# out for the members an upper union actually gained.


@metric(
    "members.transferred_in",
    label="转入会员",
    unit="人",
    description="本期由系统内其他工会转入（会员关系转移接续）的会员",
)
def members_transferred_in(unions, period):
    return Member.objects.filter(
        union__in=unions, joined_on__range=period.bounds, transferred_in=True
    )


@metric(
    "members.transferred_out",
    label="转出会员",
    unit="人",
    description="本期转移到系统内其他工会的会员（原工会保留其历史记录）",
)
def members_transferred_out(unions, period):
    return Member.objects.filter(
        union__in=unions, left_on__range=period.bounds, transferred_out=True
    )


@metric(
    "members.joined_new",
    label="新发展会员",
    unit="人",
    description="本期新入会的会员，不含由系统内其他工会转入的会员",
)
def members_joined_new(unions, period):
    return Member.objects.filter(
        union__in=unions, joined_on__range=period.bounds, transferred_in=False
    )


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


@metric("members.women", label="女会员数", unit="人", per_union=on_roll_per_union(WOMEN))
def women_members(unions, period):
    return on_roll_at(unions, period.end).filter(gender=Gender.FEMALE)


ratio(
    "members.women_share",
    label="女会员占比",
    numerator="members.women",
    denominator="members.at_end",
)


def _headcounts(ids, period) -> dict[int, int]:
    """Each union's workforce (职工总数) as registered."""
    with scopes_disabled():
        return {
            pk: n or 0 for pk, n in Union.objects.filter(pk__in=ids).values_list("pk", "headcount")
        }


ratio(
    "members.membership_rate",
    label="入会率",
    numerator="members.at_end",
    denominators=_headcounts,
    description="期末会员数 ÷ 职工总数",
)


@metric(
    "members.per_group",
    label="各小组会员数",
    unit="人",
    breakdown="group__name",
    per_union=on_roll_per_union(ALL),
)
def members_per_group(unions, period):
    return on_roll_at(unions, period.end)


def status_changes_in(unions, period):
    return StatusChange.objects.filter(union__in=unions, on__range=period.bounds)


def transfers_for(unions):
    """Transfers from or to any of `unions` (an upper union passes its subtree)."""
    unions = list(unions)
    return (
        Transfer.objects.filter(Q(union__in=unions) | Q(to_union__in=unions))
        .select_related("union", "to_union", "member", "new_member")
        .order_by("-started_at", "-id")
    )


def own_transfers(*, user):
    """The transfers of the person behind a portal account: those of the row
    the account is linked to now, and of the row it came from."""
    if not user.is_authenticated:
        return Transfer.objects.none()
    return (
        Transfer.objects.filter(Q(member__user=user) | Q(new_member__user=user))
        .select_related("union", "to_union")
        .order_by("-started_at", "-id")
    )
