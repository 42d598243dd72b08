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
