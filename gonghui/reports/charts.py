"""Charts of a union's figures, computed from the metrics registry.

One function per chart returns a `Chart`: category labels, one or more series
of values, and for every value the link to the records behind it (the
registry's drill-down page, narrowed to the month, group, state or stage the
value counts). The dashboard hands the same spec to Chart.js as JSON; the
newsletter and the drafted report draw it as a PNG with matplotlib:

    from gonghui.reports import charts

    spec = charts.build("hazard_funnel", [union.pk], period)   # -> Chart
    png = charts.chart_png("hazard_funnel", [union.pk], period)  # -> PNG bytes

`CHARTS` lists the chart names in dashboard order. Every value is a metric's
value over a period (`Metric.value`) or a count/sum over the metric's own
records narrowed by a `FILTERS` entry, so a bar always equals what its link
lists. Callers must run inside a django-scopes scope that includes the unions
(requests do; commands use `django_scopes.scope(union=[...])`). Links name one
union; for several unions at once a chart has no links (None).
"""

from __future__ import annotations

import io
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Count, DateTimeField, Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth, TruncYear
from django.urls import reverse
from django.utils import timezone

from gonghui.periods import Period
from gonghui.reports import figure_cache, registry

logger = logging.getLogger(__name__)

Number = int | Decimal


# Specs -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Series:
    """One row of values across the chart's labels, with a link per value."""

    label: str
    values: list[Number]
    links: list[str | None]
    unit: str
    kind: str = "bar"  # "bar" or "line"
    axis: str = "y"  # "y" (left) or "y2" (right, for a second unit)

    def as_json(self) -> dict:
        return {
            "label": self.label,
            "values": [float(v) if isinstance(v, Decimal) else v for v in self.values],
            "links": self.links,
            "unit": self.unit,
            "kind": self.kind,
            "axis": self.axis,
        }


@dataclass(frozen=True)
class Chart:
    """What a chart shows; `kind` is "bar", "line" or "funnel" (horizontal bars)."""

    name: str
    title: str
    kind: str
    labels: list[str]
    series: list[Series]
    note: str = ""
    empty_text: str = "本期没有记录"

    @property
    def empty(self) -> bool:
        return not any(v for s in self.series for v in s.values)

    @property
    def rows(self) -> list[tuple[str, list[tuple[Number, str | None]]]]:
        """Label by label, each series' value and link (for a table of the data)."""
        return [
            (label, [(s.values[i], s.links[i]) for s in self.series])
            for i, label in enumerate(self.labels)
        ]

    def as_json(self) -> dict:
        return {
            "name": self.name,
            "title": self.title,
            "kind": self.kind,
            "labels": self.labels,
            "series": [s.as_json() for s in self.series],
            "note": self.note,
            "empty": self.empty,
        }


# Links and the filters they carry --------------------------------------------------------------


def records_url(key: str, union_ids: list[int], period: Period, **narrow) -> str | None:
    """The drill-down page of a metric for one union and period, optionally
    narrowed by a filter (`filter=name, value=...`) or a breakdown value (`by=...`)."""
    if len(union_ids) != 1:
        return None
    query = {
        "union": union_ids[0],
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
    }
    query.update({k: v for k, v in narrow.items() if v is not None})
    return f"{reverse('reports:metric_records', args=[key])}?{urlencode(query)}"


class BadFilter(ValueError):
    """A drill-down filter that does not apply (the message says why, in Chinese)."""


@dataclass(frozen=True)
class Filter:
    """A named way of narrowing a metric's records to one bar of a chart."""

    name: str
    label: str
    apply: Callable[[QuerySet, str, Period], tuple[QuerySet, str]]


def _field_names(model) -> set[str]:
    return {f.name for f in model._meta.get_fields()}


def _by_group(records: QuerySet, value: str, period: Period) -> tuple[QuerySet, str]:
    from gonghui.orgs.models import Group

    names = _field_names(records.model)
    path = "group" if "group" in names else "member__group" if "member" in names else None
    if path is None:
        raise BadFilter("这个指标的记录不能按工会小组筛选")
    if value == NO_GROUP:
        return records.filter(**{f"{path}__isnull": True}), "未分组"
    if not value.isdigit():
        raise BadFilter(f"工会小组“{value}”无效")
    group = Group.objects.filter(pk=int(value)).first()
    if group is None:
        raise BadFilter(f"没有编号为{value}的工会小组")
    return records.filter(**{path: group.pk}), group.name


