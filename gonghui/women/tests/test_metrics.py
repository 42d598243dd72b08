"""Women's metrics: members and share, check-up coverage, insured members,
open four-period cases."""

from datetime import date
from decimal import Decimal

import pytest

from gonghui.finance.tests.factories import new_key, staff
from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs.tests.factories import UnionFactory
from gonghui.periods import Period
from gonghui.reports.registry import value
from gonghui.women import services
from gonghui.women.models import CheckupKind
from gonghui.women.tests.factories import plan, protection, woman, women_committee

pytestmark = pytest.mark.django_db
YEAR = Period.year(2025)


def test_women_members_and_their_share():
    union = UnionFactory()
    woman(union)
    MemberFactory(union=union, gender="M")
    assert value("women.women_members", [union], YEAR) == 1
    assert value("women.women_share", [union], YEAR) == Decimal("50.0")


def test_checkup_coverage_counts_campaigns_started_in_the_period():
    union = UnionFactory()
    a, _b = woman(union), woman(union)
    found = services.create_campaign(
        union=union,
        year=2025,
        kind=CheckupKind.GENERAL,
        title="健康体检",
        starts_on=date(2025, 5, 1),
        ends_on=date(2025, 5, 31),
    )
    services.record_checkups(campaign=found, members=[a], done_on=date(2025, 5, 3))
    assert value("women.checkup_eligible", [union], YEAR) == 2
    assert value("women.checkup_coverage", [union], YEAR) == Decimal("50.0")
    assert value("women.checkup_eligible", [union], Period.year(2024)) == 0


def test_insured_members_count_the_plans_of_the_periods_years():
    union = UnionFactory()
    services.enrol(
        plan=plan(union),
        members=[woman(union), woman(union)],
        enrolled_on=date(2025, 3, 8),
        idempotency_key=new_key(),
        voucher="记-1",
        actor=staff(union),
    )
    assert value("women.insured", [union], YEAR) == 2
    assert value("women.insurance_premium", [union], YEAR) == Decimal("120.00")


def test_open_four_period_cases_are_counted_at_the_periods_end():
    member = woman()
    protection(member, starts_on=date(2025, 3, 1))
    closed = protection(woman(member.union), starts_on=date(2025, 1, 1))
    services.close_protection(
        record=closed, ends_on=date(2025, 2, 1), actor=women_committee(member.union)
    )
    assert value("women.protection_open", [member.union], YEAR) == 1
    assert value("women.protection_open", [member.union], Period.year(2024)) == 0
