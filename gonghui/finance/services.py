"""Every write to the union's money: years, budget lines, adjustments,
payments and income, dues, the employer's allocation and the audit
committee's reports. Other apps pay through record_payment."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone

from gonghui.finance import dues
from gonghui.finance.models import (
    MONEY,
    RATE,
    Allocation,
    AuditReport,
    BudgetAdjustment,
    BudgetLine,
    Category,
    DuesBase,
    DuesExemption,
    DuesImport,
    DuesPayment,
    DuesSource,
    FinanceSettings,
    FiscalYear,
    Income,
    Kind,
    Payment,
    Rounding,
    UpwardTransfer,
)
from gonghui.members.models import Member
from gonghui.orgs.models import RoleAssignment, Union
from gonghui.orgs.roles import Role

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


# Finance settings -------------------------------------------------------------------

RATE_STEP = Decimal(10) ** -RATE["decimal_places"]


def rate_error(value, *, label: str, lowest: Decimal, highest: Decimal) -> str | None:
    """Why `value` (a fraction: 0.005 is 0.5%) is not a usable rate, or None."""
    if isinstance(value, float):
        raise TypeError("rates must be Decimal, not float")
    if value is None or value == "":
        return f"{label}不能为空"
    try:
        rate = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return f"{label}“{value}”不是有效的数字"
    if not rate.is_finite():
        return f"{label}“{value}”不是有效的数字"
    if not lowest <= rate <= highest:
        return (
            f"{label}应在{dues.percent(lowest)}至{dues.percent(highest)}之间，"
            f"“{dues.percent(rate)}”超出了范围"
        )
    if rate != rate.quantize(RATE_STEP):
        return f"{label}最多精确到0.01%，“{dues.percent(rate)}”过于精细"
    return None


@transaction.atomic
def update_finance_settings(
    *, union: Union, dues_rate, rounding: str, allocation_rate, upward_share, actor=None
) -> FinanceSettings:
    """Set the union's dues rate and rounding, allocation rate and upward share."""
    errors = {}
    for key, value, label, highest in (
        ("dues_rate", dues_rate, "会费比例", dues.HIGHEST_RATE),
        ("allocation_rate", allocation_rate, "拨缴经费比例", dues.HIGHEST_RATE),
        ("upward_share", upward_share, "上解上级比例", Decimal("1")),
    ):
        problem = rate_error(value, label=label, lowest=dues.LOWEST_RATE, highest=highest)
        if problem:
            errors[key] = problem
    if rounding not in Rounding.values:
        errors["rounding"] = f"取整规则“{rounding}”不在可选范围内"
    if errors:
        raise ValidationError(errors)
    values = {
        "dues_rate": Decimal(dues_rate),
        "rounding": rounding,
        "allocation_rate": Decimal(allocation_rate),
        "upward_share": Decimal(upward_share),
    }
    try:
        with transaction.atomic():
            found, _ = FinanceSettings.objects.update_or_create(union=union, defaults=values)
    except IntegrityError:
        # Two first saves at once: the other created the row; update it.
        FinanceSettings.objects.filter(union=union).update(**values)
        found = FinanceSettings.objects.get(union=union)
    return found


# Dues ----------------------------------------------------------------------------------


def _month(value, *, field: str, label: str = "月份") -> date:
    if not isinstance(value, date):
        raise ValidationError({field: f"{label}不能为空"})
    return dues.month_of(value)


@transaction.atomic
def set_dues_base(*, member: Member, base, since: date, rate=None, actor=None) -> DuesBase:
    """Set a member's dues base (monthly wage) from a month on, with an optional
    own rate; setting the same month again corrects it."""
    errors = {}
    problem = money_error(base, label="会费基数", allow_negative=True)
    if problem is None and Decimal(base) < 0:
        problem = f"会费基数不能为负数，“{base}”不符合"
    if problem:
        errors["base"] = problem
    if rate not in (None, ""):
        problem = rate_error(
            rate, label="会费比例", lowest=dues.LOWEST_RATE, highest=dues.HIGHEST_RATE
        )
        if problem:
            errors["rate"] = problem
    if not isinstance(since, date):
        errors["since"] = "起始月份不能为空"
    elif member.left_on is not None and dues.month_of(since) > dues.month_of(member.left_on):
        errors["since"] = f"会员{member.name}已于{member.left_on:%Y-%m-%d}离会，不能再设置会费基数"
    if errors:
        raise ValidationError(errors)
    since = dues.month_of(since)
    values = {
        "base": Decimal(base).quantize(CENT),
        "rate": Decimal(rate) if rate not in (None, "") else None,
        "created_by": actor if getattr(actor, "pk", None) else None,
    }
    try:
        with transaction.atomic():
            found, _ = DuesBase.objects.update_or_create(
                union_id=member.union_id, member=member, since=since, defaults=values
            )
    except IntegrityError:
        DuesBase.objects.filter(member=member, since=since).update(**values)
        found = DuesBase.objects.get(member=member, since=since)
    return found


