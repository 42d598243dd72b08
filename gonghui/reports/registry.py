"""The metrics registry: one number, one definition.

Each app registers its metrics in its `queries.py`:

    @metric("members.joined", label="新入会会员", unit="人")
    def joined(unions, period):
        return Member.objects.filter(union__in=unions, joined_on__range=period.bounds)

The function returns the queryset of the records behind the figure; the
registry counts it (or sums `sum_field`). The same queryset is the drill-down
list. A ratio metric divides two registered metrics. Dashboards, reports,
plans and upper unions refer to metrics only by key.
"""

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, QuerySet, Sum
from django_scopes import scopes_disabled

from gonghui.periods import Period


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    unit: str
    records: Callable[..., QuerySet] | None = None
    sum_field: str | None = None
    numerator: str | None = None
    denominator: str | None = None
    # A denominator of its own, each union's at once: (union ids, period) ->
    # {union_id: value} (a union left out counts 0); the ratio's denominator
    # for several unions is their sum.
    denominators: Callable[..., dict[int, Decimal | int]] | None = None
    # Each union's value at once: (union ids, period) -> {union_id: value}, what
    # value([union], period) gives (a union left out has 0); for pages and
    # summary tables that need every unit's figure.
    per_union: Callable[..., dict[int, Decimal | int]] | None = None
    breakdown: str | None = None  # field to group records by, for "per group" figures
    area: str = ""
    description: str = ""

    @property
    def is_ratio(self) -> bool:
        return self.numerator is not None

    @property
    def has_own_denominator(self) -> bool:
        """A ratio whose denominator is a function, not a registered metric."""
        return self.denominators is not None

    @property
    def answers_per_union(self) -> bool:
        """Every union's value comes from one query (see `values_by_union`)."""
        return (
            self.per_union is not None or type(self).values_by_union is not Metric.values_by_union
        )

    def values_by_union(self, ids: list[int], period: Period) -> dict[int, Decimal | int]:
        """{union_id: value([union_id], period)} for every union of `ids`: from
        `per_union` in one go when the metric has it (a subclass computing its
        own value may answer it too), else union by union."""
        if self.per_union is None:
            return {uid: self.value([uid], period) for uid in ids}
        found = self.per_union(list(ids), period)
        return {uid: found.get(uid, 0) for uid in ids}

    def denominator_value(self, unions, period: Period) -> Decimal | int:
        """The denominator of a ratio with its own denominator function."""
        return sum(self.denominators(union_ids(unions), period).values(), 0)

    def denominators_of(self, ids: list[int], period: Period) -> dict[int, Decimal | int]:
        """{union_id: its own denominator} for every union of `ids`, in one go."""
        found = self.denominators(ids if isinstance(ids, list) else list(ids), period)
        return {uid: found.get(uid, 0) for uid in ids}

    def records_for(self, unions, period: Period) -> QuerySet:
        """The records behind the figure (for a ratio: the numerator's records)."""
        if self.is_ratio:
            return get(self.numerator).records_for(unions, period)
        return self.records(unions, period)

    def value(self, unions, period: Period) -> Decimal | int:
        from gonghui.reports import figure_cache

        unions = union_ids(unions)
        key = ("metric", self.key, tuple(sorted(unions)), period.start, period.end)
        return figure_cache.figure(key, lambda: self._memoised(unions, period))

    def _memoised(self, unions: list[int], period: Period) -> Decimal | int:
        memo = _MEMO.get()
        if memo is None:
            return self._compute(unions, period)
        memo_key = (self.key, tuple(sorted(unions)), period.start, period.end)
        if memo_key not in memo:
            memo[memo_key] = self._compute(unions, period)
        return memo[memo_key]

    def _compute(self, unions: list[int], period: Period) -> Decimal | int:
        if self.is_ratio:
            top = get(self.numerator).value(unions, period)
            if self.has_own_denominator:
                bottom = self.denominator_value(unions, period)
            else:
                bottom = get(self.denominator).value(unions, period)
            if not bottom:
                return Decimal("0.0")
            return (Decimal(top) * 100 / Decimal(bottom)).quantize(
                Decimal("0.1"), rounding=ROUND_HALF_UP
            )
        qs = self.records(unions, period)
        if self.sum_field:
            total = qs.aggregate(total=Sum(self.sum_field))["total"]
            return total if total is not None else Decimal("0.00")
        return qs.count()

    def by(self, unions, period: Period) -> list[tuple[str, int]]:
        """For a breakdown metric: (label, count) pairs, largest first."""
        if not self.breakdown:
            raise ValueError(f"{self.key} has no breakdown")
        qs = self.records(union_ids(unions), period)
        rows = qs.values(self.breakdown).annotate(n=Count("pk")).order_by("-n", self.breakdown)
        return [(row[self.breakdown] or "未分组", row["n"]) for row in rows]


