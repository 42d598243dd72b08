"""Opinion screens that are more than a model list, inside the admin shell.
Each finds its opinion among the unions where the user holds voice.change
(another union's is 404) and calls one service."""

from django.shortcuts import get_object_or_404
from django.urls import reverse

from gonghui import backoffice
from gonghui.orgs.roles import Perm
from gonghui.voice import services
from gonghui.voice.forms import AssignForm, ImplementForm, JudgeForm, OpinionForm, RewardForm
from gonghui.voice.models import Opinion

in_admin = backoffice.in_admin


def _unions(request):
    return backoffice.unions_with(request, Perm.CHANGE_VOICE, "您没有职工意见的管理权限")


def _opinion(request, pk) -> Opinion:
    return get_object_or_404(
        Opinion.objects.filter(
            union__in=request.access.unions_with(Perm.CHANGE_VOICE)
        ).select_related("member", "union"),
        pk=pk,
    )


def opinion_url(opinion: Opinion) -> str:
    return reverse("admin:voice_opinion_change", args=[opinion.pk])


def _page(request, **page):
    return backoffice.form_page(request, "disclosure/form.html", **page)


def _submit(request, form, act, *, done, saved: str = "已保存"):
    return backoffice.submit(request, form, act, done=done, said=saved)


def add_opinion(request):
    form = OpinionForm(request.POST or None, unions=_unions(request))
    done = _submit(
        request,
        form,
        lambda d: services.submit_opinion(recorded_by=request.user, actor=request.user, **d),
        done=opinion_url,
        saved="已代为录入意见",
    )
    return done or _page(
        request,
        form=form,
        title="代会员录入意见建议",
        intro="会员口头或书面提出的意见，由工会小组长/联络员代为录入。",
    )


def _intro(opinion: Opinion) -> str:
    return f"{opinion.member.name} {opinion.submitted_on:%Y-%m-%d} 提出：{opinion.content}"


@in_admin
def judge(request, pk):
    opinion = _opinion(request, pk)
    form = JudgeForm(request.POST or None, union=opinion.union)
    done = _submit(
        request,
        form,
        lambda d: services.judge(opinion=opinion, actor=request.user, **d),
        done=opinion_url,
        saved="已认定",
    )
    return done or _page(
        request,
        form=form,
        title=f"认定意见：{opinion.headline}",
        intro=_intro(opinion),
        submit="认定",
        back_url=opinion_url(opinion),
    )


@in_admin
def assign(request, pk):
    opinion = _opinion(request, pk)
    initial = {
        "handler_department": opinion.handler_department_id,
        "handler": opinion.handler_id,
        "deadline": opinion.deadline,
    }
    form = AssignForm(request.POST or None, initial=initial, union=opinion.union)
    done = _submit(
        request,
        form,
        lambda d: services.assign(opinion=opinion, actor=request.user, **d),
        done=opinion_url,
        saved="已交办",
    )
    return done or _page(
        request,
        form=form,
        title=f"交办意见：{opinion.headline}",
        intro=_intro(opinion),
        submit="交办",
        back_url=opinion_url(opinion),
    )


@in_admin
def implement(request, pk):
    opinion = _opinion(request, pk)
    form = ImplementForm(request.POST or None)
    done = _submit(
        request,
        form,
        lambda d: services.implement(opinion=opinion, actor=request.user, **d),
        done=opinion_url,
        saved="已登记落实，可在本页上传佐证材料",
    )
    return done or _page(
        request,
        form=form,
        title=f"登记落实：{opinion.headline}",
        intro=_intro(opinion),
        submit="登记落实",
        back_url=opinion_url(opinion),
    )


@in_admin
def reward(request, pk):
    opinion = _opinion(request, pk)
    form = RewardForm(request.POST or None, union=opinion.union)
    done = _submit(
        request,
        form,
        lambda d: services.reward(opinion=opinion, actor=request.user, **d) or opinion,
        done=lambda _: opinion_url(opinion),
        saved="已记录奖励",
    )
    return done or _page(
        request,
        form=form,
        title=f"奖励：{opinion.headline}",
        intro=_intro(opinion),
        submit="记录奖励",
        back_url=opinion_url(opinion),
    )
