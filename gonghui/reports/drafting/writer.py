"""Assemble a draft: title and opening by report type, the area sections in
the order the seeds use, the plan's goals, and a closing drawn from the data."""

from datetime import date

from gonghui.periods import Period
from gonghui.reports import registry
from gonghui.reports.drafting import sections
from gonghui.reports.drafting.core import Context, Draft, Section, day_text
from gonghui.reports.models import ReportKind

ORDER = {
    ReportKind.ANNUAL: (
        "members", "democracy", "disclosure", "voice", "safety", "rights",
        "learning", "activities", "honors", "care", "women", "finance",
    ),
    ReportKind.WOMEN: ("women", "care", "activities", "learning", "honors"),
    ReportKind.CONGRESS: (
        "democracy", "disclosure", "voice", "rights", "safety", "care", "activities", "finance",
    ),
}  # fmt: skip
ORDER[ReportKind.HALF_YEAR] = ORDER[ReportKind.ANNUAL]
ORDER[ReportKind.TERM] = ORDER[ReportKind.ANNUAL]


def period_label(period: Period, kind: str) -> str:
    """2025年度 / 2025年上半年 / 2025—2026学年第一学期 / the dates."""
    s, e = period.start, period.end
    whole_year = (s.month, s.day) == (1, 1) and s.year == e.year
    if whole_year and (e.month, e.day) == (12, 31):
        return f"{s.year}年度"
    if whole_year and (e.month, e.day) == (6, 30):
        return f"{s.year}年上半年"
    if s.year == e.year and (s.month, s.day) == (7, 1) and (e.month, e.day) == (12, 31):
        return f"{s.year}年下半年"
    if kind == ReportKind.TERM and s.month in (8, 9):
        return f"{s.year}—{s.year + 1}学年第一学期"
    if kind == ReportKind.TERM and s.month in (2, 3):
        return f"{s.year - 1}—{s.year}学年第二学期"
    if kind in (ReportKind.ANNUAL, ReportKind.CONGRESS) and whole_year:
        return f"{s.year}年"
    return f"{day_text(s)}至{day_text(e)}"


def title_for(union, period: Period, kind: str) -> str:
    label = period_label(period, kind)
    if kind == ReportKind.WOMEN:
        return f"{union.name}女职工委员会{label}工作总结"
    if kind == ReportKind.CONGRESS:
        return f"{union.name}{label}工作报告"
    return f"{union.name}{label}工作总结"


def _opening(ctx: Context, label: str) -> list:
    leader = ctx.pick("在上级工会的正确领导下", "在党组织的领导和上级工会的指导下")
    support = "在学校行政的大力支持下" if ctx.school else "在公司行政的大力支持下"
    if ctx.kind == ReportKind.CONGRESS:
        return [
            ["各位代表、同志们："],
            [
                f"现在，我代表工会委员会向大会报告{label}的工作，请予审议。",
                f"{label}，{ctx.we}{leader}，{support}，紧紧围绕中心工作，"
                f"依靠全体{ctx.staff_word}，较好地完成了年初确定的各项任务。",
            ],
        ]
    if ctx.kind == ReportKind.WOMEN:
        return [
            [
                f"{label}，{ctx.union.name}女职工委员会{leader}，",
                ctx.pick(
                    "以维护女职工特殊权益为主线，突出女工组织特色，",
                    "紧紧围绕中心工作，积极发挥桥梁纽带作用，",
                ),
                "切实为女职工办实事、做好事。现将主要工作总结如下：",
            ]
        ]
    return [
        [
            f"{label}，{ctx.we}{leader}，{support}，",
            ctx.pick(
                f"围绕中心工作，充分发挥工会职能，在民主管理、维护权益、关心{ctx.staff_word}生活等方面做了大量工作。",
                f"以服务{ctx.staff_word}为根本，健全制度，规范管理，扎实推进各项工会工作。",
                f"认真落实年初工作计划，团结带领广大{ctx.staff_word}建功立业。",
            ),
            ctx.pick("现将主要工作总结如下：", "现总结如下：", "现将有关情况汇报如下："),
        ]
    ]


def _goals(ctx: Context) -> tuple[Section | None, list]:
    """The plan's goals for the report's year: a section on those met, and the missed ones."""
    from gonghui.reports.queries import goal_progress, plan_for

    plan = plan_for(union=ctx.union, year=ctx.period.end.year)
    if plan is None:
        return None, []
    met, missed = [], []
    for row in goal_progress(plan=plan, period=ctx.period):
        if row.value is None:
            continue
        fig = ctx.fig(row.goal.metric_key)
        entry = [row.label, fig, f"（目标{row.goal.get_comparison_display()}{row.target_text}）"]
        (met if row.on_track else missed).append(entry)
    if not met:
        return None, missed
    s = Section(ctx.pick("对照年度计划，目标任务完成情况", "年度工作目标完成情况"))
    p = [ctx.pick(f"年初制定的《{plan.title}》确定的目标中，", "对照年初计划，")]
    for i, entry in enumerate(met):
        p += (["，"] if i else []) + entry
    p.append(ctx.pick("，均已达到目标。", "，已如期完成。"))
    s.points.append(p)
    return s, missed


