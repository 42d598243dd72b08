"""The consolidated report (汇总报告): an upper union's drafted summary of its
whole subtree for a collection request's period, in the form and voice of
the grassroots summaries (gonghui/reports/drafting) and of a federation's own
papers (seed 五: "一是……二是……", "全市工会", targets such as
"工资集体协商建制率保持在建会企业的90%以上").

Every figure is a CFig: a subtree total, one unit's value (rankings, notable
units), the number of units with a record of something, or a count of the
returns. Each renders as a link: a unit's value to that unit's records, the
others to the figure's page, which lists the value per unit down to the records.
"""

import hashlib
import random
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from html import escape

from django.urls import reverse
from django.utils import timezone

from gonghui.collection import queries
from gonghui.collection.models import STATISTICS, CollectionRequest, FigureScope
from gonghui.orgs.models import Union
from gonghui.periods import Period
from gonghui.reports import registry
from gonghui.reports.drafting.core import chinese_number, day_text, number_text, quoted
from gonghui.reports.drafting.writer import period_label
from gonghui.reports.render import figure_url

# Seed 五: "确保工资集体协商建制率保持在建会企业的90%以上".
WAGE_CONTRACT_TARGET = 90

RETURN_KEYS = {
    "collection.addressed": ("通知报送单位", "家"),
    "collection.returned": ("已报送单位", "家"),
    "collection.on_time": ("按期报送单位", "家"),
    "collection.late": ("逾期报送单位", "家"),
    "collection.outstanding": ("尚未报送单位", "家"),
}


@dataclass(eq=False)
class CFig:
    ref: str
    scope: str
    key: str
    label: str
    unit: str
    value: Decimal | int
    period: Period
    unit_union: Union | None = None

    @property
    def text(self) -> str:
        if self.unit == "元" and isinstance(self.value, Decimal):
            return f"{self.value.quantize(Decimal('0.01')):,}元"
        return f"{number_text(self.value)}{self.unit}"


@dataclass
class Section:
    title: str
    points: list[list] = field(default_factory=list)


@dataclass
class Consolidated:
    request: CollectionRequest
    title: str
    opening: list[list]
    sections: list[Section]
    figures: list[CFig]


def scope_word(upper: Union) -> str:
    """全市 / 全区 / 全县 / 全系统: how a federation names its own jurisdiction."""
    name = upper.name
    for suffix, word in (("区总工会", "全区"), ("县总工会", "全县"), ("市总工会", "全市")):
        if name.endswith(suffix):
            return word
    return "全系统"


