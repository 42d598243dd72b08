"""The backup key, the encrypted stream, the row checksums and the commands."""

import base64
import io
import sqlite3
import stat

import pytest
from django.core.management import CommandError, call_command

from gonghui.ops import checksums, crypto, databases, services
from gonghui.ops.errors import BackupError

# The key ------------------------------------------------------------------------------


def test_without_the_environment_a_private_key_file_is_made_in_the_var_dir(
    monkeypatch, settings, tmp_path
):
    monkeypatch.delenv(crypto.ENV_VAR)
    settings.VAR_DIR = tmp_path
    first = crypto.keys()
    path = tmp_path / "backup_key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert crypto.keys() == first and len(first[0]) == 32


def test_production_without_a_backup_key_in_the_environment_is_refused(
    monkeypatch, settings, tmp_path
):
    monkeypatch.delenv(crypto.ENV_VAR)
    settings.VAR_DIR, settings.PRODUCTION = tmp_path, True
    with pytest.raises(
        BackupError, match="生产环境必须在环境变量 GONGHUI_BACKUP_KEY 中设置备份密钥"
    ):
        crypto.keys()
    assert not (tmp_path / "backup_key").exists()


def test_a_malformed_key_in_the_environment_is_refused_with_how_to_make_one(monkeypatch):
    monkeypatch.setenv(crypto.ENV_VAR, "not-a-key")
    with pytest.raises(BackupError, match="备份密钥格式不对.*gonghui backup-key --new"):
        crypto.keys()


# The stream ---------------------------------------------------------------------------


def _seal(data: bytes, key: bytes) -> bytes:
    out = io.BytesIO()
    writer = crypto.EncryptingWriter(out, key)
    for start in range(0, len(data), 70_000):
        writer.write(data[start : start + 70_000])
    writer.close()
    return out.getvalue()


@pytest.mark.parametrize("size", [0, 1, crypto.CHUNK, crypto.CHUNK + 1, 3 * crypto.CHUNK + 5])
def test_what_is_sealed_reads_back_the_same_at_any_size(size):
    key = crypto.keys()[0]
    data = bytes(range(256)) * (size // 256) + bytes(size % 256)
    sealed = _seal(data, key)
    assert size < 64 or data[:64] not in sealed
    assert crypto.DecryptingReader(io.BytesIO(sealed)).read() == data


def test_dropping_a_whole_middle_chunk_is_detected():
    key = crypto.keys()[0]
    sealed = _seal(bytes(3 * crypto.CHUNK), key)
    header = 15 + 1 + 8 + 32 + 4
    chunk = 4 + crypto.CHUNK + 16
    without_second = sealed[: header + chunk] + sealed[header + 2 * chunk :]
    with pytest.raises(BackupError, match="第 2 块校验失败"):
        crypto.DecryptingReader(io.BytesIO(without_second)).read()


# Checksums ----------------------------------------------------------------------------


def _table(rows) -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE member (id INTEGER PRIMARY KEY, name TEXT, fee REAL)")
    conn.executemany("INSERT INTO member VALUES (?, ?, ?)", rows)
    return conn


def test_the_same_rows_written_in_another_order_have_the_same_checksum():
    one = _table([(1, "张三", 12.5), (2, "李梅", None)])
    other = _table([(2, "李梅", None), (1, "张三", 12.5)])
    assert checksums.sqlite_summary(one) == checksums.sqlite_summary(other)


def test_one_changed_value_changes_the_checksum_but_not_the_count():
    before = checksums.sqlite_summary(_table([(1, "张三", 12.5), (2, "李梅", None)]))
    after = checksums.sqlite_summary(_table([(1, "张三", 12.5), (2, "李梅", 0.0)]))
    assert before["member"]["rows"] == after["member"]["rows"] == 2
    assert before["member"]["sha256"] != after["member"]["sha256"]
    assert checksums.differences(before, after) == ["表 member 的行数一致（2 行）但内容校验和不符"]


def test_a_value_moved_to_the_next_column_changes_the_checksum():
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b TEXT)")
    conn.execute("INSERT INTO t VALUES (1, 'ab', '')")
    before = checksums.sqlite_summary(conn)
    conn.execute("UPDATE t SET a = 'a', b = 'b'")
    assert checksums.sqlite_summary(conn) != before


def test_a_row_pointing_at_a_missing_parent_fails_the_integrity_check():
    conn = sqlite3.connect(":memory:")
    conn.executescript(
        "CREATE TABLE parent (id INTEGER PRIMARY KEY);"
        "CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent(id));"
        "INSERT INTO parent VALUES (1); INSERT INTO child VALUES (1, 1), (2, 7);"
    )
    assert checksums.sqlite_integrity(conn) == ["表 child 第 2 行引用的 parent 记录不存在"]


def test_differences_name_missing_and_short_tables():
    expected = {"a": {"rows": 3, "sha256": "x"}, "b": {"rows": 1, "sha256": "y"}}
    actual = {"a": {"rows": 2, "sha256": "z"}}
    assert checksums.differences(expected, actual) == ["表 a 应有 3 行，实际 2 行", "缺少表 b"]


