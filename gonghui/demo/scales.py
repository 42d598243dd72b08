"""The three demo scales: a school (s), a 50,000-member enterprise (m) and a
city federation of 2,000 unions and a million members (l)."""

import contextlib
import functools
import os
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from auditlog.context import disable_auditlog
from django.contrib.auth import get_user_model
from django.db import DatabaseError, connection, transaction
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
    (a crash loses at most the last unions built, never half of one) and,
    where the role may, no foreign-key checks (`_skip_reference_checks`)."""
    with disable_auditlog():
        if connection.vendor != "postgresql":
            yield
            return
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO OFF")
        skipped = _skip_reference_checks()
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("RESET synchronous_commit")
                if skipped:
                    cursor.execute("RESET session_replication_role")


def _skip_reference_checks() -> bool:
    """Write the rows without PostgreSQL checking each foreign key at COMMIT,
    as `pg_restore --disable-triggers` loads a dump: the builder points rows
    only at rows it has just written, and test_large checks every reference
    of a bulk-built city. The checks were a sixth of the build's time
    (docs/scaling.md). Needs a superuser (or SET granted on the parameter);
    without it the build is checked as usual. The app defines no triggers of
    its own, so foreign keys are all this turns off."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET session_replication_role TO replica")
    except DatabaseError:
        return False
    return True


class BuildError(Exception):
    """A union of the city could not be built; the message is Chinese and
    names the union. The unions committed before it stay whole."""


def default_jobs() -> int:
    """Worker processes for scale l: one per core on PostgreSQL; SQLite has a
    single writer, so one there."""
    if connection.vendor != "postgresql":
        return 1
    return max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class _City:
    """What every worker needs to build any union of the city: the plans are
    drawn once by the parent, and each union's generators are derived from
    (seed, its code), never from the unions built before it."""

    seed: int
    today: date
    plans: list
    clerk_id: int
    with_ledgers: bool


def _build_city_union(city: _City, index: int) -> int:
    """Build the index-th union of the city in one transaction (roll, ledgers,
    areas); the same rows whichever process builds it and in whatever order.
    Returns its member count."""
    plan = city.plans[index]
    maker = PersonMaker(
        random.Random(f"{city.seed}-{plan.code}-people"), block=(index, len(city.plans))
    )
    drafts = draft_members(plan, maker, city.today)
    clerk = get_user_model().objects.get(pk=city.clerk_id)
    from gonghui.rollup import services as summaries

    # One transaction per union: an interrupted build leaves whole unions.
    with transaction.atomic():
        union = build_union(plan, drafts)
        lead_groups(union)
        if city.with_ledgers:
            ledgers.fill(
                union=union,
                rng=random.Random(f"{city.seed}-{plan.code}-ledgers"),
                today=city.today,
                actor=clerk,
                bulk=True,
            )
            areas.fill(union=union, seed=city.seed, today=city.today, actor=clerk, bulk=True)
        # Rows written with COPY send no signal: mark the union once.
        summaries.mark_changed([union.pk])
    return len(drafts)


def _failure(plan, exc: BaseException) -> str:
    return f"工会“{plan.name}”（{plan.code}）生成失败：{type(exc).__name__}: {exc}"


@dataclass(frozen=True)
class _Work:
    """What forked workers do: `run(i)` for each task index (returning how far
    the progress bar moves) and, when it raises, `failure(i, exc)` in Chinese."""

    count: int
    run: Callable[[int], int]
    failure: Callable[[int, BaseException], str]


def _worker(work: _Work, tasks, results, stop) -> None:
    """A worker process: its own connection, tasks taken from `tasks` until
    the sentinel or until the parent says stop; each reported on `results`."""
    from django.db import connections
    from django_scopes import scopes_disabled

    try:
        with scopes_disabled(), bulk_load():
            while not stop.is_set():
                index = tasks.get()
                if index is None:
                    break
                try:
                    results.put(("done", index, work.run(index)))
                except Exception as exc:  # reported to the parent, which stops the build
                    results.put(("error", index, work.failure(index, exc)))
                    break
    finally:
        connections.close_all()
        results.put(("exit", None, None))


def _in_workers(work: _Work, jobs: int, bar) -> None:
    """Fork `jobs` workers (the parent's connections closed first, so each
    child opens its own), hand out the task indexes, and advance the parent's
    progress bar as tasks commit. The first error stops the build: the other
    workers finish the task they are on and exit."""
    import multiprocessing
    import queue

    from django.db import connections

    context = multiprocessing.get_context("fork")
    tasks, results, stop = context.Queue(), context.Queue(), context.Event()
    for index in range(work.count):
        tasks.put(index)
    for _ in range(jobs):
        tasks.put(None)
    connections.close_all()
    workers = [
        context.Process(target=_worker, args=(work, tasks, results, stop), daemon=True)
        for _ in range(jobs)
    ]
    for worker in workers:
        worker.start()
    error, running = None, jobs
    try:
        while running:
            try:
                kind, _index, payload = results.get(timeout=5)
            except queue.Empty:
                if not any(w.is_alive() for w in workers):
                    error = error or "生成进程意外退出，未报告原因"
                    break
                continue
            if kind == "done":
                bar.update(payload)
            elif kind == "error":
                error = error or payload
                stop.set()
            else:
                running -= 1
    finally:
        stop.set()
        for worker in workers:
            worker.join(timeout=600)
            if worker.is_alive():
                worker.terminate()
    if error is None and any(w.exitcode for w in workers):
        error = "生成进程意外退出：" + "，".join(str(w.exitcode) for w in workers)
    if error is not None:
        raise BuildError(error)


