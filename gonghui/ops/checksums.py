"""Row counts and row checksums of every table, and integrity checks.

They run on plain DB-API connections (sqlite3, psycopg), not Django's, so the
same code reads a snapshot file, a dump being taken, a restored database and
the live one. A table's checksum is SHA-256 over its column names and every
row in primary-key order (every column when it has none), each value encoded
with its type: the same rows give the same checksum on the same engine, any
changed, added, dropped or reordered value changes it. Aware datetimes are
taken in UTC so the session time zone does not matter.
"""

import datetime as dt
import hashlib
import json
import uuid
from decimal import Decimal

BATCH = 2000


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _encode(value) -> bytes:
    if value is None:
        return b"n"
    if isinstance(value, bool):
        return b"T" if value else b"F"
    if isinstance(value, int):
        return b"i" + str(value).encode()
    if isinstance(value, float):
        return b"f" + repr(value).encode()
    if isinstance(value, Decimal):
        return b"d" + str(value).encode()
    if isinstance(value, str):
        return b"s" + value.encode("utf-8", "surrogatepass")
    if isinstance(value, bytes | bytearray | memoryview):
        return b"b" + bytes(value).hex().encode()
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC)
        return b"t" + value.isoformat().encode()
    if isinstance(value, dt.date | dt.time | dt.timedelta):
        return b"t" + str(value).encode()
    if isinstance(value, uuid.UUID):
        return b"u" + str(value).encode()
    if isinstance(value, dict | list | tuple):
        return b"j" + json.dumps(value, sort_keys=True, ensure_ascii=False, default=str).encode()
    return b"o" + type(value).__name__.encode() + b":" + str(value).encode()


def _feed(digest, parts: list[bytes]) -> None:
    digest.update(len(parts).to_bytes(4, "big"))
    for part in parts:
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)


# SQLite -----------------------------------------------------------------------------


def sqlite_tables(conn) -> list[str]:
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        " ORDER BY name"
    ).fetchall()
    return [r[0] for r in rows]


def _sqlite_order(conn, table: str) -> list[str]:
    info = conn.execute(f"PRAGMA table_info({quote(table)})").fetchall()
    keys = [row[1] for row in sorted(info, key=lambda r: r[5]) if row[5]]
    return keys or [row[1] for row in info]


def sqlite_summary(conn) -> dict:
    """{table: {"rows": n, "sha256": hex}} of every table of a sqlite3 connection."""
    tables = {}
    for table in sqlite_tables(conn):
        order = ", ".join(quote(c) for c in _sqlite_order(conn, table))
        cursor = conn.execute(f"SELECT * FROM {quote(table)} ORDER BY {order}")
        tables[table] = _digest_rows(cursor, [d[0] for d in cursor.description])
    return tables


def sqlite_integrity(conn) -> list[str]:
    """Problems found by PRAGMA integrity_check and foreign_key_check; [] when sound."""
    problems = [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall() if r[0] != "ok"]
    for table, rowid, parent, _fk in conn.execute("PRAGMA foreign_key_check").fetchall():
        problems.append(f"表 {table} 第 {rowid} 行引用的 {parent} 记录不存在")
    return problems


# PostgreSQL -------------------------------------------------------------------------


def postgres_tables(conn) -> list[str]:
    rows = conn.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
    ).fetchall()
    return [r[0] for r in rows]


def _postgres_order(conn, table: str) -> list[str]:
    rows = conn.execute(
        "SELECT a.attname FROM pg_index i"
        " JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)"
        " WHERE i.indrelid = %s::regclass AND i.indisprimary"
        " ORDER BY array_position(i.indkey, a.attnum)",
        [quote(table)],
    ).fetchall()
    if rows:
        return [r[0] for r in rows]
    rows = conn.execute(
        "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0"
        " AND NOT attisdropped ORDER BY attnum",
        [quote(table)],
    ).fetchall()
    return [r[0] for r in rows]


def postgres_summary(conn) -> dict:
    """Like sqlite_summary, on a psycopg connection inside a transaction (named
    cursors stream large tables without loading them)."""
    tables = {}
    for n, table in enumerate(postgres_tables(conn)):
        order = ", ".join(quote(c) for c in _postgres_order(conn, table))
        with conn.cursor(name=f"gonghui_checksum_{n}") as cursor:
            cursor.itersize = BATCH
            cursor.execute(f"SELECT * FROM {quote(table)} ORDER BY {order}")
            tables[table] = _digest_rows(cursor, [d.name for d in cursor.description])
    return tables


