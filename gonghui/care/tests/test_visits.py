"""Visits: a gift with an amount is paid from a budget line in the same step."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from gonghui.care.models import Visit
from gonghui.care.tests.factories import care_line, new_key, visit
from gonghui.finance.models import Payment
from gonghui.finance.queries import payments_for
from gonghui.finance.tests.factories import staff
from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs.tests.factories import UnionFactory

pytestmark = pytest.mark.django_db


def test_a_visit_with_a_gift_records_its_payment_and_moves_the_budget_line():
    line = care_line(planned="5000.00")
    recorded = visit(line.union, amount="500.00", line=line, gift="水果、慰问金")
    payment = payments_for(recorded).get()
    assert payment.amount == Decimal("500.00")
    line.refresh_from_db()
    assert line.actual == Decimal("500.00")


def test_a_visit_without_an_amount_records_no_payment():
    union = UnionFactory()
    recorded = visit(union, gift="鲜花")
    assert recorded.amount == Decimal("0.00")
    assert Payment.objects.count() == 0


def test_a_payment_over_budget_without_reason_refuses_the_visit_too():
    line = care_line(planned="100.00")
    with pytest.raises(ValidationError) as e:
        visit(line.union, amount="500.00", line=line)
    assert "超出预算" in e.value.message_dict["over_budget_reason"][0]
    assert Visit.objects.count() == 0
    assert Payment.objects.count() == 0
    line.refresh_from_db()
    assert line.actual == Decimal("0.00")


def test_a_negative_amount_is_refused_in_chinese_and_nothing_is_written():
    line = care_line()
    with pytest.raises(ValidationError) as e:
        visit(line.union, amount="-5", line=line)
    assert e.value.message_dict["amount"] == ["金额不能为负数，“-5”不符合"]
    assert Visit.objects.count() == 0


def test_an_amount_with_three_decimals_is_refused():
    line = care_line()
    with pytest.raises(ValidationError) as e:
        visit(line.union, amount="12.345", line=line)
    assert e.value.message_dict["amount"] == ["金额最多保留两位小数（分），“12.345”超过了两位"]
    assert Visit.objects.count() == 0


def test_an_amount_without_a_budget_line_is_refused():
    union = UnionFactory()
    with pytest.raises(ValidationError) as e:
        visit(union, amount="100")
    assert e.value.message_dict["line"] == ["有金额支出时请选择预算科目"]


def test_a_member_of_another_union_cannot_be_visited():
    union = UnionFactory()
    stranger = MemberFactory(name="李四")
    with pytest.raises(ValidationError) as e:
        visit(union, [stranger])
    assert e.value.message_dict["members"] == ["慰问对象中以下人员不是本工会会员：李四"]


def test_a_date_outside_the_lines_year_refuses_visit_and_payment():
    line = care_line()
    with pytest.raises(ValidationError) as e:
        visit(line.union, amount="100", line=line, on=date(2024, 12, 31))
    assert "不在所选预算科目的2025年度内" in e.value.message_dict["on"][0]
    assert Visit.objects.count() == 0


def test_a_double_submitted_visit_writes_once():
    line = care_line()
    key = new_key()
    member = MemberFactory(union=line.union)
    actor = staff(line.union)
    first = visit(line.union, [member], amount="200", line=line, idempotency_key=key, actor=actor)
    second = visit(line.union, [member], amount="200", line=line, idempotency_key=key, actor=actor)
    assert first.pk == second.pk
    assert Payment.objects.count() == 1
