"""Two years of a demo union's opinions and suggestions (职工意见, 合理化建议,
金点子), at about the seed's rate (上半年共收集职工意见465条，有效意见317条，
全部落实到位: roughly two in three valid, every valid one implemented once
its deadline has come).

Opinions are bulk-inserted with what voice.services keeps: judged after
submitted, a deadline after judging, implemented after judging and never
after today, a reason on every opinion not taken up, a reward only on a
valid one. A few rewards a year are paid from the union's fund through
voice.services.reward, so they are finance payments linked to the opinion.
"""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gonghui.demo import areas
from gonghui.demo.builder import insert_rows
from gonghui.finance.models import BudgetLine
from gonghui.finance.models import Category as FinanceCategory
from gonghui.members.models import Member, Status
from gonghui.orgs.models import Department, Union, UnionKind
from gonghui.voice import services
from gonghui.voice.models import ZERO, Category, Kind, Opinion, State

SCHOOL_KINDS = {UnionKind.SCHOOL, UnionKind.KINDERGARTEN}
# Opinions a member gives in a year, by kind of union.
RATE = {"school": 0.35, "enterprise": 0.45}
# Fund-paid rewards a year, through the service.
PAID_REWARDS = 3
OVER_BUDGET_REASON = "经工会委员会研究同意追加支出"

