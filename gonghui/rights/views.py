"""The 维权 screens that are more than a model list, inside the admin shell.

Each view finds its record among the unions where the user may see 维权
records (another union's record is 404), refuses a user without rights.change
in that union (403), and calls one service; the service's Chinese message
goes back on the form and nothing is written.
"""

from itertools import groupby

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from gonghui import backoffice
from gonghui.orgs.roles import Perm
from gonghui.rights import queries, services
from gonghui.rights.forms import (
    AnswerForm,
    CloseForm,
    ConsultationForm,
    ContractForm,
    DisputeForm,
    DraftForm,
    ExecutionCheckForm,
    FilingForm,
    ResolveForm,
    ResponseForm,
    RoundForm,
    SessionForm,
    SignForm,
    SupervisionForm,
    VoteForm,
)
from gonghui.rights.models import (
    MEDIATION_LIMIT_DAYS,
    Consultation,
    Contract,
    DisputeCase,
    Outcome,
    SupervisionCheck,
)

in_admin = backoffice.in_admin
_submit = backoffice.submit
change_url = backoffice.change_url


def _unions(request):
    return backoffice.unions_with(request, Perm.CHANGE_RIGHTS, "您没有维权工作的登记权限")


def _viewable(request, model, pk):
    """A record of a union where the user may see 维权 records; any other is 404."""
    return backoffice.record_of(request, model, pk, Perm.VIEW_RIGHTS)


def _changeable(request, model, pk):
    found = _viewable(request, model, pk)
    if not request.access.can(Perm.CHANGE_RIGHTS, found.union_id):
        raise PermissionDenied("您可以查看，但没有登记维权工作的权限")
    return found


def _page(request, **page):
    return backoffice.form_page(request, "rights/form.html", **page)


# Collective contracts --------------------------------------------------------------------


def add_contract(request):
    form = ContractForm(request.POST or None, unions=_unions(request))
    done = _submit(
        request,
        form,
        lambda d: services.create_contract(actor=request.user, **d),
        done=change_url,
    )
    intro = (
        "登记拟协商的集体合同或专项集体合同。保存后在合同页面逐轮记录协商、"
        "形成草案、提交职代会表决、签署和报送备案。"
    )
    return done or _page(request, form=form, title="新建集体合同", intro=intro)


def contract_page(request, contract: Contract):
    """The whole history of one contract, and what may be done next."""
    today = timezone.localdate()
    checks = list(contract.checks.order_by("-year", "checked_on", "id"))
    can_change = request.access.can(Perm.CHANGE_RIGHTS, contract.union_id)
    context = {
        **admin.site.each_context(request),
        "title": str(contract),
        "contract": contract,
        "alert": queries.expiry_alert(contract, today),
        "rounds": contract.rounds.order_by("number"),
        "drafts": contract.drafts.order_by("-version"),
        "checks_by_year": [(year, list(rows)) for year, rows in groupby(checks, lambda c: c.year)],
        "steps": _contract_steps(contract) if can_change else [],
        "list_url": reverse("admin:rights_contract_changelist"),
        "list_label": "集体合同列表",
        "resolution_url": (
            reverse("democracy:day", args=[contract.resolution.session_id])
            if contract.resolution_id and request.access.can(Perm.VIEW_DEMOCRACY, contract.union_id)
            else ""
        ),
    }
    return render(request, "rights/contract.html", context)


def _contract_steps(contract: Contract) -> list[tuple[str, str, str]]:
    """(label, url, icon) of the steps the contract's stage allows."""
    pk = contract.pk
    if contract.vote_passed and contract.signed_on is None:
        return [("登记签署", reverse("rights:sign", args=[pk]), "draw")]
    if contract.signed_on is None:
        steps = [
            ("记录协商会议", reverse("rights:hold_round", args=[pk]), "forum"),
            ("新增草案稿次", reverse("rights:add_draft", args=[pk]), "description"),
        ]
        if contract.drafts.exists():
            steps.append(
                ("登记职代会表决", reverse("rights:record_vote", args=[pk]), "how_to_vote")
            )
        return steps
    steps = []
    if contract.filed_on is None:
        steps.append(("报送备案", reverse("rights:file", args=[pk]), "approval"))
    steps.append(("履约检查", reverse("rights:check", args=[pk]), "fact_check"))
    return steps


def _contract_intro(contract: Contract) -> str:
    return (
        f"{contract}（{contract.get_kind_display()}，{contract.starts_on:%Y-%m-%d}至"
        f"{contract.ends_on:%Y-%m-%d}），当前进度：{contract.stage}。"
    )


def _contract_step(
    request, contract, form_class, step, *, title, submit="保存", intro="", **form_kw
):
    form = form_class(request.POST or None, **form_kw)
    done = _submit(
        request,
        form,
        lambda d: step(contract=contract, actor=request.user, **d),
        done=lambda _: change_url(contract),
        said=lambda _: f"{title}：已保存",
    )
    return done or _page(
        request,
        form=form,
        title=f"{title}：{contract}",
        intro=intro or _contract_intro(contract),
        submit=submit,
        back_url=change_url(contract),
    )


