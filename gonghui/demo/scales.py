"""The three demo scales: a school (s), a 50,000-member enterprise (m) and a
city federation of 2,000 unions and a million members (l)."""

import contextlib
import random
from datetime import date

from auditlog.context import disable_auditlog
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from faker import Faker

from gonghui.demo import areas, ledgers, plans
from gonghui.demo import collection as collection_demo
from gonghui.demo import upper as upper_targets
from gonghui.demo.builder import (
    Draft,
    build_union,
    draft_members,
    ensure_upper,
    lead_groups,
    progress_bar,
)
from gonghui.demo.logins import (
    CITY_USERNAME,
    DEMO_PASSWORD,
    DISTRICT_USERNAME,
    ENTERPRISE_USERNAME,
)
from gonghui.demo.people import REFERENCE_YEAR, PersonMaker
from gonghui.members.models import Member
from gonghui.members.services import create_portal_account, submit_application
from gonghui.orgs.models import Department, PostKind, Union
from gonghui.orgs.roles import Role
from gonghui.orgs.services import appoint, assign_role, start_term

# Who booked the grassroots unions' ledgers at scale l; it cannot sign in.
LEDGER_CLERK = "ledger-clerk"


def _staff(username: str, display_name: str, union: Union, role: str):
    user = get_user_model().objects.create_user(
        username=username, password=DEMO_PASSWORD, display_name=display_name
    )
    assign_role(user=user, union=union, role=role)
    return user


def _members_by_number(union: Union, drafts: list[Draft]) -> dict[str, Member]:
    numbers = [d.employee_number for d in drafts]
    return {
        m.employee_number: m
        for m in Member.objects.filter(union=union, employee_number__in=numbers)
    }


def _committee(union: Union, drafts: list[Draft], chair: Draft) -> None:
    """Two terms; the current one with chair, vice chair, committee, audit and
    women's committee posts held by long-serving members who are still on the roll."""
    start_term(
        union=union,
        number=2,
        starts_on=date(REFERENCE_YEAR - 8, 9, 12),
        ends_on=date(REFERENCE_YEAR - 3, 9, 14),
    )
    term = start_term(union=union, number=3, starts_on=date(REFERENCE_YEAR - 3, 9, 15))
    staying = [d for d in drafts if d.reserved and not d.leaves and d is not chair]
    women = [d for d in staying if d.person.gender == "F"]
    rest = [d for d in staying if d not in women[:3]]
    posts = [(chair, PostKind.CHAIR), (rest[0], PostKind.VICE_CHAIR)]
    posts += [(d, PostKind.COMMITTEE) for d in rest[1:5]]
    posts += [(women[0], PostKind.WOMEN_HEAD), (women[1], PostKind.WOMEN_MEMBER)]
    posts += [(women[2], PostKind.COMMITTEE)]
    posts += [(rest[5], PostKind.AUDIT_HEAD), (rest[6], PostKind.AUDIT_MEMBER)]
    by_number = _members_by_number(union, [d for d, _ in posts])
    for d, kind in posts:
        appoint(term=term, member=by_number[d.employee_number], kind=kind)


def _nth_in_group(drafts: list[Draft], group: str, n: int) -> Draft:
    return [d for d in drafts if d.group == group and d.reserved][n]


def build_small(*, seed: int, today: date, progress: bool = False) -> Union:
    """The school union with its demo sign-ins and a few pending applications."""
    rng = random.Random(seed)
    fake = Faker("zh_CN")
    fake.seed_instance(seed)
    for upper in (plans.CITY, plans.DISTRICT, plans.DISTRICT_EDUCATION):
        ensure_upper(upper)
    plan = plans.school(rng)
    maker = PersonMaker(rng)
    drafts = draft_members(plan, maker, today)
    with progress_bar(len(drafts), "学校工会会员", progress) as bar:
        school = build_union(plan, drafts, bar=bar)
    lead_groups(school)
    chair = _nth_in_group(drafts, "行政组", 1)
    _committee(school, drafts, chair)

    by_number = _members_by_number(
        school, [chair, _nth_in_group(drafts, "语文组", 0), _nth_in_group(drafts, "语文组", 1)]
    )
    chair_user = _staff("chair", chair.person.name, school, Role.CHAIR)
    liaison = by_number[_nth_in_group(drafts, "语文组", 0).employee_number]
    _staff("liaison", liaison.name, school, Role.LIAISON)
    member = by_number[_nth_in_group(drafts, "语文组", 1).employee_number]
    create_portal_account(member=member, password=DEMO_PASSWORD)
    _staff(
        DISTRICT_USERNAME,
        fake.name(),
        Union.objects.get(code=plans.DISTRICT.code),
        Role.UPPER_STAFF,
    )

    departments = list(Department.objects.filter(union=school).order_by("name"))
    for _ in range(3):
        person = maker.person(female_share=0.7, age_low=23, age_high=30)
        submit_application(
            union=school,
            name=person.name,
            id_number=person.id_number,
            phone_number=person.phone,
            department=rng.choice(departments),
            consent=True,
        )
    # A generator of its own, so the ledgers never shift the people drawn above.
    ledgers.fill(union=school, rng=random.Random(seed + 1), today=today, actor=chair_user)
    areas.fill(union=school, seed=seed, today=today, actor=chair_user)
    collection_demo.fill(school=school, chair=chair_user, today=today)
    upper_targets.set_targets()
    return school


