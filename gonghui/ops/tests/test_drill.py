"""The restore drill: demo data → backup → restore into a fresh database →
every table's row count and checksum equal; and the refusals on the way."""

import io
import json
import tarfile
from datetime import date
from pathlib import Path

import pytest
from django.test import override_settings

from gonghui.attachments import services as attachments
from gonghui.attachments.tests.factories import pdf_bytes, upload
from gonghui.demo import scales
from gonghui.ops import checksums, crypto, services
from gonghui.ops.databases import SQLITE, Database
from gonghui.ops.errors import BackupError
from gonghui.ops.tests.conftest import suite_database

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def summary(database: Database) -> dict:
    conn = database.connect()
    try:
        if database.engine == SQLITE:
            return checksums.sqlite_summary(conn)
        with conn.transaction():
            return checksums.postgres_summary(conn)
    finally:
        conn.close()


def is_empty(database: Database) -> bool:
    if database.engine == SQLITE:
        return not database.path.exists()
    with database.connect() as conn:
        return not conn.execute("SELECT 1 FROM pg_tables WHERE schemaname = 'public'").fetchone()


@pytest.mark.django_db(transaction=True)
def test_a_backup_of_the_demo_restores_into_a_fresh_database_with_every_table_equal(
    tmp_path, fresh_database, settings
):
    from gonghui.activities.models import Activity

    with override_settings(PASSWORD_HASHERS=FAST_HASHER):
        school = scales.build_small(seed=2026, today=date(2026, 11, 26))
    activity = Activity.objects.filter(union=school).first()
    scan = attachments.attach(record=activity, upload=upload("签到表.pdf", pdf_bytes()), actor=None)
    source = summary(suite_database())

    manifest = services.backup(tmp_path / "demo.gonghui-backup")
    report = services.restore(
        tmp_path / "demo.gonghui-backup", into=fresh_database, media_dir=tmp_path / "restored"
    )

    assert manifest["tables"] == source
    assert summary(fresh_database) == source
    assert source["members_member"]["rows"] >= 100 and source["activities_activity"]["rows"] > 0
    assert report["rows"] == sum(t["rows"] for t in source.values())
    restored = tmp_path / "restored" / scan.file.name
    assert restored.read_bytes() == pdf_bytes()


@pytest.fixture(scope="module")
def backup_file(django_db_setup, django_db_blocker, tmp_path_factory):
    """A backup of the test database as committed (migrated, nearly empty), and its key."""
    key = crypto.new_key()
    path = tmp_path_factory.mktemp("backup") / "empty.gonghui-backup"
    with django_db_blocker.unblock(), pytest.MonkeyPatch.context() as patch:
        patch.setenv(crypto.ENV_VAR, key)
        services.backup(path, media_root=tmp_path_factory.mktemp("media"))
    return path, key


@pytest.fixture
def same_key(backup_file, monkeypatch):
    monkeypatch.setenv(crypto.ENV_VAR, backup_file[1])
    return backup_file[0]


def tampered(path: Path, tmp_path: Path, change) -> Path:
    data = bytearray(path.read_bytes())
    change(data)
    out = tmp_path / "changed.gonghui-backup"
    out.write_bytes(bytes(data))
    return out


@pytest.mark.django_db
def test_the_manifest_lists_every_table_of_the_database(same_key):
    manifest = services.manifest_of(same_key)
    assert set(manifest["tables"]) == set(summary(suite_database()))
    assert manifest["engine"] == suite_database().engine


@pytest.mark.django_db
def test_restore_refuses_a_database_that_already_has_tables(same_key):
    with pytest.raises(BackupError, match="目标数据库不是空的.*恢复只写入新建的空数据库"):
        services.restore(same_key, into=suite_database(), media=False)


