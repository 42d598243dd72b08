"""Refresh the summary tables and answer figures from them.

`refresh` computes every rolled-up metric for a year's standard periods (the
twelve months, four quarters and the year) for the given unions, one query
per metric and period grouped by union where the metric's queryset allows it
(see `plans`), one union at a time otherwise; a metric proved additive is
queried per month and its quarters and year are the sums. Ratios are
recomputed from the stored numerator and denominator exactly as the registry
does. The rows of a union and year are replaced in one transaction, so a
reader sees the old figures or the new ones, never a mix.

`stored_unit_values` serves figures only when they are exact: a standard
period, every key rolled up, every union covered for that year with the
current definitions and no record changed since (see `signals`). Otherwise it
returns None and the caller computes live.
"""

import hashlib
import itertools
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection, transaction
from django.db.models import Count, DecimalField, Sum
from django.utils import timezone
from django_scopes import scopes_disabled

from gonghui.orgs.models import Union
from gonghui.periods import Period
from gonghui.reports import registry
from gonghui.rollup import plans as planning
from gonghui.rollup.models import Change, Coverage, MetricMonth

STANDARD_MONTHS = (1, 3, 12)
ZERO_SUM = Decimal("0.00")
ONE_TENTH = Decimal("0.1")
WRITE_BATCH = 5000


# Standard periods ------------------------------------------------------------------------


def _month_end(year: int, month: int) -> date:
    if month == 12:
        return date(year, 12, 31)
    return date(year, month + 1, 1) - timedelta(days=1)


def standard_period(period: Period) -> tuple[date, int] | None:
    """(first day, months) if `period` is exactly a month, a quarter or a
    calendar year; None for any other span."""
    start, end = period.start, period.end
    if start.day != 1:
        return None
    for months in STANDARD_MONTHS:
        if months == 3 and (start.month - 1) % 3:
            continue
        if months == 12 and start.month != 1:
            continue
        last_month = start.month + months - 1
        if last_month <= 12 and end == _month_end(start.year, last_month):
            return start, months
    return None


def periods_of(year: int) -> list[tuple[date, int]]:
    out = [(date(year, m, 1), 1) for m in range(1, 13)]
    out += [(date(year, q, 1), 3) for q in (1, 4, 7, 10)]
    out.append((date(year, 1, 1), 12))
    return out


def as_period(start: date, months: int) -> Period:
    return Period(start, _month_end(start.year, start.month + months - 1))


# Plans -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rolled:
    """A rolled-up metric: how to compute it and how to give its value back."""

    metric: registry.Metric
    plan: planning.Plan
    kind: str  # "count", "sum", "ratio" or "computed" (a metric with its own value())
    sum_places: int | None = None  # decimal places of a sum's field, if decimal

    @property
    def key(self) -> str:
        return self.metric.key

    def zero(self):
        if self.kind == "computed":
            raise LookupError(f"{self.key}: every value is stored")
        if self.kind == "count":
            return 0
        return ZERO_SUM if self.kind == "sum" else Decimal("0.0")

    def restore(self, stored: Decimal, places: int | None):
        """The stored Decimal(…, 4) back as the registry would give it."""
        if self.kind == "computed":
            return int(stored) if places is None else stored.quantize(Decimal(1).scaleb(-places))
        if self.kind == "count":
            return int(stored)
        if self.kind == "ratio":
            return stored.quantize(ONE_TENTH)
        if self.sum_places is None:
            return int(stored) if stored == stored.to_integral_value() else stored
        return stored.quantize(Decimal(1).scaleb(-self.sum_places))


_PLANS: dict[str, Rolled] | None = None


def _sum_places(metric: registry.Metric) -> int | None:
    qs = metric.records([planning._UNION_A], planning._PERIOD_A)
    field = Sum(metric.sum_field).resolve_expression(qs.query).output_field
    return field.decimal_places if isinstance(field, DecimalField) else None


def rolled_up(*, refresh: bool = False) -> dict[str, Rolled]:
    """Every registered metric that the tables hold, keyed by metric key."""
    global _PLANS
    if _PLANS is not None and not refresh:
        return _PLANS
    out: dict[str, Rolled] = {}
    with scopes_disabled():
        for metric in registry.all_metrics():
            if metric.is_ratio:
                continue
            plan = planning.plan(metric)
            if not plan.rolled_up:
                continue
            if type(metric).value is not registry.Metric.value or (
                type(metric)._compute is not registry.Metric._compute
            ):
                # A median or a mean: only the metric knows; computed per union.
                out[metric.key] = Rolled(
                    metric, planning.Plan(metric.key, None, False, False), "computed"
                )
            elif metric.sum_field:
                out[metric.key] = Rolled(metric, plan, "sum", _sum_places(metric))
            else:
                out[metric.key] = Rolled(metric, plan, "count")
        # A ratio is held when what it divides is held (a denominator function
        # is computed per union).
        pending = [m for m in registry.all_metrics() if m.is_ratio]
        while pending:
            progressed = False
            for metric in list(pending):
                needs = [metric.numerator] + ([metric.denominator] if metric.denominator else [])
                if all(k in out for k in needs):
                    out[metric.key] = Rolled(metric, planning.plan(metric), "ratio")
                    pending.remove(metric)
                    progressed = True
            if not progressed:
                break
    _PLANS = out
    return out


