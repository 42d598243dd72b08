"""The dues and allocation metrics: exact in Decimal, each with records to drill into."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from gonghui.finance import services
from gonghui.finance.tests.factories import allocation_line, dues_line, new_key, pay_dues, staff
from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs.tests.factories import UnionFactory
from gonghui.periods import Period
from gonghui.reports import registry

pytestmark = pytest.mark.django_db

FIRST_QUARTER = Period(date(2025, 1, 1), date(2025, 3, 31))


@pytest.fixture
def ledger():
    """Three members at 3333.33 (16.67 a month): one pays every month, one pays
    January only, one is exempt from February; a fourth union's money is apart."""
    union = UnionFactory()
    dues_line(union)
    paying, owing, exempt = (
        MemberFactory(union=union, joined_on=date(2020, 1, 1)) for _ in range(3)
    )
    for m in (paying, owing, exempt):
        services.set_dues_base(member=m, base=Decimal("3333.33"), since=date(2025, 1, 1))
    services.exempt_from_dues(member=exempt, starts_on=date(2025, 2, 1), reason="退休")
    for month in (1, 2, 3):
        pay_dues(paying, date(2025, month, 1), "16.67")
    pay_dues(owing, date(2025, 1, 1), "16.67")
    pay_dues(exempt, date(2025, 1, 1), "16.67")
    other = MemberFactory()
    services.set_dues_base(member=other, base=Decimal("9000"), since=date(2025, 1, 1))
    dues_line(other.union)
    pay_dues(other, date(2025, 1, 1), "45.00")
    return {"union": union, "paying": paying, "owing": owing, "exempt": exempt}


def value(key, union):
    return registry.value(key, [union.pk], FIRST_QUARTER)


def test_dues_collected_sums_the_periods_months_exactly(ledger):
    assert value("finance.dues_collected", ledger["union"]) == Decimal("83.35")


def test_members_paying_counts_each_member_once(ledger):
    assert value("finance.dues_members_paying", ledger["union"]) == 3


def test_members_in_arrears_at_the_end_of_the_period(ledger):
    union = ledger["union"]
    assert value("finance.dues_arrears_members", union) == 1
    records = registry.get("finance.dues_arrears_members").records_for([union.pk], FIRST_QUARTER)
    assert list(records) == [ledger["owing"]]


def test_the_collection_rate_divides_collected_by_owed(ledger):
    # Owed: 3 × 16.67 + 3 × 16.67 + 1 × 16.67 = 116.69; collected 83.35.
    assert value("finance.dues_collection_rate", ledger["union"]) == Decimal("71.4")


def test_allocation_received_sums_the_income_linked_to_allocations():
    union = UnionFactory()
    allocation_line(union)
    allocation = services.record_allocation(
        union=union,
        starts_on=date(2025, 1, 1),
        ends_on=date(2025, 3, 31),
        payroll_total=Decimal("815432.17"),
    )
    for amount, day in (("10000.10", 15), ("6308.54", 28)):
        services.receive_allocation(
            allocation=allocation,
            amount=Decimal(amount),
            on=date(2025, 3, day),
            voucher=f"收-{day}",
            idempotency_key=new_key(),
            actor=staff(union),
        )
    assert allocation.amount_due == Decimal("16308.64")
    assert value("finance.allocation_received", union) == Decimal("16308.64")


@pytest.mark.parametrize(
    "key",
    [
        "finance.dues_collected",
        "finance.dues_members_paying",
        "finance.dues_arrears_members",
        "finance.dues_collection_rate",
        "finance.allocation_received",
    ],
)
def test_each_dues_metric_opens_its_records_page(client, ledger, key):
    union = ledger["union"]
    client.force_login(staff(union))
    url = reverse("reports:metric_records", args=[key])
    response = client.get(url, {"union": union.pk, "start": "2025-01-01", "end": "2025-03-31"})
    assert response.status_code == 200
