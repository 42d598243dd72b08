"""Plans, goals and drafted summary reports, inside the admin shell.

Every object is found among the unions the user may see reports of (another
union's plan or report is 404); writing needs the chair's or a committee
member's role in that union. Each view calls one service.
"""

from functools import wraps

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from gonghui.orgs.models import Union
from gonghui.periods import Period
from gonghui.reports import charts, queries, services
from gonghui.reports.forms import (
    DraftForm,
    GoalForm,
    ItemForm,
    PlanForm,
    SectionForm,
    add_service_errors,
)
from gonghui.reports.models import Goal, Plan, PlanSection, SummaryReport
from gonghui.reports.officedoc import Figure, to_docx
from gonghui.reports.render import to_markdown


def in_admin(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        return admin.site.admin_view(view)(request, *args, **kwargs)

    return wrapped


def _viewable(request) -> list[int]:
    allowed = queries.viewable_unions(request.access)
    if not allowed:
        raise PermissionDenied("您没有查看工作计划与总结的权限")
    return allowed


def _get(request, model, pk):
    return get_object_or_404(model.objects.filter(union__in=_viewable(request)), pk=pk)


def _require_editor(request, union_id: int):
    if union_id not in queries.editable_unions(request.access):
        raise PermissionDenied("只有工会主席和委员可以编写计划和总结")


def _editable_unions(request):
    ids = queries.editable_unions(request.access)
    if not ids:
        raise PermissionDenied("只有工会主席和委员可以编写计划和总结")
    return Union.objects.filter(pk__in=ids).order_by("path")


def _render(request, template, title, **context):
    return render(
        request, template, {**admin.site.each_context(request), "title": title, **context}
    )


# Plans --------------------------------------------------------------------------------


@in_admin
def plans(request):
    rows = Plan.objects.filter(union__in=_viewable(request)).select_related("union")
    return _render(
        request,
        "reports/plans.html",
        "工作计划",
        plans=rows,
        can_write=bool(queries.editable_unions(request.access)),
    )


@in_admin
def new_plan(request):
    form = PlanForm(request.POST or None, unions=_editable_unions(request))
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.create_plan(actor=request.user, **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, f"已创建：{plan}")
            return redirect("reports:plan", pk=plan.pk)
    return _render(request, "reports/form.html", "新建工作计划", form=form, submit="创建")


@in_admin
def plan_detail(request, pk):
    plan = _get(request, Plan, pk)
    can_write = plan.union_id in queries.editable_unions(request.access)
    section_form = SectionForm(prefix="section")
    item_form = ItemForm(prefix="item")
    goal_form = GoalForm(prefix="goal", metrics=queries.metric_choices())
    if request.method == "POST":
        _require_editor(request, plan.union_id)
        what = request.POST.get("what")
        try:
            if what == "section":
                section_form = SectionForm(request.POST, prefix="section")
                if section_form.is_valid():
                    services.add_section(plan=plan, actor=request.user, **section_form.cleaned_data)
                    return redirect("reports:plan", pk=plan.pk)
            elif what == "item":
                item_form = ItemForm(request.POST, prefix="item")
                if item_form.is_valid():
                    section = get_object_or_404(
                        PlanSection.objects.filter(plan=plan), pk=item_form.cleaned_data["section"]
                    )
                    services.add_item(
                        section=section, text=item_form.cleaned_data["text"], actor=request.user
                    )
                    return redirect("reports:plan", pk=plan.pk)
            elif what == "goal":
                goal_form = GoalForm(request.POST, prefix="goal", metrics=queries.metric_choices())
                if goal_form.is_valid():
                    services.add_goal(plan=plan, actor=request.user, **goal_form.cleaned_data)
                    return redirect("reports:plan", pk=plan.pk)
        except ValidationError as e:
            form = {"section": section_form, "item": item_form}.get(what, goal_form)
            add_service_errors(form, e)
    return _render(
        request,
        "reports/plan.html",
        plan.title,
        plan=plan,
        sections=plan.sections.prefetch_related("items"),
        progress=queries.goal_progress(plan=plan),
        period=queries.plan_period(plan),
        can_write=can_write,
        section_form=section_form,
        item_form=item_form,
        goal_form=goal_form,
        has_next=Plan.objects.filter(union_id=plan.union_id, year=plan.year + 1).exists(),
    )


@in_admin
@require_POST
def carry_over(request, pk):
    plan = _get(request, Plan, pk)
    _require_editor(request, plan.union_id)
    try:
        following = services.carry_over(plan=plan, actor=request.user)
    except ValidationError as e:
        messages.error(request, "；".join(e.messages))
        return redirect("reports:plan", pk=plan.pk)
    messages.success(
        request, f"已根据{plan.year}年计划生成{following.year}年计划，未完成的目标已标出"
    )
    return redirect("reports:plan", pk=following.pk)


@in_admin
@require_POST
def remove_goal(request, pk):
    goal = _get(request, Goal, pk)
    _require_editor(request, goal.union_id)
    services.remove_goal(goal=goal, actor=request.user)
    return redirect("reports:plan", pk=goal.plan_id)


# Summary reports --------------------------------------------------------------------


@in_admin
def summaries(request):
    rows = SummaryReport.objects.filter(union__in=_viewable(request)).select_related("union")
    return _render(
        request,
        "reports/summaries.html",
        "工作总结报告",
        reports=rows,
        can_write=bool(queries.editable_unions(request.access)),
    )


@in_admin
def new_summary(request):
    form = DraftForm(request.POST or None, unions=_editable_unions(request))
    if request.method == "POST" and form.is_valid():
        try:
            report = services.draft_report(actor=request.user, **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, "已根据台账记录起草，请核对修改")
            return redirect("reports:summary", pk=report.pk)
    return _render(
        request,
        "reports/form.html",
        "起草工作总结",
        form=form,
        submit="起草",
        intro="系统根据所选期间的台账记录起草总结，每个数字都链接到其背后的记录。",
    )


@in_admin
def summary(request, pk):
    report = _get(request, SummaryReport, pk)
    can_write = report.union_id in queries.editable_unions(request.access)
    error = None
    if request.method == "POST":
        _require_editor(request, report.union_id)
        try:
            version = services.save_version(
                report=report, body=request.POST.get("body", ""), actor=request.user
            )
        except ValidationError as e:
            error = "；".join(e.messages)
        else:
            messages.success(request, f"已保存为{version}")
            return redirect("reports:summary", pk=report.pk)
    version = report.latest_version()
    stale = queries.stale_figures(report)
    return _render(
        request,
        "reports/summary.html",
        report.title,
        report=report,
        version=version,
        versions=report.versions.select_related("created_by"),
        stale=stale,
        stale_refs=" ".join(s.figure.ref for s in stale),
        can_write=can_write and not report.is_locked,
        error=error,
    )


@in_admin
@require_POST
def submit_summary(request, pk):
    report = _get(request, SummaryReport, pk)
    _require_editor(request, report.union_id)
    try:
        services.submit_report(report=report, actor=request.user)
    except ValidationError as e:
        messages.error(request, "；".join(e.messages))
    else:
        messages.success(request, "报告已提交定稿，不能再修改")
    return redirect("reports:summary", pk=report.pk)


def _download(content, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response


@in_admin
def export_docx(request, pk):
    report = _get(request, SummaryReport, pk)
    figures = _report_charts(report) if request.GET.get("charts") == "1" else ()
    return _download(
        to_docx(report.latest_version().body, figures=figures),
        f"report-{report.pk}{'-charts' if figures else ''}.docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )


# The charts a summary's appendix carries, when they have anything to show.
REPORT_CHARTS = ("members_trend", "activities_trend", "hazard_funnel", "budget_execution")


def _report_charts(report) -> list[Figure]:
    """The report period's charts as appendix figures (附图), empty ones left out."""
    period = Period(report.start, report.end)
    figures = []
    for name in REPORT_CHARTS:
        if name not in charts.available():
            continue
        chart = charts.build(name, [report.union_id], period)
        if chart.empty:
            continue
        png = charts.render_png(chart, subtitle=report.union.name)
        figures.append(Figure(png, f"附图{len(figures) + 1}  {chart.title}"))
    return figures


@in_admin
def export_markdown(request, pk):
    report = _get(request, SummaryReport, pk)
    base = request.build_absolute_uri("/").rstrip("/")
    return _download(
        to_markdown(report.latest_version().body, base=base),
        f"report-{report.pk}.md",
        "text/markdown; charset=utf-8",
    )


def summary_url(report) -> str:
    return reverse("reports:summary", args=[report.pk])
