"""Request and response shapes of the care endpoints. Money is text with two
decimals (schemas_finance.money_text); hardship health details are accepted
on filing but only ever leave masked."""

from datetime import date, datetime
from typing import Annotated, Literal

from ninja import Field, Schema

from gonghui.api.schemas import ObjectId, Ref, Strict, text
from gonghui.api.schemas_finance import IdempotencyKey, Limit, Money, MoneyText, Year
from gonghui.api.strict import TextFields
from gonghui.care.models import (
    AidState,
    Assistance,
    AssistanceKind,
    AssistanceSource,
    CaseReview,
    Channel,
    Donation,
    DonationCampaign,
    FestivalDistribution,
    Handover,
    HardshipCase,
    HardshipCause,
    HardshipLevel,
    Occasion,
    ReviewOutcome,
    SchoolAid,
    Visit,
    VisitKind,
)

VisitKindValue = Literal[tuple(VisitKind.values)]  # type: ignore[valid-type]
LevelValue = Literal[tuple(HardshipLevel.values)]  # type: ignore[valid-type]
CauseValue = Literal[tuple(HardshipCause.values)]  # type: ignore[valid-type]
OutcomeValue = Literal[tuple(ReviewOutcome.values)]  # type: ignore[valid-type]
AssistanceKindValue = Literal[tuple(AssistanceKind.values)]  # type: ignore[valid-type]
SourceValue = Literal[tuple(AssistanceSource.values)]  # type: ignore[valid-type]
ChannelValue = Literal[tuple(Channel.values)]  # type: ignore[valid-type]
AidStateValue = Literal[tuple(AidState.values)]  # type: ignore[valid-type]
OccasionValue = Literal[tuple(Occasion.values)]  # type: ignore[valid-type]
Ids = Annotated[list[ObjectId], Field(max_length=5000)]
Cursor = text(40)


def _limit(model, field: str) -> int:
    return model._meta.get_field(field).max_length


class Page(TextFields):
    cursor: Cursor | None = None
    limit: Limit = 50


# Visits --------------------------------------------------------------------------


class VisitFilters(Page):
    union: ObjectId | None = None
    kind: VisitKindValue | None = None
    member: ObjectId | None = None
    on_from: date | None = None
    on_until: date | None = None


class VisitIn(Strict):
    union: ObjectId
    kind: VisitKindValue
    on: date
    members: Ids
    visitors: Ids = []
    gift: text(_limit(Visit, "gift")) = ""
    amount: Money | None = Field(None, description="慰问金额；为零或不填时不记支出")
    line: ObjectId | None = Field(None, description="有金额时必填：支出的预算科目")
    voucher: text(40) = ""
    over_budget_reason: text(200) = ""
    notes: text(2000) = ""
    idempotency_key: IdempotencyKey


class VisitOut(Schema):
    id: int
    union: int
    kind: str
    kind_label: str
    on: date
    members: list[Ref]
    visitors: list[Ref]
    gift: str
    amount: MoneyText
    line: int | None
    notes: str
    created_at: datetime


class VisitPage(Schema):
    items: list[VisitOut]
    next_cursor: str | None


# Hardship cases ------------------------------------------------------------------


class CaseFilters(Page):
    union: ObjectId | None = None
    member: ObjectId | None = None
    level: LevelValue | None = None
    open: bool | None = Field(None, description="true 只列未解除的，false 只列已解除的")


class CaseIn(Strict):
    member: ObjectId
    level: LevelValue
    causes: Annotated[list[CauseValue], Field(max_length=len(HardshipCause.values))]
    household_size: Annotated[int, Field(ge=1, le=99)]
    income_per_capita: Money
    filed_on: date
    above_threshold_reason: text(_limit(HardshipCase, "above_threshold_reason")) = ""
    health_details: text(2000) = Field("", description="健康状况：加密保存，接口只返回脱敏结果")


