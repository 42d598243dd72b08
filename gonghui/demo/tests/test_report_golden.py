"""Golden drafts of the school demo, one per report type: the text may change,
the figures and the section structure must not drift silently.

After a deliberate change (a new area, a changed metric or demo), rewrite the
golden files with GONGHUI_UPDATE_GOLDEN=1 and review the diff.
"""

import json
import os
from datetime import date
from pathlib import Path

import pytest

from gonghui.periods import Period
from gonghui.reports.drafting import draft
from gonghui.reports.models import ReportKind
from gonghui.reports.render import to_data

GOLDEN = Path(__file__).resolve().parents[2] / "reports" / "tests" / "golden"

PERIODS = {
    ReportKind.ANNUAL: Period(date(2025, 1, 1), date(2025, 12, 31)),
    ReportKind.HALF_YEAR: Period(date(2026, 1, 1), date(2026, 6, 30)),
    ReportKind.TERM: Period(date(2025, 9, 1), date(2026, 1, 31)),
    ReportKind.WOMEN: Period(date(2025, 1, 1), date(2025, 12, 31)),
    ReportKind.CONGRESS: Period(date(2025, 1, 1), date(2025, 12, 31)),
}


def shape(d) -> dict:
    """What must not drift: sections and their point counts, and every figure."""
    data = to_data(d)
    return {
        "title": d.title,
        "points_per_section": [len(s.points) for s in d.sections],
        "figures": [
            {
                "key": f["key"],
                "from": fig.period.start.isoformat(),
                "to": fig.period.end.isoformat(),
                "value": f["value"],
                "records": f["records"],
            }
            for f, fig in zip(data["figures"], d.figures, strict=True)
        ],
    }


@pytest.mark.parametrize("kind", list(PERIODS))
def test_the_school_report_keeps_its_figures_and_structure(school, kind):
    got = shape(draft(union=school, period=PERIODS[kind], kind=kind))
    path = GOLDEN / f"school_{kind}.json"
    if os.environ.get("GONGHUI_UPDATE_GOLDEN"):
        path.write_text(json.dumps(got, ensure_ascii=False, indent=1) + "\n")
    assert path.exists(), f"缺少 {path.name}：用 GONGHUI_UPDATE_GOLDEN=1 生成"
    assert got == json.loads(path.read_text()), (
        f"{kind} 报告的数字或结构变了；确认无误后用 GONGHUI_UPDATE_GOLDEN=1 重写 {path.name}"
    )
    assert got["figures"], "the demo school has records in every report's period"
    assert len(got["points_per_section"]) >= 3