def _by_state(records: QuerySet, value: str, period: Period) -> tuple[QuerySet, str]:
    if "state" not in _field_names(records.model):
        raise BadFilter("这个指标的记录没有办理状态")
    choices = dict(records.model._meta.get_field("state").choices or [])
    if value not in choices:
        raise BadFilter(f"办理状态“{value}”无效")
    return records.filter(state=value), str(choices[value])


def _hazard_stages(period: Period) -> dict[str, tuple[str, Q]]:
    from gonghui.safety.models import Action, HazardStep

    planned = HazardStep.objects.filter(
        hazard=OuterRef("pk"), action=Action.PLAN, on__lte=period.end
    )
    rectified = Q(rectified_on__isnull=False, rectified_on__lte=period.end)
    return {
        "measures": ("期末前已制定整改措施", Q(Exists(planned)) | rectified),
        "rectified": ("期末前已整改完成", rectified),
        "verified": ("期末前已验收通过", rectified & Q(verified_on__lte=period.end)),
    }


def _by_stage(records: QuerySet, value: str, period: Period) -> tuple[QuerySet, str]:
    if records.model._meta.label_lower != "safety.hazard":
        raise BadFilter("只有隐患卡可以按整改环节筛选")
    stages = _hazard_stages(period)
    if value not in stages:
        raise BadFilter(f"整改环节“{value}”无效")
    label, condition = stages[value]
    return records.filter(condition), label


NO_GROUP = "none"
FILTERS: dict[str, Filter] = {
    f.name: f
    for f in (
        Filter("group", "工会小组", _by_group),
        Filter("state", "办理状态", _by_state),
        Filter("stage", "整改环节", _by_stage),
    )
}


def narrow(
    metric: registry.Metric,
    records: QuerySet,
    period: Period,
    *,
    filter_name: str | None = None,
    value: str | None = None,
    by: str | None = None,
) -> tuple[QuerySet, list[str]]:
    """Narrow a metric's records as a chart link asks; returns the records and
    a description of each condition applied. Raises BadFilter on a bad request."""
    applied = []
    if by is not None:
        if not metric.breakdown:
            raise BadFilter(f"指标“{metric.label}”没有分组明细")
        field_name = metric.breakdown
        if by == "未分组":
            records = records.filter(Q(**{f"{field_name}__isnull": True}) | Q(**{field_name: ""}))
        else:
            records = records.filter(**{field_name: by})
        applied.append(by)
    if filter_name is not None or value is not None:
        if filter_name not in FILTERS:
            raise BadFilter(f"筛选条件“{filter_name or ''}”无效")
        if not value:
            raise BadFilter(f"请给出{FILTERS[filter_name].label}")
        records, label = FILTERS[filter_name].apply(records, value, period)
        applied.append(f"{FILTERS[filter_name].label}：{label}")
    return records, applied


def total(metric: registry.Metric, records: QuerySet) -> Number:
    """The figure of some of a metric's records: their count, or their sum."""
    field_name = None if metric.is_ratio else metric.sum_field
    if field_name:
        result = records.aggregate(total=Sum(field_name))["total"]
        return (result or Decimal("0")).quantize(Decimal("0.01"))
    return records.count()


# Periods ------------------------------------------------------------------------------------------


def buckets(period: Period) -> list[tuple[str, Period]]:
    """The months of the period (each cut to the period), or its years when
    the period spans more than two years of months."""
    month = period.start.replace(day=1)
    months = []
    while month <= period.end:
        following = (month + timedelta(days=32)).replace(day=1)
        months.append(
            Period(max(month, period.start), min(following - timedelta(days=1), period.end))
        )
        month = following
    if len(months) > 24:
        years = range(period.start.year, period.end.year + 1)
        return [
            (
                f"{y}年",
                Period(max(date(y, 1, 1), period.start), min(date(y, 12, 31), period.end)),
            )
            for y in years
        ]
    one_year = period.start.year == period.end.year
    return [
        (f"{p.start.month}月" if one_year else f"{p.start:%Y}年{p.start.month}月", p)
        for p in months
    ]


