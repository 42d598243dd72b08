"""Refresh the summary tables and answer figures from them.

`refresh` computes every rolled-up metric for a year's standard periods (the
twelve months, four quarters and the year) for the given unions, one query
per metric and period grouped by union where the metric's queryset allows it
(see `plans`), one union at a time otherwise; a metric proved additive is
queried per month and its quarters and year are the sums. Ratios are
recomputed from the stored numerator and denominator exactly as the registry
does. The rows of a union and year are replaced in one transaction, so a
reader sees the old figures or the new ones, never a mix.

While a figure is computed, every SQL statement it runs is watched and the
tables it names are kept with the coverage (`Coverage.sources`), per union
where the figure is computed one union at a time: what a figure read is
known from what it did, not declared, so a denominator function or a records
function that queries the database first is covered as well as a plain
queryset. A write marks (union, table) (see `signals`); a refresh of a stale
union recomputes only the figures that read a table marked since, for the
whole year, and records which marks it has seen (`Coverage.marks_seen`).

`stored_unit_values` serves figures only when they are exact: a standard
period, every key rolled up, every union covered for that year with the
current definitions, and no mark unseen by that coverage naming a table one
of the asked figures read (see `signals`). Otherwise it returns None and the
caller computes live.
"""

import functools
import hashlib
import itertools
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.apps import apps
from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.db.models import Count, DecimalField, F, Sum
from django.utils import timezone
from django_scopes import scopes_disabled

from gonghui.orgs.models import Union
from gonghui.periods import Period
from gonghui.reports import registry
from gonghui.rollup import plans as planning
from gonghui.rollup.models import ALL_SOURCES, Change, Coverage, MetricMonth

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


# A ratio whose denominator is a function of its own also stores each union's
# denominator under this key, so that a subtree's ratio (Σ numerators ÷
# Σ denominators) is read, not recomputed over every record of the subtree.
_DENOMINATOR = "{key}/denominator"


def denominator_key(ratio_key: str) -> str:
    return _DENOMINATOR.format(key=ratio_key)


def _stored_denominators() -> dict[str, str]:
    """{denominator key: its ratio's key} for the ratios that store one."""
    return {
        denominator_key(k): k
        for k, r in rolled_up().items()
        if r.kind == "ratio" and r.metric.has_own_denominator
    }


def definitions() -> str:
    """A digest of what is rolled up and how: rows written under other
    definitions are not served."""
    text = "\n".join(
        f"{r.key}|{r.kind}|{r.plan.grouped_by}|{r.plan.additive}|{r.sum_places}"
        for r in sorted(rolled_up().values(), key=lambda r: r.key)
    )
    text += "\n" + "\n".join(sorted(_stored_denominators()))
    return hashlib.sha256(text.encode()).hexdigest()


# What a figure reads ----------------------------------------------------------------------

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_TABLES: frozenset[str] | None = None


def _all_tables() -> frozenset[str]:
    global _TABLES
    if _TABLES is None:
        _TABLES = frozenset(m._meta.db_table for m in apps.get_models(include_auto_created=True))
    return _TABLES


def tables_in(sql: str) -> set[str]:
    """The model tables an SQL statement names (a superset is harmless:
    a figure is recomputed once too often, never served stale)."""
    return set(_IDENTIFIER.findall(sql)) & _all_tables()


class _Reads:
    """An execute wrapper collecting the tables named by every statement run
    inside it (records functions that query first, raw SQL, subqueries)."""

    def __init__(self):
        self.tables: set[str] = set()

    def __call__(self, execute, sql, params, many, context):
        self.tables |= tables_in(sql)
        return execute(sql, params, many, context)


class _watch:
    """`with _watch() as reads:` — reads.tables after the block. Outside any
    metrics memo (`registry.evaluation`), so every figure runs its queries."""

    def __enter__(self) -> _Reads:
        self.reads = _Reads()
        self.memo = registry._MEMO.set(None)
        self.wrapper = connection.execute_wrapper(self.reads)
        self.wrapper.__enter__()
        # A part shared across figures and served without a query is read too.
        self.noting = registry.note_reads(self.reads.tables.update)
        self.noting.__enter__()
        return self.reads

    def __exit__(self, *exc):
        self.noting.__exit__(*exc)
        self.wrapper.__exit__(*exc)
        registry._MEMO.reset(self.memo)
        return False


