"""Two years of a demo union's money, activities and care: last calendar year
and this year up to today.

Records that come a few at a time (budget lines, income, visits, hardship
cases, assistance, campaigns, school aid, festival distributions, activities
and results) go through the apps' services, so they keep every rule those
keep: a paid record has its finance.Payment and its budget line's `actual`
moves with it. Rows that fan out to every member (dues payments, sign-ups,
attendance, mutual aid enrolment) are inserted in bulk, at every scale,
with the invariants the services keep one row at a time: a batch's total is
its income, an activity's `admitted` counts its admitted sign-ups and its
waiting list is numbered from 1, only admitted members attend, a member is
enrolled once a year. (Through the services a school alone took seconds,
which every test building the demo would pay.)

At scale l (`fill(bulk=True)`, 2,000 unions) the few-at-a-time records are
written directly too, a query or two each instead of a service's ten or
more: budget years and lines, payments and income (the line's `actual`
moved in memory as each is booked, so over-budget flags are what
record_payment would set, and written once at the end),
allocations and upward transfers, activities and results, donations, and
every visit and festival distribution through the bulk paths the large
unions use, hardship cases with their consents, reviews and assistance, and
school aid; only the campaign's fund and hand-over still go through
care.services. Scale l also keeps one year of ledgers, this year to date
(`Books.years`), and the festivals a city's small unions all keep
(docs/scaling.md).

Every date is drawn from the seeded generator as a day of the year or a
fraction of a window; anything that would fall after today is not recorded,
so the same seed gives the same rows on the same day.
"""

import contextlib
import itertools
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Case, F, Value, When
from django.utils import timezone

from gonghui.activities import services as activities
from gonghui.activities.models import (
    Activity,
    ActivityType,
    Attendance,
    Audience,
    AwardLevel,
    CheckIn,
    Result,
    SignUp,
    SignUpState,
)
from gonghui.care import queries as care_queries
from gonghui.care import services as care
from gonghui.care.models import (
    AidState,
    Assistance,
    AssistanceKind,
    AssistanceSource,
    CaseReview,
    Channel,
    Donation,
    FestivalDistribution,
    GiftRecipient,
    HardshipCase,
    HardshipCause,
    HardshipLevel,
    MutualAidEnrolment,
    Occasion,
    ReviewOutcome,
    SchoolAid,
    Visit,
    VisitKind,
)
from gonghui.demo import consents
from gonghui.demo.builder import insert, insert_rows, reserve_pks
from gonghui.finance import dues as dues_rules
from gonghui.finance import services as finance
from gonghui.finance.models import (
    Allocation,
    BudgetAdjustment,
    BudgetLine,
    Category,
    DuesBase,
    DuesImport,
    DuesPayment,
    DuesSource,
    FiscalYear,
    Income,
    Payment,
    Rounding,
    UpwardTransfer,
)
from gonghui.members.models import Member, Status
from gonghui.orgs.models import Group, Post, Union
from gonghui.privacy.purposes import Category as ConsentCategory

CENT = Decimal("0.01")
# Above this many members, festival gifts are given out department by department.
SPLIT_GIFTS_FROM = 1000
# A distribution to this many members is written in bulk, not through the service.
GIFTS_IN_BULK_FROM = 150
# A union this large has its visits written in bulk.
VISITS_IN_BULK_FROM = 500
# The festivals every union of the city keeps at scale l.
CITY_FESTIVALS = (Occasion.SPRING, Occasion.WOMENS_DAY, Occasion.MID_AUTUMN)
# Kept on every payment; the services use it only if a line would go over budget.
OVER_BUDGET_REASON = "经工会委员会研究同意追加支出"

# The campaign the seed report describes: 12,228.70 from members, 1,000 from the fund.
CAMPAIGN_RAISED = Decimal("12228.70")
CAMPAIGN_FUND = Decimal("1000.00")
# A union this small raises its money in other ways.
CAMPAIGN_FROM = 100


# What each kind of union does ----------------------------------------------------------


@dataclass(frozen=True)
class Line:
    category: str
    name: str
    per_member: int  # yuan a year per member on the roll


LINES = [
    Line(Category.ACTIVITIES, "职工文体活动", 180),
    Line(Category.ACTIVITIES, "节日慰问", 0),  # set from the festival plan
    Line(Category.ACTIVITIES, "职工教育", 20),
    Line(Category.RIGHTS, "送温暖慰问", 60),
    Line(Category.RIGHTS, "困难职工帮扶", 50),
    Line(Category.RIGHTS, "金秋助学", 25),
    Line(Category.RIGHTS, "职工医疗互助", 70),
    Line(Category.OPERATIONS, "培训与会议", 25),
    Line(Category.OPERATIONS, "办公费", 12),
    Line(Category.CAPITAL, "职工之家设备购置", 20),
    Line(Category.UNDERTAKINGS, "职工疗休养", 30),
    Line(Category.OTHER_EXPENDITURE, "其他支出", 6),
    Line(Category.DUES, "会费收入", 360),
    Line(Category.ALLOCATION, "行政拨缴经费", 900),
    Line(Category.UPPER_SUBSIDY, "上级工会补助", 40),
    Line(Category.ADMINISTRATION_SUBSIDY, "行政补助", 150),
    Line(Category.AFFILIATES, "附属单位上缴", 3),  # budgeted, rarely received
    Line(Category.OTHER_INCOME, "利息收入", 2),
]


@dataclass(frozen=True)
class Festival:
    occasion: str
    month: int
    day: int
    amount: int
    description: str
    who: str = (
        "all"  # all / women / parents (members aged 28–45 stand for parents of young children)
    )


@dataclass(frozen=True)
class Event:
    title: str
    type: str
    when: str  # "MM-DD HH:MM", the usual day and start time
    hours: int
    place: str
    audience: str = Audience.ALL
    capacity: tuple[float, int, int] | None = None  # share of the roll, at least, at most
    demand: float = 1.0  # sign-ups per seat
    turnout: float = 0.9  # of those admitted (or of the audience, without sign-up)
    cost: int = 0  # yuan per attendee
    results: str = ""  # "groups" or "members"
    prizes: tuple[tuple[str, int, int], ...] = ()  # (award level, how many, prize cost)
    winners: tuple[str, ...] = ()  # group names placed first, second… when present

    @property
    def month(self) -> int:
        return int(self.when[:2])

    @property
    def day(self) -> int:
        return int(self.when[3:5])

    @property
    def hour(self) -> int:
        return int(self.when[6:8])


@dataclass(frozen=True)
class ClubPlan:
    name: str
    description: str
    share: float
    low: int
    high: int
    session: str
    place: str
    months: tuple[int, ...]


@dataclass(frozen=True)
class Profile:
    festivals: tuple[Festival, ...]
    events: tuple[Event, ...]
    clubs: tuple[ClubPlan, ...]
    # Visits per active member a year, and the gift each brings.
    visits: tuple[tuple[str, float, int, str], ...]
    hardship_share: float
    school_aid_share: float
    mutual_aid_share: float
    mutual_aid_premium: int
    wage: tuple[int, int]  # monthly wage range, yuan


_TEAM_PRIZES = (
    (AwardLevel.FIRST_PLACE, 1, 600),
    (AwardLevel.SECOND_PLACE, 1, 400),
    (AwardLevel.THIRD_PLACE, 1, 300),
)
_INDIVIDUAL_PRIZES = (
    (AwardLevel.FIRST_PRIZE, 1, 300),
    (AwardLevel.SECOND_PRIZE, 2, 200),
    (AwardLevel.THIRD_PRIZE, 3, 100),
    (AwardLevel.MERIT, 3, 50),
)

