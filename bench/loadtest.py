"""`make loadtest`: simulated members and cadres against the production stack of
`make serve-prod` (nginx → gunicorn → PostgreSQL on 127.0.0.1, the `m` union).

First every user signs in, two at a time (class Phase: a sign-in is one
Argon2 computation, a quarter of a CPU-second). Then, for LOADTEST_SECONDS
(default 180), 100 portal users, with a pause between pages as a person
reading a phone would make, open their page, list and read open-affairs posts, look at activities
and sign up for one, and vote once in an open election; 10 staff users
(chairs of the union, signed in with the TOTP second factor) open the roster
(first page, a later page, a name search), the dashboard and a summary
report. Beside them, 5 baseline users fetch a static file that nginx serves
from disk: the same run's floor for the latency of a request through TLS on
this machine. Sign-in times are reported apart from the page figures.

Pass: no error (every response as expected: status, redirect target and a
text the page must show), p95 of portal pages < 300 ms, p95 of staff pages
< 800 ms. Afterwards the election is closed and counted: the ballots must
equal the votes the clients saw accepted. Figures are merged into
bench/results.json under `loadtest_prod_m` (other keys kept).

Setting up (in a child process with the stack's production environment,
through the services, as an administrator would):
- portal accounts for 100 active members of one group of the union
  (`members.services.create_portal_account`);
- 10 staff accounts with the chair role; each enrols an authenticator through
  `mfa.services.begin_enrolment`/`confirm_enrolment` like a person scanning
  the QR code, and the client computes its codes with django-otp's TOTP;
  MFA stays on, as in production;
- an online election whose electorate is that group, opened
  (`democracy.services.elections`), an activity open for sign-up with fewer
  seats than users so the waiting list is used too, and a drafted summary
  report when the union has none.

    .venv/bin/python -m bench.loadtest                  # starts the stack if it is not running
    LOADTEST_SECONDS=60 .venv/bin/python -m bench.loadtest
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import ssl
import subprocess
import sys
import threading
import time
from collections import defaultdict
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results.json"
RESULT_KEY = "loadtest_prod_m"
PORTAL_USERS = 100
STAFF_USERS = 10
BASELINE_USERS = 5
TARGET_P95_MS = {"portal": 300, "staff": 800}
# Seconds between a user's requests: a member reads a list or a notice on the
# phone for a while before the next tap, a cadre reads a table of the roster
# or the dashboard. 100 members then ask for about 8 pages a second.
PORTAL_THINK = (5.0, 20.0)
STAFF_THINK = (5.0, 20.0)
BASELINE_THINK = (0.5, 2.0)
# Sign-ins before the measured window, this many at a time (see Phase), and for
# at most this long.
SIGN_IN_CONCURRENCY = 2
WARM_UP_LIMIT_S = 600
PASSWORD = "Loadtest-2026-gonghui"
STAFF_PREFIX = "loadtest-staff-"
STATIC_FILE = "/static/gonghui/back_office.js"

sys.path.insert(0, str(ROOT / "deploy"))


# Setting up: runs inside the stack's environment ------------------------------------------


def prepare(out: Path, portal_users: int, staff_users: int) -> None:
    import django

    django.setup()
    from base64 import b32decode
    from datetime import date, timedelta

    from axes.models import AccessAttempt
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db.models import Count, Q
    from django.utils import timezone
    from django_otp.oath import totp
    from django_scopes import scopes_disabled

    from gonghui.activities import services as activities
    from gonghui.demo import plans
    from gonghui.democracy.services import elections
    from gonghui.disclosure import queries as disclosure
    from gonghui.members import services as members
    from gonghui.members.models import Member, Status
    from gonghui.mfa import queries as mfa_queries
    from gonghui.mfa import services as mfa
    from gonghui.orgs.models import Group, Union
    from gonghui.orgs.roles import Role
    from gonghui.orgs.services import assign_role
    from gonghui.reports import services as reports
    from gonghui.reports.models import SummaryReport

    User = get_user_model()
    now = timezone.now()
    stamp = now.astimezone().strftime("%Y-%m-%d %H:%M")
    with scopes_disabled():
        union = Union.objects.get(code=plans.ENTERPRISE_CODE)
        chair = User.objects.get(username="enterprise")
        active = Q(members__status=Status.ACTIVE) & ~Q(members__phone="")
        group = (
            Group.objects.filter(union=union)
            .annotate(n=Count("members", filter=active))
            .filter(n__gte=portal_users)
            .order_by("name")
            .first()
        )
        if group is None:
            raise SystemExit(
                f"没有一个小组有 {portal_users} 名以上在册会员：先生成规模 m 的演示数据"
            )
        chosen = list(
            Member.objects.filter(union=union, group=group, status=Status.ACTIVE)
            .exclude(phone="")
            .order_by("pk")[:portal_users]
        )
        portal = []
        for member in chosen:
            if not member.user_id:
                members.create_portal_account(member=member, password=PASSWORD)
            portal.append({"phone": member.phone, "name": member.name})
        # Accounts from an earlier run: the same password again, without one Argon2
        # computation per member (a quarter of a CPU-second each), and no lockout left.
        users = User.objects.filter(member__in=chosen)
        users.update(password=make_password(PASSWORD), is_active=True)
        AccessAttempt.objects.filter(username__in=[m.phone for m in chosen]).delete()

        staff = []
        for i in range(1, staff_users + 1):
            username = f"{STAFF_PREFIX}{i:02d}"
            user = User.objects.filter(username=username).first()
            if user is None:
                user = User.objects.create_user(
                    username=username, password=PASSWORD, display_name=f"负载测试工会干部{i}"
                )
            else:
                user.set_password(PASSWORD)
                user.save(update_fields=["password"])
            assign_role(user=user, union=union, role=Role.CHAIR)
            if not mfa_queries.has_authenticator(user):
                # What a person does with the QR code: the app reads the key, shows a code.
                device = mfa.begin_enrolment(user=user)
                key = b32decode(mfa.secret_of(device))
                code = totp(key, step=device.step, t0=device.t0, digits=device.digits)
                mfa.confirm_enrolment(user=user, device=device, code=f"{code:06d}")
            device = mfa_queries.authenticator(user)
            staff.append(
                {
                    "username": username,
                    "key": b32decode(mfa.secret_of(device)).hex(),
                    "step": device.step,
                    "t0": device.t0,
                    "digits": device.digits,
                    "last_t": device.last_t,
                }
            )

        election = elections.create_election(
            union=union,
            title=f"负载测试：{group.name}小组长选举（{stamp}）",
            kind="other",
            seats=1,
            opens_at=now - timedelta(minutes=1),
            closes_at=now + timedelta(hours=2),
            electorate="groups",
            groups=[group],
            actor=chair,
        )
        for name in ("王建国", "李秀英", "张伟"):
            elections.add_candidate(election=election, name=name, actor=chair)
        elections.open_election(election=election, actor=chair)
        candidates = list(election.candidates.order_by("position").values_list("pk", flat=True))

        activity = activities.create_activity(
            union=union,
            actor=chair,
            title=f"负载测试：{group.name}周末登山（{stamp}）",
            type="sports_arts",
            starts_at=now + timedelta(days=7),
            ends_at=now + timedelta(days=7, hours=4),
            place="九峰山",
            organiser="工会文体委员会",
            audience="all",
            capacity=max(1, portal_users * 4 // 5),
            signup_opens_at=now - timedelta(minutes=1),
            signup_closes_at=now + timedelta(days=6),
            description="负载测试生成的活动。",
        )

        # Posts every member of the union reads (audience: all), as the portal lists them.
        posts = list(
            disclosure.posts_for_member(chosen[0], today=timezone.localdate())
            .filter(audience="all")
            .order_by("-pk")
            .values_list("pk", flat=True)[:20]
        )
        report = SummaryReport.objects.filter(union=union).order_by("-pk").first()
        if report is None:
            year = date.today().year - 1
            report = reports.draft_report(
                union=union, start=date(year, 1, 1), end=date(year, 12, 31), actor=chair
            )
    out.write_text(
        json.dumps(
            {
                "union": union.name,
                "group": group.name,
                "portal": portal,
                "staff": staff,
                "election": election.pk,
                "candidates": candidates,
                "activity": activity.pk,
                "posts": posts,
                "report": report.pk,
            },
            ensure_ascii=False,
        )
    )


def finish(fixtures_path: Path, out: Path) -> None:
    """Close and count the load test's election; report what the database holds."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django_scopes import scopes_disabled

    from gonghui.activities.models import SignUp
    from gonghui.democracy.models.elections import Ballot, Election, RollEntry
    from gonghui.democracy.services import elections

    fixtures = json.loads(fixtures_path.read_text())
    chair = get_user_model().objects.get(username="enterprise")
    with scopes_disabled():
        election = Election.objects.get(pk=fixtures["election"])
        elections.close_election(election=election, actor=chair)
        elections.count_election(election=election, actor=chair)
        signups = SignUp.objects.filter(activity_id=fixtures["activity"])
        out.write_text(
            json.dumps(
                {
                    "ballots": Ballot.objects.filter(election=election).count(),
                    "roll_voted": RollEntry.objects.filter(election=election, voted=True).count(),
                    "signups_admitted": signups.filter(state="admitted").count(),
                    "signups_waiting": signups.filter(state="waiting").count(),
                }
            )
        )


