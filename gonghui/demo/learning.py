"""Two years of a demo union's learning: trainings with their attendees, a
question bank, the daily question (每日一题) and who answered it, the yearly
knowledge tests (知识竞赛) with every member's sitting — the safety month's
test is the safety contest's paper, whose group results come from it — skill
contests and certificates (the chair's 工会主席任职资格 among them).

Questions are checked by learning.services.clean_question; fan-out rows
(attendance, daily answers, sittings) are written in bulk with the invariants
the services keep: one answer per member and day, on that day; one sitting
per member and exam, inside its window, scored from the stored answers with
services.score_of. Nothing is dated after `today`.
"""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from gonghui.demo.builder import insert_rows
from gonghui.learning import services
from gonghui.learning.models import (
    Attempt,
    ContestLevel,
    DailyAnswer,
    DailyQuestion,
    Exam,
    Qualification,
    QualificationKind,
    Question,
    QuestionCategory,
    QuestionKind,
    SkillContest,
    SkillResult,
    TrainingKind,
    TrainingSession,
)
from gonghui.members.models import Member
from gonghui.orgs.models import Group, Post, PostKind, Union, UnionKind

SCHOOL_KINDS = {UnionKind.SCHOOL, UnionKind.KINDERGARTEN}
S, M, T = QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.TRUE_FALSE

# (category, kind, text, choices, answer)
COMMON = [
    (
        "工会知识",
        S,
        "《中华人民共和国工会法》规定，工会的基本职责是什么？",
        ["维护职工合法权益、竭诚服务职工群众", "组织生产经营", "管理企业财务", "决定职工工资"],
        [0],
    ),
    ("工会知识", S, "基层工会委员会每届任期为几年？", ["一年", "二年", "三年至五年", "十年"], [2]),
    ("工会知识", T, "会员按月交纳会费，会费标准为本人工资收入的0.5%。", [], [0]),
    ("工会知识", S, "职工代表大会每年至少召开几次？", ["一次", "两次", "三次", "四次"], [0]),
    (
        "工会知识",
        M,
        "工会会员享有哪些权利？",
        [
            "选举权和被选举权",
            "对工会工作提出批评和建议",
            "要求工会维护合法权益",
            "不参加工会活动也可领取补贴",
        ],
        [0, 1, 2],
    ),
    ("工会知识", T, "企业、事业单位、机关有会员二十五人以上的，应当建立基层工会委员会。", [], [0]),
    (
        "工会知识",
        S,
        "单位应按全部职工工资总额的多少向工会拨缴经费？",
        ["1%", "2%", "5%", "0.5%"],
        [1],
    ),
    (
        "法律法规",
        S,
        "劳动合同期限三个月以上不满一年的，试用期不得超过多久？",
        ["一个月", "二个月", "三个月", "六个月"],
        [0],
    ),
    ("法律法规", T, "用人单位可以因女职工怀孕、生育、哺乳降低其工资。", [], [1]),
    ("法律法规", S, "劳动争议申请仲裁的时效期间为多长？", ["六个月", "一年", "二年", "三年"], [1]),
    (
        "法律法规",
        M,
        "下列哪些属于女职工“四期”保护？",
        ["经期", "孕期", "产期", "哺乳期"],
        [0, 1, 2, 3],
    ),
    ("法律法规", S, "女职工生育享受的产假不少于多少天？", ["60天", "90天", "98天", "128天"], [2]),
    ("安全生产", S, "发现火灾应立即拨打哪个电话？", ["110", "119", "120", "122"], [1]),
    ("安全生产", T, "干粉灭火器可以扑救带电设备火灾。", [], [0]),
    (
        "安全生产",
        M,
        "从业人员的安全生产权利包括哪些？",
        ["知情权和建议权", "批评、检举、控告权", "拒绝违章指挥和强令冒险作业", "自行拆除安全装置"],
        [0, 1, 2],
    ),
    ("安全生产", S, "每年的“安全生产月”是几月？", ["3月", "5月", "6月", "11月"], [2]),
    ("安全生产", T, "安全通道可以临时堆放少量物品。", [], [1]),
    (
        "健康知识",
        S,
        "成年人心肺复苏时，胸外按压的频率是每分钟多少次？",
        ["60～80次", "80～100次", "100～120次", "140次以上"],
        [2],
    ),
    ("健康知识", T, "长时间伏案工作，每隔一小时起身活动有益健康。", [], [0]),
]
SCHOOL = [
    (
        "师德师风",
        S,
        "《新时代中小学教师职业行为十项准则》要求教师不得做什么？",
        ["组织、参与有偿补课", "参加教研活动", "家访", "参加培训"],
        [0],
    ),
    ("师德师风", T, "教师可以接受学生及家长赠送的礼品礼金。", [], [1]),
    (
        "师德师风",
        M,
        "教师的基本义务包括哪些？",
        [
            "遵守宪法、法律和职业道德",
            "贯彻国家的教育方针",
            "关心、爱护全体学生",
            "按成绩给学生排名公布",
        ],
        [0, 1, 2],
    ),
    (
        "校园安全",
        S,
        "学生在校发生意外伤害，教师首先应当怎么做？",
        ["立即救护并报告学校", "等待家长到校", "先批评学生", "不予理会"],
        [0],
    ),
]
ENTERPRISE = [
    (
        "岗位技能",
        S,
        "设备检修前必须执行哪项措施？",
        ["挂牌上锁，切断能源", "边运行边检修", "只需口头告知", "请同事帮忙看着"],
        [0],
    ),
    ("岗位技能", T, "特种作业人员必须持证上岗。", [], [0]),
    ("岗位技能", M, "“5S”管理包括哪些内容？", ["整理", "整顿", "清扫", "加班"], [0, 1, 2]),
    (
        "安全生产",
        S,
        "进入生产现场必须正确佩戴什么？",
        ["安全帽等劳动防护用品", "耳机", "首饰", "手表"],
        [0],
    ),
]