def _sequence_problems(conn) -> list[str]:
    """Sequences behind their column's largest value (new rows would collide).

    Sequences are outside transactions, so their values are not part of a
    snapshot and are not compared with the manifest; what a restore needs is
    that every sequence is at or past the rows it numbers."""
    owned = conn.execute(
        "SELECT s.relname, t.relname, a.attname, q.last_value FROM pg_class s"
        " JOIN pg_depend d ON d.objid = s.oid AND d.classid = 'pg_class'::regclass"
        "  AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')"
        " JOIN pg_class t ON t.oid = d.refobjid"
        " JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid"
        " JOIN pg_sequences q ON q.schemaname = current_schema() AND q.sequencename = s.relname"
        " WHERE s.relkind = 'S' AND s.relnamespace = current_schema()::regnamespace"
        " ORDER BY s.relname"
    ).fetchall()
    problems = []
    for sequence, table, column, last in owned:
        (largest,) = conn.execute(f"SELECT max({quote(column)}) FROM {quote(table)}").fetchone()
        if largest is not None and (last is None or last < largest):
            problems.append(
                f"序列 {sequence} 停在 {last or 0}，而表 {table} 的 {column} 已到 {largest}："
                "新增记录会撞号"
            )
    return problems


def postgres_integrity(conn) -> list[str]:
    """Foreign keys that are not validated or that rows break, and sequences
    behind their rows; [] when sound."""
    problems = _sequence_problems(conn)
    constraints = conn.execute(
        "SELECT c.conname, c.conrelid::regclass::text, c.confrelid::regclass::text,"
        " c.convalidated,"
        " ARRAY(SELECT a.attname FROM unnest(c.conkey) WITH ORDINALITY k(n, o)"
        "       JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.o),"
        " ARRAY(SELECT a.attname FROM unnest(c.confkey) WITH ORDINALITY k(n, o)"
        "       JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n ORDER BY k.o)"
        " FROM pg_constraint c"
        " WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace"
        " ORDER BY c.conname"
    ).fetchall()
    for name, child, parent, validated, columns, referenced in constraints:
        if not validated:
            problems.append(f"外键约束 {name}（{child} → {parent}）未经验证")
        present = " AND ".join(f"c.{quote(col)} IS NOT NULL" for col in columns)
        match = " AND ".join(
            f"p.{quote(r)} = c.{quote(col)}" for col, r in zip(columns, referenced, strict=True)
        )
        (broken,) = conn.execute(
            f"SELECT count(*) FROM {child} c WHERE {present}"
            f" AND NOT EXISTS (SELECT 1 FROM {parent} p WHERE {match})"
        ).fetchone()
        if broken:
            problems.append(f"表 {child} 有 {broken} 行引用的 {parent} 记录不存在（{name}）")
    return problems


# Shared -----------------------------------------------------------------------------


def _digest_rows(cursor, columns: list[str]) -> dict:
    digest = hashlib.sha256()
    _feed(digest, [c.encode() for c in columns])
    count = 0
    while rows := cursor.fetchmany(BATCH):
        for row in rows:
            _feed(digest, [_encode(v) for v in row])
        count += len(rows)
    return {"rows": count, "sha256": digest.hexdigest()}


def differences(expected: dict, actual: dict) -> list[str]:
    """What differs between two {table: {"rows", "sha256"}} summaries, in Chinese."""
    problems = []
    for table in sorted(set(expected) | set(actual)):
        want, got = expected.get(table), actual.get(table)
        if got is None:
            problems.append(f"缺少表 {table}")
        elif want is None:
            problems.append(f"多出了备份中没有的表 {table}")
        elif want["rows"] != got["rows"]:
            problems.append(f"表 {table} 应有 {want['rows']} 行，实际 {got['rows']} 行")
        elif want["sha256"] != got["sha256"]:
            problems.append(f"表 {table} 的行数一致（{got['rows']} 行）但内容校验和不符")
    return problems
