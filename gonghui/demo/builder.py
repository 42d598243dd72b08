"""Build demo unions from plans, fast enough for 50,000 members.

Rows keep the invariants members.services keeps one at a time: an '入会'
status change for every member, a dated change and `left_on` for every
leaver, digests and pinyin columns filled, ID numbers and phones encrypted
through the real field type (bulk_create calls EncryptedTextField's
get_prep_value). Dates are drawn as fractions of their window, so the same
seed gives the same rows on the same day; only the window's upper bound
(today) moves.
"""

import contextlib
import functools
import itertools
import operator
import random
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import connection, models, transaction
from tqdm import tqdm

from gonghui import encryption
from gonghui.demo import plans
from gonghui.demo.people import REFERENCE_YEAR, Person, PersonMaker
from gonghui.members import names
from gonghui.members.models import Member, Status, StatusChange
from gonghui.orgs.models import Department, Group, Union
from gonghui.orgs.services import create_union

BATCH = 2000
_OLDEST_JOIN = date(1990, 1, 1)


@dataclass
class Draft:
    """One member to insert, before it has a primary key."""

    person: Person
    group: str
    department: str
    position: str
    education: str
    joined_on: date
    employee_number: str = ""
    leaves: tuple[str, date, str] | None = None  # (status, on, reason)
    reserved: bool = False


def _between(rng: random.Random, start: date, end: date) -> date:
    """A date in [start, end]; always one draw, whatever the window."""
    span = (end - start).days
    return start + timedelta(days=int(rng.random() * (span + 1)))


@functools.cache
def _cumulative(pairs: tuple) -> tuple[list, list]:
    return [v for v, _ in pairs], list(itertools.accumulate(w for _, w in pairs))


def _weighted(rng: random.Random, pairs):
    values, cum_weights = _cumulative(tuple(pairs))
    return rng.choices(values, cum_weights=cum_weights)[0]


def draft_members(plan: plans.UnionPlan, maker: PersonMaker, today: date) -> list[Draft]:
    """Everyone on the plan's roll: long-standing members, last year's and this
    year's joiners, then leavers chosen among the long-standing ones."""
    rng = maker.rng
    last_year = date(today.year - 1, 1, 1)
    this_year = date(today.year, 1, 1)
    old_bound = min(date(REFERENCE_YEAR - 2, 12, 31), last_year - timedelta(days=1))
    group_weights = list(itertools.accumulate(g.weight for g in plan.groups))
    newcomers = plan.joined_last_year + plan.joined_this_year
    drafts = []
    for i in range(plan.members):
        group = rng.choices(plan.groups, cum_weights=group_weights)[0]
        is_new = i >= plan.members - newcomers
        person = maker.person(
            female_share=group.female_share,
            age_low=22 if is_new else 24,
            age_high=35 if is_new else 60,
        )
        if not is_new:
            adult = person.birth_date.replace(year=person.birth_date.year + 21, day=1)
            low = max(adult, _OLDEST_JOIN)
            if low > old_bound:
                low = old_bound - timedelta(days=180)
            joined = _between(rng, low, old_bound)
        elif i >= plan.members - plan.joined_this_year:
            joined = _between(rng, this_year, today)
        else:
            joined = _between(rng, last_year, this_year - timedelta(days=1))
        drafts.append(
            Draft(
                person=person,
                group=group.name,
                department=group.department,
                position=_weighted(rng, group.positions),
                education=_weighted(rng, group.education),
                joined_on=joined,
            )
        )
    drafts.sort(key=lambda d: (d.joined_on, d.person.id_number))
    seen: dict[str, int] = {}
    for n, d in enumerate(drafts, start=1):
        d.employee_number = f"{plan.employee_prefix}{n:05d}"
        # The two longest-serving members of each group stay: they lead it,
        # sit on the committee or hold the demo sign-ins.
        seen[d.group] = seen.get(d.group, 0) + 1
        d.reserved = seen[d.group] <= 2
    _choose_leavers(plan, drafts, rng, today)
    return drafts


def _choose_leavers(plan, drafts, rng, today):
    last_year = date(today.year - 1, 1, 1)
    this_year = date(today.year, 1, 1)
    settled = [d for d in drafts if d.joined_on < last_year]
    # Retirees are the oldest; everyone else leaves at random.
    by_age = sorted(settled, key=lambda d: (d.person.birth_date, d.person.id_number))
    others = settled[:]
    rng.shuffle(others)
    taken: set[int] = set()
    for status, years_ago, count, reasons in plan.leavers:
        pool = by_age if status == "retired" else others
        picked = 0
        for d in pool:
            if picked == count:
                break
            if id(d) in taken or d.reserved:
                continue
            taken.add(id(d))
            picked += 1
            window = (last_year, this_year - timedelta(days=1)) if years_ago else (this_year, today)
            d.leaves = (status, _between(rng, *window), rng.choice(reasons))


