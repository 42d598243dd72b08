"""Request and response shapes of the finance endpoints, and of money everywhere.

Money leaves as a string with exactly two decimals ("1280.50") and never as a
JSON number, so no client parses it into a binary float. It is accepted as a
string or a number; a number is read through its shortest decimal form, so
0.1 stays 0.1 while a float artifact such as 0.30000000000000004 is refused
for having more than two decimals.
"""

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import PlainValidator, WithJsonSchema

from gonghui.api.schemas import ObjectId, Strict, text
from gonghui.api.strict import TextFields
from gonghui.finance.models import (
    Allocation,
    AuditReport,
    Category,
    DuesExemption,
    DuesSource,
    Income,
    Kind,
    Payment,
    Rounding,
    UpwardTransfer,
)

CENT = Decimal("0.01")
LARGEST = Decimal("999999999999.99")
MONEY_PATTERN = r"^-?\d{1,12}(\.\d{1,2})?$"
DECIMAL_TEXT = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def parse_money(value) -> Decimal:
    """A Decimal with two places from a string or number; ValueError in Chinese otherwise."""
    if isinstance(value, bool):
        raise ValueError('应为金额（如 "1280.50"），不能是 true/false')
    if isinstance(value, Decimal):
        amount = value
    elif isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, float):
        amount = Decimal(repr(value))
    elif isinstance(value, str):
        # Spelled as the schema documents it: digits, a sign, a point; no spaces,
        # exponents or words (docs/hardening.md).
        if not DECIMAL_TEXT.fullmatch(value):
            raise ValueError(f'“{value[:30]}”不是有效金额（应为如 "1280.50" 的数字）')
        amount = Decimal(value)
        if amount.as_tuple().exponent < -2:
            raise ValueError(f"最多保留两位小数（分），“{value[:30]}”超过了两位")
    else:
        raise ValueError('应为金额（如 "1280.50"），以文本或数字提供')
    if not amount.is_finite():
        raise ValueError("不是有效金额")
    if amount.as_tuple().exponent < -2 and amount != amount.quantize(CENT):
        raise ValueError(f"最多保留两位小数（分），“{value}”超过了两位")
    if abs(amount) > LARGEST:
        raise ValueError("金额过大")
    return amount.quantize(CENT)


Money = Annotated[
    Decimal,
    PlainValidator(parse_money),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "pattern": MONEY_PATTERN, "examples": ["1280.50"]},
                {"type": "number"},
            ],
            "description": '金额（元），最多两位小数；建议以文本提供，如 "1280.50"',
        }
    ),
]
MoneyText = Annotated[
    str,
    WithJsonSchema({"type": "string", "pattern": MONEY_PATTERN, "examples": ["1280.50"]}),
]


def money_text(value) -> str | None:
    """Two decimals as text: the only way money leaves the API."""
    if value is None:
        return None
    return f"{Decimal(value).quantize(CENT):f}"


CategoryValue = Literal[tuple(Category.values)]  # type: ignore[valid-type]
KindValue = Literal[tuple(Kind.values)]  # type: ignore[valid-type]
Year = Annotated[int, Field(ge=2000, le=2100)]
Limit = Annotated[int, Field(ge=1, le=200)]
IdempotencyKey = Annotated[
    str,
    Field(
        min_length=8,
        max_length=64,
        pattern=r"^[A-Za-z0-9_.:-]+$",
        description="防重复提交标识：同一笔记录重复提交时使用同一个值（如 UUID）",
    ),
]


def _limit(model, field: str) -> int:
    return model._meta.get_field(field).max_length


# Years and lines ----------------------------------------------------------------


class FiscalYearOut(Schema):
    id: int
    union: int
    year: int
    closed: bool


class YearFilters(TextFields):
    union: ObjectId | None = None


class LineOut(Schema):
    id: int
    union: int
    fiscal_year: int
    year: int
    category: str
    category_label: str
    kind: str
    name: str
    planned: MoneyText
    budget: MoneyText
    actual: MoneyText


class LineFilters(TextFields):
    union: ObjectId | None = None
    year: Year | None = None
    category: CategoryValue | None = None
    kind: KindValue | None = None


class LineIn(Strict):
    category: CategoryValue
    name: text(80)
    planned: Money


class AdjustmentIn(Strict):
    delta: Money
    reason: text(200)


class AdjustmentOut(Schema):
    id: int
    line: LineOut
    delta: MoneyText
    reason: str
    created_at: datetime


class ExecutionFilters(TextFields):
    union: ObjectId
    year: Year
    kind: KindValue = Kind.EXPENDITURE


class ExecutionOut(Schema):
    line: int
    union: int
    category: str
    category_label: str
    name: str
    budget: MoneyText
    actual: MoneyText
    remaining: MoneyText
    share: str | None = Field(description="已执行占预算的百分比，一位小数；预算为零时为空")
    level: Literal["ok", "warning", "exceeded"]