# The date each trend metric puts a record in its period by. For these, one
# query grouped by month (or year) over the whole period gives every bar; the
# bars still equal each month's own records (tests check both ways).
DATE_FIELDS = {
    "members.joined": "joined_on",
    "members.left": "left_on",
    "activities.held": "starts_at",
    "activities.participants": "activity__starts_at",
    "safety.hazards_reported": "reported_on",
    "safety.hazards_rectified": "rectified_on",
}


def _trend_values(metric, union_ids: list[int], period: Period, parts) -> list[Number]:
    path = DATE_FIELDS.get(metric.key)
    if path is None or metric.is_ratio or metric.sum_field:
        return [metric.value(union_ids, p) for _, p in parts]
    records = metric.records_for(union_ids, period)
    by_year = not parts[0][0].endswith("月")
    local = {"tzinfo": timezone.get_current_timezone()} if _is_datetime(records.model, path) else {}
    bucket = (TruncYear if by_year else TruncMonth)(path, **local)
    rows = records.order_by().annotate(bucket=bucket).values("bucket").annotate(n=Count("pk"))
    counts: dict[tuple[int, int], int] = {}
    for row in rows.values_list("bucket", "n"):
        day = row[0]
        key = (day.year, 1 if by_year else day.month)
        counts[key] = counts.get(key, 0) + row[1]
    return [counts.get((p.start.year, 1 if by_year else p.start.month), 0) for _, p in parts]


def _is_datetime(model, path: str) -> bool:
    *relations, name = path.split("__")
    for relation in relations:
        model = model._meta.get_field(relation).related_model
    return isinstance(model._meta.get_field(name), DateTimeField)


def _trend(
    name: str,
    title: str,
    keys: list[tuple[str, str, str]],
    union_ids: list[int],
    period: Period,
    kind: str = "bar",
) -> Chart:
    parts = buckets(period)
    series = []
    for key, series_kind, axis in keys:
        metric = registry.get(key)
        series.append(
            Series(
                label=metric.label,
                values=_trend_values(metric, union_ids, period, parts),
                links=[records_url(key, union_ids, p) for _, p in parts],
                unit=metric.unit,
                kind=series_kind,
                axis=axis,
            )
        )
    return Chart(
        name=name,
        title=f"{title}（{'按月' if parts[0][0].endswith('月') else '按年'}）",
        kind=kind,
        labels=[label for label, _ in parts],
        series=series,
    )


# The charts -------------------------------------------------------------------------------------


def members_trend(union_ids: list[int], period: Period) -> Chart:
    """Members who joined and who left, month by month."""
    return _trend(
        "members_trend",
        "会员增减",
        [("members.joined", "bar", "y"), ("members.left", "bar", "y")],
        union_ids,
        period,
    )


def activities_trend(union_ids: list[int], period: Period) -> Chart:
    """Activities held (bars) and attendances (line, right axis), month by month."""
    return _trend(
        "activities_trend",
        "活动开展与参与",
        [("activities.held", "bar", "y"), ("activities.participants", "line", "y2")],
        union_ids,
        period,
    )


def hazards_trend(union_ids: list[int], period: Period) -> Chart:
    """Hazard cards reported and rectified, month by month."""
    return _trend(
        "hazards_trend",
        "隐患上报与整改",
        [("safety.hazards_reported", "line", "y"), ("safety.hazards_rectified", "line", "y")],
        union_ids,
        period,
        kind="line",
    )


MAX_GROUPS = 20


def groups_comparison(union_ids: list[int], period: Period) -> Chart:
    """Per 工会小组: members on the roll at the period's end and activity
    attendances in the period (the largest groups first, at most MAX_GROUPS)."""
    from gonghui.orgs.models import Group

    members_metric = registry.get("members.per_group")
    attend_metric = registry.get("activities.participants")
    members = _count_by(members_metric.records_for(union_ids, period), "group_id")
    attended = _count_by(attend_metric.records_for(union_ids, period), "member__group_id")
    names = dict(Group.objects.filter(union__in=union_ids).values_list("pk", "name"))
    keys = [k for k in {*members, *attended} if k is None or k in names]
    keys.sort(key=lambda k: (-members.get(k, 0), -attended.get(k, 0), names.get(k, "")))
    shown, hidden = keys[:MAX_GROUPS], keys[MAX_GROUPS:]

    def link(key, group):
        value = NO_GROUP if group is None else str(group)
        return records_url(key, union_ids, period, filter="group", value=value)

    return Chart(
        name="groups_comparison",
        title="各小组会员与活动参与",
        kind="bar",
        labels=[names.get(k, "未分组") for k in shown],
        series=[
            Series(
                label="期末会员数",
                values=[members.get(k, 0) for k in shown],
                links=[link(members_metric.key, k) for k in shown],
                unit=members_metric.unit,
            ),
            Series(
                label=attend_metric.label,
                values=[attended.get(k, 0) for k in shown],
                links=[link(attend_metric.key, k) for k in shown],
                unit=attend_metric.unit,
            ),
        ],
        note=f"另有{len(hidden)}个小组未显示（按会员数取前{MAX_GROUPS}个）" if hidden else "",
    )


