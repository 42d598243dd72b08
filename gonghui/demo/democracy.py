"""A demo union's representative congress (教代会 for schools, 职代会 for
enterprises) over two years: one term (届) elected last year, its session
(次会议) each year with sign-in, agenda, resolutions and published results, and
the representatives' proposals (提案) from draft to rated reply.

The headline records go through democracy.services: the congress, quotas,
sessions, agenda items, resolution votes, closing and publishing, and every
proposal's draft, co-signatures, submission, committee decision, handler's
reply and proposer's rating. Only the fan-out rows are bulk-written with what
the services keep: representatives (active members, within their group's
quota, once per term) and the session sign-ins (one per representative
present, before any vote). Timestamps the services stamp with the clock
(publication, drafting, co-signing) are moved back to the demo's dates.

Unions under MIN_MEMBERS hold a members' meeting instead and are skipped.
The `s` school and the `m` enterprise get the seed reports' volumes of
proposals; each of the `l` city's unions a handful.
"""

import math
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Case, Value, When
from django.utils import timezone

from gonghui.demo.builder import insert_rows
from gonghui.democracy.models import (
    AgendaItem,
    AgendaKind,
    CongressKind,
    CongressSession,
    CoSignature,
    PassBasis,
    Proposal,
    ProposalCategory,
    ProposalReply,
    ProposalState,
    Rating,
    Representative,
    RepresentativeCategory,
    RepresentativeQuota,
    Resolution,
    ResolutionState,
    ResolutionVote,
    SessionAttendance,
    SessionState,
    SignInMethod,
    VoteChoice,
    VoteMode,
)
from gonghui.democracy.services import congress as congress_services
from gonghui.democracy.services import proposals as proposal_services
from gonghui.disclosure.models import Post
from gonghui.members.models import Gender, Member, Status
from gonghui.members.services import create_portal_account
from gonghui.orgs.models import Department, Group, Union, UnionKind
from gonghui.orgs.roles import Role
from gonghui.orgs.services import assign_role

MIN_MEMBERS = 30
SCHOOL_KINDS = {UnionKind.SCHOOL, UnionKind.KINDERGARTEN}
# Members per representative: a school's 教代会 about one in nine; an
# enterprise's 职代会 one in ten up to MAX_REPRESENTATIVES.
SCHOOL_RATIO = 9
ENTERPRISE_RATIO = 10
MAX_REPRESENTATIVES = 300
MANAGER_SHARE = 0.15
# Proposals a year per representative, and the cap for the `l` city's unions.
SCHOOL_RATE = (0.8, 1.3)
ENTERPRISE_RATE = (0.35, 0.5)
MAX_PROPOSALS = 150
CITY_MAX_PROPOSALS = 3

MANAGER_WORDS = ("校长", "主任", "科长", "部长", "书记", "总监")
TECHNICAL_WORDS = ("工程师", "技术员", "会计", "校医", "网络管理员", "成本核算")
OTHER_WORDS = ("专员", "秘书", "内勤", "出纳", "策划")

SCHOOL_PLACES = ["学校报告厅", "学术报告厅", "综合楼多功能厅"]
ENTERPRISE_PLACES = ["公司职工活动中心大礼堂", "公司行政楼一楼会议中心", "职工培训中心报告厅"]
# Departments an enterprise proposal may be about (workshops, not offices).
PRODUCTION_WORDS = ("厂", "车间", "仓储", "物流", "质量", "设备", "后勤")
SCHOOL_WHERE = ["教学楼", "实验楼", "综合楼", "幼儿部", "行政楼", "体育馆"]