@pytest.mark.django_db
def test_a_backup_with_one_changed_byte_is_refused_and_nothing_is_restored(
    same_key, tmp_path, fresh_database
):
    def flip(data):
        data[len(data) // 2] ^= 0x01

    with pytest.raises(BackupError, match="校验失败：文件已损坏或被篡改，拒绝恢复"):
        services.restore(tampered(same_key, tmp_path, flip), into=fresh_database, media=False)
    assert is_empty(fresh_database)


@pytest.mark.django_db
def test_a_truncated_backup_is_refused(same_key, tmp_path, fresh_database):
    def cut(data):
        del data[-100:]

    with pytest.raises(BackupError, match="备份文件不完整"):
        services.restore(tampered(same_key, tmp_path, cut), into=fresh_database, media=False)
    assert is_empty(fresh_database)


@pytest.mark.django_db
def test_data_appended_after_the_last_chunk_is_refused(same_key, tmp_path, fresh_database):
    def append(data):
        data += b"\x00" * 32

    with pytest.raises(BackupError, match="结尾之后还有多余的数据"):
        services.restore(tampered(same_key, tmp_path, append), into=fresh_database, media=False)


@pytest.mark.django_db
def test_an_edited_header_is_refused(same_key, tmp_path, fresh_database):
    def salt(data):
        data[30] ^= 0xFF  # inside the salt

    with pytest.raises(BackupError, match="第 1 块校验失败"):
        services.restore(tampered(same_key, tmp_path, salt), into=fresh_database, media=False)


@pytest.mark.django_db
def test_a_backup_made_with_another_key_is_refused_naming_both_keys(
    backup_file, monkeypatch, tmp_path, fresh_database
):
    other = crypto.new_key()
    monkeypatch.setenv(crypto.ENV_VAR, other)
    theirs = crypto.key_id(crypto._decode(backup_file[1], "")).hex()
    ours = crypto.key_id(crypto._decode(other, "")).hex()
    with pytest.raises(BackupError, match=f"另一把备份密钥加密的（密钥编号 {theirs}）.*{ours}"):
        services.restore(backup_file[0], into=fresh_database, media=False)
    assert is_empty(fresh_database)


@pytest.mark.django_db
def test_an_old_key_kept_after_the_new_one_still_opens_the_backup(backup_file, monkeypatch):
    monkeypatch.setenv(crypto.ENV_VAR, f"{crypto.new_key()},{backup_file[1]}")
    assert services.manifest_of(backup_file[0])["format"] == "gonghui-backup"


@pytest.mark.django_db
def test_a_file_that_is_not_a_backup_is_refused(tmp_path, fresh_database):
    path = tmp_path / "roster.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 200)
    with pytest.raises(BackupError, match="不是工会系统的备份文件"):
        services.restore(path, into=fresh_database, media=False)


def _sealed(tmp_path: Path, manifest: dict, files: dict[str, bytes] | None = None) -> Path:
    """A correctly encrypted backup file with the given contents."""
    out = tmp_path / "crafted.gonghui-backup"
    with open(out, "wb") as f:
        writer = crypto.EncryptingWriter(f, crypto.keys()[0])
        with tarfile.open(fileobj=writer, mode="w|") as tar:
            for name, body in {
                **(files or {}),
                "manifest.json": json.dumps(manifest).encode(),
            }.items():
                info = tarfile.TarInfo(name)
                info.size = len(body)
                tar.addfile(info, io.BytesIO(body))
        writer.close()
    return out


@pytest.mark.django_db
def test_a_backup_of_the_other_engine_is_refused_as_cross_engine(tmp_path, fresh_database):
    other = "postgresql" if fresh_database.engine == SQLITE else "sqlite"
    manifest = {"format": "gonghui-backup", "engine": other, "tables": {}}
    with pytest.raises(BackupError, match="不支持跨数据库类型恢复"):
        services.restore(_sealed(tmp_path, manifest), into=fresh_database, media=False)


@pytest.mark.django_db
def test_an_entry_outside_the_backup_layout_is_refused(tmp_path, fresh_database):
    manifest = {"format": "gonghui-backup", "engine": fresh_database.engine, "tables": {}}
    crafted = _sealed(tmp_path, manifest, {"../escape.txt": b"x"})
    with pytest.raises(BackupError, match="不该出现的条目 ../escape.txt"):
        services.restore(crafted, into=fresh_database, media=False)
    assert not (tmp_path.parent / "escape.txt").exists()


@pytest.mark.django_db
def test_backup_never_overwrites_an_existing_file(tmp_path):
    existing = tmp_path / "last-night.gonghui-backup"
    existing.write_bytes(b"keep me")
    with pytest.raises(BackupError, match="已存在：不会覆盖已有的备份"):
        services.backup(existing)
    assert existing.read_bytes() == b"keep me"


@pytest.mark.django_db(transaction=True)
def test_a_backup_taken_while_unions_are_being_added_matches_its_own_manifest(
    tmp_path, fresh_database
):
    import threading

    from django.db import connections
    from django_scopes import scopes_disabled

    from gonghui.orgs.models import Union
    from gonghui.orgs.tests.factories import UnionFactory

    stop = threading.Event()
    added = []

    def keep_writing():
        try:
            with scopes_disabled():
                while not stop.is_set():
                    added.append(UnionFactory().pk)
        finally:
            connections.close_all()

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        while len(added) < 5:  # the writer is under way before the snapshot
            threading.Event().wait(0.05)
        manifest = services.backup(tmp_path / "busy.gonghui-backup")
    finally:
        stop.set()
        writer.join()

    services.restore(tmp_path / "busy.gonghui-backup", into=fresh_database, media=False)
    in_backup = manifest["tables"]["orgs_union"]["rows"]
    assert 5 <= in_backup <= Union.objects.count() == len(added)
    assert summary(fresh_database)["orgs_union"] == manifest["tables"]["orgs_union"]
