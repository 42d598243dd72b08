"""Congress and proposal endpoints: the session day (open, sign-in by list or
by the hall's code, quorum, open votes, secret tallies, close, publish) and
every proposal step (draft, co-sign, submit, decide, reply, rate).

Staff steps need democracy.change in the record's union; a representative's
steps (draft, co-sign, submit, rate, sign in by code) and a handler's reply act
as the caller's own member record. Objects are found through the scoped
managers, so another union's ids answer 404. Every write goes through
democracy.services.
"""

from datetime import date
from functools import wraps
from typing import Literal

import ninja
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404
from ninja import Path, Router, Schema
from ninja.decorators import decorate_view

from gonghui.api import errors, schemas
from gonghui.api.access import require, viewable_unions
from gonghui.api.guards import guard
from gonghui.api.schemas import ObjectId, Strict, text
from gonghui.democracy.models import (
    CongressSession,
    Proposal,
    ProposalCategory,
    Rating,
    Representative,
    Resolution,
    VoteChoice,
)
from gonghui.democracy.queries import congress as queries
from gonghui.democracy.queries import proposals as proposal_queries
from gonghui.democracy.services import congress as services
from gonghui.democracy.services import proposals as proposal_services
from gonghui.orgs.models import Department
from gonghui.orgs.roles import Perm
from gonghui.tenancy import request_user

router = Router(tags=["职代会与提案"])

SessionId = Path(..., ge=1, le=schemas.MAX_ID, description="大会会议编号")
ResolutionId = Path(..., ge=1, le=schemas.MAX_ID, description="表决事项编号")
ProposalId = Path(..., ge=1, le=schemas.MAX_ID, description="提案编号")
ERRORS = {400: schemas.ErrorOut, 403: schemas.ErrorOut, 404: schemas.ErrorOut}
NO_VIEW = "您没有查看民主管理记录的权限"

for _field, _label in {
    "representatives": "代表",
    "token": "签到码",
    "votes": "表决意见",
    "votes_for": "赞成票",
    "votes_against": "反对票",
    "votes_abstain": "弃权票",
    "tellers": "计票人",
    "minutes": "会议纪要",
    "title": "案由",
    "reason": "理由",
    "measures": "建议措施",
    "decision": "审查结果",
    "lead_department": "主办部门",
    "helper_departments": "协办部门",
    "deadline": "办理期限",
    "body": "答复内容",
    "rating": "评价",
    "comment": "评价意见",
}.items():
    errors.FIELD_LABELS.setdefault(_field, _label)

ChoiceValue = Literal[tuple(VoteChoice.values)]  # type: ignore[valid-type]
CategoryValue = Literal[tuple(ProposalCategory.values)]  # type: ignore[valid-type]
RatingValue = Literal[tuple(Rating.values)]  # type: ignore[valid-type]
DecisionValue = Literal["accept", "convert", "reject"]


# Shapes --------------------------------------------------------------------------------


class CongressQuorumOut(Schema):
    total: int
    present: int
    needed: int
    reached: bool
    rule: str


class CongressResolutionOut(Schema):
    id: int
    title: str
    text: str
    mode: str
    state: str
    state_label: str
    votes_for: int
    votes_against: int
    votes_abstain: int
    basis: int


class CongressAgendaOut(Schema):
    id: int
    order: int
    kind: str
    title: str
    presenter: str


class CongressSessionOut(Schema):
    id: int
    union: int
    congress: str
    number: int
    date: date
    place: str
    state: str
    proposals_open_on: date | None
    proposals_close_on: date | None
    quorum: CongressQuorumOut
    agenda: list[CongressAgendaOut]
    resolutions: list[CongressResolutionOut]


class CongressSignInIn(Strict):
    representatives: list[ObjectId]


class CongressCheckInIn(Strict):
    token: text(64)


class CongressVoteIn(Strict):
    representative: ObjectId
    choice: ChoiceValue


class CongressOpenVoteIn(Strict):
    votes: list[CongressVoteIn]


class CongressTallyIn(Strict):
    votes_for: int
    votes_against: int = 0
    votes_abstain: int = 0
    tellers: text(120)


class CongressCloseIn(Strict):
    minutes: text(20000) = ""


class CongressProposalOut(Schema):
    id: int
    union: int
    session: int
    number: int | None
    proposer: str
    title: str
    reason: str
    measures: str
    category: str
    state: str
    state_label: str
    co_signers: list[str]
    lead_department: str | None
    deadline: date | None
    overdue: bool


class CongressProposalIn(Strict):
    title: text(200)
    reason: text(5000)
    measures: text(5000)
    category: CategoryValue = "other"


