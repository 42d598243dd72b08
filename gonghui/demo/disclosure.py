"""Two years of a demo union's open affairs (厂务公开 / 校务公开 / 园务公开):
the year's business or school-work targets, pay and benefit plans, the
union's plan and budget (built from the finance ledger already filled), the
half-yearly statements, congress resolutions, awards and personnel notices;
members' first reads, their questions and the union's replies.

Posts and the fan-out rows (reads, questions) are bulk-inserted with what
disclosure.services keeps: bodies sanitised, a read once per member and
post and never before the post went up, a reply after its question. The
read rate varies by union; very large unions record fewer reads per post so
the rows stay around a million.
"""

import random
from datetime import date, datetime, time, timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gonghui.demo import areas
from gonghui.demo.builder import insert_rows
from gonghui.disclosure.models import Audience, Category, Feedback, FeedbackKind, Post, Read
from gonghui.disclosure.services import budget_post, sanitise
from gonghui.finance.models import FiscalYear
from gonghui.members.models import Member, Status
from gonghui.orgs.models import RoleAssignment, Union, UnionKind
from gonghui.orgs.roles import Role

SCHOOL_KINDS = {UnionKind.SCHOOL, UnionKind.KINDERGARTEN}
# Reads written for one union at most (members × posts × read share).
MAX_READS = 1_000_000

