"""Sign-ups at the same moment, with real threads, on SQLite and PostgreSQL."""

import threading

import pytest
from django.db import connection
from django_scopes import scopes_disabled

from gonghui.activities import services
from gonghui.activities.models import Activity, SignUp
from gonghui.activities.tests.factories import ActivityFactory
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


def test_exactly_capacity_members_are_admitted_when_fifty_sign_up_at_once():
    activity = ActivityFactory(capacity=10)
    members = MemberFactory.create_batch(50, union=activity.union)

    results = run_in_parallel(lambda m: services.sign_up(activity=activity, member=m), members)

    assert [r for r in results if not isinstance(r, SignUp)] == []
    assert activity.signups.admitted().count() == 10
    assert activity.signups.waiting().count() == 40
    assert Activity.objects.get(pk=activity.pk).admitted == 10
    positions = list(activity.signups.waiting().values_list("position", flat=True))
    assert sorted(positions) == list(range(1, 41))


def test_two_cancellations_at_once_promote_two_different_waiting_members():
    activity = ActivityFactory(capacity=2)
    members = MemberFactory.create_batch(5, union=activity.union)
    signups = [services.sign_up(activity=activity, member=m) for m in members]

    run_in_parallel(lambda s: services.cancel_sign_up(signup=s), signups[:2])

    assert set(activity.signups.admitted().values_list("member", flat=True)) == {
        members[2].pk,
        members[3].pk,
    }
    assert Activity.objects.get(pk=activity.pk).admitted == 2
