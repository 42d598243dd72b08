"""Request and response shapes of the learning endpoints. The answer key of
a question leaves only through the staff endpoints (learning.view); a
member's own endpoints show questions without it."""

from datetime import date, datetime
from typing import Annotated, Literal

from ninja import Field, Schema

from gonghui.api.schemas import ObjectId, Strict, text
from gonghui.api.schemas_finance import Limit
from gonghui.api.strict import TextFields
from gonghui.learning.models import ContestLevel, QualificationKind, QuestionKind, TrainingKind

TrainingKindValue = Literal[tuple(TrainingKind.values)]  # type: ignore[valid-type]
QuestionKindValue = Literal[tuple(QuestionKind.values)]  # type: ignore[valid-type]
LevelValue = Literal[tuple(ContestLevel.values)]  # type: ignore[valid-type]
QualificationKindValue = Literal[tuple(QualificationKind.values)]  # type: ignore[valid-type]
Ids = Annotated[list[ObjectId], Field(max_length=5000)]
Choice = Annotated[int, Field(ge=0, le=20)]
Hours = Annotated[str, Field(max_length=10, description='学时，如 "2.5"')]


class Page(TextFields):
    cursor: text(40) | None = None
    limit: Limit = 50


class Ref(Schema):
    id: int
    name: str


# Training ----------------------------------------------------------------------------


class TrainingFilters(Page):
    union: ObjectId | None = None
    kind: TrainingKindValue | None = None
    member: ObjectId | None = None
    on_from: date | None = None
    on_until: date | None = None


class TrainingIn(Strict):
    union: ObjectId
    topic: text(120)
    kind: TrainingKindValue
    on: date
    hours: Hours
    place: text(120) = ""
    trainer: text(60) = ""
    course: ObjectId | None = None
    attendees: Ids = []


class AttendeesIn(Strict):
    attendees: Ids


class TrainingOut(Schema):
    id: int
    union: int
    course: int | None
    topic: str
    kind: str
    kind_label: str
    on: date
    hours: str
    place: str
    trainer: str
    attendees: list[Ref]


class TrainingPage(Schema):
    items: list[TrainingOut]
    next_cursor: str | None


class CourseIn(Strict):
    union: ObjectId
    title: text(120)
    kind: TrainingKindValue
    description: text(2000) = ""


class CourseOut(Schema):
    id: int
    union: int
    title: str
    kind: str
    description: str


# Question bank ----------------------------------------------------------------------------


class CategoryIn(Strict):
    union: ObjectId
    name: text(60)


class CategoryOut(Schema):
    id: int
    union: int
    name: str


class QuestionFilters(Page):
    union: ObjectId | None = None
    kind: QuestionKindValue | None = None
    category: ObjectId | None = None


class QuestionIn(Strict):
    union: ObjectId
    kind: QuestionKindValue
    text: text(2000)
    choices: Annotated[list[text(200)], Field(max_length=8)] = Field(
        [], description="选项文字；判断题不填（固定为“正确”“错误”）"
    )
    answer: Annotated[list[Choice], Field(max_length=8)] = Field(
        description="正确选项的序号，从0开始"
    )
    category: ObjectId | None = None
    explanation: text(2000) = ""


class QuestionOut(Schema):
    id: int
    union: int
    category: int | None
    kind: str
    kind_label: str
    text: str
    choices: list[str]
    answer: list[int]
    explanation: str
    active: bool


class QuestionPage(Schema):
    items: list[QuestionOut]
    next_cursor: str | None


class PaperQuestionOut(Schema):
    """A question as a member sees it before answering: no answer key."""

    id: int
    kind: str
    kind_label: str
    text: str
    choices: list[str]


class DailyIn(Strict):
    union: ObjectId
    on: date
    question: ObjectId


class DailyOut(Schema):
    id: int
    union: int
    on: date
    question: PaperQuestionOut
    answers: int
    correct: int