_REGISTRY: dict[str, Metric] = {}

# Values already computed in the current evaluation (see `evaluation`).
_MEMO: ContextVar[dict | None] = ContextVar("gonghui_metrics_memo", default=None)


@contextmanager
def evaluation() -> Iterator[None]:
    """Compute each (metric, unions, period) at most once inside the block.

    A page or a report asks for many figures, and ratios ask again for the
    counts they divide (知晓率 re-counts the members who answered right). Inside
    one evaluation the records cannot be expected to change, so the second
    request reuses the first answer. Nested blocks share the outer memo; the
    memo is dropped when the outermost block ends, so nothing goes stale.
    """
    if _MEMO.get() is not None:
        yield
        return
    token = _MEMO.set({})
    try:
        yield
    finally:
        _MEMO.reset(token)


# Parts of figures already computed (see `parts`).
_PARTS: ContextVar[dict | None] = ContextVar("gonghui_metrics_parts", default=None)


@contextmanager
def parts() -> Iterator[None]:
    """Inside the block, `remembered` computes each part once, and a part may
    be computed for more than one request asks (a whole year for a month).
    The summary tables, which ask every period of a year, open one per
    figure, so the tables a figure reads are seen the first time it reads
    them; a page asking one period does not."""
    token = _PARTS.set({})
    try:
        yield
    finally:
        _PARTS.reset(token)


def field_values_by_union(qs: QuerySet, field: str) -> dict[int, list]:
    """{union_id: the non-null values of `field`} over records with a `union`."""
    out: dict[int, list] = {}
    for union_id, v in qs.order_by().values_list("union_id", field):
        if v is not None:
            out.setdefault(union_id, []).append(v)
    return out


# Parts shared across figures (see `shared_parts`), and where a part served
# from them notes the tables it read (see `note_reads`).
_SHARED: ContextVar[dict | None] = ContextVar("gonghui_metrics_shared", default=None)
_NOTE: ContextVar[Callable[[frozenset[str]], None] | None] = ContextVar(
    "gonghui_metrics_note_reads", default=None
)


@contextmanager
def shared_parts() -> Iterator[None]:
    """Inside the block, a part `remembered` with the `tables` it reads is
    computed once for every figure (the unions' rolls, read for 期末会员数,
    女会员, 各小组…); each figure that gets it from there notes those tables as
    read, as if it had read them itself."""
    token = _SHARED.set({})
    try:
        yield
    finally:
        _SHARED.reset(token)


@contextmanager
def note_reads(note: Callable[[frozenset[str]], None]) -> Iterator[None]:
    """Inside the block, a shared part served without a query calls
    `note(tables)` with the tables it would have read (and so does every
    enclosing block's note)."""
    outer = _NOTE.get()

    def both(tables: frozenset[str]) -> None:
        note(tables)
        if outer is not None:
            outer(tables)

    token = _NOTE.set(both)
    try:
        yield
    finally:
        _NOTE.reset(token)


def remembering() -> bool:
    """Inside `parts`: a part computed for more than asked is worth it."""
    return _PARTS.get() is not None


