"""Figures computed once per change of the records they read.

The dashboard and a summary report page ask for dozens of registry figures
and charts, each a query over a year of a union's records: seconds of
database time per view, for numbers that change a few times a day. Inside
`serving()`, each figure (a metric value, a chart) is kept in this process's
memory together with the tables its computation read (every table named in
the SQL it ran, figures it used included) and those tables' change marks at
the time. A later view serves the kept value only while every one of those
marks is unchanged; otherwise it computes it again, live, as before. Marks
are finer than tables where the SQL allows: an UPDATE renews the marks of
the columns it sets, and a figure whose SQL (as Django's compiler writes it)
names each column it reads depends on those columns and on the table's rows,
so moving an activity's seat counter does not renew "activities held"; SQL
not understood (a hand-written CTE) depends on every table it names, whole.

A table's mark (`TableMark`) gets a new token when a transaction that wrote
it commits. Writes are seen at the database connection, not through model
signals, so nothing escapes: saves, deletes, `QuerySet.update`,
`bulk_create`, many-to-many links and raw SQL through Django's connection
all mark their tables; a data migration marks every table. Marks are read
once per view before any figure is computed, so a figure computed from data
committed after that read is stored under the older marks and recomputed on
the next view: a figure served is always the one the registry would compute
now. A view whose own transaction has written something computes everything
live (it must see its own uncommitted rows, and they may still roll back).

Workers of one machine share the figures through the "figures" cache alias
when settings define one (production: files under GONGHUI_VAR_DIR), so a
figure is computed once per change, not once per worker.

The key also holds today's date, since a figure such as "overdue" reads the
calendar as well as the records.
"""

import functools
import hashlib
import logging
import re
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable, Hashable
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

MARKS_TABLE = "reports_tablemark"
SHARED_CACHE = "figures"
MARK_LENGTH = 100  # TableMark.table; a longer name shares a mark, which is only slower
MAX_ENTRIES = 4096