# Payments and income ------------------------------------------------------------------


class EntryFilters(TextFields):
    union: ObjectId | None = None
    year: Year | None = None
    category: CategoryValue | None = None
    line: ObjectId | None = None
    on_from: date | None = None
    on_until: date | None = None
    cursor: text(40) | None = None
    limit: Limit = 50


class EntryIn(Strict):
    union: ObjectId
    line: ObjectId
    amount: Money
    on: date
    voucher: text(_limit(Payment, "voucher"))
    note: text(_limit(Payment, "note")) = ""
    idempotency_key: IdempotencyKey
    activity: ObjectId | None = Field(None, description="这笔收支所属的活动（可选）")


class PaymentIn(EntryIn):
    payee: text(_limit(Payment, "payee"))
    over_budget_reason: text(_limit(Payment, "over_budget_reason")) = ""


class IncomeIn(EntryIn):
    payer: text(_limit(Income, "payer"))


class LinkOut(Schema):
    type: str
    id: int


class EntryOut(Schema):
    id: int
    union: int
    line: int
    line_name: str
    category: str
    category_label: str
    on: date
    amount: MoneyText
    voucher: str
    note: str
    linked: LinkOut | None
    created_at: datetime


class PaymentOut(EntryOut):
    payee: str
    over_budget: bool
    over_budget_reason: str


class IncomeOut(EntryOut):
    payer: str


class PaymentPage(Schema):
    items: list[PaymentOut]
    next_cursor: str | None


class IncomePage(Schema):
    items: list[IncomeOut]
    next_cursor: str | None


# Dues, the employer's allocation and the audit committee ---------------------------------

MONTH_PATTERN = r"^\d{4}-\d{2}$"


def parse_month(value) -> date:
    """The first day of a month given as "2025-03"; ValueError in Chinese otherwise."""
    if isinstance(value, date):
        return value.replace(day=1)
    if not isinstance(value, str):
        raise ValueError('应为月份，格式为 YYYY-MM（如 "2025-03"）')
    text_value = value
    try:
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}", text_value):
            raise ValueError
        year, month = text_value.split("-")
        found = date(int(year), int(month), 1)
    except ValueError:
        raise ValueError(f'“{value[:20]}”不是有效月份，格式应为 YYYY-MM（如 "2025-03"）') from None
    if not 1900 <= found.year <= 2100:
        raise ValueError(f"“{value[:20]}”的年份超出范围")
    return found


def parse_rate(value) -> Decimal:
    """A rate as a fraction (0.005 is 0.5%) from a string or number; the service
    checks its range. Float artifacts are read through their shortest form."""
    if isinstance(value, bool):
        raise ValueError('应为比例（如 "0.005" 即 0.5%），不能是 true/false')
    if isinstance(value, Decimal):
        rate = value
    elif isinstance(value, int):
        rate = Decimal(value)
    elif isinstance(value, float):
        rate = Decimal(repr(value))
    elif isinstance(value, str):
        if not DECIMAL_TEXT.fullmatch(value):
            raise ValueError(f'“{value[:30]}”不是有效比例（应为如 "0.005" 的小数）')
        rate = Decimal(value)
    else:
        raise ValueError('应为比例（如 "0.005" 即 0.5%），以文本或数字提供')
    if not rate.is_finite():
        raise ValueError("不是有效比例")
    return rate


Month = Annotated[
    date,
    PlainValidator(parse_month),
    WithJsonSchema(
        {"type": "string", "pattern": MONTH_PATTERN, "examples": ["2025-03"], "description": "月份"}
    ),
]
Rate = Annotated[
    Decimal,
    PlainValidator(parse_rate),
    WithJsonSchema(
        {
            "anyOf": [{"type": "string", "examples": ["0.005"]}, {"type": "number"}],
            "description": '比例，以小数表示（"0.005" 即 0.5%），最多精确到0.01%',
        }
    ),
]
RateText = Annotated[str, WithJsonSchema({"type": "string", "examples": ["0.0050"]})]
MonthText = Annotated[str, WithJsonSchema({"type": "string", "pattern": MONTH_PATTERN})]
DuesSourceValue = Literal[tuple(DuesSource.values)]  # type: ignore[valid-type]
RoundingValue = Literal[tuple(Rounding.values)]  # type: ignore[valid-type]


def rate_text(value) -> str | None:
    return None if value is None else f"{Decimal(value).quantize(Decimal('0.0001')):f}"


def month_text(value: date) -> str:
    return f"{value:%Y-%m}"


class SettingsFilters(TextFields):
    union: ObjectId


class SettingsIn(Strict):
    union: ObjectId
    dues_rate: Rate
    rounding: RoundingValue
    allocation_rate: Rate
    upward_share: Rate