@transaction.atomic
def exempt_from_dues(
    *, member: Member, starts_on: date, ends_on: date | None = None, reason: str, actor=None
) -> DuesExemption:
    """Free a member from dues for a run of months (open-ended when ends_on is None).
    Runs may not overlap, nor cover a month already paid."""
    errors = {}
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = "免缴会费必须填写理由（如：退休、长期病休）"
    elif len(reason) > 200:
        errors["reason"] = "免缴理由不能超过200个字"
    if not isinstance(starts_on, date):
        errors["starts_on"] = "免缴起始月份不能为空"
    elif ends_on is not None and dues.month_of(ends_on) < dues.month_of(starts_on):
        errors["ends_on"] = "免缴截止月份不能早于起始月份"
    if errors:
        raise ValidationError(errors)
    first = dues.month_of(starts_on)
    last = dues.month_of(ends_on) if ends_on is not None else None
    for other in DuesExemption.objects.filter(member=member):
        other_ends = other.ends_on or date.max
        if first <= other_ends and other.starts_on <= (last or date.max):
            raise ValidationError({"starts_on": f"与已有的免缴期（{other}）重叠"})
    paid = DuesPayment.objects.filter(member=member, month__gte=first)
    if last is not None:
        paid = paid.filter(month__lte=last)
    paid_month = paid.order_by("month").values_list("month", flat=True).first()
    if paid_month is not None:
        raise ValidationError(
            {
                "starts_on": f"会员{member.name}{dues.month_label(paid_month)}的会费已缴纳，不能设为免缴"
            }
        )
    return DuesExemption.objects.create(
        union_id=member.union_id,
        member=member,
        starts_on=first,
        ends_on=last,
        reason=reason,
        created_by=actor if getattr(actor, "pk", None) else None,
    )


def income_line(*, union: Union, category: str, on: date) -> BudgetLine:
    """The income line a dues or allocation receipt is booked to: the first line
    of that category in the year of `on`, which must be open."""
    label = Category(category).label
    if not isinstance(on, date):
        raise ValidationError({"line": f"请先填写日期，以确定{label}记入哪个年度"})
    line = (
        BudgetLine.objects.filter(union=union, category=category, fiscal_year__year=on.year)
        .select_related("fiscal_year")
        .order_by("pk")
        .first()
    )
    if line is None:
        raise ValidationError(
            {"line": f"{on.year}年度预算中没有“{label}”科目，请先建立该年度并添加{label}预算项目"}
        )
    if line.fiscal_year.closed:
        raise ValidationError({"line": f"{on.year}年度已经结账，不能再记录{label}"})
    return line


def _actor_or_none(actor):
    return actor if getattr(actor, "pk", None) else None