def definitions() -> str:
    """A digest of what is rolled up and how: rows written under other
    definitions are not served."""
    text = "\n".join(
        f"{r.key}|{r.kind}|{r.plan.grouped_by}|{r.plan.additive}|{r.sum_places}"
        for r in sorted(rolled_up().values(), key=lambda r: r.key)
    )
    return hashlib.sha256(text.encode()).hexdigest()


# Computing -------------------------------------------------------------------------------


def _grouped(rolled: Rolled, unions: list[int], period: Period) -> dict[int, Decimal | int]:
    qs = rolled.metric.records(unions, period).order_by()
    path = rolled.plan.grouped_by
    if rolled.kind == "sum":
        agg = Sum(rolled.metric.sum_field)
    else:
        agg = Count("pk", distinct=rolled.plan.distinct)
    rows = qs.values(path).annotate(v=agg).values_list(path, "v")
    return {u: v for u, v in rows if v}


def _one_by_one(rolled: Rolled, unions: list[int], period: Period) -> dict[int, Decimal | int]:
    out = {}
    for u in unions:
        v = rolled.metric.value([u], period)
        if v or rolled.kind == "computed":
            out[u] = v
    return out


def _ratio(rolled: Rolled, top, bottom) -> Decimal:
    if not bottom:
        return Decimal("0.0")
    return (Decimal(top) * 100 / Decimal(bottom)).quantize(ONE_TENTH, rounding=ROUND_HALF_UP)


def compute(
    unions: list[int], year: int, *, step: Callable[[str], None] | None = None
) -> dict[tuple[str, date, int], dict[int, Decimal | int]]:
    """{(key, first day, months): {union_id: value}} for every rolled-up metric
    and standard period of `year`; zero values are left out."""
    values: dict[tuple[str, date, int], dict[int, Decimal | int]] = {}
    plans = rolled_up()
    months = [(date(year, m, 1), 1) for m in range(1, 13)]
    with scopes_disabled():
        for rolled in plans.values():
            if rolled.kind == "ratio":
                continue
            run = _grouped if rolled.plan.grouped_by else _one_by_one
            if rolled.plan.additive:
                for start, n in months:
                    values[(rolled.key, start, n)] = run(rolled, unions, as_period(start, n))
                for start, n in periods_of(year)[12:]:
                    total: dict[int, Decimal | int] = defaultdict(int)
                    for m in range(n):
                        month = date(year, start.month + m, 1)
                        for u, v in values[(rolled.key, month, 1)].items():
                            total[u] += v
                    values[(rolled.key, start, n)] = {u: v for u, v in total.items() if v}
            else:
                for start, n in periods_of(year):
                    values[(rolled.key, start, n)] = run(rolled, unions, as_period(start, n))
            if step:
                step(rolled.key)
        done = {k for k, r in plans.items() if r.kind != "ratio"}
        ratios = [r for r in plans.values() if r.kind == "ratio"]
        while ratios:
            for rolled in list(ratios):
                m = rolled.metric
                needs = [m.numerator] + ([m.denominator] if m.denominator else [])
                if not all(k in done for k in needs):
                    continue
                for start, n in periods_of(year):
                    period = as_period(start, n)
                    tops = values[(m.numerator, start, n)]
                    bottoms = values[(m.denominator, start, n)] if m.denominator else None
                    row = {}
                    for u in unions:
                        if m.denominator_fn is not None:
                            bottom = m.denominator_fn([u], period)
                        else:
                            bottom = bottoms.get(u, 0)
                        v = _ratio(rolled, tops.get(u, 0), bottom)
                        if v:
                            row[u] = v
                    values[(rolled.key, start, n)] = row
                done.add(rolled.key)
                ratios.remove(rolled)
                if step:
                    step(rolled.key)
    return values


def _places(value) -> int | None:
    if isinstance(value, int):
        return None
    return max(0, -value.as_tuple().exponent)


