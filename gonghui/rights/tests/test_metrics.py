"""Rights metrics: one definition each, counted from the records behind them."""

from datetime import date
from decimal import Decimal

import pytest

from gonghui.orgs.models import UnionKind
from gonghui.orgs.tests.factories import UnionFactory
from gonghui.periods import Period
from gonghui.reports import registry
from gonghui.rights import services
from gonghui.rights.tests.factories import dispute, signed

pytestmark = pytest.mark.django_db
YEAR = Period.year(2025)


def test_contracts_in_force_count_signed_contracts_in_their_term_by_kind():
    found = signed()
    signed(union=found.union, kind="safety", title="安全专项", wage_increase=None)
    unsigned = services.create_contract(
        union=found.union,
        kind="women",
        title="女职工专项",
        employer="甲",
        union_chief="乙",
        employer_chief="丙",
        starts_on=date(2025, 1, 1),
        ends_on=date(2026, 12, 31),
    )
    assert unsigned.signed_on is None
    m = registry.get("rights.contracts_in_force")
    assert m.value([found.union], YEAR) == 2
    assert sorted(m.by([found.union], YEAR)) == [
        ("劳动安全卫生专项集体合同", 1),
        ("工资专项集体合同", 1),
    ]


def test_the_agreed_wage_increase_is_the_mean_of_contracts_signed_in_the_period():
    found = signed(wage_increase="5.0")
    signed(union=found.union, kind="comprehensive", title="综合合同", wage_increase="6.0")
    assert registry.value("rights.wage_increase", [found.union], YEAR) == Decimal("5.5")


def test_wage_contract_coverage_is_the_share_of_grassroots_unions_below():
    city = UnionFactory(kind=UnionKind.FEDERATION)
    covered = UnionFactory(parent=city)
    UnionFactory(parent=city)
    signed(union=covered)
    unions = [
        city.pk,
        covered.pk,
        *city.subtree().exclude(pk__in=[city.pk, covered.pk]).values_list("pk", flat=True),
    ]
    assert registry.value("rights.wage_contract_coverage", unions, YEAR) == Decimal("50.0")


def test_dispute_figures_count_received_settled_and_the_median_days():
    union = UnionFactory()
    for days, outcome in ((5, "settled"), (9, "settled"), (20, "failed")):
        case = dispute(union=union)
        services.close_dispute(
            case=case,
            outcome=outcome,
            on=date(2025, 3, 1 + days),
            agreement="协议",
            applicant_confirmed=True,
            respondent_confirmed=True,
        )
    dispute(union=union)
    assert registry.value("rights.disputes_received", [union], YEAR) == 4
    assert registry.value("rights.disputes_settled", [union], YEAR) == 2
    assert registry.value("rights.dispute_success_rate", [union], YEAR) == Decimal("66.7")
    assert registry.value("rights.dispute_median_days", [union], YEAR) == Decimal("9.0")
    assert registry.value("rights.disputes_over_limit", [union], YEAR) == 1


def test_supervision_findings_resolved_by_the_periods_end_count_as_resolved():
    union = UnionFactory()
    for resolved in (date(2025, 7, 1), None):
        check = services.record_supervision(
            union=union,
            area="hours",
            checked_on=date(2025, 6, 1),
            finding="连续加班",
            compliant=False,
            recommendation="限期整改",
            recommended_on=date(2025, 6, 2),
        )
        services.record_response(
            check=check, response="已安排调休", responded_on=date(2025, 6, 5), resolved_on=resolved
        )
    assert registry.value("rights.supervision_findings", [union], YEAR) == 2
    assert registry.value("rights.supervision_resolution_rate", [union], YEAR) == Decimal("50.0")