# Computing -------------------------------------------------------------------------------

# {key: {union_id: tables read}}, filled by `compute`.
Sources = dict[str, dict[int, set[str]]]


def _grouped(
    rolled: Rolled, unions: list[int], period: Period, sources: Sources, reuse: dict | None = None
):
    """One query for all `unions`. A statement already run in this refresh
    (a stock at the end of March is asked again for the first quarter) is
    not run again: the same SQL with the same parameters gives the same rows."""
    with _watch() as reads:
        qs = rolled.metric.records(unions, period).order_by()
        path = rolled.plan.grouped_by
        if rolled.kind == "sum":
            agg = Sum(rolled.metric.sum_field)
        else:
            agg = Count("pk", distinct=rolled.plan.distinct)
        query = qs.values(path).annotate(v=agg).values_list(path, "v")
        try:
            sql, params = query.query.sql_with_params()
            signature = (sql, repr(params))
        except EmptyResultSet:
            signature = None
        if reuse is not None and signature in reuse:
            rows = reuse[signature]
            reads.tables |= tables_in(signature[0])
        else:
            rows = list(query)
            if reuse is not None and signature is not None:
                reuse[signature] = rows
    read = sources.setdefault(rolled.key, {})
    for u in unions:
        read.setdefault(u, set()).update(reads.tables)
    return {u: v for u, v in rows if v}


_PLACEHOLDER = re.compile(r"%%|%s")
# The outer union's alias: a name no query of a metric uses for its own tables.
_OUTER = "rollup_outer_union"


def _per_union_statement(rolled: Rolled, period: Period) -> tuple[str, list] | None:
    """One statement giving every union's figure of a metric that cannot be
    grouped: the metric's own single-union query, run for each union as a
    correlated subquery, with the union's id where the query has it.

    Built from the query compiled for two sentinel unions; None (compute one
    union at a time) unless the metric is a plain count or sum whose records
    function runs no query of its own (so its SQL cannot depend on data) and
    whose two compilations differ only in the parameters holding the union.
    """
    if rolled.kind not in {"count", "sum"}:
        return None
    a, b = planning._UNION_A, planning._UNION_B
    compiled = []
    for sentinel in (a, b):
        with _watch() as reads:
            qs = rolled.metric.records([sentinel], period).order_by()
        if reads.tables:
            return None  # it read the database to build its query
        if rolled.kind == "sum" and qs.query.distinct:
            return None  # a distinct sum adds each value once: not this shape
        try:
            if rolled.kind == "sum":
                picked = qs.annotate(rollup_v=F(rolled.metric.sum_field)).values_list("rollup_v")
            else:
                picked = qs.values("pk")
            sql, params = picked.query.sql_with_params()
        except EmptyResultSet:
            return None
        compiled.append((sql, list(params)))
    (sql_a, params_a), (sql_b, params_b) = compiled
    if sql_a != sql_b or len(params_a) != len(params_b):
        return None
    at = [i for i, p in enumerate(params_a) if p == a]
    if not at or at != [i for i, p in enumerate(params_b) if p == b]:
        return None
    if any(
        pa != pb for i, (pa, pb) in enumerate(zip(params_a, params_b, strict=True)) if i not in at
    ):
        return None
    pieces = _PLACEHOLDER.split(sql_a)
    marks = _PLACEHOLDER.findall(sql_a)
    if marks.count("%s") != len(params_a):
        return None
    out, n = [pieces[0]], 0
    for mark, piece in zip(marks, pieces[1:], strict=True):
        if mark == "%s":
            out.append(f"{_OUTER}.id" if n in at else "%s")
            n += 1
        else:
            out.append(mark)
        out.append(piece)
    inner = "".join(out)
    value = 'SUM(rollup_sub."rollup_v")' if rolled.kind == "sum" else "COUNT(*)"
    table = Union._meta.db_table
    statement = (
        f'SELECT {_OUTER}.id, (SELECT {value} FROM ({inner}) rollup_sub) FROM "{table}" {_OUTER}'
    )
    return statement, [p for i, p in enumerate(params_a) if i not in at]


