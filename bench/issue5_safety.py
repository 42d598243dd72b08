"""issue 5, safety: every registered safety metric for one union and period,
written as raw SQL the way one would by hand, for bench/run.py to time
against the metrics registry (target ratio ≤ 2.0).

`raw(cursor, union_id, start, end)` returns {metric key: value}, and for the
metrics with a breakdown also "<key>/by": {stored code or name: count} (the
registry labels categories in Chinese; compare the counts, as issue3 does).
`check(union_id, start, end)` asserts the two sides agree. The SQL is the same
on SQLite and PostgreSQL (window functions and integer division exist in both).
"""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal


def _percent(top, bottom) -> Decimal:
    if not bottom:
        return Decimal("0.0")
    return (Decimal(top) * 100 / Decimal(bottom)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def raw(cursor, union_id: int, start: date, end: date) -> dict:
    from gonghui.safety.models import Category

    def one(query, params):
        cursor.execute(query, params)
        return cursor.fetchone()[0]

    def pairs(query, params):
        cursor.execute(query, params)
        return {key: n for key, n in cursor.fetchall()}

    dated = (union_id, start, end)
    out: dict = {}
    reported = pairs(
        "SELECT category, COUNT(*) FROM safety_hazard"
        " WHERE union_id = %s AND reported_on BETWEEN %s AND %s GROUP BY category",
        dated,
    )
    rectified = pairs(
        "SELECT category, COUNT(*) FROM safety_hazard"
        " WHERE union_id = %s AND rectified_on BETWEEN %s AND %s GROUP BY category",
        dated,
    )
    out["safety.hazards_reported"] = sum(reported.values())
    out["safety.hazards_reported/by"] = reported
    out["safety.hazards_rectified"] = sum(rectified.values())
    out["safety.hazards_rectified/by"] = rectified
    for code in Category.values:
        out[f"safety.hazards_reported.category.{code}"] = reported.get(code, 0)
        out[f"safety.hazards_rectified.category.{code}"] = rectified.get(code, 0)

    by_department = (
        "SELECT d.name, COUNT(*) FROM safety_hazard h"
        " LEFT JOIN orgs_department d ON d.id = h.department_id"
        " WHERE h.union_id = %s AND h.{column} BETWEEN %s AND %s GROUP BY d.name"
    )
    out["safety.hazards_reported_by_department/by"] = pairs(
        by_department.format(column="reported_on"), dated
    )
    out["safety.hazards_reported_by_department"] = out["safety.hazards_reported"]
    out["safety.hazards_rectified_by_department/by"] = pairs(
        by_department.format(column="rectified_on"), dated
    )
    out["safety.hazards_rectified_by_department"] = out["safety.hazards_rectified"]
    out["safety.hazards_verified"] = one(
        "SELECT COUNT(*) FROM safety_hazard WHERE union_id = %s AND verified_on BETWEEN %s AND %s",
        dated,
    )
    overdue = pairs(
        "SELECT d.name, COUNT(*) FROM safety_hazard h"
        " LEFT JOIN orgs_department d ON d.id = h.department_id"
        " WHERE h.union_id = %s AND h.deadline >= %s AND h.deadline < %s"
        " AND (h.rectified_on IS NULL OR h.rectified_on > h.deadline) GROUP BY d.name",
        dated,
    )
    out["safety.hazards_overdue"] = sum(overdue.values())
    out["safety.hazards_overdue/by"] = overdue
    out["safety.hazards_reported_and_rectified"] = one(
        "SELECT COUNT(*) FROM safety_hazard WHERE union_id = %s"
        " AND reported_on BETWEEN %s AND %s AND rectified_on <= %s",
        (*dated, end),
    )
    out["safety.rectification_rate"] = _percent(
        out["safety.hazards_reported_and_rectified"], out["safety.hazards_reported"]
    )
    median = one(
        "SELECT AVG(d) FROM (SELECT days_to_rectify AS d,"
        " ROW_NUMBER() OVER (ORDER BY days_to_rectify) AS rn, COUNT(*) OVER () AS c"
        " FROM safety_hazard WHERE union_id = %s AND rectified_on BETWEEN %s AND %s"
        " AND days_to_rectify IS NOT NULL) t WHERE rn IN ((c + 1) / 2, (c + 2) / 2)",
        dated,
    )
    out["safety.rectification_median_days"] = Decimal(str(median or 0)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )

    cursor.execute(
        "SELECT COUNT(*), COUNT(CASE WHEN done_on <= %s THEN 1 END) FROM safety_inspection"
        " WHERE union_id = %s AND planned_on BETWEEN %s AND %s",
        (end, *dated),
    )
    planned, done = cursor.fetchone()
    out["safety.inspections_planned"] = planned
    out["safety.inspections_done"] = done
    out["safety.inspection_completion"] = _percent(done, planned)
    out["safety.inspection_findings"] = one(
        "SELECT COUNT(*) FROM safety_hazard WHERE union_id = %s"
        " AND reported_on BETWEEN %s AND %s AND inspection_id IS NOT NULL",
        dated,
    )

    drills = pairs(
        "SELECT kind, COUNT(*) FROM safety_drill"
        " WHERE union_id = %s AND held_on BETWEEN %s AND %s GROUP BY kind",
        dated,
    )
    out["safety.drills"] = sum(drills.values())
    out["safety.drills/by"] = drills
    cursor.execute(
        "SELECT COALESCE(SUM(participants), 0), COALESCE(SUM(expected), 0) FROM safety_drill"
        " WHERE union_id = %s AND held_on BETWEEN %s AND %s",
        dated,
    )
    took, expected = cursor.fetchone()
    out["safety.drill_participants"] = int(took)
    out["safety.drill_expected"] = int(expected)
    out["safety.drill_participation"] = _percent(took, expected)

    out["safety.contests"] = one(
        "SELECT COUNT(*) FROM safety_contest WHERE union_id = %s AND held_on BETWEEN %s AND %s",
        dated,
    )
    cursor.execute(
        "SELECT COALESCE(SUM(r.participants), 0), COALESCE(SUM(r.audience), 0)"
        " FROM safety_contestresult r JOIN safety_contest c ON c.id = r.contest_id"
        " WHERE r.union_id = %s AND c.held_on BETWEEN %s AND %s",
        dated,
    )
    took, audience = cursor.fetchone()
    out["safety.contest_participants"] = int(took)
    out["safety.contest_audience"] = int(audience)
    out["safety.contest_coverage"] = _percent(took, audience)
    out["safety.violations"] = one(
        'SELECT COUNT(*) FROM safety_violation WHERE union_id = %s AND "on" BETWEEN %s AND %s',
        dated,
    )
    return out


def registry_values(union_id: int, start: date, end: date) -> dict:
    """The same figures through the metrics registry."""
    from gonghui.periods import Period
    from gonghui.reports import registry

    period = Period(start, end)
    out = {}
    for m in registry.all_metrics(area="safety"):
        out[m.key] = m.value([union_id], period)
        if m.breakdown:
            out[f"{m.key}/by"] = m.by([union_id], period)
    return out


def _same(key: str, ours, theirs) -> bool:
    if key.endswith("/by"):
        return sorted(n for _, n in ours) == sorted(theirs.values())
    if isinstance(ours, Decimal) or isinstance(theirs, Decimal):
        return Decimal(str(ours)) == Decimal(str(theirs))
    return ours == theirs


def check(union_id: int, start: date, end: date) -> None:
    """Raise if any registered safety metric lacks raw SQL or disagrees with it."""
    from django.db import connection

    with connection.cursor() as cursor:
        theirs = raw(cursor, union_id, start, end)
    ours = registry_values(union_id, start, end)
    missing = sorted(set(ours) - set(theirs))
    if missing:
        raise RuntimeError(f"no raw SQL written for: {', '.join(missing)}")
    for key, value in ours.items():
        if not _same(key, value, theirs[key]):
            raise RuntimeError(f"{key}: registry gives {value!r}, raw SQL gives {theirs[key]!r}")
