"""Every step of a proposal (提案): a representative drafts it, others co-sign,
the proposer submits it within the session's window, the proposal committee
decides (accept with a lead department and deadline, convert to an opinion,
or not accept with a reason), the lead department's handler replies, and the
proposer rates the reply; 不满意 reopens it once for a second reply."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from gonghui.democracy.models import (
    CongressSession,
    CoSignature,
    Proposal,
    ProposalCategory,
    ProposalReply,
    ProposalState,
    Rating,
    Representative,
)
from gonghui.democracy.models.proposals import PENDING_REPLY
from gonghui.members.models import Member
from gonghui.orgs.models import Department, RoleAssignment
from gonghui.orgs.roles import Role

ACCEPT = "accept"
CONVERT = "convert"
REJECT = "reject"
DECISIONS = {ACCEPT: "立案", CONVERT: "转为意见建议", REJECT: "不予立案"}


def _today(today):
    return today or timezone.localdate()


def _clean_text(values: dict, errors: dict) -> dict:
    cleaned = {}
    for field, label in (("title", "案由"), ("reason", "理由"), ("measures", "建议措施")):
        value = (values.get(field) or "").strip()
        if not value:
            errors[field] = f"请填写{label}"
        cleaned[field] = value
    if len(cleaned["title"]) > 200:
        errors["title"] = "案由不能超过200个字"
    category = values.get("category") or ProposalCategory.OTHER
    if category not in ProposalCategory.values:
        errors["category"] = "请选择提案类别"
    cleaned["category"] = category
    return cleaned


def _check_representative(session: CongressSession, representative: Representative, errors):
    if representative.congress_id != session.congress_id or representative.left_on is not None:
        errors["proposer"] = f"{representative.member.name}不是{session.congress}的在任代表"


@transaction.atomic
def draft_proposal(
    *,
    session: CongressSession,
    proposer: Representative,
    title: str,
    reason: str,
    measures: str,
    category: str = ProposalCategory.OTHER,
) -> Proposal:
    """A representative's draft, open to co-signers until submitted."""
    errors: dict = {}
    cleaned = _clean_text(
        {"title": title, "reason": reason, "measures": measures, "category": category}, errors
    )
    _check_representative(session, proposer, errors)
    if errors:
        raise ValidationError(errors)
    return Proposal.objects.create(
        union_id=session.union_id, session=session, proposer=proposer, **cleaned
    )


@transaction.atomic
def update_draft(*, proposal: Proposal, member: Member, **values) -> Proposal:
    """The proposer edits their draft before submitting."""
    if proposal.proposer.member_id != member.pk:
        raise ValidationError({"proposer": "只有提案人本人可以修改提案"})
    if proposal.state != ProposalState.DRAFT:
        raise ValidationError({"state": "提案已提交，不能再修改"})
    errors: dict = {}
    merged = {f: getattr(proposal, f) for f in ("title", "reason", "measures", "category")}
    cleaned = _clean_text(merged | values, errors)
    if errors:
        raise ValidationError(errors)
    for field, value in cleaned.items():
        setattr(proposal, field, value)
    proposal.save()
    return proposal


@transaction.atomic
def co_sign(*, proposal: Proposal, representative: Representative) -> CoSignature:
    """附议: a representative of the same congress supports a draft, once."""
    name = representative.member.name
    if representative.congress_id != proposal.session.congress_id or representative.left_on:
        raise ValidationError({"representative": f"{name}不是本届代表，不能附议"})
    if representative.pk == proposal.proposer_id:
        raise ValidationError({"representative": "提案人不能附议自己的提案"})
    if proposal.state != ProposalState.DRAFT:
        raise ValidationError({"representative": "提案已提交，不能再附议"})
    try:
        with transaction.atomic():
            return CoSignature.objects.create(
                union_id=proposal.union_id, proposal=proposal, representative=representative
            )
    except IntegrityError as e:
        raise ValidationError({"representative": "您已附议该提案，无需重复附议"}) from e


