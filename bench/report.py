"""report_annual_m: drafting the annual work summary of the 50,000-member
union (last calendar year) against computing the same figures as raw SQL.

The draft side is everything the back office does to draft a report but the
writes: every section writer, the notable records named in the text, the
comparisons with a year earlier, the closing drawn from the data, the HTML,
and the count of records behind every figure.

The raw side runs, straight on a cursor, the aggregate SQL statements that
produce the draft's figures: one statement list captured from the metrics
behind the draft's figures (for each figure and period, the exact aggregates
the registry sends), executed without the ORM. So the ratio is the cost of
drafting on top of the bare aggregates.

Also timed: the Word export of the drafted text. Targets: ratio ≤ 3.0, the
draft under 3 s, the .docx under 2 s. `measure` returns the numbers in the
shape bench/run.py expects ("value", "baseline", "target", "unit", extras).
"""

import statistics
from datetime import date

from bench import clock

REPEATS = 3
RATIO_TARGET = 3.0
DRAFT_SECONDS = 3.0
DOCX_SECONDS = 2.0


def _statements(figures, union_id: int) -> list[tuple[str, tuple]]:
    """The SQL the registry runs for each figure, captured once."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from gonghui.reports import registry

    statements = []
    for fig in figures:
        with CaptureQueriesContext(connection) as captured:
            registry.get(fig.key).value([union_id], fig.period)
        statements += [q["sql"] for q in captured.captured_queries]
    return statements


def measure(union, today: date) -> dict:
    from django.db import connection

    from gonghui.periods import Period
    from gonghui.reports.drafting import draft
    from gonghui.reports.officedoc import to_docx
    from gonghui.reports.render import to_html

    period = Period.year(today.year - 1)
    state: dict = {}

    def drafting():
        d = draft(union=union, period=period)
        state["html"] = to_html(d)
        state["records"] = [f.records() for f in d.figures]
        state["draft"] = d

    drafting()
    figures = state["draft"].figures
    if not figures:
        raise RuntimeError(f"{union.name} has no records in {period}: nothing to draft")
    statements = _statements(figures, union.id)

    def raw():
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
                cursor.fetchall()

    def export():
        to_docx(state["html"])

    laps = {"draft": [], "raw": [], "docx": []}
    for _ in range(REPEATS):  # alternate, so a busy machine slows all alike
        laps["draft"].append(clock.lap(drafting))
        laps["raw"].append(clock.lap(raw))
        laps["docx"].append(clock.lap(export))
    ms = {
        (side, name): statistics.median(getattr(x, name) for x in runs) * 1000
        for side, runs in laps.items()
        for name in ("wall", "cpu")
    }
    which = clock.ratio_clock()
    draft_wall_s = ms["draft", "wall"] / 1000
    docx_wall_s = ms["docx", "wall"] / 1000
    return {
        "value": round(ms["draft", which], 2),
        "baseline": round(ms["raw", which], 2),
        "target": RATIO_TARGET,
        "unit": (
            f"ms of {which} time to draft the {period.start.year} annual report"
            f" ({len(figures)} figures, {len(statements)} aggregate statements), median of {REPEATS}"
        ),
        "draft_seconds": round(draft_wall_s, 3),
        "draft_target_seconds": DRAFT_SECONDS,
        "draft_passed": draft_wall_s < DRAFT_SECONDS,
        "docx_seconds": round(docx_wall_s, 3),
        "docx_target_seconds": DOCX_SECONDS,
        "docx_passed": docx_wall_s < DOCX_SECONDS,
        "sections": len(state["draft"].sections),
        "figures": len(figures),
        **{f"{side}_{name}_ms": round(v, 2) for (side, name), v in ms.items()},
    }
