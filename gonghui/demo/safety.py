"""Two years of a demo union's safety ledgers: hazard cards through their
steps, the monthly inspections with checklists (some findings becoming
cards), drills, a yearly safety knowledge contest per group, violations and,
in enterprises, the quarterly safety draw.

Volumes follow the seed reports: a large enterprise collects about a thousand
hazard reports a year ("潜在危险改善提案1005件"), a school a dozen. Every row is
bulk-written with the invariants the services keep: a card's state matches
its dates (assigned → measures and deadline → rectified with evidence →
verified), days_to_rectify is rectified_on − reported_on, every card has its
steps, a drill's participants never exceed those expected, contest ranks
follow the average score, a draw's winners are drawing.pick(seed, eligible).
Nothing is dated after `today`. (Evidence photos are not generated: files on
disk for thousands of demo cards would only slow the build.)
"""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction

from gonghui.demo import areas
from gonghui.members.models import Member
from gonghui.orgs.models import Department, Group, Union, UnionKind
from gonghui.safety import draw as drawing
from gonghui.safety import queries
from gonghui.safety.models import (
    Action,
    Category,
    ChecklistItem,
    Contest,
    ContestResult,
    Draw,
    Drill,
    DrillKind,
    Hazard,
    HazardStep,
    Inspection,
    ItemResult,
    Severity,
    State,
    Violation,
)

SCHOOL_KINDS = {UnionKind.SCHOOL, UnionKind.KINDERGARTEN}

SCHOOL_HAZARDS = [
    ("教学楼{n}楼走廊", "灭火器压力表指针在红区，需更换", Category.FIRE),
    ("实验室", "化学试剂柜未上锁，部分试剂标签脱落", Category.CHEMICAL),
    ("操场东侧", "篮球架底座螺丝松动", Category.EQUIPMENT),
    ("食堂操作间", "地面油污湿滑，未放置防滑警示牌", Category.FOOD),
    ("{n}号楼楼梯间", "应急照明灯不亮", Category.FIRE),
    ("多功能教室", "插线板串接使用，电线老化", Category.ELECTRICAL),
    ("校门口", "上下学时段车辆乱停，影响学生通行", Category.TRAFFIC),
    ("围墙西段", "墙体出现裂缝", Category.BUILDING),
    ("幼儿活动室", "桌角无防撞护角", Category.ENVIRONMENT),
]
ENTERPRISE_HAZARDS = [
    ("{n}号车间", "冲压机防护罩缺失", Category.EQUIPMENT),
    ("{n}号车间", "安全通道被物料堵塞", Category.FIRE),
    ("配电房", "配电柜门未关闭，警示标识脱落", Category.ELECTRICAL),
    ("仓库{n}区", "货架超高堆放，存在倒塌危险", Category.ENVIRONMENT),
    ("喷涂工段", "排风设备故障，异味明显", Category.CHEMICAL),
    ("{n}号生产线", "作业人员未佩戴防护眼镜", Category.PROTECTIVE),
    ("厂区道路", "叉车超速行驶，无警示灯", Category.TRAFFIC),
    ("危化品库", "可燃气体报警器未定期校验", Category.CHEMICAL),
    ("{n}号车间", "电缆沟盖板破损", Category.ELECTRICAL),
    ("食堂", "燃气管道接口有异味", Category.FIRE),
    ("办公楼", "消防栓水带老化", Category.FIRE),
]
MEASURES = [
    "立即更换",
    "安排专人维修",
    "设置警示标识并限期整改",
    "清理通道，落实责任人",
    "停用检修",
]
RECTIFIED = ["已更换并复查合格", "已维修完毕", "已清理，张贴警示标识", "已整改并建立巡查记录"]
SCHOOL_CHECKLIST = [
    "消防通道、安全出口畅通",
    "灭火器、消防栓完好且在有效期内",
    "教室、办公室用电规范",
    "实验室危化品管理到位",
    "体育器材、设施牢固",
    "食堂卫生和燃气安全",
]
ENTERPRISE_CHECKLIST = [
    "安全通道、安全出口畅通",
    "设备防护装置齐全有效",
    "劳动防护用品正确佩戴",
    "配电设施规范、无私拉乱接",
    "危化品存放、标识符合规定",
    "特种作业人员持证上岗",
    "消防器材完好",
]
SCHOOL_DRILLS = [
    (DrillKind.FIRE, "消防灭火演练"),
    (DrillKind.EVACUATION, "全校师生紧急疏散演练"),
    (DrillKind.EARTHQUAKE, "防震减灾演练"),
    (DrillKind.FIRST_AID, "急救知识培训与演练"),
]
ENTERPRISE_DRILLS = [
    (DrillKind.FIRE, "消防灭火演练"),
    (DrillKind.EVACUATION, "车间紧急疏散演练"),
    (DrillKind.LEAK, "危化品防泄漏应急演练"),
    (DrillKind.FIRST_AID, "心肺复苏急救演练"),
    (DrillKind.ELECTRIC, "触电事故应急演练"),
]
VIOLATIONS = ["未按规定佩戴安全帽", "违规操作设备", "在禁烟区吸烟", "未办理作业票进入受限空间"]