@transaction.atomic
def record_dues_payment(
    *,
    member: Member,
    month: date,
    amount,
    paid_on: date,
    source: str,
    idempotency_key: str,
    voucher: str = "",
    actor,
) -> DuesPayment:
    """Record one member's dues for one month and book it as 会费收入 in the same
    transaction. A second call with the same idempotency key returns the first
    payment; a month is paid once."""
    _key_error(idempotency_key)
    existing = DuesPayment.objects.filter(
        union_id=member.union_id, idempotency_key=idempotency_key
    ).first()
    if existing is not None:
        return existing
    errors = {}
    problem = money_error(amount)
    if problem:
        errors["amount"] = problem
    if source not in DuesSource.values:
        errors["source"] = f"缴纳方式“{source}”不在可选范围内（工资代扣、现金、转账）"
    if not isinstance(paid_on, date):
        errors["paid_on"] = "缴纳日期不能为空"
    if not isinstance(month, date):
        errors["month"] = "所属月份不能为空"
    else:
        month = dues.month_of(month)
        book = dues.DuesBook.load(unions=[member.union_id], members=[member.pk])
        problem = book.month_problem(member, month)
        if problem:
            errors["month"] = problem
    if errors:
        # A simultaneous submit of the same form may have paid the month
        # between the first look and the dues book: it is this payment.
        existing = DuesPayment.objects.filter(
            union_id=member.union_id, idempotency_key=idempotency_key
        ).first()
        if existing is not None:
            return existing
        raise ValidationError(errors)
    line = income_line(union=member.union, category=Category.DUES, on=paid_on)
    try:
        with transaction.atomic():
            payment = DuesPayment.objects.create(
                union_id=member.union_id,
                member=member,
                month=month,
                amount=Decimal(amount).quantize(CENT),
                paid_on=paid_on,
                source=source,
                idempotency_key=idempotency_key,
                created_by=_actor_or_none(actor),
            )
    except IntegrityError:
        # Another submit of the same form won the race; it is the payment.
        existing = DuesPayment.objects.filter(
            union_id=member.union_id, idempotency_key=idempotency_key
        ).first()
        if existing is not None:
            return existing
        raise ValidationError(
            {"month": f"会员{member.name}{dues.month_label(month)}的会费已经缴纳，不能重复缴纳"}
        ) from None
    payment.income = record_income(
        union=member.union,
        amount=payment.amount,
        line=line,
        on=paid_on,
        payer=member.name,
        voucher=(voucher or "").strip() or f"会费{month:%Y%m}-{member.pk}",
        note=f"{member.name}{dues.month_label(month)}会费（{DuesSource(source).label}）",
        received_for=payment,
        idempotency_key=f"dues-{payment.pk}",
        actor=actor,
    )
    DuesPayment.objects.filter(pk=payment.pk).update(income=payment.income)
    return payment