class Writer:
    """Figures on demand (each asked once, numbered in order of first use)."""

    def __init__(self, request: CollectionRequest, today: date | None):
        self.request = request
        self.upper = request.union
        self.period = Period(request.start, request.end)
        self.today = today or timezone.localdate()
        self.units = queries.units(self.upper)
        self.names = {u.pk: u for u in self.units}
        self.figures: list[CFig] = []
        self._totals: dict = {}
        self._per_unit: dict = {}
        seed = hashlib.sha256(f"{self.upper.code}|{request.pk}".encode()).digest()
        self.rng = random.Random(int.from_bytes(seed[:8], "big"))
        self.word = scope_word(self.upper)

    def pick(self, *options):
        return self.rng.choice(options)

    def _add(self, **kwargs) -> CFig:
        f = CFig(ref=f"f{len(self.figures) + 1}", period=self.period, **kwargs)
        self.figures.append(f)
        return f

    # Values ---------------------------------------------------------------------------

    def load(self, keys: list[str]) -> None:
        keys = queries.installed_keys(keys)
        per_unit = queries.unit_values(self.upper, self.period, keys)
        self._totals.update(queries.subtree_totals(self.upper, self.period, keys, per_unit))
        for key in keys:
            self._per_unit[key] = {u: values.get(key, 0) for u, values in per_unit.items()}

    def total(self, key: str):
        return self._totals.get(key)

    def positive(self, key: str) -> bool:
        v = self.total(key)
        return v is not None and v > 0

    def fig(self, key: str) -> CFig:
        for f in self.figures:
            if f.scope == FigureScope.SUBTREE and f.key == key:
                return f
        m = registry.get(key)
        return self._add(
            scope=FigureScope.SUBTREE, key=key, label=m.label, unit=m.unit, value=self.total(key)
        )

    def units_with(self, key: str) -> tuple[CFig, list[int]]:
        """How many units hold a positive value of the metric, and which."""
        ids = [u for u, v in self._per_unit.get(key, {}).items() if v and v > 0]
        m = registry.get(key)
        f = self._add(
            scope=FigureScope.UNITS_WITH,
            key=key,
            label=f"有“{m.label}”的单位",
            unit="家",
            value=len(ids),
        )
        return f, ids

    def share(self, count: int) -> str:
        if not self.units:
            return "0%"
        return f"{number_text((Decimal(count) * 100 / len(self.units)).quantize(Decimal('0.1')))}%"

    def top(self, key: str, n: int = 3) -> list[CFig]:
        """The units with the highest value, as unit figures (ties by path); none
        when fewer than two units have any (a ranking of one is no ranking)."""
        values = self._per_unit.get(key, {})
        ranked = sorted(
            (u for u, v in values.items() if v and v > 0),
            key=lambda u: (-values[u], self.names[u].path),
        )
        if len(ranked) < 2:
            return []
        m = registry.get(key)
        return [
            self._add(
                scope=FigureScope.UNIT,
                key=key,
                label=m.label,
                unit=m.unit,
                value=values[u],
                unit_union=self.names[u],
            )
            for u in ranked[:n]
        ]

    def below(self, key: str, threshold) -> list[int]:
        values = self._per_unit.get(key, {})
        return [u for u, v in values.items() if v and 0 < v < threshold]

    def returns(self, key: str, value: int) -> CFig:
        label, unit = RETURN_KEYS[key]
        return self._add(scope=FigureScope.RETURNS, key=key, label=label, unit=unit, value=value)

    def covered_units(self) -> CFig:
        """The units the totals cover: every grassroots union below the issuer."""
        for f in self.figures:
            if f.key == "collection.units":
                return f
        return self._add(
            scope=FigureScope.SUBTREE,
            key="collection.units",
            label="所辖基层工会",
            unit="家",
            value=len(self.units),
        )

    def figure_for(self, key: str) -> CFig:
        return next(f for f in self.figures if f.key == key)

    def ranking(self, key: str, lead: str) -> list:
        """ "<lead>居前的是“甲”（12次）、“乙”（10次）" or nothing."""
        figs = self.top(key)
        if not figs:
            return []
        p = [lead]
        for i, f in enumerate(figs):
            p += (["、"] if i else []) + [quoted(_short(f.unit_union.name)), "（", f, "）"]
        return p


def _short(name: str) -> str:
    return name.removesuffix("工会") or name


KEYS = [
    "members.at_end",
    "members.joined",
    "members.women",
    "members.membership_rate",
    "democracy.sessions_held",
    "democracy.proposals_submitted",
    "democracy.proposals_replied",
    "disclosure.posts",
    "voice.collected",
    "voice.implemented",
    "voice.implementation_rate",
    "rights.contracts_in_force",
    "rights.wage_contract_coverage",
    "rights.disputes_received",
    "rights.disputes_settled",
    "rights.consultations",
    "safety.hazards_reported",
    "safety.hazards_rectified",
    "safety.rectification_rate",
    "safety.hazards_overdue",
    "safety.drills",
    "activities.held",
    "activities.participants",
    "learning.trainings",
    "learning.attendances",
    "care.visits",
    "care.visit_amount",
    "care.hardship_open",
    "care.hardship_review_coverage",
    "care.assistance_amount",
    "honors.awards",
    "honors.model_workers",
]


def _opening(w: Writer, board) -> list[list]:
    label = period_label(w.period, w.request.kind if w.request.kind != STATISTICS else "annual")
    counts = board.counts
    addressed = w.returns("collection.addressed", board.total)
    p = [
        f"{label}，{w.word}各级工会在同级党组织和上级工会的领导下，",
        w.pick(
            "紧紧围绕中心工作，团结动员广大职工建功立业，",
            "坚持以职工为中心，扎实推进各项工会工作，",
        ),
        "组织建设、民主管理、维护权益、服务职工等工作取得新的进展。",
    ]
    q = [
        f"根据《{w.request.title}》，{w.upper.name}向所辖",
        addressed,
        "基层工会部署了报送工作，截至",
        day_text(w.today),
        "，已报送",
        w.returns("collection.returned", board.returned),
    ]
    if counts["late"]:
        q += [
            "，其中按期报送",
            w.returns("collection.on_time", counts["submitted"]),
            "、逾期报送",
            w.returns("collection.late", counts["late"]),
        ]
    if board.outstanding:
        q += ["，尚有", w.returns("collection.outstanding", board.outstanding), "未报送"]
    q.append(
        "。本报告依据系统中各基层工会的台账记录汇总，文中数字均可追溯至各单位的原始记录。"
        "现将有关情况报告如下："
    )
    return [p, q]