def ensure_upper(plan: plans.UpperPlan) -> Union:
    existing = Union.objects.filter(code=plan.code).first()
    if existing:
        return existing
    parent = Union.objects.get(code=plan.parent_code) if plan.parent_code else None
    return create_union(
        code=plan.code, name=plan.name, kind=plan.kind, parent=parent, headcount=plan.headcount
    )


def progress_bar(total: int, desc: str, enabled: bool, unit: str = "人"):
    return tqdm(total=total, desc=desc, unit=unit, file=sys.stderr, disable=not enabled)


@transaction.atomic
def build_union(plan: plans.UnionPlan, drafts: list[Draft], *, bar=None) -> Union:
    """Insert the union, its departments and groups, and every drafted member."""
    parent = Union.objects.get(code=plan.parent_code)
    union = create_union(
        code=plan.code,
        name=plan.name,
        kind=plan.kind,
        parent=parent,
        headcount=plan.headcount,
        address=plan.address,
    )
    departments = {
        d.name: d
        for d in Department.objects.bulk_create(
            [Department(union=union, name=name) for name in plan.departments]
        )
    }
    groups = {
        g.name: g
        for g in Group.objects.bulk_create(
            [
                Group(union=union, name=g.name, department=departments[g.department])
                for g in plan.groups
            ]
        )
    }
    for start in range(0, len(drafts), BATCH):
        chunk = drafts[start : start + BATCH]
        members = insert([_member(union, d, departments, groups) for d in chunk], with_pk=True)
        changes = []
        for member, d in zip(members, chunk, strict=True):
            changes.append(
                StatusChange(
                    union=union,
                    member=member,
                    from_status="",
                    to_status=Status.ACTIVE,
                    on=d.joined_on,
                    reason="入会",
                )
            )
            if d.leaves:
                status, on, reason = d.leaves
                changes.append(
                    StatusChange(
                        union=union,
                        member=member,
                        from_status=Status.ACTIVE,
                        to_status=status,
                        on=on,
                        reason=reason,
                    )
                )
        insert(changes)
        if bar is not None:
            bar.update(len(chunk))
    return union


def insert(objs: list, *, with_pk: bool = False, pk_given: bool = False) -> list:
    """Insert rows of one model: COPY on PostgreSQL, bulk_create elsewhere.

    Values go through each field's pre_save and get_db_prep_save, the path
    bulk_create takes, so encrypted fields are encrypted by their field type.
    With `with_pk`, primary keys are drawn from the table's sequence first so
    the caller can point other rows at these; with `pk_given`, the objects
    already hold keys drawn by `reserve_pks`.
    """
    if not objs:
        return objs
    if connection.vendor != "postgresql":
        return type(objs[0]).objects.bulk_create(objs)
    model = type(objs[0])
    table = model._meta.db_table
    fields = [f for f in model._meta.concrete_fields if with_pk or pk_given or not f.primary_key]
    if with_pk:
        for obj, value in zip(objs, reserve_pks(model, len(objs)), strict=True):
            obj.pk = value
    columns = ", ".join(f'"{f.column}"' for f in fields)
    row = _row_of(fields)
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f'COPY "{table}" ({columns}) FROM STDIN') as copy:
            for obj in objs:
                copy.write_row(row(obj))
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias
    return objs


def reserve_pks(model, n: int) -> list[int]:
    """`n` primary keys drawn from the model's sequence (PostgreSQL), in order:
    rows may be pointed at before they are inserted."""
    table, pk = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT nextval(pg_get_serial_sequence('{table}', '{pk}'))"
            " FROM generate_series(1, %s)",
            [n],
        )
        return [value for (value,) in cursor.fetchall()]


def _plain_pre_save(field) -> bool:
    """Whether the field's pre_save only reads the attribute (no auto_now, no file)."""
    if type(field).pre_save is models.Field.pre_save:
        return True
    return type(field).pre_save is models.DateField.pre_save and not (
        field.auto_now or field.auto_now_add
    )


