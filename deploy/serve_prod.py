"""`make serve-prod`: the production stack of docs/deployment.md, run locally on 127.0.0.1.

PostgreSQL (Debian's server binaries, a cluster of our own under DIR/pg),
gunicorn with 2 x cores + 1 workers (deploy/gunicorn.conf.py) behind nginx
(deploy/nginx.conf: TLS with a self-signed certificate made on first run,
collected static files from disk, everything else proxied), with
GONGHUI_ENV=production settings. Steps, in order:

 1. install `postgresql` and `nginx` with apt-get when they are missing (as root);
 2. secrets: SECRET_KEY, FIELD_ENCRYPTION_KEYS, FIELD_HMAC_KEY, GONGHUI_BACKUP_KEY
    and the database password come from the environment; those not set are
    generated once into DIR/prod.env (mode 600), the local stand-in for the
    EnvironmentFile of a systemd unit;
 3. start PostgreSQL on 127.0.0.1 and create the role and database `gonghui`;
 4. `gonghui migrate`, `collectstatic`, `check --deploy --fail-level WARNING`;
 5. when the database holds no union: `gonghui demo --scale m` (the 50,000-member
    enterprise union; `--members N` builds a smaller one), timed;
 6. gunicorn on 127.0.0.1, then nginx on 127.0.0.1 (https and a redirect from http);
 7. wait until https answers, write DIR/stack.json, and supervise: when any
    process dies, or on Ctrl-C / SIGTERM, stop nginx (graceful), gunicorn
    (graceful: requests in flight finish) and PostgreSQL (fast, clean) in
    that order.

There is no separate task worker: long work (member imports) runs in a
thread of the web worker that received it and is one transaction
(docs/architecture.md, "Background work"); periodic jobs are cron entries
(docs/deployment.md), and the supervisor runs the frequent one itself:
`gonghui rollup refresh --stale` every PROD_CRON_SECONDS (300), log in
DIR/logs/cron.log.

    .venv/bin/python deploy/serve_prod.py            # run in the foreground (make serve-prod)
    .venv/bin/python deploy/serve_prod.py start      # the same in the background, wait for ready
    .venv/bin/python deploy/serve_prod.py stop       # stop a background stack
    .venv/bin/python deploy/serve_prod.py status
    .venv/bin/python deploy/serve_prod.py upgrade    # backup, migrate, collectstatic, reload gunicorn
    .venv/bin/python deploy/serve_prod.py shell      # a shell with the stack's environment

Options and environment: --dir (GONGHUI_PROD_DIR, default var/prod), --members
(PROD_MEMBERS), ports PROD_HTTPS_PORT (8443), PROD_HTTP_PORT (8080),
PROD_APP_PORT (8001, gunicorn), PROD_PG_PORT (55437).
"""

from __future__ import annotations

import argparse
import json
import os
import pwd
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
VENV_BIN = Path(sys.executable).parent
M_MEMBERS = 50_000
SECRET_NAMES = (
    "SECRET_KEY",
    "FIELD_ENCRYPTION_KEYS",
    "FIELD_HMAC_KEY",
    "GONGHUI_BACKUP_KEY",
    "PGPASSWORD_GONGHUI",
)
IS_ROOT = os.geteuid() == 0
# How often the periodic jobs run (cron on a server: every few minutes).
CRON_SECONDS = int(os.environ.get("PROD_CRON_SECONDS", 300))


def log(message: str) -> None:
    print(f"[serve-prod {time.strftime('%H:%M:%S')}] {message}", flush=True)


