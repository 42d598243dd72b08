import uuid
from datetime import date
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from gonghui.finance import services
from gonghui.finance.models import BudgetLine, Category, FiscalYear
from gonghui.orgs.roles import Role
from gonghui.orgs.tests.factories import UnionFactory, user_with_role


class FiscalYearFactory(DjangoModelFactory):
    class Meta:
        model = FiscalYear

    union = factory.SubFactory(UnionFactory)
    year = 2025


class BudgetLineFactory(DjangoModelFactory):
    class Meta:
        model = BudgetLine

    fiscal_year = factory.SubFactory(FiscalYearFactory)
    union = factory.LazyAttribute(lambda o: o.fiscal_year.union)
    category = Category.ACTIVITIES
    name = factory.Sequence(lambda n: f"预算项目{n}")
    planned = Decimal("10000.00")
    budget = factory.LazyAttribute(lambda o: o.planned)


def staff(union, role: str = Role.CHAIR):
    """A staff account without a password: hashing one is slow and tests sign in directly."""
    return user_with_role(union, role, password=None)


def new_key() -> str:
    return uuid.uuid4().hex


def pay(line: BudgetLine, amount, *, on: date | None = None, actor=None, **kwargs):
    """Book a valid payment through the service, with only what a test cares about."""
    actor = actor or staff(line.union)
    return services.record_payment(
        union=line.union,
        amount=Decimal(amount),
        line=line,
        on=on or date(line.fiscal_year.year, 3, 1),
        payee=kwargs.pop("payee", "文体用品商店"),
        voucher=kwargs.pop("voucher", "记-001"),
        idempotency_key=kwargs.pop("idempotency_key", None) or new_key(),
        actor=actor,
        **kwargs,
    )


def receive(line: BudgetLine, amount, *, on: date | None = None, actor=None, **kwargs):
    actor = actor or staff(line.union)
    return services.record_income(
        union=line.union,
        amount=Decimal(amount),
        line=line,
        on=on or date(line.fiscal_year.year, 3, 1),
        payer=kwargs.pop("payer", "行政单位"),
        voucher=kwargs.pop("voucher", "收-001"),
        idempotency_key=kwargs.pop("idempotency_key", None) or new_key(),
        actor=actor,
        **kwargs,
    )


def dues_line(union, year: int = 2025) -> BudgetLine:
    """An open year with a 会费收入 line, so dues can be booked."""
    fiscal_year = FiscalYear.objects.filter(union=union, year=year).first() or FiscalYearFactory(
        union=union, year=year
    )
    return BudgetLineFactory(
        fiscal_year=fiscal_year, category=Category.DUES, name="会费收入", planned=Decimal("0")
    )


def allocation_line(union, year: int = 2025) -> BudgetLine:
    fiscal_year = FiscalYear.objects.filter(union=union, year=year).first() or FiscalYearFactory(
        union=union, year=year
    )
    return BudgetLineFactory(
        fiscal_year=fiscal_year,
        category=Category.ALLOCATION,
        name="拨缴经费收入",
        planned=Decimal("0"),
    )


def pay_dues(member, month: date, amount="25.00", *, paid_on: date | None = None, **kwargs):
    """Record a valid dues payment through the service."""
    return services.record_dues_payment(
        member=member,
        month=month,
        amount=Decimal(amount),
        paid_on=paid_on or date(2025, 6, 10),
        source=kwargs.pop("source", "payroll"),
        idempotency_key=kwargs.pop("idempotency_key", None) or new_key(),
        actor=kwargs.pop("actor", None) or staff(member.union),
        **kwargs,
    )