def _row_of(fields) -> Callable:
    """A function giving an object's values for `fields` as bulk_create stores
    them (pre_save, then get_db_prep_save). A value repeated in a column (the
    union, a status, a date) is prepared once; an encrypted one every time,
    so equal plaintexts never share a ciphertext."""
    columns = []
    for f in fields:
        read = (
            operator.attrgetter(f.attname)
            if _plain_pre_save(f)
            else functools.partial(lambda f, obj: f.pre_save(obj, True), f)
        )
        prep = functools.partial(f.get_db_prep_save, connection=connection)
        columns.append((read, prep, None if isinstance(f, encryption.EncryptedTextField) else {}))

    def row(obj) -> list:
        out = []
        for read, prep, cache in columns:
            value = read(obj)
            if cache is None or type(value) in (dict, list):
                out.append(prep(value))
                continue
            found = cache.get(value, cache)
            if found is cache:
                found = cache[value] = prep(value)
            out.append(found)
        return out

    return row


def insert_rows(model, *, fixed: dict, columns: tuple[str, ...], rows) -> int:
    """Insert many rows of `model` without building model instances: `fixed`
    holds the values every row shares (field name -> value), `columns` names
    the fields whose values each tuple in `rows` gives, in order. Every
    concrete field but the primary key must be named in one or the other.

    Each distinct value goes through its field's get_db_prep_save once, the
    path bulk_create takes, so the stored text is what the ORM would store;
    ten times faster than `insert` for the million-row ledgers.
    """
    fields = {f.name: f for f in model._meta.concrete_fields if not f.primary_key}
    missing = set(fields) - set(fixed) - set(columns)
    if missing:
        raise ValueError(f"{model.__name__}: no value for {', '.join(sorted(missing))}")

    def prep(name, value):
        return fields[name].get_db_prep_save(value, connection=connection)

    tail = [prep(name, value) for name, value in fixed.items()]
    caches = [{} for _ in columns]
    # Columns whose field stores ints or text as given (primary keys, codes)
    # skip the field call; the first value of the column decides.
    plain = [None] * len(columns)

    def prepared(row):
        out = []
        for i, value in enumerate(row):
            if plain[i] is None:
                plain[i] = type(value) in (int, str) and prep(columns[i], value) == value
            if plain[i]:
                out.append(value)
                continue
            if type(value) in (dict, list):  # JSON: unhashable, and rarely repeated
                out.append(prep(columns[i], value))
                continue
            cache = caches[i]
            found = cache.get(value, cache)
            if found is cache:
                found = cache[value] = prep(columns[i], value)
            out.append(found)
        return out + tail

    names = [*columns, *fixed]
    table = model._meta.db_table
    quoted = ", ".join(f'"{fields[n].column}"' for n in names)
    count = 0
    # In one transaction: outside one, SQLite commits every row of an executemany.
    # Inside one (a union's ledgers), no savepoint: two round trips saved a call.
    outer = contextlib.nullcontext() if connection.in_atomic_block else transaction.atomic()
    with outer, connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f'COPY "{table}" ({quoted}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row(prepared(row))
                    count += 1
            return count
        sql = f'INSERT INTO "{table}" ({quoted}) VALUES ({", ".join(["%s"] * len(names))})'
        batch = []
        for row in rows:
            batch.append(prepared(row))
            if len(batch) == BATCH * 5:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def _member(union, d: Draft, departments, groups) -> Member:
    p = d.person
    status, since, left = Status.ACTIVE, d.joined_on, None
    if d.leaves:
        status, since, _ = d.leaves
        left = since
    return Member(
        union=union,
        name=p.name,
        name_initials=names.initials(p.name),
        search_text=names.search_text(p.name),
        gender=p.gender,
        birth_date=p.birth_date,
        id_number=p.id_number,
        id_number_digest=encryption.digest(p.id_number),
        phone=p.phone,
        phone_digest=encryption.digest(p.phone),
        employee_number=d.employee_number,
        department=departments[d.department],
        group=groups[d.group],
        position=d.position,
        education=d.education,
        political_status=p.political_status,
        ethnicity=p.ethnicity,
        joined_on=d.joined_on,
        status=status,
        status_since=since,
        left_on=left,
    )


def lead_groups(union: Union) -> None:
    """Make the longest-serving active member of each group its leader and liaison."""
    groups = list(Group.objects.filter(union=union, leader__isnull=True))
    firsts = {}
    for group_id, member_id in (
        Member.objects.filter(union=union, status=Status.ACTIVE, group__isnull=False)
        .order_by("group_id", "joined_on", "id")
        .values_list("group_id", "id")
    ):
        firsts.setdefault(group_id, member_id)
    for g in groups:
        g.leader_id = g.liaison_id = firsts.get(g.pk)
    Group.objects.bulk_update(groups, ["leader", "liaison"])
