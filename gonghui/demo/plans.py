"""What each demo scale contains: unions, departments, groups, positions and sizes.

A plan is pure data drawn from a seeded generator; gonghui.demo.builder turns
it into rows. Keeping the two apart lets a test build a tiny version of the
50,000-member enterprise through the same code path.
"""

import math
import random
from dataclasses import dataclass, field

# Education mixes: (value, weight) lists over members.models.Education.
TEACHER_EDUCATION = [("bachelor", 70), ("master", 22), ("college", 8)]
SUPPORT_EDUCATION = [("junior", 25), ("senior", 40), ("college", 25), ("bachelor", 10)]
OFFICE_EDUCATION = [("college", 20), ("bachelor", 60), ("master", 20)]
WORKER_EDUCATION = [("junior", 30), ("senior", 45), ("college", 20), ("bachelor", 5)]
ENGINEER_EDUCATION = [("college", 10), ("bachelor", 60), ("master", 27), ("doctor", 3)]


@dataclass
class GroupPlan:
    name: str
    department: str
    positions: list[tuple[str, int]]
    education: list[tuple[str, int]]
    weight: float = 1.0
    female_share: float = 0.5


@dataclass
class UnionPlan:
    code: str
    name: str
    kind: str
    parent_code: str
    headcount: int
    members: int  # everyone ever on this roll in the demo, leavers included
    departments: list[str]
    groups: list[GroupPlan]
    employee_prefix: str
    joined_last_year: int = 0
    joined_this_year: int = 0
    # (status, 0 for this year / 1 for last year, how many, reasons)
    leavers: list[tuple[str, int, int, list[str]]] = field(default_factory=list)
    address: str = ""


@dataclass(frozen=True)
class UpperPlan:
    code: str
    name: str
    kind: str
    parent_code: str | None
    headcount: int = 0


CITY = UpperPlan("nb", "宁波市总工会", "federation", None)
DISTRICT = UpperPlan("nb-bl", "宁波市北仑区总工会", "federation", "nb")
DISTRICT_EDUCATION = UpperPlan("nb-bl-edu", "北仑区教育工会", "industry", "nb-bl")

SCHOOL_CODE = "nb-bl-school"
ENTERPRISE_CODE = "nb-bl-enterprise"

_TRANSFER_PLACES = ["北仑区顾国和中学", "北仑区长江小学", "鄞州区东湖小学", "镇海区骆驼中学"]


def _reasons(kind: str) -> list[str]:
    if kind == "retired":
        return ["达到法定退休年龄，办理退休手续"]
    if kind == "transferred":
        return [f"工作调动至{place}" for place in _TRANSFER_PLACES]
    if kind == "withdrawn":
        return ["与单位解除劳动合同，离职", "本人申请退会"]
    return ["因病去世"]


def school(rng: random.Random) -> UnionPlan:
    """A nine-year school with a kindergarten section: about 120 members in 8 groups."""
    place = rng.choice(["新碶", "大碶", "小港", "霞浦", "柴桥", "春晓"])
    teacher = TEACHER_EDUCATION
    groups = [
        GroupPlan(
            "语文组", "教务处", [("语文教师", 8), ("语文教师（班主任）", 4)], teacher, 1.6, 0.85
        ),
        GroupPlan(
            "数学组", "教务处", [("数学教师", 8), ("数学教师（班主任）", 3)], teacher, 1.4, 0.65
        ),
        GroupPlan("英语组", "教务处", [("英语教师", 10)], teacher, 1.1, 0.9),
        GroupPlan("科学组", "教务处", [("科学教师", 6), ("信息技术教师", 2)], teacher, 0.9, 0.5),
        GroupPlan(
            "综合组",
            "德育处",
            [("音乐教师", 3), ("体育教师", 4), ("美术教师", 3), ("心理健康教师", 1)],
            teacher,
            1.0,
            0.55,
        ),
        GroupPlan("幼教组", "幼儿部", [("幼儿教师", 8), ("保育员", 3)], teacher, 1.2, 0.97),
        GroupPlan(
            "后勤组",
            "总务处",
            [("食堂厨师", 3), ("保安", 2), ("校医", 1), ("会计", 1), ("出纳", 1), ("保洁员", 2)],
            SUPPORT_EDUCATION,
            0.8,
            0.6,
        ),
        GroupPlan(
            "行政组",
            "校长办公室",
            [("副校长", 2), ("教务主任", 1), ("德育主任", 1), ("办公室主任", 1), ("总务主任", 1)],
            OFFICE_EDUCATION,
            0.6,
            0.45,
        ),
    ]
    return UnionPlan(
        code=SCHOOL_CODE,
        name=f"宁波市北仑区{place}实验学校工会",
        kind="school",
        parent_code=DISTRICT_EDUCATION.code,
        headcount=130,
        members=128,
        departments=["教务处", "德育处", "总务处", "校长办公室", "幼儿部"],
        groups=groups,
        employee_prefix="T",
        joined_last_year=6,
        joined_this_year=4,
        leavers=[
            ("retired", 1, 2, _reasons("retired")),
            ("transferred", 1, 2, _reasons("transferred")),
            ("withdrawn", 1, 1, _reasons("withdrawn")),
            ("retired", 0, 1, _reasons("retired")),
            ("transferred", 0, 1, _reasons("transferred")),
            ("withdrawn", 0, 2, _reasons("withdrawn")),
        ],
        address=f"浙江省宁波市北仑区{place}街道学府路{rng.randint(1, 200)}号",
    )


