"""Request and response shapes of the opinion endpoints. Money is text with
two decimals (schemas_finance.money_text)."""

from datetime import date
from typing import Literal

from ninja import Schema

from gonghui.api.schemas import ObjectId, Ref, Strict, text
from gonghui.api.schemas_finance import Limit, Money, MoneyText
from gonghui.api.strict import TextFields
from gonghui.voice.models import Category, Kind, State

KindValue = Literal[tuple(Kind.values)]  # type: ignore[valid-type]
CategoryValue = Literal[tuple(Category.values)]  # type: ignore[valid-type]
StateValue = Literal[tuple(State.values)]  # type: ignore[valid-type]
Cursor = text(40)


class Page(TextFields):
    cursor: Cursor | None = None
    limit: Limit = 50


class OpinionFilters(Page):
    union: ObjectId | None = None
    member: ObjectId | None = None
    state: StateValue | None = None
    kind: KindValue | None = None
    category: CategoryValue | None = None
    overdue: bool | None = None
    submitted_from: date | None = None
    submitted_until: date | None = None


class OpinionIn(Strict):
    """Recorded by staff or a liaison for a member; the opinion belongs to the member's union."""

    member: ObjectId
    content: text(3000)
    kind: KindValue = "opinion"
    category: CategoryValue = "other"
    title: text(120) = ""
    submitted_on: date | None = None


class JudgeIn(Strict):
    valid: bool
    reason: text(300) = ""
    on: date | None = None
    handler_department: ObjectId | None = None
    handler: ObjectId | None = None
    deadline: date | None = None


class AssignIn(Strict):
    handler_department: ObjectId | None = None
    handler: ObjectId | None = None
    deadline: date


class ImplementIn(Strict):
    on: date
    implementation: text(3000)


class RewardIn(Strict):
    amount: Money
    on: date
    line: ObjectId | None = None
    voucher: text(40) = ""
    over_budget_reason: text(200) = ""


class OpinionOut(Schema):
    id: int
    union: int
    member: Ref
    kind: str
    kind_label: str
    category: str
    category_label: str
    title: str
    content: str
    submitted_on: date
    recorded_by: str | None
    state: str
    state_label: str
    judged_on: date | None
    judgement_reason: str
    handler_department: Ref | None
    handler: Ref | None
    deadline: date | None
    overdue: bool
    implemented_on: date | None
    implementation: str
    reward_amount: MoneyText
    rewarded_on: date | None
    payments: list[int]


class OpinionPage(Schema):
    items: list[OpinionOut]
    next_cursor: str | None


class MyOpinionIn(Strict):
    content: text(3000)
    kind: KindValue = "opinion"
    category: CategoryValue = "other"
    title: text(120) = ""


class MyOpinionOut(Schema):
    id: int
    kind: str
    kind_label: str
    category: str
    category_label: str
    title: str
    content: str
    submitted_on: date
    state: str
    state_label: str
    judged_on: date | None
    judgement_reason: str
    handler_department: str | None
    deadline: date | None
    implemented_on: date | None
    implementation: str
    reward_amount: MoneyText
    rewarded_on: date | None


class MyOpinionPage(Schema):
    items: list[MyOpinionOut]
    next_cursor: str | None