class Stack:
    def __init__(self, directory: Path, members: int, ports: dict[str, int]):
        self.dir = directory.resolve()
        self.members = members
        self.ports = ports
        self.pg_data = self.dir / "pg"
        self.pg_run = self.dir / "pg-run"
        self.app_var = self.dir / "app"  # GONGHUI_VAR_DIR: media/ and static/
        self.nginx = self.dir / "nginx"
        self.logs = self.dir / "logs"
        self.tls = self.dir / "tls"
        self.state = self.dir / "stack.json"
        # The code served: `current` points at a release (a commit exported with
        # git archive, as a deploy ships one) or, with PROD_SOURCE=worktree, at
        # the working tree itself.
        self.current = self.dir / "current"
        self.source = os.environ.get("PROD_SOURCE", "head")
        self.pidfile = self.dir / "serve-prod.pid"
        self.children: dict[str, subprocess.Popen] = {}
        self.pg_started = False
        self.stopping = False
        self.job: subprocess.Popen | None = None
        self.next_job = 0.0

    # -- paths and environment ------------------------------------------------------

    @property
    def https_url(self) -> str:
        return f"https://127.0.0.1:{self.ports['https']}"

    @property
    def cert(self) -> Path:
        return self.tls / "cert.pem"

    def env(self) -> dict[str, str]:
        """The production environment the application runs with."""
        values = read_env_file(self.dir / "prod.env")
        env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "DATABASE_URL")}
        for name in SECRET_NAMES:
            env.setdefault(name, values[name])
        password = env.pop("PGPASSWORD_GONGHUI")
        env.update(
            PYTHONPATH=str(self.current),
            GONGHUI_ENV="production",
            ALLOWED_HOSTS=os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost"),
            DATABASE_URL=(f"postgres://gonghui:{password}@127.0.0.1:{self.ports['pg']}/gonghui"),
            GONGHUI_VAR_DIR=str(self.app_var),
            DJANGO_SETTINGS_MODULE="gonghui.settings",
            GUNICORN_BIND=f"127.0.0.1:{self.ports['app']}",
            GUNICORN_ERRORLOG=str(self.logs / "gunicorn.log"),
        )
        return env

    def release(self) -> str:
        """Point `current` at the code to serve; its name (commit or "worktree")."""
        if self.source == "worktree":
            target, name = ROOT, "worktree"
        else:
            sha = git("rev-parse", "HEAD")
            name = sha[:12]
            target = self.dir / "releases" / sha
            if not target.exists():
                staging = target.with_name(sha + ".partial")
                shutil.rmtree(staging, ignore_errors=True)
                staging.mkdir(parents=True)
                archive = subprocess.run(
                    ["git", "-C", str(ROOT), "archive", "--format=tar", sha],
                    check=True,
                    capture_output=True,
                )
                subprocess.run(["tar", "-x", "-C", str(staging)], input=archive.stdout, check=True)
                staging.rename(target)
        link = self.current.with_name("current.new")
        link.unlink(missing_ok=True)
        link.symlink_to(target)
        link.replace(self.current)  # one rename: the switch is atomic
        self.prune_releases(keep=3)
        return name

    def prune_releases(self, *, keep: int) -> None:
        """Drop old releases, keeping the newest `keep` (one to go back to) and the current."""
        releases = self.dir / "releases"
        if not releases.exists():
            return
        current = self.current.resolve()
        old = sorted(
            (p for p in releases.iterdir() if p.is_dir() and p.resolve() != current),
            key=lambda p: p.stat().st_mtime,
            reverse=True,
        )
        for path in old[keep - 1 :]:
            shutil.rmtree(path, ignore_errors=True)

    # -- steps ------------------------------------------------------------------------

    def prepare(self) -> None:
        for d in (self.dir, self.app_var, self.nginx, self.logs, self.tls):
            d.mkdir(parents=True, exist_ok=True)
        # nginx workers (www-data when started as root) read static files below here.
        for d in (self.dir, self.app_var):
            d.chmod(0o755)
        ensure_packages()
        self.ensure_secrets()
        self.ensure_certificate()
        for name, port in self.ports.items():
            if name != "pg" and port_in_use(port):
                raise SystemExit(
                    f"端口 {port}（{name}）已被占用：换一个端口（PROD_{name.upper()}_PORT）"
                )

    def ensure_secrets(self) -> None:
        path = self.dir / "prod.env"
        values = read_env_file(path)
        missing = [n for n in SECRET_NAMES if n not in values]
        if not missing:
            return
        from_env = {
            "SECRET_KEY": lambda: secrets.token_urlsafe(64),
            "FIELD_ENCRYPTION_KEYS": fernet_key,
            "FIELD_HMAC_KEY": lambda: secrets.token_urlsafe(48),
            "GONGHUI_BACKUP_KEY": backup_key,
            "PGPASSWORD_GONGHUI": lambda: secrets.token_hex(24),
        }
        for name in missing:
            values[name] = from_env[name]()
        path.touch(mode=0o600, exist_ok=True)
        path.chmod(0o600)
        path.write_text(
            "# Secrets of the local production stack (deploy/serve_prod.py). On a server these\n"
            "# live in the service's environment file, never in the repository or a backup.\n"
            + "".join(f"{k}={v}\n" for k, v in values.items())
        )
        log(f"已生成密钥文件 {path}（{', '.join(missing)}）")

    def ensure_certificate(self) -> None:
        if self.cert.exists():
            return
        subprocess.run(
            [
                "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "825",
                "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
                "-keyout", str(self.tls / "key.pem"), "-out", str(self.cert),
            ],
            check=True,
            capture_output=True,
        )  # fmt: skip
        (self.tls / "key.pem").chmod(0o600)
        log(f"已生成本机自签名证书 {self.cert}")

    def start_postgres(self) -> None:
        pgbin = postgres_bin()
        owner = "postgres" if IS_ROOT else pwd.getpwuid(os.geteuid()).pw_name
        self.pg_run.mkdir(exist_ok=True)
        if IS_ROOT:
            shutil.chown(self.pg_run, "postgres", "postgres")
        if not (self.pg_data / "PG_VERSION").exists():
            self.pg_data.mkdir(exist_ok=True)
            if IS_ROOT:
                shutil.chown(self.pg_data, "postgres", "postgres")
            self.pg_data.chmod(0o700)
            as_db_owner(
                [
                    str(pgbin / "initdb"), "-D", str(self.pg_data), "-U", owner,
                    "--auth-local=peer", "--auth-host=scram-sha-256",
                    "-E", "UTF8", "--locale=C.UTF-8",
                ],
                capture_output=True,
            )  # fmt: skip
            log(f"已初始化 PostgreSQL 数据目录 {self.pg_data}")
        if port_in_use(self.ports["pg"]):
            raise SystemExit(f"端口 {self.ports['pg']} 已被占用（PostgreSQL）：换 PROD_PG_PORT")
        settings = {
            "listen_addresses": "127.0.0.1",
            "port": self.ports["pg"],
            "unix_socket_directories": str(self.pg_run),
            "max_connections": 100,
            "shared_buffers": "256MB",
            "effective_cache_size": "1GB",
            "work_mem": "16MB",
            "maintenance_work_mem": "256MB",
            "max_wal_size": "2GB",
            "log_min_duration_statement": 500,
        }
        options = " ".join(f"-c {k}={v}" for k, v in settings.items())
        as_db_owner(
            [
                str(pgbin / "pg_ctl"), "-D", str(self.pg_data), "-o", options,
                "-l", str(self.pg_data / "server.log"), "-w", "-t", "120", "start",
            ],
            capture_output=True,
        )  # fmt: skip
        self.pg_started = True
        log(f"PostgreSQL 已在 127.0.0.1:{self.ports['pg']} 启动")
        password = self.env()["DATABASE_URL"].split(":")[2].split("@")[0]
        psql = [str(pgbin / "psql"), "-h", str(self.pg_run), "-p", str(self.ports["pg"])]
        psql += ["-U", owner, "-d", "postgres", "-tAq", "-v", "ON_ERROR_STOP=1", "-c"]
        exists = as_db_owner(
            [*psql, "SELECT 1 FROM pg_roles WHERE rolname = 'gonghui'"], capture_output=True
        ).stdout.strip()
        if not exists:
            as_db_owner([*psql, f"CREATE ROLE gonghui LOGIN PASSWORD '{password}'"])
            as_db_owner([*psql, "CREATE DATABASE gonghui OWNER gonghui"])
            log("已创建数据库角色和数据库 gonghui")

    def manage(self, *args: str, **kwargs) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(VENV_BIN / "gonghui"), *args],
            cwd=self.current,
            env=self.env(),
            check=True,
            **kwargs,
        )

    def django(self, code: str) -> str:
        """Run Python with Django set up in the production environment; its stdout."""
        script = "import django\ndjango.setup()\n" + code
        done = subprocess.run(
            [sys.executable, "-c", script],
            cwd=self.current,
            env=self.env(),
            check=True,
            capture_output=True,
            text=True,
        )
        return done.stdout.strip()

    def migrate_and_collect(self) -> None:
        started = time.monotonic()
        self.manage("migrate", "--noinput", "-v", "0")
        self.manage("collectstatic", "--noinput", "-v", "0")
        self.manage("check", "--deploy", "--fail-level", "WARNING", stdout=subprocess.DEVNULL)
        log(f"迁移、收集静态文件、部署检查完成（{time.monotonic() - started:.0f} 秒）")

    def ensure_demo(self) -> None:
        empty = self.django(
            "from django_scopes import scopes_disabled\n"
            "from gonghui.orgs.models import Union\n"
            "with scopes_disabled():\n"
            "    print(0 if Union.objects.exists() else 1)\n"
        )
        if empty != "1":
            return
        log(f"数据库为空，正在生成演示数据：企业工会 {self.members} 名会员（规模 m）…")
        started = time.monotonic()
        if self.members == M_MEMBERS:
            self.manage("demo", "--scale", "m")
        else:
            subprocess.run(
                [
                    sys.executable,
                    "-c",
                    "import django\ndjango.setup()\n"
                    "from datetime import date\n"
                    "from django_scopes import scopes_disabled\n"
                    "from gonghui.demo import scales\n"
                    "with scopes_disabled():\n"
                    f"    u = scales.build_medium(seed=2026, today=date.today(), progress=True,"
                    f" members={self.members})\n"
                    "print('已生成演示数据：' + u.name)\n",
                ],
                cwd=self.current,
                env=self.env(),
                check=True,
            )
        seconds = time.monotonic() - started
        (self.dir / "demo-build.json").write_text(
            json.dumps({"members": self.members, "seconds": round(seconds, 1)})
        )
        log(f"演示数据生成完成，用时 {seconds / 60:.1f} 分钟")

    def start_gunicorn(self) -> None:
        self.children["gunicorn"] = subprocess.Popen(
            [str(VENV_BIN / "gunicorn"), "-c", str(DEPLOY / "gunicorn.conf.py")]
            + ["--chdir", str(self.current), "gonghui.wsgi:application"],
            cwd=self.current,
            env=self.env(),
            start_new_session=True,
        )
        wait_for_port(self.ports["app"], self.children["gunicorn"], "gunicorn")
        log(f"gunicorn 已在 127.0.0.1:{self.ports['app']} 启动")

    def nginx_config(self) -> Path:
        for sub in ("logs", "tmp"):
            (self.nginx / sub).mkdir(exist_ok=True)
        values = {
            "USER_LINE": "user www-data;" if IS_ROOT else "",
            "PREFIX": str(self.nginx),
            "HTTPS_PORT": str(self.ports["https"]),
            "HTTP_PORT": str(self.ports["http"]),
            "LISTEN_ADDR": "127.0.0.1",
            "SERVER_NAME": "127.0.0.1 localhost",
            "CERT": str(self.cert),
            "CERT_KEY": str(self.tls / "key.pem"),
            "STATIC_ROOT": str(self.app_var / "static"),
            "UPSTREAM": f"127.0.0.1:{self.ports['app']}",
        }
        text = (DEPLOY / "nginx.conf").read_text()
        for name, value in values.items():
            text = text.replace(f"@{name}@", value)
        if "@" in "".join(line.split("#")[0] for line in text.splitlines()):
            raise SystemExit("deploy/nginx.conf 中还有未替换的 @标记@")
        path = self.nginx / "nginx.conf"
        path.write_text(text)
        return path

    def start_nginx(self) -> None:
        conf = self.nginx_config()
        base = ["nginx", "-p", str(self.nginx), "-e", str(self.nginx / "logs" / "error.log")]
        base += ["-c", str(conf)]
        subprocess.run([*base, "-t", "-q"], check=True)
        self.children["nginx"] = subprocess.Popen(
            [*base, "-g", "daemon off;"], start_new_session=True
        )
        wait_for_port(self.ports["https"], self.children["nginx"], "nginx")
        log(f"nginx 已在 127.0.0.1:{self.ports['https']}（https）和 :{self.ports['http']} 启动")

    def wait_ready(self) -> None:
        context = ssl.create_default_context(cafile=str(self.cert))
        deadline = time.monotonic() + 120
        last = None
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(
                    self.https_url + "/login/", context=context, timeout=10
                ) as response:
                    if response.status == 200:
                        return
            except Exception as e:  # noqa: BLE001 - keep trying until the deadline
                last = e
            time.sleep(0.5)
        raise SystemExit(f"站点在 120 秒内没有应答：{last}")

    # -- run and stop -------------------------------------------------------------------

    def run(self) -> int:
        self.pidfile.write_text(str(os.getpid()))
        signal.signal(signal.SIGTERM, self._on_signal)
        signal.signal(signal.SIGINT, self._on_signal)
        try:
            self.prepare()
            self.release_name = self.release()
            log(f"服务的代码：{self.release_name}（{self.current.resolve()}）")
            self.start_postgres()
            self.migrate_and_collect()
            self.ensure_demo()
            self.start_gunicorn()
            self.start_nginx()
            self.wait_ready()
            self.state.write_text(
                json.dumps(
                    {
                        "pid": os.getpid(),
                        "url": self.https_url,
                        "cert": str(self.cert),
                        "gunicorn_pid": self.children["gunicorn"].pid,
                        "release": self.release_name,
                        "dir": str(self.dir),
                        "workers": self.django(
                            "import runpy\n"
                            f"c = runpy.run_path({str(DEPLOY / 'gunicorn.conf.py')!r})\n"
                            "print(c['workers'], c['threads'])"
                        ),
                        "started_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                    },
                    ensure_ascii=False,
                    indent=2,
                )
            )
            log(f"就绪：{self.https_url}/ （会员门户）  {self.https_url}/admin/ （工会后台）")
            log(f"自签名证书：{self.cert}；Ctrl-C 停止")
            while not self.stopping:
                for name, child in self.children.items():
                    if child.poll() is not None:
                        log(f"{name} 意外退出（返回码 {child.returncode}），停止整个服务栈")
                        return 1
                self.run_periodic_jobs()
                time.sleep(1)
            return 0
        except subprocess.CalledProcessError as e:
            err = (e.stderr or b"") if isinstance(e.stderr, bytes) else (e.stderr or "").encode()
            log(f"命令失败：{' '.join(map(str, e.cmd))[:300]}\n{err.decode(errors='replace')}")
            return 1
        except _Stop:
            return 0
        finally:
            self.shutdown()

    def _on_signal(self, signum, frame):
        if self.stopping:
            return
        self.stopping = True
        if not self.children.get("nginx"):
            # Still starting (migrate, demo build): stop now rather than after it.
            raise _Stop

    def run_periodic_jobs(self) -> None:
        """The local stand-in for the cron entries of docs/deployment.md: every
        PROD_CRON_SECONDS, `gonghui rollup refresh --stale` (the summary tables of
        the subtree figures), one run at a time, beside the site."""
        job = self.job
        if job is not None:
            if job.poll() is None:
                return
            log(f"定时任务 rollup refresh --stale 结束（返回码 {job.returncode}）")
            self.job = None
        if time.monotonic() < self.next_job:
            return
        self.next_job = time.monotonic() + CRON_SECONDS
        settings = (self.current / "gonghui" / "settings.py").read_text()
        if '"gonghui.rollup"' not in settings:
            return  # a release without the summary tables
        with open(self.logs / "cron.log", "ab") as out:
            self.job = subprocess.Popen(
                [str(VENV_BIN / "gonghui"), "rollup", "refresh", "--stale", "--no-progress"],
                cwd=self.current,
                env=self.env(),
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def shutdown(self) -> None:
        self.stopping = True
        self.state.unlink(missing_ok=True)
        if self.job is not None and self.job.poll() is None:
            self.job.terminate()  # one union's refresh is one transaction: rolled back
            self.job.wait()
        # The front first, so nothing new arrives; then the application lets its
        # requests finish; the database last.
        for name, sig, wait in (
            ("nginx", signal.SIGQUIT, 30),
            ("gunicorn", signal.SIGTERM, 75),
        ):
            child = self.children.get(name)
            if child is None or child.poll() is not None:
                continue
            child.send_signal(sig)
            try:
                child.wait(timeout=wait)
            except subprocess.TimeoutExpired:
                os.killpg(child.pid, signal.SIGKILL)
                child.wait()
            log(f"{name} 已停止")
        if self.pg_started:
            as_db_owner(
                [str(postgres_bin() / "pg_ctl"), "-D", str(self.pg_data), "-m", "fast", "-w"]
                + ["stop"],
                check=False,
                capture_output=True,
            )
            log("PostgreSQL 已停止")
        self.pidfile.unlink(missing_ok=True)


class _Stop(Exception):
    pass


# -- helpers ------------------------------------------------------------------------------


def git(*args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(ROOT), *args], check=True, capture_output=True, text=True
    ).stdout.strip()


def read_env_file(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    values = {}
    for line in path.read_text().splitlines():
        if line.strip() and not line.startswith("#") and "=" in line:
            key, value = line.split("=", 1)
            values[key.strip()] = value.strip()
    return values


def fernet_key() -> str:
    from cryptography.fernet import Fernet

    return Fernet.generate_key().decode()


def backup_key() -> str:
    import base64

    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


def postgres_bin() -> Path:
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parent.parent.name)
    )
    if not found:
        raise SystemExit("找不到 PostgreSQL（apt-get install postgresql）")
    return found[-1].parent


