"""Women's records made through the services, for tests."""

import uuid
from datetime import date
from decimal import Decimal

from gonghui.finance.tests.factories import BudgetLineFactory
from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs.roles import Role
from gonghui.orgs.tests.factories import UnionFactory, user_with_role
from gonghui.privacy.purposes import Category
from gonghui.privacy.tests.factories import consented
from gonghui.women import services
from gonghui.women.models import ProtectionPeriod


def woman(union=None, **kwargs):
    return MemberFactory(union=union or UnionFactory(), gender="F", **kwargs)


def women_committee(union):
    """An account holding the women's committee role (women.reveal)."""
    return user_with_role(union, Role.WOMEN, password=None)


def protection(member, *, period=ProtectionPeriod.PREGNANCY, actor=None, **kwargs):
    kwargs.setdefault("starts_on", date(2025, 3, 1))
    kwargs.setdefault("arrangements", "调离夜班岗位，每日工间休息一小时")
    kwargs.setdefault("items", "防辐射服一件")
    consented(member, Category.FOUR_PERIOD)
    return services.record_protection(
        member=member,
        period=period,
        actor=actor or women_committee(member.union),
        today=date(2025, 6, 1),
        **kwargs,
    )


def women_line(union, planned="6000.00"):
    return BudgetLineFactory(
        fiscal_year__union=union,
        union=union,
        planned=Decimal(planned),
        name=f"女职工安康保险{uuid.uuid4().hex[:6]}",
    )


def plan(union, *, premium="60.00", line=None, year=2025, **kwargs):
    return services.create_plan(
        union=union,
        year=year,
        name=kwargs.pop("name", "女职工安康保险"),
        premium=Decimal(premium),
        line=line or women_line(union),
        insurer="中国人寿",
        **kwargs,
    )
