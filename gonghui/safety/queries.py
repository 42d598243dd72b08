"""Reads and registered metrics of 安全生产.

Dated records belong to the period their date falls in: a card is reported
on `reported_on`, rectified on `rectified_on` (cleared again when a
supervisor sends it back), verified on `verified_on`. A card is overdue in a
period when its deadline fell in the period before the period's last day and
it was not rectified by the deadline. An inspection is planned by
`planned_on`, and done when it is also completed by the period's end. A
contest's and a drill's figures count in the period of the day it was held.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Case, CharField, F, Q, QuerySet, Value, When

from gonghui.members.models import Member
from gonghui.orgs.models import Union
from gonghui.reports.registry import Metric, field_values_by_union, metric, ratio, register
from gonghui.safety.models import (
    OPEN_STATES,
    Category,
    Contest,
    ContestResult,
    Draw,
    Drill,
    DrillKind,
    Hazard,
    Inspection,
    Violation,
)


def _labelled(field: str, choices) -> Case:
    return Case(
        *[When(**{field: value}, then=Value(label)) for value, label in choices.choices],
        default=Value("其他"),
        output_field=CharField(),
    )


# Hazard cards -------------------------------------------------------------------------------


def hazards_in(unions) -> QuerySet:
    return Hazard.objects.filter(union__in=unions).select_related("department", "reporter")


@metric(
    "safety.hazards_reported",
    label="上报隐患",
    unit="项",
    breakdown="category_label",
    description="本期上报的隐患卡（含安全检查发现的），按类别分",
)
def hazards_reported(unions, period):
    return (
        hazards_in(unions)
        .filter(reported_on__range=period.bounds)
        .annotate(category_label=_labelled("category", Category))
    )


@metric(
    "safety.hazards_reported_by_department",
    label="上报隐患（按责任部门）",
    unit="项",
    breakdown="department__name",
    description="本期上报的隐患卡，按交办的责任部门分；未交办的归“未分组”",
)
def hazards_reported_by_department(unions, period):
    return hazards_in(unions).filter(reported_on__range=period.bounds)


@metric(
    "safety.hazards_rectified",
    label="完成整改隐患",
    unit="项",
    breakdown="category_label",
    description="本期内登记整改完成的隐患卡（被退回重改的不计），按类别分",
)
def hazards_rectified(unions, period):
    return (
        hazards_in(unions)
        .filter(rectified_on__range=period.bounds)
        .annotate(category_label=_labelled("category", Category))
    )


@metric(
    "safety.hazards_rectified_by_department",
    label="完成整改隐患（按责任部门）",
    unit="项",
    breakdown="department__name",
)
def hazards_rectified_by_department(unions, period):
    return hazards_in(unions).filter(rectified_on__range=period.bounds)


@metric(
    "safety.hazards_verified",
    label="验收通过隐患",
    unit="项",
    description="本期内经群众安全监督员验收通过的隐患卡",
)
def hazards_verified(unions, period):
    return hazards_in(unions).filter(verified_on__range=period.bounds)


@metric(
    "safety.hazards_overdue",
    label="逾期未整改隐患",
    unit="项",
    breakdown="department__name",
    description="整改期限在本期内（期末当天之前）、到期时仍未整改完成的隐患卡，按责任部门分",
)
def hazards_overdue(unions, period):
    return hazards_in(unions).filter(
        Q(rectified_on__isnull=True) | Q(rectified_on__gt=F("deadline")),
        deadline__gte=period.start,
        deadline__lt=period.end,
    )


@metric(
    "safety.hazards_reported_and_rectified",
    label="本期上报且已整改隐患",
    unit="项",
    description="本期上报、期末前已整改完成的隐患卡",
)
def hazards_reported_and_rectified(unions, period):
    return hazards_in(unions).filter(reported_on__range=period.bounds, rectified_on__lte=period.end)


ratio(
    "safety.rectification_rate",
    label="隐患整改率",
    numerator="safety.hazards_reported_and_rectified",
    denominator="safety.hazards_reported",
    description="本期上报的隐患中，期末前已整改完成的 ÷ 本期上报的隐患",
)


@dataclass(frozen=True)
class MedianMetric(Metric):
    """The median of a whole-number column over the records (one decimal)."""

    median_field: str = ""

    def value(self, unions, period):
        if isinstance(unions, int | Union):
            unions = [unions]
        rows = self.records(unions, period).exclude(**{self.median_field: None})
        count = rows.count()
        if not count:
            return Decimal("0.0")
        ordered = rows.order_by(self.median_field).values_list(self.median_field, flat=True)
        return _middle(list(ordered[(count - 1) // 2 : count // 2 + 1]))

    def values_by_union(self, ids, period):
        found = field_values_by_union(self.records(list(ids), period), self.median_field)
        out = {}
        for uid in ids:
            values = sorted(found.get(uid, []))
            n = len(values)
            out[uid] = _middle(values[(n - 1) // 2 : n // 2 + 1]) if n else Decimal("0.0")
        return out


def _middle(middle: list) -> Decimal:
    """The median from the one or two middle values."""
    return (Decimal(sum(middle)) / len(middle)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def _rectified_in(unions, period):
    return hazards_in(unions).filter(rectified_on__range=period.bounds)


register(
    MedianMetric(
        key="safety.rectification_median_days",
        label="隐患整改用时中位数",
        unit="天",
        records=_rectified_in,
        median_field="days_to_rectify",
        area="safety",
        description="本期整改完成的隐患卡，从上报到整改完成的天数的中位数",
    )
)


def _register_category(choice) -> None:
    def reported(unions, period):
        return hazards_in(unions).filter(reported_on__range=period.bounds, category=choice.value)

    def rectified(unions, period):
        return hazards_in(unions).filter(rectified_on__range=period.bounds, category=choice.value)

    reported.__name__ = f"hazards_reported_{choice.value}"
    rectified.__name__ = f"hazards_rectified_{choice.value}"
    metric(
        f"safety.hazards_reported.category.{choice.value}",
        label=f"上报隐患（{choice.label}）",
        unit="项",
    )(reported)
    metric(
        f"safety.hazards_rectified.category.{choice.value}",
        label=f"完成整改隐患（{choice.label}）",
        unit="项",
    )(rectified)


for _category in Category:
    _register_category(_category)


# Inspections -----------------------------------------------------------------------------------


@metric("safety.inspections_planned", label="计划安全检查", unit="次")
def inspections_planned(unions, period):
    return Inspection.objects.filter(union__in=unions, planned_on__range=period.bounds)


@metric(
    "safety.inspections_done",
    label="完成安全检查",
    unit="次",
    description="计划在本期内、期末前已完成的安全检查",
)
def inspections_done(unions, period):
    return inspections_planned(unions, period).filter(done_on__lte=period.end)


ratio(
    "safety.inspection_completion",
    label="安全检查完成率",
    numerator="safety.inspections_done",
    denominator="safety.inspections_planned",
)


@metric(
    "safety.inspection_findings",
    label="检查发现隐患",
    unit="项",
    description="本期上报的隐患卡中由安全检查发现的",
)
def inspection_findings(unions, period):
    return hazards_in(unions).filter(reported_on__range=period.bounds, inspection__isnull=False)


# Drills ------------------------------------------------------------------------------------------


def drills_in(unions, period) -> QuerySet:
    return Drill.objects.filter(union__in=unions, held_on__range=period.bounds)


@metric("safety.drills", label="安全演练", unit="次", breakdown="kind_label")
def drills(unions, period):
    return drills_in(unions, period).annotate(kind_label=_labelled("kind", DrillKind))


@metric("safety.drill_participants", label="演练参加人次", unit="人次", sum_field="participants")
def drill_participants(unions, period):
    return drills_in(unions, period)


@metric("safety.drill_expected", label="演练应参加人次", unit="人次", sum_field="expected")
def drill_expected(unions, period):
    return drills_in(unions, period)


ratio(
    "safety.drill_participation",
    label="演练参与率",
    numerator="safety.drill_participants",
    denominator="safety.drill_expected",
)


# Contests ----------------------------------------------------------------------------------------


@metric("safety.contests", label="安全知识竞赛", unit="次")
def contests(unions, period):
    return Contest.objects.filter(union__in=unions, held_on__range=period.bounds)


def contest_results_in(unions, period) -> QuerySet:
    return ContestResult.objects.filter(
        union__in=unions, contest__held_on__range=period.bounds
    ).select_related("contest", "group")


@metric(
    "safety.contest_participants",
    label="竞赛参赛人次",
    unit="人次",
    sum_field="participants",
)
def contest_participants(unions, period):
    return contest_results_in(unions, period)


@metric("safety.contest_audience", label="竞赛应参赛人次", unit="人次", sum_field="audience")
def contest_audience(unions, period):
    return contest_results_in(unions, period)


ratio(
    "safety.contest_coverage",
    label="安全知识竞赛覆盖率",
    numerator="safety.contest_participants",
    denominator="safety.contest_audience",
    description="各小组参赛人次 ÷ 应参赛人次",
)


@metric("safety.violations", label="违章记录", unit="起")
def violations(unions, period):
    return Violation.objects.filter(union__in=unions, on__range=period.bounds).select_related(
        "member"
    )


# Reads for the pages ------------------------------------------------------------------------------


def overdue(*, unions, today: date) -> QuerySet:
    """The chair's list: cards past their deadline and not rectified, oldest deadline first."""
    return (
        Hazard.objects.filter(union__in=unions, state__in=list(OPEN_STATES), deadline__lt=today)
        .select_related("department", "union")
        .order_by("deadline", "id")
    )