# The clients ------------------------------------------------------------------------------


class Failure(Exception):
    pass


class Client:
    """One browser: a kept-alive TLS connection to nginx and a cookie jar."""

    def __init__(self, base: str, context: ssl.SSLContext, recorder: Recorder, category: str):
        parts = urlsplit(base)
        self.base, self.host, self.port = base, parts.hostname, parts.port
        self.context, self.recorder, self.category = context, recorder, category
        self.cookies: dict[str, str] = {}
        self.conn: http.client.HTTPSConnection | None = None
        self.referer = base + "/"

    def _connection(self) -> http.client.HTTPSConnection:
        if self.conn is None:
            self.conn = http.client.HTTPSConnection(
                self.host, self.port, context=self.context, timeout=60
            )
        return self.conn

    def request(
        self,
        name: str,
        path: str,
        *,
        form: dict | None = None,
        expect: int = 200,
        location: str | None = None,
        text: str | None = None,
        category: str | None = None,
    ) -> tuple[int, str, str]:
        """Send one request and record its latency under (category, name); a response
        with another status, redirect target or without `text` is an error."""
        headers = {"Referer": self.referer, "User-Agent": "gonghui-loadtest"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            form = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **form}
            body = urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        method = "POST" if form is not None else "GET"
        category = category or self.category
        started = time.perf_counter()
        status, payload, target = 0, "", ""
        for attempt in range(2):
            conn = self._connection()
            try:
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                status = response.status
                payload = response.read().decode("utf-8", errors="replace")
                target = response.getheader("Location", "")
                for cookie in response.headers.get_all("Set-Cookie") or []:
                    for key, morsel in SimpleCookie(cookie).items():
                        self.cookies[key] = morsel.value
                if response.will_close:
                    conn.close()
                    self.conn = None
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError) as e:
                # nginx closed an idle kept-alive connection: reopen once (a GET only).
                conn.close()
                self.conn = None
                status, payload = 599, f"{type(e).__name__}: {e}"
                if attempt or method == "POST":
                    break
                started = time.perf_counter()
            except OSError as e:
                conn.close()
                self.conn = None
                status, payload = 599, f"{type(e).__name__}: {e}"
                break
        elapsed = time.perf_counter() - started
        problem = None
        if status != expect:
            problem = f"HTTP {status}（应为 {expect}）"
        elif location is not None and not urlsplit(target).path.startswith(location):
            problem = f"跳转到 {target}（应为 {location}…）"
        elif text is not None and text not in payload:
            problem = f"页面中没有“{text}”"
        self.recorder.record(category, name, elapsed, problem, path, payload)
        if method == "GET" and status == 200:
            self.referer = self.base + path
        if problem:
            raise Failure(problem)
        return status, payload, target

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()