def _count_by(records: QuerySet, path: str) -> dict:
    rows = records.order_by().values(path).annotate(n=Count("pk")).values_list(path, "n")
    return dict(rows)


def hazard_funnel(union_ids: list[int], period: Period) -> Chart:
    """Hazard cards reported in the period, and how many of them had measures,
    were rectified and were verified by the period's end."""
    key = "safety.hazards_reported"
    reported = registry.get(key).records_for(union_ids, period)
    labels, values, links = ["上报"], [reported.count()], [records_url(key, union_ids, period)]
    for stage, short in (
        ("measures", "制定措施"),
        ("rectified", "整改完成"),
        ("verified", "验收通过"),
    ):
        narrowed, _ = FILTERS["stage"].apply(reported, stage, period)
        labels.append(short)
        values.append(narrowed.count())
        links.append(records_url(key, union_ids, period, filter="stage", value=stage))
    return Chart(
        name="hazard_funnel",
        title="隐患整改进度",
        kind="funnel",
        labels=labels,
        series=[Series(label="本期上报的隐患卡", values=values, links=links, unit="项")],
        note="本期上报的隐患卡中，到期末已走到各环节的数量",
    )


def budget_execution(union_ids: list[int], period: Period) -> Chart:
    """Per expenditure category: the adjusted budget of the years the period
    touches, and what was paid in the period."""
    from gonghui.finance.models import EXPENDITURE_CATEGORIES, BudgetLine

    budgets = dict(
        BudgetLine.objects.filter(
            union__in=union_ids,
            category__in=EXPENDITURE_CATEGORIES,
            fiscal_year__year__range=(period.start.year, period.end.year),
        )
        .order_by()
        .values("category")
        .annotate(total=Sum("budget"))
        .values_list("category", "total")
    )
    labels, budgeted, spent, spent_links, budget_links = [], [], [], [], []
    for category in EXPENDITURE_CATEGORIES:
        key = f"finance.expenditure.{category.value}"
        paid = registry.get(key).value(union_ids, period)
        planned = budgets.get(category.value) or Decimal("0")
        if not paid and not planned:
            continue
        labels.append(category.label)
        budgeted.append(Decimal(planned).quantize(Decimal("0.01")))
        spent.append(Decimal(paid).quantize(Decimal("0.01")))
        spent_links.append(records_url(key, union_ids, period))
        budget_links.append(_budget_url(union_ids, period))
    return Chart(
        name="budget_execution",
        title="预算执行（按支出科目）",
        kind="bar",
        labels=labels,
        series=[
            Series(label="调整后预算", values=budgeted, links=budget_links, unit="元"),
            Series(label="本期支出", values=spent, links=spent_links, unit="元"),
        ],
        note="预算为所涉年度的调整后预算",
    )


def _budget_url(union_ids: list[int], period: Period) -> str | None:
    if len(union_ids) != 1:
        return None
    query = urlencode({"union": union_ids[0], "year": period.end.year})
    return f"{reverse('finance:execution')}?{query}"


def proposal_states(union_ids: list[int], period: Period) -> Chart:
    """Proposals submitted in the period, by the state they are in now."""
    from gonghui.democracy.models.proposals import ProposalState

    key = "democracy.proposals_submitted"
    counts = _count_by(registry.get(key).records_for(union_ids, period), "state")
    states = [s for s in ProposalState if counts.get(s.value)]
    return Chart(
        name="proposal_states",
        title="提案办理状态",
        kind="bar",
        labels=[s.label for s in states],
        series=[
            Series(
                label="本期提交的提案",
                values=[counts[s.value] for s in states],
                links=[
                    records_url(key, union_ids, period, filter="state", value=s.value)
                    for s in states
                ],
                unit="件",
            )
        ],
        note="本期提交的提案目前所处的办理状态",
    )