def ensure_packages() -> None:
    missing = []
    if not list(Path("/usr/lib/postgresql").glob("*/bin/initdb")):
        missing.append("postgresql")
    if not shutil.which("nginx") and not Path("/usr/sbin/nginx").exists():
        missing.append("nginx")
    if not shutil.which("openssl"):
        missing.append("openssl")
    if not missing:
        return
    if not IS_ROOT:
        raise SystemExit(f"缺少 Debian 软件包：{' '.join(missing)}（sudo apt-get install -y …）")
    log(f"安装 Debian 软件包：{' '.join(missing)}")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", *missing], check=True, env=env)


def as_db_owner(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    """Run a PostgreSQL tool as the cluster's owner (postgres when we are root)."""
    kwargs.setdefault("check", True)
    if IS_ROOT:
        command = ["runuser", "-u", "postgres", "--", *command]
    return subprocess.run(command, text=True, **kwargs)


def port_in_use(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def wait_for_port(port: int, child: subprocess.Popen, name: str) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if child.poll() is not None:
            raise SystemExit(f"{name} 启动失败（返回码 {child.returncode}）")
        if port_in_use(port):
            return
        time.sleep(0.3)
    raise SystemExit(f"{name} 在 120 秒内没有监听端口 {port}")


def stack_from(args) -> Stack:
    ports = {
        "https": int(os.environ.get("PROD_HTTPS_PORT", 8443)),
        "http": int(os.environ.get("PROD_HTTP_PORT", 8080)),
        "app": int(os.environ.get("PROD_APP_PORT", 8001)),
        "pg": int(os.environ.get("PROD_PG_PORT", 55437)),
    }
    return Stack(Path(args.dir), args.members, ports)


def running_pid(stack: Stack) -> int | None:
    try:
        pid = int(stack.pidfile.read_text())
        os.kill(pid, 0)
        return pid
    except (FileNotFoundError, ValueError, ProcessLookupError):
        return None


def start_background(stack: Stack, args) -> int:
    if running_pid(stack) and stack.state.exists():
        log(f"服务栈已在运行：{stack.https_url}")
        return 0
    stack.dir.mkdir(parents=True, exist_ok=True)
    logfile = stack.dir / "serve-prod.log"
    with open(logfile, "ab") as out:
        child = subprocess.Popen(
            [sys.executable, __file__, "run", "--dir", str(stack.dir)]
            + ["--members", str(args.members)],
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    log(f"后台启动中（日志 {logfile}）…")
    deadline = time.monotonic() + args.timeout
    while time.monotonic() < deadline:
        if child.poll() is not None:
            log(f"启动失败，日志末尾：\n{logfile.read_text()[-3000:]}")
            return 1
        if stack.state.exists():
            log(f"就绪：{stack.https_url}")
            return 0
        time.sleep(2)
    log(f"{args.timeout} 秒内未就绪，停止")
    child.terminate()
    child.wait()
    return 1


def stop_background(stack: Stack) -> int:
    pid = running_pid(stack)
    if pid is None:
        log("没有正在运行的服务栈")
        return 0
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + 150
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            log("服务栈已停止")
            return 0
        time.sleep(0.5)
    log(f"进程 {pid} 在 150 秒内没有退出")
    return 1


def upgrade(stack: Stack, *, backup: bool) -> int:
    """The upgrade of docs/deployment.md on the running stack: a backup, migrate,
    collectstatic, the deploy check, then gunicorn reloads its workers gracefully."""
    if not (running_pid(stack) and stack.state.exists()):
        log("服务栈未运行：先 make serve-prod")
        return 1
    state = json.loads(stack.state.read_text())
    if backup:
        target = (
            stack.dir / "backups" / f"pre-upgrade-{time.strftime('%Y%m%d-%H%M%S')}.gonghui-backup"
        )
        target.parent.mkdir(exist_ok=True)
        started = time.monotonic()
        stack.manage("backup", "-o", str(target))
        log(f"升级前备份 {target}（{time.monotonic() - started:.0f} 秒）")
    name = stack.release()
    log(f"新版本：{name}")
    stack.migrate_and_collect()
    os.kill(state["gunicorn_pid"], signal.SIGHUP)
    state["release"] = name
    stack.state.write_text(json.dumps(state, ensure_ascii=False, indent=2))
    log("gunicorn 正在用新代码逐个替换工作进程（HUP）")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "action",
        nargs="?",
        default="run",
        choices=["run", "start", "stop", "status", "upgrade", "shell"],
    )
    parser.add_argument(
        "--dir", default=os.environ.get("GONGHUI_PROD_DIR", str(ROOT / "var" / "prod"))
    )
    parser.add_argument(
        "--members",
        type=int,
        default=int(os.environ.get("PROD_MEMBERS", M_MEMBERS)),
        help="空数据库时生成的企业工会会员数（默认 50000，即规模 m）",
    )
    parser.add_argument("--timeout", type=int, default=3600, help="start：等待就绪的秒数")
    parser.add_argument("--no-backup", action="store_true", help="upgrade：不先做备份")
    args = parser.parse_args()
    stack = stack_from(args)
    if args.action == "run":
        return stack.run()
    if args.action == "start":
        return start_background(stack, args)
    if args.action == "stop":
        return stop_background(stack)
    if args.action == "upgrade":
        return upgrade(stack, backup=not args.no_backup)
    if args.action == "status":
        up = running_pid(stack) and stack.state.exists()
        print(stack.state.read_text() if up else "未运行")
        return 0 if up else 3
    if args.action == "shell":
        os.execvpe(os.environ.get("SHELL", "/bin/bash"), ["bash"], stack.env())
    return 0


if __name__ == "__main__":
    sys.exit(main())