@in_admin
def hold_round(request, pk):
    contract = _changeable(request, Contract, pk)
    last = contract.rounds.order_by("-number").first()
    intro = _contract_intro(contract) + (
        f"本次为第{last.number + 1 if last else 1}轮协商。"
        + (f"上一轮于{last.held_on:%Y-%m-%d}举行。" if last else "")
    )
    return _contract_step(
        request, contract, RoundForm, services.hold_round, title="记录协商会议", intro=intro
    )


@in_admin
def add_draft(request, pk):
    contract = _changeable(request, Contract, pk)
    last = contract.drafts.order_by("-version").first()
    form_kw = {"initial": {"text": last.text}} if last else {}
    intro = _contract_intro(contract) + (
        f"在第{last.version}稿基础上修改，保存为第{last.version + 1}稿。"
        if last
        else "保存为第1稿。"
    )
    return _contract_step(
        request,
        contract,
        DraftForm,
        services.add_draft,
        title="新增草案稿次",
        intro=intro,
        **form_kw,
    )


@in_admin
def record_vote(request, pk):
    contract = _changeable(request, Contract, pk)
    latest = contract.drafts.order_by("-version").first()

    def vote(*, contract, actor, resolution=None, **counts):
        if resolution is not None:
            return services.link_resolution(contract=contract, resolution=resolution, actor=actor)
        return services.record_vote(contract=contract, actor=actor, **counts)

    intro = _contract_intro(contract) + (
        f"提交表决的是草案第{latest.version}稿（{latest.prepared_on:%Y-%m-%d}形成）。"
        "赞成票超过投票数一半为通过。"
        if latest
        else "还没有合同草案。"
    )
    return _contract_step(
        request,
        contract,
        VoteForm,
        vote,
        title="登记职代会表决",
        intro=intro,
        submit="登记表决结果",
        resolutions=queries.vote_resolutions(contract),
    )


@in_admin
def sign(request, pk):
    contract = _changeable(request, Contract, pk)
    intro = _contract_intro(contract) + (
        f"职代会于{contract.vote_on:%Y-%m-%d}表决通过草案。" if contract.vote_passed else ""
    )
    return _contract_step(
        request, contract, SignForm, services.sign, title="登记签署", intro=intro, submit="登记签署"
    )


@in_admin
def file(request, pk):
    contract = _changeable(request, Contract, pk)
    intro = _contract_intro(contract) + (
        f"合同于{contract.signed_on:%Y-%m-%d}签署，备案日期不能早于签署日期。"
        if contract.signed_on
        else ""
    )
    return _contract_step(
        request,
        contract,
        FilingForm,
        services.file,
        title="报送备案",
        intro=intro,
        submit="登记备案",
    )


@in_admin
def check(request, pk):
    contract = _changeable(request, Contract, pk)
    return _contract_step(
        request, contract, ExecutionCheckForm, services.check_execution, title="履约检查"
    )


@in_admin
def expiring(request):
    """Contracts in force that end within 90 days, and those already ended
    without a successor of the same kind: time to renegotiate."""
    unions = request.access.unions_with(Perm.VIEW_RIGHTS)
    if not unions:
        raise PermissionDenied("您没有查看维权记录的权限")
    today = timezone.localdate()
    rows = list(
        queries.expiring(union_ids=unions, today=today)
        .annotate(renewing=queries.has_successor())
        .select_related("union")
    )
    for row in rows:
        row.days_left = (row.ends_on - today).days
    lapsed = list(queries.lapsed(union_ids=unions, today=today).select_related("union"))
    context = {
        **admin.site.each_context(request),
        "title": "集体合同到期提醒",
        "rows": rows,
        "lapsed": lapsed,
        "today": today,
        "days": queries.EXPIRY_ALERT_DAYS,
    }
    return render(request, "rights/expiring.html", context)


# Dispute mediation ---------------------------------------------------------------------------


def add_dispute(request):
    form = DisputeForm(request.POST or None, unions=_unions(request))
    done = _submit(
        request,
        form,
        lambda d: services.open_dispute(actor=request.user, **d),
        done=change_url,
    )
    intro = (
        f"劳动争议调解委员会受理的案件。自受理之日起{MEDIATION_LIMIT_DAYS}日内未达成调解协议的，"
        "当事人可以依法申请仲裁。"
    )
    return done or _page(request, form=form, title="受理劳动争议调解申请", intro=intro)


def dispute_page(request, case: DisputeCase):
    today = timezone.localdate()
    can_change = request.access.can(Perm.CHANGE_RIGHTS, case.union_id)
    is_open = case.outcome == Outcome.OPEN
    context = {
        **admin.site.each_context(request),
        "title": str(case),
        "case": case,
        "days": case.days_open(today),
        "late": case.over_limit(today),
        "limit": MEDIATION_LIMIT_DAYS,
        "is_open": is_open,
        "sessions": case.sessions.order_by("held_on", "id"),
        "list_url": reverse("admin:rights_disputecase_changelist"),
        "list_label": "调解案件列表",
        "steps": (
            [
                ("记录调解", reverse("rights:record_session", args=[case.pk]), "forum"),
                ("结案", reverse("rights:close_dispute", args=[case.pk]), "task_alt"),
            ]
            if can_change and is_open
            else []
        ),
    }
    return render(request, "rights/dispute.html", context)