SCHOOL_TRAININGS = [
    ("新课程标准解读", TrainingKind.SKILLS, 3),
    ("班主任工作经验交流", TrainingKind.SKILLS, 2),
    ("校园安全与应急疏散", TrainingKind.SAFETY, 2),
    ("师德师风专题学习", TrainingKind.POLICY, 2),
    ("《工会法》《教师法》学习", TrainingKind.LAW, 2),
    ("教职工心理健康讲座", TrainingKind.HEALTH, 1.5),
    ("信息技术与课堂教学融合", TrainingKind.SKILLS, 4),
]
ENTERPRISE_TRAININGS = [
    ("安全生产法及操作规程", TrainingKind.SAFETY, 4),
    ("岗位技能提升培训", TrainingKind.SKILLS, 8),
    ("班组长管理能力培训", TrainingKind.SKILLS, 6),
    ("消防器材使用与应急演练", TrainingKind.SAFETY, 2),
    ("劳动合同法与职工权益", TrainingKind.LAW, 2),
    ("党的二十大精神宣讲", TrainingKind.POLICY, 2),
    ("职业病防治知识", TrainingKind.HEALTH, 2),
]
TRAINERS = ["王建国", "李红梅", "张志强", "刘晓燕", "陈卫东", "区总工会讲师团", "市安监局专家"]

DAILY_FROM_ROLL = 60  # unions this small run no daily question