def _write(rows: Iterable[tuple], now: datetime) -> None:
    """Insert (union_id, key, month, months, value, places) rows: COPY on PostgreSQL."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            table = MetricMonth._meta.db_table
            with cursor.cursor.copy(
                f'COPY "{table}" (union_id, metric_key, month, months, value, places, computed_at)'
                " FROM STDIN"
            ) as copy:
                for row in rows:
                    copy.write_row((*row, now))
        return
    it = iter(rows)
    while batch := list(itertools.islice(it, WRITE_BATCH)):
        MetricMonth.objects.bulk_create(
            [
                MetricMonth(
                    union_id=u,
                    metric_key=k,
                    month=m,
                    months=n,
                    value=v,
                    places=p,
                    computed_at=now,
                )
                for u, k, m, n, v, p in batch
            ]
        )


def all_union_ids() -> list[int]:
    with scopes_disabled():
        return list(Union.objects.order_by("path").values_list("pk", flat=True))


def refresh(
    *,
    year: int,
    union_ids: list[int] | None = None,
    chunk: int = 500,
    step: Callable[[str], None] | None = None,
) -> int:
    """Recompute the year's figures of `union_ids` (default: every union),
    `chunk` unions at a time; returns the number of unions refreshed."""
    unions = sorted(set(union_ids)) if union_ids is not None else all_union_ids()
    digest = definitions()
    for i in range(0, len(unions), chunk):
        part = unions[i : i + chunk]
        started = timezone.now()
        values = compute(part, year, step=step)
        rows = (
            (u, key, start, n, Decimal(v), _places(v))
            for (key, start, n), row in values.items()
            for u, v in row.items()
        )
        with transaction.atomic(), scopes_disabled():
            MetricMonth.objects.filter(
                union_id__in=part, month__gte=date(year, 1, 1), month__lte=date(year, 12, 1)
            ).delete()
            _write(rows, timezone.now())
            Coverage.objects.filter(union_id__in=part, year=year).delete()
            Coverage.objects.bulk_create(
                [
                    Coverage(union_id=u, year=year, computed_at=started, definitions=digest)
                    for u in part
                ]
            )
    return len(unions)


def stale_union_ids(year: int) -> list[int]:
    """Unions whose figures for `year` are missing, computed under other
    definitions, or older than their last recorded change."""
    digest = definitions()
    with scopes_disabled():
        covered = {
            c.union_id: c
            for c in Coverage.objects.filter(year=year).only(
                "union_id", "computed_at", "definitions"
            )
        }
        changed = dict(Change.objects.values_list("union_id", "changed_at"))
        out = []
        for u in all_union_ids():
            c = covered.get(u)
            if (
                c is None
                or c.definitions != digest
                or (u in changed and changed[u] > c.computed_at)
            ):
                out.append(u)
    return out


# Reading ---------------------------------------------------------------------------------


def stored_unit_values(
    unit_ids: list[int], period: Period, keys: list[str]
) -> dict[int, dict[str, Decimal | int]] | None:
    """{unit_id: {key: value}} from the summary tables, or None whenever they
    cannot give exactly what the registry would compute now."""
    standard = standard_period(period)
    if standard is None:
        return None
    plans = rolled_up()
    if any(k not in plans for k in keys):
        return None
    units = sorted(set(unit_ids))
    if not units:
        return {}
    start, months = standard
    digest = definitions()
    with scopes_disabled():
        coverage = list(
            Coverage.objects.filter(union_id__in=units, year=start.year).values_list(
                "union_id", "computed_at", "definitions"
            )
        )
        if len(coverage) != len(units) or any(d != digest for _, _, d in coverage):
            return None
        computed = {u: at for u, at, _ in coverage}
        for u, changed_at in Change.objects.filter(union_id__in=units).values_list(
            "union_id", "changed_at"
        ):
            if changed_at >= computed[u]:
                return None
        zeros = {k: plans[k].zero() for k in keys if plans[k].kind != "computed"}
        out = {u: dict(zeros) for u in units}
        restore = {k: plans[k].restore for k in keys}
        for u, key, value, places in _figure_rows(units, keys, start, months):
            out[u][key] = restore[key](value, places)
    if any(len(row) != len(set(keys)) for row in out.values()):
        return None  # a computed figure's row is missing
    return out


def _figure_rows(units: list[int], keys: list[str], start: date, months: int):
    """(union_id, key, value, places) of the stored figures. On PostgreSQL the
    driver's own Decimal is used as is: a city's overview reads a few hundred
    thousand rows, and the ORM's per-value conversion was most of its time."""
    qs = MetricMonth.objects.filter(
        union_id__in=units, metric_key__in=keys, month=start, months=months
    ).values_list("union_id", "metric_key", "value", "places")
    if connection.vendor != "postgresql":
        return qs
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def as_of(union_ids: list[int], year: int | None = None) -> datetime | None:
    """When the oldest of these unions' figures were computed (for `year`, or
    each union's latest year); None if any union has none."""
    units = set(union_ids)
    if not units:
        return None
    with scopes_disabled():
        rows = Coverage.objects.filter(union_id__in=units)
        if year is not None:
            rows = rows.filter(year=year)
        latest: dict[int, tuple[int, datetime]] = {}
        for u, y, at in rows.values_list("union_id", "year", "computed_at"):
            if u not in latest or y > latest[u][0]:
                latest[u] = (y, at)
    if set(latest) != units:
        return None
    return min(at for _, at in latest.values())


def mark_changed(union_ids: Iterable[int], when: datetime | None = None) -> None:
    """Record that these unions' records changed (services that move records
    between unions with bulk updates call this; saves are caught by signals)."""
    ids = sorted({u for u in union_ids if u is not None})
    if not ids:
        return
    when = when or timezone.now()
    with scopes_disabled():
        Change.objects.bulk_create(
            [Change(union_id=u, changed_at=when) for u in ids],
            update_conflicts=True,
            unique_fields=["union"],
            update_fields=["changed_at"],
        )
