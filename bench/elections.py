"""Casting a secret-ballot election over HTTP against gunicorn on 127.0.0.1.

`run(database_url)` builds a fresh database (a SQLite file in a temporary
directory, or a throwaway database on the PostgreSQL server of
`database_url`, dropped afterwards), creates an online election with VOTERS
voters who each have a portal account and an API token, starts gunicorn
(several workers, threads) on a free port, and has CLIENTS concurrent HTTP
clients send every voter's ballot twice at the same instant. It then checks
exactly VOTERS ballots, VOTERS clean refusals ("您已经投过票了"), the exact
tally after counting and no server error, and returns the throughput, the p95
of a cast, the p95 of a baseline request that only reads the ballot, and
their ratio.

The work runs in a child process so the caller's Django (if any) is never
reconfigured:

    .venv/bin/python -m bench.elections                     # SQLite, 2,000 voters
    .venv/bin/python -m bench.elections --voters 200
    .venv/bin/python -m bench.elections --database-url postgres://postgres@127.0.0.1:5432/x

Tables: the database is built with `migrate --run-syncdb`, which applies every
app's migrations and creates the tables of an app that has none yet (democracy
gets its migration late), so it works before and after that migration exists.
"""

import argparse
import asyncio
import json
import logging
import os
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
VOTERS = 2000
CLIENTS = 50
# gunicorn as deploy/gunicorn.conf.py runs it: 4 sync workers per core;
# BENCH_WORKERS, BENCH_THREADS and BENCH_WORKER_CLASS override.
WORKERS = int(os.environ.get("BENCH_WORKERS", 4 * (os.cpu_count() or 1)))
THREADS = int(os.environ.get("BENCH_THREADS", 1))
WORKER_CLASS = os.environ.get("BENCH_WORKER_CLASS", "sync")
SEATS = 3
CANDIDATES = ["王建国", "李秀英", "张伟", "刘芳", "陈磊"]
TARGET_P95_MS = 250


def run(database_url: str | None = None, *, voters: int = VOTERS, clients: int = CLIENTS) -> dict:
    """Run the benchmark in a child process and return its figures."""
    with tempfile.TemporaryDirectory(prefix="gonghui-bench-elections-") as var_dir:
        out = Path(var_dir) / "result.json"
        env = {
            **os.environ,
            "GONGHUI_VAR_DIR": var_dir,
            "DJANGO_SETTINGS_MODULE": "gonghui.settings",
        }
        env.pop("GONGHUI_ENV", None)
        env.pop("DEBUG", None)
        with _database(database_url) as url:
            if url:
                env["DATABASE_URL"] = url
            else:
                env.pop("DATABASE_URL", None)
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "bench.elections",
                    "--child",
                    str(out),
                    "--voters",
                    str(voters),
                    "--clients",
                    str(clients),
                ],
                cwd=ROOT,
                env=env,
                check=True,
            )
        return json.loads(out.read_text())


@contextmanager
def _database(url: str | None):
    """A fresh database on the PostgreSQL server of `url`, or None for SQLite."""
    if not url or not url.startswith(("postgres://", "postgresql://")):
        yield None
        return
    import psycopg

    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    name = f"gonghui_bench_elections_{os.getpid()}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# The child: build, serve, cast, check --------------------------------------------------


