"""Two years of a demo union's recognition: the default award kinds, monthly
岗位之星 and 优秀小组/优秀班级, a few yearly honours, the model workers on record,
and the monthly group assessment (班组考核打分) of every group under the
union's rules, published with its ranking. Late in the month the month's
岗位之星 nominations are in, waiting for the committee's decision.

The rule goes through honors.services; the monthly rows that fan out to every
group (scores, results, awards) are bulk-inserted with the invariants the
services keep: every group is scored on every item, a point below the maximum
carries its reason, a published month has one result per group with ranks by
total (ties share a rank), and an award is a decided nomination.
"""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction

from gonghui.demo import areas
from gonghui.demo.builder import insert_rows
from gonghui.honors import services
from gonghui.honors.models import (
    Announcement,
    Assessment,
    GroupResult,
    ModelWorker,
    Nomination,
    NominationState,
    Score,
)
from gonghui.members.models import Member, Status
from gonghui.orgs.models import Group, Union, UnionKind

SCHOOL_KINDS = {UnionKind.SCHOOL, UnionKind.KINDERGARTEN}
ENTERPRISE_ITEMS = [
    ("安全生产", "30", "违章作业一次扣5分，发生未遂事件扣10分", ["违章作业一次", "劳保用品未穿戴"]),
    ("劳动纪律", "20", "迟到早退一次扣1分", ["迟到早退两次", "脱岗一次"]),
    ("工作质量", "30", "返工一次扣3分，客户投诉一次扣5分", ["返工一次", "客户投诉一次"]),
    ("工会活动", "20", "无故缺席一次扣2分", ["缺席工会活动一次"]),
]
SCHOOL_ITEMS = [
    ("教学常规", "30", "教案、作业批改抽查不合格一次扣2分", ["作业批改抽查不合格"]),
    ("班级管理", "30", "卫生、纪律检查不合格一次扣2分", ["卫生检查不合格", "课间纪律扣分"]),
    ("安全工作", "20", "安全隐患未及时上报扣5分", ["安全隐患未及时上报"]),
    ("工会活动", "20", "无故缺席一次扣2分", ["缺席工会活动一次"]),
]
STAR_REASONS = [
    "本月工作认真负责，服务对象满意度高，零投诉",
    "主动承担急难险重任务，加班加点保质保量完成",
    "带教新员工成效明显，提出的改进措施被采纳",
    "坚守岗位、热情服务，受到群众书面表扬",
]
SCHOOL_STAR_REASONS = [
    "本月教学常规检查优秀，公开课获好评",
    "关爱学生、家校沟通及时，家长来信表扬",
    "主动承担代课任务，保障教学秩序",
]
TITLES = [
    ("county", "劳动模范", "区人民政府"),
    ("city", "劳动模范", "市人民政府"),
    ("city", "五一劳动奖章", "市总工会"),
    ("provincial", "五一劳动奖章", "省总工会"),
    ("provincial", "劳动模范", "省人民政府"),
    ("national", "五一劳动奖章", "中华全国总工会"),
]


def _months(today: date, bulk: bool) -> list[date]:
    """First days of every month from January last year (this year at scale l)
    to last month."""
    out, day = [], date(areas.years(today, bulk)[0], 1, 1)
    this_month = today.replace(day=1)
    while day < this_month:
        out.append(day)
        day = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return out