class Recorder:
    def __init__(self):
        self.lock = threading.Lock()
        self.latencies: dict[tuple[str, str], list[float]] = defaultdict(list)
        self.errors: list[dict] = []
        self.events: dict[str, int] = defaultdict(int)

    def record(self, category, name, elapsed, problem, path, payload):
        with self.lock:
            self.latencies[(category, name)].append(elapsed)
            if problem:
                self.errors.append(
                    {
                        "category": category,
                        "request": name,
                        "path": path,
                        "problem": problem,
                        "body": " ".join(payload[:300].split()),
                    }
                )

    def count(self, event: str) -> None:
        with self.lock:
            self.events[event] += 1

    def category(self, category: str) -> list[float]:
        return [v for (c, _n), vs in self.latencies.items() if c == category for v in vs]


def _think(rng: random.Random, bounds: tuple[float, float], deadline: float) -> bool:
    """Pause like a reader; False when the run is over."""
    pause = rng.uniform(*bounds)
    if time.monotonic() + pause >= deadline:
        return False
    time.sleep(pause)
    return True


def _until(moment: float) -> None:
    time.sleep(max(0.0, moment - time.monotonic()))


class Phase:
    """Everyone signs in first, SIGN_IN_CONCURRENCY at a time (a sign-in costs
    one Argon2 computation, about a quarter of a CPU-second on this machine, and a
    hundred members do not all sign in at the same moment); the measured window
    starts when the last has signed in (or failed), for everyone at once."""

    def __init__(self, users: int, seconds: int):
        self.gate = threading.Semaphore(SIGN_IN_CONCURRENCY)
        self.left, self.seconds = users, seconds
        self.lock = threading.Lock()
        self.ready = threading.Event()
        self.measure_from = self.deadline = 0.0

    def signed_in(self) -> None:
        with self.lock:
            self.left -= 1
            if self.left == 0:
                self.open()

    def open(self) -> None:
        if not self.ready.is_set():
            self.measure_from = time.monotonic() + 2
            self.deadline = self.measure_from + self.seconds
            self.ready.set()

    def start(self, rng: random.Random, think: tuple[float, float]) -> float:
        """Wait for the window; start at one's own point of reading; the deadline."""
        self.ready.wait()
        _until(self.measure_from + rng.uniform(0, think[1]))
        return self.deadline


