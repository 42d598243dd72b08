"""issue5 honours metrics as raw SQL: `raw(cursor, union_id, start, end)` gives
every registered honors.* metric (and the breakdowns, as "<key>/by" -> {label:
count}) for one union and period, written the way one would in SQL, for
comparison with the metrics registry (bench/run.py). Runs on SQLite and
PostgreSQL."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

TENTH = Decimal("0.1")


def _mean(total, n) -> Decimal:
    if not n:
        return Decimal("0.0")
    return (Decimal(str(total)) / n).quantize(TENTH, rounding=ROUND_HALF_UP)


def raw(cursor, union_id: int, start: date, end: date) -> dict:
    def one(query, params):
        cursor.execute(query, params)
        return cursor.fetchone()[0]

    def rows(query, params):
        cursor.execute(query, params)
        return dict(cursor.fetchall())

    u, s, e = union_id, start, end
    out: dict = {}
    awarded = (
        "FROM honors_nomination n WHERE n.union_id = %s AND n.state = 'awarded'"
        " AND n.decided_on BETWEEN %s AND %s"
    )
    out["honors.awards"] = one(f"SELECT COUNT(*) {awarded}", (u, s, e))
    out["honors.awards/by"] = rows(
        "SELECT k.name, COUNT(*) FROM honors_nomination n JOIN honors_awardkind k"
        " ON k.id = n.kind_id WHERE n.union_id = %s AND n.state = 'awarded'"
        " AND n.decided_on BETWEEN %s AND %s GROUP BY k.name",
        (u, s, e),
    )
    out["honors.individual_awards"] = one(
        f"SELECT COUNT(*) {awarded} AND n.member_id IS NOT NULL", (u, s, e)
    )
    out["honors.nominations"] = one(
        "SELECT COUNT(*) FROM honors_nomination WHERE union_id = %s"
        " AND nominated_on BETWEEN %s AND %s",
        (u, s, e),
    )
    on_record = "FROM honors_modelworker WHERE union_id = %s AND year <= %s"
    out["honors.model_workers"] = one(f"SELECT COUNT(*) {on_record}", (u, e.year))
    out["honors.model_workers/by"] = rows(
        f"SELECT level, COUNT(*) {on_record} GROUP BY level", (u, e.year)
    )
    out["honors.model_workers_new"] = one(
        "SELECT COUNT(*) FROM honors_modelworker WHERE union_id = %s AND year BETWEEN %s AND %s",
        (u, s.year, e.year),
    )
    out["honors.assessments_published"] = one(
        "SELECT COUNT(*) FROM honors_assessment WHERE union_id = %s"
        " AND published_on IS NOT NULL AND month BETWEEN %s AND %s",
        (u, s, e),
    )
    results = "FROM honors_groupresult r WHERE r.union_id = %s AND r.month BETWEEN %s AND %s"
    cursor.execute(f"SELECT COUNT(*), SUM(r.total) {results}", (u, s, e))
    n, total = cursor.fetchone()
    out["honors.groups_assessed"] = n
    out["honors.group_score_average"] = _mean(total, n)
    out["honors.groups_ranked_first"] = one(f"SELECT COUNT(*) {results} AND r.rank = 1", (u, s, e))
    out["honors.groups_ranked_first/by"] = rows(
        "SELECT g.name, COUNT(*) FROM honors_groupresult r JOIN orgs_group g ON g.id = r.group_id"
        " WHERE r.union_id = %s AND r.month BETWEEN %s AND %s AND r.rank = 1 GROUP BY g.name",
        (u, s, e),
    )
    return out
