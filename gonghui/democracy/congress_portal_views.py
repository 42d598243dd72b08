"""The representatives' congress pages (phone first): my congress (agenda,
documents, proposals), draft, co-sign and submit a proposal, rate a reply,
sign in by the hall's QR code; and the department handler's reply page. Each
finds its object in the member's own union and calls one service."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from gonghui.democracy.models import (
    AgendaItem,
    Proposal,
    ProposalCategory,
    ProposalState,
    Rating,
    SessionAttendance,
)
from gonghui.democracy.models.proposals import PENDING_REPLY
from gonghui.democracy.queries import congress as queries
from gonghui.democracy.queries import proposals as proposal_queries
from gonghui.democracy.services import congress as services
from gonghui.democracy.services import proposals as proposal_services

LOGIN_URL = "/login/"


def _member(request):
    try:
        return request.user.member
    except ObjectDoesNotExist:
        raise Http404("您的账号没有关联会员信息，请联系本单位工会") from None


def _show(request, error: ValidationError):
    for message in error.messages:
        messages.error(request, message)


def _proposal(request, member, pk) -> Proposal:
    """A proposal the member may see: of their congress, or led by their department."""
    proposal = get_object_or_404(
        Proposal.objects.select_related("session__congress", "proposer__member", "lead_department"),
        pk=pk,
        union=member.union,
    )
    representative = queries.representative_of(member)
    of_my_congress = (
        representative is not None and representative.congress_id == proposal.session.congress_id
    )
    handled = proposal_queries.for_handler(request.user).filter(pk=proposal.pk).exists()
    if not (of_my_congress or handled):
        raise Http404("没有找到该提案")
    return proposal


class ProposalForm(forms.Form):
    title = forms.CharField(label="案由", max_length=200)
    category = forms.ChoiceField(label="类别", choices=ProposalCategory.choices)
    reason = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 5}))
    measures = forms.CharField(label="建议措施", widget=forms.Textarea(attrs={"rows": 5}))


@login_required(login_url=LOGIN_URL)
def home(request):
    member = _member(request)
    representative = queries.representative_of(member)
    handling = list(
        proposal_queries.with_counts(
            proposal_queries.for_handler(request.user).filter(state__in=PENDING_REPLY)
        ).order_by("deadline")
    )
    context = {
        "member": member,
        "representative": representative,
        "handling": handling,
        "today": timezone.localdate(),
    }
    if representative is not None:
        congress = representative.congress
        session = queries.current_session(congress)
        context.update(
            congress=congress,
            session=session,
            agenda=list(session.agenda.all()) if session else [],
            quorum=queries.quorum(session) if session else None,
            signed_in=bool(
                session
                and SessionAttendance.objects.filter(
                    session=session, representative=representative
                ).exists()
            ),
            proposals=list(
                proposal_queries.with_counts(proposal_queries.of_congress(congress.pk)).order_by(
                    "-session__date", "number", "id"
                )
            ),
        )
    return render(request, "democracy/congress/portal/home.html", context)


@login_required(login_url=LOGIN_URL)
def agenda_item(request, pk):
    member = _member(request)
    representative = queries.representative_of(member)
    item = get_object_or_404(AgendaItem.objects.select_related("session"), pk=pk)
    if representative is None or item.session.congress_id != representative.congress_id:
        raise Http404("没有找到该议程")
    return render(request, "democracy/congress/portal/agenda_item.html", {"item": item})


@login_required(login_url=LOGIN_URL)
def new_proposal(request):
    member = _member(request)
    representative = queries.representative_of(member)
    if representative is None:
        raise Http404("您不是本届代表，不能提出提案")
    session = queries.current_session(representative.congress)
    if session is None:
        messages.error(request, "本届大会还没有安排会议，暂不能提出提案")
        return redirect("democracy_portal:home")
    form = ProposalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = proposal_services.draft_proposal(
                session=session, proposer=representative, **form.cleaned_data
            )
        except ValidationError as e:
            for field, errors in e.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, "提案草稿已保存，请邀请其他代表附议后提交")
            return redirect("democracy_portal:proposal", pk=proposal.pk)
    return render(request, "democracy/congress/portal/new.html", {"form": form, "session": session})


@login_required(login_url=LOGIN_URL)
def proposal_detail(request, pk):
    member = _member(request)
    proposal = _proposal(request, member, pk)
    representative = queries.representative_of(member)
    is_proposer = proposal.proposer.member_id == member.pk
    can_reply = proposal.state in PENDING_REPLY and not proposal_services.handler_department_error(
        proposal=proposal, user=request.user
    )
    return render(
        request,
        "democracy/congress/portal/proposal.html",
        {
            "proposal": proposal,
            "co_signers": [c.representative for c in proposal.co_signatures.all()],
            "replies": list(proposal.replies.select_related("department")),
            "is_proposer": is_proposer,
            "can_co_sign": proposal.state == ProposalState.DRAFT
            and not is_proposer
            and representative is not None
            and representative.congress_id == proposal.session.congress_id
            and not proposal_queries.has_co_signed(proposal, representative),
            "has_co_signed": proposal_queries.has_co_signed(proposal, representative),
            "can_rate": is_proposer and proposal.state == ProposalState.REPLIED,
            "can_reply": can_reply,
            "ratings": Rating.choices,
            "minimum": proposal.session.congress.co_signers_min,
        },
    )


def _post_step(request, pk, act, done):
    member = _member(request)
    proposal = _proposal(request, member, pk)
    try:
        act(member, proposal)
    except ValidationError as e:
        _show(request, e)
    else:
        messages.success(request, done)
    return redirect("democracy_portal:proposal", pk=proposal.pk)


@require_POST
@login_required(login_url=LOGIN_URL)
def co_sign(request, pk):
    def act(member, proposal):
        representative = queries.representative_of(member)
        if representative is None:
            raise ValidationError({"representative": "您不是本届代表，不能附议"})
        proposal_services.co_sign(proposal=proposal, representative=representative)

    return _post_step(request, pk, act, "已附议")


@require_POST
@login_required(login_url=LOGIN_URL)
def submit(request, pk):
    return _post_step(
        request,
        pk,
        lambda member, p: proposal_services.submit_proposal(proposal=p, member=member),
        "提案已提交，等待提案工作委员会审查",
    )


@require_POST
@login_required(login_url=LOGIN_URL)
def rate(request, pk):
    return _post_step(
        request,
        pk,
        lambda member, p: proposal_services.rate_reply(
            proposal=p,
            member=member,
            rating=request.POST.get("rating", ""),
            comment=request.POST.get("comment", ""),
        ),
        "评价已提交，谢谢",
    )


@require_POST
@login_required(login_url=LOGIN_URL)
def reply(request, pk):
    return _post_step(
        request,
        pk,
        lambda member, p: proposal_services.reply_to_proposal(
            proposal=p, user=request.user, body=request.POST.get("body", "")
        ),
        "答复已提交，等待提案人评价",
    )


@login_required(login_url=LOGIN_URL)
def check_in(request, token):
    """GET shows the session being signed in to; POST signs in."""
    member = _member(request)
    session = queries.session_for_token(token=token, member=member)
    if request.method == "POST":
        try:
            services.sign_in_by_token(token=token, member=member)
        except ValidationError as e:
            _show(request, e)
        else:
            messages.success(request, "签到成功")
            return redirect("democracy_portal:home")
    attended = None
    if session is not None:
        attended = SessionAttendance.objects.filter(
            session=session, representative__member=member
        ).first()
    return render(
        request,
        "democracy/congress/portal/check_in.html",
        {"session": session, "member": member, "attended": attended},
    )
