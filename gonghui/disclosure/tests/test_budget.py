"""Budgets and statements from the finance ledger, published as posts."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from gonghui.disclosure import services
from gonghui.finance.models import Category
from gonghui.finance.tests.factories import BudgetLineFactory, FiscalYearFactory, pay, staff
from gonghui.orgs.tests.factories import UnionFactory

pytestmark = pytest.mark.django_db


def test_a_budget_post_lists_the_years_lines_and_links_the_fiscal_year():
    union = UnionFactory()
    year = FiscalYearFactory(union=union, year=timezone.localdate().year)
    BudgetLineFactory(fiscal_year=year, name="职工文体活动", planned=Decimal("30000.00"))
    BudgetLineFactory(
        fiscal_year=year, name="会费收入", category=Category.DUES, planned=Decimal("12000.00")
    )
    item = services.publish_budget(fiscal_year=year, what="budget", actor=staff(union))
    assert item.category == "plan_budget"
    assert item.title == f"{year.year}年度工会经费预算"
    assert "职工文体活动" in item.body and "30000.00" in item.body
    assert "会费收入" in item.body
    assert item.source == year


def test_a_statement_post_shows_what_was_spent():
    union = UnionFactory()
    year = FiscalYearFactory(union=union, year=timezone.localdate().year)
    line = BudgetLineFactory(fiscal_year=year, name="慰问支出", planned=Decimal("5000.00"))
    pay(line, "1200.00", on=timezone.localdate())
    item = services.publish_budget(fiscal_year=year, what="statement", actor=staff(union))
    assert item.category == "finance"
    assert "1200.00" in item.body


def test_a_year_without_a_budget_cannot_be_published():
    union = UnionFactory()
    year = FiscalYearFactory(union=union, year=2025)
    with pytest.raises(ValidationError) as e:
        services.publish_budget(fiscal_year=year, what="budget", actor=staff(union))
    assert e.value.message_dict["fiscal_year"] == ["2025年度还没有编制预算，无法公开"]
