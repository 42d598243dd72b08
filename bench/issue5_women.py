"""issue5 women's metrics as raw SQL: `raw(cursor, union_id, start, end)` gives
every registered women.* metric (and the breakdowns, as "<key>/by" -> {label:
count}) for one union and period, written the way one would in SQL, for
comparison with the metrics registry (bench/run.py). Runs on SQLite and
PostgreSQL. Four-period records are counted from their plain dates only; the
encrypted columns are never read."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def _percent(top, bottom) -> Decimal:
    if not bottom:
        return Decimal("0.0")
    return (Decimal(top) * 100 / Decimal(bottom)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def raw(cursor, union_id: int, start: date, end: date) -> dict:
    def one(query, params):
        cursor.execute(query, params)
        return cursor.fetchone()[0]

    def rows(query, params):
        cursor.execute(query, params)
        return dict(cursor.fetchall())

    u, s, e = union_id, start, end
    out: dict = {}
    cursor.execute(
        "SELECT COUNT(*), SUM(CASE WHEN gender = 'F' THEN 1 ELSE 0 END) FROM members_member"
        " WHERE union_id = %s AND joined_on <= %s AND (left_on IS NULL OR left_on > %s)",
        (u, e, e),
    )
    members, women = cursor.fetchone()
    out["women.members"] = members
    out["women.women_members"] = women or 0
    out["women.women_share"] = _percent(women or 0, members)

    listed = (
        "FROM women_checkup c JOIN women_checkupcampaign k ON k.id = c.campaign_id"
        " WHERE c.union_id = %s AND k.starts_on BETWEEN %s AND %s"
    )
    eligible = one(f"SELECT COUNT(*) {listed}", (u, s, e))
    done = one(f"SELECT COUNT(*) {listed} AND c.done_on IS NOT NULL", (u, s, e))
    out["women.checkup_eligible"] = eligible
    out["women.checkup_eligible/by"] = rows(
        f"SELECT k.kind, COUNT(*) {listed} GROUP BY k.kind", (u, s, e)
    )
    out["women.checkups_done"] = done
    out["women.checkups_done/by"] = rows(
        f"SELECT k.kind, COUNT(*) {listed} AND c.done_on IS NOT NULL GROUP BY k.kind", (u, s, e)
    )
    out["women.checkup_coverage"] = _percent(done, eligible)

    years = (u, s.year, e.year)
    enrolled = "FROM women_insuranceenrolment WHERE union_id = %s AND year BETWEEN %s AND %s"
    out["women.insured"] = one(
        "SELECT COUNT(*) FROM members_member WHERE union_id = %s"
        f" AND id IN (SELECT member_id {enrolled})",
        (u, *years),
    )
    out["women.insurance_premium"] = Decimal(
        str(one(f"SELECT SUM(premium) {enrolled}", years) or 0)
    ).quantize(CENT, rounding=ROUND_HALF_UP)
    out["women.protection_open"] = one(
        "SELECT COUNT(*) FROM women_protectionrecord WHERE union_id = %s AND starts_on <= %s"
        " AND (ends_on IS NULL OR ends_on > %s)",
        (u, e, e),
    )
    return out