# (category, title, reason, measures, lead department keywords, what the reply says)
SCHOOL_THEMES = [
    (
        ProposalCategory.LIVING,
        "关于改善教工食堂午餐质量的建议",
        "教工食堂菜品品种单一，口味偏重，部分教师反映午餐吃不饱、吃不好。",
        "每周公布菜单，增加面食和清淡菜品；成立伙食管理小组，定期征求教职工意见。",
        ("总务",),
        "已与食堂承包方约谈，自下月起每周公布菜单，增加面食窗口，并由工会牵头成立伙食管理小组",
    ),
    (
        ProposalCategory.LIVING,
        "关于增设教师专用停车位的建议",
        "早晚接送学生的家长车辆占用校内车位，教师上班停车困难。",
        "在{where}东侧划定教师专用停车区域，安排保安高峰时段疏导。",
        ("总务",),
        "已在{where}东侧新划教师车位二十余个，并安排保安在上下学高峰时段疏导车辆",
    ),
    (
        ProposalCategory.TRAINING,
        "关于加大青年教师外出培训力度的建议",
        "青年教师外出学习机会少，专业成长缺少平台。",
        "每学期安排青年教师参加市、区级培训，建立外出学习汇报制度。",
        ("教务",),
        "已将青年教师培训纳入年度师训计划，每学期至少安排一次市区级培训，学习后在教研组内汇报",
    ),
    (
        ProposalCategory.SAFETY,
        "关于加强校门口上下学交通安全管理的建议",
        "上下学高峰时段校门口车辆拥堵，存在学生安全隐患。",
        "联系交警和社区设置临时停车带，安排值周教师和家长志愿者护导。",
        ("德育", "总务"),
        "已与辖区交警中队协调设置临时停车带，值周教师和家长志愿者在高峰时段护导",
    ),
    (
        ProposalCategory.OPERATIONS,
        "关于更新{where}多媒体教学设备的建议",
        "{where}部分教室的投影仪和电子白板使用多年，画面模糊，经常故障，影响上课。",
        "分批更换老旧投影设备，建立设备报修快速响应机制。",
        ("总务", "教务"),
        "已将{where}教室的多媒体设备更新列入本年度装备计划，分两批更换，报修实行当日响应",
    ),
    (
        ProposalCategory.PAY,
        "关于提高班主任津贴标准的建议",
        "班主任工作量大、责任重，现行津贴标准多年未调整。",
        "在绩效工资分配方案中提高班主任津贴，并向低年级班主任适当倾斜。",
        ("校长办公室",),
        "学校已在修订绩效工资分配方案时提高班主任津贴标准，方案经教代会审议通过后执行",
    ),
    (
        ProposalCategory.OPERATIONS,
        "关于减少非教学性事务负担的建议",
        "各类检查、填表、报送材料较多，占用教师备课和辅导时间。",
        "梳理合并各类报表，能共享的数据不重复填报，非教学任务由行政部门统筹。",
        ("校长办公室",),
        "已梳理各部门报表，合并重复填报事项，非教学性任务统一由办公室归口安排",
    ),
    (
        ProposalCategory.LIVING,
        "关于在{where}设立教师休息室的建议",
        "{where}没有教师休息场所，教师课间和午间无处休息。",
        "利用闲置房间设立教师休息室，配备饮水机、微波炉和沙发。",
        ("总务",),
        "已将{where}一间闲置教室改建为教师休息室，配备饮水机、微波炉和沙发",
    ),
    (
        ProposalCategory.PAY,
        "关于完善绩效工资考核方案的建议",
        "现行绩效考核指标偏重课时量，对教研、辅导等工作体现不足。",
        "增加教研成果、学生辅导等考核指标，考核结果公开公示。",
        ("校长办公室",),
        "学校已组织修订绩效考核细则，增加教研和辅导指标，考核结果在校务公开栏公示",
    ),
    (
        ProposalCategory.TRAINING,
        "关于建立校本教研共享资源库的建议",
        "各年级组的课件、练习和试卷分散保存，重复劳动多。",
        "建立学科共享资源库，按年级和单元整理，定期更新。",
        ("教务",),
        "已在学校网络平台开设学科资源库，由各教研组长负责整理上传，每学期更新",
    ),
    (
        ProposalCategory.LIVING,
        "关于增加教职工体检项目的建议",
        "教师颈椎病、咽喉炎、甲状腺疾病多发，现有体检项目针对性不强。",
        "体检增加颈椎检查、甲状腺彩超和喉镜等项目。",
        ("校长办公室", "总务"),
        "今年体检已增加颈椎、甲状腺彩超等项目，并为四十岁以上教职工增加专项检查",
    ),
    (
        ProposalCategory.SAFETY,
        "关于定期检修{where}消防设施的建议",
        "{where}部分灭火器过期，应急照明灯不亮。",
        "全面排查消防设施，建立每月检查台账。",
        ("总务",),
        "已对{where}消防设施全面排查，更换过期灭火器和损坏的应急照明，建立每月检查台账",
    ),
    (
        ProposalCategory.OPERATIONS,
        "关于优化课后服务排班的建议",
        "课后服务排班通知较晚，教师难以安排家庭事务。",
        "课后服务排班至少提前两周公布，允许教师之间调班。",
        ("教务",),
        "课后服务排班已改为每月初公布下月安排，教师可在教务处登记后调班",
    ),
    (
        ProposalCategory.DEMOCRACY,
        "关于及时公开校务信息的建议",
        "部分涉及教职工切身利益的事项公开不及时。",
        "在校务公开栏和工会平台及时公布评优、职称推荐和经费使用情况。",
        ("校长办公室",),
        "已明确评优评先、职称推荐和经费使用等事项在决定后五个工作日内公开",
    ),
    (
        ProposalCategory.LIVING,
        "关于改善幼儿部午休条件的建议",
        "幼儿部教师午间需看护幼儿午睡，自身无法休息。",
        "实行午间轮班看护，配备休息躺椅。",
        ("幼儿部",),
        "幼儿部已实行午间轮班看护制度，并为教师配备折叠躺椅",
    ),
    (
        ProposalCategory.OPERATIONS,
        "关于加强学生心理健康教育的建议",
        "学生心理问题有增多趋势，班主任缺乏专业支持。",
        "配齐专职心理教师，对班主任开展心理辅导培训。",
        ("德育",),
        "已增设心理辅导室开放时间，每学期为班主任开展两次心理辅导专题培训",
    ),
    (
        ProposalCategory.OTHER,
        "关于丰富教职工文体活动的建议",
        "教职工工作压力大，业余文体活动较少。",
        "成立羽毛球、瑜伽等教工社团，利用体育馆开展活动。",
        ("校长办公室",),
        "已协调体育馆每周三傍晚向教职工开放，工会组织成立羽毛球和瑜伽社团",
    ),
    (
        ProposalCategory.SAFETY,
        "关于规范实验室危化品管理的建议",
        "实验室危化品存放和领用登记不够规范。",
        "危化品实行双人双锁管理，定期盘点，领用登记。",
        ("教务", "总务"),
        "实验室危化品已实行双人双锁和领用登记，每月由总务处和教务处联合盘点",
    ),
]
ENTERPRISE_THEMES = [
    (
        ProposalCategory.LIVING,
        "关于延长夜班食堂供餐时间的建议",
        "夜班时段食堂不开放，夜班职工只能自带饭菜或点外卖。",
        "夜班供应夜宵，或在食堂设置自助售餐机。",
        ("后勤", "总经理办公室"),
        "食堂自下月起每晚23时至次日1时供应夜宵，并在食堂设置两台自助售餐机",
    ),
    (
        ProposalCategory.LIVING,
        "关于增加{where}附近职工停车位的建议",
        "{where}附近车位不足，职工车辆只能停在路边，存在安全隐患。",
        "利用空地新建停车场，划定电动车充电区域。",
        ("后勤", "总经理办公室"),
        "已利用{where}北侧空地新建停车位并设置电动车集中充电区",
    ),
    (
        ProposalCategory.SAFETY,
        "关于改善{where}通风降温条件的建议",
        "夏季{where}温度高，职工中暑风险大。",
        "加装工业风扇和冷风机，高温时段调整作业时间。",
        ("安全环保", "设备动力"),
        "已在{where}加装工业风扇和冷风机，高温期间调整作息时间并发放防暑降温用品",
    ),
    (
        ProposalCategory.SAFETY,
        "关于为{where}增配劳动防护用品的建议",
        "{where}部分岗位防护用品发放不足，手套、口罩更换周期过长。",
        "按岗位风险核定防护用品标准，缩短更换周期。",
        ("安全环保",),
        "已按岗位风险重新核定{where}劳动防护用品发放标准，手套口罩改为按周发放",
    ),
    (
        ProposalCategory.TRAINING,
        "关于开展{where}职工技能等级培训的建议",
        "{where}青年职工多，技能等级偏低，晋升通道不畅。",
        "与职业院校合作开展技能等级培训和认定，取证后给予补贴。",
        ("人力资源",),
        "已与区职业技术学校合作开设技能等级培训班，取证职工按等级给予一次性补贴",
    ),
    (
        ProposalCategory.OPERATIONS,
        "关于更新{where}老旧设备的建议",
        "{where}部分设备使用超过十年，故障多，维修频繁，影响生产效率。",
        "制定设备更新计划，分批淘汰高耗能老旧设备。",
        ("设备动力", "工程技术"),
        "已将{where}老旧设备更新列入年度技改计划，首批设备已完成更换",
    ),
    (
        ProposalCategory.PAY,
        "关于高温津贴按月随工资发放的建议",
        "高温津贴集中在年底发放，职工希望当月发放。",
        "高温津贴随当月工资一并发放，并在工资条中单列。",
        ("人力资源", "财务"),
        "自今年六月起高温津贴随当月工资发放，并在工资条中单独列示",
    ),
    (
        ProposalCategory.PAY,
        "关于完善一线职工绩效考核办法的建议",
        "一线职工绩效考核指标不够透明，职工对考核结果有疑问。",
        "公开考核指标和计算方法，设立考核申诉渠道。",
        ("人力资源",),
        "已修订一线职工绩效考核办法，考核指标在班组公示，并设立考核申诉渠道",
    ),
    (
        ProposalCategory.LIVING,
        "关于增开职工通勤班车线路的建议",
        "新建小区居住的职工较多，现有班车线路不经过，通勤不便。",
        "增开一条班车线路，并根据班次调整发车时间。",
        ("后勤", "总经理办公室"),
        "已增开一条通勤班车线路，发车时间与早中班交接时间衔接",
    ),
    (
        ProposalCategory.LIVING,
        "关于改善职工宿舍热水供应的建议",
        "宿舍热水供应时间短，夜班职工下班后没有热水。",
        "延长热水供应时间，改造空气能热水系统。",
        ("后勤",),
        "宿舍热水系统已完成空气能改造，实行全天候供应",
    ),
    (
        ProposalCategory.SAFETY,
        "关于{where}叉车通道划线和设置警示灯的建议",
        "{where}叉车与行人通道交叉，存在碰撞隐患。",
        "重新划分人车通道，叉车加装蓝光警示灯和倒车雷达。",
        ("安全环保", "物流"),
        "已在{where}重新划分人车分流通道，全部叉车加装蓝光警示灯和倒车雷达",
    ),
    (
        ProposalCategory.TRAINING,
        "关于建立青年职工导师带徒制度的建议",
        "新入职职工流失率较高，岗位技能上手慢。",
        "为新职工配备师傅，签订师徒协议，给予师傅带徒津贴。",
        ("人力资源",),
        "公司已出台导师带徒管理办法，新职工入职即配备师傅，师傅按月享受带徒津贴",
    ),
    (
        ProposalCategory.DEMOCRACY,
        "关于厂务公开栏及时更新的建议",
        "厂务公开栏内容更新不及时，部分事项职工不知情。",
        "明确公开事项和时限，同时在工会平台同步公开。",
        ("总经理办公室",),
        "已明确厂务公开事项清单和更新时限，并在工会平台同步发布",
    ),
    (
        ProposalCategory.PAY,
        "关于提高夜班津贴标准的建议",
        "夜班津贴标准多年未调整，与物价水平不相适应。",
        "参照同行业水平提高夜班津贴。",
        ("人力资源", "财务"),
        "经工资集体协商，夜班津贴标准自明年一月起提高",
    ),
    (
        ProposalCategory.OPERATIONS,
        "关于优化{where}工艺流程的建议",
        "{where}部分工序重复搬运，生产节拍不平衡。",
        "重新布置工位，减少中间搬运环节。",
        ("工程技术",),
        "已会同{where}完成工位重新布置，减少两道搬运工序",
    ),
    (
        ProposalCategory.LIVING,
        "关于在{where}增设休息室和饮水点的建议",
        "{where}职工休息时无处可坐，饮水点距离远。",
        "在{where}设置职工休息室，增设直饮水机。",
        ("后勤",),
        "已在{where}设置职工休息室，增设两台直饮水机",
    ),
    (
        ProposalCategory.OTHER,
        "关于丰富职工业余文化生活的建议",
        "职工业余生活单调，外地职工节假日留厂较多。",
        "开放职工书屋和健身房，节假日组织文体活动。",
        ("总经理办公室", "人力资源"),
        "职工书屋和健身房已延长开放时间，工会在节假日组织文体活动",
    ),
    (
        ProposalCategory.SAFETY,
        "关于加强{where}噪声防护和职业健康体检的建议",
        "{where}噪声较大，部分职工反映听力下降。",
        "配发降噪耳塞，每年组织职业健康体检。",
        ("安全环保",),
        "已为{where}职工配发降噪耳塞，并组织接触噪声岗位职工进行职业健康体检",
    ),
    (
        ProposalCategory.LIVING,
        "关于设立爱心妈咪小屋的建议",
        "哺乳期女职工没有合适的哺乳、吸奶场所。",
        "在行政楼和生产区各设一间爱心妈咪小屋。",
        ("后勤", "人力资源"),
        "已在行政楼和生产区各设一间爱心妈咪小屋，配备冰箱、沙发和洗手池",
    ),
    (
        ProposalCategory.OPERATIONS,
        "关于推行{where}物料定置管理的建议",
        "{where}物料摆放杂乱，查找耗时，影响质量追溯。",
        "推行定置管理和看板管理，物料标识到位。",
        ("质量管理", "工程技术"),
        "{where}已推行定置管理和看板管理，物料标识统一规范",
    ),
]
REJECT_REASONS = [
    "属于个人诉求，不符合提案立案条件，已转相关部门个别答复",
    "内容超出职代会职权范围，建议通过其他渠道反映",
    "相关工作已列入年度计划并正在实施，不再重复立案",
    "与已立案提案内容重复，已合并办理",
]
CONVERT_REASON = "属于工作建议，转为职工意见建议办理"
UNSATISFIED_COMMENTS = [
    "答复内容较笼统，没有明确完成时间，希望进一步落实",
    "问题只解决了一部分，希望继续跟进",
    "答复与提案内容不完全对应，请重新研究",
]
SATISFIED_COMMENTS = ["", "", "落实及时，感谢", "答复具体，措施到位", ""]


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _headline(union: Union) -> bool:
    """The `s` school and the `m` enterprise stand almost alone under their
    district; the `l` city's unions share theirs with hundreds."""
    return Union.objects.filter(parent_id=union.parent_id).count() <= 5