# (month, category, title, audience, paragraphs); {y} is the year, {place} 学校/幼儿园/公司.
SCHOOL_POSTS = [
    (
        1,
        Category.PLAN_BUDGET,
        "{y}年度工会工作计划",
        Audience.ALL,
        [
            "围绕学校中心工作，{y}年工会重点做好教代会、校务公开、教职工关爱和文体活动四项工作。",
            "全年计划组织教职工健步走、趣味运动会、读书沙龙等活动，开展“送温暖”和金秋助学。",
        ],
    ),
    (
        2,
        Category.BUSINESS,
        "{y}年{place}工作计划和发展目标",
        Audience.ALL,
        [
            "本学年{place}以提升教育教学质量为中心，推进课堂教学改革和教师专业发展。",
            "重点项目：校园设施改造、青年教师培养工程、课后服务提质。",
        ],
    ),
    (
        3,
        Category.PAY,
        "{y}年教职工奖励性绩效工资分配方案",
        Audience.ALL,
        [
            "方案经教代会审议通过，现予公开。奖励性绩效按工作量、教学实绩和考勤综合核定。",
            "班主任津贴、超课时补贴标准同步公开，如有疑问请在公示期内提出。",
        ],
    ),
    (
        4,
        Category.RESOLUTIONS,
        "第{n}届教代会第{m}次会议决议",
        Audience.ALL,
        [
            "大会审议通过了校长工作报告、财务工作报告和工会工作报告。",
            "大会通过了《教职工奖励性绩效工资分配方案》，代表提案已交有关部门办理。",
        ],
    ),
    (
        5,
        Category.HONORS,
        "{y}年度“优秀教师”“优秀班主任”评选结果公示",
        Audience.ALL,
        [
            "经教研组推荐、评审小组评议，拟推荐以下同志为优秀教师、优秀班主任，公示期5个工作日。",
        ],
    ),
    (
        6,
        Category.PERSONNEL,
        "{y}年教师职称评聘推荐人选公示",
        Audience.ALL,
        [
            "根据职称评审条件和量化评分结果，现将推荐人选予以公示，公示期7天。",
        ],
    ),
    (7, Category.FINANCE, "{y}年上半年工会经费收支情况", Audience.ALL, None),
    (
        9,
        Category.PAY,
        "新学年岗位设置与课时安排",
        Audience.ALL,
        [
            "新学年教师岗位设置、课时安排和班主任聘任情况公开如下，请教职工监督。",
        ],
    ),
    (
        10,
        Category.OTHER,
        "教职工体检安排通知",
        Audience.ALL,
        [
            "今年教职工体检安排在本月下旬，分三批进行，女教职工增加妇科和乳腺检查项目。",
        ],
    ),
    (
        11,
        Category.RESOLUTIONS,
        "教代会代表提案办理情况通报",
        Audience.REPRESENTATIVES,
        [
            "本届教代会共收到提案，已全部答复；现将办理情况向代表通报。",
        ],
    ),
    (
        12,
        Category.HONORS,
        "{y}年度师德标兵和优秀工会积极分子名单公示",
        Audience.ALL,
        [
            "经各工会小组推荐、工会委员会审议，现公示如下，公示期5个工作日。",
        ],
    ),
]
ENTERPRISE_POSTS = [
    (
        1,
        Category.BUSINESS,
        "{y}年度生产经营目标和降本增效目标",
        Audience.ALL,
        [
            "{y}年公司计划实现产值同比增长8%，降低综合成本3%，安全生产零事故。",
            "各车间、部门的分解目标和考核办法见附件。",
        ],
    ),
    (
        1,
        Category.PLAN_BUDGET,
        "{y}年度工会工作计划",
        Audience.ALL,
        [
            "{y}年工会将围绕职代会制度、厂务公开、工资集体协商、劳动保护和职工关爱开展工作。",
        ],
    ),
    (
        3,
        Category.PAY,
        "{y}年工资集体协商结果和工资调整方案",
        Audience.ALL,
        [
            "经四轮协商并经职代会表决通过，{y}年职工工资平均增长幅度、最低工资标准和津贴补贴标准如下。",
        ],
    ),
    (
        3,
        Category.RESOLUTIONS,
        "第{n}届职代会第{m}次会议决议",
        Audience.ALL,
        [
            "大会审议通过了总经理工作报告、财务预决算报告和工资集体协商协议草案。",
        ],
    ),
    (
        4,
        Category.PAY,
        "高温津贴和夏季防暑降温安排",
        Audience.ALL,
        [
            "6月至9月发放高温津贴，一线岗位每人每月300元，防暑降温用品按班组发放。",
        ],
    ),
    (
        5,
        Category.HONORS,
        "{y}年“五一”先进集体和先进个人评选结果公示",
        Audience.ALL,
        [
            "经班组推荐、工会委员会评审，拟表彰以下先进集体和先进个人，公示期5个工作日。",
        ],
    ),
    (
        6,
        Category.PERSONNEL,
        "中层管理人员竞聘上岗结果公示",
        Audience.ALL,
        [
            "根据竞聘方案，经笔试、面试和民主测评，拟聘用以下人员，公示期7天。",
        ],
    ),
    (7, Category.FINANCE, "{y}年上半年工会经费收支情况", Audience.ALL, None),
    (
        8,
        Category.BUSINESS,
        "上半年生产经营情况通报",
        Audience.REPRESENTATIVES,
        [
            "上半年完成产值目标的52%，成本控制在预算之内，安全生产形势平稳。",
        ],
    ),
    (
        9,
        Category.PAY,
        "职工带薪年休假和疗休养安排",
        Audience.ALL,
        [
            "下半年疗休养分四批进行，一线职工优先，请各班组于月底前报名。",
        ],
    ),
    (
        10,
        Category.OTHER,
        "食堂伙食和职工通勤班车调整",
        Audience.ALL,
        [
            "根据职工意见，食堂增加夜班餐，通勤班车增开一条线路。",
        ],
    ),
    (
        11,
        Category.RESOLUTIONS,
        "职代会提案办理情况通报",
        Audience.REPRESENTATIVES,
        [
            "本届职代会提案已全部答复，现将办理和落实情况向职工代表通报。",
        ],
    ),
    (
        12,
        Category.HONORS,
        "{y}年度优秀员工和“金点子”获奖名单公示",
        Audience.ALL,
        [
            "年度优秀员工和合理化建议“金点子”奖评选结果如下，公示期5个工作日。",
        ],
    ),
]
QUESTIONS = {
    Category.PAY: [
        "绩效工资什么时候发放？",
        "岗位系数是怎么确定的？",
        "新入职人员是否参加本次调整？",
        "津贴标准和去年相比有什么变化？",
    ],
    Category.PLAN_BUDGET: ["今年的疗休养经费是多少？", "职工活动经费如何分配到各小组？"],
    Category.FINANCE: ["慰问支出包括哪些项目？", "上级补助收入是否已经到账？"],
    Category.BUSINESS: ["降本目标会不会影响一线岗位的奖金？", "新项目需要增加人手吗？"],
    Category.HONORS: ["评选的量化标准在哪里可以看到？", "对公示名单有异议应向谁反映？"],
    Category.PERSONNEL: ["评分细则是否公开？", "未入选人员可以申请复核吗？"],
    Category.RESOLUTIONS: ["提案办理结果在哪里查看？"],
    Category.OTHER: ["能否增加周末的安排？", "退休职工是否也可以参加？"],
}
REPLIES = [
    "感谢关注。具体标准见正文附件，如仍有疑问可到工会办公室当面咨询。",
    "已与有关部门核实，将按方案规定执行，发放时间另行通知。",
    "您的意见已转交相关部门研究，结果将在下次公开时一并说明。",
    "按照方案，新入职人员转正后参加调整。",
]


def _body(paragraphs, y: int, place: str) -> str:
    return sanitise("".join(f"<p>{p.format(y=y, place=place)}</p>" for p in paragraphs))


def _moment(day: date, rng: random.Random) -> datetime:
    return datetime.combine(
        day, time(rng.randint(7, 21), rng.randint(0, 59)), tzinfo=timezone.get_current_timezone()
    )


