"""issue5 learning metrics as raw SQL: `raw(cursor, union_id, start, end)` gives
every registered learning.* metric (and the breakdowns, as "<key>/by" ->
{label: count}) for one union and period, written the way one would in SQL,
for comparison with the metrics registry (bench/run.py). Runs on SQLite and
PostgreSQL."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal


def _percent(top, bottom) -> Decimal:
    if not bottom:
        return Decimal("0.0")
    return (Decimal(top) * 100 / Decimal(bottom)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _tenths(value) -> Decimal:
    return Decimal(str(value or 0)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def raw(cursor, union_id: int, start: date, end: date) -> dict:
    def one(query, params):
        cursor.execute(query, params)
        return cursor.fetchone()[0]

    def rows(query, params):
        cursor.execute(query, params)
        return dict(cursor.fetchall())

    u, s, e = union_id, start, end
    dated = (u, s, e)
    on_roll = (
        "FROM members_member m WHERE m.union_id = %s AND m.joined_on <= %s"
        " AND (m.left_on IS NULL OR m.left_on > %s)"
    )
    out: dict = {}

    sessions = 'FROM learning_trainingsession WHERE union_id = %s AND "on" BETWEEN %s AND %s'
    out["learning.trainings"] = one(f"SELECT COUNT(*) {sessions}", dated)
    out["learning.trainings/by"] = rows(f"SELECT kind, COUNT(*) {sessions} GROUP BY kind", dated)
    out["learning.training_hours"] = _tenths(one(f"SELECT SUM(hours) {sessions}", dated))
    attended = (
        "FROM learning_trainingsession_attendees a JOIN learning_trainingsession t"
        ' ON t.id = a.trainingsession_id WHERE t.union_id = %s AND t."on" BETWEEN %s AND %s'
    )
    out["learning.attendances"] = one(f"SELECT COUNT(*) {attended}", dated)
    out["learning.participants"] = one(
        "SELECT COUNT(*) FROM members_member m WHERE m.union_id = %s"
        f" AND m.id IN (SELECT a.member_id {attended})",
        (u, u, s, e),
    )
    out["learning.daily_answers"] = one(
        'SELECT COUNT(*) FROM learning_dailyanswer WHERE union_id = %s AND "on" BETWEEN %s AND %s',
        dated,
    )
    cursor.execute(
        "SELECT COUNT(*), SUM(CASE WHEN passed THEN 1 ELSE 0 END) FROM learning_attempt"
        ' WHERE union_id = %s AND "on" BETWEEN %s AND %s',
        dated,
    )
    sittings, passed = cursor.fetchone()
    out["learning.exam_sittings"] = sittings
    out["learning.exam_passed"] = passed or 0
    out["learning.pass_rate"] = _percent(passed or 0, sittings)
    audience = one(f"SELECT COUNT(*) {on_roll}", (u, e, e))
    out["learning.audience"] = audience
    aware = one(
        f"SELECT COUNT(*) {on_roll} AND (m.id IN (SELECT member_id FROM learning_dailyanswer"
        ' WHERE union_id = %s AND "on" BETWEEN %s AND %s AND correct = %s)'
        " OR m.id IN (SELECT member_id FROM learning_attempt WHERE union_id = %s"
        ' AND "on" BETWEEN %s AND %s AND correct > 0))',
        (u, e, e, u, s, e, True, u, s, e),
    )
    out["learning.members_aware"] = aware
    out["learning.awareness_rate"] = _percent(aware, audience)
    out["learning.contests"] = one(
        'SELECT COUNT(*) FROM learning_skillcontest WHERE union_id = %s AND "on" BETWEEN %s AND %s',
        dated,
    )
    out["learning.contest_entrants"] = one(
        "SELECT COUNT(*) FROM learning_skillresult r JOIN learning_skillcontest c"
        ' ON c.id = r.contest_id WHERE r.union_id = %s AND c."on" BETWEEN %s AND %s',
        dated,
    )
    qualified = "FROM learning_qualification WHERE union_id = %s AND obtained_on BETWEEN %s AND %s"
    out["learning.qualifications"] = one(f"SELECT COUNT(*) {qualified}", dated)
    out["learning.qualifications/by"] = rows(
        f"SELECT kind, COUNT(*) {qualified} GROUP BY kind", dated
    )
    return out
