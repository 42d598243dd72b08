"""Request and response shapes of the open-affairs endpoints."""

from datetime import date, datetime
from typing import Literal

from ninja import Schema

from gonghui.api.schemas import ObjectId, Strict, text
from gonghui.api.schemas_finance import Limit
from gonghui.api.strict import TextFields
from gonghui.disclosure.models import Audience, Category, FeedbackKind

CategoryValue = Literal[tuple(Category.values)]  # type: ignore[valid-type]
AudienceValue = Literal[tuple(Audience.values)]  # type: ignore[valid-type]
FeedbackKindValue = Literal[tuple(FeedbackKind.values)]  # type: ignore[valid-type]
Cursor = text(40)


class Page(TextFields):
    cursor: Cursor | None = None
    limit: Limit = 50


class PostFilters(Page):
    union: ObjectId | None = None
    category: CategoryValue | None = None
    audience: AudienceValue | None = None
    published_from: date | None = None
    published_until: date | None = None


class PostIn(Strict):
    union: ObjectId
    category: CategoryValue
    title: text(120)
    body: text(50_000)
    audience: AudienceValue = "all"
    publish_on: date | None = None
    withdraw_on: date | None = None


class PostUpdateIn(Strict):
    category: CategoryValue
    title: text(120)
    body: text(50_000)
    audience: AudienceValue
    publish_on: date
    withdraw_on: date | None = None


class WithdrawIn(Strict):
    reason: text(200)
    on: date | None = None


class BudgetPostIn(Strict):
    fiscal_year: ObjectId
    what: Literal["budget", "statement"] = "budget"


class SourceOut(Schema):
    type: str
    id: int


class PostOut(Schema):
    id: int
    union: int
    category: str
    category_label: str
    title: str
    audience: str
    audience_label: str
    publish_on: date
    withdraw_on: date | None
    withdraw_reason: str
    source: SourceOut | None


class PostStats(Schema):
    reads: int
    audience: int
    read_rate: float
    asked: int
    answered: int


class PostDetail(PostOut):
    body: str
    stats: PostStats


class PostPage(Schema):
    items: list[PostOut]
    next_cursor: str | None


class ReadOut(Schema):
    member: int
    member_name: str
    first_read_at: datetime


class ReadPage(Schema):
    items: list[ReadOut]
    next_cursor: str | None


class FeedbackFilters(Page):
    union: ObjectId | None = None
    post: ObjectId | None = None
    answered: bool | None = None


class FeedbackOut(Schema):
    id: int
    union: int
    post: int
    post_title: str
    member: int
    member_name: str
    kind: str
    kind_label: str
    content: str
    asked_at: datetime
    reply: str
    reply_public: bool
    replied_at: datetime | None


class FeedbackPage(Schema):
    items: list[FeedbackOut]
    next_cursor: str | None


class ReplyIn(Strict):
    reply: text(2000)
    public: bool = True


# The member's own side -------------------------------------------------------------


class MyPostOut(Schema):
    id: int
    category: str
    category_label: str
    title: str
    audience: str
    publish_on: date
    read: bool


class MyPostPage(Schema):
    items: list[MyPostOut]
    next_cursor: str | None


class MyQuestionOut(Schema):
    id: int
    mine: bool
    kind: str
    content: str
    asked_at: datetime
    reply: str | None
    reply_public: bool | None
    replied_at: datetime | None


class MyPostDetail(Schema):
    id: int
    category: str
    category_label: str
    title: str
    publish_on: date
    body: str
    first_read_at: datetime
    questions: list[MyQuestionOut]


class AskIn(Strict):
    content: text(1000)
    kind: FeedbackKindValue = "question"
