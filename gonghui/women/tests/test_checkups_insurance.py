"""Check-up campaigns with their eligible lists and coverage; insurance paid
from a budget line."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from gonghui.finance.models import BudgetLine, Payment
from gonghui.finance.tests.factories import new_key, staff
from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs.tests.factories import UnionFactory
from gonghui.women import queries, services
from gonghui.women.models import CheckupKind, InsuranceEnrolment
from gonghui.women.tests.factories import plan, woman

pytestmark = pytest.mark.django_db


def campaign(union, **kwargs):
    return services.create_campaign(
        union=union,
        year=2025,
        kind=kwargs.pop("kind", CheckupKind.GYNAECOLOGICAL),
        title="2025年女职工妇科检查",
        starts_on=date(2025, 4, 1),
        ends_on=date(2025, 4, 30),
        **kwargs,
    )


def test_the_eligible_list_holds_women_of_the_minimum_age_on_the_roll():
    union = UnionFactory()
    older = woman(union, birth_date=date(1980, 1, 1))
    woman(union, birth_date=date(1995, 1, 1))
    MemberFactory(union=union, gender="M", birth_date=date(1970, 1, 1))
    found = campaign(union, min_age=40)
    assert [c.member for c in queries.checkup_list(found)] == [older]


def test_a_woman_turning_the_minimum_age_after_the_start_is_not_listed():
    union = UnionFactory()
    woman(union, birth_date=date(1985, 4, 2))
    assert queries.campaign_totals(campaign(union, min_age=40))["eligible"] == 0


def test_coverage_is_examined_over_eligible():
    union = UnionFactory()
    a, b, _c = (woman(union) for _ in range(3))
    found = campaign(union)
    services.record_checkups(campaign=found, members=[a, b], done_on=date(2025, 4, 10))
    assert queries.campaign_totals(found) == {"eligible": 3, "done": 2, "coverage": 66.7}


def test_a_checkup_for_someone_not_on_the_list_is_refused():
    union = UnionFactory()
    found = campaign(union, min_age=40)
    young = woman(union, birth_date=date(2000, 1, 1), name="陈静")
    with pytest.raises(ValidationError) as e:
        services.record_checkups(campaign=found, members=[young], done_on=date(2025, 4, 10))
    assert e.value.message_dict["members"] == ["以下人员不在本次体检名单中：陈静"]


def test_a_checkup_date_outside_the_campaign_is_refused():
    union = UnionFactory()
    member = woman(union)
    found = campaign(union)
    with pytest.raises(ValidationError) as e:
        services.record_checkups(campaign=found, members=[member], done_on=date(2025, 5, 10))
    assert e.value.message_dict["done_on"] == ["体检日期应在2025年4月1日至2025年4月30日之间"]


def test_enrolling_women_pays_the_premiums_from_the_plans_line_once():
    union = UnionFactory()
    insured = [woman(union) for _ in range(3)]
    found = plan(union, premium="60.00")
    key = new_key()
    for _ in range(2):
        services.enrol(
            plan=found,
            members=insured,
            enrolled_on=date(2025, 3, 8),
            idempotency_key=key,
            voucher="记-0308",
            actor=staff(union),
        )
    payment = Payment.objects.get()
    assert payment.amount == Decimal("180.00")
    assert BudgetLine.objects.get(pk=found.line_id).actual == Decimal("180.00")
    assert InsuranceEnrolment.objects.count() == 3


def test_enrolling_a_woman_twice_in_a_year_is_refused_and_pays_nothing():
    union = UnionFactory()
    member = woman(union, name="黄丽")
    found = plan(union)
    services.enrol(
        plan=found,
        members=[member],
        enrolled_on=date(2025, 3, 8),
        idempotency_key=new_key(),
        voucher="记-1",
        actor=staff(union),
    )
    with pytest.raises(ValidationError) as e:
        services.enrol(
            plan=found,
            members=[member],
            enrolled_on=date(2025, 3, 9),
            idempotency_key=new_key(),
            voucher="记-2",
            actor=staff(union),
        )
    assert e.value.message_dict["members"] == [
        "以下人员已参加2025年女职工安康保险，不能重复参保：黄丽"
    ]
    assert Payment.objects.count() == 1


def test_a_man_cannot_be_enrolled_in_womens_insurance():
    union = UnionFactory()
    man = MemberFactory(union=union, gender="M", name="张三")
    with pytest.raises(ValidationError) as e:
        services.enrol(
            plan=plan(union),
            members=[man],
            enrolled_on=date(2025, 3, 8),
            idempotency_key=new_key(),
            voucher="记-1",
            actor=staff(union),
        )
    assert "以下人员不符合：张三" in e.value.message_dict["members"][0]


def test_premiums_over_the_budget_need_a_reason_and_enrol_nobody_without_one():
    union = UnionFactory()
    found = plan(union, premium="4000.00")
    with pytest.raises(ValidationError) as e:
        services.enrol(
            plan=found,
            members=[woman(union), woman(union)],
            enrolled_on=date(2025, 3, 8),
            idempotency_key=new_key(),
            voucher="记-1",
            actor=staff(union),
        )
    assert "over_budget_reason" in e.value.message_dict
    assert not InsuranceEnrolment.objects.exists()
