"""Request and response shapes of the women's endpoints. Four-period records
leave in full only from the logged `open` endpoint (and the member's own
one); lists show them masked."""

from datetime import date
from typing import Annotated, Literal

from ninja import Field, Schema

from gonghui.api.schemas import ObjectId, Strict, text
from gonghui.api.schemas_finance import IdempotencyKey, Limit, Money, MoneyText, Year
from gonghui.api.strict import TextFields
from gonghui.women.models import CheckupKind, ProtectionPeriod

PeriodValue = Literal[tuple(ProtectionPeriod.values)]  # type: ignore[valid-type]
CheckupKindValue = Literal[tuple(CheckupKind.values)]  # type: ignore[valid-type]
CommitteeKind = Literal["women_head", "women_member"]
Ids = Annotated[list[ObjectId], Field(max_length=5000)]


class Page(TextFields):
    cursor: text(40) | None = None
    limit: Limit = 50


class Ref(Schema):
    id: int
    name: str


# Committee -----------------------------------------------------------------------------


class CommitteeFilters(TextFields):
    union: ObjectId
    on: date | None = None


class AppointIn(Strict):
    term: ObjectId
    member: ObjectId
    kind: CommitteeKind


class PostOut(Schema):
    id: int
    term: int
    member: Ref
    kind: str
    kind_label: str


class CommitteeOut(Schema):
    union: int
    term: int | None
    term_label: str
    members: list[PostOut]
    women_members: int
    members_total: int
    women_share: float


# Four-period protection -------------------------------------------------------------------


class ProtectionFilters(Page):
    union: ObjectId | None = None
    open: bool | None = None


class ProtectionIn(Strict):
    member: ObjectId
    period: PeriodValue
    starts_on: date
    ends_on: date | None = None
    arrangements: text(2000) = ""
    items: text(1000) = ""
    notes: text(2000) = ""


class ProtectionUpdateIn(Strict):
    arrangements: text(2000)
    items: text(1000)
    notes: text(2000) = ""
    ends_on: date | None = None


class CloseIn(Strict):
    ends_on: date


class OpenIn(Strict):
    reason: text(200) = Field(description="查看理由，将记入敏感信息查看记录")


class ProtectionMaskedOut(Schema):
    id: int
    union: int
    member: Ref
    period: str = Field(description="已隐藏")
    starts_on: date
    ends_on: date | None
    is_open: bool


class ProtectionPage(Schema):
    items: list[ProtectionMaskedOut]
    next_cursor: str | None


class ProtectionOut(Schema):
    id: int
    union: int
    member: Ref
    period: str
    period_label: str
    starts_on: date
    ends_on: date | None
    is_open: bool
    arrangements: str
    items: str
    notes: str


# Check-ups ---------------------------------------------------------------------------------


class CampaignFilters(Page):
    union: ObjectId | None = None
    year: Year | None = None


class CampaignIn(Strict):
    union: ObjectId
    year: Year
    kind: CheckupKindValue
    title: text(120)
    starts_on: date
    ends_on: date
    min_age: Annotated[int, Field(ge=0, le=70)] = 0
    provider: text(120) = ""


class CampaignOut(Schema):
    id: int
    union: int
    year: int
    kind: str
    kind_label: str
    title: str
    provider: str
    min_age: int
    starts_on: date
    ends_on: date
    eligible: int
    done: int
    coverage: float


class CampaignPage(Schema):
    items: list[CampaignOut]
    next_cursor: str | None


class CheckupOut(Schema):
    member: Ref
    done_on: date | None
    campaign: str = ""


class CampaignDetail(CampaignOut):
    checkups: list[CheckupOut]


class CheckupsIn(Strict):
    members: Ids
    done_on: date


class AddToListIn(Strict):
    member: ObjectId


# Insurance ------------------------------------------------------------------------------------


class PlanFilters(Page):
    union: ObjectId | None = None
    year: Year | None = None


class PlanIn(Strict):
    union: ObjectId
    year: Year
    name: text(120)
    premium: Money
    line: ObjectId
    insurer: text(120) = ""


class PlanOut(Schema):
    id: int
    union: int
    year: int
    name: str
    insurer: str
    premium: MoneyText
    line: int
    enrolled: int
    premium_total: MoneyText


class PlanPage(Schema):
    items: list[PlanOut]
    next_cursor: str | None


class EnrolIn(Strict):
    members: Ids
    enrolled_on: date
    voucher: text(40)
    over_budget_reason: text(200) = ""
    idempotency_key: IdempotencyKey


class EnrolmentOut(Schema):
    id: int
    plan: int
    member: Ref
    year: int
    premium: MoneyText
    enrolled_on: date


class EnrolOut(Schema):
    plan: PlanOut
    enrolled: list[EnrolmentOut]


class MyRecordsOut(Schema):
    checkups: list[CheckupOut]
    insurance: list[EnrolmentOut]
    protection: list[ProtectionOut]
