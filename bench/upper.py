"""upper_*_l: the upper union's figures at city scale on PostgreSQL.

Runs in a child process against BENCH_PG_URL, with the keys of BENCH_PG_VAR_DIR
(default: the repository's var/, where `gonghui demo` keeps them). If that database holds the `l`
demo (`gonghui demo --scale l`, 2,000 unions and a million members), the
benchmark reads it as it is (and refreshes stale summary rows first, timed
apart); otherwise it builds a reduced city in a throwaway database on the same
server and says so in every entry (`data`).

- upper_overview_l: the city's subtree overview (every unit's figures for the
  year plus the subtree totals) from the summary tables, against the same
  aggregates run as raw SQL over the raw records (the SQL the registry's
  querysets compile to, grouped by union). Both sides must agree before
  timing. Target: ratio < 0.1; the issue's bar is 500 ms.
- upper_drilldown_l: one unit (the largest) — all its figures from the
  summary tables and the first page of the records behind five of them;
  measured against the issue's 200 ms bar (ratio = ms / 200).
- upper_consolidated_l: the consolidated report for the whole city
  (`gonghui.collection.consolidated.draft`), against 10 s.
- upper_xlsx_l: the statistical export of every unit (`gonghui.upper.export`),
  against 15 s.
"""

import json
import os
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

REDUCED_UNIONS = 20
REDUCED_MEMBERS = 10_000
SEED = 2026
DRILL_KEYS = (
    "members.at_end",
    "members.joined",
    "finance.dues_collected",
    "activities.held",
    "care.visits",
)

_CACHE: dict = {}
VAR_DIR = Path(__file__).resolve().parent.parent / "var"


def results(url: str) -> dict:
    """All four entries, measured once per `make bench` in a child process."""
    if "all" not in _CACHE:
        env = {**os.environ, "BENCH_UPPER_URL": url, "DJANGO_SETTINGS_MODULE": "gonghui.settings"}
        # The demo's sensitive fields were encrypted with the keys of the var
        # directory it was built in, not the throwaway one of this run.
        env["GONGHUI_VAR_DIR"] = os.environ.get("BENCH_PG_VAR_DIR") or str(VAR_DIR)
        env.pop("GONGHUI_ENV", None)
        out = subprocess.run(
            [sys.executable, "-m", "bench.upper"], env=env, capture_output=True, text=True
        )
        sys.stderr.write(out.stderr[-4000:])
        if out.returncode:  # every entry reports the one failure
            _CACHE["all"] = RuntimeError(
                f"bench.upper failed: {out.stderr.strip().splitlines()[-1:]}"
            )
        else:
            _CACHE["all"] = json.loads(out.stdout.strip().splitlines()[-1])
    if isinstance(_CACHE["all"], Exception):
        raise _CACHE["all"]
    return _CACHE["all"]


def _median_ms(fn, repeats: int) -> tuple[float, object]:
    times, value = [], None
    for _ in range(repeats):
        started = time.perf_counter()
        value = fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), value


def _admin(url: str, statement: str) -> None:
    import psycopg

    parts = urlsplit(url)
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
        conn.execute(statement)


def _has_city(url: str) -> bool:
    import psycopg

    try:
        with psycopg.connect(url) as conn:
            row = conn.execute(
                "SELECT count(*) FROM orgs_union WHERE code LIKE 'nb-l-%%'"
            ).fetchone()
            return bool(row and row[0])
    except psycopg.Error:
        return False


def _child() -> None:
    url = os.environ["BENCH_UPPER_URL"]
    throwaway = None
    if _has_city(url):
        os.environ["DATABASE_URL"] = url
        data = "demo city in BENCH_PG_URL"
    else:
        throwaway = f"gonghui_bench_upper_{os.getpid()}"
        _admin(url, f'CREATE DATABASE "{throwaway}"')
        os.environ["DATABASE_URL"] = urlunsplit(urlsplit(url)._replace(path=f"/{throwaway}"))
        data = (
            f"reduced l built in the bench ({REDUCED_UNIONS} unions, {REDUCED_MEMBERS:,}"
            " members): no l data in BENCH_PG_URL"
        )
    try:
        import django

        django.setup()
        from django_scopes import scopes_disabled

        with scopes_disabled():
            out = _measure(data, built=throwaway is not None)
        print(json.dumps(out, ensure_ascii=False, default=str))
    finally:
        if throwaway:
            from django.db import connections

            connections.close_all()
            _admin(url, f'DROP DATABASE IF EXISTS "{throwaway}"')