SCHOOL = [
    (
        Kind.OPINION,
        Category.TEACHING,
        "建议减少非教学性检查和填表",
        "教师非教学任务多，希望合并各类检查和表格，把时间还给课堂。",
    ),
    (
        Kind.OPINION,
        Category.LIVING,
        "教工食堂午餐品种单一",
        "建议增加面食和清淡菜品，并公布每周菜单。",
    ),
    (
        Kind.SUGGESTION,
        Category.TEACHING,
        "建立学科共享题库",
        "各年级组的练习和试卷分散保存，建议建立学科共享题库，减少重复劳动。",
    ),
    (
        Kind.OPINION,
        Category.LIVING,
        "教师停车位紧张",
        "早上送孩子的家长车辆占用教师车位，建议划定教师专用区域。",
    ),
    (
        Kind.SUGGESTION,
        Category.MANAGEMENT,
        "课后服务排班提前公布",
        "建议课后服务排班至少提前两周公布，便于教师安排家庭事务。",
    ),
    (
        Kind.IDEA,
        Category.CULTURE,
        "成立教工羽毛球社",
        "利用体育馆周三傍晚时段，成立教工羽毛球社，增强体质。",
    ),
    (
        Kind.OPINION,
        Category.PAY,
        "班主任津贴标准偏低",
        "班主任工作量大，建议在绩效方案中提高班主任津贴。",
    ),
    (
        Kind.SUGGESTION,
        Category.SAFETY,
        "实验室危化品管理",
        "建议实验室危化品实行双人双锁，并定期盘点。",
    ),
    (
        Kind.IDEA,
        Category.TEACHING,
        "青年教师“师徒结对”线上记录",
        "师徒听课、评课记录改为线上填写，方便统计和交流。",
    ),
    (
        Kind.OPINION,
        Category.LIVING,
        "办公室空调老化",
        "三楼办公室空调制冷效果差，夏天影响办公，建议检修或更换。",
    ),
    (
        Kind.SUGGESTION,
        Category.MANAGEMENT,
        "教职工体检增加项目",
        "建议体检增加颈椎、甲状腺彩超等教师职业病相关项目。",
    ),
    (
        Kind.OPINION,
        Category.OTHER,
        "教师休息室设置",
        "建议在教学楼设置教师休息室，配饮水机和微波炉。",
    ),
]
ENTERPRISE = [
    (
        Kind.OPINION,
        Category.LIVING,
        "夜班职工就餐不便",
        "夜班时段食堂不开放，建议延长供餐时间或提供夜宵。",
    ),
    (
        Kind.SUGGESTION,
        Category.PRODUCTION,
        "包装工序改用自动封箱机",
        "人工封箱效率低，建议包装线加装自动封箱机，预计每班可节省2人。",
    ),
    (
        Kind.IDEA,
        Category.PRODUCTION,
        "废边料回收再利用",
        "冲压废边料可回收用于小件加工，每年可节约材料费数万元。",
    ),
    (
        Kind.OPINION,
        Category.SAFETY,
        "车间通道照明不足",
        "二号车间东侧通道照明不足，夜班容易绊倒，建议增加照明。",
    ),
    (
        Kind.SUGGESTION,
        Category.SAFETY,
        "叉车作业区加装警示灯",
        "叉车倒车时视线受阻，建议加装蓝光警示灯和倒车雷达。",
    ),
    (
        Kind.OPINION,
        Category.PAY,
        "高温津贴发放时间",
        "希望高温津贴随当月工资发放，不要集中到年底。",
    ),
    (Kind.OPINION, Category.LIVING, "通勤班车线路", "新建小区职工较多，建议增开一条班车线路。"),
    (
        Kind.IDEA,
        Category.PRODUCTION,
        "设备点检表二维码化",
        "在设备上贴二维码，扫码填写点检记录，减少纸质表格。",
    ),
    (
        Kind.SUGGESTION,
        Category.MANAGEMENT,
        "交接班记录规范",
        "建议统一交接班记录格式，写明设备状态和遗留问题。",
    ),
    (
        Kind.OPINION,
        Category.LIVING,
        "宿舍热水供应不稳定",
        "职工宿舍晚间热水时有时无，建议检修热水器。",
    ),
    (
        Kind.IDEA,
        Category.PRODUCTION,
        "空压机余热回收",
        "利用空压机余热为浴室供热水，可节约燃气费用。",
    ),
    (
        Kind.OPINION,
        Category.CULTURE,
        "职工书屋开放时间",
        "建议职工书屋周末也开放，方便倒班职工借阅。",
    ),
    (
        Kind.SUGGESTION,
        Category.MANAGEMENT,
        "劳保用品按岗位配发",
        "不同岗位对手套、口罩的需求不同，建议按岗位标准配发。",
    ),
    (
        Kind.OPINION,
        Category.OTHER,
        "更衣室储物柜不足",
        "新入职员工较多，更衣室储物柜不够用，建议增加。",
    ),
]
INVALID_REASONS = [
    "属个人待遇问题，已转人力资源部门个别答复",
    "与已有意见重复，合并办理",
    "超出本单位职权范围，已向上级反映",
    "现有制度已有规定，已向提出人解释说明",
    "条件暂不具备，列入明年计划研究",
]
DONE = [
    "已按建议整改完成，经提出人确认满意。",
    "已制定整改方案并实施，效果良好。",
    "已采纳并在全{unit}推广。",
    "已完成维修更换，问题解决。",
]


def _day(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, max(0, (end - start).days)))


