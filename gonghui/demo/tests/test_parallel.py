"""Scale l built in worker processes gives the same city as built in one."""

import hashlib
import random

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count, Sum, Value
from django.db.models.functions import Concat
from django.test import override_settings
from django_scopes import scopes_disabled

from gonghui.demo import plans, scales
from gonghui.demo.logins import CITY_USERNAME
from gonghui.demo.people import PersonMaker
from gonghui.demo.tests.dates import SEED, TODAY
from gonghui.finance.models import DuesPayment
from gonghui.members.models import Member
from gonghui.orgs.models import Union

FAST_HASHER = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])


def _city_checksum() -> dict[str, tuple]:
    """Per union code: a digest of its members' ID digests, its dues total and
    its member and dues counts — nothing that depends on primary keys."""
    out = {}
    for union in Union.objects.filter(code__startswith="nb-l-").order_by("code"):
        digests = sorted(
            Member.objects.filter(union=union).values_list("id_number_digest", flat=True)
        )
        dues = DuesPayment.objects.filter(union=union).aggregate(n=Count("pk"), s=Sum("amount"))
        out[union.code] = (
            hashlib.sha256("".join(digests).encode()).hexdigest(),
            len(digests),
            dues["n"],
            dues["s"],
        )
    return out


def _build(jobs: int) -> dict[str, tuple]:
    """Build a two-union city and checksum it, then move its grassroots unions
    and users aside (seconds faster than a flush) so the next build starts
    from the same upper unions."""
    with scopes_disabled(), FAST_HASHER:
        scales.build_large(seed=SEED, today=TODAY, unions=2, members=40, jobs=jobs)
        checksum = _city_checksum()
        Union.objects.filter(code__startswith="nb-l-").update(
            code=Concat(Value(f"old{jobs}-"), "code"), name=Concat(Value(f"旧{jobs}"), "name")
        )
        get_user_model().objects.filter(username__in=[scales.LEDGER_CLERK, CITY_USERNAME]).update(
            username=Concat(Value(f"old{jobs}-"), "username")
        )
    return checksum


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has one writer: jobs=1 only")
@pytest.mark.django_db(transaction=True)
def test_two_workers_build_the_same_city_as_one_process():
    assert _build(jobs=2) == _build(jobs=1)


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
def test_a_failing_union_stops_the_build_naming_it_and_leaves_the_others_whole(monkeypatch):
    def lead_groups(union):
        if union.code == "nb-l-0002":
            raise ValueError("组长数据有误")

    monkeypatch.setattr(scales, "lead_groups", lead_groups)
    with scopes_disabled(), FAST_HASHER:
        with pytest.raises(scales.BuildError) as failure:
            scales.build_large(
                seed=SEED, today=TODAY, unions=2, members=30, jobs=2, with_ledgers=False
            )
        built = {
            u.code: Member.objects.filter(union=u).count()
            for u in Union.objects.filter(code__startswith="nb-l-")
        }
    assert "（nb-l-0002）生成失败" in str(failure.value)
    assert "组长数据有误" in str(failure.value)
    assert list(built) == ["nb-l-0001"]
    first = plans.city(random.Random(SEED), unions=2, members=30)[0]
    assert built["nb-l-0001"] == first.members


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
