"""The safety screens that are more than a model list, inside the admin shell.

Each view finds its object among the unions where the user holds the
permission the step needs (another union's record is 404) and calls one
service; the service's Chinese message goes back on the form.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from gonghui import backoffice
from gonghui.attachments.queries import attachments_of
from gonghui.orgs.models import Group, Union
from gonghui.orgs.roles import Perm
from gonghui.safety import queries, services
from gonghui.safety.forms import (
    AssignForm,
    ContestForm,
    ContestResultsForm,
    DrawForm,
    DrillForm,
    FindingForm,
    HazardForm,
    InspectionForm,
    PlanForm,
    RectifyForm,
    ResultsForm,
    VerifyForm,
    ViolationForm,
)
from gonghui.safety.models import Contest, Hazard, Inspection

in_admin = backoffice.in_admin
_submit = backoffice.submit
change_url = backoffice.change_url


def _unions(request, perm: str = Perm.CHANGE_SAFETY):
    return backoffice.unions_with(request, perm, "您没有安全生产的管理权限")


def _get(request, model, pk, perm: str = Perm.CHANGE_SAFETY):
    return backoffice.record_of(request, model, pk, perm)


def _page(request, **page):
    return backoffice.form_page(request, "safety/form.html", **page)


# Hazard cards -------------------------------------------------------------------------------


def add_hazard(request):
    form = HazardForm(request.POST or None, request.FILES or None, unions=_unions(request))
    done = _submit(
        request,
        form,
        lambda d: services.report_hazard(actor=request.user, **d),
        done=change_url,
    )
    return done or _page(request, form=form, title="登记隐患卡", files=True)


def _card_intro(hazard: Hazard) -> str:
    return f"{hazard}（{hazard.get_category_display()}，{hazard.get_severity_display()}）：{hazard.description}"


@in_admin
def assign(request, pk):
    hazard = _get(request, Hazard, pk)
    form = AssignForm(request.POST or None, unions=Union.objects.filter(pk=hazard.union_id))
    done = _submit(
        request,
        form,
        lambda d: services.assign_hazard(hazard=hazard, actor=request.user, **d),
        done=change_url,
    )
    return done or _page(
        request, form=form, title="交办责任部门", intro=_card_intro(hazard), submit="交办"
    )


@in_admin
def plan(request, pk):
    hazard = _get(request, Hazard, pk)
    form = PlanForm(
        request.POST or None, initial={"measures": hazard.measures, "deadline": hazard.deadline}
    )
    done = _submit(
        request,
        form,
        lambda d: services.plan_rectification(hazard=hazard, actor=request.user, **d),
        done=change_url,
    )
    return done or _page(request, form=form, title="整改措施和期限", intro=_card_intro(hazard))


@in_admin
def rectify(request, pk):
    hazard = _get(request, Hazard, pk)
    form = RectifyForm(request.POST or None, request.FILES or None)
    done = _submit(
        request,
        form,
        lambda d: services.rectify_hazard(hazard=hazard, actor=request.user, **d),
        done=change_url,
    )
    return done or _page(
        request, form=form, title="登记整改完成", intro=_card_intro(hazard), files=True
    )


@in_admin
def verify(request, pk):
    hazard = _get(request, Hazard, pk, Perm.VERIFY_SAFETY)
    form = VerifyForm(request.POST or None)
    done = _submit(
        request,
        form,
        lambda d: services.verify_hazard(hazard=hazard, actor=request.user, **d),
        done=change_url,
    )
    intro = f"{_card_intro(hazard)} 整改情况：{hazard.rectification or '—'}"
    return done or _page(
        request,
        form=form,
        title="验收整改",
        intro=intro,
        submit="提交验收结论",
        evidence=attachments_of(hazard),
    )


@in_admin
def print_card(request, pk):
    """The A5 card, laid out for printing."""
    hazard = get_object_or_404(
        Hazard.objects.filter(
            union__in=request.access.unions_with(Perm.VIEW_SAFETY)
        ).select_related("union", "department", "reporter", "rectified_by", "verified_by"),
        pk=pk,
    )
    return render(
        request,
        "safety/card_print.html",
        {"hazard": hazard, "steps": hazard.steps.select_related("actor")},
    )


@in_admin
def overdue(request):
    """The chair's list (督办): every card past its deadline and not rectified."""
    unions = request.access.unions_with(Perm.VIEW_SAFETY)
    if not unions:
        raise PermissionDenied("您没有查看安全生产记录的权限")
    today = timezone.localdate()
    rows = list(queries.overdue(unions=unions, today=today))
    for row in rows:
        row.days_late = (today - row.deadline).days
    context = {
        **admin.site.each_context(request),
        "title": "逾期隐患督办清单",
        "rows": rows,
        "today": today,
    }
    return render(request, "safety/overdue.html", context)


