"""Reads of the union's money and its registered metrics."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import F, Sum
from django.db.models.expressions import RawSQL
from django_scopes import scopes_disabled

from gonghui.finance import dues
from gonghui.finance.models import (
    EXPENDITURE_CATEGORIES,
    INCOME_CATEGORIES,
    WARNING_SHARE,
    ZERO,
    Allocation,
    BudgetLine,
    Category,
    DuesBase,
    DuesPayment,
    Income,
    Kind,
    Payment,
)
from gonghui.members.models import Member
from gonghui.orgs.roles import Role
from gonghui.periods import Period
from gonghui.reports import registry
from gonghui.reports.registry import metric, ratio, union_ids


def payments_for(record):
    """The payments linked to one record (a visit, an assistance, an activity…)."""
    return Payment.objects.filter(
        linked_type=ContentType.objects.get_for_model(record), linked_id=record.pk
    )


def income_in(unions, period: Period):
    return Income.objects.filter(union__in=unions, on__range=period.bounds)


def payments_in(unions, period: Period):
    return Payment.objects.filter(union__in=unions, on__range=period.bounds)


@metric("finance.income_total", label="收入合计", unit="元", sum_field="amount")
def income_total(unions, period):
    return income_in(unions, period)


@metric("finance.expenditure_total", label="支出合计", unit="元", sum_field="amount")
def expenditure_total(unions, period):
    return payments_in(unions, period)


def _register_category(category: Category, records_in) -> None:
    kind = "income" if category in INCOME_CATEGORIES else "expenditure"

    def records(unions, period):
        return records_in(unions, period).filter(category=category)

    records.__name__ = f"{kind}_{category.value}"
    metric(f"finance.{kind}.{category.value}", label=category.label, unit="元", sum_field="amount")(
        records
    )


for _category in INCOME_CATEGORIES:
    _register_category(_category, income_in)
for _category in EXPENDITURE_CATEGORIES:
    _register_category(_category, payments_in)


def expenditure_budgets(ids, period: Period) -> dict[int, Decimal]:
    """Each union's adjusted budgets of the expenditure lines of the years the
    period touches."""
    with scopes_disabled():
        rows = (
            BudgetLine.objects.filter(
                union_id__in=ids,
                category__in=EXPENDITURE_CATEGORIES,
                fiscal_year__year__range=(period.start.year, period.end.year),
            )
            .values_list("union_id")
            .annotate(total=Sum("budget"))
            .order_by()
        )
        return {u: total for u, total in rows if total is not None}


ratio(
    "finance.budget_execution",
    label="预算执行率",
    numerator="finance.expenditure_total",
    denominators=expenditure_budgets,
    description="本期支出合计 ÷ 所涉年度支出预算（含调整）",
)


# Budget execution per line ----------------------------------------------------


@dataclass(frozen=True)
class Execution:
    """How far one budget line has been used."""

    line: BudgetLine
    budget: Decimal
    actual: Decimal

    @property
    def share(self) -> Decimal | None:
        """Percentage of the budget used, one decimal; None when the budget is zero."""
        if not self.budget:
            return None
        return (self.actual * 100 / self.budget).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def remaining(self) -> Decimal:
        return self.budget - self.actual

    @property
    def overrun(self) -> Decimal:
        return self.actual - self.budget

    @property
    def exceeded(self) -> bool:
        return self.actual > self.budget

    @property
    def warning(self) -> bool:
        """At or above 90% of the budget but not over it."""
        return not self.exceeded and self.actual >= self.budget * WARNING_SHARE and self.actual > 0

    @property
    def level(self) -> str:
        if self.exceeded:
            return "exceeded"
        return "warning" if self.warning else "ok"


def budget_execution(*, unions, year: int, kind: str = Kind.EXPENDITURE) -> list[Execution]:
    """Every line of the year's budget with its budget and what was booked to it."""
    categories = EXPENDITURE_CATEGORIES if kind == Kind.EXPENDITURE else INCOME_CATEGORIES
    lines = BudgetLine.objects.filter(
        union__in=unions, fiscal_year__year=year, category__in=categories
    ).select_related("fiscal_year")
    order = {c: i for i, c in enumerate(categories)}
    rows = [Execution(line=line, budget=line.budget, actual=line.actual) for line in lines]
    return sorted(rows, key=lambda r: (order[r.line.category], r.line.name))


