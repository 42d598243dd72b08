"""A throwaway database for one benchmark run, set up before Django starts.

SQLite by default (a file in a temporary directory, with its own keys); when
DATABASE_URL names a PostgreSQL server, a fresh database on that server,
dropped at the end. Child processes inherit the environment and so the same
database and keys.
"""

import os
import shutil
import tempfile
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit


@contextmanager
def throwaway_database():
    var_dir = tempfile.mkdtemp(prefix="gonghui-bench-")
    os.environ["GONGHUI_VAR_DIR"] = var_dir
    os.makedirs(os.path.join(var_dir, "static"), exist_ok=True)  # whitenoise warns otherwise
    os.environ["DJANGO_SETTINGS_MODULE"] = "gonghui.settings"
    os.environ.pop("GONGHUI_ENV", None)
    server_url = os.environ.get("DATABASE_URL", "")
    name = None
    if server_url.startswith(("postgres://", "postgresql://")):
        name = f"gonghui_bench_{os.getpid()}"
        _admin(server_url, f'CREATE DATABASE "{name}"')
        parts = urlsplit(server_url)
        os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{name}"))
    else:
        os.environ.pop("DATABASE_URL", None)
    try:
        yield "PostgreSQL" if name else "SQLite"
    finally:
        if name:
            from django.db import connections

            connections.close_all()
            _admin(server_url, f'DROP DATABASE IF EXISTS "{name}"')
            os.environ["DATABASE_URL"] = server_url
        shutil.rmtree(var_dir, ignore_errors=True)


def _admin(server_url: str, statement: str) -> None:
    import psycopg

    parts = urlsplit(server_url)
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
        conn.execute(statement)
