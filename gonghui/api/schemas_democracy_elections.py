"""Request and response shapes of the election and evaluation endpoints."""

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Field, Schema

from gonghui.api.schemas import ObjectId, Strict, text
from gonghui.api.schemas_finance import Limit
from gonghui.api.strict import TextFields
from gonghui.democracy.models.elections import (
    Channel,
    ElectionKind,
    ElectionState,
    Electorate,
    Method,
)
from gonghui.democracy.models.evaluation import Grade

KindValue = Literal[tuple(ElectionKind.values)]  # type: ignore[valid-type]
MethodValue = Literal[tuple(Method.values)]  # type: ignore[valid-type]
ChannelValue = Literal[tuple(Channel.values)]  # type: ignore[valid-type]
ElectorateValue = Literal[tuple(Electorate.values)]  # type: ignore[valid-type]
StateValue = Literal[tuple(ElectionState.values)]  # type: ignore[valid-type]
MarkValue = Literal["for", "against", "abstain"]
GradeValue = Literal[tuple(Grade.values)]  # type: ignore[valid-type]
Name = text(40)


class ElectionFilters(TextFields):
    union: ObjectId | None = None
    state: StateValue | None = None
    cursor: text(40) | None = None
    limit: Limit = 50


class ElectionIn(Strict):
    union: ObjectId
    title: text(120)
    kind: KindValue
    seats: Annotated[int, Field(ge=1, le=500)]
    opens_at: datetime
    closes_at: datetime
    method: MethodValue = "choose"
    channel: ChannelValue = "online"
    electorate: ElectorateValue = "all"
    groups: Annotated[list[ObjectId], Field(max_length=500)] = []
    congress: ObjectId | None = None
    allow_write_in: bool = False
    margin_share: Decimal | None = None
    quorum: text(9) = "2/3"
    majority: text(9) = "1/2"
    notes: text(2000) = ""


class CandidateIn(Strict):
    name: Name
    member: ObjectId | None = None
    profile: text(1000) = ""


class CandidateOut(Schema):
    id: int
    name: str
    profile: str
    member: int | None
    written_in: bool
    votes_for: int
    votes_against: int
    abstentions: int
    elected: bool
    in_runoff: bool


class ElectionOut(Schema):
    id: int
    union: int
    title: str
    kind: str
    kind_label: str
    seats: int
    method: str
    channel: str
    electorate: str
    allow_write_in: bool
    opens_at: datetime
    closes_at: datetime
    margin_share: Decimal
    quorum: str
    majority: str
    state: str
    state_label: str
    runoff_of: int | None


class ElectionPage(Schema):
    items: list[ElectionOut]
    next_cursor: str | None


class ElectionDetail(ElectionOut):
    candidates: list[CandidateOut]
    margin_warning: str
    roll_size: int
    roll_voted: int
    codes_printed: int
    codes_used: int


class ResultsOut(Schema):
    election: ElectionOut
    counted: bool
    electorate: int
    present: int
    issued: int
    cast: int
    valid: int
    invalid: int
    is_valid: bool | None
    candidates: list[CandidateOut]
    elected: list[str]
    receipts: list[str]
    ballots_hash: str
    check: str
    check_ok: bool


class Choices(Strict):
    c: Annotated[dict[str, MarkValue], Field(max_length=500)] = {}
    w: Annotated[list[Name], Field(max_length=500)] = []


class BallotIn(Strict):
    choices: Choices


class CodeBallotIn(Strict):
    code: text(20)
    choices: Choices


class ReceiptOut(Schema):
    election: int
    receipt: str
    valid: bool


class ReceiptCheckOut(Schema):
    receipt: str
    counted: bool
    valid: bool | None


class BallotPaperOut(Schema):
    election: ElectionOut
    candidates: list[CandidateOut]
    voted: bool | None


class MyElectionOut(Schema):
    election: ElectionOut
    voted: bool


class CountIn(Strict):
    count: Annotated[int, Field(ge=1, le=100000)]


class CodesOut(Schema):
    codes: list[str]


class CheckInIn(Strict):
    member: ObjectId


class PaperBallotIn(Strict):
    number: Annotated[int, Field(ge=1, le=1000000)]
    choices: Choices


class CountOut(Schema):
    count: int


class WindowIn(Strict):
    opens_at: datetime
    closes_at: datetime


class PublishedOut(Schema):
    post: int
    title: str


# Evaluation -----------------------------------------------------------------------------


class EvalueeIn(Strict):
    name: Name
    role: text(60)


class EvaluationIn(Strict):
    union: ObjectId
    title: text(120)
    year: Annotated[int, Field(ge=2000, le=2100)]
    opens_at: datetime
    closes_at: datetime
    evaluees: Annotated[list[EvalueeIn], Field(min_length=1, max_length=100)]
    notes: text(2000) = ""


class GradeCount(Schema):
    grade: str
    label: str
    count: int
    percent: Decimal


class EvalueeOut(Schema):
    id: int
    name: str
    role: str
    ratings: int
    grades: list[GradeCount]
    comments: list[str]


class EvaluationOut(Schema):
    id: int
    union: int
    title: str
    year: int
    opens_at: datetime
    closes_at: datetime
    closed: bool
    invited: int
    rated: int
    turnout: Decimal
    evaluees: list[EvalueeOut]


class SheetIn(Strict):
    grades: Annotated[dict[str, GradeValue], Field(max_length=100)]
    comments: Annotated[dict[str, text(500)], Field(max_length=100)] = {}


class SheetOut(Schema):
    evaluation: int
    submitted: bool
