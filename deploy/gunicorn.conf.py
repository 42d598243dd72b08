"""gunicorn settings for gonghui (docs/deployment.md): `gunicorn -c deploy/gunicorn.conf.py
gonghui.wsgi:application`. Every value can be overridden by an environment
variable of the same name with a GUNICORN_ prefix, e.g. GUNICORN_BIND."""

import multiprocessing
import os

# Behind nginx on the same machine; nginx is the only client.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8001")
# Synchronous workers behind nginx (which buffers slow clients), each taking a
# request only when free, so none queues behind a busy neighbour; four per core,
# since each spends part of a request waiting for PostgreSQL. On 2 cores the
# ballot benchmark (bench/elections.py, PostgreSQL) measured p95 217 ms with
# 8 sync workers, 340 ms with 5, and 314-484 ms with 5 gthread workers of 2-4
# threads, whose kept-alive connections stay with one worker however busy.
workers = int(os.environ.get("GUNICORN_WORKERS", 4 * multiprocessing.cpu_count()))
threads = int(os.environ.get("GUNICORN_THREADS", 1))  # used by gthread only
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "sync")
# A worker that answers nothing for this long is killed and replaced.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 120))
# On SIGTERM (shutdown, upgrade) a worker finishes its requests within this
# time. Large member imports run in a thread of the worker that received them
# and are one transaction: one cut short is rolled back and shown as interrupted.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", 60))
keepalive = 5
backlog = 2048
# Recycle workers now and then so a slow leak cannot grow without bound.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 5000))
max_requests_jitter = 500
# nginx logs every request with its time; gunicorn logs errors only.
accesslog = os.environ.get("GUNICORN_ACCESSLOG") or None
errorlog = os.environ.get("GUNICORN_ERRORLOG", "-")
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "warning")
proc_name = "gonghui"
# Each worker imports the application itself, so `kill -HUP <master>` after an
# upgrade starts workers on the new code while the old ones finish their
# requests (with preload_app the master would keep the old code).
preload_app = False
