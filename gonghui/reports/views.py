"""The union dashboard: every figure from the registry, each linking to its records."""

from contextlib import nullcontext
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import urlencode

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from gonghui.encryption import EncryptedTextField
from gonghui.orgs.models import Union
from gonghui.orgs.roles import Perm
from gonghui.periods import Period
from gonghui.reports import charts, figure_cache, registry

# The key figures of every area, in the order the dashboard shows them. Keys an
# area has not registered (an app not installed) are left out.
AREAS = (
    (
        "members",
        "会员",
        (
            "members.at_end",
            "members.joined",
            "members.left",
            "members.women",
            "members.women_share",
            "members.membership_rate",
        ),
    ),
    (
        "activities",
        "职工活动",
        (
            "activities.held",
            "activities.participants",
            "activities.participation_rate",
            "activities.results",
        ),
    ),
    (
        "care",
        "帮扶慰问",
        (
            "care.visits",
            "care.visit_amount",
            "care.hardship_open",
            "care.hardship_review_coverage",
            "care.assistance_amount",
            "care.donations_total",
        ),
    ),
    (
        "finance",
        "工会经费",
        (
            "finance.income_total",
            "finance.expenditure_total",
            "finance.budget_execution",
            "finance.dues_collection_rate",
        ),
    ),
    (
        "democracy",
        "民主管理",
        (
            "democracy.sessions_held",
            "democracy.proposals_submitted",
            "democracy.proposal_acceptance_rate",
            "democracy.proposal_on_time_rate",
            "democracy.proposals_overdue",
            "democracy.elections_held",
        ),
    ),
    (
        "disclosure",
        "厂务公开",
        (
            "disclosure.posts",
            "disclosure.read_rate",
            "disclosure.feedback",
            "disclosure.answer_rate",
        ),
    ),
    (
        "voice",
        "职工意见",
        (
            "voice.collected",
            "voice.valid",
            "voice.implemented",
            "voice.implementation_rate",
            "voice.overdue",
        ),
    ),
    (
        "safety",
        "安全生产",
        (
            "safety.hazards_reported",
            "safety.hazards_rectified",
            "safety.rectification_rate",
            "safety.hazards_overdue",
            "safety.drills",
            "safety.contest_coverage",
        ),
    ),
    (
        "women",
        "女职工工作",
        (
            "women.women_members",
            "women.checkup_coverage",
            "women.insured",
            "women.protection_open",
        ),
    ),
    (
        "learning",
        "学习培训",
        (
            "learning.trainings",
            "learning.attendances",
            "learning.training_hours",
            "learning.pass_rate",
        ),
    ),
    ("honors", "评先评优", ("honors.awards", "honors.model_workers", "honors.nominations")),
    (
        "rights",
        "维权",
        (
            "rights.contracts_in_force",
            "rights.disputes_received",
            "rights.dispute_success_rate",
            "rights.consultations",
            "rights.supervision_checks",
        ),
    ),
)


