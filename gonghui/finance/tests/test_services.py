"""The money rules: each bad input gets a Chinese message and writes nothing."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from gonghui.finance import queries, services
from gonghui.finance.models import (
    BudgetAdjustment,
    BudgetLine,
    Category,
    FiscalYear,
    Income,
    Payment,
)
from gonghui.finance.tests.factories import (
    BudgetLineFactory,
    FiscalYearFactory,
    new_key,
    pay,
    receive,
    staff,
)
from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs.roles import Role
from gonghui.orgs.tests.factories import UnionFactory

pytestmark = pytest.mark.django_db


def refused(fn, **kwargs) -> dict:
    with pytest.raises(ValidationError) as caught:
        fn(**kwargs)
    return caught.value.message_dict


def test_a_payment_is_booked_to_its_line_and_moves_the_line():
    line = BudgetLineFactory(planned=Decimal("5000.00"))
    payment = pay(line, "1200.50")
    line.refresh_from_db()
    assert payment.amount == Decimal("1200.50")
    assert payment.category == Category.ACTIVITIES
    assert line.actual == Decimal("1200.50")


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("0", "金额必须大于零"),
        ("-50.00", "金额必须大于零"),
        ("12.345", "金额最多保留两位小数"),
    ],
)
def test_a_payment_with_a_bad_amount_is_refused_and_nothing_is_written(amount, message):
    line = BudgetLineFactory()
    with pytest.raises(ValidationError) as caught:
        pay(line, amount)
    assert message in caught.value.message_dict["amount"][0]
    assert Payment.objects.count() == 0
    line.refresh_from_db()
    assert line.actual == 0


def test_an_amount_given_as_a_float_is_a_programming_error():
    line = BudgetLineFactory()
    with pytest.raises(TypeError):
        services.record_payment(
            union=line.union,
            amount=0.1,
            line=line,
            on=date(2025, 3, 1),
            payee="某店",
            voucher="记-1",
            idempotency_key=new_key(),
            actor=staff(line.union),
        )


def test_a_payment_dated_outside_the_fiscal_year_is_refused():
    line = BudgetLineFactory(fiscal_year__year=2025)
    with pytest.raises(ValidationError) as caught:
        pay(line, "100", on=date(2024, 12, 31))
    assert caught.value.message_dict["on"] == [
        "日期2024-12-31不在所选预算科目的2025年度内（2025-01-01至2025-12-31）"
    ]
    assert Payment.objects.count() == 0


def test_a_payment_in_a_closed_year_is_refused():
    line = BudgetLineFactory()
    services.close_year(fiscal_year=line.fiscal_year, actor=staff(line.union))
    with pytest.raises(ValidationError) as caught:
        pay(line, "100")
    assert caught.value.message_dict["line"] == ["2025年度已经结账，不能再记录收支"]
    assert Payment.objects.count() == 0


def test_a_payment_against_another_unions_line_is_refused():
    ours = UnionFactory()
    theirs = BudgetLineFactory()
    errors = refused(
        services.record_payment,
        union=ours,
        amount=Decimal("100"),
        line=theirs,
        on=date(2025, 3, 1),
        payee="某店",
        voucher="记-1",
        idempotency_key=new_key(),
        actor=staff(ours),
    )
    assert errors["line"] == ["所选预算科目不属于本工会"]
    assert Payment.objects.count() == 0


def test_a_payment_against_an_income_line_is_refused():
    line = BudgetLineFactory(category=Category.DUES, name="会费")
    with pytest.raises(ValidationError) as caught:
        pay(line, "100")
    assert caught.value.message_dict["line"] == ["“会费”是收入科目，不能用于记录支出"]
    assert Payment.objects.count() == 0


def test_income_against_an_expenditure_line_is_refused():
    line = BudgetLineFactory(name="文体活动")
    with pytest.raises(ValidationError) as caught:
        receive(line, "100")
    assert caught.value.message_dict["line"] == ["“文体活动”是支出科目，不能用于记录收入"]
    assert Income.objects.count() == 0


def test_a_payment_over_budget_without_a_reason_is_refused_and_nothing_is_written():
    line = BudgetLineFactory(name="文体活动", planned=Decimal("1000.00"))
    pay(line, "900")
    with pytest.raises(ValidationError) as caught:
        pay(line, "100.01")
    assert caught.value.message_dict["over_budget_reason"] == [
        "本笔支出100.01元将使“文体活动”超出预算（预算1000.00元，已支出900.00元），请填写超预算理由"
    ]
    assert Payment.objects.count() == 1
    line.refresh_from_db()
    assert line.actual == Decimal("900.00")


def test_a_payment_that_uses_the_budget_exactly_needs_no_reason():
    line = BudgetLineFactory(planned=Decimal("1000.00"))
    payment = pay(line, "1000.00")
    assert payment.over_budget is False


def test_a_payment_over_budget_with_a_reason_is_booked_and_flagged():
    line = BudgetLineFactory(planned=Decimal("1000.00"))
    payment = pay(line, "1500", over_budget_reason="职工运动会参赛人数超出预期")
    line.refresh_from_db()
    assert payment.over_budget is True
    assert payment.over_budget_reason == "职工运动会参赛人数超出预期"
    assert line.actual == Decimal("1500.00")


def test_an_adjustment_raises_the_budget_so_the_payment_fits():
    line = BudgetLineFactory(planned=Decimal("1000.00"))
    services.adjust_budget(
        line=line, delta=Decimal("500"), reason="追加运动会经费", actor=staff(line.union)
    )
    line.refresh_from_db()
    assert line.budget == Decimal("1500.00")
    assert line.planned == Decimal("1000.00")
    assert pay(line, "1500").over_budget is False


def test_an_adjustment_without_a_reason_is_refused():
    line = BudgetLineFactory()
    errors = refused(
        services.adjust_budget,
        line=line,
        delta=Decimal("500"),
        reason="  ",
        actor=staff(line.union),
    )
    assert errors["reason"] == ["调整预算必须填写调整理由"]
    assert BudgetAdjustment.objects.count() == 0


def test_an_adjustment_below_zero_is_refused():
    line = BudgetLineFactory(planned=Decimal("1000.00"))
    errors = refused(
        services.adjust_budget,
        line=line,
        delta=Decimal("-1000.01"),
        reason="压缩开支",
        actor=staff(line.union),
    )
    assert errors["delta"] == ["调减1000.01元后预算将小于零"]
    line.refresh_from_db()
    assert line.budget == Decimal("1000.00")
    assert BudgetAdjustment.objects.count() == 0


def test_a_second_submit_with_the_same_key_returns_the_first_payment():
    line = BudgetLineFactory()
    first = pay(line, "300", idempotency_key="form-1")
    second = pay(line, "300", idempotency_key="form-1")
    line.refresh_from_db()
    assert second.pk == first.pk
    assert Payment.objects.count() == 1
    assert line.actual == Decimal("300.00")


def test_the_same_key_in_another_union_is_another_payment():
    pay(BudgetLineFactory(), "300", idempotency_key="form-1")
    pay(BudgetLineFactory(), "300", idempotency_key="form-1")
    assert Payment.objects.count() == 2


def test_a_second_income_submit_with_the_same_key_writes_once():
    line = BudgetLineFactory(category=Category.DUES)
    receive(line, "80", idempotency_key="form-2")
    receive(line, "80", idempotency_key="form-2")
    assert Income.objects.count() == 1


def test_a_payment_links_to_the_record_it_pays_for():
    line = BudgetLineFactory()
    member = MemberFactory(union=line.union)
    payment = pay(line, "200", pays_for=member)
    assert Payment.objects.get(pk=payment.pk).pays_for == member
    assert list(queries.payments_for(member)) == [payment]


def test_a_year_is_opened_once_per_union():
    union = UnionFactory(name="实验小学工会")
    services.open_year(union=union, year=2025)
    errors = refused(services.open_year, union=union, year=2025)
    assert errors["year"] == ["实验小学工会的2025年度已经建立"]
    assert FiscalYear.objects.count() == 1


def test_a_year_cannot_be_closed_twice():
    year = FiscalYearFactory()
    actor = staff(year.union)
    services.close_year(fiscal_year=year, actor=actor)
    errors = refused(services.close_year, fiscal_year=year, actor=actor)
    assert errors["year"] == ["2025年度已经结账"]


def test_a_line_is_added_with_its_budget_equal_to_the_plan():
    year = FiscalYearFactory()
    line = services.add_line(
        fiscal_year=year, category=Category.ACTIVITIES, name=" 文体活动 ", planned=Decimal("8000")
    )
    assert (line.name, line.planned, line.budget, line.union) == (
        "文体活动",
        Decimal("8000.00"),
        Decimal("8000.00"),
        year.union,
    )


def test_a_line_with_a_duplicate_name_or_in_a_closed_year_is_refused():
    line = BudgetLineFactory(name="文体活动")
    services.close_year(fiscal_year=line.fiscal_year, actor=staff(line.union))
    errors = refused(
        services.add_line,
        fiscal_year=line.fiscal_year,
        category=Category.RIGHTS,
        name="文体活动",
        planned=Decimal("1"),
    )
    assert errors["name"] == ["2025年度已有名为“文体活动”的预算项目"]
    assert errors["fiscal_year"] == ["2025年度已经结账，不能再添加预算项目"]
    assert BudgetLine.objects.count() == 1


def test_the_line_total_equals_the_sum_of_its_payments():
    line = BudgetLineFactory(planned=Decimal("1000.00"))
    actor = staff(line.union, Role.CHAIR)
    for amount in ("0.10", "0.20", "333.33", "0.37"):
        pay(line, amount, actor=actor)
    line.refresh_from_db()
    assert line.actual == sum(p.amount for p in Payment.objects.all()) == Decimal("334.00")