def _correlated(rolled: Rolled, unions: list[int], period: Period, sources: Sources):
    built = _per_union_statement(rolled, period)
    if built is None:
        return _one_by_one(rolled, unions, period, sources)
    statement, params = built
    # Bound as a `union__in=` filter binds them: one array on PostgreSQL.
    among, ids = registry.UnionIdArray(unions).as_sql(None, connection)
    statement += f" WHERE {_OUTER}.id IN {among}"
    with _watch() as reads, connection.cursor() as cursor:
        cursor.execute(statement, [*params, *ids])
        rows = cursor.fetchall()
    read = sources.setdefault(rolled.key, {})
    for u in unions:
        read.setdefault(u, set()).update(reads.tables)
    out = {}
    for u, v in rows:
        if v:
            out[u] = v if rolled.kind == "count" else _as_sum(rolled, v)
    return out


def _per_union(rolled: Rolled, unions: list[int], period: Period, sources: Sources):
    """The metric's own every-union answer. Its periods share parts (the first
    unpaid month of each member answers every month-end), so the tables are
    noted when a part is first computed, for every union asked."""
    with _watch() as reads:
        found = rolled.metric.values_by_union(unions, period)
    read = sources.setdefault(rolled.key, {})
    for u in unions:
        read.setdefault(u, set()).update(reads.tables)
    # A mean or a median is stored even when zero (see Rolled.zero).
    return {u: v for u, v in found.items() if v or rolled.kind == "computed"}


def _as_sum(rolled: Rolled, v):
    """A raw SUM as the registry's aggregate gives it (SQLite: a float)."""
    if isinstance(v, Decimal):
        return v
    if rolled.sum_places is None:
        return v
    return Decimal(str(v))


def _one_by_one(rolled: Rolled, unions: list[int], period: Period, sources: Sources):
    out = {}
    read = sources.setdefault(rolled.key, {})
    for u in unions:
        with _watch() as reads:
            v = rolled.metric.value([u], period)
        read.setdefault(u, set()).update(reads.tables)
        if v or rolled.kind == "computed":
            out[u] = v
    return out


def _ratio(rolled: Rolled, top, bottom) -> Decimal:
    if not bottom:
        return Decimal("0.0")
    return (Decimal(top) * 100 / Decimal(bottom)).quantize(ONE_TENTH, rounding=ROUND_HALF_UP)


def needed(keys: Iterable[str]) -> set[str]:
    """`keys` and what their ratios divide, down to the counts and sums."""
    plans = rolled_up()
    out: set[str] = set()
    todo = list(keys)
    while todo:
        key = todo.pop()
        if key in out or key not in plans:
            continue
        out.add(key)
        m = plans[key].metric
        if plans[key].kind == "ratio":
            todo += [m.numerator] + ([m.denominator] if m.denominator else [])
    return out


