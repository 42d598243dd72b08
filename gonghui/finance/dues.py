"""What a member owes in dues: base × rate, rounded as the union chose, month
by month from joining to leaving, except exempt months and months without a
base. Plain reads used by finance.services (to refuse a payment) and
finance.queries (arrears, amounts owed, metrics), so both apply one rule.

A month is the date of its first day.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

from django.db import connection
from django_scopes import scopes_disabled

from gonghui.finance.models import (
    DEFAULT_DUES_RATE,
    ZERO,
    DuesBase,
    DuesExemption,
    DuesPayment,
    FinanceSettings,
    Rounding,
)
from gonghui.members.models import Member

CENT = Decimal("0.01")
# The rate a union or a member may be given: 0 to 5% of the monthly wage.
LOWEST_RATE, HIGHEST_RATE = Decimal("0"), Decimal("0.05")


def month_of(day: date) -> date:
    return day.replace(day=1)


def next_month(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1)


def months(first: date, last: date) -> Iterator[date]:
    """Every month from `first`'s to `last`'s, both included."""
    month, end = month_of(first), month_of(last)
    while month <= end:
        yield month
        month = next_month(month)


def month_label(month: date) -> str:
    return f"{month.year}年{month.month}月"


def percent(rate: Decimal) -> str:
    """0.005 → "0.5%"."""
    text = f"{(rate * 100).normalize():f}"
    return f"{text}%"


def round_dues(amount: Decimal, rounding: str) -> Decimal:
    """A month's dues rounded by the union's rule, always with two places."""
    if rounding == Rounding.YUAN_UP:
        return amount.quantize(Decimal("1"), rounding=ROUND_CEILING).quantize(CENT)
    if rounding == Rounding.JIAO:
        return amount.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP).quantize(CENT)
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def settings_for(union_id: int) -> FinanceSettings:
    """The union's finance settings, or the defaults (unsaved) when it set none."""
    with scopes_disabled():
        found = FinanceSettings.objects.filter(union_id=union_id).first()
    return found or FinanceSettings(union_id=union_id)


def settings_of(union_ids: Iterable[int]) -> dict[int, FinanceSettings]:
    """settings_for of every union, in one query."""
    ids = list(union_ids)
    with scopes_disabled():
        found = {s.union_id: s for s in FinanceSettings.objects.filter(union_id__in=ids)}
    return {u: found.get(u) or FinanceSettings(union_id=u) for u in ids}


def completed_before(day: date) -> date:
    """The first month not yet over at the end of `day`: months before it are past."""
    return month_of(day + timedelta(days=1))