def portal_user(index, account, fixtures, base, context, recorder, phase):
    rng = random.Random(index)
    client = Client(base, context, recorder, "portal")
    voted = signed_up = False
    election = fixtures["election"]
    activity = fixtures["activity"]
    try:
        try:
            with phase.gate:
                client.request("登录页", "/login/", text="手机号码")
                client.request(
                    "登录（提交）",
                    "/login/",
                    form={"username": account["phone"], "password": PASSWORD},
                    expect=302,
                    location="/",
                    category="sign_in",
                )
        finally:
            phase.signed_in()
        deadline = phase.start(rng, PORTAL_THINK)
        client.request("我的会员信息", "/", text=account["name"])
        while _think(rng, PORTAL_THINK, deadline):
            task = rng.choices(
                ["home", "disclosure", "post", "activities", "activity", "vote"],
                weights=[2, 3, 4, 2, 2, 3],
            )[0]
            if task == "home":
                client.request("我的会员信息", "/", text=account["name"])
            elif task == "disclosure":
                client.request("厂务公开列表", "/disclosure/")
            elif task == "post" and fixtures["posts"]:
                pk = rng.choice(fixtures["posts"])
                client.request("厂务公开文章", f"/disclosure/{pk}/")
            elif task == "activities":
                client.request("我的活动", "/activities/")
            elif task == "activity":
                client.request("活动详情", f"/activities/{activity}/", text="登山")
                if not signed_up:
                    if not _think(rng, PORTAL_THINK, deadline):
                        break
                    path = f"/activities/{activity}/"
                    client.request(
                        "活动报名（提交）",
                        f"{path}signup/",
                        form={},
                        expect=302,
                        location=path,
                    )
                    client.request("活动详情", path, text="登山")
                    signed_up = True
                    recorder.count("signed_up")
            elif task == "vote":
                client.request("我的投票", "/democracy/vote/")
                if not voted:
                    path = f"/democracy/vote/election/{election}/"
                    client.request("选票", path, text="王建国")
                    if not _think(rng, PORTAL_THINK, deadline):
                        break
                    pick = rng.choice(fixtures["candidates"])
                    client.request("投票（提交）", path, form={"c": [str(pick)]}, text="回执码")
                    voted = True
                    recorder.count("voted")
    except Failure:
        recorder.count("portal_users_stopped_by_error")
    finally:
        client.close()