def _measure(data: str, *, built: bool) -> dict:
    from django.core.management import call_command
    from django.db import connection, transaction

    from gonghui.demo import plans, scales
    from gonghui.members.models import Member
    from gonghui.orgs.models import Union
    from gonghui.periods import Period
    from gonghui.reports import registry
    from gonghui.rollup import services as rollup

    today = date.today()
    common = {"data": data}
    if built:
        call_command("migrate", verbosity=0, interactive=False)
        started = time.perf_counter()
        scales.build_large(
            seed=SEED, today=today, unions=REDUCED_UNIONS, members=REDUCED_MEMBERS, progress=True
        )
        common["build_seconds"] = round(time.perf_counter() - started, 1)
    stale = rollup.stale_union_ids(today.year)
    if stale:
        started = time.perf_counter()
        rollup.refresh(year=today.year, union_ids=stale)
        common["rollup_refresh_seconds"] = round(time.perf_counter() - started, 1)
        common["rollup_refreshed_unions"] = len(stale)
    city = Union.objects.get(code=plans.CITY.code)
    units = list(
        Union.objects.filter(path__startswith=city.path, code__startswith="nb-l-")
        .order_by("path")
        .values_list("pk", flat=True)
    )
    common["units"] = len(units)
    common["members"] = Member.objects.filter(union__in=units).count()
    period = Period.year(today.year)
    plans_ = rollup.rolled_up()
    keys = sorted(k for k, r in plans_.items() if r.plan.grouped_by and r.kind in ("count", "sum"))
    out = {}

    # The overview: the summary tables against raw SQL over the records.
    def from_tables():
        values = rollup.stored_unit_values(units, period, keys)
        totals = {k: sum(row[k] for row in values.values()) for k in keys}
        return values, totals

    def raw():
        values = {u: {} for u in units}
        with connection.cursor() as cursor:
            for key in keys:
                r = plans_[key]
                path = r.plan.grouped_by
                from django.db.models import Count, Sum

                agg = Sum(r.metric.sum_field) if r.kind == "sum" else Count("pk")
                qs = r.metric.records(units, period).order_by().values(path).annotate(v=agg)
                sql, params = qs.values_list(path, "v").query.sql_with_params()
                cursor.execute(sql, params)
                for u, v in cursor.fetchall():
                    if v:
                        values[u][key] = v
        totals = {k: sum(row.get(k, 0) for row in values.values()) for k in keys}
        return values, totals

    table_ms, (table_values, _) = _median_ms(from_tables, 5)
    raw_ms, (raw_values, _) = _median_ms(raw, 3)
    wrong = [(u, k) for u in units for k in keys if table_values[u][k] != raw_values[u].get(k, 0)]
    if wrong:
        raise RuntimeError(
            f"summary tables and raw SQL disagree on {len(wrong)} figures: {wrong[:5]}"
        )
    out["upper_overview_l"] = {
        **common,
        "value": round(table_ms, 1),
        "baseline": round(raw_ms, 1),
        "target": 0.1,
        "unit": f"ms, {len(units)} units × {len(keys)} metrics for the year: summary tables vs raw SQL",
        "under_500_ms": table_ms < 500,
    }

    # One unit's drill-down.
    biggest = max(units, key=lambda u: table_values[u].get("members.at_end", 0))
    drill = [k for k in DRILL_KEYS if k in plans_]

    def drill_down():
        figures = rollup.stored_unit_values([biggest], period, sorted(plans_))
        pages = [
            list(registry.get(k).records_for([biggest], period).order_by("-pk")[:50]) for k in drill
        ]
        return figures, pages

    drill_ms, (figures, _) = _median_ms(drill_down, 10)
    if figures is None:
        raise RuntimeError("the summary tables do not cover the unit")
    out["upper_drilldown_l"] = {
        **common,
        "value": round(drill_ms, 1),
        "baseline": 200.0,
        "target": 1.0,
        "unit": f"ms for one unit's figures and the first page of {len(drill)} record lists, vs the 200 ms bar",
    }

    # The consolidated report and the export, when the other parts exist.
    try:
        from gonghui.upper import export
    except ImportError as e:
        out["upper_xlsx_l"] = {**common, "error": f"gonghui.upper.export missing: {e}"}
    else:
        xlsx_ms, _ = _median_ms(lambda: export.workbook(city, period).read(), 1)
        out["upper_xlsx_l"] = {
            **common,
            "value": round(xlsx_ms, 1),
            "baseline": 15000.0,
            "target": 1.0,
            "unit": f"ms for the .xlsx of {len(units)} units, vs the 15 s bar",
        }
    try:
        from django.contrib.auth import get_user_model

        from gonghui.collection import consolidated
        from gonghui.collection import services as collection
        from gonghui.demo.logins import CITY_USERNAME
    except ImportError as e:
        out["upper_consolidated_l"] = {**common, "error": f"gonghui.collection missing: {e}"}
    else:
        with transaction.atomic():
            request = collection.issue_request(
                union=city,
                kind="statistics",
                start=period.start,
                end=period.end,
                deadline=max(period.end, today) + timedelta(days=15),
                everyone=True,
                actor=get_user_model().objects.get(username=CITY_USERNAME),
                today=today,
            )
            report_ms, _ = _median_ms(lambda: consolidated.draft(request=request, today=today), 1)
            transaction.set_rollback(True)
        out["upper_consolidated_l"] = {
            **common,
            "value": round(report_ms, 1),
            "baseline": 10000.0,
            "target": 1.0,
            "unit": "ms for the city's consolidated report, vs the 10 s bar",
        }
    return out


if __name__ == "__main__":
    _child()