def _day(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, max(0, (end - start).days)))


@transaction.atomic
def fill(*, union: Union, rng: random.Random, today: date, actor, bulk: bool = False) -> None:
    """With `bulk` (scale l), this year's safety ledgers only."""
    members = list(
        Member.objects.filter(union=union, status="active").values_list("pk", "group_id")
    )
    if not members:
        return
    school = union.kind in SCHOOL_KINDS
    departments = list(Department.objects.filter(union=union).values_list("pk", flat=True))
    groups = list(Group.objects.filter(union=union).order_by("name"))
    start = date(areas.years(today, bulk)[0], 1, 1)
    inspections = _inspections(union, rng, start, today, school, actor, len(members))
    _hazards(union, rng, start, today, school, actor, members, departments, inspections)
    _drills(union, rng, start, today, school, actor, len(members))
    _contests(union, rng, start, today, actor, members, groups)
    if not school:
        _violations_and_draws(union, rng, start, today, actor, members)


def _inspections(union, rng, start, today, school, actor, headcount):
    per_month = 1 if school or headcount < 2000 else 3
    checklist = SCHOOL_CHECKLIST if school else ENTERPRISE_CHECKLIST
    rows = []
    month = start
    while month <= today:
        for n in range(per_month):
            planned = month + timedelta(days=rng.randint(3, 25))
            if planned > today:
                continue
            done = planned + timedelta(days=rng.randint(0, 3))
            done = done if done <= today and rng.random() < 0.93 else None
            title = f"{month.month}月安全检查" + (f"（第{n + 1}组）" if per_month > 1 else "")
            rows.append(
                Inspection(
                    union=union,
                    title=title,
                    scope="全校"
                    if school
                    else rng.choice(["生产车间", "仓储区", "办公区", "全厂"]),
                    planned_on=planned,
                    done_on=done,
                    summary="总体良好，发现问题已形成隐患卡交办。" if done else "",
                    created_by=actor,
                )
            )
        month = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    Inspection.objects.bulk_create(rows)
    items = []
    for inspection in rows:
        for position, text in enumerate(rng.sample(checklist, 5), start=1):
            result = (
                ItemResult.PENDING
                if inspection.done_on is None
                else (ItemResult.PROBLEM if rng.random() < 0.12 else ItemResult.OK)
            )
            items.append(
                ChecklistItem(
                    union=union,
                    inspection=inspection,
                    position=position,
                    text=text,
                    result=result,
                    note="发现问题，已开具隐患卡" if result == ItemResult.PROBLEM else "",
                )
            )
    ChecklistItem.objects.bulk_create(items)
    return [i for i in items if i.result == ItemResult.PROBLEM]


