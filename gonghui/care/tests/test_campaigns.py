"""Donation campaigns: exact totals, the window, the fund's share, the handover."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from gonghui.care import queries, services
from gonghui.care.models import Donation, Handover
from gonghui.care.tests.factories import campaign, care_line, donate, new_key
from gonghui.finance.queries import payments_for
from gonghui.finance.tests.factories import staff
from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs.tests.factories import UnionFactory

pytestmark = pytest.mark.django_db

# The seed report: 12,228.7 donated and 1,000 from the fund make 13,228.7.
SEED_DONATIONS = [
    "3000.00",
    "2000.00",
    "1888.88",
    "1500.00",
    "1234.56",
    "1000.00",
    "800.00",
    "500.00",
    "200.00",
    "105.26",
]


def seeded():
    line = care_line()
    run = campaign(line.union)
    for amount in SEED_DONATIONS:
        donate(run, amount)
    services.contribute_from_fund(
        campaign=run,
        amount=Decimal("1000.00"),
        on=date(2025, 5, 20),
        line=line,
        voucher="记-301",
        idempotency_key=new_key(),
        actor=staff(line.union),
    )
    return run, line


def test_the_seed_campaign_adds_up_exactly():
    run, _ = seeded()
    totals = queries.campaign_totals(run)
    assert totals["raised"] == Decimal("12228.70")
    assert totals["fund"] == Decimal("1000.00")
    assert totals["total"] == Decimal("13228.70")
    assert totals["donors"] == 10


def test_the_funds_contribution_is_a_payment_from_the_line():
    run, line = seeded()
    contribution = run.contributions.get()
    assert payments_for(contribution).get().amount == Decimal("1000.00")
    line.refresh_from_db()
    assert line.actual == Decimal("1000.00")


def test_the_whole_sum_can_be_handed_over_but_not_a_cent_more():
    run, _ = seeded()
    services.hand_over(campaign=run, amount=Decimal("13228.70"), on=date(2025, 6, 2))
    with pytest.raises(ValidationError) as e:
        services.hand_over(campaign=run, amount=Decimal("0.01"), on=date(2025, 6, 3))
    assert e.value.message_dict["amount"] == [
        "交付金额0.01元超过可交付金额0.00元（募集12228.70元＋工会资助1000.00元，已交付13228.70元）"
    ]
    assert Handover.objects.count() == 1


def test_a_handover_larger_than_raised_is_refused_and_nothing_written():
    run = campaign(UnionFactory())
    donate(run, "100.00")
    with pytest.raises(ValidationError) as e:
        services.hand_over(campaign=run, amount=Decimal("150.00"), on=date(2025, 6, 1))
    assert "超过可交付金额100.00元" in e.value.message_dict["amount"][0]
    assert Handover.objects.count() == 0


def test_a_donation_outside_the_campaign_window_is_refused():
    run = campaign(UnionFactory())
    with pytest.raises(ValidationError) as e:
        donate(run, "50", on=date(2025, 6, 1))
    assert e.value.message_dict["on"] == [
        "捐款日期2025-06-01不在捐款活动期间（2025-05-01至2025-05-31）内"
    ]
    assert Donation.objects.count() == 0


def test_a_donation_of_zero_is_refused():
    run = campaign(UnionFactory())
    with pytest.raises(ValidationError) as e:
        donate(run, "0")
    assert e.value.message_dict["amount"] == ["捐款金额必须大于零，“0”不符合"]


def test_a_donation_with_fractions_of_a_cent_is_refused():
    run = campaign(UnionFactory())
    with pytest.raises(ValidationError) as e:
        donate(run, "10.001")
    assert e.value.message_dict["amount"] == ["捐款金额最多保留两位小数（分），“10.001”超过了两位"]


def test_a_double_submitted_donation_writes_once():
    run = campaign(UnionFactory())
    key = new_key()
    first = donate(run, "66.60", idempotency_key=key)
    second = donate(run, "66.60", idempotency_key=key)
    assert first.pk == second.pk
    assert Donation.objects.count() == 1


def test_a_donation_names_a_member_an_outsider_or_is_anonymous():
    run = campaign(UnionFactory())
    with pytest.raises(ValidationError) as e:
        donate(run, "10", donor_name="")
    assert e.value.message_dict["donor"] == ["请选择捐款会员、填写非会员姓名，或勾选匿名"]


def test_an_anonymous_donation_shows_no_name():
    run = campaign(UnionFactory())
    member = MemberFactory(union=run.union, name="黄丽")
    given = donate(run, "10", donor=member, anonymous=True)
    assert given.donor_label == "匿名"