def build_medium(*, seed: int, today: date, progress: bool = False, members: int = 50_000):
    """The enterprise union: `members` on its roll in about 200 groups."""
    rng = random.Random(seed)
    for upper in (plans.CITY, plans.DISTRICT):
        ensure_upper(upper)
    plan = plans.enterprise(rng, members=members)
    maker = PersonMaker(rng, local_share=0.55)
    drafts = draft_members(plan, maker, today)
    with progress_bar(len(drafts), "企业工会会员", progress) as bar:
        union = build_union(plan, drafts, bar=bar)
    lead_groups(union)
    chair = drafts[0] if drafts[0].reserved else next(d for d in drafts if d.reserved)
    _committee(union, drafts, chair)
    chair_user = _staff(ENTERPRISE_USERNAME, chair.person.name, union, Role.CHAIR)
    steps = len(ledgers.STEPS) + len(list(areas.fillers()))
    with progress_bar(steps, "企业工会台账", progress, unit="项") as bar:
        ledgers.fill(
            union=union, rng=random.Random(seed + 1), today=today, actor=chair_user, bar=bar
        )
        areas.fill(union=union, seed=seed, today=today, actor=chair_user, bar=bar)
    return union


@contextlib.contextmanager
def bulk_load():
    """How scale l writes: no per-record audit-log rows (the ledger clerk's
    millions of "created" entries would double the build and tell an auditor
    nothing), and, on PostgreSQL, commits that do not wait for the disk
    (a crash loses at most the last unions built, never half of one)."""
    with disable_auditlog():
        if connection.vendor != "postgresql":
            yield
            return
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO OFF")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("RESET synchronous_commit")


def build_large(
    *,
    seed: int,
    today: date,
    progress: bool = False,
    unions: int = 2000,
    members: int = 1_000_000,
    with_ledgers: bool = True,
    rollup: bool = False,
) -> Union:
    """The city federation: `unions` grassroots unions under ten district
    federations, `members` members between them; one transaction per union
    for its roll and its ledgers (`with_ledgers=False` leaves them out), so an
    interrupted build leaves whole unions. The ledgers and areas that have a
    bulk path write their rows in bulk, as the services would have written
    them, and no audit-log rows (`bulk_load`; docs/scaling.md).
    With `rollup`, the summary tables of last year and this year are computed
    at the end, so the upper union's pages read them at once."""
    rng = random.Random(seed)
    fake = Faker("zh_CN")
    fake.seed_instance(seed)
    city = ensure_upper(plans.CITY)
    for district in plans.DISTRICTS:
        ensure_upper(district)
    union_plans = plans.city(rng, unions=unions, members=members)
    maker = PersonMaker(rng)
    clerk = get_user_model().objects.create_user(
        username=LEDGER_CLERK, display_name="演示台账录入", is_active=False
    )
    from gonghui.rollup import services as summaries

    ledger_rng = random.Random(seed + 1)
    with progress_bar(members, "市总工会会员", progress) as bar, bulk_load():
        for plan in union_plans:
            drafts = draft_members(plan, maker, today)
            # One transaction per union: an interrupted build leaves whole unions.
            with transaction.atomic():
                union = build_union(plan, drafts, bar=bar)
                lead_groups(union)
                if with_ledgers:
                    ledgers.fill(union=union, rng=ledger_rng, today=today, actor=clerk, bulk=True)
                    areas.fill(union=union, seed=seed, today=today, actor=clerk, bulk=True)
                # Rows written with COPY send no signal: mark the union once.
                summaries.mark_changed([union.pk])
    _staff(CITY_USERNAME, fake.name(), city, Role.UPPER_STAFF)
    upper_targets.set_targets()
    if rollup:
        keys = len(summaries.rolled_up())
        with progress_bar(2 * keys, "市总工会汇总表", progress, unit="项") as bar:
            for year in (today.year - 1, today.year):
                summaries.refresh(year=year, step=lambda _key: bar.update(1))
    return city