def _category(position: str) -> str:
    if any(w in position for w in MANAGER_WORDS) and "客户经理" not in position:
        return RepresentativeCategory.MANAGER
    if any(w in position for w in TECHNICAL_WORDS):
        return RepresentativeCategory.TECHNICAL
    if any(w in position for w in OTHER_WORDS):
        return RepresentativeCategory.OTHER
    return RepresentativeCategory.FRONT_LINE


@transaction.atomic
def fill(*, union: Union, rng: random.Random, today: date, actor, bulk: bool = False) -> None:
    """With `bulk` (scale l), the term is elected this year and holds its first
    session in spring, written row by row as the services would have left it
    (docs/scaling.md); `s` and `m` elect it last year and go through the services."""
    last_year = today.year if bulk else today.year - 1
    first_day = date(last_year, rng.randint(3, 4), rng.randint(1, 28))
    elected_on = first_day - timedelta(days=rng.randint(10, 21))
    members = list(
        Member.objects.filter(union=union, status=Status.ACTIVE, joined_on__lte=elected_on)
        .order_by("pk")
        .values("pk", "gender", "group_id", "department_id", "position")
    )
    if len(members) < MIN_MEMBERS:
        return
    school = union.kind in SCHOOL_KINDS
    congress = congress_services.create_congress(
        union=union,
        kind=CongressKind.STAFF if school else CongressKind.WORKERS,
        term=rng.randint(2, 6),
        starts_on=first_day,
        co_signers_min=2 if school else 3,
        actor=actor,
    )
    reps = _representatives(union, congress, members, rng, elected_on, school, bulk)
    days = _session_days(rng, first_day, today)
    if bulk:  # this year's term: its first session is its only one so far
        days = days[:1]
    hold = _session_in_bulk if bulk else _session
    sessions = []
    for number, day in enumerate(days, start=1):
        sessions.append(hold(congress, number, day, reps, rng, today, actor, school))
    if sessions:
        _proposals(union, congress, sessions, reps, rng, today, actor, school, bulk)