class CongressDecisionIn(Strict):
    decision: DecisionValue
    lead_department: ObjectId | None = None
    helper_departments: list[ObjectId] = []
    deadline: date | None = None
    reason: text(300) = ""


class CongressReplyIn(Strict):
    body: text(10000)


class CongressRateIn(Strict):
    rating: RatingValue
    comment: text(300) = ""


# Finding things -----------------------------------------------------------------------


def _session(request, pk: int, perm: str = Perm.VIEW_DEMOCRACY) -> CongressSession:
    session = CongressSession.objects.select_related("congress").filter(pk=pk).first()
    if session is None:
        raise Http404
    require(request, Perm.VIEW_DEMOCRACY, session.union_id)
    require(request, perm, session.union_id)
    return session


def _user(request):
    return getattr(request, "auth", None) or request_user(request)


def _member(request):
    try:
        return _user(request).member
    except (ObjectDoesNotExist, AttributeError):
        raise ValidationError({"member": "您的账号没有关联会员信息"}) from None


def _proposal_for_member(request, pk: int) -> Proposal:
    """A proposal the caller may act on as a representative or handler, or staff who may view it."""
    proposal = Proposal.objects.select_related("session__congress", "proposer__member").filter(
        pk=pk
    )
    proposal = proposal.first()
    if proposal is None:
        raise Http404
    if request.access.can(Perm.VIEW_DEMOCRACY, proposal.union_id):
        return proposal
    member = getattr(_user(request), "member", None)
    if member is None or member.union_id != proposal.union_id:
        raise Http404
    representative = queries.representative_of(member)
    mine = representative and representative.congress_id == proposal.session.congress_id
    handled = proposal_queries.for_handler(_user(request)).filter(pk=pk).exists()
    if not (mine or handled):
        raise Http404
    return proposal


def member_guard(view):
    """Like api.guards.guard for steps a member takes as themself: find the proposal
    in the path before the body is read, so a caller who may not act on it gets 404
    rather than learning the body's shape from a 422."""

    def decorator(run):
        @wraps(run)
        def checked(request, *args, **kwargs):
            try:
                _proposal_for_member(request, int(kwargs.get("proposal_id")))
            except (TypeError, ValueError):
                pass  # malformed: the view's own validation answers 422
            except Http404 as exc:
                from gonghui.api.v1 import api

                return api.on_exception(request, exc)
            return run(request, *args, **kwargs)

        return checked

    return decorate_view(decorator)(view)


def _representative(request) -> Representative:
    representative = queries.representative_of(_member(request))
    if representative is None:
        raise ValidationError({"member": "您不是本届代表"})
    return representative


def session_out(session: CongressSession) -> dict:
    return {
        "id": session.pk,
        "union": session.union_id,
        "congress": str(session.congress),
        "number": session.number,
        "date": session.date,
        "place": session.place,
        "state": session.state,
        "proposals_open_on": session.proposals_open_on,
        "proposals_close_on": session.proposals_close_on,
        "quorum": queries.quorum(session),
        "agenda": list(session.agenda.values("id", "order", "kind", "title", "presenter")),
        "resolutions": [
            {
                "id": r.pk,
                "title": r.agenda_item.title,
                "text": r.text,
                "mode": r.mode,
                "state": r.state,
                "state_label": r.get_state_display(),
                "votes_for": r.votes_for,
                "votes_against": r.votes_against,
                "votes_abstain": r.votes_abstain,
                "basis": r.basis,
            }
            for r in session.resolutions.select_related("agenda_item")
        ],
    }


def proposal_out(p: Proposal) -> dict:
    p.refresh_from_db()
    overdue = proposal_queries.overdue(Proposal.objects.filter(pk=p.pk)).exists()
    return {
        "id": p.pk,
        "union": p.union_id,
        "session": p.session_id,
        "number": p.number,
        "proposer": p.proposer.member.name,
        "title": p.title,
        "reason": p.reason,
        "measures": p.measures,
        "category": p.category,
        "state": p.state,
        "state_label": p.get_state_display(),
        "co_signers": [c.representative.member.name for c in p.co_signatures.all()],
        "lead_department": p.lead_department.name if p.lead_department_id else None,
        "deadline": p.deadline,
        "overdue": overdue,
    }


# Sessions -----------------------------------------------------------------------------


@router.get(
    "/congress/sessions", response={200: list[CongressSessionOut], **ERRORS}, summary="大会会议列表"
)
def list_sessions(request):
    unions = viewable_unions(request, Perm.VIEW_DEMOCRACY, NO_VIEW)
    rows = CongressSession.objects.filter(union__in=unions).select_related("congress")
    return [session_out(s) for s in rows.order_by("-date", "-id")[:100]]


