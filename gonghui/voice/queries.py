"""Reads and registered metrics of 职工意见.

An opinion belongs to the period it was submitted in; "valid", "implemented"
and "rewarded" count the period's opinions that have reached that state by
now, so the seed's "共收集职工意见465条，有效意见317条，全部落实到位" is
collected → valid → implemented of the same opinions.
"""

from datetime import date

from django.db.models import Case, CharField, F, Q, QuerySet, Sum, Value, When
from django.utils import timezone

from gonghui.members.models import Member
from gonghui.reports.registry import metric, ratio
from gonghui.voice.models import ZERO, Category, Kind, Opinion, State

VALID_STATES = (State.HANDLING, State.IMPLEMENTED)


def my_opinions(member: Member) -> QuerySet:
    return Opinion.objects.filter(member=member).select_related("handler_department")


def overdue(unions, *, today: date) -> QuerySet:
    """Valid opinions not yet implemented whose deadline has passed."""
    return Opinion.objects.filter(
        union__in=unions, state=State.HANDLING, deadline__lt=today
    ).select_related("member", "handler_department", "handler")


def reward_total(unions, *, year: int):
    value = Opinion.objects.filter(union__in=unions, rewarded_on__year=year).aggregate(
        total=Sum("reward_amount")
    )["total"]
    return (value if value is not None else ZERO).quantize(ZERO)


# Metrics -------------------------------------------------------------------------------


def _labelled(field: str, choices) -> Case:
    return Case(
        *[When(**{field: value}, then=Value(label)) for value, label in choices.choices],
        default=Value("其他"),
        output_field=CharField(),
    )


def collected_in(unions, period) -> QuerySet:
    return Opinion.objects.filter(union__in=unions, submitted_on__range=period.bounds)


@metric(
    "voice.collected",
    label="收集职工意见和建议",
    unit="条",
    breakdown="category_label",
    description="本期收到的职工意见、合理化建议和金点子，按类别分",
)
def collected(unions, period):
    return collected_in(unions, period).annotate(category_label=_labelled("category", Category))


@metric(
    "voice.collected_by_kind",
    label="收集意见（按类型）",
    unit="条",
    breakdown="kind_label",
    description="本期收到的意见，按职工意见、合理化建议、金点子分",
)
def collected_by_kind(unions, period):
    return collected_in(unions, period).annotate(kind_label=_labelled("kind", Kind))


@metric(
    "voice.suggestions",
    label="合理化建议和金点子",
    unit="条",
    description="本期收到的合理化建议和金点子",
)
def suggestions(unions, period):
    return collected_in(unions, period).filter(kind__in=[Kind.SUGGESTION, Kind.IDEA])


@metric("voice.valid", label="有效意见", unit="条", description="本期收到、认定为有效的意见")
def valid(unions, period):
    return collected_in(unions, period).filter(state__in=VALID_STATES)


@metric(
    "voice.invalid", label="不予采纳意见", unit="条", description="本期收到、认定为不予采纳的意见"
)
def invalid(unions, period):
    return collected_in(unions, period).filter(state=State.INVALID)


@metric("voice.pending", label="待认定意见", unit="条", description="本期收到、尚未认定的意见")
def pending(unions, period):
    return collected_in(unions, period).filter(state=State.SUBMITTED)


@metric(
    "voice.implemented", label="已落实意见", unit="条", description="本期收到的有效意见中已落实的"
)
def implemented(unions, period):
    return collected_in(unions, period).filter(state=State.IMPLEMENTED)


@metric(
    "voice.implemented_on_time",
    label="按期落实意见",
    unit="条",
    description="本期收到的有效意见中在办理期限内落实的（未定期限的视为按期）",
)
def implemented_on_time(unions, period):
    return implemented(unions, period).filter(
        Q(deadline__isnull=True) | Q(implemented_on__lte=F("deadline"))
    )


@metric(
    "voice.overdue",
    label="逾期未落实意见",
    unit="条",
    description="期末（或今天）已过办理期限仍未落实的有效意见",
)
def overdue_metric(unions, period):
    day = min(period.end, timezone.localdate())
    return Opinion.objects.filter(union__in=unions, state=State.HANDLING, deadline__lt=day)


@metric("voice.rewarded", label="获奖励意见", unit="条", description="本期收到、已给予奖励的意见")
def rewarded(unions, period):
    return collected_in(unions, period).filter(rewarded_on__isnull=False)


@metric(
    "voice.reward_amount",
    label="意见建议奖励金额",
    unit="元",
    sum_field="reward_amount",
    description="本期发放的合理化建议奖励",
)
def reward_amount(unions, period):
    return Opinion.objects.filter(union__in=unions, rewarded_on__range=period.bounds)


ratio(
    "voice.valid_rate",
    label="意见有效率",
    numerator="voice.valid",
    denominator="voice.collected",
    description="有效意见 ÷ 收集意见",
)
ratio(
    "voice.implementation_rate",
    label="有效意见落实率",
    numerator="voice.implemented",
    denominator="voice.valid",
    description="已落实 ÷ 有效意见",
)


def is_handler(member: Member) -> bool:
    """The member's account holds Role.HANDLER (职能部门承办人) in their union."""
    from gonghui.orgs.models import RoleAssignment
    from gonghui.orgs.roles import Role

    if member.user_id is None:
        return False
    return RoleAssignment.objects.filter(
        user_id=member.user_id, union_id=member.union_id, role=Role.HANDLER
    ).exists()


def assigned_to(member: Member) -> QuerySet:
    """Opinions being handled by this member, or by their department when they
    are its 职能部门承办人; nearest deadline first."""
    mine = Q(handler=member)
    if member.department_id is not None and is_handler(member):
        mine |= Q(handler_department_id=member.department_id)
    return (
        Opinion.objects.filter(mine, union_id=member.union_id, state=State.HANDLING)
        .select_related("member", "handler_department")
        .order_by("deadline", "pk")
    )
