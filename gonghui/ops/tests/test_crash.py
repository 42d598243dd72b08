"""Crash safety: the server (gunicorn master and workers, on 127.0.0.1, serving
the test database) is killed with SIGKILL in the middle of a large roster
import and in the middle of a voting run. After the crash and after a restart
no import is half-written and every ballot has its roll entry and the reverse.

A SIGKILL is a process crash: the operating system keeps what was written, so
this proves the transactions, not the disks (power loss is the fsync settings'
business, docs/deployment.md).
"""

import http.client
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.utils import timezone

from gonghui import idcard
from gonghui.members import imports
from gonghui.members.models import ImportJob, ImportState, Member
from gonghui.members.tests.test_import import HEADERS, a_row
from gonghui.ops import checksums
from gonghui.ops.databases import SQLITE
from gonghui.ops.tests.conftest import database_url, suite_database
from gonghui.orgs.roles import Role
from gonghui.orgs.tests.factories import UnionFactory, user_with_role

ROOT = Path(__file__).resolve().parents[3]
pytestmark = pytest.mark.django_db(transaction=True)

# Enough rows for a file above imports.BACKGROUND_FROM_BYTES: the large-file path, a
# background thread in the server, and a write phase of seconds.
IMPORT_ROWS = 4600
VOTERS = 200
CLIENTS = 12


# The server --------------------------------------------------------------------------


class Server:
    def __init__(self, process: subprocess.Popen, base: str, log: Path):
        self.process, self.base, self.log = process, base, log

    def kill(self) -> None:
        """SIGKILL the master and every worker at once (they share a process group)."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serving(tmp_path: Path):
    """gunicorn on a free port, serving the test database with this process's keys."""
    port = _free_port()
    env = {
        **os.environ,
        "GONGHUI_VAR_DIR": str(settings.VAR_DIR),
        "DATABASE_URL": database_url(connection.settings_dict),
        "DJANGO_SETTINGS_MODULE": "gonghui.settings",
    }
    env.pop("GONGHUI_ENV", None)
    env.pop("DEBUG", None)
    log = tmp_path / f"gunicorn-{port}.log"
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "gonghui.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--threads",
            "4",
            "--worker-class",
            "gthread",
            "--log-level",
            "warning",
            # Django loads once in the master and the workers fork from it: half the
            # start-up time on a busy machine, the same serving code.
            "--preload",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(log, "w"),  # noqa: SIM115 - closed with the process
        start_new_session=True,  # its own process group, so one killpg takes every worker
    )
    server = Server(process, f"http://127.0.0.1:{port}", log)
    try:
        _wait_until_up(server)
        yield server
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()


def _wait_until_up(server: Server) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            break
        if _send(server.base + "/admin/login/")[0] == 200:
            return
        time.sleep(0.3)
    pytest.fail(f"gunicorn 未能启动：{server.log.read_text()[-2000:]}")


def _send(url: str, data: bytes | None = None, headers: dict | None = None):
    """(status, body, headers) of one request; 599 when the connection fails."""
    request = urllib.request.Request(url, data=data, headers=headers or {})
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, response.read(), response.headers
    except urllib.error.HTTPError as e:
        return e.code, e.read(), e.headers
    except (OSError, http.client.HTTPException) as e:
        # Refused, reset, or cut off mid-answer by the kill (IncompleteRead).
        return 599, str(e).encode(), {}


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _database_problems() -> list[str]:
    """Integrity of the test database after the crash: SQLite integrity_check and
    foreign_key_check; PostgreSQL every foreign key holds."""
    database = suite_database()
    conn = database.connect()
    try:
        if database.engine == SQLITE:
            return checksums.sqlite_integrity(conn)
        with conn.transaction():
            return checksums.postgres_integrity(conn)
    finally:
        conn.close()


# A roster import killed while it writes -------------------------------------------------