def _case_intro(case: DisputeCase, today) -> str:
    days = case.days_open(today)
    late = f"，已超过{MEDIATION_LIMIT_DAYS}日调解期限" if case.over_limit(today) else ""
    return (
        f"{case}。争议事项：{case.claim_labels}。请求：{case.claim_detail}（受理第{days}天{late}）"
    )


@in_admin
def record_session(request, pk):
    case = _changeable(request, DisputeCase, pk)
    form = SessionForm(request.POST or None)
    done = _submit(
        request,
        form,
        lambda d: services.record_session(case=case, actor=request.user, **d),
        done=lambda _: change_url(case),
    )
    return done or _page(
        request,
        form=form,
        title="记录调解",
        intro=_case_intro(case, timezone.localdate()),
        back_url=change_url(case),
    )


@in_admin
def close_dispute(request, pk):
    case = _changeable(request, DisputeCase, pk)
    form = CloseForm(request.POST or None)
    done = _submit(
        request,
        form,
        lambda d: services.close_dispute(case=case, actor=request.user, **d),
        done=lambda _: change_url(case),
        said=lambda c: f"已结案：{c.get_outcome_display()}，办结{c.days_to_close}天",
    )
    intro = _case_intro(case, timezone.localdate()) + (
        "。调解成功须填写调解协议并经双方当事人签字确认；调解不成的，"
        "系统记录已告知申请人申请仲裁；申请人撤回的须写明结案说明。"
    )
    return done or _page(
        request, form=form, title="调解结案", intro=intro, submit="结案", back_url=change_url(case)
    )


# Consultations and legal aid -------------------------------------------------------------------


def add_consultation(request):
    form = ConsultationForm(request.POST or None, unions=_unions(request))
    done = _submit(
        request,
        form,
        lambda d: services.record_consultation(actor=request.user, **d),
        done=change_url,
    )
    intro = "当场解答的直接选择“已解答”并填写解答意见；需要研究的选择“待答复”，之后再答复或转介。"
    return done or _page(request, form=form, title="登记法律咨询", intro=intro)


@in_admin
def answer_consultation(request, pk):
    consultation = _changeable(request, Consultation, pk)
    form = AnswerForm(request.POST or None)
    done = _submit(
        request,
        form,
        lambda d: services.answer_consultation(consultation=consultation, actor=request.user, **d),
        done=change_url,
        said=lambda c: f"已处理：{c.get_outcome_display()}",
    )
    intro = f"{consultation}：{consultation.question}"
    return done or _page(
        request,
        form=form,
        title="答复或转介咨询",
        intro=intro,
        submit="保存处理结果",
        back_url=change_url(consultation),
    )


# Labour-law supervision ----------------------------------------------------------------------------


def add_supervision(request):
    form = SupervisionForm(request.POST or None, unions=_unions(request))
    done = _submit(
        request,
        form,
        lambda d: services.record_supervision(actor=request.user, **d),
        done=change_url,
    )
    intro = (
        "检查用人单位遵守劳动法律法规的情况。发现问题的，工会向用人单位送达劳动法律监督意见书，"
        "之后登记用人单位的答复和整改情况。"
    )
    return done or _page(request, form=form, title="登记劳动法律监督检查", intro=intro)


def _check_intro(check: SupervisionCheck) -> str:
    sent = f"，意见书于{check.recommended_on:%Y-%m-%d}送达" if check.recommended_on else ""
    return f"{check}{sent}。检查情况：{check.finding}"


@in_admin
def print_letter(request, pk):
    """The union's 监督意见书 laid out on A4, to print, stamp and deliver."""
    check = _viewable(request, SupervisionCheck, pk)
    if check.compliant or not check.recommendation:
        raise Http404("该次检查未发现问题，没有监督意见书")
    context = {"check": check, "employer": queries.employer_of(check.union)}
    return render(request, "rights/letter_print.html", context)


@in_admin
def record_response(request, pk):
    check = _changeable(request, SupervisionCheck, pk)
    form = ResponseForm(request.POST or None)
    done = _submit(
        request,
        form,
        lambda d: services.record_response(check=check, actor=request.user, **d),
        done=change_url,
        said=lambda _: "已登记用人单位答复",
    )
    return done or _page(
        request,
        form=form,
        title="登记用人单位答复",
        intro=_check_intro(check),
        back_url=change_url(check),
    )


@in_admin
def mark_resolved(request, pk):
    check = _changeable(request, SupervisionCheck, pk)
    form = ResolveForm(request.POST or None)
    done = _submit(
        request,
        form,
        lambda d: services.mark_resolved(check=check, actor=request.user, **d),
        done=change_url,
        said=lambda c: f"已标记问题于{c.resolved_on:%Y-%m-%d}解决",
    )
    return done or _page(
        request,
        form=form,
        title="标记问题已解决",
        intro=_check_intro(check),
        submit="标记已解决",
        back_url=change_url(check),
    )