def remembered(key: tuple, compute: Callable[[], Any], *, tables: frozenset[str] = frozenset()):
    """`compute()`, once per `key` inside `parts` (a part that several periods
    share: an activity's audience counts in its month, its quarter and its year).
    Given the `tables` it reads, once per `key` inside `shared_parts` too."""
    memo = _PARTS.get()
    if memo is None:
        return compute()
    if key not in memo:
        shared = _SHARED.get() if tables else None
        if shared is not None and key in shared:
            memo[key] = shared[key]
            note = _NOTE.get()
            if note is not None:
                note(tables)
        else:
            memo[key] = compute()
            if shared is not None:
                shared[key] = memo[key]
    return memo[key]


class UnionIdArray(list):
    """Union ids that a `union__in=` (or `union_id__in=`) filter binds as one
    array on PostgreSQL: `IN (SELECT unnest('{…}'::bigint[]))` instead of a
    placeholder per id. A summary-table refresh asks thousands of statements
    of hundreds of unions each; preparing and splitting a parameter per id
    was a tenth of its time. Elsewhere (SQLite) the usual list is written.
    Still a list, so code that iterates or sorts the ids is unchanged."""

    contains_aggregate = False
    contains_over_clause = False

    def resolve_expression(self, *args, **kwargs):
        return self

    def relabeled_clone(self, change_map):
        return self

    def get_group_by_cols(self):
        return []

    def as_sql(self, compiler, connection):
        if connection.vendor == "postgresql":
            return "(SELECT unnest(%s::bigint[]))", [list(self)]
        return "(" + ", ".join(["%s"] * len(self)) + ")", list(self)


def union_ids(unions) -> list[int]:
    if isinstance(unions, UnionIdArray):
        return unions
    if isinstance(unions, QuerySet):
        with scopes_disabled():
            return list(unions.values_list("pk", flat=True))
    ids = []
    for u in unions if isinstance(unions, Iterable) else [unions]:
        ids.append(u if isinstance(u, int) else u.pk)
    return ids


def register(metric_obj: Metric) -> Metric:
    if metric_obj.key in _REGISTRY and _REGISTRY[metric_obj.key] != metric_obj:
        raise ValueError(f"metric {metric_obj.key} registered twice")
    _REGISTRY[metric_obj.key] = metric_obj
    return metric_obj


def metric(
    key: str,
    *,
    label: str,
    unit: str,
    sum_field: str | None = None,
    breakdown: str | None = None,
    description: str = "",
    per_union=None,
):
    """Register a function (unions, period) -> QuerySet as a metric
    (`per_union`: see Metric)."""

    def wrap(fn):
        register(
            Metric(
                key=key,
                label=label,
                unit=unit,
                records=fn,
                sum_field=sum_field,
                breakdown=breakdown,
                area=key.split(".")[0],
                description=description,
                per_union=per_union,
            )
        )
        return fn

    return wrap


def ratio(
    key: str,
    *,
    label: str,
    numerator: str,
    denominator: str | None = None,
    denominators=None,
    description: str = "",
) -> Metric:
    """Register a percentage: numerator / denominator × 100, one decimal. The
    denominator is a registered metric, or a function of its own giving each
    union's in one query (`denominators`; several unions' is the sum)."""
    return register(
        Metric(
            key=key,
            label=label,
            unit="%",
            numerator=numerator,
            denominator=denominator,
            denominators=denominators,
            area=key.split(".")[0],
            description=description,
        )
    )


def get(key: str) -> Metric:
    try:
        return _REGISTRY[key]
    except KeyError:
        raise KeyError(f"未登记的指标：{key}") from None


def all_metrics(area: str | None = None) -> list[Metric]:
    return [m for m in _REGISTRY.values() if area is None or m.area == area]


def value(key: str, unions, period: Period):
    return get(key).value(unions, period)


# The name areas written before union_ids was public still import.
_union_ids = union_ids
