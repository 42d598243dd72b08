"""The care screens that are more than a model list, inside the admin shell.

Each view finds its object among the unions where the user may see care
records (another union's record is 404), checks the permission the step
needs, and calls one service.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.urls import reverse

from gonghui import backoffice
from gonghui.care import queries, services
from gonghui.care.forms import (
    ApproveAssistanceForm,
    ApproveSchoolAidForm,
    AssistanceForm,
    CampaignForm,
    CaseEditForm,
    CaseForm,
    CloseForm,
    DeclineSchoolAidForm,
    DonationForm,
    FundForm,
    GiftForm,
    HandoverForm,
    MutualAidForm,
    RevealForm,
    ReviewForm,
    SchoolAidForm,
    SettingsForm,
    VisitForm,
)
from gonghui.care.models import Assistance, DonationCampaign, HardshipCase, SchoolAid
from gonghui.orgs.models import Union
from gonghui.orgs.roles import Perm

in_admin = backoffice.in_admin
_submit = backoffice.submit
_change_url = backoffice.change_url


def _unions(request, perm: str):
    return backoffice.unions_with(request, perm, "您没有关怀帮扶的管理权限")


def _get(request, model, pk, perm: str = Perm.CHANGE_CARE):
    return backoffice.record_of(request, model, pk, perm)


def _page(request, **page):
    return backoffice.form_page(request, "care/form.html", **page)


def _without(data: dict, *names) -> dict:
    return {k: v for k, v in data.items() if k not in names}


# Settings -----------------------------------------------------------------------------


def settings_form(request):
    unions = _unions(request, Perm.CHANGE_CARE)
    current = queries.settings_of(unions.first())
    form = SettingsForm(
        request.POST or None,
        unions=unions,
        initial={
            "hardship_income_threshold": current.hardship_income_threshold,
            "festival_gift_cap_per_year": current.festival_gift_cap_per_year,
        },
    )
    done = _submit(
        request,
        form,
        lambda d: services.update_settings(actor=request.user, **d),
        done=lambda s: reverse("admin:care_caresettings_changelist"),
    )
    return done or _page(request, form=form, title="关怀帮扶设置")


# Visits -------------------------------------------------------------------------------


def add_visit(request):
    form = VisitForm(request.POST or None, unions=_unions(request, Perm.CHANGE_CARE))
    done = _submit(
        request,
        form,
        lambda d: services.record_visit(actor=request.user, **d),
        done=_change_url,
    )
    return done or _page(request, form=form, title="记录慰问")


# Hardship cases ------------------------------------------------------------------------


def add_case(request):
    form = CaseForm(request.POST or None, unions=_unions(request, Perm.CHANGE_CARE))
    done = _submit(
        request,
        form,
        lambda d: services.file_case(actor=request.user, **d),
        done=_change_url,
    )
    return done or _page(request, form=form, title="建立困难职工档案")


@in_admin
def edit_case(request, pk):
    case = _get(request, HardshipCase, pk)
    form = CaseEditForm(
        request.POST or None,
        initial={
            "causes": case.causes,
            "household_size": case.household_size,
            "income_per_capita": case.income_per_capita,
            "above_threshold_reason": case.above_threshold_reason,
            "filed_on": case.filed_on,
        },
    )
    done = _submit(
        request,
        form,
        lambda d: services.update_case(case=case, actor=request.user, **d),
        done=_change_url,
    )
    return done or _page(request, form=form, title=f"修改档案：{case}")


@in_admin
def review_case(request, pk):
    case = _get(request, HardshipCase, pk)
    form = ReviewForm(request.POST or None)
    done = _submit(
        request,
        form,
        lambda d: services.review_case(case=case, actor=request.user, **d),
        done=lambda r: _change_url(case),
    )
    return done or _page(request, form=form, title=f"复核：{case}")


@in_admin
def close_case(request, pk):
    case = _get(request, HardshipCase, pk)
    form = CloseForm(request.POST or None)
    done = _submit(
        request,
        form,
        lambda d: services.close_case(case=case, actor=request.user, **d),
        done=_change_url,
    )
    return done or _page(request, form=form, title=f"解除档案：{case}")


@in_admin
def reveal(request, pk):
    """Ask for a reason, then show the health details once; the service logs it."""
    case = get_object_or_404(
        HardshipCase.objects.filter(
            union__in=request.access.unions_with(Perm.VIEW_CARE)
        ).select_related("member"),
        pk=pk,
    )
    if not request.access.can(Perm.REVEAL_CARE, case.union_id):
        raise PermissionDenied("您没有查看困难职工健康状况的权限")
    form = RevealForm(request.POST or None)
    value = None
    if request.method == "POST" and form.is_valid():
        try:
            value = services.reveal_health_details(
                case=case, reason=form.cleaned_data["reason"], user=request.user
            )
        except ValidationError as e:
            form.add_service_errors(e)
    response = _page(
        request,
        form=form if value is None else None,
        title=f"查看{case.member.name}的健康状况",
        intro="健康状况属于敏感信息，查看将记录查看人、时间和理由。" if value is None else "",
        submit="查看",
        revealed=value,
        back_url=_change_url(case),
    )
    # The plain value is shown on this render only: never cached, never replayed.
    response["Cache-Control"] = "no-store"
    return response


# Assistance --------------------------------------------------------------------------------


def add_assistance(request):
    unions = _unions(request, Perm.CHANGE_CARE)
    case = None
    wanted = request.GET.get("case", "")
    if wanted.isdigit():
        case = _get(request, HardshipCase, int(wanted))
    initial = {"member": case.member_id} if case else {}
    form = AssistanceForm(request.POST or None, unions=unions, initial=initial)
    done = _submit(
        request,
        form,
        lambda d: services.record_assistance(actor=request.user, case=case, **d),
        done=_change_url,
    )
    title = f"记录帮扶：{case}" if case else "记录帮扶"
    intro = "记录后须经工会委员会批准；资金来源为本会经费的，批准时同时记录支出。"
    return done or _page(request, form=form, title=title, intro=intro)


@in_admin
def approve_assistance(request, pk):
    assistance = _get(request, Assistance, pk)
    form = ApproveAssistanceForm(request.POST or None)
    done = _submit(
        request,
        form,
        lambda d: services.approve_assistance(assistance=assistance, actor=request.user, **d),
        done=_change_url,
    )
    intro = (
        f"{assistance.member.name}：{assistance.get_kind_display()}{assistance.amount}元，"
        f"资金来源{assistance.get_source_display()}。批准后"
        + ("将从所选预算科目记录支出。" if assistance.source == "fund" else "不记录本会支出。")
    )
    return done or _page(request, form=form, title="批准帮扶", intro=intro, submit="批准")


# Donation campaigns --------------------------------------------------------------------------


def add_campaign(request):
    form = CampaignForm(request.POST or None, unions=_unions(request, Perm.CHANGE_CARE))
    done = _submit(
        request,
        form,
        lambda d: services.open_campaign(actor=request.user, **d),
        done=_change_url,
    )
    return done or _page(request, form=form, title="发起爱心捐款")


def _campaign_step(request, pk, form_class, act, title):
    campaign = _get(request, DonationCampaign, pk)
    unions = Union.objects.filter(pk=campaign.union_id)
    form = form_class(request.POST or None, unions=unions)
    done = _submit(
        request,
        form,
        lambda d: act(campaign=campaign, actor=request.user, **d),
        done=lambda r: _change_url(campaign),
    )
    totals = queries.campaign_totals(campaign)
    intro = (
        f"{campaign}（{campaign.opens_on:%Y-%m-%d}至{campaign.closes_on:%Y-%m-%d}）："
        f"已募集{totals['raised']}元，工会资助{totals['fund']}元，已交付{totals['delivered']}元。"
    )
    return done or _page(request, form=form, title=title, intro=intro)


@in_admin
def add_donation(request, pk):
    return _campaign_step(request, pk, DonationForm, services.record_donation, "登记捐款")


@in_admin
def add_fund(request, pk):
    return _campaign_step(request, pk, FundForm, services.contribute_from_fund, "工会经费资助")


@in_admin
def add_handover(request, pk):
    return _campaign_step(request, pk, HandoverForm, services.hand_over, "交付受助人")


# School aid -----------------------------------------------------------------------------------


def add_school_aid(request):
    form = SchoolAidForm(request.POST or None, unions=_unions(request, Perm.CHANGE_CARE))
    done = _submit(
        request,
        form,
        lambda d: services.apply_school_aid(actor=request.user, **d),
        done=_change_url,
    )
    return done or _page(request, form=form, title="金秋助学申请")


@in_admin
def approve_school_aid(request, pk):
    aid = _get(request, SchoolAid, pk)
    form = ApproveSchoolAidForm(request.POST or None, unions=Union.objects.filter(pk=aid.union_id))
    done = _submit(
        request,
        form,
        lambda d: services.approve_school_aid(aid=aid, actor=request.user, **d),
        done=_change_url,
    )
    return done or _page(
        request,
        form=form,
        title=f"批准助学：{aid}",
        intro="批准后从所选科目记录支出。",
        submit="批准",
    )


@in_admin
def decline_school_aid(request, pk):
    aid = _get(request, SchoolAid, pk)
    form = DeclineSchoolAidForm(request.POST or None)
    done = _submit(
        request,
        form,
        lambda d: services.decline_school_aid(aid=aid, actor=request.user, **d),
        done=_change_url,
    )
    return done or _page(request, form=form, title=f"不予批准：{aid}", submit="确认")


# Festival gifts --------------------------------------------------------------------------------


def add_gifts(request):
    form = GiftForm(request.POST or None, unions=_unions(request, Perm.CHANGE_CARE))

    def act(d):
        members = queries.festival_candidates(
            union=d["union"],
            groups=d["groups"],
            gender=d["gender"],
            birth_month=d["birth_month"],
        )
        return services.distribute_gifts(
            members=members,
            actor=request.user,
            **_without(d, "groups", "gender", "birth_month"),
        )

    done = _submit(request, form, act, done=_change_url)
    intro = "发放对象为本会在册会员，可按工会小组、性别、生日月份筛选；每人金额相同。"
    return done or _page(request, form=form, title="节日慰问发放", intro=intro)


# Medical mutual aid -------------------------------------------------------------------------------


def add_mutual_aid(request):
    form = MutualAidForm(request.POST or None, unions=_unions(request, Perm.CHANGE_CARE))
    done = _submit(
        request,
        form,
        lambda d: services.enrol_mutual_aid(actor=request.user, **d),
        done=lambda e: reverse("admin:care_mutualaidenrolment_changelist"),
    )
    return done or _page(request, form=form, title="医疗互助参保")