SCHOOL = Profile(
    festivals=(
        Festival(Occasion.SPRING, 1, 20, 400, "春节慰问金"),
        Festival(Occasion.WOMENS_DAY, 3, 7, 100, "三八节慰问品（鲜花、护手霜）", "women"),
        Festival(Occasion.CHILDRENS_DAY, 5, 30, 100, "六一慰问（子女在初二以下）", "parents"),
        Festival(Occasion.DRAGON_BOAT, 6, 5, 150, "端午节粽子、咸鸭蛋"),
        Festival(Occasion.MID_AUTUMN, 9, 12, 250, "中秋节月饼、水果"),
    ),
    events=(
        Event(
            "迎新春教职工联欢会",
            ActivityType.SPORTS_ARTS,
            "01-16 14:00",
            3,
            "学校报告厅",
            turnout=0.93,
            cost=30,
        ),
        Event(
            "“三八”节女教职工烹饪巧手赛",
            ActivityType.CONTEST,
            "03-07 12:00",
            3,
            "学校食堂",
            audience=Audience.WOMEN,
            capacity=(0.25, 8, 40),
            demand=1.2,
            turnout=0.96,
            cost=25,
            results="members",
            prizes=_INDIVIDUAL_PRIZES[:3],
        ),
        Event(
            "春季教职工健步走",
            ActivityType.SPORTS_ARTS,
            "04-13 08:00",
            3,
            "九峰山公园",
            turnout=0.78,
            cost=15,
        ),
        Event(
            "“一大会址”参观学习",
            ActivityType.STUDY_VISIT,
            "07-08 07:00",
            11,
            "上海中共一大会址",
            capacity=(0.33, 10, 45),
            demand=1.15,
            turnout=0.97,
            cost=160,
        ),
        Event(
            "“新时代怎样做教师”演讲比赛",
            ActivityType.SPEECH,
            "09-24 15:00",
            2,
            "学校报告厅",
            capacity=(0.1, 6, 12),
            demand=1.0,
            turnout=1.0,
            cost=0,
            results="members",
            prizes=(
                (AwardLevel.FIRST_PRIZE, 1, 300),
                (AwardLevel.SECOND_PRIZE, 2, 200),
                (AwardLevel.THIRD_PRIZE, 3, 100),
            ),
        ),
        Event(
            "教职工趣味运动会",
            ActivityType.SPORTS_ARTS,
            "10-23 13:00",
            4,
            "学校操场",
            turnout=0.9,
            cost=25,
            results="groups",
            prizes=_TEAM_PRIZES,
        ),
        Event(
            "教职工拔河比赛",
            ActivityType.CONTEST,
            "11-13 15:00",
            2,
            "学校操场",
            turnout=0.86,
            cost=8,
            results="groups",
            prizes=_TEAM_PRIZES,
            winners=("后勤组", "大班组", "幼教组"),
        ),
        Event(
            "迎新年文艺演出观摩",
            ActivityType.SPORTS_ARTS,
            "12-19 18:00",
            2,
            "北仑大剧院",
            capacity=(0.6, 10, 80),
            demand=0.9,
            turnout=0.95,
            cost=80,
        ),
    ),
    clubs=(
        ClubPlan(
            "品读社",
            "教职工读书会，每月共读一本书",
            0.16,
            6,
            25,
            "品读社读书分享会",
            "学校图书馆",
            (3, 4, 5, 6, 9, 10, 11, 12),
        ),
        ClubPlan(
            "健身社",
            "羽毛球、瑜伽，每周二、四放学后",
            0.14,
            6,
            20,
            "健身社集体锻炼",
            "学校体育馆",
            (3, 5, 10, 12),
        ),
    ),
    visits=(
        (VisitKind.ILLNESS, 0.04, 500, "慰问金、水果篮"),
        (VisitKind.BIRTH, 0.03, 500, "生育慰问金"),
        (VisitKind.MARRIAGE, 0.02, 500, "新婚贺礼"),
        (VisitKind.BEREAVEMENT, 0.01, 1000, "丧事慰问金、花圈"),
    ),
    hardship_share=0.02,
    school_aid_share=0.015,
    mutual_aid_share=0.9,
    mutual_aid_premium=80,
    wage=(6000, 14000),
)

ENTERPRISE = Profile(
    festivals=(
        Festival(Occasion.SPRING, 1, 22, 120, "春节慰问金"),
        Festival(Occasion.WOMENS_DAY, 3, 7, 50, "三八节慰问品", "women"),
        Festival(Occasion.LABOUR_DAY, 4, 28, 80, "五一劳动节慰问金"),
        Festival(
            Occasion.CHILDRENS_DAY, 5, 30, 60, "六一慰问金（有14岁以下子女的职工）", "parents"
        ),
        Festival(Occasion.DRAGON_BOAT, 6, 2, 80, "端午节粽子"),
        Festival(Occasion.MID_AUTUMN, 9, 10, 100, "中秋节月饼"),
    ),
    events=(
        Event(
            "新春文艺晚会",
            ActivityType.SPORTS_ARTS,
            "01-24 18:00",
            3,
            "公司大礼堂",
            capacity=(0.03, 40, 1500),
            demand=1.1,
            turnout=0.96,
            cost=40,
        ),
        Event(
            "“三八”节女职工健康讲座",
            ActivityType.THEME_EDUCATION,
            "03-08 14:00",
            2,
            "培训中心",
            audience=Audience.WOMEN,
            turnout=0.35,
            cost=2,
        ),
        Event(
            "学雷锋志愿服务进社区",
            ActivityType.VOLUNTEERING,
            "03-05 08:00",
            4,
            "大碶街道各社区",
            capacity=(0.004, 10, 200),
            demand=1.05,
            turnout=0.95,
            cost=20,
        ),
        Event(
            "“中国梦·劳动美”主题演讲比赛",
            ActivityType.SPEECH,
            "04-28 14:00",
            3,
            "公司大礼堂",
            capacity=(0.0006, 6, 30),
            demand=1.0,
            turnout=1.0,
            results="members",
            prizes=_INDIVIDUAL_PRIZES,
        ),
        Event(
            "安全知识竞赛",
            ActivityType.CONTEST,
            "06-18 09:00",
            6,
            "各车间会议室",
            turnout=0.99,
            cost=1,
            results="groups",
            prizes=_TEAM_PRIZES,
        ),
        Event(
            "红色教育基地参观学习",
            ActivityType.STUDY_VISIT,
            "07-01 07:00",
            10,
            "嘉兴南湖革命纪念馆",
            capacity=(0.004, 10, 200),
            demand=1.2,
            turnout=0.97,
            cost=150,
        ),
        Event(
            "职工技能比武",
            ActivityType.CONTEST,
            "09-19 08:00",
            8,
            "实训中心",
            capacity=(0.008, 10, 400),
            demand=1.0,
            turnout=0.95,
            cost=30,
            results="members",
            prizes=_INDIVIDUAL_PRIZES,
        ),
        Event(
            "职工篮球赛",
            ActivityType.CONTEST,
            "10-16 14:00",
            4,
            "公司篮球场",
            capacity=(0.006, 20, 300),
            demand=1.0,
            turnout=0.92,
            cost=20,
            results="groups",
            prizes=_TEAM_PRIZES,
        ),
        Event(
            "职工趣味运动会",
            ActivityType.SPORTS_ARTS,
            "11-06 08:00",
            8,
            "公司体育场",
            capacity=(0.05, 30, 2500),
            demand=1.1,
            turnout=0.93,
            cost=25,
            results="groups",
            prizes=_TEAM_PRIZES,
        ),
    ),
    clubs=(
        ClubPlan(
            "篮球队",
            "工会红箭篮球队，每周训练",
            0.0012,
            6,
            60,
            "篮球队训练",
            "公司篮球场",
            (3, 4, 5, 9, 10, 11),
        ),
        ClubPlan(
            "羽毛球队",
            "羽毛球爱好者，每周活动",
            0.0016,
            6,
            80,
            "羽毛球队活动",
            "公司体育馆",
            (3, 5, 7, 9, 11),
        ),
        ClubPlan(
            "舞蹈队",
            "工会舞蹈队，排练节目参加各级文艺汇演",
            0.0008,
            6,
            40,
            "舞蹈队排练",
            "职工之家活动室",
            (1, 4, 6, 9, 12),
        ),
    ),
    visits=(
        (VisitKind.ILLNESS, 0.012, 300, "慰问金、水果篮"),
        (VisitKind.BIRTH, 0.006, 300, "生育慰问金"),
        (VisitKind.MARRIAGE, 0.005, 300, "新婚贺礼"),
        (VisitKind.BEREAVEMENT, 0.003, 500, "丧事慰问金"),
    ),
    hardship_share=0.003,
    school_aid_share=0.003,
    mutual_aid_share=0.75,
    mutual_aid_premium=60,
    wage=(4200, 12000),
)


def profile_for(union: Union) -> Profile:
    return SCHOOL if union.kind in ("school", "kindergarten") else ENTERPRISE


# Drawing dates --------------------------------------------------------------------------


def _day(year: int, month: int, day: int, rng: random.Random, spread: int = 3) -> date:
    """A day near month/day of `year`; always one draw."""
    return date(year, month, day) + timedelta(days=rng.randint(-spread, spread))


def _in_year(year: int, rng: random.Random) -> date:
    return date(year, 1, 1) + timedelta(days=int(rng.random() * 365))


