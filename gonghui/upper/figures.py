"""Per-unit figures for an upper union's subtree: the data layer of the upper
workspace, the report collection and the consolidated report.

Every figure is a registered metric (`gonghui.reports.registry`), computed for
each grassroots union ("unit") of the subtree. The rollup summary tables answer
first when they can (`gonghui.rollup.services.stored_unit_values`); otherwise
the figures are computed live from the records, one grouped query per metric
where the metric's records allow it (`records(...).values("union_id")`), else
one query per unit. Both ways give the numbers `Metric.value([unit])` gives.

Subtree totals add the units' figures up; a ratio is recomputed from the
summed numerator and denominator, never averaged. Figures that do not add up
(medians, averages) are asked of the registry over all units at once.

The caller provides the scope (django-scopes): a request scope holds the
subtree for upper-union staff.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, QuerySet, Sum

from gonghui.orgs.models import UPPER_KINDS, Union
from gonghui.periods import Period
from gonghui.reports import registry
from gonghui.reports.registry import Metric

Value = Decimal | int


# The units ----------------------------------------------------------------------------


def units(upper: Union) -> list[Union]:
    """The grassroots unions (the unions that hold members, not 总工会/产业工会/集团工会)
    in `upper`'s subtree, ordered by path. A grassroots union asked for itself is its
    own only unit."""
    return list(
        Union.objects.filter(path__startswith=upper.path)
        .exclude(kind__in=UPPER_KINDS)
        .order_by("path")
    )


def unit_ids(upper: Union) -> list[int]:
    return list(
        Union.objects.filter(path__startswith=upper.path)
        .exclude(kind__in=UPPER_KINDS)
        .order_by("path")
        .values_list("pk", flat=True)
    )


def children(upper: Union) -> list[Union]:
    """The direct children of `upper`, ordered by path."""
    return list(Union.objects.filter(parent=upper).order_by("path"))


def units_by_child(upper: Union) -> dict[int, list[int]]:
    """{child_id: [unit ids under it (the child itself when it is a unit)]} for
    every direct child of `upper` that has units."""
    kids = children(upper)
    grouped: dict[int, list[int]] = {}
    rows = (
        Union.objects.filter(path__startswith=upper.path)
        .exclude(kind__in=UPPER_KINDS)
        .exclude(pk=upper.pk)
        .order_by("path")
        .values_list("pk", "path")
    )
    for pk, path in rows:
        for kid in kids:
            if path.startswith(kid.path):
                grouped.setdefault(kid.pk, []).append(pk)
                break
    return grouped


# Per-unit values ----------------------------------------------------------------------


def unit_values(upper: Union, period: Period, keys: Sequence[str]) -> dict[int, dict[str, Value]]:
    """{unit_id: {metric_key: value}} for every unit of `upper`'s subtree.

    Unknown keys raise KeyError with the registry's Chinese message."""
    return values_for_units(unit_ids(upper), period, keys)


def values_for_units(
    ids: Sequence[int], period: Period, keys: Sequence[str]
) -> dict[int, dict[str, Value]]:
    """{unit_id: {metric_key: value}} for the given unions (any set of unit ids).

    The counts and sums come from the rollup tables where they can answer, else
    live; a ratio divides its numerator's and denominator's values per unit."""
    keys = _checked(keys)
    ids = list(ids)
    result: dict[int, dict[str, Value]] = {uid: {} for uid in ids}
    if not ids or not keys:
        return result
    ratios = [registry.get(k) for k in keys if registry.get(k).is_ratio]
    base = [k for k in keys if not registry.get(k).is_ratio]
    base += [m.numerator for m in ratios] + [m.denominator for m in ratios if m.denominator]
    base = list(dict.fromkeys(base))
    have = _base_values(ids, period, base)
    with registry.evaluation():
        for m in ratios:
            top = {uid: have[uid][m.numerator] for uid in ids}
            if m.has_own_denominator:
                bottom = _denominators(m, ids, period)
            else:
                bottom = {uid: have[uid][m.denominator] for uid in ids}
            for uid in ids:
                have[uid][m.key] = percent(top[uid], bottom[uid])
    for uid in ids:
        result[uid] = {k: have[uid][k] for k in keys}
    return result