def staff_sign_in(client, account, totp) -> None:
    """The back office's two steps: password, then the authenticator's code."""
    client.request("后台登录页", "/admin/login/?next=/admin/", text="登录")
    client.request(
        "后台登录（提交）",
        "/admin/login/?next=/admin/",
        form={"username": account["username"], "password": PASSWORD, "next": "/admin/"},
        expect=302,
        location="/admin/",
        category="sign_in",
    )
    client.request("后台首页（未验证）", "/admin/", expect=302, location="/admin/mfa/verify/")
    code = totp(
        bytes.fromhex(account["key"]),
        step=account["step"],
        t0=account["t0"],
        digits=account["digits"],
    )
    client.request(
        "两步验证（提交）",
        "/admin/mfa/verify/?next=/admin/",
        form={"code": f"{code:0{account['digits']}d}"},
        expect=302,
        location="/admin/",
        category="sign_in",
    )


def staff_user(index, account, fixtures, base, context, recorder, phase):
    from django_otp.oath import totp

    rng = random.Random(1000 + index)
    client = Client(base, context, recorder, "staff")
    # A code is good once: wait for a step after the one used at enrolment.
    while (time.time() - account["t0"]) // account["step"] <= account["last_t"]:
        time.sleep(1)
    try:
        try:
            with phase.gate:
                staff_sign_in(client, account, totp)
        finally:
            phase.signed_in()
        deadline = phase.start(rng, STAFF_THINK)
        client.request("后台首页", "/admin/", text="工会")
        report = fixtures["report"]
        while _think(rng, STAFF_THINK, deadline):
            task = rng.choices(
                ["roster", "deep", "search", "dashboard", "report"], [3, 1, 2, 3, 2]
            )[0]
            if task == "roster":
                client.request("会员名册", "/admin/members/member/", text="会员")
            elif task == "deep":
                client.request("会员名册第34页", "/admin/members/member/?p=34", text="会员")
            elif task == "search":
                surname = rng.choice("王李张刘陈杨赵黄周吴")
                client.request("会员名册搜索", f"/admin/members/member/?q={_q(surname)}")
            elif task == "dashboard":
                client.request("工作台", "/admin/reports/")
            elif task == "report":
                client.request("工作总结", f"/admin/reports/summaries/{report}/")
    except Failure:
        recorder.count("staff_users_stopped_by_error")
    finally:
        client.close()


def _q(text: str) -> str:
    from urllib.parse import quote

    return quote(text)


def baseline_user(index, base, context, recorder, phase):
    rng = random.Random(5000 + index)
    client = Client(base, context, recorder, "static")
    deadline = phase.start(rng, BASELINE_THINK)
    try:
        while _think(rng, BASELINE_THINK, deadline):
            client.request("静态文件（nginx）", STATIC_FILE)
    except Failure:
        recorder.count("baseline_stopped_by_error")
    finally:
        client.close()


def load(fixtures: dict, stack_state: dict, seconds: int) -> dict:
    """Sign everyone in (Phase), then run every user for `seconds`: the measured window."""
    base = stack_state["url"]
    context = ssl.create_default_context(cafile=stack_state["cert"])
    recorder = Recorder()
    phase = Phase(len(fixtures["portal"]) + len(fixtures["staff"]), seconds)
    threads = []
    for i, account in enumerate(fixtures["portal"]):
        args = (i, account, fixtures, base, context, recorder, phase)
        threads.append(threading.Thread(target=portal_user, args=args, daemon=True))
    for i, account in enumerate(fixtures["staff"]):
        args = (i, account, fixtures, base, context, recorder, phase)
        threads.append(threading.Thread(target=staff_user, args=args, daemon=True))
    for i in range(BASELINE_USERS):
        args = (i, base, context, recorder, phase)
        threads.append(threading.Thread(target=baseline_user, args=args, daemon=True))
    began = time.monotonic()
    for t in threads:
        t.start()
    if not phase.ready.wait(WARM_UP_LIMIT_S):
        phase.open()  # the rest sign in while the others already browse
    warm_up = phase.measure_from - began
    print(f"全部登录用时 {warm_up:.0f} 秒；开始计时 {seconds} 秒", flush=True)
    for t in threads:
        t.join(timeout=max(1.0, phase.deadline + 120 - time.monotonic()))
    return {
        "recorder": recorder,
        "seconds": time.monotonic() - phase.measure_from,
        "warm_up_seconds": round(warm_up, 1),
    }


