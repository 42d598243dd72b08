"""The one chart a newsletter may carry: this year's activities (or hazards)
month by month up to the issue's month, drawn by the reports charts module
when it is installed. Without it, or when the year has nothing to draw, the
newsletter simply has no chart."""

import importlib
import importlib.util
import logging
from datetime import date

from gonghui.periods import Period
from gonghui.reports.newsletter_writer import month_period

log = logging.getLogger(__name__)

# Tried in this order; the first with something to show is used.
CANDIDATES = ("activities_trend", "hazards_trend")


def month_chart(newsletter) -> tuple[bytes, str] | None:
    """(PNG bytes, caption) or None."""
    if importlib.util.find_spec("gonghui.reports.charts") is None:
        return None
    charts = importlib.import_module("gonghui.reports.charts")
    if not (hasattr(charts, "build") and hasattr(charts, "render_png")):
        return None
    end = month_period(newsletter.month).end
    period = Period(date(end.year, 1, 1), end)
    for name in CANDIDATES:
        try:
            chart = charts.build(name, [newsletter.union_id], period)
            if chart.empty:
                continue
            months = f"{end.year}年1月" if end.month == 1 else f"{end.year}年1—{end.month}月"
            return charts.render_png(chart), f"图：{months}{chart.title.split('（')[0]}"
        except Exception:  # noqa: BLE001 - a chart that cannot be drawn is left out
            log.warning(
                "newsletter %s: chart %s could not be drawn", newsletter.pk, name, exc_info=True
            )
    return None
