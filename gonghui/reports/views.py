"""The union dashboard: every figure from the registry, each linking to its records."""

from datetime import date

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

from gonghui.encryption import EncryptedTextField
from gonghui.orgs.models import Union
from gonghui.orgs.roles import Perm
from gonghui.periods import Period
from gonghui.reports import registry

DASHBOARD_METRICS = (
    "members.at_end",
    "members.joined",
    "members.left",
    "members.women",
    "members.women_share",
    "members.membership_rate",
)


def _period_from(request) -> Period:
    today = date.today()
    try:
        start = date.fromisoformat(request.GET.get("start") or f"{today.year}-01-01")
        end = date.fromisoformat(request.GET.get("end") or today.isoformat())
        return Period(start, end)
    except ValueError:
        return Period.year_to_date(today)


def _union_from(request) -> Union:
    allowed = request.access.unions_with(Perm.VIEW_DASHBOARD)
    if not allowed:
        raise PermissionDenied("您没有查看统计的权限")
    wanted = request.GET.get("union")
    union_id = int(wanted) if wanted and wanted.isdigit() else allowed[0]
    if union_id not in allowed:
        raise Http404("没有找到该工会")
    return Union.objects.get(pk=union_id)


def dashboard(request):
    return admin.site.admin_view(_dashboard)(request)


def _dashboard(request):
    union = _union_from(request)
    period = _period_from(request)
    figures = []
    for key in DASHBOARD_METRICS:
        m = registry.get(key)
        figures.append({"metric": m, "value": m.value([union.id], period)})
    per_group_metric = registry.get("members.per_group")
    per_group = per_group_metric.by([union.id], period)
    group_total = sum(n for _, n in per_group)
    context = {
        **admin.site.each_context(request),
        "title": f"{union.name} 统计看板",
        "union": union,
        "period": period,
        "figures": figures,
        "per_group_metric": per_group_metric,
        "per_group": [
            {
                "name": name,
                "count": n,
                "share": round(n * 100 / group_total, 1) if group_total else 0,
            }
            for name, n in per_group
        ],
        "unions": Union.objects.filter(pk__in=request.access.unions_with(Perm.VIEW_DASHBOARD)),
    }
    return render(request, "reports/dashboard.html", context)


def metric_records(request, key):
    return admin.site.admin_view(_metric_records)(request, key)


def _metric_records(request, key):
    try:
        m = registry.get(key)
    except KeyError:
        raise Http404("没有这个指标") from None
    union = _union_from(request)
    period = _period_from(request)
    records = m.records_for([union.id], period)
    columns = RECORD_COLUMNS.get(records.model._meta.label_lower, DEFAULT_COLUMNS)
    # Encrypted columns are never shown here: do not fetch (and decrypt) them.
    hidden = [f.name for f in records.model._meta.fields if isinstance(f, EncryptedTextField)]
    related = [path for _, path in columns if "__" in path.strip("_")]
    records = records.defer(*hidden).select_related(*{p.split("__")[0] for p in related})
    page = Paginator(records.order_by("pk"), 50).get_page(request.GET.get("page"))
    rows = [{"cells": [_cell(r, path) for _, path in columns], "url": _admin_url(r)} for r in page]
    context = {
        **admin.site.each_context(request),
        "title": f"{m.label}：明细",
        "metric": m,
        "union": union,
        "period": period,
        "value": m.value([union.id], period),
        "page": page,
        "headers": [header for header, _ in columns],
        "rows": rows,
    }
    return render(request, "reports/metric_records.html", context)


# What a drill-down shows for a record, by model; other models show their name.
RECORD_COLUMNS = {
    "members.member": [
        ("姓名", "name"),
        ("工会小组", "group__name"),
        ("部门", "department__name"),
        ("入会日期", "joined_on"),
        ("会籍状态", "get_status_display"),
        ("离会日期", "left_on"),
    ],
}
DEFAULT_COLUMNS = [("记录", "__str__")]


def _cell(record, path: str):
    value = record
    for part in path.split("__") if path != "__str__" else [path]:
        if value is None:
            return ""
        value = getattr(value, part)
        if callable(value):
            value = value()
    return "" if value is None else value


def _admin_url(record) -> str | None:
    opts = record._meta
    try:
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])
    except NoReverseMatch:
        return None
