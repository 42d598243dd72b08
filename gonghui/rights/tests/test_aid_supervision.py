"""Consultations and legal aid; labour-law supervision with the employer's response."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from gonghui.orgs.tests.factories import UnionFactory
from gonghui.rights import services

pytestmark = pytest.mark.django_db


def _consult(**overrides):
    values = {
        "union": UnionFactory(),
        "asker": "刘芳",
        "asked_on": date(2025, 5, 6),
        "topic": "social_insurance",
        "question": "试用期是否应缴社保？",
    }
    values.update(overrides)
    return services.record_consultation(**values)


def test_a_referral_names_where_the_asker_was_sent():
    with pytest.raises(ValidationError) as e:
        _consult(outcome="referred")
    assert e.value.message_dict["referred_to"] == ["已转介时请填写转介机构"]


def test_a_pending_consultation_is_answered_once():
    asked = _consult()
    services.answer_consultation(consultation=asked, outcome="answered", answer="应当缴纳")
    with pytest.raises(ValidationError) as e:
        services.answer_consultation(consultation=asked, outcome="answered", answer="再答")
    assert "该咨询已处理" in e.value.message_dict["outcome"][0]


def _check(**overrides):
    values = {
        "union": UnionFactory(),
        "area": "wages_on_time",
        "checked_on": date(2025, 6, 10),
        "finding": "5月工资延迟8天发放",
        "compliant": False,
        "recommendation": "请于6月20日前补发并建立按时发放制度",
        "recommended_on": date(2025, 6, 12),
    }
    values.update(overrides)
    return services.record_supervision(**values)


def test_a_finding_needs_the_unions_written_recommendation():
    with pytest.raises(ValidationError) as e:
        _check(recommendation="")
    assert e.value.message_dict["recommendation"] == ["发现问题时请填写工会监督意见书"]


def test_the_employers_response_is_kept_with_the_day_resolved():
    check = services.record_response(
        check=_check(),
        response="已补发并调整发薪日",
        responded_on=date(2025, 6, 18),
        resolved_on=date(2025, 6, 18),
    )
    assert check.resolved_on == date(2025, 6, 18)


def test_a_response_before_the_recommendation_was_delivered_is_refused():
    with pytest.raises(ValidationError) as e:
        services.record_response(check=_check(), response="已整改", responded_on=date(2025, 6, 11))
    assert "不能早于意见书送达日期（2025-06-12）" in e.value.message_dict["responded_on"][0]


def test_a_compliant_check_needs_no_response():
    check = _check(compliant=True, recommendation="", recommended_on=None)
    with pytest.raises(ValidationError) as e:
        services.record_response(check=check, response="无", responded_on=date(2025, 6, 11))
    assert "无需用人单位答复" in e.value.message_dict["check"][0]