@transaction.atomic
def fill(*, union: Union, rng: random.Random, today: date, actor, bulk: bool = False) -> None:
    """With `bulk` (scale l), this year's posts only, read in the portal by a
    tenth to a quarter of the roll: a city's small enterprises mostly read
    the paper board (docs/scaling.md)."""
    members = list(
        Member.objects.filter(union=union, status=Status.ACTIVE).values_list("pk", "user_id")
    )
    if not members:
        return
    school = union.kind in SCHOOL_KINDS
    place = "幼儿园" if union.kind == UnionKind.KINDERGARTEN else ("学校" if school else "公司")
    templates = SCHOOL_POSTS if school else ENTERPRISE_POSTS
    small = len(members) < 200
    rep_users = set(
        RoleAssignment.objects.filter(union=union, role=Role.REPRESENTATIVE).values_list(
            "user_id", flat=True
        )
    )
    reps = {pk for pk, user_id in members if user_id in rep_users}
    year_type = ContentType.objects.get_for_model(FiscalYear)
    years = {fy.year: fy for fy in FiscalYear.objects.filter(union=union).select_related("union")}
    now = timezone.now()
    # Nothing after the end of `today`, the demo's present.
    end = datetime.combine(today, time(23, 59), tzinfo=timezone.get_current_timezone())

    posts = []  # (publish_on, category, title, body, audience, source_id)
    for y in areas.years(today, bulk):
        for month, category, title, audience, paragraphs in templates:
            if small and rng.random() < 0.3:
                continue  # a small union discloses less
            on = date(y, month, rng.randint(3, 26))
            if on > today:
                continue
            source_id = None
            if paragraphs is None or category == Category.PLAN_BUDGET:
                fiscal_year = years.get(y)
                if fiscal_year is None:
                    if paragraphs is None:
                        continue
                    body = _body(paragraphs, y, place)
                else:
                    what = "statement" if paragraphs is None else "budget"
                    try:
                        category, title, body = budget_post(
                            fiscal_year=fiscal_year, what=what, today=on
                        )
                    except ValidationError:
                        continue
                    source_id = fiscal_year.pk
                    if what == "statement":
                        title = f"{y}年上半年工会经费收支情况"
            else:
                body = _body(paragraphs, y, place)
            title = title.format(y=y, place=place, n=max(1, y - 2018), m=1)
            posts.append((on, category, title, body, audience, source_id))
    if not posts:
        return
    insert_rows(
        Post,
        fixed={
            "union": union.pk,
            "withdraw_on": None,
            "withdraw_reason": "",
            "created_by": actor.pk if actor else None,
            "created_at": now,
            "source_type": None,
        },
        columns=("publish_on", "category", "title", "body", "audience", "source_id"),
        rows=posts,
    )
    saved = list(
        Post.objects.filter(union=union)
        .order_by("pk")
        .values_list("pk", "publish_on", "audience", "category", "source_id")
    )
    Post.objects.filter(union=union, source_id__isnull=False).update(source_type=year_type)

    everyone = [pk for pk, _ in members]
    share_cap = MAX_READS / (len(everyone) * max(1, len(saved)))
    read_share = min(rng.uniform(*((0.1, 0.25) if bulk else (0.4, 0.8))), share_cap)
    reads, asked = [], []
    for post_id, on, audience, category, _ in saved:
        audience_ids = everyone if audience == Audience.ALL else sorted(reps)
        if not audience_ids:
            continue
        # Recent posts have been read by fewer members so far.
        age = (today - on).days
        share = read_share * (min(age, 14) + 1) / 15
        readers = rng.sample(audience_ids, int(len(audience_ids) * share))
        opened = _moment(on, rng)
        # Most read within days of publishing; a few weeks later.
        most = min(age * 24, 30 * 24)
        draws = [min(most, int(rng.expovariate(1 / 40))) for _ in range(min(len(readers), 500))]
        # Few distinct times per post: each distinct value costs a field
        # conversion in insert_rows, a million of them would dominate.
        times = {h: min(opened + timedelta(hours=h, minutes=h * 37 % 60), end) for h in draws}
        for i, member_id in enumerate(readers):
            reads.append((post_id, member_id, times[draws[i % len(draws)]]))
        n_questions = min(len(readers) // 40 + (1 if rng.random() < 0.3 else 0), 6)
        for asker in rng.sample(readers, min(n_questions, len(readers))):
            at = min(_moment(on + timedelta(days=rng.randint(0, 6)), rng), end)
            replied = at + timedelta(days=rng.randint(1, 5))
            if replied > end:
                reply, public, replied_at = "", True, None
            else:
                reply, public, replied_at = rng.choice(REPLIES), rng.random() < 0.75, replied
            asked.append(
                (
                    post_id,
                    asker,
                    FeedbackKind.QUESTION if rng.random() < 0.8 else FeedbackKind.FEEDBACK,
                    rng.choice(QUESTIONS[category]),
                    at,
                    reply,
                    public,
                    replied_at,
                    actor.pk if (actor and replied_at) else None,
                )
            )
    insert_rows(
        Read,
        fixed={"union": union.pk},
        columns=("post", "member", "first_read_at"),
        rows=reads,
    )
    insert_rows(
        Feedback,
        fixed={"union": union.pk},
        columns=(
            "post",
            "member",
            "kind",
            "content",
            "asked_at",
            "reply",
            "reply_public",
            "replied_at",
            "replied_by",
        ),
        rows=asked,
    )
