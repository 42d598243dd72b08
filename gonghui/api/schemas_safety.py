"""Request and response shapes of the safety endpoints."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Field, Schema

from gonghui.api.schemas import ObjectId, Strict, text
from gonghui.api.schemas_finance import Limit
from gonghui.api.strict import TextFields
from gonghui.safety.models import Category, DrillKind, ItemResult, Severity, State

CategoryValue = Literal[tuple(Category.values)]  # type: ignore[valid-type]
SeverityValue = Literal[tuple(Severity.values)]  # type: ignore[valid-type]
StateValue = Literal[tuple(State.values)]  # type: ignore[valid-type]
DrillKindValue = Literal[tuple(DrillKind.values)]  # type: ignore[valid-type]
ResultValue = Literal[tuple(ItemResult.values)]  # type: ignore[valid-type]
Count = Annotated[int, Field(ge=0, le=10_000_000)]


class Page(TextFields):
    cursor: text(40) | None = None
    limit: Limit = 50


class Ref(Schema):
    id: int
    name: str


# Hazard cards -------------------------------------------------------------------------


class HazardFilters(Page):
    union: ObjectId | None = None
    state: StateValue | None = None
    category: CategoryValue | None = None
    department: ObjectId | None = None
    reported_from: date | None = None
    reported_until: date | None = None


class HazardIn(TextFields):
    """Sent as a multipart form beside the photos: text fields, read as text."""

    union: ObjectId
    place: text(100)
    description: text(2000)
    category: CategoryValue
    severity: SeverityValue
    reporter: ObjectId | None = Field(None, description="上报的会员编号；监督员自己发现的不填")
    reported_on: date | None = Field(None, description="不填为今天")


class HazardOut(Schema):
    id: int
    number: str
    union: int
    reported_on: date
    reporter: Ref | None
    place: str
    description: str
    category: str
    category_label: str
    severity: str
    severity_label: str
    state: str
    state_label: str
    inspection: int | None
    department: Ref | None
    assigned_on: date | None
    measures: str
    deadline: date | None
    rectification: str
    rectified_on: date | None
    days_to_rectify: int | None
    verified_on: date | None
    returned: int
    escalated_on: date | None


class StepOut(Schema):
    action: str
    action_label: str
    on: date
    note: str
    actor: str | None


class AttachmentRef(Schema):
    id: int
    original_name: str
    mime_type: str
    download_url: str


class HazardDetail(HazardOut):
    steps: list[StepOut]
    attachments: list[AttachmentRef]


class HazardPage(Schema):
    items: list[HazardOut]
    next_cursor: str | None


class AssignIn(Strict):
    department: ObjectId
    note: text(200) = ""


class PlanIn(Strict):
    measures: text(2000)
    deadline: date


class VerifyIn(Strict):
    accepted: bool
    note: text(500) = ""


# Inspections --------------------------------------------------------------------------


class InspectionIn(Strict):
    union: ObjectId
    title: text(100)
    scope: text(100)
    planned_on: date
    checklist: Annotated[list[text(200)], Field(max_length=200)]
    inspectors: Annotated[list[ObjectId], Field(max_length=200)] = []


class ItemOut(Schema):
    id: int
    position: int
    text: str
    result: str
    note: str
    hazard: int | None


class InspectionOut(Schema):
    id: int
    union: int
    title: str
    scope: str
    planned_on: date
    done_on: date | None
    summary: str
    items: list[ItemOut]


class InspectionPage(Schema):
    items: list[InspectionOut]
    next_cursor: str | None


class ItemResultIn(Strict):
    item: ObjectId
    result: ResultValue
    note: text(300) = ""


class ResultsIn(Strict):
    done_on: date
    summary: text(2000) = ""
    results: Annotated[list[ItemResultIn], Field(max_length=200)]


class FindingIn(Strict):
    item: ObjectId | None = None
    place: text(100)
    description: text(2000)
    category: CategoryValue
    severity: SeverityValue
    department: ObjectId | None = Field(None, description="填写则直接交办")


# Drills, contests, violations, draws ----------------------------------------------------


class DrillIn(Strict):
    union: ObjectId
    kind: DrillKindValue
    title: text(100)
    held_on: date
    place: text(100) = ""
    expected: Count
    participants: Count | None = None
    attendees: Annotated[list[ObjectId], Field(max_length=100_000)] = []
    notes: text(2000) = ""


class DrillOut(Schema):
    id: int
    union: int
    kind: str
    kind_label: str
    title: str
    held_on: date
    place: str
    expected: int
    participants: int
    rate: float


class DrillPage(Schema):
    items: list[DrillOut]
    next_cursor: str | None


class ContestIn(Strict):
    union: ObjectId
    title: text(100)
    held_on: date
    notes: text(2000) = ""


class GroupResultIn(Strict):
    group: ObjectId
    audience: Count
    participants: Count
    passed: Count = 0
    average_score: Decimal = Field(..., max_digits=5, decimal_places=1)


class ContestResultsIn(Strict):
    results: Annotated[list[GroupResultIn], Field(max_length=1000)]


class GroupResultOut(Schema):
    group: Ref
    audience: int
    participants: int
    passed: int
    average_score: str
    rank: int | None


class ContestOut(Schema):
    id: int
    union: int
    title: str
    held_on: date
    exam: int | None
    results: list[GroupResultOut]


class ContestPage(Schema):
    items: list[ContestOut]
    next_cursor: str | None


class ViolationIn(Strict):
    member: ObjectId
    on: date
    description: text(300)


class ViolationOut(Schema):
    id: int
    union: int
    member: Ref
    on: date
    description: str


class ViolationPage(Schema):
    items: list[ViolationOut]
    next_cursor: str | None


class DrawIn(Strict):
    union: ObjectId
    year: Annotated[int, Field(ge=2000, le=2100)]
    quarter: Annotated[int, Field(ge=1, le=4)]
    prize: text(100)
    winners_wanted: Annotated[int, Field(ge=1, le=10000)]
    seed: text(64) = Field("", description="公开随机种子；不填由系统生成")


class DrawOut(Schema):
    id: int
    union: int
    year: int
    quarter: int
    prize: str
    seed: str
    drawn_on: date
    eligible: list[int]
    eligible_digest: str
    winners: list[int]
    algorithm: str
    created_at: datetime
