"""Labour dispute mediation: intake, sessions, the three outcomes, the 15-day limit."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from gonghui.rights import services
from gonghui.rights.models import Outcome
from gonghui.rights.tests.factories import dispute

pytestmark = pytest.mark.django_db


def test_a_case_needs_at_least_one_claim():
    with pytest.raises(ValidationError) as e:
        dispute(claims=[])
    assert e.value.message_dict["claims"] == ["请至少选择一项争议事项"]


def test_an_unknown_claim_is_refused_by_name():
    with pytest.raises(ValidationError) as e:
        dispute(claims=["wages", "lottery"])
    assert e.value.message_dict["claims"] == ["争议事项“lottery”不在可选范围内"]


def test_a_settlement_without_both_parties_confirmation_is_refused():
    case = dispute()
    with pytest.raises(ValidationError) as e:
        services.close_dispute(
            case=case,
            outcome="settled",
            on=date(2025, 3, 10),
            agreement="公司于3月20日前支付加班工资4000元",
            applicant_confirmed=True,
        )
    assert e.value.message_dict["respondent_confirmed"] == [
        "调解协议须经双方当事人签字确认，被申请人尚未确认"
    ]
    case.refresh_from_db()
    assert case.outcome == Outcome.OPEN


def test_a_settlement_keeps_the_agreement_and_the_days_to_close():
    case = services.close_dispute(
        case=dispute(),
        outcome="settled",
        on=date(2025, 3, 10),
        agreement="支付4000元",
        applicant_confirmed=True,
        respondent_confirmed=True,
    )
    assert case.outcome == Outcome.SETTLED
    assert case.days_to_close == 9
    assert not case.over_limit(date(2025, 3, 10))


def test_a_failed_mediation_advises_arbitration():
    case = services.close_dispute(case=dispute(), outcome="failed", on=date(2025, 3, 14))
    assert case.arbitration_advised
    assert case.agreement == ""


def test_a_case_closed_after_fifteen_days_is_flagged():
    case = services.close_dispute(case=dispute(), outcome="failed", on=date(2025, 3, 20))
    assert case.days_to_close == 19
    assert case.over_limit(date(2025, 3, 20))


def test_a_withdrawal_needs_a_note():
    with pytest.raises(ValidationError) as e:
        services.close_dispute(case=dispute(), outcome="withdrawn", on=date(2025, 3, 5))
    assert e.value.message_dict["note"] == ["申请人撤回时请填写结案说明"]


def test_a_closed_case_cannot_be_closed_again_or_get_sessions():
    case = services.close_dispute(case=dispute(), outcome="failed", on=date(2025, 3, 14))
    with pytest.raises(ValidationError) as e:
        services.record_session(case=case, held_on=date(2025, 3, 15), notes="再次调解")
    assert "已于2025-03-14结案（调解不成）" in e.value.message_dict["case"][0]


def test_a_session_before_intake_is_refused():
    with pytest.raises(ValidationError) as e:
        services.record_session(case=dispute(), held_on=date(2025, 2, 27), notes="调解")
    assert "不能早于受理日期" in e.value.message_dict["held_on"][0]