SHORTFALLS = (
    # (metric, is it a shortfall, what went wrong, what to do next)
    (
        "safety.hazards_overdue",
        lambda v: v > 0,
        ["仍有", None, "隐患超过整改期限未整改，隐患闭环管理还需加强"],
        "紧盯逾期隐患，逐项明确责任部门和整改时限，整改一项、验收一项",
    ),
    (
        "democracy.proposals_overdue",
        lambda v: v > 0,
        ["有", None, "代表提案逾期未答复，提案督办力度不够"],
        "健全提案督办机制，对职工代表提案逐一答复，做到件件有着落",
    ),
    (
        "voice.overdue",
        lambda v: v > 0,
        ["职工意见中有", None, "逾期未落实"],
        "对逾期未落实的职工意见挂牌督办，及时向职工反馈",
    ),
    (
        "rights.disputes_over_limit",
        lambda v: v > 0,
        ["有", None, "劳动争议超过15日调解期限"],
        "提高劳动争议调解时效，依法在期限内办结",
    ),
    (
        "activities.participation_rate",
        lambda v: 0 < v < 60,
        ["活动参与率仅为", None, "，部分职工参与热情不高"],
        "围绕职工需求设计活动，扩大活动参与面",
    ),
    (
        "safety.drill_participation",
        lambda v: 0 < v < 90,
        ["演练参与率为", None, "，尚未做到全员参与"],
        "合理安排演练时间，确保应急演练全员参与",
    ),
    (
        "women.checkup_coverage",
        lambda v: 0 < v < 90,
        ["女职工体检覆盖率为", None, "，还有女职工未参加体检"],
        "做好女职工体检的组织动员，提高体检覆盖率",
    ),
    (
        "care.hardship_review_coverage",
        lambda v: 0 < v < 100,
        ["困难档案复核率为", None, "，动态管理还不到位"],
        "按期复核困难职工档案，做到应帮尽帮、应退尽退",
    ),
    (
        "finance.dues_collection_rate",
        lambda v: 0 < v < 95,
        ["会费收缴率为", None, "，仍有会员欠缴会费"],
        "加强会费收缴提醒，提高会费收缴率",
    ),
)


def _closing(ctx: Context, missed_goals: list) -> Section:
    congress = ctx.kind == ReportKind.CONGRESS
    s = Section(
        ctx.pick("存在的不足和下一步打算", "存在的问题和今后的工作思路")
        if not congress
        else ctx.pick("存在的不足和今后工作展望", "今后工作意见")
    )
    problems, steps = [], []
    for entry in missed_goals:
        problems.append([*entry[:2], entry[2].replace("（目标", "，未达到年初确定的目标（")])
        steps.append(f"把{entry[0]}作为重点，确保完成计划目标")
    for key, is_short, words, step in SHORTFALLS:
        value = ctx.value(key)
        if value is None or not is_short(value):
            continue
        problems.append([words[0], ctx.fig(key), words[2]])
        steps.append(step)
    if problems:
        p = [
            ctx.pick(
                "在总结成绩的同时，我们也清醒地认识到工作中存在的不足：",
                "回顾工作，也还存在一些不足：",
            )
        ]
        for i, problem in enumerate(problems):
            p += (
                [f"{'一是二是三是四是五是六是七是八是九是十是'[i * 2 : i * 2 + 2]}"]
                if i < 10
                else []
            ) + problem
            p.append("；" if i < len(problems) - 1 else "。")
        s.points.append(p)
        lead = ctx.pick("下一步，我们将", "针对以上问题，我们将", "今后，我们将")
        s.points.append([lead + "：" + "；".join(steps) + "。"])
    else:
        s.points.append(
            [
                ctx.pick(
                    "本期各项工作记录中未发现逾期未办的事项。",
                    "本期没有逾期未办结的隐患、提案和意见。",
                ),
                f"今后，{ctx.we}将继续发扬成绩，倾听{ctx.staff_word}意见，把各项工作做细做实。",
            ]
        )
    return s


def draft(
    *, union, period: Period, kind: str = ReportKind.ANNUAL, today: date | None = None
) -> Draft:
    """Draft the report from the records of the period (nothing is saved).

    One evaluation of the registry: a ratio reuses the counts already drawn."""
    with registry.evaluation():
        return _draft(union=union, period=period, kind=kind, today=today)


def _draft(*, union, period: Period, kind: str, today: date | None) -> Draft:
    ctx = Context(union=union, period=period, kind=kind)
    label = period_label(period, kind)
    title = title_for(union, period, kind)
    body = []
    for area in ORDER[kind]:
        section = sections.WRITERS[area](ctx)
        if section is not None:
            body.append(section)
    substantive = [s for s in body if s.points]
    has_work = any(
        f.value for f in ctx.figures if not f.key.startswith("members.") and f.period == period
    )
    if not substantive or not has_work:
        return Draft(
            union=union,
            period=period,
            kind=kind,
            title=title,
            opening=[
                [
                    f"本期（{day_text(period.start)}至{day_text(period.end)}）系统中没有登记"
                    f"任何工作记录，无法据实起草总结。请先在各项台账中录入本期的工作记录，再生成总结。"
                ]
            ],
            sections=[],
            empty=True,
            figures=[],
        )
    goals_section, missed = _goals(ctx)
    if goals_section is not None:
        body.append(goals_section)
    body.append(_closing(ctx, missed))
    return Draft(
        union=union,
        period=period,
        kind=kind,
        title=title,
        opening=_opening(ctx, label),
        sections=body,
        figures=ctx.figures,
    )
