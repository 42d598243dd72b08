"""Builds a tiny `l` city in parallel in a clean process, as `gonghui demo
--scale l --jobs 2` would, and prints what test_parallel.py checks as JSON.

A pytest-xdist worker is no place to fork from: it holds the test run's
threads and connections, and forked children once shared one of them. The
tests run this module with DATABASE_URL naming their own test database.

    python -m gonghui.demo.tests.parallel_child same|fail
"""

import hashlib
import json
import os
import sys


def _city_checksum() -> dict[str, list]:
    """Per union code: a digest of its members' ID digests, its member count,
    its dues count and total — nothing that depends on primary keys."""
    from django.db.models import Count, Sum

    from gonghui.finance.models import DuesPayment
    from gonghui.members.models import Member
    from gonghui.orgs.models import Union

    out = {}
    for union in Union.objects.filter(code__startswith="nb-l-").order_by("code"):
        digests = sorted(
            Member.objects.filter(union=union).values_list("id_number_digest", flat=True)
        )
        dues = DuesPayment.objects.filter(union=union).aggregate(n=Count("pk"), s=Sum("amount"))
        out[union.code] = [
            hashlib.sha256("".join(digests).encode()).hexdigest(),
            len(digests),
            dues["n"],
            str(dues["s"]),
        ]
    return out


def _set_aside(jobs: int) -> None:
    """Rename the built grassroots unions and users (seconds faster than a
    flush) so the next build starts from the same upper unions."""
    from django.contrib.auth import get_user_model
    from django.db.models import Value
    from django.db.models.functions import Concat

    from gonghui.demo import scales
    from gonghui.demo.logins import CITY_USERNAME
    from gonghui.orgs.models import Union

    Union.objects.filter(code__startswith="nb-l-").update(
        code=Concat(Value(f"old{jobs}-"), "code"), name=Concat(Value(f"旧{jobs}"), "name")
    )
    get_user_model().objects.filter(username__in=[scales.LEDGER_CLERK, CITY_USERNAME]).update(
        username=Concat(Value(f"old{jobs}-"), "username")
    )


def same() -> dict:
    from gonghui.demo import scales
    from gonghui.demo.tests.dates import SEED, TODAY

    sums = {}
    for jobs in (2, 1):
        scales.build_large(seed=SEED, today=TODAY, unions=2, members=40, jobs=jobs)
        sums[str(jobs)] = _city_checksum()
        _set_aside(jobs)
    return sums


def fail() -> dict:
    from gonghui.demo import scales
    from gonghui.demo.tests.dates import SEED, TODAY
    from gonghui.members.models import Member
    from gonghui.orgs.models import Union

    def lead_groups(union):
        if union.code == "nb-l-0002":
            raise ValueError("组长数据有误")

    scales.lead_groups = lead_groups  # forked workers inherit the patch
    try:
        scales.build_large(seed=SEED, today=TODAY, unions=2, members=30, jobs=2, with_ledgers=False)
    except scales.BuildError as e:
        error = str(e)
    else:
        error = None
    built = {
        u.code: Member.objects.filter(union=u).count()
        for u in Union.objects.filter(code__startswith="nb-l-").order_by("code")
    }
    return {"error": error, "built": built}


def main(mode: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gonghui.settings")
    import django

    django.setup()
    from django.test import override_settings
    from django_scopes import scopes_disabled

    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with scopes_disabled(), fast:
        out = {"same": same, "fail": fail}[mode]()
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1])
