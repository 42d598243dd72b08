"""Two years of a demo union's women's work: a budget line and a yearly
women's insurance (安康保险) for every woman on the roll, paid in one payment;
a gynaecological screening (age 35 and over) in spring and a health check-up
for all women in autumn, most of them examined; and four-period records for
the women who were pregnant, on maternity leave or nursing.

The insurance plan, its payment and the campaigns with their eligible lists
go through women.services; enrolments and the examined dates are written in
bulk with the service's invariants (one enrolment per plan and member, the
payment equals premium × enrolled; a check-up date inside the campaign and
not after today). Four-period records are encrypted on write like any other.
(The women's committee posts come with the union's committee term.)
"""

import random
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Case, Value, When

from gonghui.demo import areas, consents
from gonghui.demo.builder import insert_rows
from gonghui.finance import services as finance
from gonghui.finance.models import BudgetLine, Category, FiscalYear
from gonghui.members.models import Gender, Member
from gonghui.orgs.models import Union, UnionKind
from gonghui.privacy.purposes import Category as ConsentCategory
from gonghui.women import services
from gonghui.women.models import (
    Checkup,
    CheckupKind,
    InsuranceEnrolment,
    ProtectionPeriod,
    ProtectionRecord,
)

SCHOOL_KINDS = {UnionKind.SCHOOL, UnionKind.KINDERGARTEN}
LINE = "女职工安康保险"
PREMIUM = Decimal("60.00")
HOSPITALS = ["区妇幼保健院", "市第一人民医院体检中心", "区人民医院", "美年大健康体检中心"]
PREGNANCY = [
    ("调离夜班和接触有毒有害岗位，不安排加班", "防辐射服一件"),
    ("孕7个月起每天工间休息一小时，减轻工作量", "孕妇靠垫、防辐射服"),
    ("调整为白班，不从事高处和重体力作业", "防辐射服一件、孕妇座椅"),
]
SCHOOL_PREGNANCY = [
    ("减少课时，不安排晚自习和监考", "防辐射服一件"),
    ("不担任班主任，调整为不跨楼层上课", "孕妇靠垫"),
]
NURSING = [
    ("每天哺乳时间一小时，不安排夜班", "母婴室使用登记"),
    ("哺乳期内不延长工作时间", "母婴室储奶冰箱"),
]


@transaction.atomic
def fill(*, union: Union, rng: random.Random, today: date, actor, bulk: bool = False) -> None:
    """With `bulk` (scale l), this year's insurance and checkups only."""
    women = list(
        Member.objects.filter(union=union, status="active", gender=Gender.FEMALE)
        .only("id", "union_id", "birth_date", "joined_on", "name", "user_id")
        .order_by("pk")
    )
    if not women:
        return
    school = union.kind in SCHOOL_KINDS
    for year in areas.years(today, bulk):
        _insurance(union, rng, year, today, women, actor)
        _checkups(union, rng, year, today, actor)
    _protection(union, rng, today, women, school, actor)


def _line(union: Union, year: int, planned: Decimal, actor) -> BudgetLine:
    fiscal_year = FiscalYear.objects.filter(union=union, year=year).first()
    if fiscal_year is None:
        fiscal_year = finance.open_year(union=union, year=year, actor=actor)
    found = BudgetLine.objects.filter(fiscal_year=fiscal_year, name=LINE).first()
    return found or finance.add_line(
        fiscal_year=fiscal_year, category=Category.RIGHTS, name=LINE, planned=planned, actor=actor
    )


def _insurance(union, rng, year, today, women, actor) -> None:
    enrolled_on = date(year, 3, rng.randint(1, 8))
    if enrolled_on > today:
        return
    insured = [w for w in women if w.joined_on <= enrolled_on]
    if not insured:
        return
    total = PREMIUM * len(insured)
    line = _line(union, year, (total * Decimal("1.05")).quantize(Decimal("1")), actor)
    plan = services.create_plan(
        union=union,
        year=year,
        name="女职工安康保险",
        insurer="中国人寿保险股份有限公司",
        premium=PREMIUM,
        line=line,
        actor=actor,
    )
    key = f"demo-women-insurance-{union.pk}-{year}"
    insert_rows(
        InsuranceEnrolment,
        fixed={
            "union": union.pk,
            "plan": plan.pk,
            "year": year,
            "premium": PREMIUM,
            "enrolled_on": enrolled_on,
            "batch_key": key,
        },
        columns=("member",),
        rows=[(w.pk,) for w in insured],
    )
    finance.record_payment(
        union=union,
        amount=total,
        line=line,
        on=enrolled_on,
        payee="中国人寿保险股份有限公司",
        voucher=f"记{year}-W001",
        pays_for=plan,
        idempotency_key=key,
        over_budget_reason="按实际参保人数支付",
        note=f"{plan}保费，{len(insured)}人",
        actor=actor,
    )


