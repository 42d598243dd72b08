"""import_50k_rows: the real importer against a read-and-insert baseline.

Each side runs in its own process, so its peak resident memory is its own
(`ru_maxrss`); the time is measured inside the process around the work alone.
Run as `python -m bench.importing real|baseline WORKBOOK UNION_CODE`.
"""

import json
import os
import random
import resource
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROWS = 50_000


def write_workbook(path: Path, *, seed: int, today: date) -> tuple[list[str], list[str]]:
    """A roster template filled with ROWS valid members; returns (departments, groups)."""
    from openpyxl import Workbook

    from gonghui.demo import plans
    from gonghui.demo.builder import draft_members
    from gonghui.demo.people import PersonMaker
    from gonghui.members import excel
    from gonghui.members.models import Education, Gender, PoliticalStatus

    rng = random.Random(seed)
    plan = plans.enterprise(rng, members=ROWS)
    drafts = draft_members(plan, PersonMaker(rng), today)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(excel.DATA_SHEET)
    ws.append([c.header for c in excel.MEMBER_COLUMNS])
    for d in drafts:
        p = d.person
        row = {
            "name": p.name,
            "gender": Gender(p.gender).label,
            "birth_date": p.birth_date,
            "id_number": p.id_number,
            "phone": p.phone,
            "employee_number": d.employee_number,
            "department": d.department,
            "group": d.group,
            "position": d.position,
            "education": Education(d.education).label,
            "political_status": PoliticalStatus(p.political_status).label,
            "ethnicity": p.ethnicity,
            "joined_on": d.joined_on,
        }
        ws.append([row[c.field] for c in excel.MEMBER_COLUMNS])
    wb.save(path)
    return plan.departments, [g.name for g in plan.groups]


def prepare_union(code: str, departments: list[str], groups: list[str]):
    """A fresh union holding the workbook's departments and groups."""
    from gonghui.orgs.models import Department, Group
    from gonghui.orgs.services import create_union

    union = create_union(code=code, name=f"导入基准{code}", kind="enterprise", headcount=ROWS)
    by_name = {
        d.name: d
        for d in Department.objects.bulk_create(
            [Department(union=union, name=n) for n in departments]
        )
    }
    Group.objects.bulk_create([Group(union=union, name=n, department=None) for n in groups])
    return union, by_name


def run_side(side: str, workbook: Path, code: str) -> dict:
    """Start a child process for one side and return what it measured."""
    out = subprocess.run(
        [sys.executable, "-m", "bench.importing", side, str(workbook), code],
        check=True,
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _real(path: str, union) -> int:
    from gonghui.members.imports import import_members

    outcome = import_members(union=union, path=path)
    if not outcome.written or outcome.errors:
        first = "; ".join(str(e) for e in outcome.errors[:3])
        raise SystemExit(f"importer refused the benchmark file: {first}")
    return outcome.created


def _baseline(path: str, union) -> int:
    """Read with openpyxl read-only and insert Member rows, checking nothing."""
    from openpyxl import load_workbook

    from gonghui import encryption
    from gonghui.members import excel
    from gonghui.members.models import Member
    from gonghui.orgs.models import Department, Group

    departments = dict(Department.objects.filter(union=union).values_list("name", "id"))
    groups = dict(Group.objects.filter(union=union).values_list("name", "id"))
    genders = {"男": "M", "女": "F"}
    fields = [c.field for c in excel.MEMBER_COLUMNS]
    wb = load_workbook(path, read_only=True)
    batch, created = [], 0
    rows = wb.worksheets[0].iter_rows(min_row=2, values_only=True)
    for values in rows:
        row = dict(zip(fields, values, strict=False))
        batch.append(
            Member(
                union=union,
                name=row["name"],
                gender=genders[row["gender"]],
                birth_date=row["birth_date"].date(),
                id_number=row["id_number"],
                # The unique (union, digest) constraint needs a real digest.
                id_number_digest=encryption.digest(row["id_number"]),
                phone=row["phone"],
                employee_number=row["employee_number"],
                department_id=departments[row["department"]],
                group_id=groups[row["group"]],
                position=row["position"],
                joined_on=row["joined_on"].date(),
            )
        )
        if len(batch) == 1000:
            Member.objects.bulk_create(batch)
            created += len(batch)
            batch = []
    Member.objects.bulk_create(batch)
    wb.close()
    return created + len(batch)


def main(side: str, path: str, code: str) -> None:
    import django

    django.setup()
    from django.db import transaction
    from django_scopes import scopes_disabled

    from gonghui.orgs.models import Union

    with scopes_disabled():
        union = Union.objects.get(code=code)
        started, cpu_started = time.perf_counter(), time.process_time()
        if side == "real":
            created = _real(path, union)
        else:
            with transaction.atomic():
                created = _baseline(path, union)
        seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    print(
        json.dumps(
            {"seconds": seconds, "cpu_seconds": cpu, "peak_mb": _peak_mb(), "created": created}
        )
    )


def _peak_mb() -> float:
    """This process's peak resident memory. VmHWM starts afresh at exec, unlike
    ru_maxrss, which Linux carries over from the parent that forked us."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gonghui.settings")
    main(*sys.argv[1:4])
