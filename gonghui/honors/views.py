"""The 评先评优 screens that are more than a model list, inside the admin shell.

Award kinds, nominations, the committee's decision and the announcement to
open affairs; model workers; the group assessment's rules, the month's
scoring sheet, its publication and the ranking-and-trend page. Each view
finds its record among the unions where the user holds the permission the
step needs (another union's record is 404), lets a form collect the input,
and calls one service, whose Chinese messages go back on the form.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from gonghui import backoffice
from gonghui.honors import queries, services
from gonghui.honors.forms import (
    AnnounceForm,
    DecisionForm,
    DefaultKindsForm,
    KindEditForm,
    KindForm,
    ModelWorkerEditForm,
    ModelWorkerForm,
    NominationForm,
    OpenMonthForm,
    RuleForm,
    ScoreSheetForm,
)
from gonghui.honors.models import (
    Assessment,
    AssessmentRule,
    AwardKind,
    ModelWorker,
    Nomination,
    NominationState,
)
from gonghui.orgs.models import Group
from gonghui.orgs.roles import Perm

in_admin = backoffice.in_admin
_submit = backoffice.submit
change_url = backoffice.change_url


def _unions(request, perm: str = Perm.CHANGE_HONORS):
    if perm == Perm.VIEW_HONORS:
        return backoffice.unions_with(request, perm, "您没有查看评先评优记录的权限")
    return backoffice.unions_with(request, perm, "您没有评先评优的管理权限")


def _get(request, model, pk, perm: str = Perm.CHANGE_HONORS):
    return backoffice.record_of(request, model, pk, perm)


def _page(request, *, template: str = "honors/form.html", **page):
    return backoffice.form_page(request, template, **page)


def _list_url(model) -> str:
    return reverse(f"admin:honors_{model._meta.model_name}_changelist")


# Award kinds ----------------------------------------------------------------------------------


def add_kind(request):
    form = KindForm(request.POST or None, unions=_unions(request))
    done = _submit(
        request,
        form,
        lambda d: services.define_kind(actor=request.user, **d),
        done=lambda k: _list_url(AwardKind),
    )
    intro = "本会设立的荣誉。按月评选的荣誉推荐时须选月份；评选个人、班组或集体决定推荐谁。"
    return done or _page(request, form=form, title="新增荣誉类别", intro=intro)


@in_admin
def edit_kind(request, pk):
    kind = _get(request, AwardKind, pk)
    form = KindEditForm(
        request.POST or None,
        initial={
            "name": kind.name,
            "scope": kind.scope,
            "cadence": kind.cadence,
            "description": kind.description,
            "active": kind.active,
        },
    )
    done = _submit(
        request,
        form,
        lambda d: services.update_kind(kind=kind, actor=request.user, **d),
        done=lambda k: _list_url(AwardKind),
    )
    intro = "已有推荐记录的荣誉类别，评选对象和评选周期不能再改。"
    return done or _page(request, form=form, title=f"修改荣誉类别：{kind}", intro=intro)


@in_admin
def default_kinds(request):
    form = DefaultKindsForm(request.POST or None, unions=_unions(request))

    def act(d):
        before = AwardKind.objects.filter(union=d["union"]).count()
        after = len(services.ensure_default_kinds(union=d["union"]))
        return after - before

    done = _submit(
        request,
        form,
        act,
        done=lambda n: _list_url(AwardKind),
        said=lambda n: f"已补齐默认荣誉类别，新增 {n} 个" if n else "默认荣誉类别均已存在",
    )
    names = "、".join(name for name, *_ in services.DEFAULT_KINDS)
    intro = f"补齐缺少的默认荣誉类别：{names}。已有的（包括已停用的）不会改动。"
    return done or _page(request, form=form, title="补齐默认荣誉类别", intro=intro, submit="补齐")


# Nominations, decisions, announcements --------------------------------------------------------------


def add_nomination(request):
    unions = _unions(request)
    form = NominationForm(request.POST or None, unions=unions)
    done = _submit(
        request,
        form,
        lambda d: services.nominate(actor=request.user, **d),
        done=change_url,
    )
    intro = (
        "评选个人的荣誉选择被推荐人，评选班组的选择班组，评选集体的选择班组或填写集体名称。"
        "推荐理由写清主要事迹，供评选委员会评定。"
    )
    if not AwardKind.objects.filter(union__in=unions, active=True).exists():
        intro = "还没有在用的荣誉类别，请先在“荣誉类别”中新增或补齐默认类别。"
    return done or _page(request, form=form, title="推荐评选对象", intro=intro)


@in_admin
def decide(request, pk):
    nomination = _get(request, Nomination, pk)
    if nomination.state != NominationState.NOMINATED:
        messages.error(request, f"“{nomination}”已评定为“{nomination.get_state_display()}”")
        return redirect(change_url(nomination))
    form = DecisionForm(request.POST or None)
    done = _submit(
        request,
        form,
        lambda d: services.decide(nomination=nomination, actor=request.user, **d),
        done=change_url,
        said=lambda n: f"已评定：{n}（{n.get_state_display()}）",
    )
    intro = f"{nomination}。推荐理由：{nomination.reasons}"
    return done or _page(
        request, form=form, title="评选委员会评定", intro=intro, submit="提交评定结果"
    )


@in_admin
def announce(request):
    unions = _unions(request)
    chosen = [p for p in request.GET.getlist("awards") if p.isdigit()]
    today = timezone.localdate()
    form = AnnounceForm(
        request.POST or None,
        unions=unions,
        initial={
            "awards": chosen,
            "title": f"{today.year}年{today.month}月评先评优结果公示",
        },
    )
    done = _submit(
        request,
        form,
        lambda d: services.announce(actor=request.user, **d),
        done=change_url,
        said=lambda a: f"已公示：{a}，并已在厂务公开发布",
    )
    intro = "所选获奖记录合成一条公示，发布到厂务公开的“评先评优”栏目，会员在门户可见。"
    if not form.fields["awards"].queryset.exists():
        intro = "目前没有已授予、尚未公示的获奖记录。"
    return done or _page(request, form=form, title="公示获奖名单", intro=intro, submit="发布公示")


# Model workers ------------------------------------------------------------------------------------


def add_model_worker(request):
    form = ModelWorkerForm(request.POST or None, unions=_unions(request))
    done = _submit(
        request,
        form,
        lambda d: services.record_model_worker(actor=request.user, **d),
        done=change_url,
    )
    intro = "同一会员可有多项称号（如先后获市级、省部级劳模），每项一条记录。"
    return done or _page(request, form=form, title="登记劳模", intro=intro)


@in_admin
def edit_model_worker(request, pk):
    worker = _get(request, ModelWorker, pk)
    form = ModelWorkerEditForm(
        request.POST or None,
        initial={
            "level": worker.level,
            "title": worker.title,
            "year": worker.year,
            "conferred_by": worker.conferred_by,
            "monthly_allowance": worker.monthly_allowance,
            "benefits": worker.benefits,
            "notes": worker.notes,
        },
    )
    done = _submit(
        request,
        form,
        lambda d: services.update_model_worker(worker=worker, actor=request.user, **d),
        done=change_url,
    )
    return done or _page(request, form=form, title=f"修改劳模记录：{worker}")


# Group assessment -----------------------------------------------------------------------------------


def _rule_page(request, *, base: AssessmentRule | None):
    unions = _unions(request)
    if base is not None:
        unions = unions.filter(pk=base.union_id)
    items = list(base.items.all()) if base is not None else []
    initial = {"name": base.name, "union": base.union_id} if base is not None else {}
    form = RuleForm(request.POST or None, unions=unions, items=items, initial=initial)
    done = _submit(
        request,
        form,
        lambda d: services.write_rule(
            union=d["union"],
            name=d["name"],
            effective_from=d["effective_from"],
            items=form.items(),
            actor=request.user,
        ),
        done=change_url,
    )
    intro = (
        "每行一个考核项目，写明满分和扣分标准；空行不计。保存后新细则即为在用细则，"
        "此前的细则停用，已建立的月度考核仍按原细则打分。"
    )
    title = f"修订考核细则：{base}" if base is not None else "制定班组考核细则"
    return done or _page(
        request, form=form, title=title, intro=intro, template="honors/rule_form.html"
    )


def add_rule(request):
    return _rule_page(request, base=None)


@in_admin
def revise_rule(request, pk):
    return _rule_page(request, base=_get(request, AssessmentRule, pk))


@in_admin
def open_month(request):
    form = OpenMonthForm(request.POST or None, unions=_unions(request))
    done = _submit(
        request,
        form,
        lambda d: services.open_month(actor=request.user, **d),
        done=lambda a: reverse("honors:sheet", args=[a.pk]),
        said=lambda a: f"已建立{a}，请为各班组打分",
    )
    intro = "每月建立一次，按所选细则为本会每个班组打分，全部打完后公布。"
    if not form.fields["rule"].queryset.exists():
        intro = "还没有在用的考核细则，请先制定班组考核细则。"
    return done or _page(
        request,
        form=form,
        title="建立月度班组考核",
        intro=intro,
        submit="建立",
        form_id="open-month",
    )


def _assessment(request, pk, perm=Perm.VIEW_HONORS) -> Assessment:
    return get_object_or_404(
        Assessment.objects.select_related("rule", "union").filter(
            union__in=request.access.unions_with(perm)
        ),
        pk=pk,
    )


@in_admin
def sheet(request, pk):
    """The month's scoring: one row per group, one column per item, saved all at once."""
    assessment = _assessment(request, pk)
    can_change = request.access.can(Perm.CHANGE_HONORS, assessment.union_id)
    if request.method == "POST" and not can_change:
        raise PermissionDenied("您没有修改该工会评先评优记录的权限")
    groups = Group.objects.filter(union_id=assessment.union_id).order_by("name")
    data = request.POST if request.method == "POST" else None  # an empty sheet is an answer too
    form = ScoreSheetForm(data, assessment=assessment, groups=groups)
    done = _submit(
        request,
        form,
        lambda d: services.score_sheet(
            assessment=assessment, sheet=form.sheet(), actor=request.user
        ),
        done=lambda n: reverse("honors:sheet", args=[assessment.pk]),
        said=lambda n: f"得分已保存（{n}个班组）",
    )
    if done:
        return done
    published = assessment.is_published
    context = {
        **admin.site.each_context(request),
        "title": f"{assessment}：打分",
        "assessment": assessment,
        "form": form,
        "items": form.items,
        "rows": form.rows(),
        "can_change": can_change and not published,
        "missing": [] if published else queries.unscored_groups(assessment),
        "ranking": queries.published_ranking(assessment) if published else None,
    }
    return render(request, "honors/sheet.html", context)