# Figures ----------------------------------------------------------------------------------


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def _ms(value: float) -> float:
    return round(value * 1000, 1)


def summarise(run: dict, fixtures: dict, finished: dict, seconds: int, workers: str) -> dict:
    recorder: Recorder = run["recorder"]
    cats = {c: recorder.category(c) for c in ("portal", "staff", "sign_in", "static")}
    static_p95 = _percentile(cats["static"], 0.95)
    requests = sum(len(v) for v in recorder.latencies.values())
    per_request = {
        f"{c}/{n}": {
            "n": len(v),
            "p50_ms": _ms(_percentile(v, 0.5)),
            "p95_ms": _ms(_percentile(v, 0.95)),
            "max_ms": _ms(max(v)),
        }
        for (c, n), v in sorted(recorder.latencies.items())
    }
    portal_p95, staff_p95 = _percentile(cats["portal"], 0.95), _percentile(cats["staff"], 0.95)
    votes = recorder.events.get("voted", 0)
    ballots_match = finished.get("ballots") == votes == finished.get("roll_voted")
    signups = finished.get("signups_admitted", 0) + finished.get("signups_waiting", 0)
    result = {
        "value": _ms(portal_p95),
        "baseline": _ms(static_p95),
        "target": TARGET_P95_MS["portal"],
        "unit": "ms, p95 of portal pages (baseline: p95 of a static file from nginx, same run)",
        "ratio": round(portal_p95 / static_p95, 1) if static_p95 else None,
        "staff_p95_ms": _ms(staff_p95),
        "staff_target_p95_ms": TARGET_P95_MS["staff"],
        "staff_ratio": round(staff_p95 / static_p95, 1) if static_p95 else None,
        "portal_p50_ms": _ms(_percentile(cats["portal"], 0.5)),
        "staff_p50_ms": _ms(_percentile(cats["staff"], 0.5)),
        "sign_in_p95_ms": _ms(_percentile(cats["sign_in"], 0.95)),
        "sign_in_seconds_before_window": run["warm_up_seconds"],
        "static_p50_ms": _ms(_percentile(cats["static"], 0.5)),
        "requests": requests,
        "requests_per_s": round(requests / run["seconds"], 1),
        "errors": len(recorder.errors),
        "first_errors": recorder.errors[:5],
        "seconds": seconds,
        "portal_users": len(fixtures["portal"]),
        "staff_users": len(fixtures["staff"]),
        "baseline_users": BASELINE_USERS,
        "union": fixtures["union"],
        "server": workers,
        # The machine is shared: its 1-minute load average before and after the run.
        "load_average_before_after": run["load_average"],
        "cores": os.cpu_count(),
        "votes_accepted": votes,
        **finished,
        "ballots_equal_votes": ballots_match,
        "sign_ups": recorder.events.get("signed_up", 0),
        "sign_ups_in_database": signups,
        "per_request": per_request,
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    result["passed"] = (
        result["errors"] == 0
        and portal_p95 * 1000 < TARGET_P95_MS["portal"]
        and staff_p95 * 1000 < TARGET_P95_MS["staff"]
        and ballots_match
        and signups == result["sign_ups"]
    )
    return result


def write_result(result: dict) -> None:
    """Merge our key into bench/results.json, keeping every other key."""
    current = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    current[RESULT_KEY] = result
    tmp = RESULTS.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(current, ensure_ascii=False, indent=2) + "\n")
    tmp.replace(RESULTS)