# Representatives ------------------------------------------------------------------------


def _representatives(
    union, congress, members, rng, elected_on, school, bulk=False
) -> list[Representative]:
    """Quotas per group in proportion to its members, filled so women are at
    least their share of the workforce and managers stay under a fifth."""
    ratio = SCHOOL_RATIO if school else ENTERPRISE_RATIO
    total = min(MAX_REPRESENTATIVES, max(10, math.ceil(len(members) / ratio)))
    by_group: dict[int, list[dict]] = {}
    for m in members:
        if m["group_id"] is not None:
            by_group.setdefault(m["group_id"], []).append(m)
    groups = {g.pk: g for g in Group.objects.filter(pk__in=by_group)}
    seats = _apportion({gid: len(ms) for gid, ms in by_group.items()}, total)
    women_share = sum(m["gender"] == Gender.FEMALE for m in members) / len(members)
    manager_budget = max(1, int(sum(seats.values()) * MANAGER_SHARE))
    chosen: dict[int, list[dict]] = {}
    for gid in sorted(seats):
        pool = list(by_group[gid])
        rng.shuffle(pool)
        picked: list[dict] = []
        for _ in range(seats[gid]):
            want_woman = rng.random() < min(0.95, women_share + 0.04)
            candidates = [m for m in pool if (m["gender"] == Gender.FEMALE) == want_woman] or pool
            candidates = [
                m
                for m in candidates
                if manager_budget > 0 or _category(m["position"]) != RepresentativeCategory.MANAGER
            ] or candidates
            pick = candidates[0]
            pool.remove(pick)
            if _category(pick["position"]) == RepresentativeCategory.MANAGER:
                manager_budget -= 1
            picked.append(pick)
        chosen[gid] = picked
    _repair_women(chosen, by_group, women_share)
    if bulk:  # what set_quota writes for a fresh term: one quota per group
        RepresentativeQuota.objects.bulk_create(
            RepresentativeQuota(union=union, congress=congress, group=groups[gid], seats=n)
            for gid, n in sorted(seats.items())
        )
    else:
        for gid in sorted(seats):
            congress_services.set_quota(congress=congress, group=groups[gid], seats=seats[gid])
    rows = [
        Representative(
            union_id=union.pk,
            congress=congress,
            member_id=m["pk"],
            group_id=gid,
            category=_category(m["position"]),
            elected_on=elected_on,
        )
        for gid in sorted(chosen)
        for m in chosen[gid]
    ]
    Representative.objects.bulk_create(rows, batch_size=1000)
    return list(
        Representative.objects.filter(congress=congress)
        .order_by("pk")
        .select_related("member")
        .defer("member__id_number", "member__phone")  # never read here: not decrypted
    )


def _apportion(sizes: dict[int, int], total: int) -> dict[int, int]:
    """Seats by largest remainder, at least one per group while seats last,
    never more than the group's members."""
    whole = sum(sizes.values())
    exact = {gid: size * total / whole for gid, size in sizes.items()}
    seats = {gid: min(sizes[gid], max(1, int(x))) for gid, x in exact.items()}
    order = sorted(sizes, key=lambda gid: (-(exact[gid] - int(exact[gid])), gid))
    while sum(seats.values()) < total and any(seats[g] < sizes[g] for g in order):
        for gid in order:
            if sum(seats.values()) >= total:
                break
            if seats[gid] < sizes[gid]:
                seats[gid] += 1
    while sum(seats.values()) > total:
        gid = max(seats, key=lambda g: (seats[g], g))
        if seats[gid] <= 1:
            break
        seats[gid] -= 1
    return seats


def _repair_women(chosen, by_group, women_share) -> None:
    """Swap men for women of the same group (same category first) until women
    are at least their share of the workforce."""
    total = sum(len(v) for v in chosen.values())

    def women():
        return sum(m["gender"] == Gender.FEMALE for v in chosen.values() for m in v)

    for gid in sorted(chosen):
        if women() >= women_share * total:
            return
        taken = {m["pk"] for m in chosen[gid]}
        spare = [m for m in by_group[gid] if m["gender"] == Gender.FEMALE and m["pk"] not in taken]
        for i, m in enumerate(chosen[gid]):
            if women() >= women_share * total or not spare:
                break
            if m["gender"] != Gender.FEMALE:
                same = [w for w in spare if _category(w["position"]) == _category(m["position"])]
                swap = (same or spare)[0]
                if _category(swap["position"]) == RepresentativeCategory.MANAGER:
                    continue
                spare.remove(swap)
                chosen[gid][i] = swap


# Sessions ---------------------------------------------------------------------------------