def _base_values(ids: list[int], period: Period, keys: list[str]) -> dict[int, dict[str, Value]]:
    """Counts and sums (no ratios): stored where the tables answer, else live."""
    result: dict[int, dict[str, Value]] = {uid: {} for uid in ids}
    stored = _stored(ids, period, keys) if keys else None
    missing = list(keys)
    if stored is not None:
        answered = [k for k in keys if all(k in stored.get(uid, {}) for uid in ids)]
        for uid in ids:
            for key in answered:
                result[uid][key] = stored[uid][key]
        missing = [k for k in keys if k not in answered]
    if missing:
        with registry.evaluation():
            for key in missing:
                for uid, value in _per_unit(registry.get(key), ids, period).items():
                    result[uid][key] = value
    return result


def _checked(keys: Iterable[str]) -> list[str]:
    unique = list(dict.fromkeys(keys))
    for key in unique:
        registry.get(key)  # KeyError("未登记的指标：…") for an unknown key
    return unique


def _stored(ids: list[int], period: Period, keys: list[str]):
    """The rollup tables' answer for the keys they hold, or None when they are
    missing or cannot answer (the keys they do not hold are computed live)."""
    try:
        from gonghui.rollup import services as rollup
    except ImportError:
        return None
    ask = getattr(rollup, "stored_unit_values", None)
    if ask is None:
        return None
    held = getattr(rollup, "rolled_up", None)
    if held is not None:
        known = held()
        keys = [k for k in keys if k in known]
        if not keys:
            return None
    return ask(ids, period, keys)


def live_values(
    ids: Sequence[int], period: Period, keys: Sequence[str]
) -> dict[int, dict[str, Value]]:
    """The figures computed from the records, never from the rollup tables (for
    checking the tables against the records)."""
    keys = _checked(keys)
    result: dict[int, dict[str, Value]] = {uid: {} for uid in ids}
    with registry.evaluation():
        for key in keys:
            for uid, value in _per_unit(registry.get(key), list(ids), period).items():
                result[uid][key] = value
    return result