@transaction.atomic
def record_deductions(
    *,
    union: Union,
    month: date,
    paid_on: date,
    entries: list[tuple[Member, Decimal]],
    original_name: str,
    idempotency_key: str,
    voucher: str = "",
    actor,
) -> DuesImport:
    """Record one month's payroll deductions for many members and book their
    total as one 会费收入 entry. All or nothing; the same key writes once."""
    _key_error(idempotency_key)
    existing = DuesImport.objects.filter(union=union, idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing
    month = _month(month, field="month")
    if not isinstance(paid_on, date):
        raise ValidationError({"paid_on": "代扣日期不能为空"})
    if not entries:
        raise ValidationError({"file": "文件中没有会费代扣数据"})
    book = dues.DuesBook.load(unions=[union.pk], members=[m.pk for m, _ in entries])
    seen = set()
    for member, amount in entries:
        problem = money_error(amount) or (
            "会员不属于本工会" if member.union_id != union.pk else None
        )
        problem = problem or book.month_problem(member, month)
        if member.pk in seen:
            problem = f"会员{member.name}在本次代扣中出现了两次"
        if problem:
            raise ValidationError({"file": f"{member.name}：{problem}"})
        seen.add(member.pk)
    line = income_line(union=union, category=Category.DUES, on=paid_on)
    total = sum((Decimal(a).quantize(CENT) for _, a in entries), Decimal("0.00"))
    try:
        with transaction.atomic():
            batch = DuesImport.objects.create(
                union=union,
                month=month,
                paid_on=paid_on,
                original_name=(original_name or "")[:255],
                rows=len(entries),
                total=total,
                idempotency_key=idempotency_key,
                created_by=_actor_or_none(actor),
            )
            DuesPayment.objects.bulk_create(
                [
                    DuesPayment(
                        union=union,
                        member=member,
                        month=month,
                        amount=Decimal(amount).quantize(CENT),
                        paid_on=paid_on,
                        source=DuesSource.PAYROLL,
                        batch=batch,
                        idempotency_key=f"import-{batch.pk}-{member.pk}",
                        created_by=_actor_or_none(actor),
                    )
                    for member, amount in entries
                ]
            )
    except IntegrityError:
        existing = DuesImport.objects.filter(union=union, idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing
        raise ValidationError(
            {"file": f"导入期间有人录入了{dues.month_label(month)}的会费，请刷新后重新上传"}
        ) from None
    batch.income = record_income(
        union=union,
        amount=total,
        line=line,
        on=paid_on,
        payer="工资代扣",
        voucher=(voucher or "").strip() or f"会费代扣{month:%Y%m}",
        note=f"{dues.month_label(month)}工资代扣会费{len(entries)}笔",
        received_for=batch,
        idempotency_key=f"dues-import-{batch.pk}",
        actor=actor,
    )
    DuesImport.objects.filter(pk=batch.pk).update(income=batch.income)
    DuesPayment.objects.filter(batch=batch).update(income=batch.income)
    return batch


# The employer's allocation ------------------------------------------------------------


@transaction.atomic
def record_allocation(
    *,
    union: Union,
    starts_on: date,
    ends_on: date,
    payroll_total,
    rate=None,
    upward_share=None,
    note: str = "",
    actor=None,
) -> Allocation:
    """Record a period's payroll and the allocation it makes due (payroll × rate,
    to the fen). Periods of one union do not overlap."""
    rules = dues.settings_for(union.pk)
    rate = rules.allocation_rate if rate in (None, "") else rate
    upward_share = rules.upward_share if upward_share in (None, "") else upward_share
    errors = {}
    problem = money_error(payroll_total, label="工资总额")
    if problem:
        errors["payroll_total"] = problem
    problem = rate_error(
        rate, label="拨缴比例", lowest=dues.LOWEST_RATE, highest=dues.HIGHEST_RATE
    ) or (None if Decimal(rate) > 0 else "拨缴比例必须大于零")
    if problem:
        errors["rate"] = problem
    problem = rate_error(
        upward_share, label="上解上级比例", lowest=Decimal("0"), highest=Decimal("1")
    )
    if problem:
        errors["upward_share"] = problem
    if not isinstance(starts_on, date):
        errors["starts_on"] = "期间开始日期不能为空"
    if not isinstance(ends_on, date):
        errors["ends_on"] = "期间结束日期不能为空"
    elif isinstance(starts_on, date) and ends_on < starts_on:
        errors["ends_on"] = "期间结束日期不能早于开始日期"
    if len(note or "") > 200:
        errors["note"] = "备注不能超过200个字"
    if not errors:
        overlap = Allocation.objects.filter(
            union=union, starts_on__lte=ends_on, ends_on__gte=starts_on
        ).first()
        if overlap is not None:
            errors["starts_on"] = f"与已登记的{overlap}重叠"
    if errors:
        raise ValidationError(errors)
    payroll_total = Decimal(payroll_total).quantize(CENT)
    rate = Decimal(rate)
    return Allocation.objects.create(
        union=union,
        starts_on=starts_on,
        ends_on=ends_on,
        payroll_total=payroll_total,
        rate=rate,
        amount_due=(payroll_total * rate).quantize(CENT, rounding=ROUND_HALF_UP),
        upward_share=Decimal(upward_share),
        note=(note or "").strip(),
        created_by=_actor_or_none(actor),
    )


def allocation_received(allocation: Allocation) -> Decimal:
    total = Income.objects.filter(
        linked_type=ContentType.objects.get_for_model(Allocation), linked_id=allocation.pk
    ).aggregate(total=Sum("amount"))["total"]
    return (total or Decimal("0")).quantize(CENT)


def allocation_transferred(allocation: Allocation) -> Decimal:
    total = allocation.transfers.aggregate(total=Sum("amount"))["total"]
    return (total or Decimal("0")).quantize(CENT)


def upward_due(allocation: Allocation) -> Decimal:
    """What is still to be passed upward: the share of what was received, less transfers."""
    share = (allocation_received(allocation) * allocation.upward_share).quantize(
        CENT, rounding=ROUND_HALF_UP
    )
    return share - allocation_transferred(allocation)


@transaction.atomic
def receive_allocation(
    *,
    allocation: Allocation,
    amount,
    on: date,
    voucher: str,
    idempotency_key: str,
    payer: str = "行政单位",
    actor,
) -> Income:
    """Book allocation money received as 拨缴经费收入, linked to the allocation;
    never more than is still outstanding. The same key writes once."""
    _key_error(idempotency_key)
    existing = Income.objects.filter(
        union_id=allocation.union_id, idempotency_key=idempotency_key
    ).first()
    if existing is not None:
        return existing
    problem = money_error(amount)
    if problem:
        raise ValidationError({"amount": problem})
    outstanding = allocation.amount_due - allocation_received(allocation)
    if Decimal(amount) > outstanding:
        raise ValidationError(
            {
                "amount": (
                    f"本次到账{Decimal(amount).quantize(CENT)}元超过尚未到账的应拨缴金额"
                    f"{outstanding}元（应拨缴{allocation.amount_due}元）"
                )
            }
        )
    line = income_line(union=allocation.union, category=Category.ALLOCATION, on=on)
    return record_income(
        union=allocation.union,
        amount=amount,
        line=line,
        on=on,
        payer=payer,
        voucher=voucher,
        note=f"{allocation}",
        received_for=allocation,
        idempotency_key=idempotency_key,
        actor=actor,
    )


@transaction.atomic
def transfer_upward(
    *,
    allocation: Allocation,
    amount,
    on: date,
    recipient: str,
    voucher: str,
    idempotency_key: str,
    actor,
) -> UpwardTransfer:
    """Record the part of an allocation passed to the upper union, never more
    than its share of what was received. The same key writes once."""
    _key_error(idempotency_key)
    existing = UpwardTransfer.objects.filter(
        union_id=allocation.union_id, idempotency_key=idempotency_key
    ).first()
    if existing is not None:
        return existing
    errors = {}
    problem = money_error(amount, label="上解金额")
    if problem:
        errors["amount"] = problem
    if not isinstance(on, date):
        errors["on"] = "上解日期不能为空"
    if not (recipient or "").strip():
        errors["recipient"] = "接收单位不能为空"
    if not (voucher or "").strip():
        errors["voucher"] = "凭证号不能为空"
    if not errors:
        due = upward_due(allocation)
        if Decimal(amount) > due:
            errors["amount"] = (
                f"上解金额{Decimal(amount).quantize(CENT)}元超过应上解的{due}元"
                f"（已到账{allocation_received(allocation)}元×{dues.percent(allocation.upward_share)}"
                f"，已上解{allocation_transferred(allocation)}元）"
            )
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            return UpwardTransfer.objects.create(
                union_id=allocation.union_id,
                allocation=allocation,
                amount=Decimal(amount).quantize(CENT),
                on=on,
                recipient=recipient.strip()[:100],
                voucher=voucher.strip()[:40],
                idempotency_key=idempotency_key,
                created_by=_actor_or_none(actor),
            )
    except IntegrityError:
        return UpwardTransfer.objects.get(
            union_id=allocation.union_id, idempotency_key=idempotency_key
        )


# Audit committee ------------------------------------------------------------------------


def is_auditor(member: Member) -> bool:
    """The member's account holds the audit committee role in the member's union."""
    return (
        bool(member.user_id)
        and RoleAssignment.objects.filter(
            user_id=member.user_id, union_id=member.union_id, role=Role.AUDIT
        ).exists()
    )


@transaction.atomic
def file_audit_report(
    *,
    union: Union,
    title: str,
    starts_on: date,
    ends_on: date,
    findings: str,
    conclusion: str,
    filed_by: Member,
    filed_on: date,
    actor=None,
) -> AuditReport:
    """File the audit committee's report on a period; the reporter must be an
    audit committee member of this union."""
    errors = {}
    title = (title or "").strip()
    findings = (findings or "").strip()
    conclusion = (conclusion or "").strip()
    if not title:
        errors["title"] = "标题不能为空"
    elif len(title) > 100:
        errors["title"] = "标题不能超过100个字"
    if not findings:
        errors["findings"] = "审查发现不能为空"
    if not conclusion:
        errors["conclusion"] = "审查结论不能为空"
    if not isinstance(starts_on, date):
        errors["starts_on"] = "审查期间开始日期不能为空"
    if not isinstance(ends_on, date):
        errors["ends_on"] = "审查期间结束日期不能为空"
    elif isinstance(starts_on, date) and ends_on < starts_on:
        errors["ends_on"] = "审查期间结束日期不能早于开始日期"
    if not isinstance(filed_on, date):
        errors["filed_on"] = "报告日期不能为空"
    elif filed_on > timezone.localdate():
        errors["filed_on"] = "报告日期不能晚于今天"
    elif isinstance(starts_on, date) and filed_on < starts_on:
        errors["filed_on"] = "报告日期不能早于审查期间开始日期"
    if filed_by is None:
        errors["filed_by"] = "请选择报告人"
    elif filed_by.union_id != union.pk or not is_auditor(filed_by):
        errors["filed_by"] = f"报告人{filed_by.name}不是本工会的经审委员，经审报告须由经审委员提交"
    if errors:
        raise ValidationError(errors)
    return AuditReport.objects.create(
        union=union,
        title=title,
        starts_on=starts_on,
        ends_on=ends_on,
        findings=findings,
        conclusion=conclusion,
        filed_by=filed_by,
        filed_on=filed_on,
        created_by=_actor_or_none(actor),
    )