_WRITE = re.compile(r'\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)
# A statement that writes inside WITH (… RETURNING …): every table it writes,
# marked whole.
_WITH_WRITES = re.compile(r'\b(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)
# The secret ballot's tables carry no marks: a vote is written by one
# hand-written statement on the busiest path, and no figure needs to know when
# (DESIGN.md; the summary tables skip them too). A figure that reads one of
# them is therefore never kept: it is computed live every time.
UNMARKED = frozenset(
    {
        "democracy_ballot",
        "democracy_rollentry",
        "democracy_votingcode",
        "democracy_evaluationroll",
        "democracy_evaluationsheet",
    }
)

# The marks read at the start of the current view (None: not serving).
_SNAPSHOT: ContextVar[dict[str, str] | None] = ContextVar("gonghui_marks", default=None)
# The sets collecting the tables read by the figures being computed, outermost first.
_CAPTURES: ContextVar[tuple[set[str], ...]] = ContextVar("gonghui_captures", default=())


@dataclass(frozen=True)
class Entry:
    value: object
    marks: tuple[tuple[str, str | None], ...]  # (mark name, its token when computed)

    @property
    def tables(self) -> set[str]:
        """The names of the marks it depends on (tables, table columns)."""
        return {t for t, _ in self.marks}


logger = logging.getLogger(__name__)
_entries: OrderedDict[Hashable, Entry] = OrderedDict()
_lock = threading.Lock()
_pending = threading.local()
_migrating = threading.local()


# Writes ----------------------------------------------------------------------------------


def watch(execute, sql, params, many, context):
    """The connection's execute wrapper: note the tables written, and the
    tables read while a figure is being computed."""
    result = execute(sql, params, many, context)
    captures = _CAPTURES.get()
    if captures:
        read = read_marks(sql)
        for names in captures:
            names.update(read)
    if getattr(_migrating, "on", False):
        return result
    written = _WRITE.match(sql)
    if written:
        table = written.group(1)
        if table != MARKS_TABLE and table not in UNMARKED:
            for name in written_marks(sql, table):
                _wrote(context["connection"], name)
    elif sql.lstrip()[:4].upper() == "WITH":
        for table in set(_WITH_WRITES.findall(sql)) - UNMARKED - {MARKS_TABLE}:
            _wrote(context["connection"], table)
    return result


# Marks are per table ("t": its rows were added or removed, or changed in a way
# not understood) and per updated column ("t.c", with "t.*" for "some column").
# A figure whose SQL names every column it reads of a table depends on that
# table's rows and those columns: a sign-up that moves an activity's seat
# counter does not renew the count of activities held. Anything not
# understood falls back to the whole table.

_STRINGS = re.compile(r"'(?:[^']|'')*'")
_SOURCE = re.compile(r'\b(?:FROM|JOIN)\s+(")?(\w+)(?(1)")(?:\s+(?:AS\s+)?(\w+)\b)?', re.IGNORECASE)
_COLUMN = re.compile(r'(?:"(\w+)"|\b(\w+))\."(\w+)"')
_OUTPUT = re.compile(r'\bAS\s+"(\w+)"', re.IGNORECASE)
_WORD = re.compile(r'"[^"]*"|\b[A-Za-z_]\w*\b')
# Words Django's compiler writes besides names (any other word makes the whole
# statement "not understood").
_SQL_WORDS = frozenset(
    """
    select distinct from where and or not in is null as inner left outer join on group by union all
    order asc desc nulls first last limit offset between exists case when then else end
    cast numeric integer bigint text varchar date timestamp timestamptz time zone at
    count sum avg min max coalesce abs like ilike escape upper lower true false having
    extract year month day filter interval date_trunc django_datetime_cast_date
    django_date_extract django_date_trunc django_datetime_extract django_datetime_trunc
    django_format_dtdelta
    """.split()
)


def read_marks(sql: str) -> set[str]:
    """The marks a SELECT depends on."""
    text = _STRINGS.sub("''", sql).replace("%s", " ")
    tables: dict[str, str] = {}  # name or alias -> table
    understood = True
    for m in _SOURCE.finditer(text):
        table, alias = m.group(2), m.group(3)
        if not m.group(1):
            understood = understood and table.lower() in _SQL_WORDS
            if table.lower() not in _SQL_WORDS:
                tables[table] = table
            continue
        tables[table] = table
        if alias and alias.lower() not in _SQL_WORDS:
            tables[alias] = table
    columns: dict[str, set[str]] = {t: set() for t in tables.values()}
    for m in _COLUMN.finditer(text):
        owner = tables.get(m.group(1) or m.group(2))
        if owner is None:
            understood = False
            continue
        columns[owner].add(m.group(3))
    if understood:
        outputs = set(_OUTPUT.findall(text))
        rest = _COLUMN.sub(" ", text)
        for word in _WORD.findall(rest):
            if word.startswith('"'):
                if word.strip('"') not in outputs and word.strip('"') not in tables:
                    understood = False
                    break
            elif word.lower() not in _SQL_WORDS and word not in tables:
                understood = False
                break
    if not understood:
        # Hand-written SQL (a CTE, a comma join…): every table it names anywhere.
        for word in set(re.findall(r"\w+", text)) & _known_tables():
            columns.setdefault(word, set())
    marks = set(columns)
    for table, used in columns.items():
        if understood:
            marks.update(f"{table}.{c}" for c in used)
        else:
            marks.add(f"{table}.*")
    return {m[:MARK_LENGTH] for m in marks}


@functools.cache
def _known_tables() -> frozenset[str]:
    from django.apps import apps

    names = set()
    for model in apps.get_models(include_auto_created=True):
        names.add(model._meta.db_table)
    return frozenset(names)


def written_marks(sql: str, table: str) -> list[str]:
    """The marks a write renews: the table's, or for an UPDATE whose SET
    clause is understood, its columns' (and "some column")."""
    if not sql.lstrip()[:6].upper() == "UPDATE":
        return [table]
    text = _STRINGS.sub("''", sql)
    at = re.search(r"\bSET\b", text, re.IGNORECASE)
    if at is None:
        return [table]
    depth, parts, start = 0, [], at.end()
    for i in range(at.end(), len(text)):
        ch = text[i]
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif depth == 0 and ch == ",":
            parts.append(text[start:i])
            start = i + 1
        elif depth == 0 and re.match(r"\s+WHERE\b", text[i:], re.IGNORECASE):
            break
    else:
        i = len(text)
    parts.append(text[start:i])
    names = [re.match(r'\s*"(\w+)"\s*=', part) for part in parts]
    if not all(names):
        return [table]
    return [m[:MARK_LENGTH] for m in (f"{table}.*", *(f"{table}.{n.group(1)}" for n in names))]


def _wrote(conn, table: str) -> None:
    if not conn.in_atomic_block:
        bump([table], using=conn.alias)
        return
    # One bump per transaction, after it commits: Django replaces its list of
    # commit hooks after a commit or rollback, so a new list means a new
    # transaction; a hook that has run empties its set.
    state = getattr(_pending, "state", None)
    if state is None or state[0] is not conn.run_on_commit or not state[1]:
        tables: set[str] = set()
        transaction.on_commit(functools.partial(bump, tables, using=conn.alias), using=conn.alias)
        state = _pending.state = (conn.run_on_commit, tables)
    state[1].add(table)


def _writing() -> bool:
    """Whether the current transaction has written rows not yet committed."""
    state = getattr(_pending, "state", None)
    return bool(
        connection.in_atomic_block and state and state[0] is connection.run_on_commit and state[1]
    )


def bump(tables, using: str = "default") -> None:
    """Give these marks new tokens (after their writes are committed).

    One statement, without a transaction of its own: in autocommit it commits
    by itself, and on SQLite, where an INSERT … RETURNING whose rows are not
    yet read keeps its statement open, it becomes visible together with that
    write instead of failing to commit beside it."""
    from django.db import connections

    names = sorted(tables)
    if isinstance(tables, set):
        tables.clear()
    if not names:
        return
    conn = connections[using]
    quote = conn.ops.quote_name
    with conn.cursor() as cursor:
        for i in range(0, len(names), 400):  # within SQLite's limit on parameters
            part = names[i : i + 400]
            rows = ", ".join(["(%s, %s)"] * len(part))
            cursor.execute(
                f"INSERT INTO {quote(MARKS_TABLE)} ({quote('table')}, {quote('token')})"
                f" VALUES {rows} ON CONFLICT ({quote('table')})"
                f" DO UPDATE SET {quote('token')} = EXCLUDED.{quote('token')}",
                [v for name in part for v in (name, uuid.uuid4().hex)],
            )


def install(sender=None, connection=None, **kwargs) -> None:
    """On every new database connection (the `connection_created` signal)."""
    if connection is not None and watch not in connection.execute_wrappers:
        connection.execute_wrappers.append(watch)


def migration_started(**kwargs) -> None:
    _migrating.on = True


def migration_finished(using="default", **kwargs) -> None:
    """A migration may have rewritten any table: every table gets a new mark
    (once per `migrate`; Django sends post_migrate for each app)."""
    if not getattr(_migrating, "on", False):
        return
    _migrating.on = False
    from django.db import connections

    names = set(connections[using].introspection.table_names())
    if MARKS_TABLE in names:
        bump(names - {MARKS_TABLE}, using=using)


# Serving ---------------------------------------------------------------------------------


def _read_marks() -> dict[str, str]:
    from gonghui.reports.models import TableMark

    return dict(TableMark.objects.values_list("table", "token"))


@contextmanager
def serving():
    """Serve figures from the kept ones where still current, inside the block."""
    if _SNAPSHOT.get() is not None:
        yield
        return
    token = _SNAPSHOT.set(_read_marks())
    try:
        yield
    finally:
        _SNAPSHOT.reset(token)


def _note(tables: set[str]) -> None:
    for outer in _CAPTURES.get():
        outer.update(tables)


def figure(key: tuple, compute: Callable[[], object]):
    """The value of `compute()`, kept under `key` (plus today's date) while the
    tables it read are unchanged. Outside `serving()` it simply computes."""
    snapshot = _SNAPSHOT.get()
    if snapshot is None or _writing():
        return compute()
    key = (*key, timezone.localdate())
    with _lock:
        entry = _entries.get(key)
        if entry is not None:
            _entries.move_to_end(key)
    if entry is None or not _current(entry, snapshot):
        entry = _shared_get(key)
    if entry is not None and _current(entry, snapshot):
        _keep(key, entry)
        _note(entry.tables)
        return entry.value
    tables: set[str] = set()
    token = _CAPTURES.set((*_CAPTURES.get(), tables))
    try:
        value = compute()
    finally:
        _CAPTURES.reset(token)
    _note(tables)
    if not _writing() and not any(t.split(".", 1)[0] in UNMARKED for t in tables):
        entry = Entry(value, tuple((t, snapshot.get(t)) for t in sorted(tables)))
        _keep(key, entry)
        _shared_set(key, entry)
    return value


def _current(entry: Entry, snapshot: dict[str, str]) -> bool:
    return all(snapshot.get(t) == m for t, m in entry.marks)


def _keep(key, entry: Entry) -> None:
    with _lock:
        _entries[key] = entry
        _entries.move_to_end(key)
        while len(_entries) > MAX_ENTRIES:
            _entries.popitem(last=False)


# The workers of one machine share what they computed through the "figures"
# cache when settings define it (production: a file cache); a kept figure is
# checked against the marks wherever it comes from.


def _shared():
    from django.conf import settings
    from django.core.cache import caches

    return caches[SHARED_CACHE] if SHARED_CACHE in settings.CACHES else None


def _shared_key(key) -> str:
    return "figure:" + hashlib.sha256(repr(key).encode()).hexdigest()


def _shared_get(key) -> Entry | None:
    cache = _shared()
    if cache is None:
        return None
    try:
        found = cache.get(_shared_key(key))
    except Exception:  # an unreadable file is a miss, never an error page
        logger.warning("figure cache: cannot read %r", key, exc_info=True)
        return None
    return found if isinstance(found, Entry) else None


def _shared_set(key, entry: Entry) -> None:
    cache = _shared()
    if cache is None:
        return
    try:
        cache.set(_shared_key(key), entry)
    except Exception:  # e.g. a value that cannot be pickled: kept in this process only
        logger.warning("figure cache: cannot store %r", key, exc_info=True)


def forget() -> None:
    """Drop every kept figure of this process and the shared cache (tests)."""
    with _lock:
        _entries.clear()
    cache = _shared()
    if cache is not None:
        cache.clear()
