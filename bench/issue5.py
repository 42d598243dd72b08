"""issue5_metrics_m: every registered metric of the safety, women, learning,
honours and rights areas (values, and the breakdowns of those that have one)
for the 50,000-member union over this year to date, through the metrics
registry, against the same figures written as raw SQL by hand, one module per
area (bench/issue5_<area>.py, each with `raw(cursor, union_id, start, end)`).

As in issue3, both sides must agree before anything is timed.
"""

import importlib
import statistics
from datetime import date

from bench import clock
from bench.issue3 import _registry, _same, _slowest

AREAS = ("safety", "women", "learning", "honors", "rights")
REPEATS = 5


def _raw_modules():
    return [importlib.import_module(f"bench.issue5_{area}") for area in AREAS]


def measure(union, today: date) -> dict:
    from django.db import connection

    from gonghui.periods import Period
    from gonghui.reports import registry

    period = Period(date(today.year, 1, 1), today)
    metrics = [m for area in AREAS for m in registry.all_metrics(area=area)]
    modules = _raw_modules()

    def run_raw():
        out = {}
        with connection.cursor() as cursor:
            for module in modules:
                out.update(module.raw(cursor, union.id, period.start, period.end))
        return out

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
        "slowest_registry_ms": _slowest(metrics, union.id, period),
        **{f"{side}_{name}_ms": round(v, 2) for (side, name), v in ms.items()},
    }
