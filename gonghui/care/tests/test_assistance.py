"""Assistance: approved by the committee, paid from the fund, never for a leaver."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from gonghui.care import queries, services
from gonghui.care.models import Assistance, AssistanceKind, AssistanceSource
from gonghui.care.tests.factories import care_line, case
from gonghui.finance.models import Payment
from gonghui.finance.queries import payments_for
from gonghui.finance.tests.factories import staff
from gonghui.members.models import Status
from gonghui.members.tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def assist(member, amount="800.00", *, source=AssistanceSource.FUND, line=None, **kwargs):
    return services.record_assistance(
        member=member,
        kind=kwargs.pop("kind", AssistanceKind.MEDICAL),
        source=source,
        amount=Decimal(amount),
        on=kwargs.pop("on", date(2025, 4, 2)),
        line=line,
        voucher=kwargs.pop("voucher", "记-201" if line else ""),
        **kwargs,
    )


def test_approving_fund_assistance_pays_it_from_the_line():
    line = care_line()
    member = MemberFactory(union=line.union)
    assistance = assist(member, line=line)
    assert Payment.objects.count() == 0
    services.approve_assistance(assistance=assistance, actor=staff(line.union))
    assert assistance.approved_by is not None and assistance.approved_at is not None
    assert payments_for(assistance).get().amount == Decimal("800.00")
    line.refresh_from_db()
    assert line.actual == Decimal("800.00")


def test_assistance_from_the_upper_union_is_approved_without_a_payment():
    member = MemberFactory()
    assistance = assist(member, source=AssistanceSource.UPPER)
    services.approve_assistance(assistance=assistance, actor=staff(member.union))
    assert Payment.objects.count() == 0


def test_assistance_for_a_member_who_left_is_refused():
    member = MemberFactory(name="刘洋", status=Status.TRANSFERRED)
    with pytest.raises(ValidationError) as e:
        assist(member, source=AssistanceSource.OTHER)
    assert e.value.message_dict["member"] == ["刘洋的会籍状态为“调出”，已不在册，不能办理"]
    assert Assistance.objects.count() == 0


def test_approval_is_refused_when_the_member_left_in_between():
    member = MemberFactory(name="杨帆")
    assistance = assist(member, source=AssistanceSource.OTHER)
    member.status = Status.RETIRED
    member.save()
    with pytest.raises(ValidationError) as e:
        services.approve_assistance(assistance=assistance, actor=staff(member.union))
    assert "已不在册" in e.value.message_dict["member"][0]
    assistance.refresh_from_db()
    assert assistance.approved_at is None


def test_approving_twice_is_refused():
    member = MemberFactory()
    assistance = assist(member, source=AssistanceSource.OTHER)
    services.approve_assistance(assistance=assistance, actor=staff(member.union))
    with pytest.raises(ValidationError) as e:
        services.approve_assistance(assistance=assistance, actor=staff(member.union))
    assert e.value.message_dict["assistance"] == ["该帮扶已经批准，无需重复批准"]


def test_a_zero_amount_is_refused():
    with pytest.raises(ValidationError) as e:
        assist(MemberFactory(), "0", source=AssistanceSource.OTHER)
    assert e.value.message_dict["amount"] == ["帮扶金额必须大于零，“0”不符合"]


def test_fund_assistance_needs_a_budget_line():
    with pytest.raises(ValidationError) as e:
        assist(MemberFactory())
    assert e.value.message_dict["line"] == ["有金额支出时请选择预算科目"]


def test_a_members_yearly_total_counts_only_approved_assistance_of_that_year():
    member = MemberFactory()
    actor = staff(member.union)
    filed = case(member)
    for amount, on in (("500.10", date(2025, 2, 1)), ("300.25", date(2025, 9, 1))):
        services.approve_assistance(
            assistance=assist(member, amount, source=AssistanceSource.UPPER, on=on, case=filed),
            actor=actor,
        )
    assist(member, "999", source=AssistanceSource.UPPER, on=date(2025, 10, 1))
    services.approve_assistance(
        assistance=assist(member, "50", source=AssistanceSource.UPPER, on=date(2024, 12, 1)),
        actor=actor,
    )
    assert queries.assistance_total(member=member, year=2025) == Decimal("800.35")