@dataclass
class DuesBook:
    """Bases, exemptions and payments of a set of members, loaded once."""

    rules: dict[int, FinanceSettings] = field(default_factory=dict)
    bases: dict[int, list[DuesBase]] = field(default_factory=dict)
    exemptions: dict[int, list[DuesExemption]] = field(default_factory=dict)
    paid: dict[int, dict[date, Decimal]] = field(default_factory=dict)

    @classmethod
    def load(cls, *, unions: Iterable[int], members: Iterable[int] | None = None) -> "DuesBook":
        unions = list(unions)
        book = cls(rules=settings_of(unions))
        with scopes_disabled():
            bases = DuesBase.objects.filter(union_id__in=unions)
            exemptions = DuesExemption.objects.filter(union_id__in=unions)
            payments = DuesPayment.objects.filter(union_id__in=unions)
            if members is not None:
                members = list(members)
                bases = bases.filter(member_id__in=members)
                exemptions = exemptions.filter(member_id__in=members)
                payments = payments.filter(member_id__in=members)
            for base in bases.order_by("member_id", "since"):
                book.bases.setdefault(base.member_id, []).append(base)
            for exemption in exemptions.order_by("member_id", "starts_on"):
                book.exemptions.setdefault(exemption.member_id, []).append(exemption)
            for member_id, month, amount in payments.values_list("member_id", "month", "amount"):
                book.paid.setdefault(member_id, {})[month] = amount
        return book

    def base_for(self, member_id: int, month: date) -> DuesBase | None:
        found = None
        for base in self.bases.get(member_id, ()):
            if base.since > month:
                break
            found = base
        return found

    def exemption_for(self, member_id: int, month: date) -> DuesExemption | None:
        return next((e for e in self.exemptions.get(member_id, ()) if e.covers(month)), None)

    def rate_of(self, member: Member, base: DuesBase) -> Decimal:
        if base.rate is not None:
            return base.rate
        rules = self.rules.get(member.union_id)
        return rules.dues_rate if rules is not None else DEFAULT_DUES_RATE

    def on_roll(self, member: Member, month: date) -> bool:
        if month < month_of(member.joined_on):
            return False
        return member.left_on is None or month <= month_of(member.left_on)

    def owed(self, member: Member, month: date) -> Decimal | None:
        """The dues `member` owes for `month`, or None when none are due."""
        if not self.on_roll(member, month) or self.exemption_for(member.pk, month):
            return None
        base = self.base_for(member.pk, month)
        if base is None:
            return None
        rules = self.rules.get(member.union_id)
        rounding = rules.rounding if rules is not None else Rounding.FEN
        return round_dues(base.base * self.rate_of(member, base), rounding)

    def owed_months(
        self, member: Member, first: date, last: date
    ) -> Iterator[tuple[date, Decimal]]:
        """(month, amount) for each month from `first` to `last` with dues above zero."""
        bases = self.bases.get(member.pk)
        if not bases:
            return
        start = max(month_of(first), month_of(member.joined_on), bases[0].since)
        end = month_of(last)
        if member.left_on is not None:
            end = min(end, month_of(member.left_on))
        if start > end:
            return
        for month in months(start, end):
            amount = self.owed(member, month)
            if amount:
                yield month, amount

    def unpaid_months(self, member: Member, first: date, last: date) -> list[tuple[date, Decimal]]:
        paid = self.paid.get(member.pk, {})
        return [(m, a) for m, a in self.owed_months(member, first, last) if m not in paid]

    def month_problem(self, member: Member, month: date) -> str | None:
        """Why dues for `month` may not be recorded for `member`, or None."""
        label = month_label(month)
        if month < month_of(member.joined_on):
            return (
                f"会员{member.name}于{member.joined_on:%Y-%m-%d}入会，不能缴纳入会前{label}的会费"
            )
        if member.left_on is not None and month > month_of(member.left_on):
            return (
                f"会员{member.name}已于{member.left_on:%Y-%m-%d}离会，不能缴纳离会后{label}的会费"
            )
        exemption = self.exemption_for(member.pk, month)
        if exemption is not None:
            return f"会员{member.name}{label}免缴会费（{exemption.reason}），不能记录缴费"
        if self.base_for(member.pk, month) is None:
            return f"会员{member.name}在{label}没有会费基数，请先设置会费基数"
        if month in self.paid.get(member.pk, {}):
            return f"会员{member.name}{label}的会费已经缴纳，不能重复缴纳"
        return None


def owed_total(members: Iterable[Member], book: DuesBook, first: date, last: date) -> Decimal:
    total = ZERO
    for member in members:
        total += sum((a for _, a in book.owed_months(member, first, last)), ZERO)
    return total


# The same rule over many members at once, in the database ----------------------------------
#
# The metrics of a 50,000-member union cannot walk every member's months in
# Python. These reads state the rule above in one SQL query: a member owes a
# month when it is on the roll (joined by the month's last day, not left before
# its first), not exempt, and a base of the member's union applies (the latest
# with `since` not after the month). Amounts are still rounded here, in Decimal,
# once per distinct (base, rate, rounding); the database only counts months.


def _month_rows(first: date, last: date) -> tuple[str, list]:
    """A VALUES list of (first day, last day) for each month, and its parameters."""
    rows, params = [], []
    for month in months(first, last):
        rows.append("(%s, %s)")
        params += [month, next_month(month) - timedelta(days=1)]
    return ", ".join(rows), params


