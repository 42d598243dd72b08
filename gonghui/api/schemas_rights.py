"""Request and response shapes of the 维权 endpoints."""

from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Field, Schema

from gonghui.api.schemas import ObjectId, Strict, text
from gonghui.api.schemas_finance import Limit
from gonghui.api.strict import TextFields
from gonghui.rights.models import (
    Claim,
    ConsultationOutcome,
    ContractKind,
    Outcome,
    SupervisionArea,
    Topic,
)

KindValue = Literal[tuple(ContractKind.values)]  # type: ignore[valid-type]
ClaimValue = Literal[tuple(Claim.values)]  # type: ignore[valid-type]
OutcomeValue = Literal[tuple(Outcome.values)]  # type: ignore[valid-type]
TopicValue = Literal[tuple(Topic.values)]  # type: ignore[valid-type]
AnswerValue = Literal[tuple(ConsultationOutcome.values)]  # type: ignore[valid-type]
AreaValue = Literal[tuple(SupervisionArea.values)]  # type: ignore[valid-type]
Number = Annotated[str, Field(max_length=20)] | Decimal
Votes = Annotated[int, Field(ge=0, le=1_000_000)]


class Page(TextFields):
    cursor: text(40) | None = None
    limit: Limit = 50
    union: ObjectId | None = None


class ContractFilters(Page):
    kind: KindValue | None = None


class ContractIn(Strict):
    union: ObjectId
    kind: KindValue
    title: text(120)
    employer: text(120)
    union_chief: text(40)
    employer_chief: text(40)
    starts_on: date
    ends_on: date
    workers_covered: Votes = 0
    wage_increase: Number | None = Field(None, description="约定工资增长幅度（%）")


class RoundIn(Strict):
    held_on: date
    union_side: text(1000)
    employer_side: text(1000)
    issues: text(4000)
    minutes: text(20000) = ""
    agreed: text(4000) = ""


class DraftIn(Strict):
    prepared_on: date
    text: text(100000)
    note: text(300) = ""


class VoteIn(Strict):
    on: date
    votes_for: Votes
    votes_against: Votes
    votes_abstain: Votes


class ResolutionLinkIn(Strict):
    resolution: ObjectId


class SignIn(Strict):
    on: date


class FilingIn(Strict):
    filed_with: text(80)
    on: date


class ExecutionCheckIn(Strict):
    checked_on: date
    clause: text(200)
    finding: text(4000)
    fulfilled: bool = True
    follow_up: text(4000) = ""


class RoundOut(Schema):
    id: int
    number: int
    held_on: date
    union_side: str
    employer_side: str
    issues: str
    minutes: str
    agreed: str


class DraftOut(Schema):
    id: int
    version: int
    prepared_on: date
    note: str


class CheckOut(Schema):
    id: int
    year: int
    checked_on: date
    clause: str
    finding: str
    fulfilled: bool
    follow_up: str


class ContractOut(Schema):
    id: int
    union: int
    kind: str
    kind_label: str
    title: str
    employer: str
    union_chief: str
    employer_chief: str
    starts_on: date
    ends_on: date
    workers_covered: int
    wage_increase: str | None
    vote_on: date | None
    votes_for: int | None
    votes_against: int | None
    votes_abstain: int | None
    vote_passed: bool | None
    resolution: int | None = Field(None, description="职代会决议表决编号（民主管理）")
    signed_on: date | None
    filed_with: str
    filed_on: date | None
    stage: str


class ContractDetail(ContractOut):
    rounds: list[RoundOut]
    drafts: list[DraftOut]
    checks: list[CheckOut]


class ContractPage(Schema):
    items: list[ContractOut]
    next_cursor: str | None


class DisputeFilters(Page):
    outcome: OutcomeValue | None = None


class DisputeIn(Strict):
    union: ObjectId
    applicant: text(40) = ""
    member: ObjectId | None = None
    respondent: text(120)
    claims: Annotated[list[ClaimValue], Field(max_length=len(Claim.values))]
    claim_detail: text(4000)
    amount_claimed: Number | None = None
    received_on: date
    mediators: text(120) = ""


class SessionIn(Strict):
    held_on: date
    notes: text(10000)
    attendees: text(200) = ""


class CloseIn(Strict):
    outcome: Literal["settled", "failed", "withdrawn"]
    on: date
    agreement: text(10000) = ""
    applicant_confirmed: bool = False
    respondent_confirmed: bool = False
    note: text(300) = ""


class SessionOut(Schema):
    id: int
    held_on: date
    attendees: str
    notes: str


class DisputeOut(Schema):
    id: int
    union: int
    applicant: str
    member: int | None
    respondent: str
    claims: list[str]
    claim_labels: str
    claim_detail: str
    amount_claimed: str | None
    received_on: date
    mediators: str
    outcome: str
    outcome_label: str
    closed_on: date | None
    days_to_close: int | None
    days_open: int
    over_limit: bool
    agreement: str
    applicant_confirmed: bool
    respondent_confirmed: bool
    arbitration_advised: bool
    close_note: str
    sessions: list[SessionOut]


class DisputePage(Schema):
    items: list[DisputeOut]
    next_cursor: str | None


class ConsultationIn(Strict):
    union: ObjectId
    asker: text(40) = ""
    member: ObjectId | None = None
    asked_on: date
    topic: TopicValue
    question: text(4000)
    answer: text(10000) = ""
    referred_to: text(120) = ""
    outcome: AnswerValue = "pending"
    handled_by: text(40) = ""


class AnswerIn(Strict):
    outcome: AnswerValue
    answer: text(10000) = ""
    referred_to: text(120) = ""
    handled_by: text(40) = ""


class ConsultationOut(Schema):
    id: int
    union: int
    asker: str
    member: int | None
    asked_on: date
    topic: str
    topic_label: str
    question: str
    answer: str
    referred_to: str
    outcome: str
    outcome_label: str
    handled_by: str


class ConsultationPage(Schema):
    items: list[ConsultationOut]
    next_cursor: str | None


class SupervisionIn(Strict):
    union: ObjectId
    area: AreaValue
    checked_on: date
    finding: text(4000)
    compliant: bool
    recommendation: text(10000) = ""
    recommended_on: date | None = None


class ResponseIn(Strict):
    response: text(10000)
    responded_on: date
    resolved_on: date | None = None


class ResolvedIn(Strict):
    on: date


class SupervisionOut(Schema):
    id: int
    union: int
    area: str
    area_label: str
    checked_on: date
    finding: str
    compliant: bool
    recommendation: str
    recommended_on: date | None
    response: str
    responded_on: date | None
    resolved_on: date | None


class SupervisionPage(Schema):
    items: list[SupervisionOut]
    next_cursor: str | None
