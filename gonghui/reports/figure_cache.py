"""Figures computed once per change of the records they read.

The dashboard and a summary report page ask for dozens of registry figures
and charts, each a query over a year of a union's records: seconds of
database time per view, for numbers that change a few times a day. Inside
`serving()`, each figure (a metric value, a chart) is kept in this process's
memory together with the tables its computation read (every table named in
the SQL it ran, figures it used included) and those tables' change marks at
the time. A later view serves the kept value only while every one of those
marks is unchanged; otherwise it computes it again, live, as before.

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
MAX_ENTRIES = 4096

_WRITE = re.compile(r'\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)
_READ = re.compile(r'\b(?:FROM|JOIN)\s+"?(\w+)"?', re.IGNORECASE)

# The marks read at the start of the current view (None: not serving).
_SNAPSHOT: ContextVar[dict[str, str] | None] = ContextVar("gonghui_marks", default=None)
# The sets collecting the tables read by the figures being computed, outermost first.
_CAPTURES: ContextVar[tuple[set[str], ...]] = ContextVar("gonghui_captures", default=())


@dataclass(frozen=True)
class Entry:
    value: object
    marks: tuple[tuple[str, str | None], ...]  # (table, its mark when computed)

    @property
    def tables(self) -> set[str]:
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
        read = set(_READ.findall(sql))
        for tables in captures:
            tables.update(read)
    written = _WRITE.match(sql)
    if written and written.group(1) != MARKS_TABLE and not getattr(_migrating, "on", False):
        _wrote(context["connection"], written.group(1))
    return result


def _wrote(conn, table: str) -> None:
    if not conn.in_atomic_block:
        bump([table])
        return
    # One bump per transaction, after it commits: Django replaces its list of
    # commit hooks after a commit or rollback, so a new list means a new
    # transaction; a hook that has run empties its set.
    state = getattr(_pending, "state", None)
    if state is None or state[0] is not conn.run_on_commit or not state[1]:
        tables: set[str] = set()
        transaction.on_commit(functools.partial(bump, tables), using=conn.alias)
        state = _pending.state = (conn.run_on_commit, tables)
    state[1].add(table)


def _writing() -> bool:
    """Whether the current transaction has written rows not yet committed."""
    state = getattr(_pending, "state", None)
    return bool(
        connection.in_atomic_block and state and state[0] is connection.run_on_commit and state[1]
    )


def bump(tables) -> None:
    """Give these tables new marks (after their writes are committed)."""
    from gonghui.reports.models import TableMark

    names = sorted(tables)
    if isinstance(tables, set):
        tables.clear()
    if not names:
        return
    TableMark.objects.bulk_create(
        [TableMark(table=t, token=uuid.uuid4().hex) for t in names],
        update_conflicts=True,
        unique_fields=["table"],
        update_fields=["token"],
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
        bump(names - {MARKS_TABLE})


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
    if not _writing():
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
