"""The finance metrics add up exactly, in Decimal, per union and period."""

from datetime import date
from decimal import Decimal

import pytest

from gonghui.finance import queries
from gonghui.finance.models import Category, Payment
from gonghui.finance.tests.factories import BudgetLineFactory, pay, receive
from gonghui.periods import Period
from gonghui.reports import registry

pytestmark = pytest.mark.django_db

YEAR = Period.year(2025)


def test_expenditure_total_is_the_exact_decimal_sum_of_the_periods_payments():
    line = BudgetLineFactory(planned=Decimal("20000"))
    for amount in ("0.10", "0.20", "0.30", "12228.70"):
        pay(line, amount)
    pay(line, "5", on=date(2025, 12, 31))
    total = registry.value(
        "finance.expenditure_total", [line.union_id], Period(date(2025, 1, 1), date(2025, 6, 30))
    )
    assert total == Decimal("12229.30")
    assert isinstance(total, Decimal)


def test_each_category_has_its_own_metric_that_lists_its_records():
    activities = BudgetLineFactory(category=Category.ACTIVITIES)
    rights = BudgetLineFactory(fiscal_year=activities.fiscal_year, category=Category.RIGHTS)
    dues = BudgetLineFactory(fiscal_year=activities.fiscal_year, category=Category.DUES)
    pay(activities, "300.33")
    pay(rights, "1000")
    receive(dues, "88.80")
    unions = [activities.union_id]
    assert registry.value("finance.expenditure.activities", unions, YEAR) == Decimal("300.33")
    assert registry.value("finance.expenditure.rights", unions, YEAR) == Decimal("1000.00")
    assert registry.value("finance.expenditure.capital", unions, YEAR) == Decimal("0.00")
    assert registry.value("finance.income.dues", unions, YEAR) == Decimal("88.80")
    assert registry.value("finance.income_total", unions, YEAR) == Decimal("88.80")
    records = registry.get("finance.expenditure.rights").records_for(unions, YEAR)
    assert list(records) == list(Payment.objects.filter(line=rights))


def test_every_standard_category_is_registered_with_its_chinese_label():
    keys = {m.key: m.label for m in registry.all_metrics("finance")}
    assert keys["finance.expenditure.activities"] == "职工活动支出"
    assert keys["finance.income.allocation"] == "拨缴经费收入"
    assert len([k for k in keys if k.startswith(("finance.income.", "finance.expenditure."))]) == 12


def test_another_unions_money_is_not_counted():
    ours = BudgetLineFactory()
    pay(ours, "10")
    pay(BudgetLineFactory(), "99")
    assert registry.value("finance.expenditure_total", [ours.union_id], YEAR) == Decimal("10.00")


def test_budget_execution_is_spending_over_the_adjusted_budget():
    line = BudgetLineFactory(planned=Decimal("3000"))
    BudgetLineFactory(
        fiscal_year=line.fiscal_year, category=Category.DUES, planned=Decimal("50000")
    )
    pay(line, "1000")
    assert registry.value("finance.budget_execution", [line.union_id], YEAR) == Decimal("33.3")


def test_budget_execution_per_line_flags_ninety_percent_and_overruns():
    fine = BudgetLineFactory(name="A活动", planned=Decimal("1000"))
    nearly = BudgetLineFactory(fiscal_year=fine.fiscal_year, name="B活动", planned=Decimal("1000"))
    over = BudgetLineFactory(fiscal_year=fine.fiscal_year, name="C活动", planned=Decimal("1000"))
    pay(fine, "899.99")
    pay(nearly, "900")
    pay(over, "1000.01", over_budget_reason="临时增加慰问")
    rows = queries.budget_execution(unions=[fine.union_id], year=2025)
    assert [(r.line.name, r.share, r.level) for r in rows] == [
        ("A活动", Decimal("90.0"), "ok"),
        ("B活动", Decimal("90.0"), "warning"),
        ("C活动", Decimal("100.0"), "exceeded"),
    ]
