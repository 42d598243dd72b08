"""Every write to the union's money: years, budget lines, adjustments,
payments and income. Other apps pay through record_payment."""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from gonghui.finance.models import (
    MONEY,
    BudgetAdjustment,
    BudgetLine,
    Category,
    FiscalYear,
    Income,
    Kind,
    Payment,
)
from gonghui.orgs.models import Union

CENT = Decimal("0.01")
LARGEST = Decimal(10) ** (MONEY["max_digits"] - MONEY["decimal_places"]) - CENT


def money_error(value, *, label: str = "金额", allow_negative: bool = False) -> str | None:
    """Why `value` is not a usable amount of yuan, or None if it is."""
    if isinstance(value, float):
        # Binary floats cannot hold cents exactly; callers must pass Decimal.
        raise TypeError("money must be Decimal, not float")
    if value is None or value == "":
        return f"{label}不能为空"
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return f"{label}“{value}”不是有效的数字"
    if not amount.is_finite():
        return f"{label}“{value}”不是有效的数字"
    if amount != amount.quantize(CENT):
        return f"{label}最多保留两位小数（分），“{value}”超过了两位"
    if not allow_negative and amount <= 0:
        return f"{label}必须大于零，“{value}”不符合"
    if abs(amount) > LARGEST:
        return f"{label}“{value}”过大"
    return None


def _money(value, *, field: str, label: str = "金额", allow_negative: bool = False) -> Decimal:
    problem = money_error(value, label=label, allow_negative=allow_negative)
    if problem:
        raise ValidationError({field: problem})
    return Decimal(value).quantize(CENT)


# Years ---------------------------------------------------------------------


@transaction.atomic
def open_year(*, union: Union, year: int, actor=None) -> FiscalYear:
    """Start a union's budget year; a year exists once per union."""
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        raise ValidationError({"year": f"年度“{year}”无效，应为2000至2100之间的年份"})
    try:
        with transaction.atomic():
            return FiscalYear.objects.create(union=union, year=year)
    except IntegrityError as e:
        raise ValidationError({"year": f"{union.name}的{year}年度已经建立"}) from e


@transaction.atomic
def close_year(*, fiscal_year: FiscalYear, actor) -> FiscalYear:
    """Close a year's books: afterwards no income, payment, line or adjustment
    may be booked in it. Closing twice is refused."""
    changed = FiscalYear.objects.filter(pk=fiscal_year.pk, closed=False).update(
        closed=True, closed_at=timezone.now(), closed_by=actor
    )
    if changed != 1:
        raise ValidationError({"year": f"{fiscal_year.year}年度已经结账"})
    fiscal_year.refresh_from_db()
    return fiscal_year


def _fresh_year(line: BudgetLine) -> FiscalYear:
    # Read again: the year may have been closed since the line was loaded.
    return FiscalYear._base_manager.get(pk=line.fiscal_year_id)


# Budget lines ----------------------------------------------------------------


def clean_line_fields(*, fiscal_year: FiscalYear, category: str, name: str, planned) -> dict:
    """Check one new budget line's fields; raise ValidationError keyed by field."""
    errors = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = "预算项目名称不能为空"
    elif len(name) > 80:
        errors["name"] = "预算项目名称不能超过80个字"
    elif BudgetLine.objects.filter(fiscal_year=fiscal_year, name=name).exists():
        errors["name"] = f"{fiscal_year.year}年度已有名为“{name}”的预算项目"
    if category not in Category.values:
        errors["category"] = f"科目类别“{category}”不在可选范围内"
    problem = money_error(planned, label="年初预算", allow_negative=True)
    if problem is None and Decimal(planned) < 0:
        problem = "年初预算不能为负数"
    if problem:
        errors["planned"] = problem
    if fiscal_year.closed:
        errors["fiscal_year"] = f"{fiscal_year.year}年度已经结账，不能再添加预算项目"
    if errors:
        raise ValidationError(errors)
    return {"category": category, "name": name, "planned": Decimal(planned).quantize(CENT)}


@transaction.atomic
def add_line(
    *, fiscal_year: FiscalYear, category: str, name: str, planned, actor=None
) -> BudgetLine:
    data = clean_line_fields(fiscal_year=fiscal_year, category=category, name=name, planned=planned)
    try:
        with transaction.atomic():
            return BudgetLine.objects.create(
                union_id=fiscal_year.union_id,
                fiscal_year=fiscal_year,
                budget=data["planned"],
                **data,
            )
    except IntegrityError as e:
        raise ValidationError(
            {"name": f"{fiscal_year.year}年度已有名为“{data['name']}”的预算项目"}
        ) from e


@transaction.atomic
def adjust_budget(*, line: BudgetLine, delta, reason: str, actor) -> BudgetAdjustment:
    """Raise or lower a line's budget, with the reason kept beside it."""
    errors = {}
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = "调整预算必须填写调整理由"
    problem = money_error(delta, label="调整金额", allow_negative=True)
    if problem is None and Decimal(delta) == 0:
        problem = "调整金额不能为零"
    if problem:
        errors["delta"] = problem
    fiscal_year = _fresh_year(line)
    if fiscal_year.closed:
        errors["line"] = f"{fiscal_year.year}年度已经结账，不能再调整预算"
    if errors:
        raise ValidationError(errors)
    delta = Decimal(delta).quantize(CENT)
    # Conditional update: the budget never drops below zero, even when two
    # people adjust the same line at once.
    changed = BudgetLine.objects.filter(pk=line.pk, budget__gte=-delta).update(
        budget=F("budget") + delta
    )
    if changed != 1:
        raise ValidationError({"delta": f"调减{-delta}元后预算将小于零"})
    adjustment = BudgetAdjustment.objects.create(
        union_id=line.union_id, line=line, delta=delta, reason=reason, created_by=actor
    )
    line.refresh_from_db()
    return adjustment