# Statements ---------------------------------------------------------------------


def totals_by_category(records, categories) -> list[tuple[Category, Decimal]]:
    sums = dict(records.values_list("category").annotate(total=Sum("amount")).order_by())
    # SQLite sums decimals without their scale; show cents everywhere.
    return [(Category(c), (sums.get(c) or ZERO).quantize(ZERO)) for c in categories]


def statement(*, unions, period: Period) -> dict:
    """Income and payments by category for a period, with totals."""
    income = totals_by_category(income_in(unions, period), INCOME_CATEGORIES)
    spending = totals_by_category(payments_in(unions, period), EXPENDITURE_CATEGORIES)
    return {
        "income": income,
        "income_total": sum((v for _, v in income), ZERO),
        "expenditure": spending,
        "expenditure_total": sum((v for _, v in spending), ZERO),
    }


# Dues -----------------------------------------------------------------------------------


def dues_paid_in(unions, period: Period):
    """Dues payments for the months of the period (a month counts when its first
    day falls between the first of the period's first month and its last day)."""
    return DuesPayment.objects.filter(
        union__in=unions, month__range=(dues.month_of(period.start), period.end)
    )


def _dues_members(unions, last: date):
    """Members who may owe dues up to `last`: joined by then, with a base."""
    with scopes_disabled():
        return list(
            Member.objects.filter(
                union__in=unions,
                joined_on__lte=last,
                pk__in=DuesBase.objects.filter(union__in=unions).values("member_id"),
            ).only("id", "union_id", "name", "joined_on", "left_on", "group_id", "employee_number")
        )


def dues_owed(ids, period: Period) -> dict[int, Decimal]:
    """Each union's dues owed for the months of the period, by every member's
    base, rate and exemptions. When parts are shared (the summary tables ask
    for every month, quarter and the year), the whole years are counted once,
    month by month, and each period adds up its months."""
    if not registry.remembering():
        return dues.owed_by_union(unions=ids, first=period.start, last=period.end)
    years = (period.start.year, period.end.year)
    by_month = registry.remembered(
        ("finance.owed_by_month", tuple(sorted(ids)), years),
        lambda: dues.owed_by_union_month(
            unions=ids, first=date(years[0], 1, 1), last=date(years[1], 12, 31)
        ),
    )
    first, last = dues.month_of(period.start), dues.month_of(period.end)
    owed: dict[int, Decimal] = {}
    for (union_id, month), amount in by_month.items():
        if first <= month <= last:
            owed[union_id] = owed.get(union_id, ZERO) + amount
    return owed


@dataclass(frozen=True)
class Arrears:
    """A member's unpaid months up to a day."""

    member: Member
    months: list[tuple[date, Decimal]]

    @property
    def total(self) -> Decimal:
        return sum((amount for _, amount in self.months), ZERO)

    @property
    def labels(self) -> str:
        return "、".join(dues.month_label(m) for m, _ in self.months)


def arrears(*, unions, on: date, group=None, since: date | None = None) -> list[Arrears]:
    """Members who owe dues for months that were over by the end of `on`
    (optionally only from `since` and in one group), by group and name."""
    unions = list(unions)
    last_past = dues.completed_before(on) - timedelta(days=1)
    members = _dues_members(unions, last_past)
    if group is not None:
        group_id = getattr(group, "pk", group)
        members = [m for m in members if m.group_id == group_id]
    book = dues.DuesBook.load(unions=unions, members=[m.pk for m in members])
    first = since or date(1900, 1, 1)
    rows = []
    for member in members:
        unpaid = book.unpaid_months(member, first, last_past)
        if unpaid:
            rows.append(Arrears(member=member, months=unpaid))
    return rows