@transaction.atomic
def withdraw_co_signature(*, proposal: Proposal, representative: Representative) -> None:
    if proposal.state != ProposalState.DRAFT:
        raise ValidationError({"representative": "提案已提交，不能撤回附议"})
    deleted, _ = CoSignature.objects.filter(
        proposal=proposal, representative=representative
    ).delete()
    if not deleted:
        raise ValidationError({"representative": "您没有附议该提案"})


def _next_number(session_id: int) -> int:
    last = Proposal.objects.filter(session_id=session_id).aggregate(n=Max("number"))["n"]
    return (last or 0) + 1


@transaction.atomic
def submit_proposal(*, proposal: Proposal, member: Member, today: date | None = None) -> Proposal:
    """The proposer submits a draft with enough co-signers inside the window;
    it gets the session's next number."""
    today = _today(today)
    session = proposal.session
    congress = session.congress
    if proposal.proposer.member_id != member.pk:
        raise ValidationError({"proposer": "只有提案人本人可以提交提案"})
    if proposal.state != ProposalState.DRAFT:
        raise ValidationError({"state": "该提案已经提交，无需重复提交"})
    if session.proposals_open_on and today < session.proposals_open_on:
        raise ValidationError(
            {
                "submitted_on": f"提案征集于{session.proposals_open_on:%Y年%m月%d日}开始，现在还不能提交"
            }
        )
    if session.proposals_close_on and today > session.proposals_close_on:
        raise ValidationError(
            {
                "submitted_on": f"提案征集已于{session.proposals_close_on:%Y年%m月%d日}截止，不能再提交"
            }
        )
    signed = CoSignature.objects.filter(proposal=proposal).count()
    if signed < congress.co_signers_min:
        raise ValidationError(
            {
                "co_signatures": f"附议代表不足：提案须有至少{congress.co_signers_min}名代表附议，"
                f"目前只有{signed}名"
            }
        )
    # Two proposers submitting at once may pick the same number; the unique
    # constraint rejects the second, which takes the next one.
    for _attempt in range(5):
        try:
            with transaction.atomic():
                updated = Proposal.objects.filter(pk=proposal.pk, state=ProposalState.DRAFT).update(
                    state=ProposalState.SUBMITTED,
                    submitted_on=today,
                    number=_next_number(session.pk),
                )
            break
        except IntegrityError:
            continue
    else:
        raise ValidationError({"number": "提交的人较多，请稍后再试"})
    if updated != 1:
        raise ValidationError({"state": "该提案已经提交，无需重复提交"})
    proposal.refresh_from_db()
    return proposal


@transaction.atomic
def decide_proposal(
    *,
    proposal: Proposal,
    decision: str,
    actor,
    lead_department: Department | None = None,
    helper_departments=(),
    deadline: date | None = None,
    reason: str = "",
    today: date | None = None,
) -> Proposal:
    """The proposal committee's decision on a submitted proposal."""
    today = _today(today)
    if proposal.state != ProposalState.SUBMITTED:
        raise ValidationError({"state": f"提案{proposal.get_state_display()}，不能再审查"})
    errors = {}
    helpers = list(helper_departments or [])
    reason = (reason or "").strip()
    if decision not in DECISIONS:
        errors["decision"] = "请选择审查结果：立案、转为意见建议或不予立案"
    elif decision == ACCEPT:
        if lead_department is None:
            errors["lead_department"] = "立案须指定主办部门"
        elif lead_department.union_id != proposal.union_id:
            errors["lead_department"] = "主办部门不属于本单位"
        if any(d.union_id != proposal.union_id for d in helpers):
            errors["helper_departments"] = "协办部门不属于本单位"
        elif lead_department is not None and lead_department in helpers:
            errors["helper_departments"] = "主办部门不必再列为协办部门"
        if deadline is None:
            errors["deadline"] = "立案须规定办理期限"
        elif deadline < today:
            errors["deadline"] = "办理期限不能早于今天"
    elif decision == REJECT and not reason:
        errors["decision_reason"] = "不予立案须说明理由"
    if errors:
        raise ValidationError(errors)
    proposal.decided_on = today
    proposal.decided_by = actor
    proposal.decision_reason = reason
    if decision == ACCEPT:
        proposal.state = ProposalState.ACCEPTED
        proposal.lead_department = lead_department
        proposal.deadline = deadline
    elif decision == CONVERT:
        from gonghui.voice import services as voice

        proposal.state = ProposalState.CONVERTED
        voice.submit_opinion(
            union=proposal.union,
            member=proposal.proposer.member,
            title=proposal.title,
            content=f"{proposal.reason}\n\n建议措施：{proposal.measures}",
            source=proposal,
            actor=actor,
        )
    else:
        proposal.state = ProposalState.REJECTED
    proposal.save()
    if decision == ACCEPT:
        proposal.helper_departments.set(helpers)
    return proposal


