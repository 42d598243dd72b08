"""Reads of activities and their registered metrics.

An activity belongs to the period in which it starts. Its audience is counted
on the day it starts (members on the roll then, narrowed by the audience),
so a participation rate does not move when someone joins or leaves later.
"""

from datetime import datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    Case,
    CharField,
    Count,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from gonghui.activities.models import (
    Activity,
    ActivityType,
    Attendance,
    Audience,
    AwardLevel,
    CheckInToken,
    Result,
    SignUp,
    SignUpState,
)
from gonghui.members import rolls as rolls_
from gonghui.members.models import Gender, Member, Status
from gonghui.members.rolls import rolls_of
from gonghui.reports.registry import metric, ratio


def _labelled(field: str, choices) -> Case:
    """The Chinese label of a choice field, as SQL, so breakdowns read well."""
    return Case(
        *[When(**{field: value}, then=Value(label)) for value, label in choices.choices],
        default=Value("其他"),
        output_field=CharField(),
    )


def _starting_in(period, prefix: str = "") -> Q:
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.combine(period.start, time.min), tz)
    end = timezone.make_aware(datetime.combine(period.end + timedelta(days=1), time.min), tz)
    return Q(**{f"{prefix}starts_at__gte": start, f"{prefix}starts_at__lt": end})


def activities_in(unions, period) -> QuerySet:
    return Activity.objects.filter(_starting_in(period), union__in=unions)


# Audience ----------------------------------------------------------------------


def _day(activity: Activity):
    return timezone.localtime(activity.starts_at).date()


def audience_members(activity: Activity) -> QuerySet:
    """The members an activity was for, counted on the day it starts."""
    day = _day(activity)
    members = Member.objects.filter(union_id=activity.union_id, joined_on__lte=day)
    if activity.audience == Audience.RETIREES:
        return members.filter(status=Status.RETIRED, left_on__lte=day)
    members = members.filter(Q(left_on__isnull=True) | Q(left_on__gt=day))
    if activity.audience == Audience.WOMEN:
        return members.filter(gender=Gender.FEMALE)
    if activity.audience == Audience.GROUPS:
        return members.filter(group__in=activity.audience_groups.all())
    return members


def _audience_size_sql():
    """Each activity's audience size as a correlated subquery (one query for many)."""
    groups = Activity.audience_groups.through.objects.filter(
        activity_id=OuterRef(OuterRef("pk"))
    ).values("group_id")
    base = Member.objects.filter(union_id=OuterRef("union_id"), joined_on__lte=OuterRef("day"))
    on_roll = base.filter(Q(left_on__isnull=True) | Q(left_on__gt=OuterRef("day")))

    def size(qs):
        counted = qs.order_by().values("union_id").annotate(n=Count("pk")).values("n")
        return Coalesce(Subquery(counted, output_field=IntegerField()), 0)

    return Case(
        When(audience=Audience.ALL, then=size(on_roll)),
        When(audience=Audience.WOMEN, then=size(on_roll.filter(gender=Gender.FEMALE))),
        When(audience=Audience.GROUPS, then=size(on_roll.filter(group_id__in=groups))),
        When(
            audience=Audience.RETIREES,
            then=size(base.filter(status=Status.RETIRED, left_on__lte=OuterRef("day"))),
        ),
        default=Value(0),
        output_field=IntegerField(),
    )


