"""Hardship cases: one open per member, the income line, reviews, closing, reveals."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from gonghui.care import services
from gonghui.care.models import CaseReview, HardshipCase, ReviewOutcome
from gonghui.care.tests.factories import case
from gonghui.finance.tests.factories import staff
from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs.models import AccessLog

pytestmark = pytest.mark.django_db


def test_a_case_keeps_its_health_details_encrypted_in_the_database():
    member = MemberFactory()
    filed = case(member, health_details="肝癌术后化疗")
    with connection.cursor() as cursor:
        cursor.execute("SELECT health_details FROM care_hardshipcase WHERE id = %s", [filed.pk])
        stored = cursor.fetchone()[0]
    assert "肝癌" not in stored
    assert HardshipCase.objects.get(pk=filed.pk).health_details == "肝癌术后化疗"


def test_an_income_above_the_unions_line_needs_a_reason():
    member = MemberFactory()
    services.update_settings(
        union=member.union, hardship_income_threshold="1200", festival_gift_cap_per_year="2000"
    )
    with pytest.raises(ValidationError) as e:
        case(member, income_per_capita="1500.00")
    assert e.value.message_dict["above_threshold_reason"] == [
        "家庭月人均收入1500.00元高于本会困难认定收入线1200.00元，请填写建档理由"
    ]
    assert HardshipCase.objects.count() == 0


def test_an_income_above_the_line_with_a_reason_is_filed():
    member = MemberFactory()
    filed = case(member, income_per_capita="3000", above_threshold_reason="突发重病，医药费高")
    assert filed.above_threshold_reason == "突发重病，医药费高"


def test_a_second_open_case_for_a_member_is_refused():
    member = MemberFactory(name="王芳")
    case(member)
    with pytest.raises(ValidationError) as e:
        case(member)
    assert e.value.message_dict["member"] == [
        "王芳已有未解除的困难档案（2025-01-15建档），不能重复建档"
    ]
    assert HardshipCase.objects.count() == 1


def test_a_member_may_be_filed_again_once_the_old_case_is_closed():
    member = MemberFactory()
    old = case(member)
    services.close_case(case=old, on=date(2025, 6, 1), reason="家庭收入恢复")
    case(member, filed_on=date(2025, 9, 1))
    assert HardshipCase.objects.filter(member=member).count() == 2


def test_causes_outside_the_list_are_refused():
    with pytest.raises(ValidationError) as e:
        case(MemberFactory(), causes=["gambling"])
    assert e.value.message_dict["causes"] == ["致困原因“gambling”不在可选范围内"]


def test_a_negative_income_is_refused():
    with pytest.raises(ValidationError) as e:
        case(MemberFactory(), income_per_capita="-1")
    assert e.value.message_dict["income_per_capita"] == ["家庭月人均收入不能为负数，“-1”不符合"]


def test_a_review_that_adjusts_changes_the_level():
    filed = case(MemberFactory(), level="relative")
    services.review_case(
        case=filed, on=date(2025, 12, 1), outcome=ReviewOutcome.ADJUST, new_level="deep"
    )
    assert filed.level == "deep"
    assert filed.reviews.get().outcome == ReviewOutcome.ADJUST


def test_a_review_that_releases_closes_the_case_with_the_note_as_reason():
    filed = case(MemberFactory())
    services.review_case(
        case=filed, on=date(2025, 12, 1), outcome=ReviewOutcome.RELEASE, note="子女已就业"
    )
    assert (filed.closed_on, filed.close_reason) == (date(2025, 12, 1), "子女已就业")


def test_a_closed_case_cannot_be_reviewed():
    filed = case(MemberFactory())
    services.close_case(case=filed, on=date(2025, 6, 1), reason="家庭收入恢复")
    with pytest.raises(ValidationError) as e:
        services.review_case(case=filed, on=date(2025, 7, 1), outcome=ReviewOutcome.CONTINUE)
    assert e.value.message_dict["case"] == ["该档案已于2025-06-01解除，不能再操作"]
    assert CaseReview.objects.count() == 0


def test_closing_needs_a_reason():
    filed = case(MemberFactory())
    with pytest.raises(ValidationError) as e:
        services.close_case(case=filed, on=date(2025, 6, 1), reason=" ")
    assert e.value.message_dict["reason"] == ["请填写解除理由"]


def test_a_reveal_of_health_details_is_logged_with_its_reason():
    member = MemberFactory(name="赵敏")
    filed = case(member, health_details="尿毒症，每周透析三次")
    user = staff(member.union)
    shown = services.reveal_health_details(case=filed, reason="审批医疗救助", user=user)
    assert shown == "尿毒症，每周透析三次"
    log = AccessLog.objects.get()
    assert (log.user, log.subject, log.field, log.reason) == (
        user,
        "赵敏",
        "健康状况",
        "审批医疗救助",
    )


def test_a_reveal_without_a_reason_is_refused_and_not_logged():
    filed = case(MemberFactory(), health_details="高血压")
    with pytest.raises(ValidationError) as e:
        services.reveal_health_details(case=filed, reason="", user=staff(filed.union))
    assert e.value.message_dict["reason"] == ["请填写查看理由（至少2个字）"]
    assert AccessLog.objects.count() == 0


def test_the_household_income_is_kept_to_the_cent():
    filed = case(MemberFactory(), income_per_capita="987.65")
    assert HardshipCase.objects.get(pk=filed.pk).income_per_capita == Decimal("987.65")
