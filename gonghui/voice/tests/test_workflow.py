"""Judging, assigning, implementing and rewarding opinions."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from gonghui.care.tests.factories import care_line
from gonghui.finance.models import Payment
from gonghui.finance.queries import payments_for
from gonghui.finance.tests.factories import BudgetLineFactory, FiscalYearFactory, staff
from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs.tests.factories import DepartmentFactory, UnionFactory
from gonghui.voice import services
from gonghui.voice.models import State
from gonghui.voice.tests.factories import opinion, valid

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def test_a_valid_opinion_is_handled_with_a_handler_and_deadline():
    found = valid()
    assert found.state == State.HANDLING
    assert found.handler is not None and found.deadline is not None


def test_the_handler_department_defaults_to_the_handlers_own():
    union = UnionFactory()
    department = DepartmentFactory(union=union, name="后勤处")
    found = opinion(union)
    handler = MemberFactory(union=union, department=department)
    services.judge(opinion=found, valid=True, actor=staff(union))
    services.assign(opinion=found, handler=handler, deadline=TODAY(), actor=staff(union))
    assert found.handler_department == department


def test_an_invalid_opinion_needs_a_reason():
    found = opinion()
    with pytest.raises(ValidationError) as e:
        services.judge(opinion=found, valid=False, actor=staff(found.union))
    assert e.value.message_dict["reason"] == ["不予采纳须填写理由"]
    found.refresh_from_db()
    assert found.state == State.SUBMITTED


def test_an_invalid_opinion_keeps_its_reason():
    found = opinion()
    services.judge(
        opinion=found, valid=False, reason="属个人待遇问题，已转人事处", actor=staff(found.union)
    )
    assert found.state == State.INVALID
    assert found.judgement_reason == "属个人待遇问题，已转人事处"


def test_a_handler_department_of_another_union_is_refused():
    found = opinion()
    services.judge(opinion=found, valid=True, actor=staff(found.union))
    with pytest.raises(ValidationError) as e:
        services.assign(
            opinion=found,
            handler_department=DepartmentFactory(),
            deadline=TODAY(),
            actor=staff(found.union),
        )
    assert e.value.message_dict["handler_department"] == ["承办部门不属于本工会"]


def test_assigning_without_a_deadline_is_refused():
    found = opinion()
    services.judge(opinion=found, valid=True, actor=staff(found.union))
    with pytest.raises(ValidationError) as e:
        services.assign(
            opinion=found,
            handler=MemberFactory(union=found.union),
            deadline=None,
            actor=staff(found.union),
        )
    assert e.value.message_dict["deadline"] == ["请填写办理期限"]


def test_an_opinion_is_implemented_with_a_date_and_what_was_done():
    found = valid()
    services.implement(
        opinion=found,
        on=TODAY(),
        implementation="已在三车间增设饮水机2台",
        actor=staff(found.union),
    )
    assert found.state == State.IMPLEMENTED
    assert found.implemented_on == TODAY()


def test_an_opinion_not_judged_valid_cannot_be_implemented():
    found = opinion()
    with pytest.raises(ValidationError) as e:
        services.implement(opinion=found, on=TODAY(), implementation="x", actor=staff(found.union))
    assert "待认定" in e.value.message_dict["implemented_on"][0]


def test_implementation_in_the_future_is_refused():
    found = valid()
    with pytest.raises(ValidationError) as e:
        services.implement(
            opinion=found,
            on=TODAY() + timedelta(days=1),
            implementation="x",
            actor=staff(found.union),
        )
    assert "不能晚于今天" in e.value.message_dict["implemented_on"][0]


def test_an_implemented_opinion_cannot_be_judged_again():
    found = valid()
    services.implement(opinion=found, on=TODAY(), implementation="已办", actor=staff(found.union))
    with pytest.raises(ValidationError) as e:
        services.judge(opinion=found, valid=False, reason="x", actor=staff(found.union))
    assert e.value.message_dict["valid"] == ["该意见已落实，不能重新认定"]


def test_a_reward_from_the_fund_is_paid_through_finance_linked_to_the_opinion():
    union = UnionFactory()
    year = FiscalYearFactory(union=union, year=TODAY().year)
    line = BudgetLineFactory(fiscal_year=year, name="合理化建议奖励", planned=Decimal("5000.00"))
    found = valid(union)
    services.reward(
        opinion=found, amount="200", on=TODAY(), line=line, voucher="记-88", actor=staff(union)
    )
    payment = payments_for(found).get()
    assert payment.amount == Decimal("200.00")
    assert payment.payee == found.member.name
    assert found.reward_amount == Decimal("200.00")


def test_a_reward_paid_by_the_company_records_no_payment():
    found = valid()
    services.reward(opinion=found, amount="500.00", on=TODAY(), actor=staff(found.union))
    assert found.rewarded_on == TODAY()
    assert Payment.objects.count() == 0


def test_a_refused_payment_refuses_the_reward():
    line = care_line(planned="100.00")
    line.fiscal_year.year = TODAY().year
    line.fiscal_year.save()
    found = valid(line.union)
    with pytest.raises(ValidationError) as e:
        services.reward(
            opinion=found,
            amount="500",
            on=TODAY(),
            line=line,
            voucher="记-1",
            actor=staff(line.union),
        )
    assert "over_budget_reason" in e.value.message_dict
    found.refresh_from_db()
    assert found.rewarded_on is None


def test_an_opinion_is_rewarded_once():
    found = valid()
    services.reward(opinion=found, amount="100", on=TODAY(), actor=staff(found.union))
    with pytest.raises(ValidationError) as e:
        services.reward(opinion=found, amount="100", on=TODAY(), actor=staff(found.union))
    assert "已于" in e.value.message_dict["amount"][0]


def test_a_reward_that_is_not_a_number_is_refused_in_chinese():
    found = valid()
    with pytest.raises(ValidationError) as e:
        services.reward(opinion=found, amount="两百", on=TODAY(), actor=staff(found.union))
    assert e.value.message_dict["amount"] == ["奖励金额“两百”不是有效的数字"]


def test_an_invalid_opinion_cannot_be_rewarded():
    found = opinion()
    services.judge(opinion=found, valid=False, reason="重复", actor=staff(found.union))
    with pytest.raises(ValidationError) as e:
        services.reward(opinion=found, amount="100", on=TODAY(), actor=staff(found.union))
    assert e.value.message_dict["amount"] == ["只有有效意见才能奖励"]