def _child(out: Path, voters: int, clients: int) -> None:
    os.makedirs(Path(os.environ["GONGHUI_VAR_DIR"]) / "static", exist_ok=True)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", run_syncdb=True, verbosity=0, interactive=False)
    _create_unmigrated_tables()
    from django_scopes import scopes_disabled

    with scopes_disabled():
        election, tokens, picks = _build(voters)
        in_process = _in_process(election, tokens, picks)
    port = _free_port()
    server = _serve(port)
    try:
        base = f"http://127.0.0.1:{port}/api/v1/democracy/elections/{election.pk}"
        _wait_until_up(base + "/ballot", tokens[0])
        # Voters open the ballot once first (every worker warm, every token used);
        # the baseline is the second reading.
        _baseline(base + "/ballot", tokens, clients)
        baseline = _baseline(base + "/ballot", tokens, clients)
        casting = _cast_twice(base + "/ballot", tokens, picks, clients)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
    with scopes_disabled():
        checks = _check(election, picks, casting)
    cast_p95 = _p95(casting["latencies"])
    base_p95 = _p95(baseline["latencies"])
    from django.db import connection

    result = {
        "database": "PostgreSQL" if connection.vendor == "postgresql" else "SQLite",
        "voters": voters,
        "clients": clients,
        "server": f"gunicorn {WORKERS} {WORKER_CLASS} workers × {THREADS} threads",
        "requests": len(casting["latencies"]),
        "seconds": round(casting["seconds"], 2),
        "throughput_per_s": round(len(casting["latencies"]) / casting["seconds"], 1),
        "ballots_per_s": round(voters / casting["seconds"], 1),
        "p95_ms": round(cast_p95 * 1000, 1),
        "p50_ms": round(_p50(casting["latencies"]) * 1000, 1),
        "baseline_p95_ms": round(base_p95 * 1000, 1),
        "ratio": round(cast_p95 / base_p95, 2) if base_p95 else None,
        "target_p95_ms": TARGET_P95_MS,
        "under_target": cast_p95 * 1000 < TARGET_P95_MS,
        # The load client's own CPU per cast (it shares the machine with the server).
        "client_cpu_ms_per_request": round(casting["client_cpu_ms"], 3),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "in_process": in_process,
        **checks,
    }
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2))


def _create_unmigrated_tables() -> None:
    """Tables of apps whose migrations package is still empty (run_syncdb skips an
    app once it has a migrations package, even an empty one)."""
    from django.apps import apps
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(connection)
    migrated = {app for app, _name in loader.disk_migrations}
    existing = set(connection.introspection.table_names())
    missing = [
        model
        for config in apps.get_app_configs()
        if config.label not in migrated
        for model in config.get_models(include_auto_created=False)
        if model._meta.managed and model._meta.db_table not in existing
    ]
    with connection.schema_editor() as editor:
        for model in missing:
            editor.create_model(model)