def dues_of(member: Member, *, first: date, last: date) -> list[dict]:
    """Month by month: owed, paid, exempt, for one member's dues card."""
    book = dues.DuesBook.load(unions=[member.union_id], members=[member.pk])
    rows = []
    for month in dues.months(first, last):
        exemption = book.exemption_for(member.pk, month)
        rows.append(
            {
                "month": month,
                "owed": book.owed(member, month),
                "paid": book.paid.get(member.pk, {}).get(month),
                "exemption": exemption,
            }
        )
    return rows


@metric(
    "finance.dues_collected",
    label="会费收缴金额",
    unit="元",
    sum_field="amount",
    description="本期各月已缴会费合计（按会费所属月份）",
)
def dues_collected(unions, period):
    return dues_paid_in(unions, period)


@metric("finance.dues_members_paying", label="缴纳会费人数", unit="人")
def dues_members_paying(unions, period):
    return Member.objects.filter(
        union__in=unions, pk__in=dues_paid_in(unions, period).values("member_id")
    )


def _arrears_per_union(ids, period: Period) -> dict[int, int]:
    """Each union's members owing at the period's end: those whose first
    unpaid month is among the months over by then. When parts are shared,
    one query up to the year's end answers every month-end of the year."""
    last_past = dues.completed_before(period.end) - timedelta(days=1)
    horizon = date(period.end.year, 12, 31) if registry.remembering() else last_past
    first_unpaid = registry.remembered(
        ("finance.first_unpaid", tuple(sorted(ids)), horizon),
        lambda: dues.first_unpaid_months(unions=ids, last=horizon),
    )
    counts: dict[int, int] = {}
    for union_id, month in first_unpaid.values():
        if month <= last_past:
            counts[union_id] = counts.get(union_id, 0) + 1
    return counts


@metric(
    "finance.dues_arrears_members",
    label="欠缴会费人数",
    unit="人",
    description="截至期末仍有已过月份未缴会费的会员",
    per_union=_arrears_per_union,
)
def dues_arrears_members(unions, period):
    sql, params = dues.members_owing_sql(unions=union_ids(unions), on=period.end)
    return Member.objects.filter(union__in=unions, pk__in=RawSQL(sql, params))


ratio(
    "finance.dues_collection_rate",
    label="会费收缴率",
    numerator="finance.dues_collected",
    denominators=dues_owed,
    description="本期各月已缴会费 ÷ 本期各月应缴会费",
)


# The employer's allocation ------------------------------------------------------------


def allocation_income(unions, period: Period):
    return Income.objects.filter(
        union__in=unions,
        on__range=period.bounds,
        linked_type=ContentType.objects.get_for_model(Allocation),
    )


@metric(
    "finance.allocation_received",
    label="拨缴经费到账",
    unit="元",
    sum_field="amount",
    description="本期收到的行政拨缴经费（按到账日期）",
)
def allocation_received(unions, period):
    return allocation_income(unions, period)


# Audit committee -----------------------------------------------------------------------


def audit_unions(access) -> list[int]:
    """Unions whose audit reports the user may read and file: audit committee members and chairs."""
    wanted = {Role.AUDIT, Role.CHAIR}
    return sorted(u for u, roles in access.roles.items() if roles & wanted)


def auditors(unions):
    """Members whose account holds the audit committee role in their own union."""
    return (
        Member.objects.filter(
            union__in=unions, user__roles__role=Role.AUDIT, user__roles__union_id=F("union_id")
        )
        .only("id", "name", "employee_number", "union_id")
        .order_by("name", "pk")
        .distinct()
    )