class SettingsOut(Schema):
    union: int
    dues_rate: RateText
    rounding: str
    rounding_label: str
    allocation_rate: RateText
    upward_share: RateText
    saved: bool = Field(description="为假时表示该工会尚未设置，返回的是默认值")


class DuesBaseIn(Strict):
    base: Money = Field(description="会费基数（月工资，元）")
    since: Month = Field(description="自该月起按此基数计缴")
    rate: Rate | None = Field(None, description="会员自己的会费比例；空表示按工会比例")


class DuesBaseOut(Schema):
    id: int
    union: int
    member: int
    since: MonthText
    base: MoneyText
    rate: RateText | None


class ExemptionFilters(TextFields):
    union: ObjectId | None = None
    member: ObjectId | None = None
    cursor: text(40) | None = None
    limit: Limit = 50


class ExemptionIn(Strict):
    member: ObjectId
    starts_on: Month
    ends_on: Month | None = Field(None, description="空表示长期免缴")
    reason: text(_limit(DuesExemption, "reason"))


class ExemptionOut(Schema):
    id: int
    union: int
    member: int
    member_name: str
    starts_on: MonthText
    ends_on: MonthText | None
    reason: str
    created_at: datetime


class ExemptionPage(Schema):
    items: list[ExemptionOut]
    next_cursor: str | None


class DuesPaymentFilters(TextFields):
    union: ObjectId | None = None
    member: ObjectId | None = None
    month_from: Month | None = None
    month_until: Month | None = None
    cursor: text(40) | None = None
    limit: Limit = 50


class DuesPaymentIn(Strict):
    member: ObjectId
    month: Month
    amount: Money
    paid_on: date
    source: DuesSourceValue
    voucher: text(_limit(Payment, "voucher")) = ""
    idempotency_key: IdempotencyKey


class DuesPaymentOut(Schema):
    id: int
    union: int
    member: int
    member_name: str
    month: MonthText
    amount: MoneyText
    paid_on: date
    source: str
    source_label: str
    income: int | None
    created_at: datetime


class DuesPaymentPage(Schema):
    items: list[DuesPaymentOut]
    next_cursor: str | None


class ArrearsFilters(TextFields):
    union: ObjectId
    month: Month = Field(description="统计截至该月（含）的欠缴")


class ArrearsMonthOut(Schema):
    month: MonthText
    amount: MoneyText


class ArrearsMemberOut(Schema):
    member: int
    name: str
    months: list[ArrearsMonthOut]
    total: MoneyText


class ArrearsGroupOut(Schema):
    group: int | None
    group_name: str
    members: list[ArrearsMemberOut]
    total: MoneyText


class AllocationFilters(TextFields):
    union: ObjectId | None = None
    cursor: text(40) | None = None
    limit: Limit = 50


class AllocationIn(Strict):
    union: ObjectId
    starts_on: date
    ends_on: date
    payroll_total: Money
    rate: Rate | None = Field(None, description="空表示按工会设置的拨缴比例")
    upward_share: Rate | None = Field(None, description="空表示按工会设置的上解比例")
    note: text(_limit(Allocation, "note")) = ""


class AllocationOut(Schema):
    id: int
    union: int
    starts_on: date
    ends_on: date
    payroll_total: MoneyText
    rate: RateText
    amount_due: MoneyText
    upward_share: RateText
    received: MoneyText
    transferred: MoneyText
    upward_due: MoneyText
    note: str
    created_at: datetime


class AllocationPage(Schema):
    items: list[AllocationOut]
    next_cursor: str | None


class ReceiptIn(Strict):
    amount: Money
    on: date
    voucher: text(_limit(Income, "voucher"))
    payer: text(_limit(Income, "payer")) = "行政单位"
    idempotency_key: IdempotencyKey


class TransferIn(Strict):
    amount: Money
    on: date
    recipient: text(_limit(UpwardTransfer, "recipient"))
    voucher: text(_limit(UpwardTransfer, "voucher"))
    idempotency_key: IdempotencyKey


class TransferOut(Schema):
    id: int
    union: int
    allocation: int
    amount: MoneyText
    on: date
    recipient: str
    voucher: str
    created_at: datetime


class AuditFilters(TextFields):
    union: ObjectId | None = None
    cursor: text(40) | None = None
    limit: Limit = 50


class AuditReportIn(Strict):
    union: ObjectId
    title: text(_limit(AuditReport, "title"))
    starts_on: date
    ends_on: date
    findings: text(20000)
    conclusion: text(20000)
    filed_by: ObjectId = Field(description="报告人（本工会经审委员的会员编号）")
    filed_on: date


class AuditReportOut(Schema):
    id: int
    union: int
    title: str
    starts_on: date
    ends_on: date
    findings: str
    conclusion: str
    filed_by: int
    filed_by_name: str
    filed_on: date
    created_at: datetime


class AuditReportPage(Schema):
    items: list[AuditReportOut]
    next_cursor: str | None