def compute(
    unions: list[int],
    year: int,
    *,
    step: Callable[[str], None] | None = None,
    keys: Iterable[str] | None = None,
    sources: Sources | None = None,
) -> dict[tuple[str, date, int], dict[int, Decimal | int]]:
    """{(key, first day, months): {union_id: value}} for every rolled-up metric
    (or `keys` and what they divide) and standard period of `year`; zero
    values are left out. The tables each figure read go into `sources`."""
    values: dict[tuple[str, date, int], dict[int, Decimal | int]] = {}
    sources = sources if sources is not None else {}
    plans = rolled_up()
    wanted = needed(keys) if keys is not None else set(plans)
    months = [(date(year, m, 1), 1) for m in range(1, 13)]
    ids = registry.UnionIdArray(unions)  # bound as one parameter, not one per union
    with scopes_disabled(), registry.shared_parts():
        for rolled in plans.values():
            if rolled.kind == "ratio" or rolled.key not in wanted:
                continue
            if rolled.metric.answers_per_union:
                run = _per_union
            elif rolled.plan.grouped_by:
                run = functools.partial(_grouped, reuse={})
            else:
                run = _correlated
            # A part its periods share is computed once (see _per_union).
            with registry.parts():
                if rolled.plan.additive:
                    for start, n in months:
                        values[(rolled.key, start, n)] = run(
                            rolled, ids, as_period(start, n), sources
                        )
                    for start, n in periods_of(year)[12:]:
                        total: dict[int, Decimal | int] = defaultdict(int)
                        for m in range(n):
                            month = date(year, start.month + m, 1)
                            for u, v in values[(rolled.key, month, 1)].items():
                                total[u] += v
                        values[(rolled.key, start, n)] = {u: v for u, v in total.items() if v}
                else:
                    for start, n in periods_of(year):
                        values[(rolled.key, start, n)] = run(
                            rolled, ids, as_period(start, n), sources
                        )
            sources.setdefault(rolled.key, {})
            if step:
                step(rolled.key)
        done = {k for k, r in plans.items() if r.kind != "ratio" and k in wanted}
        ratios = [r for r in plans.values() if r.kind == "ratio" and r.key in wanted]
        while ratios:
            progressed = False
            for rolled in list(ratios):
                m = rolled.metric
                needs = [m.numerator] + ([m.denominator] if m.denominator else [])
                if not all(k in done for k in needs):
                    continue
                read = sources.setdefault(rolled.key, {})
                for u in unions:
                    mine = read.setdefault(u, set())
                    for k in needs:
                        mine |= sources.get(k, {}).get(u, set())
                # A part its periods share (an activity's audience) is counted
                # once; the tables it reads are noted then.
                with registry.parts():
                    for start, n in periods_of(year):
                        period = as_period(start, n)
                        tops = values[(m.numerator, start, n)]
                        if m.has_own_denominator:
                            # Every union's at once.
                            with _watch() as reads:
                                bottoms = m.denominators_of(ids, period)
                            for u in unions:
                                read[u] |= reads.tables
                        else:
                            bottoms = values[(m.denominator, start, n)]
                        row = {}
                        for u in unions:
                            v = _ratio(rolled, tops.get(u, 0), bottoms.get(u, 0))
                            if v:
                                row[u] = v
                        values[(rolled.key, start, n)] = row
                        if m.has_own_denominator:
                            values[(denominator_key(rolled.key), start, n)] = {
                                u: v for u, v in bottoms.items() if v
                            }
                done.add(rolled.key)
                ratios.remove(rolled)
                progressed = True
                if step:
                    step(rolled.key)
            if not progressed:  # cannot happen: rolled_up holds a ratio only with its parts
                raise LookupError(f"无法计算比率：{', '.join(r.key for r in ratios)}")
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


# Staleness -------------------------------------------------------------------------------

ALL = None  # "every rolled-up figure", in place of a set of keys


def _marks(unions: Iterable[int]) -> dict[int, dict[str, datetime]]:
    """{union_id: {table: changed_at}} of the change marks of these unions."""
    out: dict[int, dict[str, datetime]] = defaultdict(dict)
    with scopes_disabled():
        for u, source, at in Change.objects.filter(union_id__in=list(unions)).values_list(
            "union_id", "source", "changed_at"
        ):
            out[u][source] = at
    return out


def _unseen(marks: dict[str, datetime], seen: dict | None) -> set[str]:
    """The tables marked since the coverage was computed: marks it did not see
    as they are now (same table, same time)."""
    seen = seen or {}
    return {source for source, at in marks.items() if seen.get(source) != at.isoformat()}


def _affected(unseen: set[str], sources: dict | None, keys: Iterable[str]) -> set[str] | None:
    """Which of `keys` read a table in `unseen`; ALL when that is not known."""
    if not unseen:
        return set()
    if ALL_SOURCES in unseen or sources is None:
        return ALL
    out = set()
    for key in keys:
        read = sources.get(key)
        if read is None or unseen.intersection(read):
            out.add(key)
    return out


def stale_keys(
    union_ids: list[int], year: int, marks: dict[int, dict[str, datetime]] | None = None
) -> dict[int, set[str] | None]:
    """{union_id: the rolled-up keys to recompute for `year`, or ALL}; unions
    whose figures are all current are left out (`marks`: as read already)."""
    digest = definitions()
    keys = list(rolled_up())
    marks = _marks(union_ids) if marks is None else marks
    out: dict[int, set[str] | None] = {}
    with scopes_disabled():
        covered = {
            u: (d, seen)
            for u, d, seen in Coverage.objects.filter(
                union_id__in=union_ids, year=year
            ).values_list("union_id", "definitions", "marks_seen")
        }
        unseen = {}
        for u in union_ids:
            if u not in covered or covered[u][0] != digest:
                out[u] = ALL
            elif u in marks and (tables := _unseen(marks[u], covered[u][1])):
                unseen[u] = tables
        if unseen:
            for u, sources in Coverage.objects.filter(
                union_id__in=list(unseen), year=year
            ).values_list("union_id", "sources"):
                affected = _affected(unseen[u], sources, keys)
                out[u] = affected if affected is ALL else needed(affected)
    return out