def _members(w: Writer) -> Section | None:
    if not w.positive("members.at_end"):
        return None
    s = Section(
        w.pick("组织建设持续加强，工会组织覆盖面不断扩大", "夯实基层基础，工会组织建设不断加强")
    )
    p = [f"截至期末，{w.word}", w.covered_units(), "基层工会共有会员", w.fig("members.at_end")]
    if w.positive("members.women"):
        p += ["，其中女会员", w.fig("members.women")]
    if w.positive("members.membership_rate"):
        p += ["；职工入会率", w.fig("members.membership_rate")]
    if w.positive("members.joined"):
        p += ["；本期新发展会员", w.fig("members.joined")]
    p.append("。")
    s.points.append(p)
    r = w.ranking("members.joined", "发展会员较多的单位有")
    if r:
        s.points.append(r + ["。"])
    return s


def _democracy(w: Writer) -> Section | None:
    if not any(w.positive(k) for k in ("democracy.sessions_held", "disclosure.posts")):
        return None
    s = Section("坚持和完善以职代会为基本形式的民主管理制度")
    if w.positive("democracy.sessions_held"):
        held, ids = w.units_with("democracy.sessions_held")
        p = [
            "本期",
            held,
            f"基层工会召开了职代会（教代会），占所辖单位的{w.share(len(ids))}，共召开会议",
            w.fig("democracy.sessions_held"),
        ]
        if w.positive("democracy.proposals_submitted"):
            p += ["，收到代表提案", w.fig("democracy.proposals_submitted")]
            if w.positive("democracy.proposals_replied"):
                p += ["，已答复", w.fig("democracy.proposals_replied")]
        p.append("。")
        s.points.append(p)
    if w.positive("disclosure.posts"):
        published, ids = w.units_with("disclosure.posts")
        s.points.append(
            [
                "厂务公开、校务公开持续深化，",
                published,
                f"单位在本期公开了事项（覆盖{w.share(len(ids))}），共公开",
                w.fig("disclosure.posts"),
                "。",
            ]
        )
    if w.positive("voice.collected"):
        p = ["各单位共收集职工意见和建议", w.fig("voice.collected")]
        if w.positive("voice.implemented"):
            p += ["，已落实", w.fig("voice.implemented")]
        if w.positive("voice.implementation_rate"):
            p += ["，有效意见落实率", w.fig("voice.implementation_rate")]
        p.append("。")
        s.points.append(p)
    return s


def _rights(w: Writer) -> Section | None:
    keys = ("rights.contracts_in_force", "rights.disputes_received", "rights.consultations")
    if not any(w.positive(k) for k in keys):
        return None
    s = Section("依法维护职工合法权益，构建和谐劳动关系")
    if w.total("rights.wage_contract_coverage") is not None and w.positive(
        "rights.contracts_in_force"
    ):
        rate = w.total("rights.wage_contract_coverage")
        p = ["集体协商工作稳步推进，工资集体协商建制率", w.fig("rights.wage_contract_coverage")]
        if rate < WAGE_CONTRACT_TARGET:
            p.append(f"，距“建制率保持在{WAGE_CONTRACT_TARGET}%以上”的要求尚有差距")
        else:
            p.append(f"，保持在{WAGE_CONTRACT_TARGET}%以上")
        p.append("。")
        s.points.append(p)
    if w.positive("rights.disputes_received"):
        p = ["各单位劳动争议调解组织受理争议", w.fig("rights.disputes_received")]
        if w.positive("rights.disputes_settled"):
            p += ["，调解成功", w.fig("rights.disputes_settled")]
        p.append("。")
        s.points.append(p)
    if w.positive("rights.consultations"):
        s.points.append(["为职工提供法律咨询", w.fig("rights.consultations"), "。"])
    return s


def _safety(w: Writer) -> Section | None:
    if not any(w.positive(k) for k in ("safety.hazards_reported", "safety.drills")):
        return None
    s = Section("发挥群众监督作用，扎实做好劳动保护工作")
    if w.positive("safety.hazards_reported"):
        p = ["各单位职工共上报隐患", w.fig("safety.hazards_reported")]
        if w.positive("safety.hazards_rectified"):
            p += ["，完成整改", w.fig("safety.hazards_rectified")]
        if w.positive("safety.rectification_rate"):
            p += ["，整改率", w.fig("safety.rectification_rate")]
        p.append("。")
        s.points.append(p)
        r = w.ranking("safety.hazards_reported", "上报隐患较多的单位有")
        if r:
            s.points.append(r + ["，群众安全监督网络发挥了作用。"])
    if w.positive("safety.drills"):
        s.points.append(["组织安全演练", w.fig("safety.drills"), "。"])
    return s