def _build(voters: int):
    """An open online election, `voters` members with portal accounts and API tokens,
    written in bulk; returns the election, each voter's token and ballot."""
    from datetime import date, timedelta

    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from gonghui import encryption, idcard
    from gonghui.api.models import ApiToken
    from gonghui.democracy.services import elections as services
    from gonghui.members import names
    from gonghui.members.models import Member
    from gonghui.orgs.models import RoleAssignment, Union, UnionKind, User
    from gonghui.orgs.roles import Role

    union = Union.objects.create(
        code="bench-vote", name="选举基准测试工会", kind=UnionKind.ENTERPRISE
    )
    password = make_password(None)
    users = User.objects.bulk_create(
        [
            User(username=f"voter-{i}", display_name=f"选民{i}", password=password)
            for i in range(voters)
        ],
        batch_size=1000,
    )
    if users[0].pk is None:  # backends that do not return keys from bulk inserts
        users = list(User.objects.filter(username__startswith="voter-").order_by("pk"))
    RoleAssignment.objects.bulk_create(
        [RoleAssignment(user=u, union=union, role=Role.MEMBER) for u in users], batch_size=1000
    )
    surnames, given = "王李张刘陈杨赵黄周吴", "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平"
    rows = []
    for i, user in enumerate(users):
        name = surnames[i % 10] + given[(i // 10) % 20] + given[(i // 200) % 20]
        born = date(1970, 1, 1) + timedelta(days=(i * 37) % 12000)
        gender = "F" if i % 2 else "M"
        number = idcard.make("330206", born, i % 1000, gender)
        phone = f"139{i:08d}"
        rows.append(
            Member(
                union=union,
                name=name,
                name_initials=names.initials(name),
                search_text=names.search_text(name),
                gender=gender,
                birth_date=born,
                id_number=number,
                id_number_digest=encryption.digest(number),
                phone=phone,
                phone_digest=encryption.digest(phone),
                joined_on=date(2020, 3, 1),
                user=user,
            )
        )
    Member.objects.bulk_create(rows, batch_size=1000)
    keys = [ApiToken.new_key() for _ in users]
    ApiToken.objects.bulk_create(
        [
            ApiToken(user=u, name="选举基准测试", digest=encryption.digest(k), prefix=k[:8])
            for u, k in zip(users, keys, strict=True)
        ],
        batch_size=1000,
    )
    now = timezone.now()
    election = services.create_election(
        union=union,
        title="第五届工会委员会换届选举（基准测试）",
        kind="committee",
        seats=SEATS,
        opens_at=now - timedelta(minutes=5),
        closes_at=now + timedelta(hours=6),
    )
    for name in CANDIDATES:
        services.add_candidate(election=election, name=name)
    services.open_election(election=election)
    ids = list(election.candidates.order_by("position").values_list("pk", flat=True))
    # Voter i ticks a fixed subset of up to SEATS candidates; every 50th marks too many.
    picks = []
    for i in range(voters):
        if i % 50 == 49:
            chosen = ids[:4]
        else:
            chosen = [ids[(i + k) % len(ids)] for k in range(1 + i % SEATS)]
        picks.append({str(pk): "for" for pk in chosen})
    return election, keys, picks


def _in_process(election, tokens: list[str], picks: list[dict], sample: int = 100) -> dict:
    """The server's own cost of each request, measured inside this process with
    Django's test client on a twin election of the same voters (so the HTTP run's
    election is untouched): statements and CPU milliseconds per request, for
    reading the ballot, casting it and casting it again (refused). CPU time and
    statement counts hardly move with the machine's load, unlike wall-clock p95.
    """
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from gonghui.democracy.services import elections as services

    twin = services.create_election(
        union=election.union,
        title="基准测试（进程内测量）",
        kind="other",
        seats=SEATS,
        opens_at=timezone.now() - timedelta(minutes=5),
        closes_at=timezone.now() + timedelta(hours=6),
    )
    for name in CANDIDATES:
        services.add_candidate(election=twin, name=name)
    services.open_election(election=twin)
    ids = list(twin.candidates.order_by("position").values_list("pk", flat=True))
    url = f"/api/v1/democracy/elections/{twin.pk}/ballot"
    client = Client(HTTP_HOST="127.0.0.1")
    sample = min(sample, len(tokens))

    def read(i):
        return client.get(url, HTTP_AUTHORIZATION=f"Bearer {tokens[i]}")

    def cast(i):
        marks = {str(ids[int(pk) % len(ids)]): "for" for pk in list(picks[i])[:SEATS]}
        return client.post(
            url,
            data=json.dumps({"choices": {"c": marks, "w": []}}),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {tokens[i]}",
        )

    # The refused second ballots log a Bad Request each, as they would in gunicorn.
    logging.getLogger("django.request").setLevel(logging.ERROR)
    # Imports and each token's first use (which notes the time it was used) out of
    # the way, as the HTTP run's first reading does.
    for i in range(sample + 1):
        read(i)
    out = {}
    for name, step, status in (("read", read, 200), ("cast", cast, 201), ("again", cast, 400)):
        with CaptureQueriesContext(connection) as run:
            first = step(0)
        # Read now: every later request clears the connection's query log.
        out[f"{name}_queries"] = len(run.captured_queries)
        if first.status_code != status:
            raise RuntimeError(f"in-process {name}: {first.status_code} {first.content[:300]!r}")
        started = time.process_time()
        for i in range(1, sample):
            step(i)
        cpu = (time.process_time() - started) / (sample - 1)
        out[f"{name}_cpu_ms"] = round(cpu * 1000, 2)
    services.close_election(election=twin)
    return out


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(port: int) -> subprocess.Popen:
    return subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "gonghui.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(WORKERS),
            "--threads",
            str(THREADS),
            "--worker-class",
            WORKER_CLASS,
            "--backlog",
            "2048",
            "--keep-alive",
            "5",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=os.environ.copy(),
        # Each refused second ballot is logged as a Bad Request; keep that off the terminal.
        stdout=subprocess.DEVNULL,
        stderr=open(Path(os.environ["GONGHUI_VAR_DIR"]) / "gunicorn.log", "w"),  # noqa: SIM115
    )


# The load client ---------------------------------------------------------------------------
#
# Every client is a coroutine on one event loop in one thread, speaking HTTP/1.1
# over its own kept-alive connection (as a phone's browser would): the request
# is written as bytes and the response read by its status line, headers and
# Content-Length (or chunks). Fifty Python threads with http.client cost the
# machine more CPU per request than some of the requests they measured, and
# that CPU came out of the server's share on a small machine. The baseline is
# measured by the same client, so the ratio compares like with like.


class _Closed(Exception):
    """The server closed a kept-alive connection before answering."""


class _Client:
    """One kept-alive HTTP/1.1 connection to the server under test."""

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.reader = self.writer = None

    async def request(self, method: str, path: str, token: str, body: bytes | None = None):
        """(status, body, seconds); status 599 for a dropped or refused connection."""
        head = (
            f"{method} {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
            f"Authorization: Bearer {token}\r\nAccept: application/json\r\n"
        )
        if body is not None:
            head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
        data = (head + "\r\n").encode() + (body or b"")
        started = time.perf_counter()
        for attempt in range(2):
            reused = self.writer is not None
            try:
                if not reused:
                    self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
                self.writer.write(data)
                await self.writer.drain()
                status, payload, keep = await self._response()
                if not keep:
                    self.close()
                return status, payload, time.perf_counter() - started
            except (_Closed, ConnectionResetError, BrokenPipeError) as e:
                # A kept-alive connection the server had already closed: open a new
                # one once. A POST is sent again only if it never left (BrokenPipe),
                # so no ballot is ever sent twice by the client itself.
                self.close()
                if not reused or attempt or method == "POST" and not isinstance(e, BrokenPipeError):
                    return 599, str(e).encode(), time.perf_counter() - started
            except (OSError, asyncio.IncompleteReadError, ValueError) as e:
                self.close()
                return 599, str(e).encode(), time.perf_counter() - started
        return 599, b"unreachable", time.perf_counter() - started

    async def _response(self) -> tuple[int, bytes, bool]:
        line = await self.reader.readline()
        if not line:
            raise _Closed("connection closed before the response")
        version, status = line.split(b" ", 2)[:2]
        headers = {}
        while True:
            line = await self.reader.readline()
            if line in (b"\r\n", b"\n", b""):
                break
            name, _, value = line.partition(b":")
            headers[name.strip().lower()] = value.strip()
        if b"content-length" in headers:
            payload = await self.reader.readexactly(int(headers[b"content-length"]))
        elif headers.get(b"transfer-encoding", b"").lower() == b"chunked":
            chunks = []
            while size := int((await self.reader.readline()).split(b";")[0], 16):
                chunks.append(await self.reader.readexactly(size))
                await self.reader.readline()
            while (await self.reader.readline()) not in (b"\r\n", b""):
                pass
            payload = b"".join(chunks)
        else:
            payload = await self.reader.read()
            return int(status), payload, False
        connection = headers.get(b"connection", b"").lower()
        keep = connection != b"close" and (version == b"HTTP/1.1" or connection == b"keep-alive")
        return int(status), payload, keep

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


def _split(url: str) -> tuple[str, int, str]:
    parts = urlsplit(url)
    return parts.hostname, parts.port, parts.path


def _request(url: str, token: str, body: dict | None = None):
    """One request on a fresh connection (status, body, seconds)."""
    host, port, path = _split(url)

    async def once():
        client = _Client(host, port)
        try:
            data = json.dumps(body).encode() if body is not None else None
            return await client.request("POST" if data else "GET", path, token, data)
        finally:
            client.close()

    return asyncio.run(once())


def _wait_until_up(url: str, token: str) -> None:
    deadline = time.time() + 180
    status, payload = None, b""
    while time.time() < deadline:
        status, payload, _t = _request(url, token)
        if status == 200:
            return
        time.sleep(0.5)
    log = Path(os.environ["GONGHUI_VAR_DIR"]) / "gunicorn.log"
    raise RuntimeError(
        f"gunicorn did not answer within 180 s (last: {status} {payload[:300]!r});"
        f" its log ends: {log.read_text()[-2000:]}"
    )


def _pool(url: str, tasks: list, work, clients: int) -> tuple[list, float]:
    """`clients` coroutines, each with its own connection, take tasks in order and
    run `await work(client, task)`; (outcomes in task order, seconds)."""
    host, port, _path = _split(url)
    outcomes = [None] * len(tasks)
    todo = iter(enumerate(tasks))

    async def one(client: _Client):
        try:
            for i, task in todo:
                outcomes[i] = await work(client, task)
        finally:
            client.close()

    async def all_clients():
        await asyncio.gather(*(one(_Client(host, port)) for _ in range(clients)))

    started, cpu = time.perf_counter(), time.process_time()
    asyncio.run(all_clients())
    _pool.client_cpu_ms = (time.process_time() - cpu) * 1000 / max(1, len(tasks))
    return outcomes, time.perf_counter() - started


def _baseline(url: str, tokens: list[str], clients: int) -> dict:
    path = _split(url)[2]

    async def read(client, token):
        return await client.request("GET", path, token)

    outcomes, seconds = _pool(url, tokens, read, clients)
    errors = [o for o in outcomes if o[0] != 200]
    if errors:
        raise RuntimeError(f"baseline: {len(errors)} failed, first {errors[0][:2]}")
    return {"latencies": [o[2] for o in outcomes], "seconds": seconds}


def _cast_twice(url: str, tokens: list[str], picks: list[dict], clients: int) -> dict:
    """Each voter's ballot sent twice, both copies released together: the two
    copies sit next to each other in the queue, so two clients take them at
    once and meet at a barrier before sending."""
    path = _split(url)[2]
    bodies = [json.dumps({"choices": {"c": p, "w": []}}).encode() for p in picks]
    barriers: dict[int, asyncio.Barrier] = {}

    async def cast(client, i):
        barrier = barriers.setdefault(i, asyncio.Barrier(2))
        await asyncio.wait_for(barrier.wait(), 60)
        return await client.request("POST", path, tokens[i], bodies[i])

    order = [i for i in range(len(tokens)) for _ in range(2)]
    outcomes, seconds = _pool(url, order, cast, clients)
    return {
        "outcomes": outcomes,
        "latencies": [o[2] for o in outcomes],
        "seconds": seconds,
        "client_cpu_ms": _pool.client_cpu_ms,
    }


def _check(election, picks: list[dict], casting: dict) -> dict:
    from collections import Counter

    from gonghui.democracy.models import Ballot, Candidate, RollEntry
    from gonghui.democracy.services import elections as services

    statuses = Counter(o[0] for o in casting["outcomes"])
    refusals = [
        o
        for o in casting["outcomes"]
        if o[0] == 400 and "您已经投过票了" in json.loads(o[1])["detail"]
    ]
    election.refresh_from_db()
    services.close_election(election=election)
    services.count_election(election=election)
    expected = Counter()
    for chosen in picks:
        if len(chosen) <= SEATS:
            expected.update(int(pk) for pk in chosen)
    tally = {c.pk: c.votes_for for c in Candidate.objects.filter(election=election)}
    voters = len(picks)
    ballots = Ballot.objects.filter(election=election).count()
    checks = {
        "ballots": ballots,
        "accepted": statuses.get(201, 0),
        "clean_refusals": len(refusals),
        "server_errors": sum(n for s, n in statuses.items() if s >= 500),
        "other_statuses": {str(s): n for s, n in statuses.items() if s not in (201, 400)},
        "roll_voted": RollEntry.objects.filter(election=election, voted=True).count(),
        "invalid_ballots": election.invalid_ballots,
        "tally_exact": all(tally[pk] == expected.get(pk, 0) for pk in tally),
    }
    checks["ok"] = (
        ballots == voters
        and checks["accepted"] == voters
        and checks["clean_refusals"] == voters
        and checks["server_errors"] == 0
        and checks["roll_voted"] == voters
        and checks["tally_exact"]
    )
    return checks


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))] if ordered else 0.0


def _p50(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[len(ordered) // 2] if ordered else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"))
    parser.add_argument("--voters", type=int, default=VOTERS)
    parser.add_argument("--clients", type=int, default=CLIENTS)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        sys.path.insert(0, str(ROOT))
        _child(args.child, args.voters, args.clients)
        return
    result = run(args.database_url, voters=args.voters, clients=args.clients)
    print(json.dumps(result, ensure_ascii=False, indent=2))
    sys.exit(0 if result["ok"] else 1)


if __name__ == "__main__":
    main()