@router.get(
    "/congress/sessions/{session_id}",
    response={200: CongressSessionOut, **ERRORS},
    summary="会议详情：法定人数、议程和表决",
)
def get_session(request, session_id: int = SessionId):
    return session_out(_session(request, session_id))


@router.post(
    "/congress/sessions/{session_id}/open",
    response={200: CongressSessionOut, **ERRORS},
    summary="宣布开幕",
)
@guard(Perm.CHANGE_DEMOCRACY, session_id=CongressSession)
def open_session(request, session_id: int = SessionId):
    session = _session(request, session_id, Perm.CHANGE_DEMOCRACY)
    return session_out(services.open_session(session=session, actor=_user(request)))


@router.post(
    "/congress/sessions/{session_id}/sign-ins",
    response={200: CongressSessionOut, **ERRORS},
    summary="名单签到",
)
@guard(Perm.CHANGE_DEMOCRACY, session_id=CongressSession)
def sign_in(request, payload: CongressSignInIn, session_id: int = SessionId):
    session = _session(request, session_id, Perm.CHANGE_DEMOCRACY)
    reps = list(Representative.objects.filter(pk__in=payload.representatives))
    if len(reps) != len(set(payload.representatives)):
        raise ValidationError({"representatives": "本工会中未找到部分代表编号"})
    services.sign_in(session=session, representatives=reps, actor=_user(request))
    return session_out(session)


@router.post(
    "/congress/check-ins",
    response={201: CongressSessionOut, **ERRORS},
    summary="代表凭会场签到码签到",
)
def check_in(request, payload: CongressCheckInIn):
    attendance = services.sign_in_by_token(token=payload.token, member=_member(request))
    return ninja.Status(201, session_out(attendance.session))


@router.post(
    "/congress/sessions/{session_id}/resolutions/{resolution_id}/open-votes",
    response={200: CongressSessionOut, **ERRORS},
    summary="登记公开表决（逐人）",
)
@guard(Perm.CHANGE_DEMOCRACY, session_id=CongressSession, resolution_id=Resolution)
def open_vote(
    request,
    payload: CongressOpenVoteIn,
    session_id: int = SessionId,
    resolution_id: int = ResolutionId,
):
    session = _session(request, session_id, Perm.CHANGE_DEMOCRACY)
    resolution = Resolution.objects.filter(session=session, pk=resolution_id).first()
    if resolution is None:
        raise Http404
    reps = {
        r.pk: r
        for r in Representative.objects.filter(
            congress=session.congress_id, pk__in=[v.representative for v in payload.votes]
        ).select_related("member")
    }
    missing = [str(v.representative) for v in payload.votes if v.representative not in reps]
    if missing:
        raise ValidationError({"votes": "本届代表中未找到：" + "、".join(missing)})
    services.record_open_vote(
        resolution=resolution,
        votes={reps[v.representative]: v.choice for v in payload.votes},
        actor=_user(request),
    )
    return session_out(session)


@router.post(
    "/congress/sessions/{session_id}/resolutions/{resolution_id}/tally",
    response={200: CongressSessionOut, **ERRORS},
    summary="登记无记名投票计票结果",
)
@guard(Perm.CHANGE_DEMOCRACY, session_id=CongressSession, resolution_id=Resolution)
def secret_tally(
    request,
    payload: CongressTallyIn,
    session_id: int = SessionId,
    resolution_id: int = ResolutionId,
):
    session = _session(request, session_id, Perm.CHANGE_DEMOCRACY)
    resolution = Resolution.objects.filter(session=session, pk=resolution_id).first()
    if resolution is None:
        raise Http404
    services.record_secret_tally(resolution=resolution, actor=_user(request), **payload.dict())
    return session_out(session)


@router.post(
    "/congress/sessions/{session_id}/close",
    response={200: CongressSessionOut, **ERRORS},
    summary="闭幕",
)
@guard(Perm.CHANGE_DEMOCRACY, session_id=CongressSession)
def close_session(request, payload: CongressCloseIn, session_id: int = SessionId):
    session = _session(request, session_id, Perm.CHANGE_DEMOCRACY)
    services.close_session(session=session, minutes=payload.minutes, actor=_user(request))
    return session_out(session)


@router.post(
    "/congress/sessions/{session_id}/publish",
    response={200: CongressSessionOut, **ERRORS},
    summary="公开决议和会议纪要",
)
@guard(Perm.CHANGE_DEMOCRACY, session_id=CongressSession)
def publish(request, session_id: int = SessionId):
    session = _session(request, session_id, Perm.CHANGE_DEMOCRACY)
    services.publish_results(session=session, actor=_user(request))
    return session_out(session)