class MyDailyOut(Schema):
    id: int
    on: date
    question: PaperQuestionOut
    answered: bool
    correct: bool | None
    answer: list[int] | None = Field(description="作答后才给出正确答案")
    explanation: str | None


class ChosenIn(Strict):
    chosen: Annotated[list[Choice], Field(min_length=1, max_length=8)]


# Exams ----------------------------------------------------------------------------------


class ExamFilters(Page):
    union: ObjectId | None = None
    open_at: datetime | None = None


class ExamIn(Strict):
    union: ObjectId
    title: text(120)
    opens_at: datetime
    closes_at: datetime
    pass_mark: Annotated[int, Field(ge=0, le=100)] = 60
    questions: Annotated[list[ObjectId], Field(min_length=1, max_length=200)]
    groups: Ids = []
    description: text(2000) = ""


class ExamOut(Schema):
    id: int
    union: int
    title: str
    opens_at: datetime
    closes_at: datetime
    pass_mark: int
    questions: int
    groups: list[int]
    description: str


class ExamPage(Schema):
    items: list[ExamOut]
    next_cursor: str | None


class PaperOut(Schema):
    exam: ExamOut
    questions: list[PaperQuestionOut]


class AnswersIn(Strict):
    answers: dict[str, Annotated[list[Choice], Field(max_length=8)]] = Field(
        description="题目编号 → 所选选项序号（从0开始）；未作答的题可不填"
    )


class AttemptOut(Schema):
    id: int
    exam: int
    member: Ref
    submitted_at: datetime
    correct: int
    total: int
    score: int
    passed: bool


class GroupRow(Schema):
    group: Ref | None
    audience: int
    took: int
    passed: int
    aware: int
    take_rate: float
    awareness_rate: float = Field(description="知晓率：至少答对一题的人数 ÷ 应考人数（%）")
    pass_rate: float = Field(description="合格率：合格人数 ÷ 参考人数（%）")


class ExamResultsOut(Schema):
    exam: ExamOut
    total: GroupRow
    groups: list[GroupRow]
    members: list[AttemptOut]


# Contests and qualifications ----------------------------------------------------------------


class ResultIn(Strict):
    member: ObjectId
    score: Annotated[str, Field(max_length=10)] | None = None
    rank: Annotated[int, Field(ge=1, le=10000)] | None = None
    award: text(40) = ""


class ContestIn(Strict):
    union: ObjectId
    title: text(120)
    trade: text(60)
    level: LevelValue
    on: date
    organiser: text(120) = ""
    results: Annotated[list[ResultIn], Field(max_length=2000)] = []


class ResultOut(Schema):
    member: Ref
    score: str | None
    rank: int | None
    award: str


class ContestOut(Schema):
    id: int
    union: int
    title: str
    trade: str
    level: str
    level_label: str
    on: date
    organiser: str
    results: list[ResultOut]


class ContestPage(Schema):
    items: list[ContestOut]
    next_cursor: str | None


class QualificationIn(Strict):
    member: ObjectId
    kind: QualificationKindValue
    title: text(120)
    obtained_on: date
    issuer: text(120) = ""
    number: text(60) = ""
    expires_on: date | None = None
    session: ObjectId | None = None


class QualificationOut(Schema):
    id: int
    union: int
    member: Ref
    kind: str
    kind_label: str
    title: str
    issuer: str
    number: str
    obtained_on: date
    expires_on: date | None
    session: int | None


class QualificationPage(Schema):
    items: list[QualificationOut]
    next_cursor: str | None


class QualificationFilters(Page):
    union: ObjectId | None = None
    member: ObjectId | None = None
    kind: QualificationKindValue | None = None


class ContestFilters(Page):
    union: ObjectId | None = None
    year: Annotated[int, Field(ge=2000, le=2100)] | None = None


class MemberRecordOut(Schema):
    member: Ref
    hours: str
    trainings: list[TrainingOut]
    qualifications: list[QualificationOut]
    attempts: list[AttemptOut]