def _owed_months_sql(unions: list[int], first: date, last: date) -> tuple[str, list]:
    """SQL for a CTE `owed(member_id, month, base_id)`: every owed month from
    `first`'s to `last`'s, with the base that applies to it.

    Each base applies from its `since` up to the next base of the same member
    (`spans`, by a window function), so a month finds its base by a range join
    rather than a subquery per member and month; of two bases from the same
    month, the later one (higher id) wins, as in DuesBook.
    """
    values, params = _month_rows(first, last)
    marks = ", ".join(["%s"] * len(unions))
    sql = f"""
        months(m, m_end) AS (VALUES {values}),
        spans AS (
            SELECT b.id AS base_id, b.member_id, b.union_id, b.since,
                LEAD(b.since) OVER (
                    PARTITION BY b.member_id, b.union_id ORDER BY b.since, b.id
                ) AS until
            FROM finance_duesbase b
            WHERE b.union_id IN ({marks})
        ),
        owed AS (
            SELECT mem.id AS member_id, months.m AS month, spans.base_id AS base_id
            FROM spans
            JOIN members_member mem
                ON mem.id = spans.member_id AND mem.union_id = spans.union_id
            JOIN months ON spans.since <= months.m
                AND (spans.until IS NULL OR months.m < spans.until)
                AND mem.joined_on <= months.m_end
                AND (mem.left_on IS NULL OR mem.left_on >= months.m)
            WHERE NOT EXISTS (
                    SELECT 1 FROM finance_duesexemption x
                    WHERE x.member_id = mem.id AND x.union_id = mem.union_id
                        AND x.starts_on <= months.m
                        AND (x.ends_on IS NULL OR months.m <= x.ends_on))
        )"""
    return sql, params + list(unions)


def owed_sum(*, unions: Iterable[int], first: date, last: date) -> Decimal:
    """Dues owed for the months from `first`'s to `last`'s by every member of
    `unions`: what owed_total gives, without loading a member."""
    return sum(owed_by_union(unions=unions, first=first, last=last).values(), ZERO)


def owed_by_union(*, unions: Iterable[int], first: date, last: date) -> dict[int, Decimal]:
    """{union_id: dues owed for the months from `first`'s to `last`'s by its
    members} in one query; a union that owes nothing is left out."""
    owed: dict[int, Decimal] = {}
    for (union_id, _month), amount in owed_by_union_month(
        unions=unions, first=first, last=last
    ).items():
        owed[union_id] = owed.get(union_id, ZERO) + amount
    return {u: v for u, v in owed.items() if v}


def owed_by_union_month(
    *, unions: Iterable[int], first: date, last: date
) -> dict[tuple[int, date], Decimal]:
    """{(union_id, month): dues its members owe for that month} for the months
    from `first`'s to `last`'s, in one query; nothing owed is left out."""
    unions = list(unions)
    if not unions or month_of(first) > month_of(last):
        return {}
    owed, params = _owed_months_sql(unions, first, last)
    if connection.vendor == "postgresql":
        return _owed_by_union_month_pg(owed, params)
    sql = f"""
        WITH {owed}
        SELECT b.base, b.rate, b.union_id, owed.month, COUNT(*)
        FROM owed JOIN finance_duesbase b ON b.id = owed.base_id
        GROUP BY b.base, b.rate, b.union_id, owed.month"""
    rules = settings_of(unions)
    out: dict[tuple[int, date], Decimal] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for base, rate, union_id, month, count in cursor.fetchall():
            rule = rules[union_id]
            rate = rule.dues_rate if rate is None else _decimal(rate, "0.0001")
            amount = round_dues(_decimal(base, "0.01") * rate, rule.rounding) * count
            key = (union_id, _as_date(month))
            out[key] = out.get(key, ZERO) + amount
    return {k: v for k, v in out.items() if v}