def stale_union_ids(year: int) -> list[int]:
    """Unions whose figures for `year` are missing, computed under other
    definitions, or have a change mark they have not seen."""
    unions = all_union_ids()
    digest = definitions()
    marks = _marks(unions)
    with scopes_disabled():
        covered = {
            u: (d, seen)
            for u, d, seen in Coverage.objects.filter(year=year).values_list(
                "union_id", "definitions", "marks_seen"
            )
        }
    out = []
    for u in unions:
        c = covered.get(u)
        if c is None or c[0] != digest or (u in marks and _unseen(marks[u], c[1])):
            out.append(u)
    return out


# Refreshing ------------------------------------------------------------------------------


def refresh(
    *,
    year: int,
    union_ids: list[int] | None = None,
    chunk: int = 500,
    step: Callable[[str], None] | None = None,
    only_stale: bool = False,
) -> int:
    """Recompute the year's figures of `union_ids` (default: every union),
    `chunk` unions at a time; returns the number of unions refreshed. With
    `only_stale`, a union recomputes only the figures that read a table
    marked since its figures were computed (all of them if they are missing
    or under other definitions), and a union with nothing stale is left."""
    unions = sorted(set(union_ids)) if union_ids is not None else all_union_ids()
    count = 0
    for i in range(0, len(unions), chunk):
        count += _refresh_part(unions[i : i + chunk], year, step, only_stale)
    return count


def _refresh_part(part: list[int], year: int, step, only_stale: bool) -> int:
    digest = definitions()
    # Marks are read after `started`: every mark the figures account for was
    # written after its records were committed, hence before they are read.
    started = timezone.now()
    marks = _marks(part)
    work = stale_keys(part, year, marks) if only_stale else dict.fromkeys(part, ALL)
    groups: dict[frozenset | None, list[int]] = defaultdict(list)
    for u in part:
        if u in work:
            keys = work[u]
            # An empty set: marked, but on tables none of its figures read;
            # the marks are only noted as seen.
            groups[None if keys is ALL else frozenset(keys)].append(u)
    for keys, unions in groups.items():
        sources: Sources = {}
        values = (
            compute(unions, year, step=step, keys=keys, sources=sources)
            if keys != frozenset()
            else {}
        )
        _store(unions, year, keys, values, sources, marks, started, digest)
    return sum(len(u) for u in groups.values())


def _store(unions, year, keys, values, sources, marks, started, digest) -> None:
    """Replace the figures `keys` (None: all) of `unions` for `year` with
    `values` and note what they read and which marks they saw, in one
    transaction."""
    rows = (
        (u, key, start, n, Decimal(v), _places(v))
        for (key, start, n), row in values.items()
        for u, v in row.items()
    )
    recomputed = {k for k, _, _ in values}

    def seen(u):
        return {source: at.isoformat() for source, at in marks.get(u, {}).items()}

    def read_by(u):
        return {k: sorted(sources[k].get(u, ())) for k in recomputed if k in sources}

    with transaction.atomic(), scopes_disabled():
        # Two refreshes of the same unions (cron runs overlapping) take turns.
        list(Coverage.objects.select_for_update().filter(union_id__in=unions, year=year))
        old = MetricMonth.objects.filter(
            union_id__in=unions, month__gte=date(year, 1, 1), month__lte=date(year, 12, 1)
        )
        if keys is None:
            old.delete()
        elif recomputed:
            old.filter(metric_key__in=recomputed).delete()
        _write(rows, timezone.now())
        if keys is None:
            Coverage.objects.filter(union_id__in=unions, year=year).delete()
            Coverage.objects.bulk_create(
                [
                    Coverage(
                        union_id=u,
                        year=year,
                        computed_at=started,
                        definitions=digest,
                        sources=read_by(u),
                        marks_seen=seen(u),
                    )
                    for u in unions
                ]
            )
        else:
            covers = list(Coverage.objects.filter(union_id__in=unions, year=year))
            for c in covers:
                c.computed_at = started
                c.sources = {**(c.sources or {}), **read_by(c.union_id)}
                c.marks_seen = seen(c.union_id)
            Coverage.objects.bulk_update(covers, ["computed_at", "sources", "marks_seen"])
        _forget_seen(unions)


