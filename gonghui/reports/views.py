"""The union dashboard: every figure from the registry, each linking to its records."""

from datetime import date

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

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
    per_group = registry.get("members.per_group").by([union.id], period)
    context = {
        **admin.site.each_context(request),
        "title": f"{union.name} 统计看板",
        "union": union,
        "period": period,
        "figures": figures,
        "per_group": per_group,
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
    page = Paginator(records.order_by("pk"), 50).get_page(request.GET.get("page"))
    context = {
        **admin.site.each_context(request),
        "title": f"{m.label}：明细",
        "metric": m,
        "union": union,
        "period": period,
        "value": m.value([union.id], period),
        "page": page,
    }
    return render(request, "reports/metric_records.html", context)
