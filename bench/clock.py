"""Which clock a benchmark's ratio uses.

On SQLite the database runs inside our process, so the process's CPU time
covers all the work and is not inflated when other jobs share the machine
(wall time on a busy 2-core box varied by 3x between runs). On PostgreSQL
the database works in another process, so only wall time is complete.
Both are recorded either way.
"""

import time
from dataclasses import dataclass


@dataclass
class Lap:
    wall: float
    cpu: float


def lap(fn) -> Lap:
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return Lap(time.perf_counter() - wall, time.process_time() - cpu)


def ratio_clock() -> str:
    from django.db import connection

    return "cpu" if connection.vendor == "sqlite" else "wall"
