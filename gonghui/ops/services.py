"""Backup and restore: one encrypted file holding a consistent copy of the
database, the uploaded files and a manifest to verify them against.

A backup is taken online. SQLite: the backup API copies the database in one
step, a snapshot no writer can tear. PostgreSQL: a REPEATABLE READ transaction
exports its snapshot, `pg_dump -Fc --snapshot` dumps exactly that snapshot and
the manifest is computed inside the same transaction, so the counts and
checksums describe the very rows in the dump. Uploads are copied after the
database snapshot, so every file a row of the snapshot names is there.

A restore writes only into an empty database of the same engine (SQLite into
SQLite, PostgreSQL into PostgreSQL; cross-engine restore is not supported). The
whole file is decrypted and authenticated into a private working directory
before anything is written; then the database is loaded (SQLite: verified in a
staging file, then moved into place in one rename; PostgreSQL: `pg_restore
--single-transaction`), every table's row count and checksum is compared with
the manifest and the integrity checks run; the uploads go back last.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import tarfile
import tempfile
from datetime import UTC, datetime
from importlib import metadata
from io import BytesIO
from pathlib import Path, PurePosixPath

from django.conf import settings

from gonghui.ops import checksums, crypto
from gonghui.ops.databases import ENGINE_NAMES, SQLITE, Database, pg_tool, run_pg_tool
from gonghui.ops.databases import default as default_database
from gonghui.ops.errors import BackupError

FORMAT = "gonghui-backup"
MANIFEST = "manifest.json"
DATABASE_DIR = "database"
MEDIA_DIR = "media"
SQLITE_FILE = "gonghui.sqlite3"
PG_DUMP_FILE = "gonghui.pgdump"


def _version() -> str:
    try:
        return metadata.version("gonghui")
    except metadata.PackageNotFoundError:
        return "unknown"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _workdir(prefix: str) -> Path:
    """A private directory for plaintext on its way in or out (removed afterwards)."""
    return Path(tempfile.mkdtemp(prefix=prefix, dir=settings.VAR_DIR))


# Backup -----------------------------------------------------------------------------


def backup(output, *, database: Database | None = None, media_root=None) -> dict:
    """Write an encrypted backup to `output` (never overwritten); return its manifest."""
    output = Path(output)
    database = database or default_database()
    media_root = Path(media_root if media_root is not None else settings.MEDIA_ROOT)
    if output.exists():
        raise BackupError(f"文件 {output} 已存在：不会覆盖已有的备份，请换一个文件名")
    if not output.parent.is_dir():
        raise BackupError(f"目录 {output.parent} 不存在，无法写入备份")
    key = crypto.keys()[0]
    work = _workdir(".backup-")
    partial = output.with_name(output.name + ".part")
    try:
        if database.engine == SQLITE:
            db_file, snapshot = _snapshot_sqlite(database, work)
        else:
            db_file, snapshot = _snapshot_postgres(database, work)
        manifest = {
            "format": FORMAT,
            "version": 1,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "gonghui_version": _version(),
            "engine": database.engine,
            **snapshot,
            "database_file": {
                "name": db_file.name,
                "size": db_file.stat().st_size,
                "sha256": _sha256(db_file),
            },
            "key_id": crypto.key_id(key).hex(),
        }
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            writer = crypto.EncryptingWriter(out, key)
            with tarfile.open(fileobj=writer, mode="w|", format=tarfile.PAX_FORMAT) as tar:
                tar.add(db_file, arcname=f"{DATABASE_DIR}/{db_file.name}")
                manifest["media"] = _add_media(tar, media_root)
                body = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mode = len(body), 0o600
                tar.addfile(info, BytesIO(body))
            writer.close()
            out.flush()
            os.fsync(out.fileno())
        os.replace(partial, output)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return manifest


def _snapshot_sqlite(database: Database, work: Path) -> tuple[Path, dict]:
    if not database.path.is_file():
        raise BackupError(f"数据库文件 {database.path} 不存在，无法备份")
    target = work / SQLITE_FILE
    source = sqlite3.connect(database.path, timeout=60)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)  # all pages in one step: a snapshot no writer can tear
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        problems = checksums.sqlite_integrity(copy)
        if problems:
            raise BackupError("数据库完整性检查未通过，没有生成备份：" + "；".join(problems[:10]))
        tables = checksums.sqlite_summary(copy)
    finally:
        copy.close()
        source.close()
    return target, {"server_version": sqlite3.sqlite_version, "tables": tables}


def _snapshot_postgres(database: Database, work: Path) -> tuple[Path, dict]:
    import psycopg

    dump = work / PG_DUMP_FILE
    tool = pg_tool("pg_dump")
    try:
        conn = database.connect()
    except psycopg.Error as e:
        raise BackupError(f"无法连接{database.label}：{e}") from e
    try:
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        conn.read_only = True
        with conn.transaction():
            (snapshot,) = conn.execute("SELECT pg_export_snapshot()").fetchone()
            (server_version,) = conn.execute("SHOW server_version").fetchone()
            # pg_dump reads the snapshot this transaction holds open.
            run_pg_tool(
                [tool, "--format=custom", f"--snapshot={snapshot}", f"--file={dump}"],
                database,
                "pg_dump 导出数据库",
            )
            problems = checksums.postgres_integrity(conn)
            if problems:
                raise BackupError(
                    "数据库完整性检查未通过，没有生成备份：" + "；".join(problems[:10])
                )
            tables = checksums.postgres_summary(conn)
    finally:
        conn.close()
    return dump, {"server_version": server_version, "tables": tables}


class _Hashing:
    """A file wrapper that hashes what tarfile reads through it."""

    def __init__(self, f):
        self._f = f
        self.digest = hashlib.sha256()

    def read(self, size=-1):
        data = self._f.read(size)
        self.digest.update(data)
        return data


def _add_media(tar: tarfile.TarFile, media_root: Path) -> dict:
    files = {}
    if not media_root.is_dir():
        return files
    for path in sorted(p for p in media_root.rglob("*") if p.is_file() and not p.is_symlink()):
        relative = path.relative_to(media_root).as_posix()
        info = tar.gettarinfo(path, arcname=f"{MEDIA_DIR}/{relative}")
        with open(path, "rb") as f:
            hashing = _Hashing(f)
            tar.addfile(info, hashing)
        files[relative] = {"size": info.size, "sha256": hashing.digest.hexdigest()}
    return files


# Restore ----------------------------------------------------------------------------


def restore(path, *, into: Database | None = None, media_dir=None, media: bool = True) -> dict:
    """Restore the backup at `path` into an empty database (the configured one
    unless `into`), verify it and put the uploads back into `media_dir`
    (MEDIA_ROOT unless given; none when media=False). Returns a report."""
    path = Path(path)
    target = into or default_database()
    media_dir = Path(media_dir if media_dir is not None else settings.MEDIA_ROOT)
    if not path.is_file():
        raise BackupError(f"找不到备份文件 {path}")
    _refuse_unless_empty(target)
    work = _workdir(".restore-")
    try:
        key_id = _unpack(path, work)
        manifest = _read_manifest(work)
        if manifest["engine"] != target.engine:
            raise BackupError(
                f"这份备份来自 {ENGINE_NAMES[manifest['engine']]} 数据库，目标却是"
                f" {ENGINE_NAMES[target.engine]} 数据库：不支持跨数据库类型恢复，"
                "请恢复到同类型的空数据库"
            )
        db_file = _checked_database_file(work, manifest)
        files = _checked_media(work, manifest)
        if media:
            _refuse_conflicting_media(files, media_dir, manifest)
        if target.engine == SQLITE:
            _restore_sqlite(target, db_file, manifest)
        else:
            _restore_postgres(target, db_file, manifest)
        restored_files = _put_media(files, media_dir) if media else 0
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return {
        "database": target.label,
        "created_at": manifest["created_at"],
        "gonghui_version": manifest["gonghui_version"],
        "key_id": key_id,
        "tables": len(manifest["tables"]),
        "rows": sum(t["rows"] for t in manifest["tables"].values()),
        "media_files": len(files),
        "media_restored": restored_files,
    }


def _refuse_unless_empty(target: Database) -> None:
    if target.engine == SQLITE:
        if not target.path.parent.is_dir():
            raise BackupError(f"目录 {target.path.parent} 不存在，无法恢复到 {target.path}")
        if not target.path.exists() or target.path.stat().st_size == 0:
            return
        try:
            conn = sqlite3.connect(target.path)
            try:
                tables = checksums.sqlite_tables(conn)
            finally:
                conn.close()
        except sqlite3.DatabaseError as e:
            raise BackupError(f"{target.path} 不是可用的 SQLite 数据库文件：{e}") from e
    else:
        import psycopg

        try:
            conn = target.connect(autocommit=True)
        except psycopg.Error as e:
            raise BackupError(
                f"无法连接{target.label}：{e}。请先用 createdb 创建一个空数据库"
            ) from e
        try:
            rows = conn.execute(
                "SELECT schemaname || '.' || tablename FROM pg_tables"
                " WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"
                " ORDER BY 1"
            ).fetchall()
        finally:
            conn.close()
        tables = [r[0] for r in rows]
    if tables:
        raise BackupError(
            f"目标数据库不是空的（{target.label}）：已有 {len(tables)} 张表（如 {'、'.join(tables[:3])}）。"
            "恢复只写入新建的空数据库，不会覆盖已有数据；请新建一个空数据库并指向它后再恢复"
        )


def _allowed(name: str) -> bool:
    parts = PurePosixPath(name).parts
    if not parts or ".." in parts or name.startswith("/"):
        return False
    return name == MANIFEST or parts[0] in (DATABASE_DIR, MEDIA_DIR)


def _unpack(path: Path, work: Path) -> str:
    """Decrypt and unpack the whole file into `work`; raise BackupError unless every
    byte of it authenticates. Returns the id of the key that opened it."""
    with open(path, "rb") as f:
        reader = crypto.DecryptingReader(f, name=f"文件 {path.name} ")
        try:
            with tarfile.open(fileobj=reader, mode="r|") as tar:
                for member in tar:
                    if not (member.isfile() or member.isdir()) or not _allowed(member.name):
                        raise BackupError(f"备份文件中有不该出现的条目 {member.name}，拒绝恢复")
                    tar.extract(member, work, filter="data")
        except tarfile.TarError as e:
            raise BackupError(f"备份文件内容无法解包（{e}），拒绝恢复") from e
        reader.read()  # the rest, up to the authenticated final chunk
    return reader.key_id


def _read_manifest(work: Path) -> dict:
    try:
        manifest = json.loads((work / MANIFEST).read_text())
    except (OSError, ValueError) as e:
        raise BackupError("备份文件中缺少清单（manifest.json）或清单无法读取，拒绝恢复") from e
    if manifest.get("format") != FORMAT or manifest.get("engine") not in ENGINE_NAMES:
        raise BackupError("备份文件的清单格式不对，拒绝恢复")
    return manifest


def _checked_database_file(work: Path, manifest: dict) -> Path:
    expected = manifest["database_file"]
    db_file = work / DATABASE_DIR / expected["name"]
    if not db_file.is_file() or _sha256(db_file) != expected["sha256"]:
        raise BackupError("备份中的数据库文件与清单记录的校验和不符，拒绝恢复")
    return db_file


def _checked_media(work: Path, manifest: dict) -> dict[str, Path]:
    root = work / MEDIA_DIR
    present = (
        {p.relative_to(root).as_posix(): p for p in root.rglob("*") if p.is_file()}
        if root.is_dir()
        else {}
    )
    expected = manifest.get("media", {})
    if set(present) != set(expected):
        missing = sorted(set(expected) - set(present))
        extra = sorted(set(present) - set(expected))
        raise BackupError(
            f"备份中的上传文件与清单不符（缺少 {len(missing)} 个，多出 {len(extra)} 个），拒绝恢复"
        )
    for name, p in present.items():
        if _sha256(p) != expected[name]["sha256"]:
            raise BackupError(f"备份中的上传文件 {name} 与清单记录的校验和不符，拒绝恢复")
    return present


def _refuse_conflicting_media(files: dict[str, Path], media_dir: Path, manifest: dict) -> None:
    for name in files:
        existing = media_dir / name
        if existing.exists() and _sha256(existing) != manifest["media"][name]["sha256"]:
            raise BackupError(
                f"上传文件目录 {media_dir} 中已有同名但内容不同的文件 {name}："
                "恢复不会覆盖它，请换一个空的上传文件目录"
            )


def _put_media(files: dict[str, Path], media_dir: Path) -> int:
    put = 0
    for name, source in files.items():
        target = media_dir / name
        if target.exists():
            continue  # the same content, checked above
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        put += 1
    return put


def _restore_sqlite(target: Database, db_file: Path, manifest: dict) -> None:
    _verify_sqlite(db_file, manifest, "备份中的数据库与清单不符，没有恢复")
    staging = target.path.with_name(f".{target.path.name}.restoring-{os.getpid()}")
    try:
        shutil.copyfile(db_file, staging)
        with open(staging, "rb+") as f:
            os.fsync(f.fileno())
        _refuse_unless_empty(target)  # nobody created tables meanwhile
        for suffix in ("-wal", "-shm", "-journal"):
            Path(f"{target.path}{suffix}").unlink(missing_ok=True)
        os.replace(staging, target.path)
    finally:
        staging.unlink(missing_ok=True)
    _verify_sqlite(target.path, manifest, "恢复后的数据库与备份清单不一致，请勿使用它")


def _verify_sqlite(path: Path, manifest: dict, failure: str) -> None:
    conn = sqlite3.connect(path)
    try:
        problems = checksums.differences(manifest["tables"], checksums.sqlite_summary(conn))
        problems += checksums.sqlite_integrity(conn)
    finally:
        conn.close()
    if problems:
        raise BackupError(f"{failure}：" + "；".join(problems[:10]))


def _restore_postgres(target: Database, dump: Path, manifest: dict) -> None:
    run_pg_tool(
        [
            pg_tool("pg_restore"),
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={target.name}",
            str(dump),
        ],
        target,
        "pg_restore 载入数据库",
    )
    conn = target.connect()
    try:
        with conn.transaction():
            problems = checksums.differences(manifest["tables"], checksums.postgres_summary(conn))
            problems += checksums.postgres_integrity(conn)
    finally:
        conn.close()
    if problems:
        raise BackupError(
            "恢复后的数据库与备份清单不一致，请勿使用它（删除后重新建空库再恢复）："
            + "；".join(problems[:10])
        )


def describe_key() -> str:
    return crypto.key_id(crypto.keys()[0]).hex()


def manifest_of(path) -> dict:
    """The manifest of a backup file (decrypting and checking the whole file)."""
    work = _workdir(".inspect-")
    try:
        _unpack(Path(path), work)
        return _read_manifest(work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