def handler_department_error(*, proposal: Proposal, user) -> str | None:
    """Why `user` may not reply to the proposal, or None when they may."""
    department = proposal.lead_department
    is_handler = RoleAssignment.objects.filter(
        user=user, union_id=proposal.union_id, role=Role.HANDLER
    ).exists()
    member = Member.objects.filter(user=user, union_id=proposal.union_id).first()
    if not is_handler or member is None or member.department_id != proposal.lead_department_id:
        return f"您不是主办部门（{department.name if department else '未指定'}）的承办人，不能答复该提案"
    return None


@transaction.atomic
def reply_to_proposal(
    *, proposal: Proposal, user, body: str, today: date | None = None
) -> ProposalReply:
    """逐一答复: the lead department's handler answers in writing."""
    today = _today(today)
    if proposal.state not in PENDING_REPLY:
        raise ValidationError({"state": f"提案{proposal.get_state_display()}，不需要答复"})
    problem = handler_department_error(proposal=proposal, user=user)
    if problem:
        raise ValidationError({"handler": problem})
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": "请填写答复内容"})
    reply = ProposalReply.objects.create(
        union_id=proposal.union_id,
        proposal=proposal,
        round=2 if proposal.reopened else 1,
        department=proposal.lead_department,
        handler=user,
        body=body,
        replied_on=today,
        on_time=today <= proposal.deadline,
    )
    updated = Proposal.objects.filter(pk=proposal.pk, state=proposal.state).update(
        state=ProposalState.REPLIED
    )
    if updated != 1:
        raise ValidationError({"state": "该提案刚刚已被答复"})
    proposal.state = ProposalState.REPLIED
    return reply


@transaction.atomic
def rate_reply(
    *,
    proposal: Proposal,
    member: Member,
    rating: str,
    comment: str = "",
    today: date | None = None,
) -> ProposalReply:
    """The proposer rates the latest reply. 不满意 on the first reply reopens the
    proposal for a second reply; any other rating completes it."""
    today = _today(today)
    if proposal.proposer.member_id != member.pk:
        raise ValidationError({"rating": "只有提案人本人可以评价答复"})
    if proposal.state != ProposalState.REPLIED:
        raise ValidationError({"rating": f"提案{proposal.get_state_display()}，现在不能评价"})
    if rating not in Rating.values:
        raise ValidationError({"rating": "请选择评价：满意、基本满意或不满意"})
    comment = (comment or "").strip()
    if rating == Rating.UNSATISFIED and not comment:
        raise ValidationError({"rating_comment": "请说明不满意的原因，以便承办部门重新办理"})
    reply = proposal.replies.order_by("-round").first()
    reply.rating = rating
    reply.rating_comment = comment[:300]
    reply.rated_on = today
    reply.save(update_fields=["rating", "rating_comment", "rated_on"])
    if rating == Rating.UNSATISFIED and not proposal.reopened:
        proposal.state = ProposalState.REOPENED
        proposal.reopened = True
        proposal.deadline = today + timedelta(days=proposal.session.congress.reopen_days)
        proposal.save(update_fields=["state", "reopened", "deadline"])
    else:
        proposal.state = ProposalState.COMPLETED
        proposal.completed_on = today
        proposal.save(update_fields=["state", "completed_on"])
    return reply