def _moment(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _yuan(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


# The union being filled ------------------------------------------------------------------


@dataclass
class Books:
    """What the filler keeps while it works on one union."""

    union: Union
    rng: random.Random
    today: date
    actor: object
    profile: Profile
    members: list  # active members, by pk
    everyone: list  # every member ever on the roll, by pk
    visitors: list
    groups: dict  # group id -> Group
    lines: dict = field(default_factory=dict)  # (year, name) -> BudgetLine
    vouchers: dict = field(default_factory=dict)
    keys: itertools.count = field(default_factory=itertools.count)
    # Scale l: write in bulk what the services would write one record at a time.
    bulk: bool = False
    payments: list = field(default_factory=list)  # bulk: payments not yet inserted
    # bulk: line pk -> money booked on the line in memory, not yet in its row
    moved: dict = field(default_factory=dict)
    allocation_rules: object = None  # bulk: the union's finance settings, read once
    # bulk: sign-ups and attendance not yet inserted, activities whose counters
    # or cost changed since their insert (written together in `_flush`)
    signups: list = field(default_factory=list)
    attendance: list = field(default_factory=list)
    changed_activities: dict = field(default_factory=dict)
    # bulk, PostgreSQL: activities and results given keys from their sequences
    # (`_deferred`), inserted in `_flush` with their final counters and cost
    new_rows: dict = field(default_factory=dict)  # model -> objects
    spare_pks: dict = field(default_factory=dict)  # model -> keys drawn, not yet given

    @property
    def years(self) -> tuple[int, ...]:
        """Last year and this year to date; at scale l this year only: the
        issue's "a year of ledgers" for a million members (docs/scaling.md)."""
        if self.bulk:
            return (self.today.year,)
        return self.today.year - 1, self.today.year

    @property
    def festivals(self) -> list:
        """The profile's festivals; at scale l the ones a city's small unions
        all keep: the Spring Festival and Mid-Autumn for everyone, Women's
        Day for women (docs/scaling.md)."""
        if self.bulk:
            return [f for f in self.profile.festivals if f.occasion in CITY_FESTIVALS]
        return list(self.profile.festivals)

    def line(self, year: int, name: str) -> BudgetLine:
        return self.lines[year, name]

    def voucher(self, on: date) -> str:
        n = self.vouchers.get(on.year, 0) + 1
        self.vouchers[on.year] = n
        return f"记{on.year}-{n:04d}"

    def key(self, what: str) -> str:
        return f"demo-{what}-{next(self.keys)}"

    def past(self, day: date) -> bool:
        return day <= self.today

    def on_roll(self, day: date) -> list:
        return [m for m in self.members if m.joined_on <= day]

    def pay(
        self,
        *,
        amount,
        line: str,
        on: date,
        payee: str,
        pays_for=None,
        note: str = "",
        voucher=None,
        key=None,
    ):
        """Pay from a line; `voucher` and `key`, the record's own, only at scale l
        (the services there make them up the same way)."""
        if self.bulk:
            return _quick_payment(
                self,
                amount=amount,
                line=line,
                on=on,
                payee=payee,
                pays_for=pays_for,
                note=note,
                voucher=voucher,
                key=key,
            )
        return finance.record_payment(
            union=self.union,
            amount=_yuan(amount),
            line=self.line(on.year, line),
            on=on,
            payee=payee[:100],
            voucher=self.voucher(on),
            pays_for=pays_for,
            idempotency_key=self.key("payment"),
            over_budget_reason=OVER_BUDGET_REASON,
            note=note[:200],
            actor=self.actor,
        )


@transaction.atomic
def fill(
    *, union: Union, rng: random.Random, today: date, actor, bar=None, bulk: bool = False
) -> None:
    """Two years of money, activities and care for one union, in one transaction;
    `bar`, a progress bar, moves once per step (len(STEPS) in all)."""
    members = list(
        Member.objects.filter(union=union)
        .only(
            "id",
            "union_id",
            "name",
            "gender",
            "birth_date",
            "group_id",
            "department_id",
            "joined_on",
            "left_on",
            "status",
        )
        .order_by("pk")
    )
    active = [m for m in members if m.status == Status.ACTIVE]
    if not active:
        return
    visitors = list(
        Member.objects.filter(pk__in=Post.objects.filter(union=union).values("member_id"))
        .filter(status=Status.ACTIVE)
        .order_by("pk")
    )
    books = Books(
        union=union,
        rng=rng,
        today=today,
        actor=actor,
        profile=profile_for(union),
        members=active,
        everyone=members,
        visitors=visitors,
        groups={g.pk: g for g in Group.objects.filter(union=union)},
        bulk=bulk,
    )
    for step in STEPS:
        step(books)
        if bar is not None:
            bar.update(1)
    if bulk:
        _flush(books)


# Scale l: what the finance services write, a query or two a record -------------------------


def _link(record) -> dict:
    if record is None:
        return {"linked_type": None, "linked_id": None}
    return {"linked_type": ContentType.objects.get_for_model(record), "linked_id": record.pk}


def _quick_payment(
    books: Books, *, amount, line: str, on: date, payee: str, pays_for, note, voucher=None, key=None
):
    """What finance.record_payment writes, with no query until the union is
    done: the line's `actual` moves in memory (so a payment that takes it
    over budget is flagged, as record_payment flags it) and reaches its row
    in `_flush`, with the payments, which nothing reads before. A service
    that books on a line in between goes through `_synced`."""
    amount = _yuan(amount)
    budget_line = books.line(on.year, line)
    budget_line.actual += amount
    books.moved[budget_line.pk] = books.moved.get(budget_line.pk, 0) + amount
    payment = Payment(
        union=books.union,
        line=budget_line,
        category=budget_line.category,
        on=on,
        amount=amount,
        payee=payee[:100].strip(),
        voucher=voucher or books.voucher(on),
        note=note[:200].strip(),
        idempotency_key=key or books.key("payment"),
        over_budget=budget_line.actual > budget_line.budget,
        over_budget_reason=OVER_BUDGET_REASON,
        created_by=books.actor,
        **_link(pays_for),
    )
    books.payments.append(payment)
    return payment


def _write_moved(books: Books, pks) -> None:
    """Add the money booked in memory to the lines' rows, one query for them all."""
    moved = [(pk, books.moved.pop(pk)) for pk in list(pks) if pk in books.moved]
    if not moved:
        return
    table = BudgetLine._meta.db_table
    actual = BudgetLine._meta.get_field("actual").column
    whens = " ".join("WHEN %s THEN %s" for _ in moved)
    params = [v for pair in moved for v in pair]
    with connection.cursor() as cursor:
        cursor.execute(
            f'UPDATE "{table}" SET "{actual}" = "{actual}" + CASE "id" {whens} END'
            f' WHERE "id" IN ({", ".join(["%s"] * len(moved))})',
            params + [pk for pk, _ in moved],
        )


@contextlib.contextmanager
def _synced(books: Books, year: int, name: str):
    """Around a service that books on a line at scale l: the line's row first
    gets what was booked in memory, and the line is read back after."""
    budget_line = books.line(year, name)
    if books.bulk:
        _write_moved(books, [budget_line.pk])
    yield budget_line
    if books.bulk:
        budget_line.refresh_from_db(fields=["actual", "budget"])


def _income_row(
    books: Books, *, amount, line: str, on: date, payer: str, note, received_for=None, key=None
) -> Income:
    """The row finance.record_income writes, not yet inserted; the line's
    `actual` moves in memory (an income line takes no payments)."""
    amount = _yuan(amount)
    budget_line = books.line(on.year, line)
    income = Income(
        union=books.union,
        line=budget_line,
        category=budget_line.category,
        on=on,
        amount=amount,
        payer=payer[:100].strip(),
        voucher=books.voucher(on),
        note=note[:200].strip(),
        idempotency_key=key or books.key("income"),
        created_by=books.actor,
        **_link(received_for),
    )
    budget_line.actual += amount
    books.moved[budget_line.pk] = books.moved.get(budget_line.pk, 0) + amount
    return income


def _quick_income(
    books: Books, *, amount, line: str, on: date, payer: str, note, received_for=None, key=None
):
    """What finance.record_income writes, in one query: the income row now (its
    key is read by what it was received for), the line's `actual` at the end."""
    income = _income_row(
        books,
        amount=amount,
        line=line,
        on=on,
        payer=payer,
        note=note,
        received_for=received_for,
        key=key,
    )
    Income.objects.bulk_create([income])
    return income


def _flush(books: Books) -> None:
    # Activities and results held back by `_deferred`, as they now stand.
    inserted = set()
    for model in (Activity, Result):
        rows = books.new_rows.pop(model, [])
        insert(rows, pk_given=True)
        inserted |= {(model, obj.pk) for obj in rows}
    insert(books.payments)
    books.payments = []
    _write_moved(books, list(books.moved))
    # The activities' counters and costs, their sign-ups and attendance: what
    # the services write an activity at a time, a query each for the union.
    Activity.objects.bulk_update(
        [a for a in books.changed_activities.values() if (Activity, a.pk) not in inserted],
        ["admitted", "next_position", "cost"],
        batch_size=500,
    )
    _insert_signups(books, books.signups)
    _insert_attendance(books, books.attendance)
    books.changed_activities, books.signups, books.attendance = {}, [], []


# Money -------------------------------------------------------------------------------------


def _festival_budget(festivals) -> int:
    return sum(f.amount for f in festivals)


def open_books(books: Books) -> None:
    """Both fiscal years with a line in each standard category, and one adjustment."""
    if books.bulk:
        _open_books_in_bulk(books)
        return
    roll = len(books.members)
    for year in books.years:
        fiscal_year = finance.open_year(union=books.union, year=year, actor=books.actor)
        for line in LINES:
            per_member = line.per_member or int(_festival_budget(books.festivals) * 1.1)
            planned = max(1000, round(per_member * roll * books.rng.uniform(0.95, 1.1), -2))
            books.lines[year, line.name] = finance.add_line(
                fiscal_year=fiscal_year,
                category=line.category,
                name=line.name,
                planned=Decimal(planned).quantize(CENT),
                actor=books.actor,
            )
    last_year = books.years[0]
    finance.adjust_budget(
        line=books.line(last_year, "职工文体活动"),
        delta=Decimal(max(2000, round(roll * 15, -2))).quantize(CENT),
        reason="追加教职工运动会和文艺汇演经费（工会委员会会议决定）",
        actor=books.actor,
    )


def _open_books_in_bulk(books: Books) -> None:
    """What open_books writes through finance.open_year, add_line and
    adjust_budget, in three queries: the years, their lines (budget equal to
    the plan, the adjusted line's budget raised by its adjustment) and the
    adjustment. The same draws in the same order as open_books."""
    roll = len(books.members)
    years = FiscalYear.objects.bulk_create(
        [FiscalYear(union=books.union, year=year) for year in books.years]
    )
    lines = []
    for fiscal_year in years:
        for line in LINES:
            per_member = line.per_member or int(_festival_budget(books.festivals) * 1.1)
            planned = max(1000, round(per_member * roll * books.rng.uniform(0.95, 1.1), -2))
            planned = Decimal(planned).quantize(CENT)
            budget_line = BudgetLine(
                union=books.union,
                fiscal_year=fiscal_year,
                category=line.category,
                name=line.name,
                planned=planned,
                budget=planned,
            )
            books.lines[fiscal_year.year, line.name] = budget_line
            lines.append(budget_line)
    adjusted = books.line(books.years[0], "职工文体活动")
    delta = Decimal(max(2000, round(roll * 15, -2))).quantize(CENT)
    adjusted.budget += delta
    BudgetLine.objects.bulk_create(lines)
    BudgetAdjustment.objects.create(
        union=books.union,
        line=adjusted,
        delta=delta,
        reason="追加教职工运动会和文艺汇演经费（工会委员会会议决定）",
        created_by=books.actor,
    )


def _dues_months(books: Books) -> list[date]:
    """Months whose payroll deduction (on the 10th of the next month) is already done."""
    first = date(books.years[0], 1, 1)
    return [
        m
        for m in dues_rules.months(first, books.today)
        if dues_rules.next_month(m) + timedelta(days=9) <= books.today
    ]


def _late_payers(books: Books, month: date, months: list[date]) -> set[int]:
    """A few members whose deduction failed in the last two months: the arrears list."""
    if month not in months[-2:]:
        return set()
    count = max(1, len(books.members) // 150)
    return {m.pk for m in books.rng.sample(books.members, min(count, len(books.members)))}


def record_dues(books: Books) -> None:
    """Every member's base (monthly wage) and a payroll deduction each past month."""
    rng, low, high = books.rng, *books.profile.wage
    start = date(books.years[0], 1, 1)
    bases = {}
    for m in books.everyone:
        if m.left_on is not None and m.left_on < start:
            continue
        bases[m.pk] = (
            dues_rules.month_of(max(m.joined_on, start)),
            Decimal(rng.randrange(low // 2, high // 2) * 2),
        )
    insert_rows(
        DuesBase,
        fixed={
            "union": books.union.pk,
            "rate": None,
            "created_by": books.actor.pk,
            "created_at": timezone.now(),
        },
        columns=("member", "since", "base"),
        rows=((pk, since, base) for pk, (since, base) in bases.items()),
    )
    owed = {
        pk: dues_rules.round_dues(base * dues_rules.DEFAULT_DUES_RATE, Rounding.FEN)
        for pk, (_, base) in bases.items()
    }
    last_month = {
        m.pk: dues_rules.month_of(m.left_on) if m.left_on else date.max for m in books.everyone
    }
    months = _dues_months(books)
    batches = []
    for month in months:
        late = _late_payers(books, month, months)
        entries = [
            (pk, amount)
            for pk, amount in owed.items()
            if bases[pk][0] <= month <= last_month[pk] and pk not in late
        ]
        paid_on = dues_rules.next_month(month) + timedelta(days=9)
        if books.bulk:
            batches.append((month, paid_on, entries))
        else:
            _deductions(books, month, paid_on, entries)
    if batches:
        _deductions_in_bulk(books, batches)


def _deductions_in_bulk(books: Books, batches: list) -> None:
    """Scale l: the year's payroll deductions as record_deductions writes them
    month by month, in four queries: the batches, their income (each its
    month's total, received for its batch, on the union's dues line), the
    batches pointed at their income, and every member's payment in one COPY."""
    imports = [
        DuesImport(
            union=books.union,
            month=month,
            paid_on=paid_on,
            original_name=f"{month:%Y年%m月}工资代扣会费.xlsx",
            rows=len(entries),
            total=sum((amount for _, amount in entries), Decimal("0.00")),
            idempotency_key=books.key("dues"),
            created_by=books.actor,
        )
        for month, paid_on, entries in batches
    ]
    DuesImport.objects.bulk_create(imports)
    incomes = [
        _income_row(
            books,
            amount=batch.total,
            line="会费收入",
            on=batch.paid_on,
            payer="工资代扣",
            note=f"{dues_rules.month_label(batch.month)}工资代扣会费{batch.rows}笔",
            received_for=batch,
            key=f"dues-import-{batch.pk}",
        )
        for batch in imports
    ]
    Income.objects.bulk_create(incomes)
    DuesImport.objects.filter(pk__in=[b.pk for b in imports]).update(
        income=Case(
            *(When(pk=b.pk, then=Value(i.pk)) for b, i in zip(imports, incomes, strict=True))
        )
    )
    insert_rows(
        DuesPayment,
        fixed={
            "union": books.union.pk,
            "source": DuesSource.PAYROLL,
            "created_by": books.actor.pk,
            "created_at": timezone.now(),
        },
        columns=("member", "amount", "idempotency_key", "month", "paid_on", "batch", "income"),
        rows=(
            (pk, amount, f"import-{batch.pk}-{pk}", month, paid_on, batch.pk, income.pk)
            for batch, income, (month, paid_on, entries) in zip(
                imports, incomes, batches, strict=True
            )
            for pk, amount in entries
        ),
    )


def _deductions(books: Books, month: date, paid_on: date, entries) -> None:
    """What finance.record_deductions writes, for tens of thousands of members at once."""
    total = sum((amount for _, amount in entries), Decimal("0.00"))
    batch = DuesImport.objects.create(
        union=books.union,
        month=month,
        paid_on=paid_on,
        original_name=f"{month:%Y年%m月}工资代扣会费.xlsx",
        rows=len(entries),
        total=total,
        idempotency_key=books.key("dues"),
        created_by=books.actor,
    )
    note = f"{dues_rules.month_label(month)}工资代扣会费{len(entries)}笔"
    if books.bulk:
        # The union's one dues line of that year is the one income_line finds.
        income = _quick_income(
            books,
            amount=total,
            line="会费收入",
            on=paid_on,
            payer="工资代扣",
            note=note,
            received_for=batch,
            key=f"dues-import-{batch.pk}",
        )
    else:
        income = finance.record_income(
            union=books.union,
            amount=total,
            line=finance.income_line(union=books.union, category=Category.DUES, on=paid_on),
            on=paid_on,
            payer="工资代扣",
            voucher=books.voucher(paid_on),
            note=note,
            received_for=batch,
            idempotency_key=f"dues-import-{batch.pk}",
            actor=books.actor,
        )
    DuesImport.objects.filter(pk=batch.pk).update(income=income)
    insert_rows(
        DuesPayment,
        fixed={
            "union": books.union.pk,
            "month": month,
            "paid_on": paid_on,
            "source": DuesSource.PAYROLL,
            "batch": batch.pk,
            "income": income.pk,
            "created_by": books.actor.pk,
            "created_at": timezone.now(),
        },
        columns=("member", "amount", "idempotency_key"),
        rows=((pk, amount, f"import-{batch.pk}-{pk}") for pk, amount in entries),
    )


def record_other_income(books: Books) -> None:
    """The employer's allocation by quarter (with the upward share passed on), the upper
    union's subsidy, the administration's subsidy and bank interest."""
    rng, union = books.rng, books.union
    upper = union.parent.name if union.parent_id else "上级工会"
    low, high = books.profile.wage
    for year in books.years:
        for quarter in range(4):
            starts = date(year, quarter * 3 + 1, 1)
            ends = dues_rules.next_month(dues_rules.next_month(dues_rules.next_month(starts)))
            ends -= timedelta(days=1)
            received_on = ends + timedelta(days=rng.randint(15, 25))
            if not books.past(received_on):
                continue
            payroll = _yuan(len(books.on_roll(ends)) * (low + high) / 2 * 3)
            if books.bulk:
                _quick_allocation(books, starts, ends, payroll, year, quarter, received_on, upper)
                continue
            allocation = finance.record_allocation(
                union=union,
                starts_on=starts,
                ends_on=ends,
                payroll_total=payroll,
                note=f"{year}年第{quarter + 1}季度",
                actor=books.actor,
            )
            finance.receive_allocation(
                allocation=allocation,
                amount=allocation.amount_due,
                on=received_on,
                voucher=books.voucher(received_on),
                idempotency_key=books.key("allocation"),
                actor=books.actor,
            )
            sent_on = received_on + timedelta(days=rng.randint(3, 10))
            if books.past(sent_on):
                finance.transfer_upward(
                    allocation=allocation,
                    amount=finance.upward_due(allocation),
                    on=sent_on,
                    recipient=upper[:100],
                    voucher=books.voucher(sent_on),
                    idempotency_key=books.key("upward"),
                    actor=books.actor,
                )
        _income(
            books,
            line="上级工会补助",
            on=_day(year, 5, 20, rng, 10),
            amount=len(books.members) * rng.randint(30, 45),
            payer=upper,
            note="上级工会专项补助（送温暖、帮扶）",
        )
        _income(
            books,
            line="行政补助",
            on=_day(year, 12, 10, rng),
            amount=len(books.members) * rng.randint(100, 160),
            payer="行政单位",
            note="行政补助工会活动经费",
        )
        for quarter_end in (3, 6, 9, 12):
            _income(
                books,
                line="利息收入",
                on=_day(year, quarter_end, 21, rng, 0),
                amount=max(5, len(books.members) * rng.uniform(0.3, 0.6)),
                payer="开户银行",
                note="活期存款利息",
            )


def _quick_allocation(books, starts, ends, payroll, year, quarter, received_on, upper) -> None:
    """What finance.record_allocation, receive_allocation and transfer_upward
    write for one quarter, in three queries: the allocation (payroll × the
    union's rate, to the fen), all of it received as allocation income, and
    the upper union's share of it passed on."""
    rules = books.allocation_rules
    if rules is None:
        rules = books.allocation_rules = dues_rules.settings_for(books.union.pk)
    rate = Decimal(rules.allocation_rate)
    allocation = Allocation(
        union=books.union,
        starts_on=starts,
        ends_on=ends,
        payroll_total=payroll,
        rate=rate,
        amount_due=(payroll * rate).quantize(CENT, rounding=ROUND_HALF_UP),
        upward_share=Decimal(rules.upward_share),
        note=f"{year}年第{quarter + 1}季度",
        created_by=books.actor,
    )
    Allocation.objects.bulk_create([allocation])
    _quick_income(
        books,
        amount=allocation.amount_due,
        line="行政拨缴经费",
        on=received_on,
        payer="行政单位",
        note=str(allocation),
        received_for=allocation,
        key=books.key("allocation"),
    )
    sent_on = received_on + timedelta(days=books.rng.randint(3, 10))
    share = (allocation.amount_due * allocation.upward_share).quantize(CENT, rounding=ROUND_HALF_UP)
    if books.past(sent_on) and share > 0:
        UpwardTransfer.objects.create(
            union=books.union,
            allocation=allocation,
            amount=share,
            on=sent_on,
            recipient=upper[:100],
            voucher=books.voucher(sent_on),
            idempotency_key=books.key("upward"),
            created_by=books.actor,
        )


def _income(books: Books, *, line: str, on: date, amount, payer: str, note: str):
    if not books.past(on):
        return None
    if books.bulk:
        return _quick_income(books, amount=amount, line=line, on=on, payer=payer, note=note)
    return finance.record_income(
        union=books.union,
        amount=_yuan(amount),
        line=books.line(on.year, line),
        on=on,
        payer=payer[:100],
        voucher=books.voucher(on),
        note=note,
        idempotency_key=books.key("income"),
        actor=books.actor,
    )


def record_running_costs(books: Books) -> None:
    """Training, office supplies, equipment, a rest-and-recuperation trip, sundries."""
    rng, roll = books.rng, len(books.members)
    for year in books.years:
        for month in (3, 6, 9, 12):
            on = _day(year, month, 15, rng)
            if books.past(on):
                books.pay(
                    amount=max(200, roll * rng.uniform(1.5, 2.5)),
                    line="办公费",
                    on=on,
                    payee="北仑区文具用品商行",
                    note="办公用品、打印耗材",
                )
        on = _day(year, 4, 20, rng)
        if books.past(on):
            books.pay(
                amount=max(800, roll * rng.uniform(10, 18)),
                line="培训与会议",
                on=on,
                payee="北仑区总工会职工学校",
                note="工会干部和小组长业务培训",
            )
        on = _day(year, 8, 10, rng)
        if books.past(on):
            books.pay(
                amount=max(1500, roll * rng.uniform(10, 16)),
                line="职工之家设备购置",
                on=on,
                payee="宁波体育用品有限公司",
                note="职工之家健身器材、书架",
            )
        on = _day(year, 7, 20, rng)
        if books.past(on):
            books.pay(
                amount=max(2000, roll * rng.uniform(18, 26)),
                line="职工疗休养",
                on=on,
                payee="浙江职工疗休养基地",
                note="劳动模范和先进职工疗休养",
            )
        on = _day(year, 5, 12, rng)
        if books.past(on):
            books.pay(
                amount=max(300, roll * rng.uniform(2, 4)),
                line="职工教育",
                on=on,
                payee="新华书店北仑分店",
                note="职工书屋图书",
            )
        on = _day(year, 11, 25, rng)
        if books.past(on):
            books.pay(
                amount=max(100, roll * rng.uniform(1, 3)),
                line="其他支出",
                on=on,
                payee="中国工商银行北仑支行",
                note="银行手续费等",
            )


# Activities ----------------------------------------------------------------------------------


def _audience(books: Books, event: Event, day: date) -> list:
    members = books.on_roll(day)
    if event.audience == Audience.WOMEN:
        return [m for m in members if m.gender == "F"]
    return members


def _capacity(event: Event, audience: int) -> int | None:
    if event.capacity is None:
        return None
    share, low, high = event.capacity
    return max(1, min(audience, max(low, min(high, int(audience * share)))))


def hold_activities(books: Books) -> None:
    for year in books.years:
        for event in books.profile.events:
            starts_on = _day(year, event.month, event.day, books.rng)
            if books.past(starts_on + timedelta(days=1)):
                _hold(books, event, starts_on)
    _upcoming(books)


def _hold(books: Books, event: Event, day: date, *, title: str = "", club=None, people=None):
    rng = books.rng
    audience = people if people is not None else _audience(books, event, day)
    if not audience:
        return None
    capacity = _capacity(event, len(audience))
    starts = _moment(day, event.hour)
    opens = starts - timedelta(days=14) if capacity else None
    activity = _new_activity(
        books,
        title=title or f"{day.year}年{event.title}",
        type=event.type,
        starts_at=starts,
        ends_at=starts + timedelta(hours=event.hours),
        place=event.place,
        organiser="工会" + ("女职委" if event.audience == Audience.WOMEN else "文体委员"),
        audience=event.audience,
        capacity=capacity,
        signup_opens_at=opens,
        signup_closes_at=starts - timedelta(days=2) if capacity else None,
        description=f"{event.title}，地点：{event.place}。",
        club=club,
    )
    if capacity:
        wanting = rng.sample(audience, min(len(audience), round(capacity * event.demand)))
        admitted = _sign_up(books, activity, wanting, opens)
    else:
        admitted = audience
    present = [m for m in admitted if rng.random() < event.turnout]
    _attend(books, activity, present, starts)
    if event.cost and present and books.bulk:
        # The cost is all update_activity would change on a fresh activity.
        activity.cost = _yuan(event.cost * len(present))
        books.changed_activities[activity.pk] = activity
    elif event.cost and present:
        activity = activities.update_activity(
            activity=activity, cost=_yuan(event.cost * len(present)), actor=books.actor
        )
    if event.cost and present:
        books.pay(
            amount=activity.cost,
            line="职工文体活动",
            on=day,
            payee=event.place,
            pays_for=activity,
            note=activity.title,
        )
    if event.results:
        _results(books, activity, event, present, day)
    return activity


def _new_activity(books: Books, **fields) -> Activity:
    """activities.create_activity, or at scale l the row it writes: the demo's
    activities pass its checks by construction (times in order, sign-up
    before the start, no audience groups)."""
    if not books.bulk:
        return activities.create_activity(union=books.union, actor=books.actor, **fields)
    values = {key: fields[key] for key in activities.ACTIVITY_FIELDS if key in fields}
    activity = Activity(union=books.union, **values)
    if not _deferred(books, activity):
        Activity.objects.bulk_create([activity])
    return activity


# Keys drawn from a sequence at a time, for `_deferred`: about a union's activities.
SPARE_PKS = 32


def _deferred(books: Books, obj) -> bool:
    """On PostgreSQL, give `obj` a key drawn from its table's sequence and
    leave its insert to `_flush`, with the union's others: an activity's
    sign-ups, attendance and payments point at it by that key meanwhile, and
    its counters and cost are written once, in its insert. False elsewhere
    (SQLite has no sequence to draw from): the caller inserts it now."""
    if connection.vendor != "postgresql":
        return False
    model = type(obj)
    spare = books.spare_pks.setdefault(model, [])
    if not spare:
        spare.extend(reversed(reserve_pks(model, SPARE_PKS)))
    obj.pk = spare.pop()
    books.new_rows.setdefault(model, []).append(obj)
    return True


def _sign_up(books: Books, activity: Activity, wanting: list, opens: datetime) -> list:
    """Sign members up in order of arrival: the first `capacity` are admitted,
    the rest wait in order (positions from 1), as activities.services.sign_up
    would have it. Returns those admitted."""
    seats = activity.capacity or len(wanting)
    admitted, waiting = wanting[:seats], wanting[seats:]
    rows = [
        (
            activity.pk,
            m.pk,
            SignUpState.ADMITTED if n < seats else SignUpState.WAITING,
            None if n < seats else n - seats + 1,
            opens + timedelta(seconds=37 * n + 60),
        )
        for n, m in enumerate(wanting)
    ]
    activity.admitted, activity.next_position = len(admitted), len(waiting)
    if books.bulk:  # with the union's others in `_flush`
        books.signups += rows
        books.changed_activities[activity.pk] = activity
        return admitted
    _insert_signups(books, rows)
    Activity.objects.filter(pk=activity.pk).update(
        admitted=len(admitted), next_position=len(waiting)
    )
    return admitted


def _insert_signups(books: Books, rows: list) -> None:
    insert_rows(
        SignUp,
        fixed={"union": books.union.pk, "promoted_at": None, "cancelled_at": None},
        columns=("activity", "member", "state", "position", "created_at"),
        rows=rows,
    )


def _attend(books: Books, activity: Activity, present: list, starts: datetime) -> None:
    if not present:
        return
    rows = [
        (
            activity.pk,
            m.pk,
            CheckIn.QR if n % 3 else CheckIn.LIST,
            starts + timedelta(seconds=7 * (n % 900)),
            None if n % 3 else books.actor.pk,
        )
        for n, m in enumerate(present)
    ]
    if books.bulk:  # with the union's others in `_flush`
        books.attendance += rows
        return
    _insert_attendance(books, rows)


def _insert_attendance(books: Books, rows: list) -> None:
    insert_rows(
        Attendance,
        fixed={"union": books.union.pk},
        columns=("activity", "member", "how", "at", "recorded_by"),
        rows=rows,
    )


def _results(books: Books, activity: Activity, event: Event, present: list, day: date) -> None:
    rng = books.rng
    rank = 0
    if event.results == "groups":
        team_ids = sorted({m.group_id for m in present if m.group_id})
        named = {g.name: g.pk for g in books.groups.values() if g.pk in team_ids}
        first = [named[n] for n in event.winners if n in named]
        rest = [pk for pk in team_ids if pk not in first]
        rng.shuffle(rest)
        order = first + rest
        places = [(level, cost) for level, count, cost in event.prizes for _ in range(count)]
        for (level, cost), group_id in zip(places, order, strict=False):
            rank += 1
            result = _result(
                books,
                activity=activity,
                award_level=level,
                group=books.groups[group_id],
                rank=rank,
                prize="奖杯及集体奖品",
                cost=_yuan(cost),
            )
            books.pay(
                amount=cost,
                line="职工文体活动",
                on=day,
                payee=books.groups[group_id].name,
                pays_for=result,
                note=f"{activity.title}奖品",
            )
        return
    contestants = rng.sample(present, len(present))
    for level, count, cost in event.prizes:
        for _ in range(count):
            if not contestants:
                return
            rank += 1
            winner = contestants.pop()
            result = _result(
                books,
                activity=activity,
                award_level=level,
                member=winner,
                rank=rank,
                prize="荣誉证书及奖品",
                cost=_yuan(cost),
            )
            books.pay(
                amount=cost,
                line="职工文体活动",
                on=day,
                payee=winner.name,
                pays_for=result,
                note=f"{activity.title}奖品",
            )


def _result(books: Books, *, activity: Activity, **fields) -> Result:
    """activities.record_result, or at scale l the row it writes for an
    activity without a budget line (the demo pays the prize itself)."""
    if not books.bulk:
        return activities.record_result(activity=activity, actor=books.actor, **fields)
    result = Result(union_id=activity.union_id, activity=activity, **fields)
    if not _deferred(books, result):
        Result.objects.bulk_create([result])
    return result


def _upcoming(books: Books) -> None:
    """One activity whose sign-up is open today, for the portal."""
    day = books.today + timedelta(days=10)
    starts = _moment(day, 9)
    capacity = max(5, min(40, len(books.members) // 4))
    activity = _new_activity(
        books,
        title="冬季健步走",
        type=ActivityType.SPORTS_ARTS,
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
        place="九峰山公园",
        organiser="工会文体委员",
        capacity=capacity,
        signup_opens_at=_moment(books.today - timedelta(days=3), 8),
        signup_closes_at=starts - timedelta(days=1),
        description="沿九峰山步道健步走约8公里，请穿运动鞋。",
    )
    early = books.rng.sample(books.members, min(len(books.members), capacity // 2))
    _sign_up(books, activity, early, _moment(books.today - timedelta(days=3), 8))


def run_clubs(books: Books) -> None:
    """Clubs with their members; each session is an activity with sign-up."""
    rng = books.rng
    for plan in books.profile.clubs:
        size = max(plan.low, min(plan.high, int(len(books.members) * plan.share)))
        people = rng.sample(books.members, min(size, len(books.members)))
        club = activities.save_club(
            union=books.union,
            name=plan.name,
            description=plan.description,
            leader=people[0],
            members=people,
        )
        event = Event(
            plan.session,
            ActivityType.CLUB,
            "01-01 15:00",  # the session's own day is drawn below
            2,
            plan.place,
            capacity=(1.0, 1, 1000),
            demand=1.0,
            turnout=0.85,
            cost=10,
        )
        for year in books.years:
            for month in plan.months:
                day = _day(year, month, 14, rng, 5)
                if books.past(day + timedelta(days=1)):
                    joined = [m for m in people if m.joined_on <= day]
                    _hold(
                        books,
                        event,
                        day,
                        title=f"{plan.session}（{year}年{month}月）",
                        club=club,
                        people=joined,
                    )


# Care ---------------------------------------------------------------------------------------


def _committee(books: Books, rng: random.Random) -> list:
    return rng.sample(books.visitors, min(2, len(books.visitors))) if books.visitors else []


def _fits(kind: str, member, day: date) -> bool:
    age = day.year - member.birth_date.year
    if kind == VisitKind.BIRTH:
        return 24 <= age <= 40
    if kind == VisitKind.MARRIAGE:
        return age <= 33
    return True


def _visited(books: Books, kind: str, on: date):
    """A member on the roll that day whom a visit of this kind fits; a few draws at most."""
    for _ in range(8):
        member = books.rng.choice(books.members)
        if member.joined_on <= on and _fits(kind, member, on):
            return member
    return None


@dataclass
class PlannedVisit:
    kind: str
    on: date
    members: list
    gift: str
    amount: Decimal
    visitors: list = field(default_factory=list)


def visit_members(books: Books) -> None:
    """Visits to the sick, new parents, newly-weds, the bereaved and new retirees,
    and a Spring Festival visit to the union's retirees; each gift paid from
    the year's 送温暖慰问 line."""
    rng = books.rng
    planned = []
    for year in books.years:
        for kind, rate, amount, gift in books.profile.visits:
            count = max(1, round(len(books.members) * rate * rng.uniform(0.8, 1.2)))
            for _ in range(count):
                on = _in_year(year, rng)
                member = _visited(books, kind, on)
                if books.past(on) and member is not None:
                    planned.append(PlannedVisit(kind, on, [member], gift, _yuan(amount)))
        for member in books.everyone:
            if member.status == Status.RETIRED and member.left_on.year == year:
                on = member.left_on + timedelta(days=rng.randint(1, 10))
                if books.past(on) and on.year == year:
                    planned.append(
                        PlannedVisit(
                            VisitKind.RETIREMENT, on, [member], "退休纪念品、慰问金", _yuan(800)
                        )
                    )
        on = _day(year, 1, 25, rng)
        retirees = [m for m in books.everyone if m.status == Status.RETIRED and m.left_on < on]
        if retirees and books.past(on):
            planned.append(
                PlannedVisit(
                    VisitKind.FESTIVAL, on, retirees, "春节慰问退休职工", _yuan(300 * len(retirees))
                )
            )
    for visit in planned:
        visit.visitors = _committee(books, rng)
    if books.bulk or len(books.members) >= VISITS_IN_BULK_FROM:
        _visits_in_bulk(books, planned)
        return
    for visit in planned:
        care.record_visit(
            union=books.union,
            kind=visit.kind,
            on=visit.on,
            members=visit.members,
            visitors=visit.visitors,
            gift=visit.gift,
            amount=visit.amount,
            line=books.line(visit.on.year, "送温暖慰问"),
            voucher=books.voucher(visit.on),
            over_budget_reason=OVER_BUDGET_REASON,
            idempotency_key=books.key("visit"),
            actor=books.actor,
        )


def _visits_in_bulk(books: Books, planned: list[PlannedVisit]) -> None:
    """What care.services.record_visit and finance.services.record_payment write,
    for thousands of visits: the visits with their members and visitors, a
    payment linked to each, and the line's `actual` moved by the total. A
    payment that takes its line over budget is flagged with the reason, as
    record_payment flags it."""
    now = timezone.now()
    visits = Visit.objects.bulk_create(
        [
            Visit(
                union=books.union,
                kind=v.kind,
                on=v.on,
                gift=v.gift,
                amount=v.amount,
                line=books.line(v.on.year, "送温暖慰问"),
                idempotency_key=books.key("visit"),
                created_by=books.actor,
            )
            for v in planned
        ]
    )
    for through, attribute in (
        (Visit.members.through, "members"),
        (Visit.visitors.through, "visitors"),
    ):
        insert_rows(
            through,
            fixed={},
            columns=("visit", "member"),
            rows=(
                (visit.pk, m.pk)
                for visit, v in zip(visits, planned, strict=True)
                for m in getattr(v, attribute)
            ),
        )
    linked_type = ContentType.objects.get_for_model(Visit).pk
    lines = {year: books.line(year, "送温暖慰问") for year in books.years}
    if not books.bulk:  # at scale l the lines in memory are current
        for line in lines.values():
            line.refresh_from_db()
    spent = {line.pk: line.actual for line in lines.values()}
    rows = []
    for visit, v in zip(visits, planned, strict=True):
        line = lines[v.on.year]
        spent[line.pk] += v.amount
        over = spent[line.pk] > line.budget
        rows.append(
            (
                line.pk,
                v.on,
                v.amount,
                books.voucher(v.on),
                f"{VisitKind(v.kind).label}慰问 {v.gift}"[:200],
                visit.pk,
                f"care.visit.{visit.pk}",
                "、".join(m.name for m in v.members)[:100],
                over,
                OVER_BUDGET_REASON if over else "",
            )
        )
    insert_rows(
        Payment,
        fixed={
            "union": books.union.pk,
            "category": Category.RIGHTS,
            "linked_type": linked_type,
            "created_by": books.actor.pk,
            "created_at": now,
        },
        columns=(
            "line",
            "on",
            "amount",
            "voucher",
            "note",
            "linked_id",
            "idempotency_key",
            "payee",
            "over_budget",
            "over_budget_reason",
        ),
        rows=rows,
    )
    for line in lines.values():
        if books.bulk:
            books.moved[line.pk] = books.moved.get(line.pk, 0) + spent[line.pk] - line.actual
            line.actual = spent[line.pk]
            continue
        BudgetLine.objects.filter(pk=line.pk).update(
            actual=F("actual") + (spent[line.pk] - line.actual)
        )
        line.refresh_from_db()


_CASES = (
    (HardshipLevel.DEEP, [HardshipCause.ILLNESS], "本人罹患恶性肿瘤，长期化疗"),
    (HardshipLevel.RELATIVE, [HardshipCause.SINGLE_PARENT, HardshipCause.SCHOOLING], ""),
    (HardshipLevel.ACCIDENT, [HardshipCause.DISASTER], ""),
    (
        HardshipLevel.RELATIVE,
        [HardshipCause.ILLNESS, HardshipCause.UNEMPLOYED_FAMILY],
        "配偶患尿毒症，每周透析三次",
    ),
    (HardshipLevel.DEEP, [HardshipCause.DISABILITY], "子女重度残疾，需长期照护"),
)


def help_hardship_cases(books: Books) -> None:
    """Cases filed last year, reviewed this January, helped each year; one closed."""
    if books.bulk:
        _hardship_in_bulk(books)
        return
    rng = books.rng
    last, this = books.years
    count = max(2, round(len(books.members) * books.profile.hardship_share))
    chosen = rng.sample(books.members, min(count, len(books.members)))
    for n, member in enumerate(chosen):
        level, causes, health = _CASES[n % len(_CASES)]
        filed = max(member.joined_on, _in_year(last, rng))
        if filed.year != last:
            continue
        household = rng.randint(2, 5)
        needed = [ConsentCategory.HARDSHIP] + ([ConsentCategory.HEALTH] if health else [])
        for category in needed:
            consents.paper(
                union=books.union, signed={member: filed}, category=category, actor=books.actor
            )
        case = care.file_case(
            member=member,
            level=level,
            causes=causes,
            household_size=household,
            income_per_capita=_yuan(rng.randint(800, 1450)),
            filed_on=filed,
            health_details=health,
            actor=books.actor,
        )
        _assist(
            books,
            member,
            case,
            AssistanceKind.MEDICAL if health else AssistanceKind.LIVING,
            filed + timedelta(days=rng.randint(5, 20)),
        )
        review_on = _day(this, 1, 15, rng)
        if books.past(review_on):
            closing = n % 4 == 3
            care.review_case(
                case=case,
                on=review_on,
                outcome=ReviewOutcome.RELEASE if closing else ReviewOutcome.CONTINUE,
                note="家庭收入已高于困难认定收入线，解除档案" if closing else "情况未变，继续帮扶",
                actor=books.actor,
            )
            if not closing:
                _assist(
                    books,
                    member,
                    case,
                    AssistanceKind.FESTIVAL,
                    review_on + timedelta(days=rng.randint(1, 10)),
                )


def _hardship_in_bulk(books: Books) -> None:
    """Scale l: what file_case, review_case, record_assistance and
    approve_assistance write, in a dozen queries for the union. The case
    files stand from last year (filed then, with the member's paper consent
    to hardship and, for health details, health data, as file_case
    requires); the ledgers begin this January, so the money is this year's:
    each case reviewed on its January review day, one in four released
    there (closed that day with the reason), the others continued and
    helped at the Spring Festival, seven in ten from the union's fund
    (approved and paid from 困难职工帮扶) and the rest from the upper union."""
    rng = books.rng
    (this,) = books.years
    count = max(2, round(len(books.members) * books.profile.hardship_share))
    chosen = rng.sample(books.members, min(count, len(books.members)))
    cases, plans, signed = [], [], {ConsentCategory.HARDSHIP: {}, ConsentCategory.HEALTH: {}}
    for n, member in enumerate(chosen):
        level, causes, health = _CASES[n % len(_CASES)]
        filed = max(member.joined_on, _in_year(this - 1, rng))
        if filed.year != this - 1:
            continue
        signed[ConsentCategory.HARDSHIP][member] = filed
        if health:
            signed[ConsentCategory.HEALTH][member] = filed
        case = HardshipCase(
            union=books.union,
            member=member,
            level=level,
            causes=list(causes),
            household_size=rng.randint(2, 5),
            income_per_capita=_yuan(rng.randint(800, 1450)),
            health_details=health,
            filed_on=filed,
            created_by=books.actor,
        )
        review_on = _day(this, 1, 15, rng)
        review = None
        if books.past(review_on):
            closing = n % 4 == 3
            note = "家庭收入已高于困难认定收入线，解除档案" if closing else "情况未变，继续帮扶"
            review = CaseReview(
                union=books.union,
                on=review_on,
                outcome=ReviewOutcome.RELEASE if closing else ReviewOutcome.CONTINUE,
                note=note,
                reviewed_by=books.actor,
            )
            if closing:
                case.closed_on, case.close_reason = review_on, note
        cases.append(case)
        plans.append((case, review))
    for category, members in signed.items():
        if members:
            consents.paper(union=books.union, signed=members, category=category, actor=books.actor)
    HardshipCase.objects.bulk_create(cases)
    reviews = []
    for case, review in plans:
        if review is not None:
            review.case = case
            reviews.append(review)
    CaseReview.objects.bulk_create(reviews)
    helped = []
    for review in reviews:
        on = review.on + timedelta(days=rng.randint(1, 10))
        if review.outcome != ReviewOutcome.CONTINUE or not books.past(on):
            continue
        case = review.case
        from_fund = rng.random() < 0.7
        kind = AssistanceKind.FESTIVAL
        helped.append(
            Assistance(
                union=books.union,
                case=case,
                member=case.member,
                kind=kind,
                source=AssistanceSource.FUND if from_fund else AssistanceSource.UPPER,
                amount=_yuan(800),
                on=on,
                reason=f"{AssistanceKind(kind).label}（{case.get_level_display()}）",
                line=books.line(on.year, "困难职工帮扶") if from_fund else None,
                voucher=books.voucher(on) if from_fund else "",
                approved_by=books.actor,
                approved_at=timezone.now(),
                created_by=books.actor,
            )
        )
    Assistance.objects.bulk_create(helped)
    for assistance in helped:
        if assistance.source == AssistanceSource.FUND:
            books.pay(
                amount=assistance.amount,
                line="困难职工帮扶",
                on=assistance.on,
                payee=assistance.member.name,
                pays_for=assistance,
                note=f"{assistance.get_kind_display()} {assistance.reason}",
                voucher=assistance.voucher,
                key=f"care.assistance.{assistance.pk}",
            )


def _assist(books: Books, member, case, kind: str, on: date) -> None:
    if not books.past(on):
        return
    rng = books.rng
    from_fund = rng.random() < 0.7
    assistance = care.record_assistance(
        member=member,
        kind=kind,
        source=AssistanceSource.FUND if from_fund else AssistanceSource.UPPER,
        amount=_yuan(rng.choice([1000, 1500, 2000, 3000]) if kind != "festival" else 800),
        on=on,
        case=case,
        reason=f"{AssistanceKind(kind).label}（{case.get_level_display()}）",
        line=books.line(on.year, "困难职工帮扶") if from_fund else None,
        voucher=books.voucher(on) if from_fund else "",
        actor=books.actor,
    )
    care.approve_assistance(
        assistance=assistance, actor=books.actor, over_budget_reason=OVER_BUDGET_REASON
    )


def _donation_amounts(rng: random.Random, total: Decimal) -> list[Decimal]:
    """Round amounts most people give, adding up exactly to `total`."""
    amounts, left = [], total
    while left > 300:
        # Never past the total: the last gift is what is left.
        amount = min(left, Decimal(rng.choice([50, 100, 100, 100, 200, 200, 300, 500])))
        amounts.append(amount)
        left -= amount
    if left > 0:
        amounts.append(left)
    return amounts


def run_campaign(books: Books) -> None:
    """The seed report's campaign: many members give 12,228.70, the fund adds 1,000,
    and the chair delivers 13,228.70 to the member's family."""
    rng = books.rng
    if len(books.members) < CAMPAIGN_FROM:
        return
    year = books.years[0]
    opens = _day(year, 7, 6, rng, 2)
    closes = opens + timedelta(days=14)
    beneficiary = rng.choice(books.on_roll(opens))
    campaign = care.open_campaign(
        union=books.union,
        purpose=f"为{beneficiary.name}家庭患病手术治疗爱心捐款",
        opens_on=opens,
        closes_on=closes,
        beneficiary=beneficiary,
        actor=books.actor,
    )
    amounts = _donation_amounts(rng, CAMPAIGN_RAISED)
    donors = rng.sample(
        [m for m in books.on_roll(opens) if m.pk != beneficiary.pk],
        min(len(amounts), len(books.members) - 1),
    )
    channels = [Channel.WECHAT, Channel.WECHAT, Channel.CASH, Channel.ALIPAY, Channel.BANK]
    gifts = []
    for n, amount in enumerate(amounts):
        donor = donors[n] if n < len(donors) else None
        gifts.append(
            {
                "amount": amount,
                "on": opens + timedelta(days=n % 12),
                "channel": rng.choice(channels),
                "donor": donor,
                "donor_name": "" if donor else f"爱心人士{n - len(donors) + 1}号",
                "anonymous": donor is not None and rng.random() < 0.05,
                "show_amount": rng.random() < 0.6,
                "idempotency_key": books.key("donation"),
            }
        )
    if books.bulk:
        # What record_donation writes, one insert for them all: every gift is
        # in the campaign's dates, a member's or a named outsider's.
        Donation.objects.bulk_create(
            [
                Donation(union=books.union, campaign=campaign, created_by=books.actor, **gift)
                for gift in gifts
            ]
        )
    else:
        for gift in gifts:
            care.record_donation(campaign=campaign, actor=books.actor, **gift)
    with _synced(books, year, "困难职工帮扶") as line:
        care.contribute_from_fund(
            campaign=campaign,
            amount=CAMPAIGN_FUND,
            on=closes,
            line=line,
            voucher=books.voucher(closes),
            idempotency_key=books.key("fund"),
            over_budget_reason=OVER_BUDGET_REASON,
            actor=books.actor,
        )
    care.hand_over(
        campaign=campaign,
        amount=CAMPAIGN_RAISED + CAMPAIGN_FUND,
        on=closes + timedelta(days=2),
        delivered_by=books.visitors[0] if books.visitors else None,
        note="工会主席、副主席将善款送到职工家中",
        actor=books.actor,
    )


_SCHOOLS = [
    ("浙江大学", "大一", True),
    ("宁波大学", "大二", False),
    ("浙江工业大学", "大一", True),
    ("宁波职业技术学院", "大一", True),
    ("北仑中学", "高一", True),
    ("杭州电子科技大学", "大三", False),
]


def grant_school_aid(books: Books) -> None:
    """金秋助学 each August: most applications approved, one in six declined."""
    if books.bulk:
        _school_aid_in_bulk(books)
        return
    rng = books.rng
    for year in books.years:
        count = max(2, round(len(books.members) * books.profile.school_aid_share))
        applied = _day(year, 8, 15, rng, 8)
        decided = applied + timedelta(days=12)
        if not books.past(decided):
            continue
        parents = [m for m in books.on_roll(applied) if 40 <= year - m.birth_date.year <= 55]
        for n, member in enumerate(rng.sample(parents, min(count, len(parents)))):
            school, grade, new = rng.choice(_SCHOOLS)
            aid = care.apply_school_aid(
                member=member,
                child_name=member.name[0] + rng.choice(["子涵", "思远", "雨桐"]),
                school=school,
                grade=grade,
                new_admission=new,
                applied_on=applied,
                actor=books.actor,
            )
            if n % 6 == 5:
                care.decline_school_aid(
                    aid=aid, on=decided, reason="家庭人均收入高于助学标准", actor=books.actor
                )
                continue
            care.approve_school_aid(
                aid=aid,
                amount=_yuan(2000 if new else 1000),
                on=decided,
                line=books.line(year, "金秋助学"),
                voucher=books.voucher(decided),
                over_budget_reason=OVER_BUDGET_REASON,
                actor=books.actor,
            )


def _school_aid_in_bulk(books: Books) -> None:
    """Scale l: what apply_school_aid and approve_school_aid or
    decline_school_aid write, one insert for the year's applications (decided
    on the same day, approved with the amount and line, or declined with the
    reason) and their payments from 金秋助学 with the union's other payments."""
    rng = books.rng
    for year in books.years:
        count = max(2, round(len(books.members) * books.profile.school_aid_share))
        applied = _day(year, 8, 15, rng, 8)
        decided = applied + timedelta(days=12)
        if not books.past(decided):
            continue
        parents = [m for m in books.on_roll(applied) if 40 <= year - m.birth_date.year <= 55]
        aids = []
        for n, member in enumerate(rng.sample(parents, min(count, len(parents)))):
            school, grade, new = rng.choice(_SCHOOLS)
            declined = n % 6 == 5
            aids.append(
                SchoolAid(
                    union=books.union,
                    member=member,
                    child_name=member.name[0] + rng.choice(["子涵", "思远", "雨桐"]),
                    school=school,
                    grade=grade,
                    new_admission=new,
                    applied_on=applied,
                    state=AidState.DECLINED if declined else AidState.APPROVED,
                    amount=None if declined else _yuan(2000 if new else 1000),
                    decline_reason="家庭人均收入高于助学标准" if declined else "",
                    decided_on=decided,
                    decided_by=books.actor,
                    line=None if declined else books.line(year, "金秋助学"),
                )
            )
        SchoolAid.objects.bulk_create(aids)
        for aid in aids:
            if aid.state == AidState.APPROVED:
                books.pay(
                    amount=aid.amount,
                    line="金秋助学",
                    on=decided,
                    payee=aid.member.name,
                    pays_for=aid,
                    note=f"金秋助学：{aid.child_name}（{aid.school}）",
                    key=f"care.school_aid.{aid.pk}",
                )


def give_festival_gifts(books: Books) -> None:
    """Each festival's gift, one distribution per department in a large union."""
    rng = books.rng
    for year in books.years:
        for festival in books.festivals:
            on = _day(year, festival.month, festival.day, rng, 2)
            if not books.past(on):
                continue
            people = [m for m in books.on_roll(on) if _receives(festival, m, on)]
            split = len(books.members) > SPLIT_GIFTS_FROM
            parts = {}
            for m in people:
                parts.setdefault(m.department_id if split else None, []).append(m)
            for part in parts.values():
                if books.bulk or len(part) >= GIFTS_IN_BULK_FROM:
                    _distribute(books, festival, on, part)
                    continue
                care.distribute_gifts(
                    union=books.union,
                    occasion=festival.occasion,
                    on=on,
                    amount_per_person=_yuan(festival.amount),
                    members=part,
                    description=festival.description,
                    line=books.line(year, "节日慰问"),
                    voucher=books.voucher(on),
                    over_cap_reason=OVER_BUDGET_REASON,
                    over_budget_reason=OVER_BUDGET_REASON,
                    actor=books.actor,
                )


def _distribute(books: Books, festival: Festival, on: date, members: list) -> None:
    """What care.services.distribute_gifts writes, for thousands of members at
    once: the distribution, a recipient row each, one payment of the total.
    A profile's festivals add up to less than the yearly cap, so no one is
    taken over it."""
    cap = care_queries.settings_of(books.union).festival_gift_cap_per_year
    if _festival_budget(books.festivals) > cap:
        raise ValueError(f"the festival plan gives more than the yearly cap of {cap}")
    amount = _yuan(festival.amount)
    label = Occasion(festival.occasion).label
    distribution = FestivalDistribution.objects.create(
        union=books.union,
        occasion=festival.occasion,
        on=on,
        description=festival.description,
        amount_per_person=amount,
        total=amount * len(members),
        line=books.line(on.year, "节日慰问"),
        created_by=books.actor,
    )
    insert_rows(
        GiftRecipient,
        fixed={"union": books.union.pk, "distribution": distribution.pk, "amount": amount},
        columns=("member",),
        rows=((m.pk,) for m in members),
    )
    books.pay(
        amount=distribution.total,
        line="节日慰问",
        on=on,
        payee=f"{label}慰问{len(members)}人",
        pays_for=distribution,
        note=f"{label}慰问 {festival.description}",
    )


def _receives(festival: Festival, member, on: date) -> bool:
    if festival.who == "women":
        return member.gender == "F"
    if festival.who == "parents":
        return 28 <= on.year - member.birth_date.year <= 45
    return True


def enrol_mutual_aid(books: Books) -> None:
    """Medical mutual aid each January, the premiums paid by the union in one payment."""
    rng, profile = books.rng, books.profile
    for year in books.years:
        on = _day(year, 1, 10, rng, 3)
        if not books.past(on):
            continue
        enrolled = [m for m in books.on_roll(on) if rng.random() < profile.mutual_aid_share]
        premium = _yuan(profile.mutual_aid_premium)
        insert_rows(
            MutualAidEnrolment,
            fixed={
                "union": books.union.pk,
                "year": year,
                "premium": premium,
                "enrolled_on": on,
                "created_by": books.actor.pk,
                "created_at": timezone.now(),
            },
            columns=("member",),
            rows=((m.pk,) for m in enrolled),
        )
        if enrolled:
            books.pay(
                amount=premium * len(enrolled),
                line="职工医疗互助",
                on=on,
                payee="宁波市职工医疗互助保障会",
                note=f"{year}年度职工医疗互助{len(enrolled)}人",
            )


STEPS = (
    open_books,
    record_dues,
    record_other_income,
    record_running_costs,
    hold_activities,
    run_clubs,
    visit_members,
    help_hardship_cases,
    run_campaign,
    grant_school_aid,
    give_festival_gifts,
    enrol_mutual_aid,
)
