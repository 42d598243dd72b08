"""A demo built once per test process and restored, row for row, in later modules.

Building the school demo runs every service it exercises (30–70 s on
PostgreSQL), and a dozen test modules each want it, read-only, inside their
own rolled-back transaction. The first module in a process builds it; right
after the build we copy every table as it stands (the stored bytes: ciphertext
of encrypted fields stays ciphertext) and the process keeps that copy. A later
module, inside its own transaction, empties every table and writes the copy
back, so it reads exactly what the build wrote, ids included, in about a
second. Everything is rolled back with the module's transaction, as before.

`test_snapshot.py` checks that a restored database matches the built one,
table by table, byte for byte.
"""

import hashlib
from collections.abc import Callable, Hashable
from contextlib import closing
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import connection

# Written by migrations only, never by a build.
_SKIP = frozenset({"django_migrations"})


@dataclass(frozen=True)
class Snapshot:
    """Every table's rows after a build, and what the build returned."""

    rows: dict[str, object]  # table -> COPY text (PostgreSQL) or (columns, rows) (SQLite)
    sequences: dict[str, list[tuple[str, str]]]  # table -> [(sequence, column)] (PostgreSQL)
    model: type
    pk: object
    checksum: str


_kept: dict[Hashable, Snapshot] = {}


def built_or_restored(key: Hashable, build: Callable[[], object]):
    """The object `build()` returns, fetched afresh from the database: built
    the first time this process asks for `key`, restored from the copy after.
    Call it inside the transaction that is rolled back after the module."""
    if not connection.in_atomic_block:
        raise RuntimeError("a demo snapshot is only restored inside a rolled-back transaction")
    snapshot = _kept.get(key)
    if snapshot is None:
        made = build()
        snapshot = _kept[key] = take(type(made), made.pk)
    else:
        restore(snapshot)
    settle()
    return snapshot.model._default_manager.get(pk=snapshot.pk)


def settle() -> None:
    """Leave the module's transaction as a later test will find it, whether
    the demo was built or restored: fresh planner statistics on PostgreSQL
    (uncommitted rows are invisible to autovacuum, so the planner would take
    every table for empty), no content types cached from another build, and
    no commit hooks pending from the build (they are rolled back unrun; each
    test's own writes register their own, as they do after a test's rollback)."""
    if connection.vendor == "postgresql":
        with closing(connection.connection.cursor()) as cursor:
            cursor.execute("ANALYZE")
    ContentType.objects.clear_cache()
    connection.run_on_commit = []


def take(model: type, pk) -> Snapshot:
    rows = dump()
    sequences = {}
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in rows:
                found = connection.introspection.get_sequences(cursor, table)
                if found:
                    sequences[table] = [(s["name"], s["column"]) for s in found]
    return Snapshot(rows, sequences, model, pk, checksum(rows))


def tables() -> list[str]:
    with connection.cursor() as cursor:
        names = connection.introspection.table_names(cursor)
    return sorted(set(names) - _SKIP)


def dump() -> dict[str, object]:
    """Every table's stored rows, as the database keeps them."""
    raw = connection.connection
    out: dict[str, object] = {}
    with closing(raw.cursor()) as cursor:
        for table in tables():
            if connection.vendor == "postgresql":
                with cursor.copy(f'COPY "{table}" TO STDOUT') as copy:
                    out[table] = b"".join(bytes(block) for block in copy)
            else:
                columns = [
                    row[1]
                    for row in cursor.execute(f'PRAGMA table_xinfo("{table}")').fetchall()
                    if row[6] == 0  # not a generated column
                ]
                # Unary + hands the stored value back untouched but hides the
                # column's declared type, so Django's converters (dates,
                # decimals, booleans) leave it as stored.
                select = ", ".join(f'+"{c}"' for c in columns)
                out[table] = (columns, cursor.execute(f'SELECT {select} FROM "{table}"').fetchall())
    return out


def restore(snapshot: Snapshot) -> None:
    raw = connection.connection
    with closing(raw.cursor()) as cursor:
        for table in snapshot.rows:
            cursor.execute(f'DELETE FROM "{table}"')
        for table, rows in snapshot.rows.items():
            if connection.vendor == "postgresql":
                if rows:
                    with cursor.copy(f'COPY "{table}" FROM STDIN') as copy:
                        copy.write(rows)
            else:
                columns, values = rows
                if values:
                    names = ", ".join(f'"{c}"' for c in columns)
                    marks = ", ".join("?" for _ in columns)
                    cursor.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', values)
        # PostgreSQL's sequences are not rolled back and never saw the
        # restored ids: move each past its table's largest id (never back).
        # SQLite's AUTOINCREMENT follows explicit ids by itself.
        for table, sequences in snapshot.sequences.items():
            if not snapshot.rows[table]:
                continue
            for sequence, column in sequences:
                cursor.execute(
                    f'SELECT setval(%s, GREATEST((SELECT MAX("{column}") FROM "{table}"),'
                    f' (SELECT last_value FROM "{sequence}")))',
                    [sequence],
                )


def checksum(rows: dict[str, object]) -> str:
    """A digest of every table's rows, in any physical order."""
    digest = hashlib.sha256()
    for table in sorted(rows):
        digest.update(table.encode() + b"\0")
        if isinstance(rows[table], bytes):
            lines = sorted(rows[table].split(b"\n"))
        else:
            columns, values = rows[table]
            digest.update(repr(columns).encode())
            lines = sorted(repr(row).encode() for row in values)
        for line in lines:
            digest.update(line + b"\n")
    return digest.hexdigest()