def _tz(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


@transaction.atomic
def fill(*, union: Union, rng: random.Random, today: date, actor, bulk: bool = False) -> None:
    """With `bulk` (scale l), this year only, a third to three fifths of the
    roll sitting each test and a quarter taking the daily question
    (docs/scaling.md)."""
    members = list(
        Member.objects.filter(union=union, status="active")
        .only("id", "group_id", "joined_on", "name")
        .order_by("pk")
    )
    if not members:
        return
    school = union.kind in SCHOOL_KINDS
    start = date(today.year if bulk else today.year - 1, 1, 1)
    questions = _bank(union, school)
    sessions = _trainings(union, rng, start, today, school, members, actor)
    if len(members) >= DAILY_FROM_ROLL:
        _daily(union, rng, start, today, members, questions, 0.25 if bulk else 0.7)
    sitting = (0.3, 0.6) if bulk else (0.6, 0.9)
    _exams(union, rng, start, today, school, members, questions, actor, sitting, bulk)
    _contests(union, rng, start, today, school, members)
    _qualifications(union, rng, start, today, members, sessions)


def _bank(union: Union, school: bool) -> list[Question]:
    rows = COMMON + (SCHOOL if school else ENTERPRISE)
    categories = {
        name: QuestionCategory(union=union, name=name) for name in dict.fromkeys(r[0] for r in rows)
    }
    QuestionCategory.objects.bulk_create(categories.values())
    questions = []
    for category, kind, text, choices, answer in rows:
        fields = services.clean_question(kind=kind, text=text, choices=choices, answer=answer)
        questions.append(Question(union=union, category=categories[category], **fields))
    return Question.objects.bulk_create(questions)


def _trainings(union, rng, start, today, school, members, actor) -> list[TrainingSession]:
    plan = SCHOOL_TRAININGS if school else ENTERPRISE_TRAININGS
    per_year = min(6 + len(members) // 400, 40)
    sessions, attendance = [], []
    for year in range(start.year, today.year + 1):
        for n in range(per_year):
            on = date(year, 1, 1) + timedelta(days=rng.randint(10, 350))
            if on > today:
                continue
            topic, kind, hours = plan[n % len(plan)]
            sessions.append(
                TrainingSession(
                    union=union,
                    topic=topic if n < len(plan) else f"{topic}（第{n // len(plan) + 1}期）",
                    kind=kind,
                    on=on,
                    hours=Decimal(str(hours)),
                    place="学校报告厅"
                    if school
                    else rng.choice(["职工培训中心", "二楼会议室", "车间班前会室"]),
                    trainer=rng.choice(TRAINERS),
                    created_by=actor,
                )
            )
    sessions = TrainingSession.objects.bulk_create(sessions)
    for session in sessions:
        present = [m for m in members if m.joined_on <= session.on]
        share = rng.uniform(0.5, 0.9) if school else rng.uniform(0.1, 0.4)
        size = min(len(present), max(5, int(len(present) * share)), 400)
        for m in rng.sample(present, size):
            attendance.append((session.pk, m.pk))
    insert_rows(
        TrainingSession.attendees.through,
        fixed={},
        columns=("trainingsession", "member"),
        rows=attendance,
    )
    return sessions


def _workdays(first: date, last: date) -> list[date]:
    days, day = [], first
    while day <= last:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def _answer(question: Question, right: bool, rng: random.Random) -> list[int]:
    if right:
        return list(question.answer)
    wrong = [i for i in range(len(question.choices)) if [i] != list(question.answer)]
    return [rng.choice(wrong)]


def _daily(union, rng, start, today, members, questions, taking) -> None:
    """Workdays since 1 September last year (or `start`, if later); each member
    who takes part (a `taking` share of the roll) answers a few of them (one
    answer a day), four in five rightly."""
    days = _workdays(max(date(today.year - 1, 9, 1), start), today)
    dailies = DailyQuestion.objects.bulk_create(
        DailyQuestion(union=union, on=day, question=questions[i % len(questions)])
        for i, day in enumerate(days)
    )
    by_day = [(d.on, d) for d in dailies]
    rows = []
    for m in members:
        if rng.random() > taking:
            continue
        open_days = [pair for pair in by_day if pair[0] >= m.joined_on]
        if not open_days:
            continue
        for on, daily in rng.sample(open_days, min(len(open_days), rng.choice((1, 1, 2, 3)))):
            right = rng.random() < 0.8
            chosen = _answer(daily.question, right, rng)
            rows.append((daily.pk, m.pk, on, tuple(chosen), right))
    insert_rows(
        DailyAnswer,
        fixed={"union": union.pk},
        columns=("daily", "member", "on", "chosen", "correct"),
        rows=rows,
    )


def _exams(union, rng, start, today, school, members, questions, actor, sitting, bulk) -> None:
    """A union knowledge test in April and, in enterprises of any size and
    larger schools, a safety test in June (安全生产月); most members sit each."""
    for year in range(start.year, today.year + 1):
        tests = [("工会知识测试" if school else "工会知识竞赛", 4, "工会知识")]
        if not school or len(members) >= 100:
            tests.append(("安全知识测试" if school else "安全生产月知识竞赛", 6, "安全生产"))
        for title, month, focus in tests:
            opens = _tz(date(year, month, rng.randint(8, 18)), 8)
            closes = opens + timedelta(days=7, hours=12)
            if opens.date() > today:
                continue
            paper = [q for q in questions if q.category.name == focus]
            paper += rng.sample([q for q in questions if q not in paper], 10 - len(paper))
            exam = Exam.objects.create(
                union=union,
                title=f"{year}年{title}",
                opens_at=opens,
                closes_at=closes,
                pass_mark=60,
                created_by=actor,
            )
            exam.questions.set(paper)
            last = min(closes, _tz(today, 17))
            sat = _sittings(union, rng, exam, paper, members, last, sitting, bulk)
            if focus == "安全生产":
                groups_of = {m.pk: m.group_id for m in members} if bulk else None
                _sat_as_safety_contest(union, exam, actor, sat, groups_of)


def _sittings(union, rng, exam, paper, members, last, sitting, bulk=False) -> list[Attempt]:
    """Members who sat `exam`, answering `paper`. With `bulk` (scale l) the rows
    are written without model instances' insert path (`insert_rows`); the
    instances returned then carry no primary key."""
    if last <= exam.opens_at:
        return []
    share = rng.uniform(*sitting)
    span = max(1, int((last - exam.opens_at).total_seconds()))
    skill = rng.uniform(0.72, 0.88)
    rows = []
    for m in members:
        if m.joined_on > exam.opens_at.date() or rng.random() > share:
            continue
        answers, correct = {}, 0
        for q in paper:
            right = rng.random() < skill
            correct += right
            answers[str(q.pk)] = _answer(q, right, rng)
        at = exam.opens_at + timedelta(seconds=rng.randint(0, span - 1))
        score = services.score_of(correct, len(paper))
        rows.append(
            Attempt(
                union=union,
                exam=exam,
                member_id=m.pk,
                submitted_at=at,
                on=timezone.localtime(at).date(),
                answers=answers,
                correct=correct,
                total=len(paper),
                score=score,
                passed=score >= exam.pass_mark,
            )
        )
    if not bulk:
        Attempt.objects.bulk_create(rows, batch_size=2000)
        return rows
    columns = ("member", "submitted_at", "on", "answers", "correct", "total", "score", "passed")
    insert_rows(
        Attempt,
        fixed={"union": union.pk, "exam": exam.pk},
        columns=columns,
        rows=(
            (a.member_id, a.submitted_at, a.on, a.answers, a.correct, a.total, a.score, a.passed)
            for a in rows
        ),
    )
    return rows


def _sat_as_safety_contest(union, exam, actor, sittings, groups_of=None) -> None:
    """The safety month's knowledge contest (issue 5 §1) is sat as this exam:
    the year's safety contest, written by the safety filler, is linked to it
    and its per-group results are taken from the sittings. With `groups_of`
    (member -> group; scale l), from the sittings in memory, as
    take_results_from_exam computes them, without reading every sitter back."""
    from django.core.exceptions import ValidationError

    from gonghui.safety import services as safety
    from gonghui.safety.models import Contest

    contest = (
        Contest.objects.filter(union=union, held_on__year=exam.opens_at.year, exam_id__isnull=True)
        .order_by("held_on", "pk")
        .first()
    )
    if contest is None:
        return
    contest.exam = exam
    contest.held_on = timezone.localtime(exam.opens_at).date()
    contest.save(update_fields=["exam_type", "exam_id", "held_on"])
    if groups_of is not None:
        rows = _contest_rows(exam, sittings, groups_of)
        if rows:  # else nobody in a group sat it: the directly recorded results stay
            safety.record_contest_results(contest=contest, rows=rows, actor=actor)
        return
    try:
        safety.take_results_from_exam(contest=contest, actor=actor)
    except ValidationError:
        pass  # nobody in a group sat it: the directly recorded results stay


def _contest_rows(exam, sittings, groups_of) -> list[dict]:
    """Per group, by name: the audience (members expected to sit it, at least
    those who did), the sittings, those passed and the average score."""
    from gonghui.learning.queries import exam_audience

    audience = dict(exam_audience(exam).values_list("group_id").annotate(n=Count("pk")).order_by())
    by_group: dict[int, list[Attempt]] = {}
    for attempt in sittings:
        group_id = groups_of[attempt.member_id]
        if group_id is not None:
            by_group.setdefault(group_id, []).append(attempt)
    rows = []
    for group in sorted(Group.objects.filter(pk__in=list(by_group)), key=lambda g: g.name):
        own = by_group[group.pk]
        average = sum(Decimal(str(a.score)) for a in own) / len(own)
        rows.append(
            {
                "group": group,
                "audience": max(audience.get(group.pk, 0), len(own)),
                "participants": len(own),
                "passed": sum(a.passed for a in own),
                "average_score": average.quantize(Decimal("0.1")),
            }
        )
    return rows


def _contests(union, rng, start, today, school, members) -> None:
    if school:
        plan = [("青年教师教学基本功比赛", "课堂教学", ContestLevel.INTERNAL, 11)]
    else:
        plan = [
            (
                "职工岗位练兵技能比武",
                rng.choice(["电工", "焊工", "钳工", "叉车", "数控车工"]),
                ContestLevel.INTERNAL,
                9,
            ),
            (
                "区职工职业技能大赛",
                rng.choice(["电工", "焊工", "育婴员", "快递员"]),
                ContestLevel.DISTRICT,
                5,
            ),
        ]
    awards = ["一等奖", "二等奖", "二等奖", "三等奖", "三等奖", "三等奖"]
    for year in range(start.year, today.year + 1):
        for title, trade, level, month in plan:
            on = date(year, month, rng.randint(5, 25))
            if on > today:
                continue
            entrants = rng.sample(members, min(len(members), rng.randint(6, 24)))
            scores = sorted((round(rng.uniform(62, 98), 1) for _ in entrants), reverse=True)
            contest = SkillContest.objects.create(
                union=union,
                title=f"{year}年{title}",
                trade=trade,
                level=level,
                on=on,
                organiser="区总工会" if level == ContestLevel.DISTRICT else union.name,
            )
            SkillResult.objects.bulk_create(
                SkillResult(
                    union=union,
                    contest=contest,
                    member=m,
                    score=Decimal(str(s)),
                    rank=i + 1,
                    award=awards[i] if i < len(awards) else "优秀奖",
                )
                for i, (m, s) in enumerate(zip(entrants, scores, strict=True))
            )


def _qualifications(union, rng, start, today, members, sessions) -> None:
    rows = []
    chair = (
        Post.objects.filter(union=union, kind=PostKind.CHAIR, member__status="active")
        .select_related("member")
        .order_by("-term__number")
        .first()
    )
    if chair is not None:
        obtained = min(date(start.year, rng.randint(4, 11), rng.randint(1, 28)), today)
        rows.append(
            Qualification(
                union=union,
                member=chair.member,
                kind=QualificationKind.CHAIR,
                title="基层工会主席任职资格培训合格证书",
                issuer="市总工会干部学校",
                number=f"GH{obtained.year}{rng.randint(1000, 9999)}",
                obtained_on=obtained,
                expires_on=obtained.replace(year=obtained.year + 5),
            )
        )
    for m in rng.sample(members, min(len(members), 2 + len(members) // 60)):
        obtained = start + timedelta(days=rng.randint(0, (today - start).days))
        kind = rng.choice(
            [QualificationKind.SKILL, QualificationKind.SKILL, QualificationKind.CADRE]
        )
        rows.append(
            Qualification(
                union=union,
                member=m,
                kind=kind,
                title=rng.choice(
                    ["职业技能等级证书（高级工）", "职业技能等级证书（技师）", "急救员证"]
                )
                if kind == QualificationKind.SKILL
                else "工会干部岗位培训结业证书",
                issuer="市人力资源和社会保障局" if kind == QualificationKind.SKILL else "区总工会",
                obtained_on=obtained,
            )
        )
    Qualification.objects.bulk_create(rows)
