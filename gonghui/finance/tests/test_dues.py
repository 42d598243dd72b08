"""Dues: bases, rates and rounding, exemptions, payments posted to income, arrears."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from gonghui.finance import dues, queries, services
from gonghui.finance.models import (
    BudgetLine,
    DuesBase,
    DuesExemption,
    DuesPayment,
    FinanceSettings,
    Income,
    Rounding,
)
from gonghui.finance.tests.factories import dues_line, new_key, pay_dues
from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs.tests.factories import GroupFactory

pytestmark = pytest.mark.django_db

MARCH, APRIL, MAY = date(2025, 3, 1), date(2025, 4, 1), date(2025, 5, 1)


def member_with_base(base="5000.00", since=date(2025, 1, 1), **kwargs):
    member = MemberFactory(joined_on=kwargs.pop("joined_on", date(2020, 3, 1)), **kwargs)
    services.set_dues_base(member=member, base=Decimal(base), since=since)
    return member


def owed(member, month):
    return dues.DuesBook.load(unions=[member.union_id]).owed(member, month)


def test_dues_default_to_half_a_percent_of_the_base_rounded_to_the_fen():
    member = member_with_base("4321.00")
    assert owed(member, MARCH) == Decimal("21.61")


@pytest.mark.parametrize(
    ("rounding", "expected"),
    [(Rounding.FEN, "21.61"), (Rounding.JIAO, "21.60"), (Rounding.YUAN_UP, "22.00")],
)
def test_the_union_chooses_how_a_months_dues_are_rounded(rounding, expected):
    member = member_with_base("4321.00")
    services.update_finance_settings(
        union=member.union,
        dues_rate=Decimal("0.005"),
        rounding=rounding,
        allocation_rate=Decimal("0.02"),
        upward_share=Decimal("0.4"),
    )
    assert owed(member, MARCH) == Decimal(expected)


def test_a_members_own_rate_overrides_the_unions():
    member = member_with_base("6000.00")
    services.set_dues_base(
        member=member, base=Decimal("6000.00"), since=APRIL, rate=Decimal("0.01")
    )
    assert owed(member, MARCH) == Decimal("30.00")
    assert owed(member, APRIL) == Decimal("60.00")


def test_a_negative_base_is_refused_in_chinese_and_nothing_is_written():
    member = MemberFactory()
    with pytest.raises(ValidationError) as e:
        services.set_dues_base(member=member, base=Decimal("-100"), since=MARCH)
    assert e.value.message_dict["base"] == ["会费基数不能为负数，“-100”不符合"]
    assert not DuesBase.objects.exists()


@pytest.mark.parametrize("rate", ["0.06", "-0.001"])
def test_a_dues_rate_outside_zero_to_five_percent_is_refused(rate):
    member = MemberFactory()
    with pytest.raises(ValidationError) as e:
        services.update_finance_settings(
            union=member.union,
            dues_rate=Decimal(rate),
            rounding=Rounding.FEN,
            allocation_rate=Decimal("0.02"),
            upward_share=Decimal("0.4"),
        )
    assert "会费比例应在0%至5%之间" in e.value.message_dict["dues_rate"][0]
    assert not FinanceSettings.objects.exists()


def test_a_members_own_rate_outside_the_range_is_refused():
    member = MemberFactory()
    with pytest.raises(ValidationError) as e:
        services.set_dues_base(
            member=member, base=Decimal("5000"), since=MARCH, rate=Decimal("0.08")
        )
    assert e.value.message_dict["rate"] == ["会费比例应在0%至5%之间，“8%”超出了范围"]
    assert not DuesBase.objects.exists()


def test_receiving_dues_books_the_income_in_the_same_call():
    member = member_with_base()
    line = dues_line(member.union)
    payment = pay_dues(member, MARCH, "25.00", paid_on=date(2025, 3, 15))
    income = Income.objects.get()
    assert payment.income == income
    assert (income.amount, income.category, income.on) == (
        Decimal("25.00"),
        "dues",
        date(2025, 3, 15),
    )
    assert income.received_for == payment
    assert BudgetLine.objects.get(pk=line.pk).actual == Decimal("25.00")


def test_paying_a_month_twice_is_refused_and_books_nothing_more():
    member = member_with_base()
    dues_line(member.union)
    pay_dues(member, MARCH)
    with pytest.raises(ValidationError) as e:
        pay_dues(member, date(2025, 3, 20))
    assert e.value.message_dict["month"] == [
        f"会员{member.name}2025年3月的会费已经缴纳，不能重复缴纳"
    ]
    assert (DuesPayment.objects.count(), Income.objects.count()) == (1, 1)


def test_the_same_form_submitted_twice_records_one_payment():
    member = member_with_base()
    dues_line(member.union)
    key = new_key()
    first = pay_dues(member, MARCH, idempotency_key=key)
    second = pay_dues(member, MARCH, idempotency_key=key)
    assert first.pk == second.pk
    assert (DuesPayment.objects.count(), Income.objects.count()) == (1, 1)


def test_a_month_before_the_member_joined_is_refused():
    member = member_with_base(joined_on=date(2025, 4, 10))
    dues_line(member.union)
    with pytest.raises(ValidationError) as e:
        pay_dues(member, MARCH)
    assert e.value.message_dict["month"] == [
        f"会员{member.name}于2025-04-10入会，不能缴纳入会前2025年3月的会费"
    ]
    assert not DuesPayment.objects.exists() and not Income.objects.exists()


def test_a_month_after_the_member_left_is_refused():
    member = member_with_base()
    member.left_on = date(2025, 3, 31)
    member.save()
    dues_line(member.union)
    with pytest.raises(ValidationError) as e:
        pay_dues(member, APRIL)
    assert e.value.message_dict["month"] == [
        f"会员{member.name}已于2025-03-31离会，不能缴纳离会后2025年4月的会费"
    ]
    assert not DuesPayment.objects.exists() and not Income.objects.exists()


def test_a_payment_for_an_exempt_month_is_refused():
    member = member_with_base()
    dues_line(member.union)
    services.exempt_from_dues(member=member, starts_on=MARCH, reason="退休")
    with pytest.raises(ValidationError) as e:
        pay_dues(member, APRIL)
    assert e.value.message_dict["month"] == [
        f"会员{member.name}2025年4月免缴会费（退休），不能记录缴费"
    ]
    assert not DuesPayment.objects.exists() and not Income.objects.exists()


def test_an_exemption_without_a_reason_is_refused():
    member = member_with_base()
    with pytest.raises(ValidationError) as e:
        services.exempt_from_dues(member=member, starts_on=MARCH, reason=" ")
    assert e.value.message_dict["reason"] == ["免缴会费必须填写理由（如：退休、长期病休）"]
    assert not DuesExemption.objects.exists()


def test_an_exemption_may_not_cover_a_month_already_paid():
    member = member_with_base()
    dues_line(member.union)
    pay_dues(member, APRIL)
    with pytest.raises(ValidationError) as e:
        services.exempt_from_dues(member=member, starts_on=MARCH, ends_on=MAY, reason="病休")
    assert e.value.message_dict["starts_on"] == [
        f"会员{member.name}2025年4月的会费已缴纳，不能设为免缴"
    ]


def test_a_payment_without_a_dues_income_line_is_refused_and_writes_nothing():
    member = member_with_base()
    with pytest.raises(ValidationError) as e:
        pay_dues(member, MARCH)
    assert "2025年度预算中没有“会费收入”科目" in e.value.message_dict["line"][0]
    assert not DuesPayment.objects.exists()


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("0", "金额必须大于零，“0”不符合"),
        ("-5", "金额必须大于零，“-5”不符合"),
        ("1.005", "金额最多保留两位小数（分），“1.005”超过了两位"),
    ],
)
def test_a_bad_dues_amount_is_refused(amount, message):
    member = member_with_base()
    dues_line(member.union)
    with pytest.raises(ValidationError) as e:
        pay_dues(member, MARCH, amount)
    assert e.value.message_dict["amount"] == [message]
    assert not DuesPayment.objects.exists()


def test_arrears_list_the_past_months_each_member_has_not_paid_by_group():
    group = GroupFactory()
    paid_up = member_with_base(union=group.union, group=group)
    owing = member_with_base(union=group.union, group=group)
    exempt = member_with_base(union=group.union, group=group)
    elsewhere = member_with_base(union=group.union)
    dues_line(group.union)
    services.exempt_from_dues(member=exempt, starts_on=date(2025, 1, 1), reason="退休")
    for month in (date(2025, 1, 1), date(2025, 2, 1), MARCH):
        pay_dues(paid_up, month)
    pay_dues(owing, date(2025, 1, 1))

    rows = queries.arrears(unions=[group.union_id], on=date(2025, 4, 15), group=group)

    assert [(r.member, [m for m, _ in r.months]) for r in rows] == [
        (owing, [date(2025, 2, 1), MARCH])
    ]
    assert rows[0].total == Decimal("50.00")
    assert elsewhere not in [r.member for r in rows]
