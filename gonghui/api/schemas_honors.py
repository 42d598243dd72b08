"""Request and response shapes of the 评先评优 endpoints."""

from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Field, Schema

from gonghui.api.schemas import ObjectId, Ref, Strict, text
from gonghui.api.schemas_finance import Limit, Year
from gonghui.api.strict import TextFields
from gonghui.honors.models import Cadence, Level, NominationState, Scope

ScopeValue = Literal[tuple(Scope.values)]  # type: ignore[valid-type]
CadenceValue = Literal[tuple(Cadence.values)]  # type: ignore[valid-type]
LevelValue = Literal[tuple(Level.values)]  # type: ignore[valid-type]
StateValue = Literal[tuple(NominationState.values)]  # type: ignore[valid-type]
Month = Annotated[int, Field(ge=1, le=12)]
# Points as text or number; the service says what a valid score is, in its words.
Points = Annotated[str, Field(max_length=12)] | Decimal


class Page(TextFields):
    cursor: text(40) | None = None
    limit: Limit = 50


class UnionIn(Strict):
    union: ObjectId


class KindIn(Strict):
    union: ObjectId
    name: text(40)
    scope: ScopeValue
    cadence: CadenceValue
    description: text(300) = ""


class KindUpdate(Strict):
    name: text(40)
    scope: ScopeValue
    cadence: CadenceValue
    description: text(300) = ""
    active: bool = True


class KindOut(Schema):
    id: int
    union: int
    name: str
    scope: str
    cadence: str
    description: str
    active: bool


class NominationFilters(Page):
    union: ObjectId | None = None
    state: StateValue | None = None
    kind: ObjectId | None = None
    year: Year | None = None
    member: ObjectId | None = None


class NominationIn(Strict):
    kind: ObjectId
    year: Year
    month: Month | None = None
    member: ObjectId | None = None
    group: ObjectId | None = None
    team_name: text(80) = ""
    reasons: text(4000)
    nominated_on: date
    nominated_by: text(60) = ""


class DecisionIn(Strict):
    granted: bool
    on: date
    note: text(200) = ""


class NominationOut(Schema):
    id: int
    union: int
    kind: int
    kind_name: str
    year: int
    month: int | None
    period_label: str
    member: Ref | None
    group: Ref | None
    team_name: str
    nominee_label: str
    reasons: str
    nominated_on: date
    nominated_by: str
    state: str
    state_label: str
    decided_on: date | None
    decision_note: str
    announcement: int | None


class NominationPage(Schema):
    items: list[NominationOut]
    next_cursor: str | None


class AnnouncementIn(Strict):
    union: ObjectId
    awards: Annotated[list[ObjectId], Field(min_length=1, max_length=500)]
    title: text(120)
    intro: text(1000) = ""


class AnnouncementOut(Schema):
    id: int
    union: int
    title: str
    body: str
    published_on: date
    awards: list[int]


class ModelWorkerFilters(Page):
    union: ObjectId | None = None
    level: LevelValue | None = None
    member: ObjectId | None = None


class ModelWorkerIn(Strict):
    member: ObjectId
    level: LevelValue
    title: text(40)
    year: Year
    conferred_by: text(80) = ""
    monthly_allowance: Annotated[str, Field(max_length=20)] | Decimal = "0.00"
    benefits: text(2000) = ""
    notes: text(200) = ""


class ModelWorkerUpdate(Strict):
    level: LevelValue
    title: text(40)
    year: Year
    conferred_by: text(80) = ""
    monthly_allowance: Annotated[str, Field(max_length=20)] | Decimal = "0.00"
    benefits: text(2000) = ""
    notes: text(200) = ""


class VisitRef(Schema):
    id: int
    on: date
    kind_label: str
    gift: str


class ModelWorkerOut(Schema):
    id: int
    union: int
    member: Ref
    level: str
    level_label: str
    title: str
    year: int
    conferred_by: str
    monthly_allowance: str
    benefits: str
    notes: str


class ModelWorkerDetail(ModelWorkerOut):
    care_visits: list[VisitRef]


class ModelWorkerPage(Schema):
    items: list[ModelWorkerOut]
    next_cursor: str | None


class ItemIn(Strict):
    name: text(60)
    max_points: Points
    deduction_guide: text(300) = ""


class RuleIn(Strict):
    union: ObjectId
    name: text(80)
    effective_from: date
    items: Annotated[list[ItemIn], Field(min_length=1, max_length=100)]


class ItemOut(Schema):
    id: int
    position: int
    name: str
    max_points: str
    deduction_guide: str


class RuleOut(Schema):
    id: int
    union: int
    name: str
    effective_from: date
    active: bool
    items: list[ItemOut]


class MonthIn(Strict):
    rule: ObjectId
    month: date = Field(..., description="该月任一天，保存为该月第一天")


class ScoreIn(Strict):
    item: ObjectId
    points: Points
    deduction_reason: text(200) = ""


class GroupScoresIn(Strict):
    group: ObjectId
    scores: Annotated[list[ScoreIn], Field(min_length=1, max_length=100)]


class RankOut(Schema):
    rank: int
    group: Ref
    total: str
    deductions: list[str]


class AssessmentOut(Schema):
    id: int
    union: int
    rule: int
    month: date
    published_on: date | None
    unscored_groups: list[Ref]
    ranking: list[RankOut]


class AssessmentPage(Schema):
    items: list[AssessmentOut]
    next_cursor: str | None


class AssessmentFilters(Page):
    union: ObjectId | None = None
    published: bool | None = None
