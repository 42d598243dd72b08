"""Reading for the upper-union workspace: which unions a user may look at as an
upper union, the figures it can rank and set targets on, the targets in force,
and the ranking of units on one figure."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q

from gonghui.orgs.access import Access
from gonghui.orgs.models import UPPER_KINDS, Union
from gonghui.orgs.roles import Perm, Role
from gonghui.periods import Period
from gonghui.reports import registry
from gonghui.upper import figures
from gonghui.upper.models import UnitTarget

# Who may set an upper union's targets: its own staff, not staff of the unions above.
TARGET_ROLES = (Role.UPPER_STAFF, Role.CHAIR, Role.COMMITTEE)


def upper_union_ids(access: Access) -> list[int]:
    """The upper unions (总工会, 产业工会, 集团工会) whose subtree the user reads:
    the unions where they are upper-union staff (orgs.access gives those the
    whole subtree, read-only) and every upper union below. A chair of a
    federation without that role reads only the federation's own records, so
    its units' figures would all be zero: it is not offered."""
    staff_at = [u for u, roles in access.roles.items() if Role.UPPER_STAFF in roles]
    if not staff_at:
        return []
    paths = Union.objects.filter(pk__in=staff_at).values_list("path", flat=True)
    within = Q()
    for path in paths:
        within |= Q(path__startswith=path)
    readable = access.unions_with(Perm.VIEW_DASHBOARD)
    return list(
        Union.objects.filter(within, pk__in=readable, kind__in=UPPER_KINDS)
        .order_by("path")
        .values_list("pk", flat=True)
    )


def may_set_targets(access: Access, union: Union) -> bool:
    return union.is_upper and any(access.has_role(role, union.pk) for role in TARGET_ROLES)


# The figures -------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """A figure units are compared on: a registered metric or a KPI."""

    key: str
    label: str
    unit: str
    area: str
    description: str
    is_kpi: bool = False


def figure_choices() -> list[Figure]:
    """The KPIs first, then every registered metric (breakdowns included, by their total)."""
    kpis = [
        Figure(d.key, d.label, "%", "upper", d.description, is_kpi=True)
        for d in figures.kpi_definitions()
    ]
    shown = {f.key for f in kpis}
    metrics = [
        Figure(m.key, m.label, m.unit, m.area, m.description)
        for m in registry.all_metrics()
        if m.key not in shown
    ]
    return kpis + metrics


def figure(key: str) -> Figure:
    for f in figure_choices():
        if f.key == key:
            return f
    raise KeyError(f"未登记的指标：{key}")


def unit_figures(ids: list[int], period: Period, key: str) -> dict[int, Decimal | int]:
    """{unit_id: value of the figure} for a metric or KPI key."""
    if key in figures.KPI_KEYS and not _is_registered(key):
        return {uid: v[key] for uid, v in figures.unit_kpi_values(ids, period).items()}
    return {uid: v[key] for uid, v in figures.values_for_units(ids, period, [key]).items()}


def total_figure(ids: list[int], period: Period, key: str):
    if key in figures.KPI_KEYS and not _is_registered(key):
        return next(k.value for k in figures.kpis_for_units(ids, period) if k.key == key)
    return figures.totals_for_units(ids, period, [key])[key]


def _is_registered(key: str) -> bool:
    try:
        registry.get(key)
    except KeyError:
        return False
    return True


# Targets -----------------------------------------------------------------------------


def targets_for(union: Union) -> dict[str, UnitTarget]:
    """{figure key: target} in force for `union`: its own, else the nearest ancestor's."""
    codes = [c for c in union.path.strip("/").split("/") if c]
    chain = {u.pk: u.path for u in Union.objects.filter(code__in=codes)}
    found: dict[str, UnitTarget] = {}
    rows = UnitTarget.objects.filter(union_id__in=chain).select_related("union")
    for target in sorted(rows, key=lambda t: len(chain[t.union_id])):
        found[target.metric] = target  # deeper unions override their ancestors
    return found


# Ranking -----------------------------------------------------------------------------


@dataclass
class Ranked:
    rank: int
    unit: Union
    parent: Union | None
    value: Decimal | int
    below_target: bool | None  # None when no target is set


def ranking(
    upper: Union, period: Period, key: str, target: UnitTarget | None = None
) -> list[Ranked]:
    """The units of `upper`'s subtree ordered by the figure, best first (for a
    "not above" target, the lowest first); equal values share a rank."""
    units = figures.units(upper)
    values = unit_figures([u.pk for u in units], period, key)
    parents = {u.pk: u for u in Union.objects.filter(pk__in={u.parent_id for u in units})}
    lowest_first = target is not None and target.comparison == "lte"
    ordered = sorted(units, key=lambda u: (values[u.pk] if lowest_first else -values[u.pk], u.path))
    rows: list[Ranked] = []
    for position, unit in enumerate(ordered, start=1):
        value = values[unit.pk]
        rank = rows[-1].rank if rows and rows[-1].value == value else position
        rows.append(
            Ranked(
                rank=rank,
                unit=unit,
                parent=parents.get(unit.parent_id),
                value=value,
                below_target=None if target is None else not target.met_by(value),
            )
        )
    return rows