_ENTERPRISE_DEPARTMENTS = [
    # (department, groups, share of staff, group name style, positions, education, women)
    ("总经理办公室", 2, 0.6, "office", [("行政专员", 5), ("秘书", 2), ("司机", 2)], "office", 0.5),
    (
        "人力资源部",
        2,
        0.6,
        "office",
        [("人事专员", 5), ("薪酬专员", 2), ("培训专员", 2)],
        "office",
        0.7,
    ),
    ("财务部", 2, 0.6, "office", [("会计", 5), ("出纳", 2), ("成本核算员", 2)], "office", 0.75),
    ("采购部", 2, 0.7, "office", [("采购员", 6), ("供应商管理专员", 2)], "office", 0.45),
    (
        "销售部",
        6,
        3.0,
        "office",
        [("销售代表", 8), ("客户经理", 3), ("销售内勤", 2)],
        "office",
        0.4,
    ),
    ("市场部", 2, 0.8, "office", [("市场专员", 5), ("品牌策划", 2)], "office", 0.6),
    (
        "研发中心",
        10,
        6.0,
        "office",
        [("工程师", 6), ("高级工程师", 2), ("技术员", 4)],
        "engineer",
        0.3,
    ),
    ("工程技术部", 6, 3.0, "office", [("工艺工程师", 5), ("技术员", 5)], "engineer", 0.25),
    ("质量管理部", 8, 4.0, "shift", [("质检员", 8), ("质量工程师", 2)], "worker", 0.55),
    ("安全环保部", 2, 0.8, "office", [("安全员", 5), ("环保专员", 2)], "engineer", 0.3),
    ("设备动力部", 8, 4.0, "shift", [("设备维修工", 6), ("电工", 4), ("钳工", 2)], "worker", 0.1),
    ("信息中心", 2, 0.8, "office", [("网络管理员", 3), ("软件工程师", 4)], "engineer", 0.3),
    ("一分厂", 20, 10.0, "shift", [("操作工", 10), ("班组长", 1), ("质检员", 1)], "worker", 0.45),
    ("二分厂", 20, 10.0, "shift", [("操作工", 10), ("班组长", 1), ("质检员", 1)], "worker", 0.45),
    ("三分厂", 18, 9.0, "shift", [("操作工", 10), ("班组长", 1), ("质检员", 1)], "worker", 0.5),
    ("装配车间", 20, 10.0, "shift", [("装配工", 10), ("班组长", 1)], "worker", 0.55),
    (
        "机加工车间",
        16,
        8.0,
        "shift",
        [("数控车工", 6), ("铣工", 3), ("磨工", 2), ("班组长", 1)],
        "worker",
        0.15,
    ),
    ("注塑车间", 14, 7.0, "shift", [("注塑工", 10), ("班组长", 1)], "worker", 0.4),
    ("冲压车间", 12, 6.0, "shift", [("冲压工", 10), ("班组长", 1)], "worker", 0.2),
    ("涂装车间", 10, 5.0, "shift", [("喷涂工", 8), ("班组长", 1)], "worker", 0.3),
    ("物流部", 8, 4.0, "shift", [("叉车司机", 4), ("仓管员", 4), ("物流调度", 1)], "worker", 0.3),
    ("仓储中心", 6, 3.0, "shift", [("仓管员", 6), ("搬运工", 4)], "worker", 0.25),
    ("后勤服务中心", 4, 2.0, "shift", [("厨师", 3), ("保洁员", 4), ("保安", 3)], "worker", 0.6),
]
_EDUCATION_BY_KIND = {
    "office": OFFICE_EDUCATION,
    "engineer": ENGINEER_EDUCATION,
    "worker": WORKER_EDUCATION,
}
_SHIFTS = ["甲班", "乙班", "丙班", "丁班"]