# PostgreSQL tools and targets ---------------------------------------------------------


def test_a_missing_pg_dump_is_reported_with_how_to_install_it(monkeypatch):
    monkeypatch.setattr(databases.shutil, "which", lambda name: None)
    monkeypatch.setattr(databases.glob, "glob", lambda pattern: [])
    with pytest.raises(BackupError, match="找不到 PostgreSQL 的 pg_dump 程序.*postgresql-client"):
        databases.pg_tool("pg_dump")


def test_the_newest_installed_pg_dump_is_taken_when_none_is_on_the_path(monkeypatch):
    monkeypatch.setattr(databases.shutil, "which", lambda name: None)
    found = ["/usr/lib/postgresql/9/bin/pg_dump", "/usr/lib/postgresql/16/bin/pg_dump"]
    monkeypatch.setattr(databases.glob, "glob", lambda pattern: found)
    assert databases.pg_tool("pg_dump") == "/usr/lib/postgresql/16/bin/pg_dump"


def test_the_password_goes_to_pg_dump_in_the_environment_not_the_arguments():
    target = databases.from_url("postgres://gh:s3cret@db.example:5433/gonghui")
    env = target.environment()
    assert env["PGPASSWORD"] == "s3cret" and env["PGHOST"] == "db.example"
    assert env["PGPORT"] == "5433" and env["PGDATABASE"] == "gonghui"


def test_an_unsupported_database_is_refused():
    with pytest.raises(BackupError, match="不支持的数据库类型"):
        databases.from_url("mysql://u:p@localhost/gonghui")


# Commands -----------------------------------------------------------------------------


def test_backup_key_new_prints_a_fresh_32_byte_key(capsys):
    call_command("backup_key", new=True)
    key = capsys.readouterr().out.strip()
    assert len(base64.urlsafe_b64decode(key)) == 32


def test_backup_key_shows_the_id_of_the_key_in_use(capsys, backup_key):
    call_command("backup_key")
    expected = crypto.key_id(base64.urlsafe_b64decode(backup_key)).hex()
    assert f"加密用密钥编号 {expected}" in capsys.readouterr().out


@pytest.mark.django_db(transaction=True)
def test_the_commands_back_up_and_restore_with_a_summary_in_chinese(
    capsys, tmp_path, fresh_database
):
    from gonghui.orgs.tests.factories import UnionFactory

    UnionFactory(name="北仑区总工会")
    (tmp_path / "media" / "attachments").mkdir(parents=True)
    (tmp_path / "media" / "attachments" / "a.pdf").write_bytes(b"%PDF-1.4 test")
    call_command("backup", output=str(tmp_path / "b.gonghui-backup"))
    assert "上传文件 1 个" in capsys.readouterr().out
    url = (
        str(fresh_database.path)
        if fresh_database.engine == databases.SQLITE
        else _url(fresh_database.settings)
    )
    call_command("restore", str(tmp_path / "b.gonghui-backup"), into=url)
    out = capsys.readouterr().out
    assert "行数和校验和与清单全部一致，完整性检查通过" in out
    assert "上传文件 1 个已校验，写入 0 个" in out  # a drill leaves the uploads alone


def _url(settings_dict) -> str:
    from gonghui.ops.tests.conftest import database_url

    return database_url(settings_dict)


def test_restore_of_a_missing_file_says_so(tmp_path):
    with pytest.raises(CommandError, match="找不到备份文件"):
        call_command("restore", str(tmp_path / "nope.gonghui-backup"), into=str(tmp_path / "x"))


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_uploads_that_would_overwrite_other_content(tmp_path, fresh_database):
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "a.pdf").write_bytes(b"%PDF-1.4 original")
    services.backup(tmp_path / "b.gonghui-backup")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "a.pdf").write_bytes(b"%PDF-1.4 another file")
    with pytest.raises(BackupError, match="已有同名但内容不同的文件 a.pdf"):
        services.restore(
            tmp_path / "b.gonghui-backup", into=fresh_database, media_dir=tmp_path / "elsewhere"
        )
    assert (tmp_path / "elsewhere" / "a.pdf").read_bytes() == b"%PDF-1.4 another file"


@pytest.mark.django_db
def test_a_sequence_behind_its_rows_fails_the_postgresql_integrity_check(fresh_database):
    if fresh_database.engine != databases.POSTGRESQL:
        pytest.skip("PostgreSQL only: SQLite numbers rows from the table itself")
    with fresh_database.connect(autocommit=True) as conn:
        conn.execute("CREATE TABLE t (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY)")
        conn.execute("INSERT INTO t (id) VALUES (10)")
        assert checksums.postgres_integrity(conn) == [
            "序列 t_id_seq 停在 0，而表 t 的 id 已到 10：新增记录会撞号"
        ]
        conn.execute("SELECT setval('t_id_seq', 10)")
        assert checksums.postgres_integrity(conn) == []


def test_backup_into_a_missing_directory_says_which(tmp_path):
    with pytest.raises(BackupError, match=f"目录 {tmp_path / 'offsite'} 不存在，无法写入备份"):
        services.backup(tmp_path / "offsite" / "b.gonghui-backup")