class CaseUpdateIn(Strict):
    """The facts of an open case; its level changes through a review."""

    causes: Annotated[list[CauseValue], Field(max_length=len(HardshipCause.values))]
    household_size: Annotated[int, Field(ge=1, le=99)]
    income_per_capita: Money
    filed_on: date
    above_threshold_reason: text(_limit(HardshipCase, "above_threshold_reason")) = ""
    health_details: text(2000) = Field("", description="留空则保留原记录；填写则替换")


class CaseOut(Schema):
    id: int
    union: int
    member: Ref
    level: str
    level_label: str
    causes: list[str]
    cause_labels: str
    household_size: int
    income_per_capita: MoneyText
    above_threshold_reason: str
    health_details: str = Field(
        description="只返回“已记录（已隐藏）”或空；查看原文须在后台说明理由"
    )
    filed_on: date
    closed_on: date | None
    close_reason: str
    is_open: bool


class ReviewOut(Schema):
    id: int
    on: date
    outcome: str
    outcome_label: str
    new_level: str
    note: str


class YearTotal(Schema):
    year: int
    amount: MoneyText
    count: int


class CaseDetail(CaseOut):
    reviews: list[ReviewOut]
    assistance_by_year: list[YearTotal]


class CasePage(Schema):
    items: list[CaseOut]
    next_cursor: str | None


class ReviewIn(Strict):
    on: date
    outcome: OutcomeValue
    new_level: LevelValue | Literal[""] = ""
    note: text(_limit(CaseReview, "note")) = ""


class CloseIn(Strict):
    on: date
    reason: text(_limit(HardshipCase, "close_reason"))


# Assistance --------------------------------------------------------------------------


class AssistanceFilters(Page):
    union: ObjectId | None = None
    member: ObjectId | None = None
    kind: AssistanceKindValue | None = None
    source: SourceValue | None = None
    approved: bool | None = None
    year: Year | None = None


class AssistanceIn(Strict):
    member: ObjectId
    kind: AssistanceKindValue
    source: SourceValue
    amount: Money
    on: date
    case: ObjectId | None = None
    reason: text(_limit(Assistance, "reason")) = ""
    line: ObjectId | None = Field(None, description="资金来源为本会经费时必填")
    voucher: text(_limit(Assistance, "voucher")) = ""


class ApproveIn(Strict):
    over_budget_reason: text(200) = ""


class AssistanceOut(Schema):
    id: int
    union: int
    member: Ref
    case: int | None
    kind: str
    kind_label: str
    source: str
    source_label: str
    amount: MoneyText
    on: date
    reason: str
    line: int | None
    voucher: str
    approved: bool
    approved_at: datetime | None


class AssistancePage(Schema):
    items: list[AssistanceOut]
    next_cursor: str | None


# Donation campaigns -----------------------------------------------------------------


class CampaignFilters(Page):
    union: ObjectId | None = None
    open_on: date | None = Field(None, description="只列这一天正在接受捐款的")


class CampaignIn(Strict):
    union: ObjectId
    purpose: text(_limit(DonationCampaign, "purpose"))
    opens_on: date
    closes_on: date
    beneficiary: ObjectId | None = Field(None, description="受助会员编号")
    beneficiary_name: text(_limit(DonationCampaign, "beneficiary_name")) = Field(
        "", description="受助人不是会员时填写姓名"
    )


class CampaignOut(Schema):
    id: int
    union: int
    purpose: str
    beneficiary: Ref | None
    beneficiary_label: str
    opens_on: date
    closes_on: date


class Totals(Schema):
    raised: MoneyText
    fund: MoneyText
    total: MoneyText
    delivered: MoneyText
    available: MoneyText
    donors: int


class ContributionOut(Schema):
    id: int
    campaign: int
    amount: MoneyText
    on: date
    line: int | None


class HandoverOut(Schema):
    id: int
    campaign: int
    amount: MoneyText
    on: date
    delivered_by: Ref | None
    note: str


class CampaignDetail(CampaignOut):
    totals: Totals
    contributions: list[ContributionOut]
    handovers: list[HandoverOut]


class CampaignPage(Schema):
    items: list[CampaignOut]
    next_cursor: str | None