@transaction.atomic
def fill(*, union: Union, rng: random.Random, today: date, actor, bulk: bool = False) -> None:
    """With `bulk` (scale l), this year's opinions and suggestions only."""
    members = list(
        Member.objects.filter(union=union, status=Status.ACTIVE)
        .order_by("pk")
        .values_list("pk", "department_id")
    )
    if not members:
        return
    school = union.kind in SCHOOL_KINDS
    items = SCHOOL if school else ENTERPRISE
    unit = "校" if school else "公司"
    departments = list(Department.objects.filter(union=union).values_list("pk", flat=True))
    by_department: dict[int, list[int]] = {}
    for pk, department_id in members:
        if department_id is not None:
            by_department.setdefault(department_id, []).append(pk)
    rate = RATE["school" if school else "enterprise"]
    start = date(areas.years(today, bulk)[0], 1, 1)
    days = (today - start).days + 1
    count = max(2, round(len(members) * rate * days / 365 * rng.uniform(0.8, 1.2)))
    now = timezone.now()
    rows = []
    for _ in range(count):
        member_id, _dep = rng.choice(members)
        kind, category, title, content = rng.choice(items)
        submitted = _day(rng, start, today)
        recorded_by = actor.pk if (actor and rng.random() < 0.35) else None
        state, judged_on, reason, judged_by = State.SUBMITTED, None, "", None
        handler_department, handler, deadline = None, None, None
        implemented_on, implementation = None, ""
        reward, rewarded_on = ZERO, None
        judged = submitted + timedelta(days=rng.randint(2, 12))
        if judged <= today:
            judged_on, judged_by = judged, (actor.pk if actor else None)
            if rng.random() < 0.68:
                state = State.HANDLING
                if departments:
                    handler_department = rng.choice(departments)
                    staff = by_department.get(handler_department)
                    handler = rng.choice(staff) if staff else None
                deadline = judged + timedelta(days=rng.choice((15, 30, 30, 45)))
                # Nearly all on time; a few a little late.
                done = judged + timedelta(
                    days=rng.randint(3, (deadline - judged).days)
                    if rng.random() < 0.93
                    else (deadline - judged).days + rng.randint(1, 20)
                )
                if done <= today:
                    state, implemented_on = State.IMPLEMENTED, done
                    implementation = rng.choice(DONE).format(unit=unit)
                    if kind != Kind.OPINION and rng.random() < 0.3:
                        paid = done + timedelta(days=rng.randint(5, 40))
                        if paid <= today:
                            reward = Decimal(rng.choice((50, 100, 100, 200, 300, 500)))
                            rewarded_on = paid
            else:
                state, reason = State.INVALID, rng.choice(INVALID_REASONS)
        rows.append(
            (
                member_id,
                kind,
                category,
                title,
                content,
                submitted,
                recorded_by,
                state,
                judged_on,
                reason,
                judged_by,
                handler_department,
                handler,
                deadline,
                implemented_on,
                implementation,
                reward,
                rewarded_on,
            )
        )
    rows.sort(key=lambda r: r[5])
    insert_rows(
        Opinion,
        fixed={"union": union.pk, "source_type": None, "source_id": None, "created_at": now},
        columns=(
            "member",
            "kind",
            "category",
            "title",
            "content",
            "submitted_on",
            "recorded_by",
            "state",
            "judged_on",
            "judgement_reason",
            "judged_by",
            "handler_department",
            "handler",
            "deadline",
            "implemented_on",
            "implementation",
            "reward_amount",
            "rewarded_on",
        ),
        rows=rows,
    )
    _paid_rewards(union=union, rng=rng, today=today, actor=actor, bulk=bulk)


def _paid_rewards(*, union: Union, rng: random.Random, today: date, actor, bulk: bool) -> None:
    """A few golden ideas a year rewarded from the fund's 其他支出 line."""
    if actor is None:
        return
    for year in areas.years(today, bulk):
        line = BudgetLine.objects.filter(
            union=union, fiscal_year__year=year, category=FinanceCategory.OTHER_EXPENDITURE
        ).first()
        if line is None:
            continue
        candidates = list(
            Opinion.objects.filter(
                union=union,
                state=State.IMPLEMENTED,
                rewarded_on__isnull=True,
                kind=Kind.IDEA,
                implemented_on__year=year,
            )
            .select_related("member", "union")
            .order_by("pk")[:50]
        )
        chosen = rng.sample(candidates, min(PAID_REWARDS, len(candidates)))
        for number, opinion in enumerate(chosen, start=1):
            on = min(opinion.implemented_on + timedelta(days=rng.randint(5, 30)), today)
            if on.year != year:
                continue
            try:
                services.reward(
                    opinion=opinion,
                    amount=str(rng.choice((200, 300, 500))),
                    on=on,
                    line=line,
                    voucher=f"记{year}-J{number:03d}",
                    over_budget_reason=OVER_BUDGET_REASON,
                    actor=actor,
                )
            except ValidationError:
                continue  # a closed year, say: the reward stays unpaid