def with_participation(activities: QuerySet) -> QuerySet:
    """Annotate activities with `audience_size` and `attendees`."""
    attendees = (
        Attendance.objects.filter(activity_id=OuterRef("pk"))
        .order_by()
        .values("activity_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return activities.annotate(
        day=TruncDate("starts_at", tzinfo=timezone.get_current_timezone())
    ).annotate(
        audience_size=_audience_size_sql(),
        attendees=Coalesce(Subquery(attendees, output_field=IntegerField()), 0),
    )


def percent(top: int, bottom: int) -> Decimal:
    """top ÷ bottom as a percentage with one decimal, like the registry's ratios."""
    if not bottom:
        return Decimal("0.0")
    return (Decimal(top) * 100 / Decimal(bottom)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def participation(activity: Activity) -> dict:
    """Attendees, audience size and rate for one activity."""
    attendees = activity.attendances.count()
    audience = audience_members(activity).count()
    return {"attendees": attendees, "audience": audience, "rate": percent(attendees, audience)}


def participation_by_group(activity: Activity) -> list[dict]:
    """Per 工会小组: members in the audience, how many attended, the rate."""
    audience = dict(
        audience_members(activity)
        .order_by()
        .values_list("group__name")
        .annotate(n=Count("pk"))
        .values_list("group__name", "n")
    )
    attended = dict(
        activity.attendances.order_by()
        .values_list("member__group__name")
        .annotate(n=Count("pk"))
        .values_list("member__group__name", "n")
    )
    rows = []
    for name in sorted(set(audience) | set(attended), key=lambda n: (n is None, n or "")):
        size, came = audience.get(name, 0), attended.get(name, 0)
        rows.append(
            {
                "group": name or "未分组",
                "audience": size,
                "attendees": came,
                "rate": percent(came, size),
            }
        )
    return rows


# Lists for the pages ---------------------------------------------------------------


def open_for_sign_up(*, member: Member, now=None) -> QuerySet:
    """Activities of the member's union whose sign-up window is open now."""
    now = now or timezone.now()
    return (
        Activity.objects.filter(union_id=member.union_id, signup_opens_at__lte=now)
        .filter(Q(signup_closes_at__gte=now) | Q(signup_closes_at__isnull=True, starts_at__gt=now))
        .order_by("starts_at", "id")
    )


def sign_ups_of(*, member: Member) -> QuerySet:
    """The member's admitted and waiting sign-ups for activities not yet over."""
    return (
        SignUp.objects.filter(member=member, activity__ends_at__gte=timezone.now())
        .active()
        .select_related("activity")
        .order_by("activity__starts_at", "id")
    )


def activity_for_token(*, token: str, member: Member) -> Activity | None:
    """The activity a check-in token belongs to, if it is of the member's union."""
    found = CheckInToken.objects.select_related("activity").filter(token=token).first()
    return found.activity if found and found.union_id == member.union_id else None


def waiting_place(signup: SignUp) -> int:
    """1 for the first member waiting, and so on."""
    return (
        SignUp.objects.filter(
            activity_id=signup.activity_id,
            state=SignUpState.WAITING,
            position__lte=signup.position,
        ).count()
        if signup.state == SignUpState.WAITING
        else 0
    )


# Metrics -----------------------------------------------------------------------------


@metric(
    "activities.held",
    label="开展活动",
    unit="次",
    breakdown="type_label",
    description="本期开始的活动，按活动类型分",
)
def activities_held(unions, period):
    return activities_in(unions, period).annotate(type_label=_labelled("type", ActivityType))


@metric(
    "activities.participants",
    label="参加活动人次",
    unit="人次",
    breakdown="activity__title",
    description="本期活动的签到人次（工作人员点名与扫码签到）",
)
def activity_participants(unions, period):
    return Attendance.objects.filter(_starting_in(period, "activity__"), union__in=unions)


def _audience_totals(ids, period) -> dict[int, int]:
    """Each union's audiences of the period's activities added up, each
    counted on the activity's day from the unions' rolls (read once for all
    periods of a refresh): as audience_members counts, without a query per
    activity."""
    activities = list(
        activities_in(ids, period).only("id", "union_id", "audience", "starts_at").order_by()
    )
    if not activities:
        return {}
    rolls = rolls_of(ids)
    grouped = [a.pk for a in activities if a.audience == Audience.GROUPS]
    groups: dict[int, list[int]] = {}
    through = Activity.audience_groups.through.objects.filter(activity_id__in=grouped)
    for activity_id, group_id in through.values_list("activity_id", "group_id"):
        groups.setdefault(activity_id, []).append(group_id)
    totals: dict[int, int] = {}
    for a in activities:
        day = _day(a)
        if a.audience == Audience.RETIREES:
            size = rolls.get((a.union_id, rolls_.RETIRED), rolls_.EMPTY).gone_by(day)
        elif a.audience == Audience.GROUPS:
            size = sum(
                rolls.get((a.union_id, g), rolls_.EMPTY).on(day) for g in groups.get(a.pk, ())
            )
        elif a.audience == Audience.WOMEN:
            size = rolls.get((a.union_id, rolls_.WOMEN), rolls_.EMPTY).on(day)
        elif a.audience == Audience.ALL:
            size = rolls.get((a.union_id, rolls_.ALL), rolls_.EMPTY).on(day)
        else:
            size = 0
        totals[a.union_id] = totals.get(a.union_id, 0) + size
    return totals


ratio(
    "activities.participation_rate",
    label="活动参与率",
    numerator="activities.participants",
    denominators=_audience_totals,
    description="本期各活动签到人次 ÷ 各活动参加对象人数之和",
)


@metric(
    "activities.results",
    label="活动获奖",
    unit="项",
    breakdown="award_label",
    description="本期比赛的获奖记录，按奖项等级分",
)
def activity_results(unions, period):
    return Result.objects.filter(_starting_in(period, "activity__"), union__in=unions).annotate(
        award_label=_labelled("award_level", AwardLevel)
    )


@metric("activities.prize_cost", label="活动奖品费用", unit="元", sum_field="cost")
def activity_prize_cost(unions, period):
    return Result.objects.filter(_starting_in(period, "activity__"), union__in=unions)
