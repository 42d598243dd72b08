"""Request and response shapes of the finance endpoints, and of money everywhere.

Money leaves as a string with exactly two decimals ("1280.50") and never as a
JSON number, so no client parses it into a binary float. It is accepted as a
string or a number; a number is read through its shortest decimal form, so
0.1 stays 0.1 while a float artifact such as 0.30000000000000004 is refused
for having more than two decimals.
"""

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import PlainValidator, WithJsonSchema

from gonghui.api.schemas import ObjectId, Strict, text
from gonghui.finance.models import Category, Income, Kind, Payment

CENT = Decimal("0.01")
LARGEST = Decimal("999999999999.99")
MONEY_PATTERN = r"^-?\d{1,12}(\.\d{1,2})?$"


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
        try:
            amount = Decimal(value.strip())
        except InvalidOperation:
            raise ValueError(f'“{value[:30]}”不是有效金额（应为如 "1280.50" 的数字）') from None
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


class YearFilters(Schema):
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


class LineFilters(Schema):
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


class ExecutionFilters(Schema):
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


class EntryFilters(Schema):
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
