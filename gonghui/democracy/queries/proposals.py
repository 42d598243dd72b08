"""Reads of proposals and their metrics: the board of every proposal's state,
overdue ones for the chair, what a representative and a handler see.

A proposal belongs to the period it was submitted in (submitted, accepted,
converted); a reply to the period it was written in (replied, on time); a
completion to the period the proposer's final rating fell in (completed,
satisfied).
"""

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from gonghui.democracy.models import (
    CoSignature,
    Proposal,
    ProposalReply,
    ProposalState,
    Rating,
    Representative,
)
from gonghui.democracy.models.proposals import PENDING_REPLY
from gonghui.members.models import Member
from gonghui.reports.registry import metric, ratio

ACCEPTED_STATES = (
    ProposalState.ACCEPTED,
    ProposalState.REPLIED,
    ProposalState.REOPENED,
    ProposalState.COMPLETED,
)
# The board's columns, in the order a proposal moves through them.
BOARD_COLUMNS = (
    ProposalState.DRAFT,
    ProposalState.SUBMITTED,
    ProposalState.ACCEPTED,
    ProposalState.REOPENED,
    ProposalState.REPLIED,
    ProposalState.COMPLETED,
    ProposalState.CONVERTED,
    ProposalState.REJECTED,
)


def with_counts(qs: QuerySet) -> QuerySet:
    return qs.select_related("proposer__member", "lead_department", "session__congress").annotate(
        co_signers=Count("co_signatures", distinct=True)
    )


def overdue(qs: QuerySet, today=None) -> QuerySet:
    """Proposals whose reply is still owed after the deadline."""
    today = today or timezone.localdate()
    return qs.filter(state__in=PENDING_REPLY, deadline__lt=today)


def board(qs: QuerySet, today=None) -> list[dict]:
    """One column per state with its proposals; overdue ones flagged."""
    today = today or timezone.localdate()
    rows = list(with_counts(qs).order_by("number", "id"))
    columns = []
    for state in BOARD_COLUMNS:
        items = [p for p in rows if p.state == state]
        for p in items:
            p.is_overdue = p.state in PENDING_REPLY and p.deadline and p.deadline < today
        columns.append({"state": state, "label": state.label, "proposals": items})
    return columns


def of_congress(congress_id: int) -> QuerySet:
    """All proposals of a congress term: what its representatives see."""
    return Proposal.objects.filter(session__congress_id=congress_id)


def for_handler(user) -> QuerySet:
    """Proposals whose lead department is the handler's own department."""
    member = Member.objects.filter(user=user).first()
    if member is None or member.department_id is None:
        return Proposal.objects.none()
    return Proposal.objects.filter(
        union_id=member.union_id, lead_department_id=member.department_id
    ).exclude(state__in=(ProposalState.DRAFT, ProposalState.SUBMITTED))


def has_co_signed(proposal: Proposal, representative: Representative | None) -> bool:
    return bool(
        representative
        and CoSignature.objects.filter(proposal=proposal, representative=representative).exists()
    )


def latest_reply(proposal: Proposal) -> ProposalReply | None:
    return proposal.replies.order_by("-round").first()


def summary(qs: QuerySet, today=None) -> dict:
    """Counts for a set of proposals (a session's or a union's)."""
    today = today or timezone.localdate()
    counts = dict(qs.values_list("state").annotate(n=Count("id")).order_by())
    return {
        "total": sum(counts.values()),
        "submitted": sum(n for s, n in counts.items() if s != ProposalState.DRAFT),
        "accepted": sum(counts.get(s, 0) for s in ACCEPTED_STATES),
        "completed": counts.get(ProposalState.COMPLETED, 0),
        "overdue": overdue(qs, today).count(),
    }


# Metrics ------------------------------------------------------------------------------


def _proposals():
    return Proposal.objects.select_related("proposer__member", "lead_department", "session")


@metric("democracy.proposals_submitted", label="提交提案", unit="件", breakdown="category")
def proposals_submitted(unions, period):
    return _proposals().filter(union__in=unions, submitted_on__range=period.bounds)


@metric("democracy.proposals_accepted", label="立案提案", unit="件")
def proposals_accepted(unions, period):
    return proposals_submitted(unions, period).filter(state__in=ACCEPTED_STATES)


@metric("democracy.proposals_converted", label="转为意见建议的提案", unit="件")
def proposals_converted(unions, period):
    return proposals_submitted(unions, period).filter(state=ProposalState.CONVERTED)


@metric("democracy.proposals_replied", label="答复提案", unit="件")
def proposals_replied(unions, period):
    return ProposalReply.objects.filter(
        union__in=unions, round=1, replied_on__range=period.bounds
    ).select_related("proposal", "department")


@metric("democracy.proposals_replied_on_time", label="按期答复提案", unit="件")
def proposals_replied_on_time(unions, period):
    return proposals_replied(unions, period).filter(on_time=True)


@metric("democracy.proposals_completed", label="办结提案", unit="件")
def proposals_completed(unions, period):
    return _proposals().filter(
        union__in=unions, state=ProposalState.COMPLETED, completed_on__range=period.bounds
    )


@metric("democracy.proposals_satisfied", label="答复满意（含基本满意）的提案", unit="件")
def proposals_satisfied(unions, period):
    satisfied = ProposalReply.objects.filter(
        proposal=OuterRef("pk"), rating__in=(Rating.SATISFIED, Rating.BASICALLY)
    )
    return proposals_completed(unions, period).filter(Exists(satisfied))


@metric("democracy.proposals_overdue", label="逾期未答复提案", unit="件")
def proposals_overdue(unions, period):
    day = min(period.end, timezone.localdate())
    return _proposals().filter(Q(union__in=unions), state__in=PENDING_REPLY, deadline__lt=day)


ratio(
    "democracy.proposal_acceptance_rate",
    label="提案立案率",
    numerator="democracy.proposals_accepted",
    denominator="democracy.proposals_submitted",
    description="本期提交的提案中立案的 ÷ 本期提交的提案",
)
ratio(
    "democracy.proposal_on_time_rate",
    label="提案按期答复率",
    numerator="democracy.proposals_replied_on_time",
    denominator="democracy.proposals_replied",
    description="本期首次答复中在办理期限内的 ÷ 本期首次答复",
)
ratio(
    "democracy.proposal_satisfaction_rate",
    label="提案答复满意率",
    numerator="democracy.proposals_satisfied",
    denominator="democracy.proposals_completed",
    description="本期办结的提案中提案人评价满意或基本满意的 ÷ 本期办结的提案",
)