def _hazards(union, rng, start, today, school, actor, members, departments, findings):
    per_year = max(4, round(len(members) * (0.1 if school else 0.02)))
    per_year = min(per_year, 1100)
    days = (today - start).days + 1
    count = round(per_year * days / 365)
    templates = SCHOOL_HAZARDS if school else ENTERPRISE_HAZARDS
    cards = []
    sources = []  # (finding item or None)
    finding_queue = list(findings)
    for i in range(count + len(finding_queue)):
        item = finding_queue.pop() if i >= count else None
        place, description, category = rng.choice(templates)
        reported = item.inspection.done_on if item is not None else _day(rng, start, today)
        severity = rng.choices(list(Severity.values), weights=[80, 17, 3])[0]
        card = Hazard(
            union=union,
            reported_on=reported,
            reporter_id=None if item is not None else rng.choice(members)[0],
            place=place.format(n=rng.randint(1, 6)),
            description=description,
            category=category,
            severity=severity,
            inspection=item.inspection if item is not None else None,
            reported_by=actor,
        )
        _advance(card, rng, today, departments, actor)
        cards.append(card)
        sources.append(item)
    Hazard.objects.bulk_create(cards, batch_size=1000)
    steps = []
    for card in cards:
        steps.extend(_steps(card, rng, actor))
    HazardStep.objects.bulk_create(steps, batch_size=2000)
    linked = []
    for card, item in zip(cards, sources, strict=True):
        if item is not None:
            item.hazard = card
            linked.append(item)
    ChecklistItem.objects.bulk_update(linked, ["hazard"], batch_size=1000)


def _advance(card: Hazard, rng, today, departments, actor) -> None:
    """Move a new card along its path as far as the dates allow."""
    if not departments:
        return
    assigned = card.reported_on + timedelta(days=rng.randint(0, 2))
    if assigned > today:
        return
    card.state, card.department_id, card.assigned_on = (
        State.ASSIGNED,
        rng.choice(departments),
        assigned,
    )
    if assigned + timedelta(days=1) > today:
        return
    card.measures = rng.choice(MEASURES)
    card.deadline = assigned + timedelta(days=rng.choice([3, 7, 7, 15, 30]))
    card.state = State.IN_WORK
    late = rng.random() < 0.06
    took = rng.randint(1, max(1, (card.deadline - card.reported_on).days))
    if late:
        took = (card.deadline - card.reported_on).days + rng.randint(3, 30)
    rectified = card.reported_on + timedelta(days=max(took, (assigned - card.reported_on).days + 1))
    if rectified > today:
        if card.deadline < today:
            card.escalated_on = card.deadline + timedelta(days=1)
        return
    card.state = State.RECTIFIED
    card.rectification = rng.choice(RECTIFIED)
    card.rectified_on = rectified
    card.rectified_by = actor
    card.days_to_rectify = (rectified - card.reported_on).days
    if late:
        card.escalated_on = card.deadline + timedelta(days=1)
    verified = rectified + timedelta(days=rng.randint(1, 5))
    if verified > today:
        return
    card.state, card.verified_on = State.VERIFIED, verified


def _steps(card: Hazard, rng, actor) -> list[HazardStep]:
    def step(action, on, note=""):
        return HazardStep(
            union_id=card.union_id, hazard=card, action=action, on=on, note=note, actor=actor
        )

    out = [step(Action.REPORT, card.reported_on)]
    if card.assigned_on:
        out.append(step(Action.ASSIGN, card.assigned_on))
    if card.deadline:
        out.append(
            step(Action.PLAN, card.assigned_on + timedelta(days=1), f"期限{card.deadline:%Y-%m-%d}")
        )
    if card.escalated_on:
        out.append(step(Action.ESCALATE, card.escalated_on, "超过整改期限未整改，列入工会主席督办"))
    if card.rectified_on:
        out.append(step(Action.RECTIFY, card.rectified_on, card.rectification))
    if card.verified_on:
        out.append(step(Action.ACCEPT, card.verified_on))
    return out


