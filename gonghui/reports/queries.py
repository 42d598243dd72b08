"""Reads for plans and reports: goal progress, stale figures, who may edit."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils import timezone

from gonghui.orgs.roles import Perm, Role
from gonghui.periods import Period
from gonghui.reports import figure_cache, registry
from gonghui.reports.drafting.core import number_text
from gonghui.reports.models import Comparison, Goal, Plan, ReportFigure, SummaryReport

EDITOR_ROLES = (Role.CHAIR, Role.COMMITTEE)


def viewable_unions(access) -> list[int]:
    return access.unions_with(Perm.VIEW_DASHBOARD)


def editable_unions(access) -> list[int]:
    """Plans and reports are written by the chair and the committee members."""
    return [
        u
        for u in access.unions_with(Perm.VIEW_DASHBOARD)
        if any(access.has_role(r, u) for r in EDITOR_ROLES)
    ]


def plan_for(*, union, year: int) -> Plan | None:
    return Plan.objects.filter(union=union, year=year).first()


def plan_period(plan: Plan, today: date | None = None) -> Period:
    """The plan's year up to today (the whole year once it is over)."""
    today = today or timezone.localdate()
    end = min(date(plan.year, 12, 31), max(today, date(plan.year, 1, 1)))
    return Period(date(plan.year, 1, 1), end)


def is_met(comparison: str, value, target) -> bool:
    value, target = Decimal(value), Decimal(target)
    if comparison == Comparison.AT_LEAST:
        return value >= target
    if comparison == Comparison.AT_MOST:
        return value <= target
    return value == target


@dataclass
class GoalRow:
    goal: Goal
    label: str
    unit: str
    value: Decimal | int | None  # None: the metric is not installed
    earlier: Decimal | int | None
    on_track: bool

    @property
    def target_text(self) -> str:
        return f"{number_text(self.goal.target)}{self.unit}"

    @property
    def value_text(self) -> str:
        return "—" if self.value is None else f"{number_text(self.value)}{self.unit}"

    @property
    def trend(self) -> str:
        if self.value is None or self.earlier is None:
            return ""
        if self.value > self.earlier:
            return "上升"
        if self.value < self.earlier:
            return "下降"
        return "持平"


def goal_progress(*, plan: Plan, period: Period | None = None) -> list[GoalRow]:
    """Each goal's current value (through the registry), target, trend and whether it is met."""
    period = period or plan_period(plan)
    rows = []
    for goal in plan.goals.all():
        try:
            metric = registry.get(goal.metric_key)
        except KeyError:
            rows.append(GoalRow(goal, goal.metric_key, "", None, None, False))
            continue
        value = metric.value([plan.union_id], period)
        earlier = metric.value([plan.union_id], period.a_year_earlier())
        rows.append(
            GoalRow(
                goal=goal,
                label=metric.label,
                unit=metric.unit,
                value=value,
                earlier=earlier,
                on_track=is_met(goal.comparison, value, goal.target),
            )
        )
    return rows


def metric_choices() -> list[tuple[str, str]]:
    return sorted(
        ((m.key, f"{m.label}（{m.unit}）· {m.key}") for m in registry.all_metrics()),
        key=lambda kv: kv[0],
    )


@dataclass
class StaleFigure:
    figure: ReportFigure
    now: Decimal | int | None

    @property
    def now_text(self) -> str:
        return (
            "（指标已不存在）" if self.now is None else f"{number_text(self.now)}{self.figure.unit}"
        )


def stale_figures(report: SummaryReport) -> list[StaleFigure]:
    """Figures whose records changed since drafting: the value now differs from the stored one."""
    stale = []
    with figure_cache.serving(), registry.evaluation():
        for f in report.figures.all():
            try:
                now = registry.get(f.metric_key).value([report.union_id], Period(f.start, f.end))
            except KeyError:
                stale.append(StaleFigure(f, None))
                continue
            if Decimal(now).quantize(Decimal("0.01")) != f.value:
                stale.append(StaleFigure(f, now))
    return stale
