"""Care records built through care.services, with only what a test cares about."""

import uuid
from datetime import date
from decimal import Decimal

from gonghui.care import services
from gonghui.care.models import Channel, HardshipCause, HardshipLevel
from gonghui.finance.tests.factories import BudgetLineFactory, staff
from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs.tests.factories import UnionFactory
from gonghui.privacy.purposes import Category
from gonghui.privacy.tests.factories import consented


def new_key() -> str:
    return uuid.uuid4().hex


def care_line(union=None, planned="20000.00", **kwargs):
    """An expenditure line of 2025 for care spending."""
    union = union or UnionFactory()
    return BudgetLineFactory(
        fiscal_year__union=union,
        union=union,
        planned=Decimal(planned),
        name=kwargs.pop("name", None) or f"困难职工帮扶{uuid.uuid4().hex[:6]}",
        **kwargs,
    )


def visit(union, members=None, *, amount="0", line=None, **kwargs):
    members = members or [MemberFactory(union=union)]
    return services.record_visit(
        union=union,
        kind=kwargs.pop("kind", "illness"),
        on=kwargs.pop("on", date(2025, 3, 10)),
        members=members,
        amount=Decimal(amount),
        line=line,
        voucher=kwargs.pop("voucher", "记-101" if line else ""),
        idempotency_key=kwargs.pop("idempotency_key", None) or new_key(),
        actor=kwargs.pop("actor", None) or staff(union),
        **kwargs,
    )


def case(member, **kwargs):
    consented(member, Category.HARDSHIP, Category.HEALTH)
    return services.file_case(
        member=member,
        level=kwargs.pop("level", HardshipLevel.RELATIVE),
        causes=kwargs.pop("causes", [HardshipCause.ILLNESS]),
        household_size=kwargs.pop("household_size", 3),
        income_per_capita=Decimal(kwargs.pop("income_per_capita", "900.00")),
        filed_on=kwargs.pop("filed_on", date(2025, 1, 15)),
        **kwargs,
    )


def campaign(union, **kwargs):
    return services.open_campaign(
        union=union,
        purpose=kwargs.pop("purpose", "为患病职工募捐"),
        beneficiary_name=kwargs.pop("beneficiary_name", "王小明"),
        opens_on=kwargs.pop("opens_on", date(2025, 5, 1)),
        closes_on=kwargs.pop("closes_on", date(2025, 5, 31)),
        **kwargs,
    )


def donate(campaign, amount, **kwargs):
    if not {"donor", "donor_name", "anonymous"} & kwargs.keys():
        kwargs["anonymous"] = True
    return services.record_donation(
        campaign=campaign,
        amount=Decimal(amount),
        on=kwargs.pop("on", date(2025, 5, 10)),
        channel=kwargs.pop("channel", Channel.WECHAT),
        idempotency_key=kwargs.pop("idempotency_key", None) or new_key(),
        **kwargs,
    )
