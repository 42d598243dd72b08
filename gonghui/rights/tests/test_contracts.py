"""Collective contracts: rounds, drafts, congress vote, signing, filing, checks."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from gonghui.rights import queries, services
from gonghui.rights.tests.factories import contract, signed, voted

pytestmark = pytest.mark.django_db


def _round(found, day, **overrides):
    values = {
        "contract": found,
        "held_on": day,
        "union_side": "王建国、职工代表4人",
        "employer_side": "李志强、人力资源部2人",
        "issues": "工资增长幅度",
    }
    values.update(overrides)
    return services.hold_round(**values)


def test_rounds_are_numbered_in_order():
    found = contract()
    _round(found, date(2024, 11, 1))
    second = _round(found, date(2024, 11, 15), agreed="年增幅不低于5%")
    assert second.number == 2
    assert str(second) == "2025年度工资专项集体合同第2轮协商"


def test_a_round_dated_before_the_previous_one_is_refused():
    found = contract()
    _round(found, date(2024, 11, 15))
    with pytest.raises(ValidationError) as e:
        _round(found, date(2024, 11, 1))
    assert "不能早于上一轮（第1轮，2024-11-15）" in e.value.message_dict["held_on"][0]


def test_a_contract_term_over_three_years_is_refused():
    with pytest.raises(ValidationError) as e:
        contract(ends_on=date(2029, 1, 1))
    assert e.value.message_dict["ends_on"] == ["集体合同期限为一至三年，不能超过三年"]


def test_drafts_get_successive_versions():
    found = contract()
    services.add_draft(contract=found, prepared_on=date(2024, 12, 1), text="初稿")
    second = services.add_draft(contract=found, prepared_on=date(2024, 12, 20), text="修改稿")
    assert second.version == 2


def test_a_vote_without_a_draft_is_refused():
    with pytest.raises(ValidationError) as e:
        services.record_vote(
            contract=contract(),
            on=date(2025, 1, 10),
            votes_for=1,
            votes_against=0,
            votes_abstain=0,
        )
    assert "还没有合同草案" in e.value.message_dict["contract"][0]


def test_the_vote_passes_with_more_than_half_of_the_votes_cast():
    found = voted()
    assert found.vote_passed is True
    assert (found.votes_for, found.votes_against, found.votes_abstain) == (120, 3, 2)


def test_a_contract_cannot_be_signed_before_a_passing_vote():
    found = contract()
    services.add_draft(contract=found, prepared_on=date(2025, 1, 5), text="草案")
    services.record_vote(
        contract=found, on=date(2025, 1, 10), votes_for=40, votes_against=50, votes_abstain=10
    )
    with pytest.raises(ValidationError) as e:
        services.sign(contract=found, on=date(2025, 1, 12))
    assert e.value.message_dict["contract"] == ["合同草案须经职代会表决通过后才能签署"]


def test_a_filing_date_before_the_signing_is_refused():
    found = signed()
    with pytest.raises(ValidationError) as e:
        services.file(contract=found, filed_with="区人力资源和社会保障局", on=date(2025, 1, 11))
    assert e.value.message_dict["on"] == [
        "备案日期 2025-01-11 早于签署日期 2025-01-12，合同须签署后才能报送备案"
    ]
    found.refresh_from_db()
    assert found.filed_on is None


def test_a_filed_contract_records_the_authority_and_date():
    found = services.file(
        contract=signed(), filed_with="区人力资源和社会保障局", on=date(2025, 1, 20)
    )
    assert found.stage == "已备案"
    assert found.filed_with == "区人力资源和社会保障局"


def test_rounds_cannot_be_added_after_signing():
    found = signed()
    with pytest.raises(ValidationError) as e:
        _round(found, date(2025, 1, 13))
    assert "已于2025-01-12签署" in e.value.message_dict["contract"][0]


def test_an_unfulfilled_clause_needs_its_follow_up():
    with pytest.raises(ValidationError) as e:
        services.check_execution(
            contract=signed(),
            checked_on=date(2025, 6, 30),
            clause="第八条 加班工资",
            finding="二车间未按时足额支付",
            fulfilled=False,
        )
    assert e.value.message_dict["follow_up"] == ["条款未履行时请填写整改跟进措施"]


def test_an_execution_check_is_filed_under_its_year():
    check = services.check_execution(
        contract=signed(),
        checked_on=date(2025, 6, 30),
        clause="第五条 年度工资增长",
        finding="已按5.5%调整",
    )
    assert check.year == 2025 and check.fulfilled


def test_contracts_ending_within_ninety_days_are_alerted():
    today = timezone.localdate()
    soon = signed(
        starts_on=today - timedelta(days=700),
        ends_on=today + timedelta(days=60),
        on=today - timedelta(days=30),
    )
    signed(
        union=soon.union,
        kind="women",
        title="女职工专项合同",
        wage_increase=None,
        starts_on=today - timedelta(days=100),
        ends_on=today + timedelta(days=400),
        on=today - timedelta(days=30),
    )
    assert list(queries.expiring(union_ids=[soon.union_id], today=today)) == [soon]


def test_a_wage_increase_on_a_womens_contract_is_refused():
    with pytest.raises(ValidationError) as e:
        contract(kind="women", wage_increase="3")
    assert "只有工资专项集体合同或综合集体合同" in e.value.message_dict["wage_increase"][0]


def test_the_agreed_wage_increase_keeps_two_decimals():
    assert contract(wage_increase="5.25").wage_increase == Decimal("5.25")