def percent(top: Value, bottom: Value) -> Decimal:
    """numerator / denominator × 100 to one decimal, as the registry's ratios."""
    if not bottom:
        return Decimal("0.0")
    return (Decimal(top) * 100 / Decimal(bottom)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def is_additive(m: Metric) -> bool:
    """A plain count or sum: the subtree's figure is the sum of the units'."""
    cls = type(m)
    return (
        not m.is_ratio
        and cls.value is Metric.value
        and cls._compute is Metric._compute
        and m.records is not None
    )


def _denominators(m: Metric, ids: list[int], period: Period) -> dict[int, Value]:
    """Each unit's own denominator of ratio `m`: stored beside the ratio in the
    summary tables when they can answer, else from the records."""
    stored = _stored_denominators(ids, period, m.key)
    if stored is not None:
        return stored
    return m.denominators_of(ids, period)


def _denominator_total(m: Metric, ids: list[int], period: Period) -> Value:
    """The subtree's denominator of ratio `m`: the units' stored ones added up,
    else from the records."""
    stored = _stored_denominators(ids, period, m.key)
    if stored is not None:
        return sum(stored.values(), 0)
    return m.denominator_value(ids, period)


def _stored_denominators(ids: list[int], period: Period, key: str) -> dict[int, Value] | None:
    try:
        from gonghui.rollup import services as rollup
    except ImportError:
        return None
    found = rollup.stored_denominators(ids, period, [key])
    if found is None:
        return None
    return {uid: found[uid][key] for uid in ids}


def _per_unit(m: Metric, ids: list[int], period: Period) -> dict[int, Value]:
    if m.is_ratio:
        top = _per_unit(registry.get(m.numerator), ids, period)
        if m.has_own_denominator:
            bottom = m.denominators_of(ids, period)
        else:
            bottom = _per_unit(registry.get(m.denominator), ids, period)
        return {uid: percent(top[uid], bottom[uid]) for uid in ids}
    if m.answers_per_union:
        return m.values_by_union(ids, period)
    if is_additive(m):
        grouped = _grouped(m, ids, period)
        if grouped is not None:
            return grouped
    return {uid: m.value([uid], period) for uid in ids}


def _union_field(model) -> str | None:
    """The column that names a record's union, for grouping."""
    if model is Union:
        return "pk"
    names = {f.name: f for f in model._meta.concrete_fields}
    union = names.get("union")
    if union is not None and union.is_relation and union.related_model is Union:
        return "union_id"
    owner = model._meta.auto_created  # a many-to-many table: its owner's union
    if owner and _union_field(owner) == "union_id":
        for f in model._meta.concrete_fields:
            if f.is_relation and f.related_model is owner:
                return f"{f.name}__union_id"
    return None


def _grouped(m: Metric, ids: list[int], period: Period) -> dict[int, Value] | None:
    """One query for all units, or None when the records cannot be grouped safely."""
    qs = m.records(ids, period)
    if not isinstance(qs, QuerySet):
        return None
    q = qs.query
    if q.combinator or q.is_sliced or q.group_by is not None or q.distinct_fields:
        return None
    if any(getattr(a, "contains_aggregate", False) for a in q.annotations.values()):
        return None
    column = _union_field(qs.model)
    if column is None:
        return None
    if m.sum_field:
        if q.distinct:
            return None
        aggregate = Sum(m.sum_field)
        empty: Value = Decimal("0.00")
    else:
        aggregate = Count("pk", distinct=q.distinct)
        empty = 0
    rows = qs.order_by().values(column).annotate(figure=aggregate).values_list(column, "figure")
    found = {uid: (value if value is not None else empty) for uid, value in rows}
    return {uid: found.get(uid, empty) for uid in ids}


# Totals -------------------------------------------------------------------------------


def subtree_totals(
    upper: Union,
    period: Period,
    keys: Sequence[str],
    values: dict[int, dict[str, Value]] | None = None,
) -> dict[str, Value]:
    """Each metric over the whole subtree (its units): counts and sums added up,
    ratios recomputed from the summed numerator and denominator.

    `values` may pass `unit_values(upper, period, keys)` already computed."""
    return totals_for_units(unit_ids(upper), period, keys, values)


def totals_for_units(
    ids: Sequence[int],
    period: Period,
    keys: Sequence[str],
    values: dict[int, dict[str, Value]] | None = None,
) -> dict[str, Value]:
    keys = _checked(keys)
    ids = list(ids)
    needed = _parts(keys)
    have = values or {}
    lacking = [k for k in needed if not all(k in have.get(uid, {}) for uid in ids)]
    if lacking:
        fetched = values_for_units(ids, period, lacking)
        have = {uid: {**have.get(uid, {}), **fetched[uid]} for uid in ids}
    totals: dict[str, Value] = {}
    with registry.evaluation():
        for key in keys:
            totals[key] = _total(registry.get(key), ids, period, have)
    return totals


def _parts(keys: list[str]) -> list[str]:
    """The additive keys a total of `keys` is made of."""
    parts: list[str] = []
    for key in keys:
        m = registry.get(key)
        if m.is_ratio:
            parts.append(m.numerator)
            if m.denominator:
                parts.append(m.denominator)
        elif is_additive(m):
            parts.append(key)
    return [k for k in dict.fromkeys(parts) if is_additive(registry.get(k))]


def _sum(key: str, ids: list[int], period: Period, have) -> Value:
    m = registry.get(key)
    if not is_additive(m):
        return m.value(ids, period)
    numbers = [have[uid][key] for uid in ids]
    if any(isinstance(n, Decimal) for n in numbers) or m.sum_field:
        return sum((Decimal(n) for n in numbers), Decimal("0.00"))
    return sum(numbers)


def _total(m: Metric, ids: list[int], period: Period, have) -> Value:
    if not ids:
        return Decimal("0.0") if m.is_ratio else (Decimal("0.00") if m.sum_field else 0)
    if m.is_ratio:
        top = _sum(m.numerator, ids, period, have)
        if m.has_own_denominator:
            bottom = _denominator_total(m, ids, period)
        else:
            bottom = _sum(m.denominator, ids, period, have)
        return percent(top, bottom)
    return _sum(m.key, ids, period, have)


# KPIs ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Kpi:
    """A figure that only makes sense over many units, with what it divides."""

    key: str
    label: str
    value: Decimal  # per cent, one decimal
    numerator: Value
    denominator: Value
    numerator_label: str
    denominator_label: str
    description: str = ""
    # For a share of units: the units that do not count towards it.
    lacking: tuple[int, ...] = field(default=())

    @property
    def unit(self) -> str:
        return "%"


@dataclass(frozen=True)
class KpiDefinition:
    key: str
    label: str
    description: str
    # A ratio of registered metrics over the units' records ...
    ratio: str | None = None
    # ... or the share of units whose `having` metric is above zero.
    having: str | None = None
    having_label: str = ""

    @property
    def parts(self) -> list[str]:
        if self.ratio:
            m = registry.get(self.ratio)
            return [k for k in (m.numerator, m.denominator) if k]
        return [self.having]


KPIS = (
    KpiDefinition(
        "members.membership_rate",
        "入会率",
        "期末会员数 ÷ 职工总数（各基层工会登记的职工人数之和）",
        ratio="members.membership_rate",
    ),
    KpiDefinition(
        "upper.congress_rate",
        "职代会建制率",
        "本期召开过职工（会员）代表大会的基层工会 ÷ 基层工会数",
        having="democracy.sessions_held",
        having_label="召开职代会的基层工会",
    ),
    KpiDefinition(
        "rights.wage_contract_coverage",
        "工资集体协商建制率",
        "期末有有效工资专项集体合同的基层工会 ÷ 基层工会数",
        ratio="rights.wage_contract_coverage",
    ),
    KpiDefinition(
        "upper.disclosure_rate",
        "厂务公开覆盖率",
        "本期发布过厂务公开的基层工会 ÷ 基层工会数",
        having="disclosure.posts",
        having_label="发布厂务公开的基层工会",
    ),
    KpiDefinition(
        "care.hardship_review_coverage",
        "困难帮扶复核率",
        "期末在档困难档案中本期复核过的 ÷ 期末在档困难档案",
        ratio="care.hardship_review_coverage",
    ),
)

KPI_KEYS = tuple(d.key for d in KPIS)


def kpi_definitions() -> list[KpiDefinition]:
    """The KPIs whose metrics are registered (an area not installed drops out)."""
    known = {m.key for m in registry.all_metrics()}
    return [d for d in KPIS if (d.ratio or d.having) in known]


def kpi_keys() -> list[str]:
    """The metric keys the KPIs are computed from."""
    return list(dict.fromkeys(k for d in kpi_definitions() for k in d.parts))


def kpis(upper: Union, period: Period) -> list[Kpi]:
    """入会率, 职代会建制率, 工资集体协商建制率, 厂务公开覆盖率, 困难帮扶复核率 over the
    subtree, each with its numerator and denominator."""
    return kpis_for_units(unit_ids(upper), period)


def kpis_for_units(
    ids: Sequence[int],
    period: Period,
    values: dict[int, dict[str, Value]] | None = None,
) -> list[Kpi]:
    ids = list(ids)
    keys = kpi_keys()
    have = values or {}
    if not all(k in have.get(uid, {}) for uid in ids for k in keys):
        have = values_for_units(ids, period, keys)
    result = []
    with registry.evaluation():
        for d in kpi_definitions():
            if d.ratio:
                m = registry.get(d.ratio)
                top = _sum(m.numerator, ids, period, have) if ids else 0
                if m.has_own_denominator:
                    bottom = _denominator_total(m, ids, period) if ids else 0
                    bottom_label = _denominator_label(m)
                else:
                    bottom = _sum(m.denominator, ids, period, have) if ids else 0
                    bottom_label = registry.get(m.denominator).label
                result.append(
                    Kpi(
                        key=d.key,
                        label=d.label,
                        value=percent(top, bottom),
                        numerator=top,
                        denominator=bottom,
                        numerator_label=registry.get(m.numerator).label,
                        denominator_label=bottom_label,
                        description=d.description,
                    )
                )
            else:
                lacking = tuple(uid for uid in ids if not have[uid][d.having])
                top = len(ids) - len(lacking)
                result.append(
                    Kpi(
                        key=d.key,
                        label=d.label,
                        value=percent(top, len(ids)),
                        numerator=top,
                        denominator=len(ids),
                        numerator_label=d.having_label,
                        denominator_label="基层工会数",
                        description=d.description,
                        lacking=lacking,
                    )
                )
    return result


def unit_kpi_values(
    ids: Sequence[int], period: Period, values: dict[int, dict[str, Value]] | None = None
) -> dict[int, dict[str, Decimal]]:
    """{unit_id: {kpi_key: per cent}}: each KPI for one unit alone (a share KPI is
    100 or 0 for a unit)."""
    ids = list(ids)
    keys = kpi_keys()
    ratio_keys = [d.ratio for d in kpi_definitions() if d.ratio]
    have = values or {}
    wanted = keys + ratio_keys
    if not all(k in have.get(uid, {}) for uid in ids for k in wanted):
        have = values_for_units(ids, period, wanted)
    result: dict[int, dict[str, Decimal]] = {uid: {} for uid in ids}
    for uid in ids:
        for d in kpi_definitions():
            if d.ratio:
                result[uid][d.key] = have[uid][d.ratio]
            else:
                result[uid][d.key] = Decimal("100.0") if have[uid][d.having] else Decimal("0.0")
    return result


_DENOMINATOR_LABELS = {
    "members.membership_rate": "职工总数",
    "rights.wage_contract_coverage": "基层工会数",
}


def _denominator_label(m: Metric) -> str:
    return _DENOMINATOR_LABELS.get(m.key, "分母")