# Proposals ----------------------------------------------------------------------------


@router.get(
    "/congress/proposals", response={200: list[CongressProposalOut], **ERRORS}, summary="提案列表"
)
def list_proposals(request):
    """Staff see their unions' proposals; a representative those of their congress;
    a handler those led by their department."""
    unions = request.access.unions_with(Perm.VIEW_DEMOCRACY)
    if unions:
        rows = Proposal.objects.filter(union__in=unions)
    else:
        member = getattr(_user(request), "member", None)
        representative = queries.representative_of(member) if member else None
        rows = proposal_queries.for_handler(_user(request))
        if representative is not None:
            rows = rows | proposal_queries.of_congress(representative.congress_id)
    rows = rows.select_related("proposer__member", "lead_department").order_by("-id")[:200]
    return [proposal_out(p) for p in rows]


@router.post(
    "/congress/proposals", response={201: CongressProposalOut, **ERRORS}, summary="代表起草提案"
)
def draft_proposal(request, payload: CongressProposalIn):
    representative = _representative(request)
    session = queries.current_session(representative.congress)
    if session is None:
        raise ValidationError({"session": "本届大会还没有安排会议，暂不能提出提案"})
    proposal = proposal_services.draft_proposal(
        session=session, proposer=representative, **payload.dict()
    )
    return ninja.Status(201, proposal_out(proposal))


@router.get(
    "/congress/proposals/{proposal_id}",
    response={200: CongressProposalOut, **ERRORS},
    summary="提案详情",
)
def get_proposal(request, proposal_id: int = ProposalId):
    return proposal_out(_proposal_for_member(request, proposal_id))


@router.post(
    "/congress/proposals/{proposal_id}/co-signatures",
    response={200: CongressProposalOut, **ERRORS},
    summary="附议提案",
)
def co_sign(request, proposal_id: int = ProposalId):
    proposal = _proposal_for_member(request, proposal_id)
    proposal_services.co_sign(proposal=proposal, representative=_representative(request))
    return proposal_out(proposal)


@router.post(
    "/congress/proposals/{proposal_id}/submit",
    response={200: CongressProposalOut, **ERRORS},
    summary="提交提案",
)
def submit(request, proposal_id: int = ProposalId):
    proposal = _proposal_for_member(request, proposal_id)
    return proposal_out(
        proposal_services.submit_proposal(proposal=proposal, member=_member(request))
    )


@router.post(
    "/congress/proposals/{proposal_id}/decision",
    response={200: CongressProposalOut, **ERRORS},
    summary="提案审查：立案、转为意见建议或不予立案",
)
@guard(Perm.CHANGE_DEMOCRACY, proposal_id=Proposal)
def decide(request, payload: CongressDecisionIn, proposal_id: int = ProposalId):
    proposal = _proposal_for_member(request, proposal_id)
    require(request, Perm.CHANGE_DEMOCRACY, proposal.union_id)
    departments = {
        d.pk: d
        for d in Department.objects.filter(
            union_id=proposal.union_id,
            pk__in=[*payload.helper_departments, payload.lead_department or 0],
        )
    }
    if payload.lead_department and payload.lead_department not in departments:
        raise ValidationError({"lead_department": "本工会中未找到该部门"})
    if any(pk not in departments for pk in payload.helper_departments):
        raise ValidationError({"helper_departments": "本工会中未找到部分协办部门"})
    proposal_services.decide_proposal(
        proposal=proposal,
        decision=payload.decision,
        lead_department=departments.get(payload.lead_department),
        helper_departments=[departments[pk] for pk in payload.helper_departments],
        deadline=payload.deadline,
        reason=payload.reason,
        actor=_user(request),
    )
    return proposal_out(proposal)


@router.post(
    "/congress/proposals/{proposal_id}/replies",
    response={201: CongressProposalOut, **ERRORS},
    summary="承办部门答复提案",
)
@member_guard
def reply(request, payload: CongressReplyIn, proposal_id: int = ProposalId):
    proposal = _proposal_for_member(request, proposal_id)
    proposal_services.reply_to_proposal(proposal=proposal, user=_user(request), body=payload.body)
    return ninja.Status(201, proposal_out(proposal))


@router.post(
    "/congress/proposals/{proposal_id}/rating",
    response={200: CongressProposalOut, **ERRORS},
    summary="提案人评价答复",
)
@member_guard
def rate(request, payload: CongressRateIn, proposal_id: int = ProposalId):
    proposal = _proposal_for_member(request, proposal_id)
    proposal_services.rate_reply(
        proposal=proposal, member=_member(request), rating=payload.rating, comment=payload.comment
    )
    return proposal_out(proposal)
