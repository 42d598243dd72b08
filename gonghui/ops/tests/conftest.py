"""Databases beside the test database: an empty one to restore into, and the
address of the test database for a server running in a subprocess."""

import os
from urllib.parse import quote

import pytest
from django.db import connection

from gonghui.ops import crypto
from gonghui.ops.databases import POSTGRESQL, Database, from_settings


@pytest.fixture(autouse=True)
def backup_key(monkeypatch):
    """A backup key of the test's own, from the environment as in production."""
    key = crypto.new_key()
    monkeypatch.setenv(crypto.ENV_VAR, key)
    return key


def database_url(settings_dict: dict) -> str:
    """DATABASE_URL of a database Django has configured (the test database)."""
    if settings_dict["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{settings_dict['NAME']}"
    user = quote(settings_dict.get("USER") or "", safe="")
    password = settings_dict.get("PASSWORD")
    auth = f"{user}:{quote(password, safe='')}@" if password else (f"{user}@" if user else "")
    host = settings_dict.get("HOST") or "localhost"
    port = f":{settings_dict['PORT']}" if settings_dict.get("PORT") else ""
    return f"postgres://{auth}{host}{port}/{settings_dict['NAME']}"


def suite_database() -> Database:
    return from_settings(connection.settings_dict)


@pytest.fixture
def fresh_database(tmp_path):
    """An empty database of the engine the suite runs on: a SQLite file that does
    not exist yet, or a new database on the same PostgreSQL server (dropped after)."""
    source = suite_database()
    if source.engine != POSTGRESQL:
        yield Database(source.engine, {**source.settings, "NAME": str(tmp_path / "fresh.sqlite3")})
        return
    name = f"{source.name}_restore_{os.getpid()}"[:63]
    admin = Database(POSTGRESQL, {**source.settings, "NAME": "postgres"})
    with admin.connect(autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield Database(POSTGRESQL, {**source.settings, "NAME": name})
    finally:
        with admin.connect(autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