def _signed_in_session(user) -> str:
    """The key of a signed-in back-office session, second step passed."""
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    if "django_otp" in settings.INSTALLED_APPS:
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.create(user=user, name="测试", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    session_id = client.cookies[settings.SESSION_COOKIE_NAME].value
    return session_id


def _upload(server: Server, union, session_id: str, path: Path) -> int:
    csrf = secrets.token_hex(16)  # a 32-character secret is a valid unmasked token
    boundary = secrets.token_hex(12)
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in (("csrfmiddlewaretoken", csrf), ("union", union.pk))
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="roster.xlsx"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n".encode()
        + path.read_bytes()
        + f"\r\n--{boundary}--\r\n".encode()
    )
    status, body, headers = _send(
        server.base + "/admin/roster/import/",
        b"".join(parts),
        {
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Cookie": f"{settings.SESSION_COOKIE_NAME}={session_id}; "
            f"{settings.CSRF_COOKIE_NAME}={csrf}",
        },
    )
    location = headers.get("Location", "")
    assert status == 302 and "/admin/roster/import/" in location, (status, location, body[:500])
    return int(location.rstrip("/").rsplit("/", 1)[1])


def _wait_for_state(job_id: int, states, seconds: float) -> str:
    deadline = time.monotonic() + seconds
    state = None
    while time.monotonic() < deadline:
        state = ImportJob.objects.filter(pk=job_id).values_list("state", flat=True).get()
        if state in states:
            return state
        time.sleep(0.05)
    return state