def _session_days(rng, first_day: date, today: date) -> list[date]:
    """Last year's first session, and this year's in spring once it has been held."""
    days = [first_day] if first_day < today else []
    this_year = date(today.year, rng.randint(2, 4), rng.randint(1, 28))
    if this_year < today:
        days.append(this_year)
    return days


def _agenda(congress, day: date, school: bool, number: int) -> list[tuple]:
    """(kind, title, presenter, document, vote mode, resolution text)"""
    year = day.year
    if school:
        head, plan, finance = "校长", f"{year}年学校校务工作计划", "学校财务工作报告"
        motions = [
            ("《学校教职工绩效工资分配方案（修订稿）》", "审议通过学校教职工绩效工资分配方案"),
            ("《学校教职工考勤与请假管理办法》", "审议通过学校教职工考勤与请假管理办法"),
        ]
    else:
        head, plan, finance = "总经理", f"{year}年厂务工作计划", "公司财务预决算报告"
        motions = [
            (f"《{year}年工资专项集体协议（草案）》", f"审议通过{year}年工资专项集体协议"),
            ("《职工福利费使用管理办法》", "审议通过职工福利费使用管理办法"),
        ]
    motion, motion_text = motions[(number - 1) % len(motions)]
    return [
        (
            AgendaKind.WORK_REPORT,
            f"{head}工作报告",
            head,
            f"回顾{year - 1}年工作，部署{year}年重点任务。",
            VoteMode.OPEN,
            f"审议通过{head}工作报告",
        ),
        (
            AgendaKind.WORK_REPORT,
            f"{congress}工作报告（工会工作报告）",
            "工会主席",
            f"报告{year - 1}年工会工作和代表提案办理情况。",
            "",
            "",
        ),
        (
            AgendaKind.FINANCE_REPORT,
            finance,
            "财务负责人",
            f"报告{year - 1}年财务收支和{year}年预算安排。",
            VoteMode.OPEN,
            f"审议通过{finance}",
        ),
        (
            AgendaKind.AUDIT_REPORT,
            "工会经费审查工作报告",
            "经费审查委员会主任",
            f"报告{year - 1}年工会经费收支审查情况。",
            "",
            "",
        ),
        (
            AgendaKind.AFFAIRS_PLAN,
            plan,
            head,
            f"{year}年工作目标、重点项目和保障措施。",
            VoteMode.OPEN,
            f"审议通过{plan}",
        ),
        (AgendaKind.MOTION, motion, "工会主席", "", VoteMode.SECRET, motion_text),
    ]


