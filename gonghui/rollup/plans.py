"""How each registered metric can be rolled up, decided from its queryset.

A metric is a function (unions, period) -> QuerySet. Its figure for one union
can be read from a query over many unions grouped by the union only if the
queryset restricts a single-valued union column of each record (the record's
own `union`, or one reached through forward foreign keys) to the unions given,
and nothing else in it depends on which unions were given. Its figure for a
quarter or a year is the sum of its monthly figures only if the period enters
the query once, as `date_field BETWEEN start AND end` on a single-valued date
(not datetime) column, and the figure is a plain count or sum.

Both are decided by compiling the queryset for sentinel unions and periods
that cannot occur in real data and reading where they land, so a metric
written later is classified without anyone declaring anything; anything the
analysis cannot prove falls back to the safe path (one union at a time, each
period computed on its own).
"""

import warnings
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import models
from django.db.models import QuerySet
from django.db.models.expressions import Col
from django.db.models.lookups import Exact, In, Range
from django.db.models.sql.where import AND, WhereNode
from django.utils import timezone

from gonghui.periods import Period
from gonghui.reports.registry import Metric

# Ids and dates that no real union or record has.
_UNION_A = 987_654_321_011
_UNION_B = 987_654_321_023
_PERIOD_A = Period(date(1901, 3, 7), date(1901, 5, 19))
_PERIOD_B = Period(date(1902, 8, 3), date(1902, 8, 27))


@dataclass(frozen=True)
class Plan:
    key: str
    grouped_by: str | None  # the values() path of the record's union, if groupable
    additive: bool  # quarter and year = sum of months
    volatile: bool  # the figure depends on today's date: not rolled up
    distinct: bool = False
    reason: str = ""

    @property
    def rolled_up(self) -> bool:
        return not self.volatile


def _compiled(qs: QuerySet) -> tuple[str, tuple]:
    sql, params = qs.query.sql_with_params()
    return sql, tuple(params)


def _flatten(params) -> list:
    out = []
    for p in params:
        if isinstance(p, list | tuple):
            out.extend(_flatten(p))
        else:
            out.append(p)
    return out


def _path_to(query, alias: str) -> list | None:
    """The field names from the base model to the table `alias`, if every join
    on the way is a forward foreign key (one row per record); else None."""
    names = []
    while True:
        join = query.alias_map[alias]
        parent = getattr(join, "parent_alias", None)
        if parent is None:  # the base table
            return list(reversed(names))
        field = join.join_field
        # A forward join goes through the foreign key itself; a reverse one
        # through its remote side (one record, many rows).
        if not isinstance(field, models.ForeignKey) or field.auto_created:
            return None
        names.append(field.name)
        alias = parent


def _top_level(where: WhereNode) -> list:
    if where.connector != AND or where.negated:
        return []
    out = []
    for child in where.children:
        if isinstance(child, WhereNode):
            out.extend(_top_level(child))
        else:
            out.append(child)
    return out


def _union_lookup(qs: QuerySet, sentinel: int) -> str | None:
    for lookup in _top_level(qs.query.where):
        if not isinstance(lookup, In | Exact) or not isinstance(lookup.lhs, Col):
            continue
        values = lookup.rhs if isinstance(lookup, In) else [lookup.rhs]
        if not isinstance(values, list | tuple | set):
            continue
        ids = [getattr(v, "pk", v) for v in values]
        if ids != [sentinel]:
            continue
        target = lookup.lhs.target
        if not (
            isinstance(target, models.ForeignKey)
            and target.name == "union"
            and target.related_model._meta.label == "orgs.Union"
        ):
            continue
        path = _path_to(qs.query, lookup.lhs.alias)
        if path is None:
            continue
        return "__".join([*path, "union_id"]) if path else "union_id"
    return None


def _period_lookup(qs: QuerySet, period: Period) -> bool:
    for lookup in _top_level(qs.query.where):
        if not isinstance(lookup, Range) or not isinstance(lookup.lhs, Col):
            continue
        if tuple(lookup.rhs) != (period.start, period.end):
            continue
        target = lookup.lhs.target
        if type(target) is not models.DateField:
            continue
        if _path_to(qs.query, lookup.lhs.alias) is not None:
            return True
    return False


def _as_value(p):
    """Params as the database adapter saw them: SQLite gets dates as text."""
    if isinstance(p, str) and 10 <= len(p) <= 32 and p[4:5] == "-" and p[7:8] == "-":
        try:
            return datetime.fromisoformat(p) if len(p) > 10 else date.fromisoformat(p)
        except ValueError:
            return p
    return p


def _count(params, value) -> int:
    return sum(1 for p in params if _as_value(p) == value and type(_as_value(p)) is type(value))


def _mentions_now(params) -> bool:
    today = timezone.localdate()
    now = timezone.now()
    for p in map(_as_value, params):
        if isinstance(p, datetime):
            moment = p if timezone.is_aware(p) else timezone.make_aware(p)
            if abs(moment - now) < timedelta(days=2):
                return True
        elif isinstance(p, date) and abs((p - today).days) <= 1:
            return True
    return False


def plan(metric: Metric) -> Plan:
    """Classify one registered metric (for a ratio, see `rollup.services`)."""
    with warnings.catch_warnings():
        # The sentinel dates are naive; a timestamp column warns about them.
        warnings.simplefilter("ignore", RuntimeWarning)
        return _plan(metric)


def _plan(metric: Metric) -> Plan:
    key = metric.key
    if metric.is_ratio:
        return Plan(key, None, False, False, reason="比率：由分子分母计算")
    qs_a = metric.records([_UNION_A], _PERIOD_A)
    qs_b = metric.records([_UNION_B], _PERIOD_B)
    qs_ab = metric.records([_UNION_A, _UNION_B], _PERIOD_A)
    sql_a, params_a = _compiled(qs_a)
    sql_b, params_b = _compiled(qs_b)
    flat_a = _flatten(params_a)
    if _mentions_now(flat_a):
        return Plan(key, None, False, True, reason="随当天日期变化")
    sql_ab = _compiled(qs_ab)[0]
    if sql_a != sql_b or sql_ab.replace("IN (%s, %s)", "IN (%s)") != sql_a:
        # The query's shape depends on which unions or which dates: compute
        # each union and period on its own.
        return Plan(key, None, False, False, reason="查询结构随参数变化")
    query = qs_a.query
    shaped = (
        query.low_mark
        or query.high_mark is not None
        or query.group_by is not None
        or query.combinator
        or query.distinct_fields
    )
    distinct = bool(query.distinct)
    grouped_by = None
    if not shaped and _count(flat_a, _UNION_A) == 1:
        path = _union_lookup(qs_a, _UNION_A)
        flat_ab = _flatten(_compiled(qs_ab)[1])
        if path and _count(flat_ab, _UNION_A) == 1 and _count(flat_ab, _UNION_B) == 1:
            if not (distinct and metric.sum_field):
                grouped_by = path
    additive = (
        not shaped
        and not distinct
        and _count(flat_a, _PERIOD_A.start) == 1
        and _count(flat_a, _PERIOD_A.end) == 1
        and _period_lookup(qs_a, _PERIOD_A)
    )
    return Plan(key, grouped_by, additive, False, distinct=distinct)