def presets(today: date) -> list[tuple[str, Period]]:
    """The periods a cadre picks most: this month, quarter, half year, year, last year."""
    quarter_start = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    half_start = date(today.year, 1 if today.month <= 6 else 7, 1)

    def until(first: date, months: int) -> Period:
        month = first.month - 1 + months
        following = date(first.year + month // 12, month % 12 + 1, 1)
        return Period(first, following - timedelta(days=1))

    half = "上半年" if today.month <= 6 else "下半年"
    return [
        ("本月", until(today.replace(day=1), 1)),
        ("本季度", until(quarter_start, 3)),
        (f"本年{half}", until(half_start, 6)),
        ("本年度", Period.year(today.year)),
        ("上年度", Period.year(today.year - 1)),
    ]


def _period_and_error(request) -> tuple[Period, str]:
    """The period asked for (start/end), or this year so far with a message why."""
    today = timezone.localdate()
    default = Period.year_to_date(today)
    start, end = request.GET.get("start"), request.GET.get("end")
    if not start and not end:
        return default, ""
    try:
        first = date.fromisoformat(start or f"{today.year}-01-01")
        last = date.fromisoformat(end or today.isoformat())
    except ValueError:
        return default, "日期格式不正确（应为“年-月-日”），已显示本年度至今"
    if first > last:
        return default, "开始日期不能晚于结束日期，已显示本年度至今"
    return Period(first, last), ""


def _period_from(request) -> Period:
    return _period_and_error(request)[0]


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
    period, period_error = _period_and_error(request)
    ids = [union.id]
    with figure_cache.serving(), _evaluation():
        areas = []
        for area, title, keys in AREAS:
            metrics = [registry.get(k) for k in keys if k in _registered()]
            if metrics:
                figures = []
                for m in metrics:
                    value = m.value(ids, period)
                    figures.append({"metric": m, "value": value, "display": display(value, m)})
                areas.append({"key": area, "title": title, "figures": figures})
        specs = charts.build_all(ids, period)
    figures = [f for a in areas for f in a["figures"]]
    query = {"union": union.pk, "start": period.start.isoformat(), "end": period.end.isoformat()}
    context = {
        **admin.site.each_context(request),
        "title": f"{union.name} 统计看板",
        "union": union,
        "period": period,
        "period_error": period_error,
        "presets": [
            {"label": label, "start": p.start, "end": p.end, "current": p == period}
            for label, p in presets(timezone.localdate())
        ],
        "areas": areas,
        "figures": figures,
        "nothing": not any(f["value"] for f in figures) and all(c.empty for c in specs),
        "charts": [
            {
                "spec": spec,
                "element_id": f"chart-data-{spec.name}",
                "png_url": reverse("reports:chart_png", args=[spec.name]) + "?" + urlencode(query),
            }
            for spec in specs
        ],
        "chart_data": {spec.name: spec.as_json() for spec in specs},
        "unions": Union.objects.filter(pk__in=request.access.unions_with(Perm.VIEW_DASHBOARD)),
    }
    return render(request, "reports/dashboard.html", context)


def display(value, metric: registry.Metric) -> str:
    """A figure as a cadre reads it: thousands separated, money in yuan and fen,
    a percentage to one decimal, other amounts without trailing zeros (SQLite
    sums decimals without their scale)."""
    if not isinstance(value, Decimal):
        return f"{value:,}"
    if metric.unit == "元":
        places = Decimal("0.01")
    elif metric.unit == "%" or metric.is_ratio:
        places = Decimal("0.1")
    else:
        places = next(
            p
            for p in (Decimal("1"), Decimal("0.1"), Decimal("0.01"))
            if value.quantize(Decimal("0.01"), ROUND_HALF_UP) == value.quantize(p, ROUND_HALF_UP)
        )
    return f"{value.quantize(places, rounding=ROUND_HALF_UP):,}"


def _registered() -> set[str]:
    return {m.key for m in registry.all_metrics()}


def _evaluation():
    """The registry's per-evaluation memo, when it has one."""
    return getattr(registry, "evaluation", nullcontext)()


def chart_png(request, chart):
    return admin.site.admin_view(_chart_png)(request, chart)


def _chart_png(request, chart):
    if chart not in charts.CHARTS:
        raise Http404("没有这个图表")
    union = _union_from(request)
    period = _period_from(request)
    with figure_cache.serving(), _evaluation():
        png = charts.chart_png(chart, [union.id], period, subtitle=f"{union.name} · {period}")
    response = HttpResponse(png, content_type="image/png")
    filename = f"{union.code}-{chart}-{period.start:%Y%m%d}-{period.end:%Y%m%d}.png"
    disposition = "attachment" if request.GET.get("download") else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


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
    narrowed = {
        "filter_name": request.GET.get("filter"),
        "value": request.GET.get("value"),
        "by": request.GET.get("by"),
    }
    try:
        records, conditions = charts.narrow(m, records, period, **narrowed)
    except charts.BadFilter as error:
        return HttpResponseBadRequest(f"{error}".encode(), content_type="text/plain; charset=utf-8")
    total = m.value([union.id], period)
    value = charts.total(m, records) if conditions else total
    columns = RECORD_COLUMNS.get(records.model._meta.label_lower, DEFAULT_COLUMNS)
    # Encrypted columns are never shown here: do not fetch (and decrypt) them.
    hidden = [f.name for f in records.model._meta.fields if isinstance(f, EncryptedTextField)]
    related = [path for _, path in columns if "__" in path.strip("_")]
    records = records.defer(*hidden).select_related(*{p.split("__")[0] for p in related})
    page = Paginator(records.order_by("pk"), 50).get_page(request.GET.get("page"))
    rows = [{"cells": [_cell(r, path) for _, path in columns], "url": _admin_url(r)} for r in page]
    keep = {
        k: v
        for k, v in request.GET.items()
        if k in ("union", "start", "end", "filter", "value", "by")
    }
    keep.update(
        {"union": union.pk, "start": period.start.isoformat(), "end": period.end.isoformat()}
    )
    context = {
        **admin.site.each_context(request),
        "title": f"{m.label}：明细",
        "metric": m,
        "union": union,
        "period": period,
        "value": value,
        "total": total,
        "conditions": conditions,
        # A ratio's records are its numerator's; narrowed, they count in its unit.
        "unit": registry.get(m.numerator).unit if m.is_ratio and conditions else m.unit,
        "query": urlencode(keep),
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
