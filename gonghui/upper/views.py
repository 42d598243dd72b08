"""The upper-union workspace in the back office: the subtree's overview and
KPIs, per-unit tables, rankings against targets, and the statistical export.

Only upper unions the user may read (orgs.access: upper-union staff read their
subtree) can be opened; a grassroots cadre gets 403, another subtree 404.
Every figure comes from gonghui.upper.figures; records open read-only in the
reports app's drill-down (reports:metric_records) and the unit's dashboard.
"""

from decimal import Decimal
from functools import wraps
from urllib.parse import urlencode

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from gonghui.orgs.models import Union
from gonghui.periods import Period
from gonghui.reports import registry
from gonghui.reports import views as dashboard
from gonghui.upper import export, figures, queries, services
from gonghui.upper.models import Comparison, UnitTarget

PAGE_SIZE = 100
CHART_BARS = 30  # the best and the worst this many when there are more units


def in_admin(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        return admin.site.admin_view(view)(request, *args, **kwargs)

    return wrapped


# Which union, which period ------------------------------------------------------------


def _upper_ids(request) -> list[int]:
    ids = queries.upper_union_ids(request.access)
    if not ids:
        raise PermissionDenied(
            "只有上级工会（总工会、产业工会、集团工会）的工作人员可以使用上级工会工作台"
        )
    return ids


def _union_from(request, source=None) -> Union:
    ids = _upper_ids(request)
    wanted = (source or request.GET).get("union")
    if wanted in (None, ""):
        return Union.objects.get(pk=ids[0])
    if not str(wanted).isdigit() or int(wanted) not in ids:
        raise Http404("没有找到该上级工会")
    return Union.objects.get(pk=int(wanted))


def _base_context(request, union: Union, period: Period, period_error: str, title: str) -> dict:
    ids = _upper_ids(request)
    codes = [c for c in union.path.strip("/").split("/") if c]
    return {
        **admin.site.each_context(request),
        "title": title,
        "union": union,
        "period": period,
        "period_error": period_error,
        "presets": [
            {"label": label, "start": p.start, "end": p.end, "current": p == period}
            for label, p in dashboard.presets(timezone.localdate())
        ],
        "unions": Union.objects.filter(pk__in=ids).order_by("path"),
        "trail": Union.objects.filter(code__in=codes, pk__in=ids).order_by("path"),
        "period_query": urlencode(
            {"start": period.start.isoformat(), "end": period.end.isoformat()}
        ),
    }


def _query(union_id: int, period: Period, **extra) -> str:
    return urlencode(
        {"union": union_id, "start": period.start.isoformat(), "end": period.end.isoformat()}
        | {k: v for k, v in extra.items() if v not in (None, "")}
    )


def _display(value, unit: str) -> str:
    if unit == "%":
        return f"{Decimal(value).quantize(Decimal('0.1')):,}"
    try:
        return dashboard.display(value, _UnitOnly(unit))
    except Exception:  # noqa: BLE001 - a figure shown as it is rather than not at all
        return str(value)


class _UnitOnly:
    """What reports.views.display reads of a metric."""

    def __init__(self, unit: str):
        self.unit = unit
        self.is_ratio = unit == "%"


def _areas() -> list[tuple[str, str, list[str]]]:
    """The dashboard's areas with the keys registered here."""
    known = {m.key for m in registry.all_metrics()}
    result = []
    for key, title, keys in dashboard.AREAS:
        present = [k for k in keys if k in known]
        if present:
            result.append((key, title, present))
    return result


def _target_state(target: UnitTarget | None, value) -> str:
    if target is None:
        return ""
    return "met" if target.met_by(value) else "below"


# The overview ------------------------------------------------------------------------


@in_admin
def overview(request):
    union = _union_from(request)
    period, period_error = dashboard._period_and_error(request)
    areas = _areas()
    area_key = request.GET.get("area") or areas[0][0]
    area = next((a for a in areas if a[0] == area_key), None)
    if area is None:
        raise Http404("没有这个统计领域")
    _, area_title, area_keys = area
    unit_list = figures.units(union)
    ids = [u.pk for u in unit_list]
    targets = queries.targets_for(union)

    kpi_parts = figures.kpi_keys()
    values = figures.values_for_units(ids, period, list(dict.fromkeys(area_keys + kpi_parts)))
    all_keys = [m.key for m in registry.all_metrics()]
    totals = figures.totals_for_units(ids, period, all_keys, values)
    kpis = figures.kpis_for_units(ids, period, values)

    # Per direct child: its units' KPIs, and where the child leads.
    by_child = figures.units_by_child(union)
    child_rows = []
    for child in Union.objects.filter(pk__in=by_child).order_by("path"):
        child_ids = by_child[child.pk]
        child_kpis = figures.kpis_for_units(child_ids, period, values)
        if child.is_upper:
            link = reverse("upper:overview") + "?" + _query(child.pk, period, area=area_key)
        else:
            link = reverse("reports:dashboard") + "?" + _query(child.pk, period)
        child_rows.append(
            {
                "union": child,
                "units": len(child_ids),
                "link": link,
                "kpis": [
                    {
                        "kpi": k,
                        "state": _target_state(targets.get(k.key), k.value),
                    }
                    for k in child_kpis
                ],
            }
        )

    # Per unit, for the chosen area: sorted on the server, a page at a time.
    sort = request.GET.get("sort") or ""
    descending = request.GET.get("order") != "asc"
    if sort and sort != "name" and sort not in area_keys:
        raise Http404("不能按该列排序")
    if sort in area_keys:
        unit_list.sort(key=lambda u: u.path)
        unit_list.sort(key=lambda u: values[u.pk][sort], reverse=descending)
    elif sort == "name":
        unit_list.sort(key=lambda u: u.name, reverse=descending)
    page = Paginator(unit_list, PAGE_SIZE).get_page(request.GET.get("page"))
    parents = {u.pk: u for u in Union.objects.filter(pk__in={u.parent_id for u in page})}
    metrics = [registry.get(k) for k in area_keys]
    unit_rows = []
    for unit in page:
        cells = []
        for m in metrics:
            value = values[unit.pk][m.key]
            cells.append(
                {
                    "display": dashboard.display(value, m),
                    "link": reverse("reports:metric_records", args=[m.key])
                    + "?"
                    + _query(unit.pk, period),
                    "state": _target_state(targets.get(m.key), value),
                }
            )
        unit_rows.append(
            {
                "union": unit,
                "parent": parents.get(unit.parent_id),
                "dashboard": reverse("reports:dashboard") + "?" + _query(unit.pk, period),
                "cells": cells,
            }
        )
    columns = []
    for m in metrics:
        next_order = "asc" if sort == m.key and descending else "desc"
        columns.append(
            {
                "metric": m,
                "sorted": sort == m.key,
                "descending": descending,
                "link": "?" + _query(union.pk, period, area=area_key, sort=m.key, order=next_order),
                "total": dashboard.display(totals[m.key], m),
                "target": targets.get(m.key),
                "total_state": _target_state(targets.get(m.key), totals[m.key]),
            }
        )
    name_order = "desc" if sort == "name" and not descending else "asc"

    registered_areas = []
    titles = {key: title for key, title, _ in areas}
    for area_name in dict.fromkeys(m.area for m in registry.all_metrics()):
        rows = [
            {"metric": m, "display": dashboard.display(totals[m.key], m)}
            for m in registry.all_metrics(area_name)
        ]
        registered_areas.append(
            {"key": area_name, "title": titles.get(area_name, area_name), "rows": rows}
        )

    context = _base_context(
        request, union, period, period_error, f"{union.name} · 下属工会统计"
    ) | {
        "unit_count": len(ids),
        "kpis": [
            {
                "kpi": k,
                "target": targets.get(k.key),
                "state": _target_state(targets.get(k.key), k.value),
                "ranking": reverse("upper:ranking") + "?" + _query(union.pk, period, metric=k.key),
            }
            for k in kpis
        ],
        "kpi_labels": [k.label for k in kpis],
        "child_rows": child_rows,
        "areas": [{"key": k, "title": t, "current": k == area_key} for k, t, _ in areas],
        "area_key": area_key,
        "area_title": area_title,
        "columns": columns,
        "unit_rows": unit_rows,
        "page": page,
        "page_query": _query(
            union.pk, period, area=area_key, sort=sort, order="desc" if descending else "asc"
        ),
        "name_link": "?" + _query(union.pk, period, area=area_key, sort="name", order=name_order),
        "registered_areas": registered_areas,
        "export_url": reverse("upper:export") + "?" + _query(union.pk, period),
        "ranking_url": reverse("upper:ranking") + "?" + _query(union.pk, period),
        "targets_url": reverse("upper:targets") + "?" + _query(union.pk, period),
    }
    return render(request, "upper/overview.html", context)


# Rankings ----------------------------------------------------------------------------


def _chart_height(bars: int) -> int:
    """Pixels for a horizontal bar chart: room for each label, never squashed."""
    return max(200, 26 * bars + 80)


def _default_figure(targets: dict) -> str:
    for key in figures.KPI_KEYS:
        if key in targets:
            return key
    return figures.KPI_KEYS[0]


@in_admin
def ranking(request):
    union = _union_from(request)
    period, period_error = dashboard._period_and_error(request)
    targets = queries.targets_for(union)
    key = request.GET.get("metric") or _default_figure(targets)
    try:
        fig = queries.figure(key)
    except KeyError:
        raise Http404(f"没有这个指标：{key}") from None
    target = targets.get(key)
    rows = queries.ranking(union, period, key, target)
    below = [r for r in rows if r.below_target]
    only_below = request.GET.get("below") == "1"
    listed = below if only_below else rows
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    unit_ids = [r.unit.pk for r in rows]
    total = queries.total_figure(unit_ids, period, key)

    def unit_link(unit: Union) -> str:
        if fig.is_kpi and key not in {m.key for m in registry.all_metrics()}:
            return reverse("reports:dashboard") + "?" + _query(unit.pk, period)
        return reverse("reports:metric_records", args=[key]) + "?" + _query(unit.pk, period)

    charted = rows if len(rows) <= 2 * CHART_BARS else rows[:CHART_BARS] + rows[-CHART_BARS:]
    unit_chart = {
        "labels": [r.unit.name for r in charted],
        "values": [float(r.value) for r in charted],
        "below": [bool(r.below_target) for r in charted],
        "links": [unit_link(r.unit) for r in charted],
        "unit": fig.unit,
        "label": fig.label,
        "target": float(target.value) if target else None,
        "target_label": f"目标：{target.get_comparison_display()}{target.value.normalize():f}{fig.unit}"
        if target
        else "",
    }
    by_child = figures.units_by_child(union)
    children = list(Union.objects.filter(pk__in=by_child).order_by("path"))
    child_values = [queries.total_figure(by_child[c.pk], period, key) for c in children]
    child_chart = {
        "labels": [c.name for c in children],
        "values": [float(v) for v in child_values],
        "below": [bool(target and not target.met_by(v)) for v in child_values],
        "links": [
            (
                reverse("upper:ranking") + "?" + _query(c.pk, period, metric=key)
                if c.is_upper
                else unit_link(c)
            )
            for c in children
        ],
        "unit": fig.unit,
        "label": fig.label,
        "target": unit_chart["target"],
        "target_label": unit_chart["target_label"],
    }
    choices = queries.figure_choices()
    groups: dict[str, list] = {}
    titles = {k: t for k, t, _ in _areas()} | {"upper": "上级工会考核指标"}
    for f in choices:
        groups.setdefault(titles.get(f.area, f.area), []).append(f)
    context = _base_context(request, union, period, period_error, f"{union.name} · 排名与比较") | {
        "figure": fig,
        "target": target,
        "total": _display(total, fig.unit),
        "total_state": _target_state(target, total),
        "rows": [
            {
                "row": r,
                "display": _display(r.value, fig.unit),
                "link": unit_link(r.unit),
            }
            for r in page
        ],
        "page": page,
        "count": len(rows),
        "below_count": len(below),
        "only_below": only_below,
        "page_query": _query(union.pk, period, metric=key, below="1" if only_below else ""),
        "all_url": "?" + _query(union.pk, period, metric=key),
        "below_url": "?" + _query(union.pk, period, metric=key, below="1"),
        "figure_groups": groups,
        "charts": {"units": unit_chart, "children": child_chart},
        "charted_all": len(charted) == len(rows),
        "unit_chart_height": _chart_height(len(charted)),
        "child_chart_height": _chart_height(len(children)),
        "chart_bars": CHART_BARS,
        "has_children": len(children) > 1,
        "overview_url": reverse("upper:overview") + "?" + _query(union.pk, period),
        "targets_url": reverse("upper:targets") + "?" + _query(union.pk, period),
    }
    return render(request, "upper/ranking.html", context)


# Export ------------------------------------------------------------------------------


@in_admin
def export_xlsx(request):
    union = _union_from(request)
    period, period_error = dashboard._period_and_error(request)
    if period_error:
        raise Http404(period_error)
    handle = export.workbook(union, period)
    name = f"{union.code}-units-{period.start:%Y%m%d}-{period.end:%Y%m%d}.xlsx"
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=name,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Cache-Control"] = "private, no-store"
    return response


# Targets -----------------------------------------------------------------------------


@in_admin
def targets(request):
    union = _union_from(request, request.POST if request.method == "POST" else None)
    period, period_error = dashboard._period_and_error(request)
    editable = queries.may_set_targets(request.access, union)
    errors: dict[str, list[str]] = {}
    entered = {}
    if request.method == "POST":
        if not editable:
            raise PermissionDenied("只有本级上级工会的工作人员可以设定考核目标")
        entered = {k: request.POST.get(k, "") for k in ("metric", "comparison", "value", "note")}
        try:
            target = services.set_target(union=union, actor=request.user, **entered)
        except ValidationError as error:
            errors = error.message_dict
        else:
            label = queries.figure(target.metric).label
            messages.success(
                request,
                f"已设定目标：{label}{target.get_comparison_display()}{target.value.normalize():f}",
            )
            return redirect(reverse("upper:targets") + "?" + _query(union.pk, period))
    own = list(UnitTarget.objects.filter(union=union).order_by("metric"))
    in_force = queries.targets_for(union)
    inherited = [t for k, t in sorted(in_force.items()) if t.union_id != union.pk]
    labels = {f.key: f for f in queries.figure_choices()}
    titles = {k: t for k, t, _ in _areas()} | {"upper": "上级工会考核指标"}
    groups: dict[str, list] = {}
    for f in queries.figure_choices():
        groups.setdefault(titles.get(f.area, f.area), []).append(f)

    def row(t: UnitTarget) -> dict:
        f = labels.get(t.metric)
        return {
            "target": t,
            "label": f.label if f else t.metric,
            "unit": f.unit if f else "",
            "value": f"{t.value.normalize():f}",
            "ranking": reverse("upper:ranking") + "?" + _query(union.pk, period, metric=t.metric),
        }

    context = _base_context(request, union, period, period_error, f"{union.name} · 考核目标") | {
        "editable": editable,
        "own": [row(t) for t in own],
        "inherited": [row(t) for t in inherited],
        "figure_groups": groups,
        "comparisons": Comparison.choices,
        "errors": errors,
        "entered": entered,
        "overview_url": reverse("upper:overview") + "?" + _query(union.pk, period),
    }
    return render(request, "upper/targets.html", context, status=400 if errors else 200)


@in_admin
@require_POST
def remove_target(request, pk):
    target = get_object_or_404(UnitTarget.objects.select_related("union"), pk=pk)
    if target.union_id not in _upper_ids(request):
        raise Http404("没有找到该考核目标")
    if not queries.may_set_targets(request.access, target.union):
        raise PermissionDenied("只有本级上级工会的工作人员可以删除考核目标")
    try:
        label = queries.figure(target.metric).label
    except KeyError:  # a figure no longer registered
        label = target.metric
    services.remove_target(target=target, actor=request.user)
    messages.success(request, f"已删除目标：{label}")
    return redirect(reverse("upper:targets") + "?" + urlencode({"union": target.union_id}))