@transaction.atomic
def fill(*, union: Union, rng: random.Random, today: date, actor, bulk: bool = False) -> None:
    """With `bulk` (scale l), the monthly assessments of this year only."""
    school = union.kind in SCHOOL_KINDS
    groups = list(Group.objects.filter(union=union).order_by("pk"))
    members = list(
        Member.objects.filter(union=union, status=Status.ACTIVE)
        .only("id", "name", "group_id", "joined_on")
        .order_by("pk")
    )
    if not members:
        return
    kinds = {k.name: k for k in services.ensure_default_kinds(union=union)}
    items_spec = SCHOOL_ITEMS if school else ENTERPRISE_ITEMS
    rule = services.write_rule(
        union=union,
        name="班级工作考核细则" if school else "班组考核细则",
        effective_from=date(today.year - 1, 1, 1),
        items=[{"name": n, "max_points": p, "deduction_guide": g} for n, p, g, _ in items_spec],
        actor=actor,
    )
    items = list(rule.items.all())
    reasons = {n: r for n, _, _, r in items_spec}
    months = _months(today, bulk)
    group_award = kinds["优秀班级" if school else "优秀小组"]
    star = kinds["岗位之星"]
    star_reasons = SCHOOL_STAR_REASONS if school else STAR_REASONS
    stars_a_month = max(1, min(5, len(members) // 40))

    nominations: list[Nomination] = []
    announcements: list[Announcement] = []
    for month in months:
        published = date(month.year + (month.month == 12), month.month % 12 + 1, rng.randint(3, 8))
        if published > today:
            continue
        announcements.append(
            Announcement(
                union=union,
                title=f"{month.year}年{month.month}月班组考核及岗位之星评选结果公示",
                body="<p>详见考核结果和获奖名单。</p>",
                published_on=published,
                published_by=actor,
            )
        )
    Announcement.objects.bulk_create(announcements)
    by_month = {(a.published_on.year, a.published_on.month): a for a in announcements}

    assessments, scores, results = [], [], []
    for month in months:
        key = (month.year + (month.month == 12), month.month % 12 + 1)
        announcement = by_month.get(key)
        if announcement is None or not groups:
            continue
        assessments.append(
            Assessment(
                union=union,
                rule=rule,
                month=month,
                published_on=announcement.published_on,
                announcement=announcement,
                created_by=actor,
            )
        )
    Assessment.objects.bulk_create(assessments)
    for assessment in assessments:
        totals = []
        for group in groups:
            total = Decimal("0.0")
            for item in items:
                points, reason = item.max_points, ""
                if rng.random() < 0.3:
                    points -= Decimal(rng.choice((1, 2, 2, 3, 5)))
                    reason = rng.choice(reasons[item.name])
                total += points
                scores.append((assessment.pk, group.pk, item.pk, points, reason))
            totals.append((total, group))
        totals.sort(key=lambda t: (-t[0], t[1].name))
        rank, previous = 0, None
        for position, (total, group) in enumerate(totals, start=1):
            if total != previous:
                rank, previous = position, total
            results.append(
                GroupResult(
                    union=union,
                    assessment=assessment,
                    group=group,
                    month=assessment.month,
                    total=total,
                    rank=rank,
                )
            )
        best = totals[0][1]
        nominations.append(
            Nomination(
                union=union,
                kind=group_award,
                year=assessment.month.year,
                month=assessment.month.month,
                group=best,
                reasons=f"{assessment.month.month}月考核得分{totals[0][0]}分，名列第一",
                nominated_on=assessment.published_on,
                nominated_by="工会考核小组",
                state=NominationState.AWARDED,
                decided_on=assessment.published_on,
                decision_note="按考核结果评定",
                decided_by=actor,
                announcement=assessment.announcement,
                created_by=actor,
            )
        )
    # Rows rather than instances: a city's unions score ~45,000 a month between them.
    insert_rows(
        Score,
        fixed={"union": union.pk, "scored_by": actor.pk if actor else None},
        columns=("assessment", "group", "item", "points", "deduction_reason"),
        rows=scores,
    )
    GroupResult.objects.bulk_create(results, batch_size=2000)

    for month in months:
        announcement = by_month.get((month.year + (month.month == 12), month.month % 12 + 1))
        if announcement is None:
            continue
        for member in rng.sample(members, min(stars_a_month + 1, len(members))):
            nominated = announcement.published_on
            granted = rng.random() < 0.8
            nominations.append(
                Nomination(
                    union=union,
                    kind=star,
                    year=month.year,
                    month=month.month,
                    member=member,
                    reasons=rng.choice(star_reasons),
                    nominated_on=nominated,
                    nominated_by="所在部门",
                    state=NominationState.AWARDED if granted else NominationState.DECLINED,
                    decided_on=nominated,
                    decision_note="" if granted else "本月名额已满",
                    decided_by=actor,
                    announcement=announcement if granted else None,
                    created_by=actor,
                )
            )
    for year in (today.year - 1,):
        for name, count in (
            ("先进个人", max(1, len(members) // 50)),
            ("最美职工", 1),
            ("首席员工", 1),
        ):
            if name == "首席员工" and school:
                continue
            for member in rng.sample(members, min(count, len(members))):
                on = date(year, 12, rng.randint(20, 28))
                nominations.append(
                    Nomination(
                        union=union,
                        kind=kinds[name],
                        year=year,
                        member=member,
                        reasons=rng.choice(star_reasons),
                        nominated_on=on,
                        nominated_by="工会委员会",
                        state=NominationState.AWARDED,
                        decided_on=on,
                        decided_by=actor,
                        created_by=actor,
                    )
                )
    Nomination.objects.bulk_create(nominations, batch_size=2000)

    workers = []
    for member in rng.sample(members, min(len(members), max(1, min(30, len(members) // 300)))):
        level, title, by = rng.choice(TITLES)
        workers.append(
            ModelWorker(
                union=union,
                member=member,
                level=level,
                title=title,
                year=rng.randint(
                    min(max(member.joined_on.year, today.year - 15), today.year - 1), today.year - 1
                ),
                conferred_by=by,
                monthly_allowance=Decimal(rng.choice(("0.00", "100.00", "200.00", "300.00"))),
                benefits="每年健康体检一次；疗休养一次；节日慰问",
                created_by=actor,
            )
        )
    ModelWorker.objects.bulk_create(workers)

    # This month's 岗位之星 nominations are in and wait for the committee's
    # decision in the back office (drawn last, so earlier draws do not shift).
    if today.day >= 20:
        pending = rng.sample(members, min(stars_a_month + 1, len(members)))
        Nomination.objects.bulk_create(
            Nomination(
                union=union,
                kind=star,
                year=today.year,
                month=today.month,
                member=member,
                reasons=rng.choice(star_reasons),
                nominated_on=today - timedelta(days=rng.randint(0, 5)),
                nominated_by="所在部门",
                created_by=actor,
            )
            for member in pending
        )