# Payments and income -----------------------------------------------------------


def _check_entry(*, union: Union, amount, line: BudgetLine, on, kind: str, party: tuple, voucher):
    """The rules a payment and an income share; returns the amount as Decimal."""
    errors = {}
    problem = money_error(amount)
    if problem:
        errors["amount"] = problem
    party_field, party_label, party_value = party
    if not (party_value or "").strip():
        errors[party_field] = f"{party_label}不能为空"
    if not (voucher or "").strip():
        errors["voucher"] = "凭证号不能为空"
    if not isinstance(on, date):
        errors["on"] = "日期不能为空"
    if line is None:
        errors["line"] = "请选择预算科目"
    elif line.union_id != union.pk:
        errors["line"] = "所选预算科目不属于本工会"
    else:
        if line.kind != kind:
            errors["line"] = (
                f"“{line.name}”是{Kind(line.kind).label}科目，不能用于记录{Kind(kind).label}"
            )
        fiscal_year = _fresh_year(line)
        if fiscal_year.closed:
            errors["line"] = f"{fiscal_year.year}年度已经结账，不能再记录收支"
        elif isinstance(on, date) and not fiscal_year.contains(on):
            errors["on"] = (
                f"日期{on:%Y-%m-%d}不在所选预算科目的{fiscal_year.year}年度内"
                f"（{fiscal_year.starts_on:%Y-%m-%d}至{fiscal_year.ends_on:%Y-%m-%d}）"
            )
    if errors:
        raise ValidationError(errors)
    return Decimal(amount).quantize(CENT)


def _link(record) -> dict:
    if record is None:
        return {"linked_type": None, "linked_id": None}
    return {
        "linked_type": ContentType.objects.get_for_model(record),
        "linked_id": record.pk,
    }


def _key_error(idempotency_key) -> None:
    if not idempotency_key or len(idempotency_key) > 64:
        raise ValidationError({"idempotency_key": "表单标识无效，请刷新页面后重新提交"})


@transaction.atomic
def record_payment(
    *,
    union: Union,
    amount,
    line: BudgetLine,
    on: date,
    payee: str,
    voucher: str,
    pays_for=None,
    idempotency_key: str,
    over_budget_reason: str = "",
    note: str = "",
    actor,
) -> Payment:
    """Book a payment against an expenditure line. A second call with the same
    idempotency key returns the first payment and writes nothing; a payment
    that would take the line over its budget needs a reason."""
    _key_error(idempotency_key)
    existing = Payment.objects.filter(union=union, idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing
    amount = _check_entry(
        union=union,
        amount=amount,
        line=line,
        on=on,
        kind=Kind.EXPENDITURE,
        party=("payee", "收款方", payee),
        voucher=voucher,
    )
    over_budget_reason = (over_budget_reason or "").strip()
    try:
        with transaction.atomic():
            payment = Payment.objects.create(
                union=union,
                line=line,
                category=line.category,
                on=on,
                amount=amount,
                payee=payee.strip(),
                voucher=voucher.strip(),
                note=(note or "").strip(),
                idempotency_key=idempotency_key,
                over_budget_reason=over_budget_reason,
                created_by=actor,
                **_link(pays_for),
            )
    except IntegrityError:
        # Another submit of the same form won the race; it is the payment.
        return Payment.objects.get(union=union, idempotency_key=idempotency_key)
    # Within budget: one conditional update, which also holds when two
    # payments hit the line at once.
    within = BudgetLine.objects.filter(pk=line.pk, actual__lte=F("budget") - amount).update(
        actual=F("actual") + amount
    )
    if within != 1:
        if not over_budget_reason:
            line.refresh_from_db()
            raise ValidationError(
                {
                    "over_budget_reason": (
                        f"本笔支出{amount}元将使“{line.name}”超出预算"
                        f"（预算{line.budget}元，已支出{line.actual}元），请填写超预算理由"
                    )
                }
            )
        BudgetLine.objects.filter(pk=line.pk).update(actual=F("actual") + amount)
        Payment.objects.filter(pk=payment.pk).update(over_budget=True)
        payment.over_budget = True
    line.refresh_from_db()
    return payment


@transaction.atomic
def record_income(
    *,
    union: Union,
    amount,
    line: BudgetLine,
    on: date,
    payer: str,
    voucher: str,
    received_for=None,
    idempotency_key: str,
    note: str = "",
    actor,
) -> Income:
    """Book income against an income line; a second call with the same
    idempotency key returns the first income and writes nothing."""
    _key_error(idempotency_key)
    existing = Income.objects.filter(union=union, idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing
    amount = _check_entry(
        union=union,
        amount=amount,
        line=line,
        on=on,
        kind=Kind.INCOME,
        party=("payer", "付款方", payer),
        voucher=voucher,
    )
    try:
        with transaction.atomic():
            income = Income.objects.create(
                union=union,
                line=line,
                category=line.category,
                on=on,
                amount=amount,
                payer=payer.strip(),
                voucher=voucher.strip(),
                note=(note or "").strip(),
                idempotency_key=idempotency_key,
                created_by=actor,
                **_link(received_for),
            )
    except IntegrityError:
        return Income.objects.get(union=union, idempotency_key=idempotency_key)
    BudgetLine.objects.filter(pk=line.pk).update(actual=F("actual") + amount)
    line.refresh_from_db()
    return income