class DonationIn(Strict):
    donor: ObjectId | None = Field(None, description="捐款会员编号")
    donor_name: text(_limit(Donation, "donor_name")) = Field("", description="非会员捐款人姓名")
    anonymous: bool = False
    amount: Money
    on: date
    channel: ChannelValue
    show_amount: bool = False
    idempotency_key: IdempotencyKey


class DonationOut(Schema):
    id: int
    campaign: int
    donor: Ref | None
    donor_label: str
    anonymous: bool
    amount: MoneyText
    on: date
    channel: str
    channel_label: str
    show_amount: bool


class ContributionIn(Strict):
    amount: Money
    on: date
    line: ObjectId
    voucher: text(40)
    over_budget_reason: text(200) = ""
    idempotency_key: IdempotencyKey


class HandoverIn(Strict):
    amount: Money
    on: date
    delivered_by: ObjectId | None = None
    note: text(_limit(Handover, "note")) = ""


# School aid ----------------------------------------------------------------------------


class SchoolAidFilters(Page):
    union: ObjectId | None = None
    member: ObjectId | None = None
    state: AidStateValue | None = None
    year: Year | None = Field(None, description="申请年度")


class SchoolAidIn(Strict):
    member: ObjectId
    child_name: text(_limit(SchoolAid, "child_name"))
    school: text(_limit(SchoolAid, "school"))
    grade: text(_limit(SchoolAid, "grade"))
    new_admission: bool = False
    applied_on: date


class AidApproveIn(Strict):
    amount: Money
    on: date
    line: ObjectId
    voucher: text(40)
    over_budget_reason: text(200) = ""


class AidDeclineIn(Strict):
    on: date
    reason: text(_limit(SchoolAid, "decline_reason"))


class SchoolAidOut(Schema):
    id: int
    union: int
    member: Ref
    child_name: str
    school: str
    grade: str
    new_admission: bool
    applied_on: date
    state: str
    state_label: str
    amount: MoneyText | None
    decline_reason: str
    decided_on: date | None


class SchoolAidPage(Schema):
    items: list[SchoolAidOut]
    next_cursor: str | None


# Festival gifts ------------------------------------------------------------------------


class DistributionFilters(Page):
    union: ObjectId | None = None
    occasion: OccasionValue | None = None
    year: Year | None = None


class DistributionIn(Strict):
    union: ObjectId
    occasion: OccasionValue
    on: date
    amount_per_person: Money
    members: Ids | None = Field(None, description="发放对象会员编号；不填时按下列条件从名册筛选")
    groups: Ids | None = Field(None, description="按工会小组筛选")
    gender: Literal["M", "F"] | None = None
    birth_month: Annotated[int, Field(ge=1, le=12)] | None = Field(None, description="生日月份")
    joined_before: date | None = None
    description: text(_limit(FestivalDistribution, "description")) = ""
    line: ObjectId | None = None
    voucher: text(40) = ""
    over_cap_reason: text(_limit(FestivalDistribution, "over_cap_reason")) = ""
    over_budget_reason: text(200) = ""
    idempotency_key: IdempotencyKey


class DistributionOut(Schema):
    id: int
    union: int
    occasion: str
    occasion_label: str
    on: date
    description: str
    amount_per_person: MoneyText
    total: MoneyText
    recipients: int
    line: int | None
    over_cap: bool
    over_cap_members: str
    over_cap_reason: str


class DistributionPage(Schema):
    items: list[DistributionOut]
    next_cursor: str | None


# Medical mutual aid ----------------------------------------------------------------------


class EnrolmentFilters(Page):
    union: ObjectId | None = None
    member: ObjectId | None = None
    year: Year | None = None


class EnrolmentIn(Strict):
    member: ObjectId
    year: Year
    premium: Money
    enrolled_on: date


class EnrolmentOut(Schema):
    id: int
    union: int
    member: Ref
    year: int
    premium: MoneyText
    enrolled_on: date


class EnrolmentPage(Schema):
    items: list[EnrolmentOut]
    next_cursor: str | None