def _drills(union, rng, start, today, school, actor, headcount):
    kinds = SCHOOL_DRILLS if school else ENTERPRISE_DRILLS
    per_year = 4 if school else min(12, 4 + headcount // 5000)
    rows = []
    for year in range(start.year, today.year + 1):
        for n in range(per_year):
            held = date(year, 1 + n * 12 // per_year, rng.randint(5, 25))
            if held > today:
                continue
            kind, title = kinds[n % len(kinds)]
            expected = headcount if school else min(headcount, rng.randint(30, 400))
            participants = (
                expected if rng.random() < 0.6 else round(expected * rng.uniform(0.85, 1))
            )
            rows.append(
                Drill(
                    union=union,
                    kind=kind,
                    title=title,
                    held_on=held,
                    place="操场" if school else rng.choice(["一号车间", "厂区广场", "危化品库"]),
                    expected=expected,
                    participants=participants,
                    notes="演练有序，达到预期效果。",
                    created_by=actor,
                )
            )
    Drill.objects.bulk_create(rows)


def _contests(union, rng, start, today, actor, members, groups):
    if not groups:
        return
    sizes: dict[int, int] = {}
    for _, group_id in members:
        if group_id:
            sizes[group_id] = sizes.get(group_id, 0) + 1
    for year in range(start.year, today.year + 1):
        held = date(year, 6, 16)  # 安全生产月
        if held > today:
            continue
        contest = Contest.objects.create(
            union=union, title=f"{year}年“安全生产月”安全知识竞赛", held_on=held, created_by=actor
        )
        scored = []
        for group in groups:
            audience = sizes.get(group.pk, 0)
            if not audience:
                continue
            took = audience if rng.random() < 0.5 else round(audience * rng.uniform(0.8, 1))
            score = Decimal(str(round(rng.uniform(72, 96), 1)))
            passed = round(took * rng.uniform(0.85, 1))
            scored.append((group, audience, took, passed, score))
        scored.sort(key=lambda r: (-r[4], r[0].name))
        ContestResult.objects.bulk_create(
            ContestResult(
                union=union,
                contest=contest,
                group=group,
                audience=audience,
                participants=took,
                passed=passed,
                average_score=score,
                rank=rank,
            )
            for rank, (group, audience, took, passed, score) in enumerate(scored, start=1)
        )


def _violations_and_draws(union, rng, start, today, actor, members):
    per_quarter = max(1, len(members) // 400)
    rows = []
    year, quarter = start.year, 1
    while True:
        first, last = queries.quarter_bounds(year, quarter)
        if first > today:
            break
        for _ in range(per_quarter):
            on = _day(rng, first, min(last, today))
            rows.append(
                Violation(
                    union=union,
                    member_id=rng.choice(members)[0],
                    on=on,
                    description=rng.choice(VIOLATIONS),
                    recorded_by=actor,
                )
            )
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    Violation.objects.bulk_create(rows, batch_size=1000)
    year, quarter = start.year, 1
    while True:
        first, last = queries.quarter_bounds(year, quarter)
        drawn = last + timedelta(days=5)
        if drawn > today:
            break
        eligible = queries.draw_eligible(union=union, year=year, quarter=quarter)
        wanted = min(len(eligible), max(3, len(eligible) // 200))
        if wanted:
            seed = f"{drawn:%Y%m%d}{rng.randint(0, 99999):05d}"
            Draw.objects.create(
                union=union,
                year=year,
                quarter=quarter,
                prize="安全生产纪念品（保温杯）",
                winners_wanted=wanted,
                seed=seed,
                eligible=eligible,
                eligible_digest=drawing.fingerprint(eligible),
                winners=drawing.pick(seed, eligible, wanted),
                drawn_on=drawn,
                drawn_by=actor,
            )
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