def _checkups(union, rng, year, today, actor) -> None:
    plan = [
        (CheckupKind.SCREENING, f"{year}年女职工“两癌”筛查", 35, date(year, 4, 10), 40),
        (CheckupKind.GENERAL, f"{year}年女职工健康体检", 0, date(year, 10, 9), 45),
    ]
    for kind, title, min_age, starts_on, days in plan:
        if starts_on > today:
            continue
        ends_on = starts_on + timedelta(days=days)
        campaign = services.create_campaign(
            union=union,
            year=year,
            kind=kind,
            title=title,
            starts_on=starts_on,
            ends_on=ends_on,
            min_age=min_age,
            provider=rng.choice(HOSPITALS),
            actor=actor,
        )
        last = min(ends_on, today)
        span = (last - starts_on).days
        coverage = rng.uniform(0.82, 0.97) if last == ends_on else rng.uniform(0.3, 0.6)
        by_day = defaultdict(list)
        for pk in campaign.checkups.values_list("pk", flat=True):
            if rng.random() < coverage:
                by_day[starts_on + timedelta(days=rng.randint(0, span))].append(pk)
        # One update for the whole campaign, each checkup dated its own day.
        if by_day:
            Checkup.objects.filter(pk__in=[pk for ids in by_day.values() for pk in ids]).update(
                done_on=Case(*(When(pk__in=ids, then=Value(day)) for day, ids in by_day.items()))
            )


def _protection(union, rng, today, women, school, actor) -> None:
    """About one in twenty-five women of 23–40 has a baby in a given year: a
    pregnancy, then maternity leave (98 days and more), then a year of nursing."""
    start = date(today.year - 1, 1, 1)
    young = [w for w in women if 23 <= w.age_on(today) <= 40]
    mothers = [w for w in young if rng.random() < 0.07]
    arrangements = SCHOOL_PREGNANCY if school else PREGNANCY
    rows = []
    for w in mothers:
        birth = start + timedelta(days=rng.randint(60, 600))
        conceived = birth - timedelta(days=rng.randint(250, 280))
        if conceived > today:
            continue
        told = max(conceived + timedelta(days=60), w.joined_on)
        work, items = rng.choice(arrangements)
        rows.append(
            _record(union, w, ProtectionPeriod.PREGNANCY, told, birth, today, work, items, actor)
        )
        if birth <= today:
            back = birth + timedelta(days=rng.choice([98, 128, 158, 188]))
            rows.append(
                _record(
                    union,
                    w,
                    ProtectionPeriod.MATERNITY,
                    birth,
                    back,
                    today,
                    f"产假{(back - birth).days}天",
                    "",
                    actor,
                )
            )
            if back <= today:
                work, items = rng.choice(NURSING)
                weaned = birth + timedelta(days=365)
                rows.append(
                    _record(
                        union, w, ProtectionPeriod.NURSING, back, weaned, today, work, items, actor
                    )
                )
    # A few light-duty arrangements during periods, in jobs that call for them.
    if not school:
        for w in rng.sample(women, min(len(women), len(women) // 40)):
            on = start + timedelta(days=rng.randint(0, (today - start).days))
            rows.append(
                _record(
                    union,
                    w,
                    ProtectionPeriod.MENSTRUAL,
                    on,
                    on + timedelta(days=2),
                    today,
                    "经期不安排高处、低温、冷水作业",
                    "卫生用品",
                    actor,
                )
            )
    rows = [r for r in rows if r is not None]
    first = {}
    for r in sorted(rows, key=lambda r: r.starts_on):
        first.setdefault(r.member, r.starts_on)
    consents.paper(union=union, signed=first, category=ConsentCategory.FOUR_PERIOD, actor=actor)
    ProtectionRecord.objects.bulk_create(rows)


def _record(union, member, period, starts_on, ends_on, today, work, items, actor):
    if starts_on > today:
        return None
    return ProtectionRecord(
        union=union,
        member=member,
        period=period,
        starts_on=starts_on,
        ends_on=ends_on if ends_on <= today else None,
        arrangements=work,
        items=items,
        created_by=actor,
    )