def print_table(result: dict) -> None:
    print(f"\n负载测试 {result['seconds']} 秒，{result['union']}，{result['server']}")
    before, after = result["load_average_before_after"]
    print(f"本机 {result['cores']} 核，负载均值 {before} → {after}（机器与他人共用）")
    print(f"{'请求':<28}{'次数':>6}{'p50 ms':>9}{'p95 ms':>9}{'最长 ms':>9}")
    for name, row in result["per_request"].items():
        print(f"{name:<28}{row['n']:>6}{row['p50_ms']:>9}{row['p95_ms']:>9}{row['max_ms']:>9}")
    print(
        f"门户 p95 {result['value']} ms（目标 < {result['target']}），"
        f"后台 p95 {result['staff_p95_ms']} ms（目标 < {result['staff_target_p95_ms']}），"
        f"静态文件 p95 {result['baseline']} ms，比值 {result['ratio']} / {result['staff_ratio']}"
    )
    print(
        f"请求 {result['requests']}（{result['requests_per_s']}/秒），错误 {result['errors']}，"
        f"投票 {result['votes_accepted']}，选票 {result.get('ballots')}，"
        f"报名 {result['sign_ups']}/{result['sign_ups_in_database']}"
    )
    for error in result["first_errors"]:
        print(f"  错误：{error}")
    print("通过" if result["passed"] else "未通过")


# Orchestration ----------------------------------------------------------------------------


def main() -> int:
    import serve_prod

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=int(os.environ.get("LOADTEST_SECONDS", 180)))
    parser.add_argument("--portal-users", type=int, default=PORTAL_USERS)
    parser.add_argument("--staff-users", type=int, default=STAFF_USERS)
    parser.add_argument(
        "--dir", default=os.environ.get("GONGHUI_PROD_DIR", str(ROOT / "var" / "prod"))
    )
    parser.add_argument("--members", type=int, default=int(os.environ.get("PROD_MEMBERS", 50_000)))
    parser.add_argument("--no-write", action="store_true", help="不写入 bench/results.json")
    parser.add_argument("--prepare", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--finish", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare:
        prepare(args.prepare, args.portal_users, args.staff_users)
        return 0
    if args.finish:
        finish(*args.finish)
        return 0

    stack = serve_prod.stack_from(args)
    script = [sys.executable, str(ROOT / "deploy" / "serve_prod.py")]
    started_here = False
    if not (serve_prod.running_pid(stack) and stack.state.exists()):
        print("生产服务栈未运行，先启动（make serve-prod 的后台方式）…", flush=True)
        subprocess.run(
            [*script, "start", "--dir", str(stack.dir), "--members", str(args.members)],
            check=True,
        )
        started_here = True
    try:
        state = json.loads(stack.state.read_text())
        env = stack.env()
        fixtures_path = stack.dir / "loadtest-fixtures.json"
        print("准备会员门户账号、后台账号（两步验证）、选举和活动…", flush=True)
        subprocess.run(
            [
                sys.executable,
                __file__,
                "--prepare",
                str(fixtures_path),
                "--portal-users",
                str(args.portal_users),
                "--staff-users",
                str(args.staff_users),
            ],
            cwd=stack.current,
            env=env,
            check=True,
        )
        fixtures = json.loads(fixtures_path.read_text())
        print(
            f"开始：{len(fixtures['portal'])} 名会员、{len(fixtures['staff'])} 名干部、"
            f"{BASELINE_USERS} 个静态文件基线用户，{args.seconds} 秒，{state['url']}",
            flush=True,
        )
        load_before = os.getloadavg()[0]
        run = load(fixtures, state, args.seconds)
        run["load_average"] = [round(load_before, 1), round(os.getloadavg()[0], 1)]
        finished_path = stack.dir / "loadtest-finished.json"
        subprocess.run(
            [
                sys.executable,
                __file__,
                "--finish",
                str(fixtures_path),
                str(finished_path),
            ],
            cwd=stack.current,
            env=env,
            check=True,
        )
        finished = json.loads(finished_path.read_text())
        workers, threads = state["workers"].split()
        server = f"nginx → gunicorn {workers} workers × {threads} threads → PostgreSQL"
        result = summarise(run, fixtures, finished, args.seconds, server)
        if not args.no_write:
            write_result(result)
        print_table(result)
        return 0 if result["passed"] else 1
    finally:
        if started_here:
            subprocess.run([*script, "stop", "--dir", str(stack.dir)], check=False)


if __name__ == "__main__":
    sys.exit(main())