@require_POST
@in_admin
def publish(request, pk):
    assessment = _assessment(request, pk, Perm.CHANGE_HONORS)
    try:
        services.publish_assessment(assessment=assessment, actor=request.user)
        messages.success(request, f"{assessment}结果已公布，并已在厂务公开发布")
    except ValidationError as e:
        messages.error(request, e.messages[0])
    return redirect(reverse("honors:sheet", args=[assessment.pk]))


@in_admin
def ranking(request):
    """The latest published ranking and every group's last twelve months."""
    unions = _unions(request, Perm.VIEW_HONORS)
    wanted = request.GET.get("union", "")
    union = unions.filter(pk=wanted).first() if wanted.isdigit() else unions.first()
    if union is None:
        raise Http404("没有找到该工会")
    latest = queries.latest_published(union)
    context = {
        **admin.site.each_context(request),
        "title": "班组考核排名与趋势",
        "union": union,
        "unions": unions if unions.count() > 1 else [],
        "latest": latest,
        "ranking": queries.ranking(latest) if latest else [],
        "trend": queries.trend_table(union),
        "pending": Assessment.objects.filter(union=union, published_on__isnull=True).order_by(
            "-month"
        ),
        "can_change": request.access.can(Perm.CHANGE_HONORS, union.pk),
    }
    return render(request, "honors/ranking.html", context)