def _forget_seen(unions: list[int]) -> None:
    """Delete the marks every covered year of their union has seen; a mark
    written again since (a new time) is not the one seen and stays. The
    marks are locked while they are compared, so a writer's newer time waits
    for this transaction rather than being deleted unseen; they go by id (one
    OR of (union, table, time) per mark took PostgreSQL minutes to plan for
    500 unions' 15,000 marks)."""
    marks = list(
        Change.objects.select_for_update()
        .filter(union_id__in=list(unions))
        .values_list("pk", "union_id", "source", "changed_at")
    )
    if not marks:
        return
    seen_by: dict[int, list[dict]] = defaultdict(list)
    for u, seen in Coverage.objects.filter(
        union_id__in=list({u for _, u, _, _ in marks})
    ).values_list("union_id", "marks_seen"):
        seen_by[u].append(seen or {})
    done = [
        pk
        for pk, u, source, at in marks
        if all(s.get(source) == at.isoformat() for s in seen_by[u])
    ]
    if done:
        Change.objects.filter(pk__in=done).delete()


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
    denominators = _stored_denominators()
    if any(k not in plans and k not in denominators for k in keys):
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
        marks = _marks(units)
        if marks:
            unseen = {}
            for u, seen in Coverage.objects.filter(
                union_id__in=list(marks), year=start.year
            ).values_list("union_id", "marks_seen"):
                if tables := _unseen(marks[u], seen):
                    unseen[u] = tables
            if unseen:
                # A denominator read what its ratio read.
                owners = [denominators.get(k, k) for k in keys]
                for u, sources in Coverage.objects.filter(
                    union_id__in=list(unseen), year=start.year
                ).values_list("union_id", "sources"):
                    if _affected(unseen[u], sources, owners) != set():
                        return None  # a figure asked for may be stale
        zeros = {
            k: 0 if k in denominators else plans[k].zero()
            for k in keys
            if k in denominators or plans[k].kind != "computed"
        }
        out = {u: dict(zeros) for u in units}
        restore = {k: _restore_denominator if k in denominators else plans[k].restore for k in keys}
        for u, key, value, places in _figure_rows(units, keys, start, months):
            out[u][key] = restore[key](value, places)
    if any(len(row) != len(set(keys)) for row in out.values()):
        return None  # a computed figure's row is missing
    return out


def _restore_denominator(stored: Decimal, places: int | None):
    """A stored denominator as its function gave it: a count or an amount."""
    return int(stored) if places is None else stored.quantize(Decimal(1).scaleb(-places))


def stored_denominators(
    unit_ids: list[int], period: Period, ratio_keys: list[str]
) -> dict[int, dict[str, Decimal | int]] | None:
    """{unit_id: {ratio_key: its denominator}} from the summary tables for
    ratios with a denominator function of their own, or None whenever they
    cannot give exactly what the function would give now."""
    keys = [denominator_key(k) for k in ratio_keys]
    if not keys or any(k not in _stored_denominators() for k in keys):
        return None
    found = stored_unit_values(unit_ids, period, keys)
    if found is None:
        return None
    return {u: {k: row[denominator_key(k)] for k in ratio_keys} for u, row in found.items()}


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
    """Record that any table of these unions' records may have changed
    (services that move records between unions with bulk updates call this;
    saves are caught by signals): every figure of theirs is stale."""
    mark_tables([(u, ALL_SOURCES) for u in union_ids], when)


def mark_tables(marks: Iterable[tuple[int, str]], when: datetime | None = None) -> None:
    """Record that a table of a union's records was written: (union_id, table)."""
    pairs = sorted({(u, t) for u, t in marks if u is not None})
    if not pairs:
        return
    when = when or timezone.now()
    with scopes_disabled():
        Change.objects.bulk_create(
            [Change(union_id=u, source=t, changed_at=when) for u, t in pairs],
            update_conflicts=True,
            unique_fields=["union", "source"],
            update_fields=["changed_at"],
        )