def _roster(tmp_path: Path, rows: int) -> Path:
    """A valid roster of `rows` members, written in openpyxl's streaming mode."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("会员名册")
    sheet.append(HEADERS)
    for n in range(1, rows + 1):
        born = date(1970, 1, 1) + timedelta(days=n // 100)
        row = a_row(
            n, 出生日期=born, 身份证号=idcard.make("330206", born, n % 100, "M"), 工号=f"E{n:05d}"
        )
        sheet.append([row.get(h) for h in HEADERS])
    path = tmp_path / "roster.xlsx"
    book.save(path)
    return path


@pytest.fixture
def server_uploads():
    """Remove the uploads the server stores under its own MEDIA_ROOT (in the var
    directory, not the test's) during the test: they hold ID numbers."""
    folder = Path(settings.VAR_DIR) / "media" / "imports"
    before = set(folder.glob("*")) if folder.is_dir() else set()
    yield
    for path in set(folder.glob("*")) - before if folder.is_dir() else ():
        path.unlink(missing_ok=True)


def test_a_server_killed_while_an_import_writes_leaves_no_member_and_the_file_imports_after(
    tmp_path, server_uploads
):
    union = UnionFactory()
    session_id = _signed_in_session(user_with_role(union, Role.CHAIR))
    roster = _roster(tmp_path, IMPORT_ROWS)
    assert roster.stat().st_size > imports.BACKGROUND_FROM_BYTES

    with serving(tmp_path) as server:
        job_id = _upload(server, union, session_id, roster)
        assert _wait_for_state(job_id, {ImportState.WRITING}, 120) == ImportState.WRITING
        time.sleep(0.2)  # into the write transaction
        server.kill()

    job = ImportJob.objects.get(pk=job_id)
    assert job.state == ImportState.WRITING, (
        "the import finished before the kill: raise IMPORT_ROWS"
    )
    assert Member.objects.filter(union=union).count() == 0
    assert _database_problems() == []

    with serving(tmp_path) as server:
        # The job is taken as dead once its heartbeat is stale; do not wait the minutes.
        ImportJob.objects.filter(pk=job_id).update(
            heartbeat_at=timezone.now() - timedelta(minutes=10)
        )
        cookie = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={session_id}"}
        status, body, _ = _send(
            f"{server.base}/admin/roster/import/{job_id}/progress/", None, cookie
        )
        assert status == 200, body[:300]
        progress = json.loads(body)
        assert progress["state"] == ImportState.INTERRUPTED
        assert "没有写入任何数据" in progress["message"]

        again = _upload(server, union, session_id, roster)
        assert _wait_for_state(again, {ImportState.DONE, ImportState.FAILED}, 120) == "done"
    assert Member.objects.filter(union=union).count() == IMPORT_ROWS
    print(
        f"import of {IMPORT_ROWS} rows killed while writing: 0 members after the kill,"
        f" {IMPORT_ROWS} after importing the same file again"
    )


# A voting run killed while ballots are cast -----------------------------------------------


def _cast_all(
    server: Server,
    election,
    tokens: list[str],
    picks: list[dict],
    who: list[int],
    kill_after: int | None = None,
) -> dict[int, tuple[int, bytes]]:
    """Each voter in `who` casts their ballot once over CLIENTS connections; with
    kill_after, the server is killed once that many ballots were acknowledged.
    Returns each voter's (status, body)."""
    url = f"{server.base}/api/v1/democracy/elections/{election.pk}/ballot"
    queue = list(who)
    lock = threading.Lock()
    outcomes: dict[int, tuple[int, bytes]] = {}
    accepted = threading.Event()

    def client():
        while True:
            with lock:
                if not queue:
                    return
                i = queue.pop(0)
            body = json.dumps({"choices": {"c": picks[i], "w": []}}).encode()
            status, payload, _ = _send(
                url,
                body,
                {"Authorization": f"Bearer {tokens[i]}", "Content-Type": "application/json"},
            )
            with lock:
                outcomes[i] = (status, payload)
                if kill_after and sum(1 for s, _ in outcomes.values() if s == 201) >= kill_after:
                    accepted.set()

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    for t in threads:
        t.start()
    if kill_after:
        assert accepted.wait(120), "ballots were not accepted before the deadline"
        server.kill()
    for t in threads:
        t.join()
    return outcomes


def _roll_and_ballots(election) -> tuple[int, int]:
    from gonghui.democracy.models import Ballot, RollEntry

    return (
        RollEntry.objects.filter(election=election, voted=True).count(),
        Ballot.objects.filter(election=election).count(),
    )


def test_a_server_killed_while_ballots_are_cast_keeps_every_ballot_with_its_roll_entry(tmp_path):
    from bench.elections import SEATS, _build
    from gonghui.democracy.models import Candidate, RollEntry
    from gonghui.democracy.services import elections as services

    election, tokens, picks = _build(VOTERS)
    everyone = list(range(VOTERS))

    with serving(tmp_path) as server:
        first = _cast_all(server, election, tokens, picks, everyone, kill_after=VOTERS // 3)
    acknowledged = [i for i, (status, _) in first.items() if status == 201]
    voted, ballots = _roll_and_ballots(election)
    assert voted == ballots, f"{voted} roll entries marked voted but {ballots} ballots"
    assert ballots >= len(acknowledged) >= VOTERS // 3
    assert ballots < VOTERS, "the run finished before the kill: raise VOTERS"
    marked = RollEntry.objects.filter(
        election=election,
        voted=True,
        member__user__username__in=[f"voter-{i}" for i in acknowledged],
    ).count()
    assert marked == len(acknowledged), "an acknowledged ballot was lost in the crash"
    assert _database_problems() == []

    # After the restart, whoever got no answer tries again: a ballot that was
    # written without its answer reaching the voter is refused as already cast.
    retry = [i for i in everyone if i not in acknowledged]
    with serving(tmp_path) as server:
        second = _cast_all(server, election, tokens, picks, retry)
    statuses = Counter(status for status, _ in second.values())
    refused = [
        i
        for i, (s, body) in second.items()
        if s == 400 and "您已经投过票了" in json.loads(body)["detail"]
    ]
    assert statuses[201] + len(refused) == len(retry), statuses
    assert len(refused) == ballots - len(acknowledged)
    assert _roll_and_ballots(election) == (VOTERS, VOTERS)
    print(
        f"voting run killed after {len(acknowledged)} acknowledged ballots: {ballots} ballots and"
        f" {voted} roll entries after the kill ({len(refused)} written without their answer);"
        f" after the restart {VOTERS} and {VOTERS}"
    )

    election.refresh_from_db()
    services.close_election(election=election)
    services.count_election(election=election)
    expected = Counter()
    for chosen in picks:
        if len(chosen) <= SEATS:
            expected.update(int(pk) for pk in chosen)
    tally = dict(Candidate.objects.filter(election=election).values_list("pk", "votes_for"))
    assert tally == {pk: expected.get(pk, 0) for pk in tally}