def _owed_by_union_month_pg(owed: str, params: list) -> dict[tuple[int, date], Decimal]:
    """owed_by_union_month on PostgreSQL: each member-month rounded by its
    union's rule and added up in the database, not a row per member-month
    brought to Python. NUMERIC's ROUND is half up for dues (never negative)
    and CEIL is ROUND_CEILING: round_dues to the fen (tested against it)."""
    sql = f"""
        WITH {owed},
        dues AS (
            SELECT b.union_id AS union_id, owed.month AS month,
                b.base * COALESCE(b.rate, f.dues_rate, {DEFAULT_DUES_RATE}) AS amount,
                COALESCE(f.rounding, '{Rounding.FEN}') AS rounding
            FROM owed
            JOIN finance_duesbase b ON b.id = owed.base_id
            LEFT JOIN finance_financesettings f ON f.union_id = b.union_id
        )
        SELECT union_id, month, SUM(CASE rounding
            WHEN '{Rounding.YUAN_UP}' THEN CEIL(amount)
            WHEN '{Rounding.JIAO}' THEN ROUND(amount, 1)
            ELSE ROUND(amount, 2) END)
        FROM dues GROUP BY union_id, month"""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {
            (union_id, _as_date(month)): total.quantize(CENT)
            for union_id, month, total in cursor.fetchall()
            if total
        }


def _as_date(value) -> date:
    """A DATE column read through a raw cursor (SQLite gives text)."""
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def members_owing_sql(*, unions: Iterable[int], on: date) -> tuple[str, list]:
    """SQL selecting the ids of members with an unpaid month of dues above zero
    among the months over by the end of `on`, and its parameters: the members
    finance.queries.arrears lists."""
    last_past = completed_before(on) - timedelta(days=1)
    unpaid = _unpaid_months_sql(unions=list(unions), last=last_past)
    if unpaid is None:
        return "SELECT id FROM members_member WHERE 1 = 0", []
    sql, params = unpaid
    return f"SELECT DISTINCT member_id FROM ({sql}) unpaid", params


def first_unpaid_months(*, unions: Iterable[int], last: date) -> dict[int, tuple[int, date]]:
    """{member_id: (union_id, the first month up to `last`'s with dues above
    zero unpaid)} in one query. A member owes at the end of a day exactly when
    that month is among the months over by then: one query answers the
    arrears of every month-end up to `last`."""
    unions = list(unions)
    unpaid = _unpaid_months_sql(unions=unions, last=last)
    if unpaid is None:
        return {}
    sql, params = unpaid
    grouped = (
        f"SELECT member_id, union_id, MIN(month) FROM ({sql}) unpaid GROUP BY member_id, union_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(grouped, params)
        return {m: (u, _as_date(month)) for m, u, month in cursor.fetchall()}


def _unpaid_months_sql(*, unions: list[int], last: date) -> tuple[str, list] | None:
    """SQL selecting (member_id, union_id, month) for every month up to
    `last`'s with dues above zero owed and not paid, and its parameters; None
    when no base starts by then."""
    with scopes_disabled():
        first = DuesBase.objects.filter(union_id__in=unions).order_by("since").first()
    if not unions or first is None or first.since > last:
        return None
    owed, params = _owed_months_sql(unions, first.since, last)
    # Dues round to zero below half a fen (四舍五入到分), half a jiao (到角) or
    # not at all (进位到元); such months are not owed.
    default_rate = f"{DEFAULT_DUES_RATE}"
    sql = f"""
        WITH {owed}
        SELECT owed.member_id AS member_id, b.union_id AS union_id, owed.month AS month
        FROM owed
        JOIN finance_duesbase b ON b.id = owed.base_id
        LEFT JOIN finance_financesettings f ON f.union_id = b.union_id
        WHERE b.base * COALESCE(b.rate, f.dues_rate, {default_rate}) >=
            CASE COALESCE(f.rounding, '{Rounding.FEN}')
                WHEN '{Rounding.FEN}' THEN 0.005
                WHEN '{Rounding.JIAO}' THEN 0.05
                ELSE 0.0000001 END
            AND NOT EXISTS (
                SELECT 1 FROM finance_duespayment p
                WHERE p.member_id = owed.member_id AND p.month = owed.month)"""
    return sql, params


def _decimal(value, places: str) -> Decimal:
    """A DECIMAL column read through a raw cursor (SQLite gives int or float)."""
    if isinstance(value, Decimal):
        return value.quantize(Decimal(places))
    return Decimal(str(value)).quantize(Decimal(places))
