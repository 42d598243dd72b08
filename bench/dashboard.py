"""dashboard_metrics_m: every dashboard figure through the metrics registry
against the same aggregates written as one raw SQL query each.

Both sides must give the same numbers, or the comparison means nothing: the
benchmark checks that before timing.
"""

import statistics
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from bench import clock

REPEATS = 15

_ON_ROLL = "union_id = %s AND joined_on <= %s AND (left_on IS NULL OR left_on > %s)"
_LEFT = "'transferred', 'retired', 'withdrawn', 'deceased'"


# The membership figures at the top of the union dashboard (the roster's own);
# every other area's figures are measured by issue3_metrics_m and issue5_metrics_m.
DASHBOARD_METRICS = (
    "members.at_end",
    "members.joined",
    "members.left",
    "members.women",
    "members.women_share",
    "members.membership_rate",
)


def _percent(top, bottom) -> Decimal:
    if not bottom:
        return Decimal("0.0")
    return (Decimal(top) * 100 / Decimal(bottom)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _raw(cursor, union_id: int, start: date, end: date) -> dict:
    def one(sql, params):
        cursor.execute(sql, params)
        return cursor.fetchone()

    roll = (union_id, end, end)
    figures = {
        "members.at_end": one(f"SELECT COUNT(*) FROM members_member WHERE {_ON_ROLL}", roll)[0],
        "members.joined": one(
            "SELECT COUNT(*) FROM members_member WHERE union_id = %s"
            " AND joined_on BETWEEN %s AND %s",
            (union_id, start, end),
        )[0],
        "members.left": one(
            "SELECT COUNT(*) FROM members_member WHERE union_id = %s"
            f" AND left_on BETWEEN %s AND %s AND status IN ({_LEFT})",
            (union_id, start, end),
        )[0],
        "members.women": one(
            f"SELECT COUNT(*) FROM members_member WHERE {_ON_ROLL} AND gender = 'F'", roll
        )[0],
    }
    women, everyone = one(
        "SELECT SUM(CASE WHEN gender = 'F' THEN 1 ELSE 0 END), COUNT(*)"
        f" FROM members_member WHERE {_ON_ROLL}",
        roll,
    )
    figures["members.women_share"] = _percent(women or 0, everyone)
    on_roll, headcount = one(
        "SELECT COUNT(*), (SELECT SUM(headcount) FROM orgs_union WHERE id = %s)"
        f" FROM members_member WHERE {_ON_ROLL}",
        (union_id, *roll),
    )
    figures["members.membership_rate"] = _percent(on_roll, headcount or 0)
    cursor.execute(
        "SELECT g.name, COUNT(*) AS n FROM members_member m"
        " LEFT JOIN orgs_group g ON g.id = m.group_id"
        " WHERE m.union_id = %s AND m.joined_on <= %s AND (m.left_on IS NULL OR m.left_on > %s)"
        " GROUP BY g.name ORDER BY n DESC, g.name",
        roll,
    )
    figures["members.per_group"] = [(name or "未分组", n) for name, n in cursor.fetchall()]
    return figures


def _registry(keys, union_id: int, period) -> dict:
    from gonghui.reports import registry

    figures = {key: registry.get(key).value([union_id], period) for key in keys}
    figures["members.per_group"] = registry.get("members.per_group").by([union_id], period)
    return figures


def measure(union, today: date) -> dict:
    from django.db import connection

    from gonghui.periods import Period

    period = Period(date(today.year, 1, 1), today)
    with connection.cursor() as cursor:
        raw = _raw(cursor, union.id, period.start, period.end)
    missing = [key for key in DASHBOARD_METRICS if key not in raw]
    if missing:
        raise RuntimeError(f"no raw SQL written for dashboard metrics: {', '.join(missing)}")
    ours = _registry(DASHBOARD_METRICS, union.id, period)
    for key, value in ours.items():
        if value != raw[key]:
            raise RuntimeError(f"{key}: registry gives {value!r}, raw SQL gives {raw[key]!r}")

    def time_ours():
        _registry(DASHBOARD_METRICS, union.id, period)

    def time_raw():
        with connection.cursor() as cursor:
            _raw(cursor, union.id, period.start, period.end)

    time_ours()
    time_raw()
    laps = {"registry": [], "raw": []}
    for _ in range(REPEATS):  # alternate, so a busy machine slows both alike
        laps["registry"].append(clock.lap(time_ours))
        laps["raw"].append(clock.lap(time_raw))
    ms = {
        (side, name): statistics.median(getattr(x, name) for x in runs) * 1000
        for side, runs in laps.items()
        for name in ("wall", "cpu")
    }
    which = clock.ratio_clock()
    return {
        "value": round(ms["registry", which], 2),
        "baseline": round(ms["raw", which], 2),
        "target": 2.0,
        "unit": f"ms of {which} time for {len(DASHBOARD_METRICS) + 1} figures, median of {REPEATS}",
        "metrics": [*DASHBOARD_METRICS, "members.per_group"],
        **{f"{side}_{name}_ms": round(v, 2) for (side, name), v in ms.items()},
    }