CHARTS: dict[str, Callable[[list[int], Period], Chart]] = {
    "members_trend": members_trend,
    "activities_trend": activities_trend,
    "hazards_trend": hazards_trend,
    "groups_comparison": groups_comparison,
    "hazard_funnel": hazard_funnel,
    "budget_execution": budget_execution,
    "proposal_states": proposal_states,
}


# The metrics each chart reads: a chart whose area is not installed is left out.
NEEDS: dict[str, tuple[str, ...]] = {
    "members_trend": ("members.joined", "members.left"),
    "activities_trend": ("activities.held", "activities.participants"),
    "hazards_trend": ("safety.hazards_reported", "safety.hazards_rectified"),
    "groups_comparison": ("members.per_group", "activities.participants"),
    "hazard_funnel": ("safety.hazards_reported",),
    "budget_execution": ("finance.expenditure_total",),
    "proposal_states": ("democracy.proposals_submitted",),
}


def available() -> list[str]:
    """The chart names whose metrics are all registered, in dashboard order."""
    registered = {m.key for m in registry.all_metrics()}
    return [name for name in CHARTS if set(NEEDS.get(name, ())) <= registered]


def build(name: str, union_ids: list[int], period: Period) -> Chart:
    """The spec of one chart; KeyError for an unknown name."""
    if name not in CHARTS:
        raise KeyError(f"没有这个图表：{name}")
    ids = registry.union_ids(union_ids)
    key = ("chart", name, tuple(sorted(ids)), period.start, period.end)
    return figure_cache.figure(key, lambda: CHARTS[name](ids, period))


def build_all(union_ids: list[int], period: Period) -> list[Chart]:
    return [build(name, union_ids, period) for name in available()]


# PNG -------------------------------------------------------------------------------------------

# CJK fonts, best first (Debian: fonts-noto-cjk, fonts-wqy-microhei, fonts-wqy-zenhei).
CJK_FONTS = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "AR PL UMing CN",
    "SimHei",
    "Microsoft YaHei",
)
COLOURS = ("#9333ea", "#f59e0b", "#10b981", "#3b82f6", "#ef4444")
_font_cache: dict[str, object] = {}


def _matplotlib():
    """Import matplotlib lazily (it is slow to import) with a writable cache dir."""
    os.environ.setdefault("MPLCONFIGDIR", str(settings.VAR_DIR / "matplotlib"))
    import matplotlib

    matplotlib.use("Agg", force=False)
    return matplotlib


def cjk_font():
    """The installed font that draws Chinese (a FontProperties), or None.

    Looked up once through matplotlib's font manager; when no CJK font is
    installed the charts are still drawn, with a logged warning, and Chinese
    shows as empty boxes: install fonts-noto-cjk or fonts-wqy-microhei."""
    if "font" in _font_cache:
        return _font_cache["font"]
    _matplotlib()
    from matplotlib import font_manager

    installed = {f.name: f.fname for f in font_manager.fontManager.ttflist}
    found = None
    for name in CJK_FONTS:
        if name in installed:
            found = font_manager.FontProperties(fname=installed[name])
            break
    if found is None:
        logger.warning(
            "没有找到中文字体（%s），图表中的汉字将无法显示；请安装 fonts-noto-cjk 或 "
            "fonts-wqy-microhei",
            "、".join(CJK_FONTS),
        )
    _font_cache["font"] = found
    return found


def _fmt(value: Number) -> str:
    if isinstance(value, Decimal):
        return f"{value:,.2f}" if value != value.to_integral() else f"{int(value):,}"
    return f"{value:,}"