# Inspections ------------------------------------------------------------------------------------


def add_inspection(request):
    form = InspectionForm(request.POST or None, unions=_unions(request))
    done = _submit(
        request,
        form,
        lambda d: services.plan_inspection(actor=request.user, **d),
        done=change_url,
    )
    intro = "劳动保护监督检查委员会按月制定检查计划；检查清单每行一项，检查时逐项记录结果。"
    return done or _page(request, form=form, title="制定安全检查计划", intro=intro)


@in_admin
def record_results(request, pk):
    inspection = _get(request, Inspection, pk)
    form = ResultsForm(request.POST or None, items=inspection.items.all())
    done = _submit(
        request,
        form,
        lambda d: services.record_inspection(
            inspection=inspection,
            done_on=d["done_on"],
            summary=d["summary"],
            results=form.results(),
            actor=request.user,
        ),
        done=change_url,
    )
    return done or _page(request, form=form, title=f"记录检查结果：{inspection}")


@in_admin
def add_finding(request, pk):
    inspection = _get(request, Inspection, pk)
    form = FindingForm(request.POST or None, inspection=inspection)
    done = _submit(
        request,
        form,
        lambda d: services.raise_finding(inspection=inspection, actor=request.user, **d),
        done=change_url,
    )
    return done or _page(
        request,
        form=form,
        title=f"检查发现问题生成隐患卡：{inspection}",
        intro="一步生成隐患卡；选择责任部门的直接交办。",
        submit="生成隐患卡",
    )


# Drills, contests, violations, draws ------------------------------------------------------------


def add_drill(request):
    form = DrillForm(request.POST or None, unions=_unions(request))
    done = _submit(
        request,
        form,
        lambda d: services.record_drill(actor=request.user, **d),
        done=change_url,
    )
    return done or _page(request, form=form, title="记录安全演练")


def add_contest(request):
    form = ContestForm(request.POST or None, unions=_unions(request))
    done = _submit(
        request,
        form,
        lambda d: services.record_contest(actor=request.user, **d),
        done=lambda c: reverse("safety:contest_results", args=[c.pk]),
    )
    return done or _page(
        request,
        form=form,
        title="记录安全知识竞赛",
        intro="保存后逐个小组填写应参赛人数、参赛人数、合格人数和平均分。",
    )


@in_admin
def contest_results(request, pk):
    contest = _get(request, Contest, pk)
    groups = Group.objects.filter(union_id=contest.union_id).order_by("name")
    current = {r.group_id: r for r in contest.results.all()}
    form = ContestResultsForm(request.POST or None, groups=groups, current=current)
    done = _submit(
        request,
        form,
        lambda d: (
            services.record_contest_results(contest=contest, rows=form.rows(), actor=request.user)
            and contest
        ),
        done=change_url,
    )
    return done or _page(
        request,
        form=form,
        title=f"各小组成绩：{contest}",
        intro="未参加的小组留空；名次按平均分自动排定。",
    )


@in_admin
def contest_from_exam(request, pk):
    """Take each group's result from the learning exam the contest was sat as."""
    contest = _get(request, Contest, pk)
    if request.method == "POST":
        try:
            rows = services.take_results_from_exam(contest=contest, actor=request.user)
            messages.success(request, f"已从考试“{contest.exam}”取得 {len(rows)} 个小组的成绩")
        except ValidationError as e:
            messages.error(request, e.messages[0])
        return redirect(change_url(contest))
    context = {
        **admin.site.each_context(request),
        "title": f"从关联考试取成绩：{contest}",
        "contest": contest,
        "exam": contest.exam,
    }
    return render(request, "safety/contest_from_exam.html", context)


def add_violation(request):
    form = ViolationForm(request.POST or None, unions=_unions(request))
    done = _submit(
        request,
        form,
        lambda d: services.record_violation(actor=request.user, **d),
        done=lambda v: reverse("admin:safety_violation_changelist"),
    )
    intro = "有违章记录的会员不参加当季度的安全摸大奖。"
    return done or _page(request, form=form, title="登记违章", intro=intro)


def add_draw(request):
    form = DrawForm(request.POST or None, unions=_unions(request))
    done = _submit(
        request,
        form,
        lambda d: services.hold_draw(actor=request.user, **d),
        done=change_url,
    )
    intro = (
        "季度末在册、本季度无违章记录的会员参加抽奖。抽奖结果由公开的随机种子和名单唯一确定，"
        "任何人都可以按抽奖页面上写明的方法重新计算核对。"
    )
    return done or _page(request, form=form, title="安全摸大奖抽奖", intro=intro, submit="抽奖")
