"""Every write of plans, goals and summary reports."""

from decimal import Decimal, InvalidOperation

import nh3
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gonghui.periods import Period
from gonghui.reports import registry
from gonghui.reports.models import (
    Comparison,
    Goal,
    Plan,
    PlanItem,
    PlanSection,
    ReportFigure,
    ReportKind,
    ReportState,
    ReportVersion,
    SummaryReport,
)
from gonghui.reports.queries import goal_progress, plan_period

# Plans --------------------------------------------------------------------------------


@transaction.atomic
def create_plan(*, union, year: int, title: str = "", actor) -> Plan:
    if not 2000 <= int(year) <= 2100:
        raise ValidationError({"year": "年度应为2000至2100之间的年份"})
    if Plan.objects.filter(union=union, year=year).exists():
        raise ValidationError({"year": f"{union.name}已有{year}年工作计划"})
    return Plan.objects.create(
        union=union,
        year=year,
        title=(title or "").strip() or f"{union.name}{year}年工作计划",
        created_by=actor,
    )


@transaction.atomic
def add_section(*, plan: Plan, title: str, actor) -> PlanSection:
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": "请填写部分标题"})
    order = plan.sections.count() + 1
    return PlanSection.objects.create(union_id=plan.union_id, plan=plan, order=order, title=title)


@transaction.atomic
def add_item(*, section: PlanSection, text: str, actor) -> PlanItem:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "请填写工作事项"})
    order = section.items.count() + 1
    return PlanItem.objects.create(
        union_id=section.union_id, section=section, order=order, text=text
    )


def _target(value) -> Decimal:
    try:
        target = Decimal(str(value).strip().rstrip("%"))
    except (InvalidOperation, AttributeError):
        raise ValidationError({"target": "目标值应为数字，例如 95 或 100"}) from None
    if target < 0:
        raise ValidationError({"target": "目标值不能为负数"})
    return target.quantize(Decimal("0.01"))


@transaction.atomic
def add_goal(
    *, plan: Plan, metric_key: str, comparison: str, target, note: str = "", actor
) -> Goal:
    try:
        registry.get(metric_key)
    except KeyError:
        raise ValidationError({"metric_key": f"没有这个指标：{metric_key}"}) from None
    if comparison not in Comparison.values:
        raise ValidationError({"comparison": "比较方式应为 ≥、≤ 或 ="})
    return Goal.objects.create(
        union_id=plan.union_id,
        plan=plan,
        order=plan.goals.count() + 1,
        metric_key=metric_key,
        comparison=comparison,
        target=_target(target),
        note=(note or "").strip(),
    )


@transaction.atomic
def remove_goal(*, goal: Goal, actor) -> None:
    goal.delete()


@transaction.atomic
def carry_over(*, plan: Plan, actor, today=None) -> Plan:
    """Start next year's plan from this one: sections, items and goals copied,
    the goals not met this year marked as such."""
    following = create_plan(
        union=plan.union,
        year=plan.year + 1,
        title=plan.title.replace(str(plan.year), str(plan.year + 1)),
        actor=actor,
    )
    following.carried_from = plan
    following.save(update_fields=["carried_from"])
    for section in plan.sections.all():
        copy = PlanSection.objects.create(
            union_id=plan.union_id, plan=following, order=section.order, title=section.title
        )
        PlanItem.objects.bulk_create(
            PlanItem(union_id=plan.union_id, section=copy, order=i.order, text=i.text)
            for i in section.items.all()
        )
    for row in goal_progress(plan=plan, period=plan_period(plan, today)):
        g = row.goal
        Goal.objects.create(
            union_id=plan.union_id,
            plan=following,
            order=g.order,
            metric_key=g.metric_key,
            comparison=g.comparison,
            target=g.target,
            note=g.note,
            unmet_last_year=not row.on_track,
        )
    return following


# Summary reports --------------------------------------------------------------------

ALLOWED_TAGS = {
    "h1",
    "h2",
    "h3",
    "p",
    "a",
    "strong",
    "em",
    "b",
    "i",
    "u",
    "br",
    "ol",
    "ul",
    "li",
    "span",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "data-fig", "class"}, "span": {"class"}, "p": {"class"}}


def sanitise(html: str) -> str:
    """Only the tags a report needs; links only to our own pages."""
    return nh3.clean(
        html or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=set(),
        link_rel=None,
    )


@transaction.atomic
def draft_report(*, union, start, end, kind: str = ReportKind.ANNUAL, actor) -> SummaryReport:
    """Draft from the records and keep it: version 1 and every figure as drafted."""
    from gonghui.reports.drafting import draft
    from gonghui.reports.render import to_html

    if kind not in ReportKind.values:
        raise ValidationError({"kind": "报告类型不正确"})
    if start is None or end is None:
        raise ValidationError({"start": "请填写起止日期"})
    if start > end:
        raise ValidationError({"end": "结束日期不能早于开始日期"})
    d = draft(union=union, period=Period(start, end), kind=kind)
    report = SummaryReport.objects.create(
        union=union, kind=kind, start=start, end=end, title=d.title, created_by=actor
    )
    ReportFigure.objects.bulk_create(
        ReportFigure(
            union=union,
            report=report,
            ref=f.ref,
            metric_key=f.key,
            label=f.label,
            unit=f.unit,
            start=f.period.start,
            end=f.period.end,
            value=Decimal(f.value).quantize(Decimal("0.01")),
            records=f.records(),
        )
        for f in d.figures
    )
    ReportVersion.objects.create(
        union=union, report=report, number=1, body=sanitise(to_html(d)), created_by=actor
    )
    return report


@transaction.atomic
def save_version(*, report: SummaryReport, body: str, actor) -> ReportVersion:
    """Keep the edited text as a new version; a submitted report is locked."""
    clean = sanitise(body)
    if not clean.strip():
        raise ValidationError({"body": "正文不能为空"})
    # The conditional update bumps nothing but proves the report is still a draft.
    if not SummaryReport.objects.filter(pk=report.pk, state=ReportState.DRAFT).update(
        state=ReportState.DRAFT
    ):
        raise ValidationError({"body": "报告已提交，不能再修改"})
    number = (report.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    return ReportVersion.objects.create(
        union_id=report.union_id, report=report, number=number, body=clean, created_by=actor
    )


@transaction.atomic
def submit_report(*, report: SummaryReport, actor) -> SummaryReport:
    """Mark the latest version final; from then on the report is read-only."""
    changed = SummaryReport.objects.filter(pk=report.pk, state=ReportState.DRAFT).update(
        state=ReportState.SUBMITTED, submitted_by=actor, submitted_at=timezone.now()
    )
    if not changed:
        raise ValidationError({"state": "报告已经提交过了"})
    report.refresh_from_db()
    return report
