"""Scale l built in worker processes gives the same city as built in one."""

import json
import os
import random
import subprocess
import sys
from urllib.parse import quote

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from gonghui.demo import plans, scales
from gonghui.demo.people import PersonMaker
from gonghui.demo.tests.dates import SEED, TODAY


def _in_a_clean_process(mode: str) -> dict:
    """Run parallel_child.py against this test's database: forking from a
    pytest-xdist worker shares its threads and connections with the children,
    which `gonghui demo` never does."""
    s = connection.settings_dict
    login = s["USER"] + (f":{quote(s['PASSWORD'])}" if s["PASSWORD"] else "")
    url = f"postgres://{login}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    out = subprocess.run(
        [sys.executable, "-m", "gonghui.demo.tests.parallel_child", mode],
        env={**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "gonghui.settings"},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has one writer: jobs=1 only")
@pytest.mark.django_db(transaction=True)
def test_two_workers_build_the_same_city_as_one_process():
    sums = _in_a_clean_process("same")
    assert sums["2"] == sums["1"]
    assert len(sums["1"]) == 2


def test_makers_in_different_blocks_never_draw_the_same_id_number_or_phone():
    makers = [PersonMaker(random.Random("same seed"), block=(index, 7)) for index in range(7)]
    people = [maker.person(female_share=0.5) for maker in makers for _ in range(300)]
    assert len({p.id_number for p in people}) == len(people)
    assert len({p.phone for p in people}) == len(people)


def test_a_blocked_makers_birth_date_is_the_one_in_its_id_number():
    maker = PersonMaker(random.Random(1), block=(3, 2000))
    for _ in range(50):
        person = maker.person(female_share=0.5)
        assert person.id_number[6:14] == f"{person.birth_date:%Y%m%d}"


@pytest.mark.django_db
def test_more_than_one_job_on_sqlite_is_refused_in_chinese():
    if connection.vendor == "postgresql":
        pytest.skip("PostgreSQL builds in parallel")
    with pytest.raises(scales.BuildError, match="SQLite 只允许一个写入者"):
        scales.build_large(seed=SEED, today=TODAY, unions=1, members=10, jobs=2)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has one writer: jobs=1 only")
@pytest.mark.django_db(transaction=True)
def test_a_failing_union_stops_the_build_naming_it_and_leaves_the_others_whole():
    out = _in_a_clean_process("fail")
    assert "（nb-l-0002）生成失败" in out["error"]
    assert "组长数据有误" in out["error"]
    assert list(out["built"]) == ["nb-l-0001"]
    first = plans.city(random.Random(SEED), unions=2, members=30)[0]
    assert out["built"]["nb-l-0001"] == first.members


@pytest.mark.django_db
def test_more_than_one_job_inside_a_transaction_is_refused_in_chinese():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite builds with one job only")
    with pytest.raises(scales.BuildError, match="并行生成须在事务之外进行"):
        scales.build_large(seed=SEED, today=TODAY, unions=1, members=10, jobs=2)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--scale", "l", "--jobs", "0"], "--jobs 须为正整数，实际为 0"),
        (["--scale", "s", "--jobs", "2"], "--jobs 只用于 l 规模"),
    ],
)
def test_the_demo_command_refuses_a_bad_number_of_jobs_in_chinese(arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command("demo", *arguments)