def _activities(w: Writer) -> Section | None:
    if not any(w.positive(k) for k in ("activities.held", "learning.trainings")):
        return None
    s = Section("丰富职工文化生活，提升职工队伍素质")
    if w.positive("activities.held"):
        p = ["各基层工会共开展职工活动", w.fig("activities.held")]
        if w.positive("activities.participants"):
            p += ["，参加", w.fig("activities.participants")]
        p.append("。")
        s.points.append(p)
        r = w.ranking("activities.held", "开展活动较多的单位有")
        if r:
            s.points.append(r + ["。"])
    if w.positive("learning.trainings"):
        p = ["举办各类培训", w.fig("learning.trainings")]
        if w.positive("learning.attendances"):
            p += ["，参训", w.fig("learning.attendances")]
        p.append("。")
        s.points.append(p)
    if w.positive("honors.awards") or w.positive("honors.model_workers"):
        p = []
        if w.positive("honors.awards"):
            p += ["评先评优获奖", w.fig("honors.awards")]
        if w.positive("honors.model_workers"):
            p += ["，" if p else "", "劳模", w.fig("honors.model_workers")]
        p.append("。")
        s.points.append(p)
    return s


def _care(w: Writer) -> Section | None:
    if not any(w.positive(k) for k in ("care.visits", "care.assistance_amount")):
        return None
    s = Section("加大帮扶力度，做好服务职工工作")
    p = ["各单位"]
    if w.positive("care.visits"):
        p += ["开展慰问", w.fig("care.visits")]
        if w.positive("care.visit_amount"):
            p += ["，发放慰问金", w.fig("care.visit_amount")]
    if w.positive("care.assistance_amount"):
        p += ["，" if len(p) > 1 else "", "发放帮扶资金", w.fig("care.assistance_amount")]
    if w.positive("care.hardship_open"):
        p += ["，在档困难职工", w.fig("care.hardship_open")]
        if w.positive("care.hardship_review_coverage"):
            p += ["，档案复核率", w.fig("care.hardship_review_coverage")]
    p.append("。")
    s.points.append(p)
    r = w.ranking("care.visits", "慰问职工较多的单位有")
    if r:
        s.points.append(r + ["。"])
    return s


def _closing(w: Writer, board) -> Section:
    s = Section("存在的不足和下一步工作打算")
    problems, steps = [], []
    if board.outstanding:
        names = [r.submission.union.name for r in board.rows if r.status in queries.OUTSTANDING]
        problems.append(
            [
                "报送工作还不够及时，",
                w.figure_for("collection.outstanding"),
                "基层工会尚未报送（",
                "、".join(_short(n) for n in names[:5]) + ("等" if len(names) > 5 else ""),
                "）",
            ]
        )
        steps.append("督促未报送的单位抓紧报送，把按期报送情况纳入年度考核")
    rate = w.total("rights.wage_contract_coverage")
    if rate is not None and 0 < rate < WAGE_CONTRACT_TARGET:
        problems.append(
            ["工资集体协商建制率为", w.fig("rights.wage_contract_coverage"), "，还有部分单位未建制"]
        )
        steps.append("深化工资集体协商“要约行动”，确保工资集体协商建制率保持在建会单位的90%以上")
    if w.positive("safety.hazards_overdue"):
        problems.append(["仍有", w.fig("safety.hazards_overdue"), "隐患超过整改期限未整改"])
        steps.append("对逾期未整改的隐患挂牌督办，整改一项、验收一项")
    low = w.below("members.membership_rate", Decimal(80))
    if low:
        problems.append([f"有{len(low)}家单位职工入会率低于80%"])
        steps.append("推进应入尽入，把新入职职工及时吸收到工会组织中来")
    if problems:
        p = ["在肯定成绩的同时，也要清醒地看到存在的不足："]
        for i, problem in enumerate(problems):
            p += [f"{'一二三四五六七八九十'[i]}是"] + problem
            p.append("；" if i < len(problems) - 1 else "。")
        s.points.append(p)
        lead = "下一步，我们将重点抓好以下工作："
        s.points.append(
            [
                lead
                + "".join(f"{'一二三四五六七八九十'[i]}是{t}；" for i, t in enumerate(steps))[:-1]
                + "。"
            ]
        )
    else:
        s.points.append(
            [
                "本期各单位均已按要求报送，台账记录中未发现逾期未办的事项。下一步，"
                f"{w.upper.name}将继续加强对基层工会的指导，推动各项工作提质增效。"
            ]
        )
    return s


