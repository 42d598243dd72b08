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


def _waiting_transfer():
    from gonghui.members import transfers
    from gonghui.members.tests.factories import MemberFactory

    a, b = UnionFactory(name="甲工会"), UnionFactory(name="乙工会")
    member = MemberFactory(union=a, joined_on=date(2020, 3, 1))
    transfer = transfers.start_transfer(
        member=member, to_union=b, on=date(2024, 6, 1), reason="调动"
    )
    return member, b, transfer


def test_a_transfer_accepted_twice_at_once_moves_the_member_once():
    from gonghui.members import transfers
    from gonghui.members.models import Status, Transfer, TransferState

    member, b, transfer = _waiting_transfer()

    def accept(_):
        return transfers.accept_transfer(transfer=Transfer.objects.get(pk=transfer.pk))

    results = run_in_parallel(accept, [1, 2])
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert sum(isinstance(r, Transfer) for r in results) == 1
    assert len(refused) == 1 and "不能重复处理" in str(refused[0])
    assert Member.objects.filter(union=b).count() == 1
    assert Member.objects.get(pk=member.pk).status == Status.TRANSFERRED
    assert Transfer.objects.get(pk=transfer.pk).state == TransferState.ACCEPTED


def test_a_transfer_accepted_and_declined_at_once_ends_one_way_only():
    from gonghui.members import transfers
    from gonghui.members.models import Transfer, TransferState

    member, b, transfer = _waiting_transfer()

    def act(kind):
        fresh = Transfer.objects.get(pk=transfer.pk)
        if kind == "accept":
            return transfers.accept_transfer(transfer=fresh)
        return transfers.decline_transfer(transfer=fresh, reason="未入职")

    results = run_in_parallel(act, ["accept", "decline"])
    assert sum(isinstance(r, Transfer) for r in results) == 1
    state = Transfer.objects.get(pk=transfer.pk).state
    assert Member.objects.filter(union=b).count() == (1 if state == TransferState.ACCEPTED else 0)


def test_two_transfers_of_one_member_started_at_once_leave_one_waiting():
    from gonghui.members import transfers
    from gonghui.members.models import Transfer
    from gonghui.members.tests.factories import MemberFactory

    a = UnionFactory()
    member = MemberFactory(union=a, joined_on=date(2020, 3, 1))
    targets = [UnionFactory(), UnionFactory()]

    def start(target):
        return transfers.start_transfer(
            member=Member.objects.get(pk=member.pk),
            to_union=target,
            on=date(2024, 6, 1),
            reason="调动",
        )

    results = run_in_parallel(start, targets)
    assert sum(isinstance(r, Transfer) for r in results) == 1
    assert sum(isinstance(r, ValidationError) for r in results) == 1
    assert Transfer.objects.filter(member=member).count() == 1
