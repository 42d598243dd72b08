"""Which database a backup reads or a restore writes, and the PostgreSQL tools."""

import glob
import os
import re
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

import dj_database_url

from gonghui.ops.errors import BackupError

SQLITE = "sqlite"
POSTGRESQL = "postgresql"
ENGINE_NAMES = {SQLITE: "SQLite", POSTGRESQL: "PostgreSQL"}


@dataclass(frozen=True)
class Database:
    engine: str  # SQLITE or POSTGRESQL
    settings: dict  # Django's settings dict of the database

    @property
    def name(self) -> str:
        return str(self.settings["NAME"])

    @property
    def label(self) -> str:
        if self.engine == SQLITE:
            return f"SQLite 数据库 {self.name}"
        host = self.settings.get("HOST") or "本机"
        return f"PostgreSQL 数据库 {self.name}（{host}）"

    # SQLite ---------------------------------------------------------------------
    @property
    def path(self) -> Path:
        return Path(self.name)

    # PostgreSQL -----------------------------------------------------------------
    def environment(self) -> dict:
        """libpq variables for pg_dump / pg_restore: the password stays off the command line."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        values = {
            "PGHOST": self.settings.get("HOST"),
            "PGPORT": self.settings.get("PORT"),
            "PGUSER": self.settings.get("USER"),
            "PGPASSWORD": self.settings.get("PASSWORD"),
            "PGDATABASE": self.name,
            "PGSSLMODE": (self.settings.get("OPTIONS") or {}).get("sslmode"),
        }
        env.update({k: str(v) for k, v in values.items() if v})
        return env

    def connect(self, **kwargs):
        if self.engine == SQLITE:
            return sqlite3.connect(self.name, **kwargs)
        import psycopg

        params = {
            "dbname": self.name,
            "host": self.settings.get("HOST") or None,
            "port": self.settings.get("PORT") or None,
            "user": self.settings.get("USER") or None,
            "password": self.settings.get("PASSWORD") or None,
            "sslmode": (self.settings.get("OPTIONS") or {}).get("sslmode"),
        }
        return psycopg.connect(**{k: v for k, v in params.items() if v}, **kwargs)


def from_settings(settings_dict: dict) -> Database:
    engine = settings_dict["ENGINE"]
    if engine.endswith("sqlite3"):
        if str(settings_dict["NAME"]) in ("", ":memory:") or "mode=memory" in str(
            settings_dict["NAME"]
        ):
            raise BackupError("内存中的 SQLite 数据库无法备份或恢复，请使用数据库文件")
        return Database(SQLITE, dict(settings_dict))
    if "postgresql" in engine or "postgis" in engine:
        return Database(POSTGRESQL, dict(settings_dict))
    raise BackupError(f"不支持的数据库类型 {engine}：只能备份和恢复 SQLite 与 PostgreSQL")


def from_url(url: str) -> Database:
    """A database URL (as DATABASE_URL) or a plain path to a SQLite file."""
    if "://" not in url:
        return Database(SQLITE, {"ENGINE": "django.db.backends.sqlite3", "NAME": url})
    try:
        parsed = dj_database_url.parse(url)
    except Exception as e:  # noqa: BLE001 - dj_database_url raises several kinds
        raise BackupError(f"无法识别的数据库地址 {url}：{e}") from e
    return from_settings(parsed)


def default() -> Database:
    from django.db import connections

    return from_settings(connections["default"].settings_dict)


def pg_tool(name: str) -> str:
    """Path of pg_dump / pg_restore: on PATH, else the newest /usr/lib/postgresql/*/bin."""
    found = shutil.which(name)
    if found:
        return found

    def version(path: str) -> tuple:
        return tuple(int(p) for p in re.findall(r"\d+", path.split("/")[-3]))

    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=version)
    if candidates:
        return candidates[-1]
    raise BackupError(
        f"找不到 PostgreSQL 的 {name} 程序：请安装与数据库服务器同版本或更新的客户端"
        "（Debian/Ubuntu：apt-get install postgresql-client），或把它所在目录加入 PATH"
    )


def run_pg_tool(args: list[str], database: Database, what: str) -> None:
    done = subprocess.run(
        args, env=database.environment(), capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip()[-2000:]
        raise BackupError(f"{what}失败（{Path(args[0]).name} 退出码 {done.returncode}）：{detail}")