WRITERS = (_members, _democracy, _rights, _safety, _activities, _care)


def title_for(request: CollectionRequest) -> str:
    label = period_label(
        Period(request.start, request.end),
        request.kind if request.kind != STATISTICS else "annual",
    )
    return f"{request.union.name}{label}基层工会工作汇总报告"


def draft(*, request: CollectionRequest, today: date | None = None) -> Consolidated:
    """Draft from the subtree's records and the request's returns (nothing is saved)."""
    w = Writer(request, today)
    with registry.evaluation():
        w.load(KEYS)
        board = queries.board(request, today=w.today)
        opening = _opening(w, board)
        sections = [s for s in (writer(w) for writer in WRITERS) if s is not None and s.points]
        sections.append(_closing(w, board))
    return Consolidated(
        request=request,
        title=title_for(request),
        opening=opening,
        sections=sections,
        figures=w.figures,
    )


def figure_href(f: CFig, *, report) -> str:
    """A unit's figure links to the unit's records; the others to the figure's page."""
    if f.scope == FigureScope.UNIT and f.unit_union is not None:
        return figure_url(f.key, f.unit_union.pk, f.period.start, f.period.end)
    return reverse("collection:consolidated_figure", args=[report.pk, f.ref])


def _paragraph(parts, report) -> str:
    out = []
    for part in parts:
        if isinstance(part, CFig):
            href = figure_href(part, report=report)
            out.append(
                f'<a class="fig" data-fig="{part.ref}" href="{escape(href)}">{escape(part.text)}</a>'
            )
        else:
            out.append(escape(str(part)))
    return "".join(out)


def to_html(d: Consolidated, *, report) -> str:
    lines = [f"<h1>{escape(d.title)}</h1>"]
    lines += [f"<p>{_paragraph(p, report)}</p>" for p in d.opening]
    for i, section in enumerate(d.sections, start=1):
        lines.append(f"<h2>{chinese_number(i)}、{escape(section.title)}</h2>")
        numbered = len(section.points) > 1
        for j, point in enumerate(section.points, start=1):
            prefix = f"{j}、" if numbered else ""
            lines.append(f"<p>{prefix}{_paragraph(point, report)}</p>")
    return "\n".join(lines)


# Figures that changed since drafting -------------------------------------------------------

RETURN_COUNTS = {
    "collection.addressed": lambda b: b.total,
    "collection.returned": lambda b: b.returned,
    "collection.on_time": lambda b: b.counts[queries.SUBMITTED],
    "collection.late": lambda b: b.counts[queries.LATE],
    "collection.outstanding": lambda b: b.outstanding,
}


@dataclass
class StaleFigure:
    figure: object  # ConsolidatedFigure
    now: Decimal | int

    @property
    def now_text(self) -> str:
        return f"{queries.value_text(self.now, self.figure.unit)}{self.figure.unit}"


def stale_figures(report) -> list[StaleFigure]:
    """A draft's figures whose value now differs from the one drafted (the
    records or the returns changed since). A locked report's figures are final
    and never flagged."""
    if report.is_locked:
        return []
    figures = list(report.figures.select_related("unit_union"))
    if not figures:
        return []
    stale = []
    board = None
    by_period: dict[tuple, list] = {}
    for f in figures:
        by_period.setdefault((f.start, f.end), []).append(f)
    with registry.evaluation():
        for (start, end), group in by_period.items():
            period = Period(start, end)
            keys = queries.installed_keys(
                sorted({f.metric_key for f in group if f.scope != FigureScope.RETURNS})
            )
            per_unit = queries.unit_values(report.union, period, keys) if keys else {}
            totals = queries.subtree_totals(report.union, period, keys, per_unit) if keys else {}
            for f in group:
                if f.scope == FigureScope.RETURNS:
                    board = board or queries.board(report.request)
                    count = RETURN_COUNTS.get(f.metric_key)
                    now = count(board) if count else None
                elif f.metric_key == "collection.units":
                    now = len(queries.units(report.union))
                elif f.metric_key not in keys:
                    now = None  # the metric is gone: nothing to compare with
                elif f.scope == FigureScope.UNIT:
                    now = per_unit.get(f.unit_union_id, {}).get(f.metric_key, 0)
                elif f.scope == FigureScope.UNITS_WITH:
                    now = sum(1 for v in per_unit.values() if (v.get(f.metric_key) or 0) > 0)
                else:
                    now = totals.get(f.metric_key)
                if now is not None and Decimal(now).quantize(Decimal("0.01")) != f.value:
                    stale.append(StaleFigure(f, now))
    return stale