# Refresh tasks per worker: a task costs some seconds whatever its size (each
# figure's few queries per period: 250 unions' two years took 60 s, 500
# unions' 104 s), so few large tasks, but more than one per worker so that
# none waits long for the last.
REFRESH_TASKS_PER_WORKER = 2


def _refresh_summaries(years: list[int], jobs: int, bar) -> None:
    """The summary tables of `years` for every union, in `jobs` forked
    workers of `REFRESH_TASKS_PER_WORKER` tasks each (or here with one)."""
    from gonghui.rollup import services as summaries

    unions = summaries.all_union_ids()
    size = max(1, -(-len(unions) // (jobs * REFRESH_TASKS_PER_WORKER)))
    chunks = [unions[i : i + size] for i in range(0, len(unions), size)]

    def run(index: int) -> int:
        for year in years:
            summaries.refresh(year=year, union_ids=chunks[index])
        return len(chunks[index])

    def failure(index: int, exc: BaseException) -> str:
        first, last = chunks[index][0], chunks[index][-1]
        return f"汇总表刷新失败（工会编号 {first}–{last}）：{type(exc).__name__}: {exc}"

    work = _Work(count=len(chunks), run=run, failure=failure)
    if jobs > 1:
        _in_workers(work, jobs, bar)
        return
    for index in range(work.count):
        try:
            bar.update(run(index))
        except Exception as exc:
            raise BuildError(failure(index, exc)) from exc


def build_large(
    *,
    seed: int,
    today: date,
    progress: bool = False,
    unions: int = 2000,
    members: int = 1_000_000,
    with_ledgers: bool = True,
    rollup: bool = False,
    jobs: int = 1,
) -> Union:
    """The city federation: `unions` grassroots unions under ten district
    federations, `members` members between them; one transaction per union
    for its roll and its ledgers (`with_ledgers=False` leaves them out), so an
    interrupted build leaves whole unions. The ledgers and areas that have a
    bulk path write their rows in bulk, as the services would have written
    them, and no audit-log rows (`bulk_load`; docs/scaling.md).

    The parent creates the city, its districts and the ledger clerk, then
    builds the grassroots unions itself (`jobs=1`) or in `jobs` forked worker
    processes; each union's people and ledgers are drawn from generators
    seeded by (seed, union) and its ID numbers and phones from a block of its
    own, so the data is the same whatever `jobs` is. A union that fails
    raises `BuildError` naming it. Then the city's staff user and targets,
    and with `rollup` the summary tables of last year and this year, so the
    upper union's pages read them at once."""
    if jobs > 1 and connection.vendor != "postgresql":
        raise BuildError("SQLite 只允许一个写入者，--jobs 只能为 1")
    if jobs > 1 and connection.in_atomic_block:
        # The workers could not see the city the parent writes before them.
        raise BuildError("并行生成须在事务之外进行（各进程看不到未提交的上级工会），请用 --jobs 1")
    rng = random.Random(seed)
    fake = Faker("zh_CN")
    fake.seed_instance(seed)
    city = ensure_upper(plans.CITY)
    for district in plans.DISTRICTS:
        ensure_upper(district)
    clerk = get_user_model().objects.create_user(
        username=LEDGER_CLERK, display_name="演示台账录入", is_active=False
    )
    work = _City(
        seed=seed,
        today=today,
        plans=plans.city(rng, unions=unions, members=members),
        clerk_id=clerk.pk,
        with_ledgers=with_ledgers,
    )
    from gonghui.rollup import services as summaries

    with progress_bar(members, "市总工会会员", progress) as bar:
        if jobs > 1:
            # The workers' connections must see the city, districts and clerk.
            if connection.in_atomic_block:
                raise BuildError("并行生成须在事务之外进行（各进程各用一个连接）")
            _in_workers(
                _Work(
                    count=len(work.plans),
                    run=functools.partial(_build_city_union, work),
                    failure=lambda i, exc: _failure(work.plans[i], exc),
                ),
                jobs,
                bar,
            )
        else:
            with bulk_load():
                for index, plan in enumerate(work.plans):
                    try:
                        bar.update(_build_city_union(work, index))
                    except Exception as exc:
                        raise BuildError(_failure(plan, exc)) from exc
    _staff(CITY_USERNAME, fake.name(), city, Role.UPPER_STAFF)
    upper_targets.set_targets()
    if rollup:
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            # Millions of rows just written: without fresh statistics the
            # planner takes the tables for empty and nests loops over them.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        # Planned here, once: forked workers inherit the registry's plans.
        summaries.rolled_up()
        years = [today.year - 1, today.year]
        with progress_bar(len(summaries.all_union_ids()), "汇总表", progress, unit="家") as bar:
            _refresh_summaries(years, jobs, bar)
    return city
