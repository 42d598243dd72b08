"""Workflow rules that must hold when two people act at once, on both databases."""

import threading
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django_scopes import scopes_disabled

from gonghui import idcard
from gonghui.members import services
from gonghui.members.models import Application, ApplicationState, Member
from gonghui.orgs.tests.factories import UnionFactory, user_with_role

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


def test_an_application_approved_twice_at_once_creates_one_member():
    union = UnionFactory()
    application = services.submit_application(
        union=union,
        name="王小明",
        id_number=idcard.make("330206", date(1990, 1, 2), 5, "M"),
        phone_number="13900001111",
        department=None,
        consent=True,
    )
    chairs = [user_with_role(union), user_with_role(union)]

    def approve(actor):
        return services.approve_application(
            application=Application.objects.get(pk=application.pk),
            actor=actor,
        )

    results = run_in_parallel(approve, chairs)
    assert sum(isinstance(r, Member) for r in results) == 1
    assert sum(isinstance(r, ValidationError) for r in results) == 1
    assert Member.objects.filter(union=union).count() == 1
    assert Application.objects.get(pk=application.pk).state == ApplicationState.APPROVED


def test_the_same_person_added_twice_at_once_is_on_the_roster_once():
    union = UnionFactory()
    number = idcard.make("330206", date(1991, 4, 8), 7, "F")

    def add(_):
        return services.create_member(
            union=union, name="李华", id_number=number, joined_on=date(2023, 9, 1)
        )

    results = run_in_parallel(add, [1, 2])
    assert sum(isinstance(r, Member) for r in results) == 1
    assert Member.objects.filter(union=union).count() == 1