def reported_by(*, member: Member) -> QuerySet:
    return Hazard.objects.filter(reporter=member).order_by("-reported_on", "-id")


def for_department(*, member: Member) -> QuerySet:
    """Cards assigned to the member's department that still need its work."""
    if member.department_id is None:
        return Hazard.objects.none()
    return Hazard.objects.filter(
        union_id=member.union_id,
        department_id=member.department_id,
        state__in=[*OPEN_STATES, "rectified"],
    ).order_by("deadline", "id")


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    start = date(year, 3 * quarter - 2, 1)
    end = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
    return start, end - timedelta(days=1)


def draw_eligible(*, union, year: int, quarter: int) -> list[int]:
    """Member numbers, ascending, of members on the roll at the quarter's end
    with no violation recorded in the quarter."""
    start, end = quarter_bounds(year, quarter)
    union_id = union if isinstance(union, int) else union.pk
    broke = Violation.objects.filter(union_id=union_id, on__range=(start, end)).values("member_id")
    return list(
        Member.objects.filter(union_id=union_id, joined_on__lte=end)
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=end))
        .exclude(pk__in=broke)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def draw_people(draw: Draw) -> dict[int, Member]:
    return {
        m.pk: m
        for m in Member.objects.filter(pk__in=draw.winners).select_related("group", "department")
    }
