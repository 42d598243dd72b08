"""issue3_metrics_m: every registered metric of the care, activities and finance
areas (values, and the breakdowns of those that have one) for the 50,000-member
union over this year to date, through the metrics registry, against the same
aggregates written as one raw SQL query each.

Both sides must give the same numbers, or the comparison means nothing: the
benchmark checks that before timing. Money is compared to the cent (SQLite
sums decimals as floats).
"""

import statistics
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from bench import clock

AREAS = ("care", "activities", "finance")
REPEATS = 5
CENT = Decimal("0.01")


def _money(value) -> Decimal:
    return Decimal(str(value or 0)).quantize(CENT, rounding=ROUND_HALF_UP)


def _percent(top, bottom) -> Decimal:
    if not bottom:
        return Decimal("0.0")
    return (Decimal(top) * 100 / Decimal(bottom)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _month_of(day: date) -> date:
    return day.replace(day=1)


class _Sql:
    """The few expressions SQLite and PostgreSQL spell differently."""

    def __init__(self, vendor: str):
        self.pg = vendor == "postgresql"

    def month(self, column: str) -> str:
        if self.pg:
            return f"CAST(date_trunc('month', {column}) AS date)"
        return f"date({column}, 'start of month')"

    def local_day(self, column: str) -> str:
        # Asia/Shanghai has kept UTC+8 without summer time since 1991.
        if self.pg:
            return f"CAST(({column} AT TIME ZONE 'Asia/Shanghai') AS date)"
        return f"date({column}, '+8 hours')"

    def months(self, first: str, last: str) -> str:
        """A CTE body listing the first day of each month from `first` to `last`."""
        if self.pg:
            return f"SELECT CAST(generate_series({first}, {last}, interval '1 month') AS date) AS m"
        return f"SELECT {first} AS m UNION ALL SELECT date(m, '+1 month') FROM months WHERE date(m, '+1 month') <= {last}"  # noqa: E501


def _raw(cursor, sql: _Sql, union_id: int, start: date, end: date, window: tuple) -> dict:
    """Every figure as one query each. `window` is the period as stored datetimes."""

    def one(query, params=()):
        cursor.execute(query, params)
        return cursor.fetchone()[0]

    def rows(query, params=()):
        cursor.execute(query, params)
        return cursor.fetchall()

    u, s, e = union_id, start, end
    dated = (u, s, e)
    out: dict = {}

    # Care --------------------------------------------------------------------------
    out["care.visits"] = one(
        'SELECT COUNT(*) FROM care_visit WHERE union_id = %s AND "on" BETWEEN %s AND %s', dated
    )
    out["care.visits/by"] = dict(
        rows(
            'SELECT kind, COUNT(*) FROM care_visit WHERE union_id = %s AND "on" BETWEEN %s AND %s'
            " GROUP BY kind",
            dated,
        )
    )
    out["care.members_visited"] = one(
        "SELECT COUNT(DISTINCT vm.member_id) FROM care_visit_members vm"
        " JOIN care_visit v ON v.id = vm.visit_id JOIN members_member m ON m.id = vm.member_id"
        ' WHERE v.union_id = %s AND v."on" BETWEEN %s AND %s AND m.union_id = %s',
        (u, s, e, u),
    )
    out["care.visit_amount"] = _money(
        one(
            'SELECT SUM(amount) FROM care_visit WHERE union_id = %s AND "on" BETWEEN %s AND %s',
            dated,
        )
    )
    open_at_end = "filed_on <= %s AND (closed_on IS NULL OR closed_on > %s)"
    out["care.hardship_open"] = one(
        f"SELECT COUNT(*) FROM care_hardshipcase WHERE union_id = %s AND {open_at_end}", (u, e, e)
    )
    out["care.hardship_new"] = one(
        "SELECT COUNT(*) FROM care_hardshipcase WHERE union_id = %s AND filed_on BETWEEN %s AND %s",
        dated,
    )
    out["care.hardship_closed"] = one(
        "SELECT COUNT(*) FROM care_hardshipcase WHERE union_id = %s"
        " AND closed_on BETWEEN %s AND %s",
        dated,
    )
    out["care.hardship_reviewed"] = one(
        f"SELECT COUNT(*) FROM care_hardshipcase c WHERE c.union_id = %s AND {open_at_end}"
        " AND EXISTS (SELECT 1 FROM care_casereview r WHERE r.case_id = c.id"
        ' AND r."on" BETWEEN %s AND %s)',
        (u, e, e, s, e),
    )
    cursor.execute(
        "SELECT SUM(CASE WHEN EXISTS (SELECT 1 FROM care_casereview r WHERE r.case_id = c.id"
        ' AND r."on" BETWEEN %s AND %s) THEN 1 ELSE 0 END), COUNT(*) FROM care_hardshipcase c'
        f" WHERE c.union_id = %s AND {open_at_end}",
        (s, e, u, e, e),
    )
    reviewed, opened = cursor.fetchone()
    out["care.hardship_review_coverage"] = _percent(reviewed or 0, opened)
    approved = 'union_id = %s AND "on" BETWEEN %s AND %s AND approved_at IS NOT NULL'
    out["care.assistance_amount"] = _money(
        one(f"SELECT SUM(amount) FROM care_assistance WHERE {approved}", dated)
    )
    for column, values in (
        ("kind", ("living", "medical", "schooling", "festival")),
        ("source", ("fund", "upper", "donation", "other")),
    ):
        for value in values:
            out[f"care.assistance_amount.{column}.{value}"] = _money(
                one(
                    f"SELECT SUM(amount) FROM care_assistance WHERE {approved} AND {column} = %s",
                    (*dated, value),
                )
            )
    in_period = 'union_id = %s AND "on" BETWEEN %s AND %s'
    out["care.donations_total"] = _money(
        one(f"SELECT SUM(amount) FROM care_donation WHERE {in_period}", dated)
    )
    out["care.donors"] = one(f"SELECT COUNT(*) FROM care_donation WHERE {in_period}", dated)
    out["care.fund_contribution"] = _money(
        one(f"SELECT SUM(amount) FROM care_fundcontribution WHERE {in_period}", dated)
    )
    out["care.delivered"] = _money(
        one(f"SELECT SUM(amount) FROM care_handover WHERE {in_period}", dated)
    )
    granted = "union_id = %s AND state = 'approved' AND decided_on BETWEEN %s AND %s"
    out["care.school_aid_granted"] = one(
        f"SELECT COUNT(*) FROM care_schoolaid WHERE {granted}", dated
    )
    out["care.school_aid_amount"] = _money(
        one(f"SELECT SUM(amount) FROM care_schoolaid WHERE {granted}", dated)
    )
    out["care.gifts_total"] = _money(
        one(f"SELECT SUM(total) FROM care_festivaldistribution WHERE {in_period}", dated)
    )
    gifts = (
        "FROM care_giftrecipient g JOIN care_festivaldistribution d ON d.id = g.distribution_id"
        ' WHERE g.union_id = %s AND d."on" BETWEEN %s AND %s'
    )
    out["care.gift_recipients"] = one(f"SELECT COUNT(*) {gifts}", dated)
    out["care.gift_recipients/by"] = dict(
        rows(f"SELECT d.occasion, COUNT(*) {gifts} GROUP BY d.occasion", dated)
    )
    out["care.mutual_aid_enrolled"] = one(
        "SELECT COUNT(*) FROM care_mutualaidenrolment WHERE union_id = %s AND year BETWEEN %s AND %s",
        (u, s.year, e.year),
    )

    # Activities ----------------------------------------------------------------------
    started = "a.union_id = %s AND a.starts_at >= %s AND a.starts_at < %s"
    span = (u, *window)
    out["activities.held"] = one(
        f"SELECT COUNT(*) FROM activities_activity a WHERE {started}", span
    )
    out["activities.held/by"] = dict(
        rows(
            f"SELECT a.type, COUNT(*) FROM activities_activity a WHERE {started} GROUP BY a.type",
            span,
        )
    )
    attended = (
        "FROM activities_attendance t JOIN activities_activity a ON a.id = t.activity_id"
        " WHERE t.union_id = %s AND a.starts_at >= %s AND a.starts_at < %s"
    )
    out["activities.participants"] = one(f"SELECT COUNT(*) {attended}", span)
    out["activities.participants/by"] = dict(
        rows(f"SELECT a.title, COUNT(*) {attended} GROUP BY a.title", span)
    )
    day = sql.local_day("a.starts_at")
    roll = (
        f"FROM members_member m WHERE m.union_id = a.union_id AND m.joined_on <= {day}"
        f" AND (m.left_on IS NULL OR m.left_on > {day})"
    )
    audience = (
        "SELECT SUM(CASE a.audience"
        f" WHEN 'all' THEN (SELECT COUNT(*) {roll})"
        f" WHEN 'women' THEN (SELECT COUNT(*) {roll} AND m.gender = 'F')"
        f" WHEN 'groups' THEN (SELECT COUNT(*) {roll} AND m.group_id IN"
        " (SELECT g.group_id FROM activities_activity_audience_groups g"
        " WHERE g.activity_id = a.id))"
        " WHEN 'retirees' THEN (SELECT COUNT(*) FROM members_member m"
        f" WHERE m.union_id = a.union_id AND m.joined_on <= {day}"
        f" AND m.status = 'retired' AND m.left_on <= {day})"
        f" ELSE 0 END) FROM activities_activity a WHERE {started}"
    )
    out["activities.participation_rate"] = _percent(
        out["activities.participants"], one(audience, span) or 0
    )
    results = (
        "FROM activities_result r JOIN activities_activity a ON a.id = r.activity_id"
        " WHERE r.union_id = %s AND a.starts_at >= %s AND a.starts_at < %s"
    )
    out["activities.results"] = one(f"SELECT COUNT(*) {results}", span)
    out["activities.results/by"] = dict(
        rows(f"SELECT r.award_level, COUNT(*) {results} GROUP BY r.award_level", span)
    )
    out["activities.prize_cost"] = _money(one(f"SELECT SUM(r.cost) {results}", span))

    # Finance -------------------------------------------------------------------------
    for table, key in (("finance_income", "income"), ("finance_payment", "expenditure")):
        out[f"finance.{key}_total"] = _money(
            one(f"SELECT SUM(amount) FROM {table} WHERE {in_period}", dated)
        )
    for key, table, categories in (
        (
            "income",
            "finance_income",
            (
                "dues",
                "allocation",
                "upper_subsidy",
                "administration_subsidy",
                "affiliates",
                "other_income",
            ),
        ),
        (
            "expenditure",
            "finance_payment",
            ("activities", "rights", "operations", "capital", "undertakings", "other_expenditure"),
        ),
    ):
        for category in categories:
            out[f"finance.{key}.{category}"] = _money(
                one(
                    f"SELECT SUM(amount) FROM {table} WHERE {in_period} AND category = %s",
                    (*dated, category),
                )
            )
    cursor.execute(
        'SELECT (SELECT SUM(amount) FROM finance_payment WHERE union_id = %s AND "on" BETWEEN %s AND %s),'
        " (SELECT SUM(l.budget) FROM finance_budgetline l JOIN finance_fiscalyear y"
        " ON y.id = l.fiscal_year_id WHERE l.union_id = %s AND y.year BETWEEN %s AND %s"
        " AND l.category IN ('activities', 'rights', 'operations', 'capital', 'undertakings',"
        " 'other_expenditure'))",
        (u, s, e, u, s.year, e.year),
    )
    spent, budget = cursor.fetchone()
    out["finance.budget_execution"] = _percent(_money(spent), _money(budget))
    first_month = _month_of(s)
    dues_months = (u, first_month, e)
    out["finance.dues_collected"] = _money(
        one(
            "SELECT SUM(amount) FROM finance_duespayment WHERE union_id = %s"
            " AND month BETWEEN %s AND %s",
            dues_months,
        )
    )
    out["finance.dues_members_paying"] = one(
        "SELECT COUNT(*) FROM members_member m WHERE m.union_id = %s AND m.id IN"
        " (SELECT p.member_id FROM finance_duespayment p WHERE p.union_id = %s"
        " AND p.month BETWEEN %s AND %s)",
        (u, *dues_months),
    )
    # A member owes a month on the roll, after their first base, not exempt.
    owed = f"""
        WITH RECURSIVE months(m) AS ({sql.months("%s", "%s")}),
        owed AS (
            SELECT mem.id AS member_id, months.m AS month,
                ROUND((SELECT b.base * COALESCE(b.rate,
                        (SELECT f.dues_rate FROM finance_financesettings f
                         WHERE f.union_id = mem.union_id), 0.005)
                    FROM finance_duesbase b WHERE b.member_id = mem.id AND b.since <= months.m
                    ORDER BY b.since DESC LIMIT 1), 2) AS amount
            FROM members_member mem JOIN months
                ON months.m >= {sql.month("mem.joined_on")}
                AND (mem.left_on IS NULL OR months.m <= {sql.month("mem.left_on")})
            WHERE mem.union_id = %s AND mem.joined_on <= %s
                AND NOT EXISTS (SELECT 1 FROM finance_duesexemption x
                    WHERE x.member_id = mem.id AND x.starts_on <= months.m
                    AND (x.ends_on IS NULL OR months.m <= x.ends_on))
        )"""
    last_past = _month_of(e + timedelta(days=1)) - timedelta(days=1)
    first_base = (
        one("SELECT MIN(since) FROM finance_duesbase WHERE union_id = %s", (u,)) or first_month
    )
    if isinstance(first_base, str):
        first_base = date.fromisoformat(first_base)
    out["finance.dues_arrears_members"] = one(
        f"{owed} SELECT COUNT(DISTINCT member_id) FROM owed WHERE amount > 0"
        " AND NOT EXISTS (SELECT 1 FROM finance_duespayment p"
        " WHERE p.member_id = owed.member_id AND p.month = owed.month)",
        (min(first_base, _month_of(last_past)), _month_of(last_past), u, last_past),
    )
    owed_total = one(
        f"{owed} SELECT SUM(amount) FROM owed WHERE amount > 0",
        (first_month, _month_of(e), u, e),
    )
    out["finance.dues_collection_rate"] = _percent(
        out["finance.dues_collected"], _money(owed_total)
    )
    out["finance.allocation_received"] = _money(
        one(
            f"SELECT SUM(amount) FROM finance_income WHERE {in_period} AND linked_type_id ="
            " (SELECT id FROM django_content_type WHERE app_label = 'finance'"
            " AND model = 'allocation')",
            dated,
        )
    )
    return out


def _registry(metrics, union_id: int, period) -> dict:
    """Every figure as a dashboard or a report asks for them: in one evaluation,
    so a ratio reuses the counts already computed for the same period."""
    from gonghui.reports import registry

    out = {}
    with registry.evaluation():
        for m in metrics:
            value = m.value([union_id], period)
            out[m.key] = value
            if m.breakdown:
                out[f"{m.key}/by"] = m.by([union_id], period)
    return out


def _same(key: str, ours, raw) -> bool:
    if key.endswith("/by"):
        # The registry labels some breakdowns in Chinese where raw SQL keeps the
        # stored codes: compare the counts behind the labels.
        return sorted(n for _, n in ours) == sorted(raw.values())
    if isinstance(ours, Decimal) or isinstance(raw, Decimal):
        return _money(ours) == _money(raw)
    return ours == raw


def measure(union, today: date) -> dict:
    from django.db import connection
    from django.utils import timezone

    from gonghui.periods import Period
    from gonghui.reports import registry

    period = Period(date(today.year, 1, 1), today)
    tz = timezone.get_current_timezone()
    window = tuple(
        connection.ops.adapt_datetimefield_value(
            timezone.make_aware(datetime.combine(d, time.min), tz)
        )
        for d in (period.start, period.end + timedelta(days=1))
    )
    sql = _Sql(connection.vendor)
    metrics = [m for area in AREAS for m in registry.all_metrics(area=area)]

    def run_raw():
        with connection.cursor() as cursor:
            return _raw(cursor, sql, union.id, period.start, period.end, window)

    raw = run_raw()
    missing = [m.key for m in metrics if m.key not in raw]
    if missing:
        raise RuntimeError(f"no raw SQL written for metrics: {', '.join(missing)}")
    ours = _registry(metrics, union.id, period)
    for key, value in ours.items():
        if not _same(key, value, raw[key]):
            raise RuntimeError(f"{key}: registry gives {value!r}, raw SQL gives {raw[key]!r}")

    def time_ours():
        _registry(metrics, union.id, period)

    laps = {"registry": [], "raw": []}
    for _ in range(REPEATS):  # alternate, so a busy machine slows both alike
        laps["registry"].append(clock.lap(time_ours))
        laps["raw"].append(clock.lap(run_raw))
    ms = {
        (side, name): statistics.median(getattr(x, name) for x in runs) * 1000
        for side, runs in laps.items()
        for name in ("wall", "cpu")
    }
    slowest = _slowest(metrics, union.id, period)
    which = clock.ratio_clock()
    breakdowns = sum(1 for m in metrics if m.breakdown)
    return {
        "value": round(ms["registry", which], 2),
        "baseline": round(ms["raw", which], 2),
        "target": 2.0,
        "unit": (
            f"ms of {which} time for {len(metrics)} metrics and {breakdowns} breakdowns,"
            f" median of {REPEATS}"
        ),
        "metrics": [m.key for m in metrics],
        "slowest_registry_ms": slowest,
        **{f"{side}_{name}_ms": round(v, 2) for (side, name), v in ms.items()},
    }


def _slowest(metrics, union_id: int, period, top: int = 5) -> dict:
    """The registry metrics that take longest, so a missed target says where to look."""
    which = clock.ratio_clock()
    times = {}
    for m in metrics:
        lap = clock.lap(lambda m=m: _registry([m], union_id, period))
        times[m.key] = round(getattr(lap, which) * 1000, 1)
    return dict(sorted(times.items(), key=lambda kv: -kv[1])[:top])
