"""issue5 rights metrics as raw SQL: `raw(cursor, union_id, start, end)` gives
every registered rights.* metric (and the breakdowns, as "<key>/by" -> {label:
count}) for one union and period, for comparison with the metrics registry
(bench/run.py). Runs on SQLite and PostgreSQL (the median uses window
functions both have)."""

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

TENTH = Decimal("0.1")
UPPER_KINDS = ("federation", "industry", "group")


def _tenth(value) -> Decimal:
    if value is None:
        return Decimal("0.0")
    return Decimal(str(value)).quantize(TENTH, rounding=ROUND_HALF_UP)


def _percent(top, bottom) -> Decimal:
    if not bottom:
        return Decimal("0.0")
    return (Decimal(top) * 100 / Decimal(bottom)).quantize(TENTH, rounding=ROUND_HALF_UP)


def raw(cursor, union_id: int, start: date, end: date) -> dict:
    def one(query, params):
        cursor.execute(query, params)
        return cursor.fetchone()[0]

    def rows(query, params):
        cursor.execute(query, params)
        return dict(cursor.fetchall())

    u, s, e = union_id, start, end
    dated = (u, s, e)
    out: dict = {}
    in_force = (
        "FROM rights_contract c WHERE c.union_id = %s AND c.signed_on IS NOT NULL"
        " AND c.signed_on <= %s AND c.starts_on <= %s AND c.ends_on >= %s"
    )
    at_end = (u, e, e, e)
    out["rights.contracts_in_force"] = one(f"SELECT COUNT(*) {in_force}", at_end)
    out["rights.contracts_in_force/by"] = rows(
        f"SELECT c.kind, COUNT(*) {in_force} GROUP BY c.kind", at_end
    )
    out["rights.contracts_signed"] = one(
        "SELECT COUNT(*) FROM rights_contract WHERE union_id = %s AND signed_on BETWEEN %s AND %s",
        dated,
    )
    out["rights.contracts_expiring"] = one(
        f"SELECT COUNT(*) {in_force} AND c.ends_on <= %s", (*at_end, e + timedelta(days=90))
    )
    out["rights.rounds_held"] = one(
        "SELECT COUNT(*) FROM rights_negotiationround WHERE union_id = %s"
        " AND held_on BETWEEN %s AND %s",
        dated,
    )
    cursor.execute(
        "SELECT SUM(wage_increase), COUNT(*) FROM rights_contract WHERE union_id = %s"
        " AND signed_on BETWEEN %s AND %s AND kind IN ('wage', 'comprehensive')"
        " AND wage_increase IS NOT NULL",
        dated,
    )
    total, n = cursor.fetchone()
    out["rights.wage_increase"] = (
        (Decimal(str(total)) / n).quantize(TENTH, rounding=ROUND_HALF_UP) if n else Decimal("0.0")
    )
    kinds = ", ".join(f"'{k}'" for k in UPPER_KINDS)
    out["rights.unions_with_wage_contract"] = one(
        f"SELECT COUNT(*) FROM orgs_union un WHERE un.id = %s AND un.kind NOT IN ({kinds})"
        " AND EXISTS (SELECT 1 FROM rights_contract c WHERE c.union_id = un.id"
        " AND c.kind = 'wage' AND c.signed_on IS NOT NULL AND c.signed_on <= %s"
        " AND c.starts_on <= %s AND c.ends_on >= %s)",
        at_end,
    )
    grassroots = one(
        f"SELECT COUNT(*) FROM orgs_union WHERE id = %s AND kind NOT IN ({kinds})", (u,)
    )
    out["rights.wage_contract_coverage"] = _percent(
        out["rights.unions_with_wage_contract"], grassroots
    )
    out["rights.disputes_received"] = one(
        "SELECT COUNT(*) FROM rights_disputecase WHERE union_id = %s"
        " AND received_on BETWEEN %s AND %s",
        dated,
    )
    closed = "FROM rights_disputecase WHERE union_id = %s AND closed_on BETWEEN %s AND %s"
    out["rights.disputes_closed"] = one(f"SELECT COUNT(*) {closed}", dated)
    out["rights.disputes_closed/by"] = rows(
        f"SELECT outcome, COUNT(*) {closed} GROUP BY outcome", dated
    )
    out["rights.disputes_settled"] = one(f"SELECT COUNT(*) {closed} AND outcome = 'settled'", dated)
    out["rights.dispute_success_rate"] = _percent(
        out["rights.disputes_settled"], out["rights.disputes_closed"]
    )
    out["rights.dispute_median_days"] = _tenth(
        one(
            "SELECT AVG(d) FROM (SELECT days_to_close AS d,"
            " ROW_NUMBER() OVER (ORDER BY days_to_close) AS rn, COUNT(*) OVER () AS c"
            f" {closed} AND days_to_close IS NOT NULL) t WHERE rn IN ((c + 1) / 2, (c + 2) / 2)",
            dated,
        )
    )
    out["rights.disputes_over_limit"] = one(
        f"SELECT COUNT(*) {closed} AND days_to_close > 15", dated
    )
    asked = "FROM rights_consultation WHERE union_id = %s AND asked_on BETWEEN %s AND %s"
    out["rights.consultations"] = one(f"SELECT COUNT(*) {asked}", dated)
    out["rights.consultations/by"] = rows(f"SELECT topic, COUNT(*) {asked} GROUP BY topic", dated)
    out["rights.legal_aid"] = one(f"SELECT COUNT(*) {asked} AND outcome = 'aid'", dated)
    checked = "FROM rights_supervisioncheck WHERE union_id = %s AND checked_on BETWEEN %s AND %s"
    out["rights.supervision_checks"] = one(f"SELECT COUNT(*) {checked}", dated)
    cursor.execute(
        "SELECT COUNT(*), SUM(CASE WHEN resolved_on IS NOT NULL AND resolved_on <= %s"
        f" THEN 1 ELSE 0 END) {checked} AND compliant = %s",
        (e, *dated, False),
    )
    findings, resolved = cursor.fetchone()
    out["rights.supervision_findings"] = findings
    out["rights.supervision_resolved"] = resolved or 0
    out["rights.supervision_resolution_rate"] = _percent(resolved or 0, findings)
    return out