def _session(congress, number, day, reps, rng, today, actor, school) -> CongressSession:
    places = SCHOOL_PLACES if school else ENTERPRISE_PLACES
    session = congress_services.create_session(
        congress=congress,
        date=day,
        place=rng.choice(places),
        number=number,
        proposals_open_on=day - timedelta(days=rng.randint(28, 35)),
        proposals_close_on=day - timedelta(days=rng.randint(5, 8)),
        actor=actor,
    )
    for kind, title, presenter, document, mode, text in _agenda(congress, day, school, number):
        congress_services.add_agenda_item(
            session=session,
            kind=kind,
            title=title,
            presenter=presenter,
            document=document,
            vote_mode=mode,
            resolution_text=text,
            actor=actor,
        )
    congress_services.open_session(session=session, actor=actor)
    on_duty = [r for r in reps if r.elected_on <= day]
    share = rng.uniform(0.88, 0.98)
    present = [r for r in on_duty if rng.random() < share]
    if len(present) * 3 <= len(on_duty) * 2:
        present = on_duty
    SessionAttendance.objects.bulk_create(
        [
            SessionAttendance(
                union_id=congress.union_id,
                session=session,
                representative=r,
                how=SignInMethod.QR if rng.random() < 0.7 else SignInMethod.LIST,
                at=_at(day, 8, rng.randint(0, 29)),
                recorded_by=None,
            )
            for r in present
        ],
        batch_size=1000,
    )
    for k, resolution in enumerate(session.resolutions.order_by("agenda_item__order")):
        when = _at(day, 10 + k // 2, 30 * (k % 2))
        if resolution.mode == VoteMode.OPEN:
            votes = {}
            for r in present:
                draw = rng.random()
                votes[r] = (
                    VoteChoice.FOR
                    if draw < 0.96
                    else VoteChoice.ABSTAIN
                    if draw < 0.99
                    else VoteChoice.AGAINST
                )
            congress_services.record_open_vote(
                resolution=resolution, votes=votes, actor=actor, now=when
            )
        else:
            cast = len(present) - rng.randint(0, max(1, len(present) // 50))
            against = rng.randint(0, max(0, cast // 30))
            abstain = rng.randint(0, max(0, cast // 25))
            congress_services.record_secret_tally(
                resolution=resolution,
                votes_for=cast - against - abstain,
                votes_against=against,
                votes_abstain=abstain,
                tellers="、".join(r.member.name for r in rng.sample(present, 2)),
                actor=actor,
                now=when,
            )
    congress_services.close_session(
        session=session,
        minutes=(
            f"{session}应到代表{len(on_duty)}人，实到{len(present)}人。"
            "大会听取并审议了各项报告，以举手和无记名投票方式表决通过了各项决议；"
            "提案工作委员会报告了代表提案的征集和办理情况。"
        ),
        actor=actor,
    )
    post = congress_services.publish_results(session=session, actor=actor)
    published = min(day + timedelta(days=1), today)
    CongressSession.objects.filter(pk=session.pk).update(published_at=_at(published, 9))
    Post.objects.filter(pk=post.pk).update(publish_on=published)
    session.refresh_from_db()
    return session


def _session_in_bulk(congress, number, day, reps, rng, today, actor, school) -> CongressSession:
    """Scale l: the rows create_session, add_agenda_item, open_session, the
    sign-ins, record_open_vote, record_secret_tally and close_session leave,
    in one insert each: the session closed with its minutes and the number
    of representatives at opening, the agenda numbered from 1, a resolution
    for each item put to the vote, decided by the congress's pass rule on
    the quorum's figures; then publish_results as at every scale."""
    places = SCHOOL_PLACES if school else ENTERPRISE_PLACES
    on_duty = [r for r in reps if r.elected_on <= day and (r.left_on is None or r.left_on > day)]
    session = CongressSession(
        union_id=congress.union_id,
        congress=congress,
        number=number,
        date=day,
        place=rng.choice(places),
        proposals_open_on=day - timedelta(days=rng.randint(28, 35)),
        proposals_close_on=day - timedelta(days=rng.randint(5, 8)),
        state=SessionState.CLOSED,
        representatives_at_opening=len(on_duty),
    )
    items, resolutions = [], []
    for order, (kind, title, presenter, document, mode, text) in enumerate(
        _agenda(congress, day, school, number), start=1
    ):
        item = AgendaItem(
            union_id=congress.union_id,
            order=order,
            kind=kind,
            title=title,
            presenter=presenter,
            document=document,
        )
        items.append(item)
        if mode:
            resolutions.append(
                Resolution(
                    union_id=congress.union_id,
                    agenda_item=item,
                    text=text or f"审议通过{title}",
                    mode=mode,
                )
            )
    share = rng.uniform(0.88, 0.98)
    present = [r for r in on_duty if rng.random() < share]
    if len(present) * 3 <= len(on_duty) * 2:
        present = on_duty
    if len(present) * congress.quorum_denominator <= len(on_duty) * congress.quorum_numerator:
        present = on_duty  # below the quorum the services would not have let it vote
    votes = []
    for k, resolution in enumerate(resolutions):
        resolution.decided_at = _at(day, 10 + k // 2, 30 * (k % 2))
        if resolution.mode == VoteMode.OPEN:
            for r in present:
                draw = rng.random()
                choice = (
                    VoteChoice.FOR
                    if draw < 0.96
                    else VoteChoice.ABSTAIN
                    if draw < 0.99
                    else VoteChoice.AGAINST
                )
                votes.append((resolution, r, choice))
                if choice == VoteChoice.FOR:
                    resolution.votes_for += 1
                elif choice == VoteChoice.AGAINST:
                    resolution.votes_against += 1
                else:
                    resolution.votes_abstain += 1
        else:
            cast = len(present) - rng.randint(0, max(1, len(present) // 50))
            against = rng.randint(0, max(0, cast // 30))
            abstain = rng.randint(0, max(0, cast // 25))
            resolution.votes_for = cast - against - abstain
            resolution.votes_against, resolution.votes_abstain = against, abstain
            resolution.tellers = "、".join(r.member.name for r in rng.sample(present, 2))
        cast = resolution.votes_for + resolution.votes_against + resolution.votes_abstain
        resolution.present = len(present)
        resolution.basis = {
            PassBasis.ALL: len(on_duty),
            PassBasis.PRESENT: len(present),
            PassBasis.CAST: cast,
        }[congress.pass_basis]
        passed = (
            resolution.votes_for * congress.pass_denominator
            > resolution.basis * congress.pass_numerator
        )
        resolution.state = ResolutionState.PASSED if passed else ResolutionState.FAILED
    session.minutes = (
        f"{session}应到代表{len(on_duty)}人，实到{len(present)}人。"
        "大会听取并审议了各项报告，以举手和无记名投票方式表决通过了各项决议；"
        "提案工作委员会报告了代表提案的征集和办理情况。"
    )
    CongressSession.objects.bulk_create([session])
    for item in items:
        item.session = session
    AgendaItem.objects.bulk_create(items)
    for resolution in resolutions:
        resolution.session = session
    Resolution.objects.bulk_create(resolutions)
    SessionAttendance.objects.bulk_create(
        [
            SessionAttendance(
                union_id=congress.union_id,
                session=session,
                representative=r,
                how=SignInMethod.QR if rng.random() < 0.7 else SignInMethod.LIST,
                at=_at(day, 8, rng.randint(0, 29)),
                recorded_by=None,
            )
            for r in present
        ],
        batch_size=1000,
    )
    ResolutionVote.objects.bulk_create(
        [
            ResolutionVote(
                union_id=congress.union_id, resolution=resolution, representative=r, choice=choice
            )
            for resolution, r, choice in votes
        ],
        batch_size=2000,
    )
    post = congress_services.publish_results(session=session, actor=actor)
    published = min(day + timedelta(days=1), today)
    session.published_at = _at(published, 9)
    CongressSession.objects.filter(pk=session.pk).update(published_at=session.published_at)
    Post.objects.filter(pk=post.pk).update(publish_on=published)
    return session


# Proposals --------------------------------------------------------------------------------


class Handlers:
    """The union's departments with staff, and one handler (承办人) each: a
    member of the department with a portal account holding Role.HANDLER,
    appointed when a proposal is first led by it; representatives are not
    picked while others remain."""

    def __init__(self, union, rng, reps):
        self.union, self.rng = union, rng
        self.rep_members = {r.member_id for r in reps}
        self.staff = (
            Member.objects.filter(union=union, status=Status.ACTIVE)
            .exclude(phone_digest="")
            .order_by("pk")
        )
        staffed = set(
            self.staff.filter(department__isnull=False).values_list("department_id", flat=True)
        )
        self.departments = [
            d for d in Department.objects.filter(union=union).order_by("name") if d.pk in staffed
        ]
        self.users = {}

    def user(self, department):
        if department.pk not in self.users:
            # Ids first: only the member chosen is read whole (and decrypted).
            staff = list(self.staff.filter(department=department).values_list("pk", "user_id"))
            free = [m for m in staff if m[1] is None and m[0] not in self.rep_members]
            chosen = Member.objects.get(pk=self.rng.choice(free or staff)[0])
            user = create_portal_account(member=chosen)
            assign_role(user=user, union=self.union, role=Role.HANDLER)
            self.users[department.pk] = user
        return self.users[department.pk]


def _lead(keywords, handlers, rng):
    matches = [d for d in handlers.departments if any(k in d.name for k in keywords)]
    return matches[0] if matches else rng.choice(handlers.departments)


def _proposals(union, congress, sessions, reps, rng, today, actor, school, bulk=False) -> None:
    handlers = Handlers(union, rng, reps)
    if not handlers.departments:
        return
    themes = SCHOOL_THEMES if school else ENTERPRISE_THEMES
    if school:
        wheres = SCHOOL_WHERE
    else:
        names = sorted(Department.objects.filter(union=union).values_list("name", flat=True))
        wheres = [n for n in names if any(w in n for w in PRODUCTION_WORDS)] or names
    rate = SCHOOL_RATE if school else ENTERPRISE_RATE
    cap = MAX_PROPOSALS if _headline(union) else CITY_MAX_PROPOSALS
    for session in sessions:
        # This year's first accepted proposal, and a few others, are still owed a reply.
        owed = {"left": int(session is sessions[-1] and session.date.year == today.year)}
        on_duty = [r for r in reps if r.elected_on <= session.date]
        count = max(1, min(cap, round(len(on_duty) * rng.uniform(*rate))))
        combos = [(t, w) for t in themes for w in (wheres if "{where}" in t[1] else [""])]
        picked = rng.sample(combos, min(count, len(combos)))
        if bulk:
            plans = [
                _plan_proposal(session, n, theme, where, on_duty, handlers, rng, today, actor, owed)
                for n, (theme, where) in enumerate(picked, start=1)
            ]
            _write_proposals(plans, handlers, rng, today, actor)
            continue
        for theme, where in picked:
            _proposal(session, theme, where, on_duty, handlers, rng, today, actor, owed)


@dataclass
class _Planned:
    """Scale l: one proposal as the services would have left it, before it is written."""

    proposal: Proposal
    drafted_at: datetime
    signers: list
    signed_at: datetime
    helpers: list = field(default_factory=list)
    replies: list = field(default_factory=list)
    convert: tuple | None = None  # (decided on, theme, where): decided through the services


def _plan_proposal(session, number, theme, where, reps, handlers, rng, today, actor, owed):
    """What draft_proposal, co_sign, submit_proposal, decide_proposal,
    reply_to_proposal and rate_reply leave, in memory: numbered in the order
    submitted, at least the congress's co-signers, a reply on time when
    given by the deadline, 不满意 reopening it once with reopen_days more."""
    category, title, reason, measures, keywords, answer = theme
    congress = session.congress
    proposer = rng.choice(reps)
    drafted_on = session.proposals_open_on + timedelta(days=rng.randint(0, 10))
    submitted_on = min(drafted_on + timedelta(days=rng.randint(1, 10)), session.proposals_close_on)
    proposal = Proposal(
        union_id=session.union_id,
        session=session,
        proposer=proposer,
        title=title.format(where=where).strip(),
        reason=reason.format(where=where).strip(),
        measures=measures.format(where=where).strip(),
        category=category,
        state=ProposalState.SUBMITTED,
        number=number,
        submitted_on=submitted_on,
    )
    others = [r for r in reps if r.pk != proposer.pk]
    signers = rng.sample(others, min(len(others), congress.co_signers_min + rng.randint(0, 3)))
    signed_on = drafted_on + timedelta(days=rng.randint(0, (submitted_on - drafted_on).days))
    plan = _Planned(proposal, _at(drafted_on, 16), signers, _at(signed_on, 12))
    decided_on = session.date + timedelta(days=rng.randint(5, 20))
    if decided_on > today:
        return plan
    draw = rng.random()
    if draw < 0.1:
        proposal.state = ProposalState.REJECTED
        proposal.decided_on, proposal.decided_by = decided_on, actor
        proposal.decision_reason = rng.choice(REJECT_REASONS)
        return plan
    if draw < 0.22:
        plan.convert = (decided_on, theme, where)
        return plan
    lead = _lead(keywords, handlers, rng)
    others = [d for d in handlers.departments if d != lead]
    plan.helpers = rng.sample(others, 1) if others and rng.random() < 0.3 else []
    proposal.state = ProposalState.ACCEPTED
    proposal.decided_on, proposal.decided_by = decided_on, actor
    proposal.lead_department = lead
    proposal.deadline = decided_on + timedelta(days=rng.choice((30, 45, 60, 90)))
    handler = handlers.user(lead)
    if owed["left"] or rng.random() < 0.07:
        owed["left"] = 0
        return plan
    late = rng.random() < 0.1
    replied_on = (
        proposal.deadline + timedelta(days=rng.randint(3, 20))
        if late
        else decided_on + timedelta(days=rng.randint(7, (proposal.deadline - decided_on).days))
    )
    if replied_on > today:
        return plan
    name = proposer.member.name

    def reply(round_, on, body):
        plan.replies.append(
            ProposalReply(
                union_id=session.union_id,
                proposal=proposal,
                round=round_,
                department=lead,
                handler=handler,
                body=body,
                replied_on=on,
                on_time=on <= proposal.deadline,
            )
        )
        proposal.state = ProposalState.REPLIED
        return plan.replies[-1]

    first = reply(
        1,
        replied_on,
        f"{name}代表：您提出的《{proposal.title}》收悉。经{lead.name}研究落实，"
        f"{answer.format(where=where)}。感谢您对工作的关心和支持。",
    )
    rated_on = replied_on + timedelta(days=rng.randint(2, 12))
    if rated_on > today:
        return plan
    draw = rng.random()
    rating = Rating.SATISFIED if draw < 0.72 else Rating.BASICALLY if draw < 0.93 else None
    last = first
    if rating is None:
        first.rating, first.rated_on = Rating.UNSATISFIED, rated_on
        first.rating_comment = rng.choice(UNSATISFIED_COMMENTS)
        proposal.state, proposal.reopened = ProposalState.REOPENED, True
        proposal.deadline = rated_on + timedelta(days=congress.reopen_days)
        second_on = rated_on + timedelta(days=rng.randint(5, congress.reopen_days))
        if second_on > today:
            return plan
        last = reply(
            2,
            second_on,
            f"{name}代表：针对您的意见，{lead.name}再次研究并制定了具体实施计划，"
            f"{answer.format(where=where)}，已明确责任人和完成时间，办理进度将在公开栏公布。",
        )
        rated_on = second_on + timedelta(days=rng.randint(2, 10))
        if rated_on > today:
            return plan
        rating = rng.choice((Rating.SATISFIED, Rating.BASICALLY, Rating.BASICALLY))
    last.rating, last.rated_on = rating, rated_on
    last.rating_comment = rng.choice(SATISFIED_COMMENTS).strip()
    proposal.state, proposal.completed_on = ProposalState.COMPLETED, rated_on
    return plan


def _write_proposals(plans: list[_Planned], handlers, rng, today, actor) -> None:
    """The session's proposals in a few inserts; those converted to an opinion
    go on through decide_proposal and the voice services, as at every scale."""
    if not plans:
        return
    Proposal.objects.bulk_create([p.proposal for p in plans])
    # created_at is set on insert: the drafting time goes in after, and on
    # the instances, which decide_proposal saves whole.
    for p in plans:
        p.proposal.created_at = p.drafted_at
    Proposal.objects.filter(pk__in=[p.proposal.pk for p in plans]).update(
        created_at=Case(*(When(pk=p.proposal.pk, then=Value(p.drafted_at)) for p in plans))
    )
    union_id = plans[0].proposal.union_id
    insert_rows(
        CoSignature,
        fixed={"union": union_id},
        columns=("proposal", "representative", "at"),
        rows=[(p.proposal.pk, r.pk, p.signed_at) for p in plans for r in p.signers],
    )
    insert_rows(
        Proposal.helper_departments.through,
        fixed={},
        columns=("proposal", "department"),
        rows=[(p.proposal.pk, d.pk) for p in plans for d in p.helpers],
    )
    ProposalReply.objects.bulk_create([r for p in plans for r in p.replies])
    for p in plans:
        if p.convert:
            decided_on, theme, where = p.convert
            _convert(p.proposal, decided_on, handlers, theme, where, rng, today, actor)


def _proposal(session, theme, where, reps, handlers, rng, today, actor, owed) -> None:
    category, title, reason, measures, keywords, answer = theme
    congress = session.congress
    proposer = rng.choice(reps)
    drafted_on = session.proposals_open_on + timedelta(days=rng.randint(0, 10))
    submitted_on = min(drafted_on + timedelta(days=rng.randint(1, 10)), session.proposals_close_on)
    proposal = proposal_services.draft_proposal(
        session=session,
        proposer=proposer,
        title=title.format(where=where),
        reason=reason.format(where=where),
        measures=measures.format(where=where),
        category=category,
    )
    others = [r for r in reps if r.pk != proposer.pk]
    signers = rng.sample(others, min(len(others), congress.co_signers_min + rng.randint(0, 3)))
    for r in signers:
        proposal_services.co_sign(proposal=proposal, representative=r)
    proposal_services.submit_proposal(proposal=proposal, member=proposer.member, today=submitted_on)
    # decide_proposal saves the whole row, so the instance carries the date too.
    proposal.created_at = _at(drafted_on, 16)
    Proposal.objects.filter(pk=proposal.pk).update(created_at=proposal.created_at)
    CoSignature.objects.filter(proposal=proposal).update(
        at=_at(drafted_on + timedelta(days=rng.randint(0, (submitted_on - drafted_on).days)), 12)
    )
    decided_on = session.date + timedelta(days=rng.randint(5, 20))
    if decided_on > today:
        return
    draw = rng.random()
    if draw < 0.1:
        proposal_services.decide_proposal(
            proposal=proposal,
            decision=proposal_services.REJECT,
            reason=rng.choice(REJECT_REASONS),
            actor=actor,
            today=decided_on,
        )
        return
    if draw < 0.22:
        _convert(proposal, decided_on, handlers, theme, where, rng, today, actor)
        return
    lead = _lead(keywords, handlers, rng)
    others = [d for d in handlers.departments if d != lead]
    helpers = rng.sample(others, 1) if others and rng.random() < 0.3 else []
    deadline = decided_on + timedelta(days=rng.choice((30, 45, 60, 90)))
    proposal_services.decide_proposal(
        proposal=proposal,
        decision=proposal_services.ACCEPT,
        lead_department=lead,
        helper_departments=helpers,
        deadline=deadline,
        actor=actor,
        today=decided_on,
    )
    handler = handlers.user(lead)
    # About one in fifteen is left unanswered (overdue once its deadline
    # passes); most are answered in time, a few late.
    if owed["left"] or rng.random() < 0.07:
        owed["left"] = 0
        return
    late = rng.random() < 0.1
    replied_on = (
        deadline + timedelta(days=rng.randint(3, 20))
        if late
        else decided_on + timedelta(days=rng.randint(7, (deadline - decided_on).days))
    )
    if replied_on > today:
        return
    name = proposal.proposer.member.name
    proposal_services.reply_to_proposal(
        proposal=proposal,
        user=handler,
        body=f"{name}代表：您提出的《{proposal.title}》收悉。经{lead.name}研究落实，"
        f"{answer.format(where=where)}。感谢您对工作的关心和支持。",
        today=replied_on,
    )
    rated_on = replied_on + timedelta(days=rng.randint(2, 12))
    if rated_on > today:
        return
    draw = rng.random()
    rating = Rating.SATISFIED if draw < 0.72 else Rating.BASICALLY if draw < 0.93 else None
    if rating is None:
        proposal_services.rate_reply(
            proposal=proposal,
            member=proposal.proposer.member,
            rating=Rating.UNSATISFIED,
            comment=rng.choice(UNSATISFIED_COMMENTS),
            today=rated_on,
        )
        proposal.refresh_from_db()
        second_on = rated_on + timedelta(days=rng.randint(5, congress.reopen_days))
        if second_on > today:
            return
        proposal_services.reply_to_proposal(
            proposal=proposal,
            user=handler,
            body=f"{name}代表：针对您的意见，{lead.name}再次研究并制定了具体实施计划，"
            f"{answer.format(where=where)}，已明确责任人和完成时间，办理进度将在公开栏公布。",
            today=second_on,
        )
        rated_on = second_on + timedelta(days=rng.randint(2, 10))
        if rated_on > today:
            return
        rating = rng.choice((Rating.SATISFIED, Rating.BASICALLY, Rating.BASICALLY))
    proposal_services.rate_reply(
        proposal=proposal,
        member=proposal.proposer.member,
        rating=rating,
        comment=rng.choice(SATISFIED_COMMENTS),
        today=rated_on,
    )


def _convert(proposal, decided_on, handlers, theme, where, rng, today, actor) -> None:
    """Converted to an opinion (voice): dated the decision day, judged valid a
    few days later with the department that will handle it, and implemented
    within the month."""
    from gonghui.voice import services as voice
    from gonghui.voice.models import Opinion

    proposal_services.decide_proposal(
        proposal=proposal,
        decision=proposal_services.CONVERT,
        reason=CONVERT_REASON,
        actor=actor,
        today=decided_on,
    )
    opinion = Opinion.objects.filter(
        union_id=proposal.union_id, source_id=proposal.pk, title=proposal.title
    ).latest("pk")
    Opinion.objects.filter(pk=opinion.pk).update(submitted_on=decided_on)
    opinion.submitted_on = decided_on
    judged_on = decided_on + timedelta(days=rng.randint(2, 7))
    if judged_on > today:
        return
    voice.judge(
        opinion=opinion,
        valid=True,
        on=judged_on,
        handler_department=_lead(theme[4], handlers, rng),
        deadline=judged_on + timedelta(days=30),
        actor=actor,
    )
    done_on = judged_on + timedelta(days=rng.randint(10, 28))
    if done_on <= min(today, timezone.localdate()):
        voice.implement(
            opinion=opinion, on=done_on, implementation=theme[5].format(where=where), actor=actor
        )
