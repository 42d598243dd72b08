"""Money written at the same moment by many requests, on both databases."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from gonghui.finance.models import BudgetLine, Payment
from gonghui.finance.tests.factories import BudgetLineFactory, pay, staff
from gonghui.members.tests.test_concurrency import run_in_parallel

pytestmark = pytest.mark.django_db(transaction=True)


def test_twenty_simultaneous_submissions_of_one_payment_form_write_one_payment():
    line = BudgetLineFactory(planned=Decimal("5000"))
    chair = staff(line.union)
    first = Client()
    first.force_login(chair)
    key = first.get(reverse("admin:finance_payment_add")).context["form"].initial["idempotency_key"]
    data = {
        "union": line.union_id,
        "line": line.pk,
        "on": "2025-05-04",
        "amount": "880.00",
        "payee": "青年节活动场地",
        "voucher": "记-2025-050",
        "idempotency_key": key,
    }
    clients = []
    for _ in range(20):
        client = Client()
        client.force_login(chair)
        clients.append(client)

    results = run_in_parallel(lambda c: c.post(reverse("admin:finance_payment_add"), data), clients)

    assert [getattr(r, "status_code", r) for r in results] == [302] * 20
    assert Payment.objects.count() == 1
    assert BudgetLine.objects.get(pk=line.pk).actual == Decimal("880.00")


def test_simultaneous_payments_never_overrun_a_budget_without_a_reason():
    line = BudgetLineFactory(planned=Decimal("1000"))
    actor = staff(line.union)
    results = run_in_parallel(lambda _: pay(line, "300", actor=actor), list(range(5)))
    assert sum(isinstance(r, Payment) for r in results) == 3
    line.refresh_from_db()
    assert line.actual == Decimal("900.00") == sum(p.amount for p in Payment.objects.all())


def test_twenty_simultaneous_submissions_of_one_dues_payment_write_one():
    from datetime import date

    from gonghui.finance import services
    from gonghui.finance.models import DuesPayment, Income
    from gonghui.finance.tests.factories import dues_line, new_key, pay_dues
    from gonghui.members.tests.factories import MemberFactory

    member = MemberFactory()
    services.set_dues_base(member=member, base=Decimal("5000"), since=date(2025, 1, 1))
    line = dues_line(member.union)
    actor = staff(member.union)
    key = new_key()

    results = run_in_parallel(
        lambda _: pay_dues(member, date(2025, 3, 1), idempotency_key=key, actor=actor),
        list(range(20)),
    )

    assert all(isinstance(r, DuesPayment) for r in results), results
    assert len({r.pk for r in results}) == 1
    assert DuesPayment.objects.count() == 1 and Income.objects.count() == 1
    assert BudgetLine.objects.get(pk=line.pk).actual == Decimal("25.00")
