"""The congress workbench inside the admin shell: the session day (open,
sign-in by list or QR, live quorum, agenda, votes, close, publish), the
composition check, the proposal board and the committee's decision. Each view
finds its object among the unions the user may see and calls one service."""

from functools import wraps

import segno
from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from gonghui.democracy.models import (
    AgendaKind,
    Congress,
    CongressSession,
    Proposal,
    Resolution,
    VoteChoice,
    VoteMode,
)
from gonghui.democracy.queries import congress as queries
from gonghui.democracy.queries import proposals as proposal_queries
from gonghui.democracy.services import congress as services
from gonghui.democracy.services import proposals as proposal_services
from gonghui.orgs.models import Department
from gonghui.orgs.roles import Perm


def in_admin(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        return admin.site.admin_view(view)(request, *args, **kwargs)

    return wrapped


def _get(request, model, pk, perm=Perm.VIEW_DEMOCRACY):
    obj = get_object_or_404(
        model.objects.filter(union__in=request.access.unions_with(Perm.VIEW_DEMOCRACY)), pk=pk
    )
    if not request.access.can(perm, obj.union_id):
        raise PermissionDenied("您没有该工会民主管理的修改权限")
    return obj


def _errors(request, error: ValidationError):
    for message in error.messages:
        messages.error(request, message)


def _context(request, title, **extra):
    return {**admin.site.each_context(request), "title": title, **extra}


# The session day ------------------------------------------------------------------


def _day_context(request, session):
    representatives = list(
        queries.representatives_on(session.congress, session.date)
        .select_related("member", "group")
        .order_by("group__name", "member__name_initials", "id")
    )
    signed = dict(session.attendances.values_list("representative_id", "how"))
    present = [r for r in representatives if r.pk in signed]
    resolutions = list(session.resolutions.select_related("agenda_item"))
    return _context(
        request,
        f"{session}：会务",
        session=session,
        can_change=request.access.can(Perm.CHANGE_DEMOCRACY, session.union_id),
        quorum=queries.quorum(session),
        rows=[{"rep": r, "how": signed.get(r.pk)} for r in representatives],
        present=present,
        agenda=list(session.agenda.all()),
        resolutions=resolutions,
        agenda_kinds=AgendaKind.choices,
        vote_modes=VoteMode.choices,
        vote_choices=VoteChoice.choices,
    )


@in_admin
def day(request, pk):
    session = _get(request, CongressSession, pk)
    return render(request, "democracy/congress/day.html", _day_context(request, session))


@in_admin
def quorum(request, pk):
    session = _get(request, CongressSession, pk)
    return render(
        request,
        "democracy/congress/_quorum.html",
        {"session": session, "quorum": queries.quorum(session)},
    )


def _step(request, pk, act, done: str):
    session = _get(request, CongressSession, pk, Perm.CHANGE_DEMOCRACY)
    try:
        act(session)
    except ValidationError as e:
        _errors(request, e)
    else:
        messages.success(request, done)
    return redirect(reverse("democracy:day", args=[session.pk]))


@require_POST
@in_admin
def open_session(request, pk):
    return _step(
        request, pk, lambda s: services.open_session(session=s, actor=request.user), "大会已开幕"
    )


@require_POST
@in_admin
def sign_in(request, pk):
    def act(session):
        everyone = list(queries.representatives_on(session.congress, session.date))
        ticked = {int(v) for v in request.POST.getlist("present") if v.isdigit()}
        services.sign_in(
            session=session,
            representatives=[r for r in everyone if r.pk in ticked],
            actor=request.user,
        )
        services.cancel_sign_in(
            session=session,
            representatives=[r for r in everyone if r.pk not in ticked],
            actor=request.user,
        )

    return _step(request, pk, act, "签到名单已保存")


@require_POST
@in_admin
def add_agenda(request, pk):
    return _step(
        request,
        pk,
        lambda s: services.add_agenda_item(
            session=s,
            kind=request.POST.get("kind", ""),
            title=request.POST.get("title", ""),
            presenter=request.POST.get("presenter", ""),
            document=request.POST.get("document", ""),
            vote_mode=request.POST.get("vote_mode", ""),
            resolution_text=request.POST.get("resolution_text", ""),
            actor=request.user,
        ),
        "议程已添加",
    )


def _resolution(session, resolution_id) -> Resolution:
    return get_object_or_404(Resolution, session=session, pk=resolution_id)


@require_POST
@in_admin
def open_vote(request, pk, resolution_id):
    def act(session):
        resolution = _resolution(session, resolution_id)
        present = session.attendances.select_related("representative__member")
        votes = {}
        for attendance in present:
            choice = request.POST.get(f"vote_{attendance.representative_id}", "")
            if choice:
                votes[attendance.representative] = choice
        services.record_open_vote(resolution=resolution, votes=votes, actor=request.user)

    return _step(request, pk, act, "表决结果已登记")


@require_POST
@in_admin
def secret_tally(request, pk, resolution_id):
    def act(session):
        services.record_secret_tally(
            resolution=_resolution(session, resolution_id),
            votes_for=request.POST.get("votes_for"),
            votes_against=request.POST.get("votes_against"),
            votes_abstain=request.POST.get("votes_abstain"),
            tellers=request.POST.get("tellers", ""),
            actor=request.user,
        )

    return _step(request, pk, act, "计票结果已登记")


@require_POST
@in_admin
def close_session(request, pk):
    return _step(
        request,
        pk,
        lambda s: services.close_session(
            session=s, minutes=request.POST.get("minutes", ""), actor=request.user
        ),
        "大会已闭幕",
    )


@require_POST
@in_admin
def publish(request, pk):
    return _step(
        request,
        pk,
        lambda s: services.publish_results(session=s, actor=request.user),
        "决议和会议纪要已在厂务（校务）公开栏发布",
    )


@in_admin
def qr(request, pk):
    session = _get(request, CongressSession, pk, Perm.CHANGE_DEMOCRACY)
    try:
        token = services.issue_token(session=session)
    except ValidationError as e:
        _errors(request, e)
        return redirect("democracy:day", pk=session.pk)
    url = request.build_absolute_uri(reverse("democracy_portal:check_in", args=[token.token]))
    qr_svg = segno.make(url, error="m").svg_inline(scale=8, border=2, title="代表签到二维码")
    return render(
        request,
        "democracy/congress/qr.html",
        _context(
            request,
            f"{session}：扫码签到",
            session=session,
            token=token,
            check_in_url=url,
            qr_svg=mark_safe(qr_svg),  # noqa: S308 - segno's own markup, no user text
            quorum=queries.quorum(session),
        ),
    )


# Composition ------------------------------------------------------------------------


@in_admin
def composition(request, pk):
    congress = _get(request, Congress, pk)
    return render(
        request,
        "democracy/congress/composition.html",
        _context(
            request,
            f"{congress}：代表构成",
            congress=congress,
            c=queries.composition(congress),
        ),
    )


# Proposals --------------------------------------------------------------------------


@in_admin
def board(request, pk):
    session = _get(request, CongressSession, pk)
    proposals = Proposal.objects.filter(session=session)
    return render(
        request,
        "democracy/congress/board.html",
        _context(
            request,
            f"{session}：提案看板",
            session=session,
            columns=proposal_queries.board(proposals),
            summary=proposal_queries.summary(proposals),
        ),
    )


@in_admin
def overdue(request):
    """For the chair: every proposal still owed a reply after its deadline."""
    unions = request.access.unions_with(Perm.VIEW_DEMOCRACY)
    if not unions:
        raise PermissionDenied("您没有民主管理的查看权限")
    late = proposal_queries.with_counts(
        proposal_queries.overdue(Proposal.objects.filter(union__in=unions))
    ).order_by("deadline")
    today = timezone.localdate()
    rows = [{"p": p, "days": (today - p.deadline).days} for p in late]
    return render(
        request, "democracy/congress/overdue.html", _context(request, "逾期未答复的提案", rows=rows)
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="审查结果",
        choices=list(proposal_services.DECISIONS.items()),
        widget=forms.RadioSelect,
    )
    lead_department = forms.ModelChoiceField(
        label="主办部门", queryset=Department.objects.none(), required=False
    )
    helper_departments = forms.ModelMultipleChoiceField(
        label="协办部门",
        queryset=Department.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    deadline = forms.DateField(
        label="办理期限", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(
        label="审查意见/不立案理由", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, union_id, **kwargs):
        super().__init__(*args, **kwargs)
        departments = Department.objects.filter(union_id=union_id)
        self.fields["lead_department"].queryset = departments
        self.fields["helper_departments"].queryset = departments


@in_admin
def decide(request, pk):
    proposal = _get(request, Proposal, pk, Perm.CHANGE_DEMOCRACY)
    form = DecisionForm(request.POST or None, union_id=proposal.union_id)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            proposal_services.decide_proposal(
                proposal=proposal,
                decision=data["decision"],
                lead_department=data["lead_department"],
                helper_departments=data["helper_departments"],
                deadline=data["deadline"],
                reason=data["reason"],
                actor=request.user,
            )
        except ValidationError as e:
            for field, errors in e.message_dict.items():
                target = {"decision_reason": "reason"}.get(field, field)
                form.add_error(target if target in form.fields else None, errors)
        else:
            messages.success(request, f"已审查：{proposal.get_state_display()}")
            return redirect("democracy:board", pk=proposal.session_id)
    return render(
        request,
        "democracy/congress/decide.html",
        _context(
            request,
            f"审查提案：{proposal.title}",
            proposal=proposal,
            form=form,
            co_signers=[c.representative for c in proposal.co_signatures.all()],
            today=timezone.localdate(),
        ),
    )
