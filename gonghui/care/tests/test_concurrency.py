"""Double submits at the same moment, with real threads, on SQLite and PostgreSQL."""

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django_scopes import scopes_disabled

from gonghui.care import services
from gonghui.care.models import FestivalDistribution, GiftRecipient
from gonghui.care.tests.factories import care_line
from gonghui.finance.models import Payment
from gonghui.finance.tests.factories import staff
from gonghui.members.tests.factories import MemberFactory

pytestmark = pytest.mark.django_db(transaction=True)


def run_in_parallel(fn, args):
    """Run fn(arg) for each arg in its own thread, released together; return results."""
    barrier = threading.Barrier(len(args))
    results = [None] * len(args)

    def work(i, arg):
        try:
            with scopes_disabled():
                barrier.wait()
                results[i] = fn(arg)
        except Exception as e:  # noqa: BLE001 - the outcome is what we assert on
            results[i] = e
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(i, a)) for i, a in enumerate(args)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_ten_simultaneous_submits_of_one_gift_form_write_one_distribution_and_one_payment():
    line = care_line(planned="5000")
    union = line.union
    members = MemberFactory.create_batch(3, union=union)
    actor = staff(union)

    def submit(_):
        return services.distribute_gifts(
            union=union,
            occasion="spring",
            on=date(2025, 1, 20),
            amount_per_person=Decimal("100"),
            members=members,
            line=line,
            voucher="记-88",
            idempotency_key="one-form",
            actor=actor,
        )

    results = run_in_parallel(submit, range(10))

    assert [r for r in results if not isinstance(r, FestivalDistribution)] == []
    assert len({r.pk for r in results}) == 1
    assert FestivalDistribution.objects.filter(union=union).count() == 1
    assert GiftRecipient.objects.filter(union=union).count() == 3
    assert Payment.objects.filter(union=union).count() == 1
    line.refresh_from_db()
    assert line.actual == Decimal("300.00")