def render_png(chart: Chart, *, subtitle: str = "", dpi: int = 150) -> bytes:
    """Draw a chart spec as a PNG (8 × 4.5 inches) with Chinese labels."""
    _matplotlib()
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    font = cjk_font()
    family = {"fontproperties": font} if font is not None else {}
    figure = Figure(figsize=(8, 4.5), dpi=dpi, layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    figure.suptitle(chart.title, fontsize=14, **family)
    if subtitle or chart.note:
        axes.set_title(
            "\n".join(t for t in (subtitle, chart.note) if t),
            fontsize=9,
            color="#6b7280",
            **family,
        )
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    if chart.empty:
        axes.set_axis_off()
        axes.text(
            0.5,
            0.5,
            chart.empty_text,
            ha="center",
            va="center",
            fontsize=14,
            color="#6b7280",
            transform=axes.transAxes,
            **family,
        )
    elif chart.kind == "funnel":
        _draw_funnel(axes, chart, family)
    else:
        _draw_bars_and_lines(axes, chart, family)
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=dpi)
    return out.getvalue()


def _sized(font, size: float):
    sized = font.copy()
    sized.set_size(size)
    return sized


def _draw_funnel(axes, chart: Chart, family: dict) -> None:
    series = chart.series[0]
    positions = list(range(len(chart.labels)))[::-1]
    top = max(series.values) or 1
    axes.barh(positions, [float(v) for v in series.values], color=COLOURS[0], height=0.6)
    axes.set_yticks(positions, chart.labels, **family)
    for y, v in zip(positions, series.values, strict=True):
        share = (
            f"（{Decimal(v) * 100 / Decimal(series.values[0]):.0f}%）" if series.values[0] else ""
        )
        axes.text(
            float(v) + top * 0.01,
            y,
            f"{_fmt(v)}{series.unit}{share}",
            va="center",
            fontsize=9,
            **family,
        )
    axes.set_xlim(0, top * 1.25)
    axes.xaxis.set_visible(False)
    axes.spines["bottom"].set_visible(False)


def _draw_bars_and_lines(axes, chart: Chart, family: dict) -> None:
    from matplotlib.ticker import FuncFormatter

    xs = list(range(len(chart.labels)))
    bars = [s for s in chart.series if s.kind == "bar"]
    width = 0.8 / max(len(bars), 1)
    right = None
    handles = []
    for index, series in enumerate(chart.series):
        colour = COLOURS[index % len(COLOURS)]
        target = axes
        if series.axis == "y2":
            right = right or axes.twinx()
            right.spines["top"].set_visible(False)
            target = right
        values = [float(v) for v in series.values]
        if series.kind == "bar":
            offset = (bars.index(series) - (len(bars) - 1) / 2) * width
            handles.append(
                target.bar(
                    [x + offset for x in xs],
                    values,
                    width=width * 0.9,
                    color=colour,
                    label=series.label,
                )
            )
        else:
            (line,) = target.plot(
                xs, values, color=colour, marker="o", markersize=4, linewidth=2, label=series.label
            )
            handles.append(line)
        units = [x.unit for x in chart.series if x.axis == series.axis]
        target.set_ylabel("／".join(dict.fromkeys(units)), **family)
    axes.set_xticks(xs, chart.labels, **family)
    if len(chart.labels) > 8 or max((len(label) for label in chart.labels), default=0) > 4:
        for tick in axes.get_xticklabels():
            tick.set_rotation(30)
            tick.set_horizontalalignment("right")
    for target in filter(None, (axes, right)):
        target.yaxis.get_major_locator().set_params(integer=True)
        target.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:,.0f}"))
    if len(handles) > 1:
        legend_font = {"prop": _sized(family["fontproperties"], 9)} if family else {"fontsize": 9}
        axes.figure.legend(
            handles=handles,
            loc="outside lower center",
            ncols=len(handles),
            frameon=False,
            **legend_font,
        )


def chart_png(name: str, union_ids, period: Period, *, subtitle: str = "") -> bytes:
    """A chart as PNG bytes, for the newsletter, the report and the download link.

    `name` is one of CHARTS (KeyError otherwise); `union_ids` a list of union
    ids (or unions); `subtitle` an optional line under the title, e.g. the
    union's name and the period."""
    return render_png(build(name, registry.union_ids(union_ids), period), subtitle=subtitle)


__all__ = [
    "CHARTS",
    "FILTERS",
    "available",
    "BadFilter",
    "Chart",
    "Series",
    "build",
    "build_all",
    "chart_png",
    "cjk_font",
    "narrow",
    "records_url",
    "render_png",
    "total",
]