def _enterprise_groups() -> tuple[list[str], list[GroupPlan]]:
    departments, groups = [], []
    for dept, count, share, style, positions, education, women in _ENTERPRISE_DEPARTMENTS:
        departments.append(dept)
        for k in range(count):
            if style == "shift":
                name = f"{dept}{k // 4 + 1}工段{_SHIFTS[k % 4]}"
            else:
                name = f"{dept}第{k + 1}小组"
            groups.append(
                GroupPlan(
                    name, dept, positions, _EDUCATION_BY_KIND[education], share / count, women
                )
            )
    return departments, groups


def enterprise(rng: random.Random, members: int = 50_000) -> UnionPlan:
    """A manufacturing enterprise's union: `members` on the roll, about 200 groups."""
    departments, groups = _enterprise_groups()
    name = rng.choice(["港城", "甬江", "东海", "明州", "三江"])
    joined_each_year = max(1, members * 4 // 100)
    leaving = max(1, members // 100)
    return UnionPlan(
        code=ENTERPRISE_CODE,
        name=f"宁波{name}智能制造股份有限公司工会",
        kind="enterprise",
        parent_code=DISTRICT.code,
        headcount=members * 104 // 100,
        members=members,
        departments=departments,
        groups=groups,
        employee_prefix="E",
        joined_last_year=joined_each_year,
        joined_this_year=joined_each_year * 3 // 4,
        leavers=[
            ("retired", 1, leaving, _reasons("retired")),
            ("transferred", 1, leaving // 2, ["调往集团下属子公司"]),
            ("withdrawn", 1, leaving * 2, _reasons("withdrawn")),
            ("deceased", 1, max(1, leaving // 20), _reasons("deceased")),
            ("retired", 0, leaving, _reasons("retired")),
            ("transferred", 0, leaving // 2, ["调往集团下属子公司"]),
            ("withdrawn", 0, leaving * 2, _reasons("withdrawn")),
        ],
        address="浙江省宁波市北仑区大港工业城黄山西路" + str(rng.randint(100, 999)) + "号",
    )


# The city federation (scale l) --------------------------------------------

LARGE_FIRST_CODE = "nb-l-0001"
CITY_FEDERATION_CODE = LARGE_FIRST_CODE

DISTRICTS = [
    UpperPlan("nb-hs", "宁波市海曙区总工会", "federation", "nb"),
    UpperPlan("nb-jb", "宁波市江北区总工会", "federation", "nb"),
    DISTRICT,
    UpperPlan("nb-zh", "宁波市镇海区总工会", "federation", "nb"),
    UpperPlan("nb-yz", "宁波市鄞州区总工会", "federation", "nb"),
    UpperPlan("nb-fh", "宁波市奉化区总工会", "federation", "nb"),
    UpperPlan("nb-yy", "余姚市总工会", "federation", "nb"),
    UpperPlan("nb-cx", "慈溪市总工会", "federation", "nb"),
    UpperPlan("nb-xs", "象山县总工会", "federation", "nb"),
    UpperPlan("nb-nh", "宁海县总工会", "federation", "nb"),
]

_KINDS = [
    # kind, share of unions, (smallest, largest) roll, name pattern
    ("enterprise", 0.45, (30, 4000), "宁波{place}{trade}有限公司工会"),
    ("school", 0.22, (40, 260), "{district}{place}{school}工会"),
    ("kindergarten", 0.13, (12, 60), "{district}{place}幼儿园工会"),
    ("institution", 0.12, (20, 300), "{district}{place}街道{office}工会"),
    ("community", 0.08, (8, 40), "{district}{place}社区联合工会"),
]
_PLACES = list("东南西北中新华光明阳春兴安和平康泰丰裕嘉禾云海")
_TRADES = [
    "机械",
    "电子",
    "模具",
    "纺织",
    "服装",
    "化工",
    "港务",
    "物流",
    "家电",
    "汽配",
    "文具",
    "食品",
]
_SCHOOLS = ["小学", "中学", "实验小学", "中心小学", "职业技术学校", "外国语学校"]
_OFFICES = [
    "社区卫生服务中心",
    "综合文化站",
    "便民服务中心",
    "综合行政执法中队",
    "市场监管所",
    "财政所",
]

_SMALL_GROUPS = {
    "kindergarten": (
        ["保教部", "后勤部"],
        [
            GroupPlan("大班组", "保教部", [("幼儿教师", 1)], TEACHER_EDUCATION, 1, 0.97),
            GroupPlan("中班组", "保教部", [("幼儿教师", 1)], TEACHER_EDUCATION, 1, 0.97),
            GroupPlan("小班组", "保教部", [("幼儿教师", 1)], TEACHER_EDUCATION, 1, 0.97),
            GroupPlan("后勤组", "后勤部", [("保育员", 2), ("厨师", 1)], SUPPORT_EDUCATION, 1, 0.9),
        ],
    ),
    "institution": (
        ["办公室", "业务科", "综合科"],
        [
            GroupPlan(
                "机关第一小组", "办公室", [("科员", 3), ("科长", 1)], OFFICE_EDUCATION, 1, 0.5
            ),
            GroupPlan(
                "机关第二小组", "业务科", [("科员", 3), ("副科长", 1)], OFFICE_EDUCATION, 2, 0.5
            ),
            GroupPlan(
                "机关第三小组", "综合科", [("科员", 3), ("驾驶员", 1)], OFFICE_EDUCATION, 1, 0.5
            ),
        ],
    ),
    "community": (
        ["社区居委会"],
        [
            GroupPlan(
                "社区工作者小组", "社区居委会", [("社区工作者", 1)], OFFICE_EDUCATION, 1, 0.7
            ),
            GroupPlan(
                "小微企业小组", "社区居委会", [("店员", 2), ("厨师", 1)], WORKER_EDUCATION, 2, 0.5
            ),
        ],
    ),
}


def _roll_sizes(rng: random.Random, count: int, total: int, ranges: list[tuple[int, int]]):
    """Sizes within each union's range, log-uniform, rescaled to add up to `total`."""
    raw = [math.exp(rng.uniform(math.log(lo), math.log(hi))) for lo, hi in ranges]
    scale = total / sum(raw)
    sizes = [max(4, int(r * scale)) for r in raw]
    sizes[sizes.index(max(sizes))] += total - sum(sizes)
    return sizes


def _enterprise_shape(rng: random.Random, members: int):
    wanted = max(2, min(len(_ENTERPRISE_DEPARTMENTS), members // 150))
    chosen = sorted(rng.sample(range(len(_ENTERPRISE_DEPARTMENTS)), wanted))
    departments, groups = [], []
    for i in chosen:
        dept, count, share, style, positions, education, women = _ENTERPRISE_DEPARTMENTS[i]
        departments.append(dept)
        count = max(1, min(count, members // 60 * count // 200 + 1))
        for k in range(count):
            name = (
                f"{dept}{_SHIFTS[k % 4]}"
                if style == "shift" and count <= 4
                else f"{dept}第{k + 1}小组"
            )
            groups.append(
                GroupPlan(
                    name, dept, positions, _EDUCATION_BY_KIND[education], share / count, women
                )
            )
    return departments, groups


def city(rng: random.Random, unions: int = 2000, members: int = 1_000_000) -> list[UnionPlan]:
    """Grassroots unions spread over the city's ten districts."""
    kinds = rng.choices(_KINDS, weights=[k[1] for k in _KINDS], k=unions)
    sizes = _roll_sizes(rng, unions, members, [k[2] for k in kinds])
    out = []
    used_names: set[str] = set()
    for n, ((kind, _, _, pattern), size) in enumerate(zip(kinds, sizes, strict=True), start=1):
        district = DISTRICTS[n % len(DISTRICTS)]
        short = district.name.replace("宁波市", "").replace("总工会", "")
        for attempt in range(1000):
            name = pattern.format(
                district=short,
                place="".join(rng.sample(_PLACES, 2)),
                trade=rng.choice(_TRADES),
                school=rng.choice(_SCHOOLS),
                office=rng.choice(_OFFICES),
            )
            if attempt >= 50:  # a crowded district: number the rest
                name = name.replace("工会", f"（{n}）工会")
            if name not in used_names:
                used_names.add(name)
                break
        if kind == "school":
            template = school(rng)
            departments, groups = template.departments, template.groups
        elif kind == "enterprise":
            departments, groups = _enterprise_shape(rng, size)
        else:
            departments, groups = _SMALL_GROUPS[kind]
        joined = max(0, size * 4 // 100)
        leaving = size // 100
        out.append(
            UnionPlan(
                code=f"nb-l-{n:04d}",
                name=name,
                kind=kind,
                parent_code=district.code,
                headcount=size + size * rng.randint(0, 12) // 100,
                members=size,
                departments=departments,
                groups=groups,
                employee_prefix="G",
                joined_last_year=joined,
                joined_this_year=joined * 3 // 4,
                leavers=[
                    ("retired", 1, leaving, _reasons("retired")),
                    ("withdrawn", 1, leaving, _reasons("withdrawn")),
                    ("retired", 0, leaving, _reasons("retired")),
                    ("transferred", 0, leaving // 2 + 1, _reasons("transferred")),
                ],
            )
        )
    return out
