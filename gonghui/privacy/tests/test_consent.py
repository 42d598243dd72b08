"""Separate consent before a sensitive category is stored (PIPL art. 29)."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gonghui.care import services as care
from gonghui.care.models import HardshipCase, HardshipCause, HardshipLevel
from gonghui.care.tests.factories import case
from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs.roles import Role
from gonghui.orgs.tests.factories import UnionFactory, user_with_role
from gonghui.privacy import services
from gonghui.privacy.models import Channel, Consent
from gonghui.privacy.purposes import PURPOSES, Category
from gonghui.privacy.tests.factories import ConsentFactory
from gonghui.women import services as women
from gonghui.women.models import ProtectionPeriod, ProtectionRecord
from gonghui.women.tests.factories import protection, woman, women_committee

pytestmark = pytest.mark.django_db


def member_with_account(**kwargs):
    union = kwargs.pop("union", None) or UnionFactory()
    user = user_with_role(union, Role.MEMBER, password=None)
    return MemberFactory(union=union, user=user, **kwargs)


def file(member, **kwargs):
    return care.file_case(
        member=member,
        level=HardshipLevel.RELATIVE,
        causes=[HardshipCause.ILLNESS],
        household_size=3,
        income_per_capita=Decimal("900.00"),
        filed_on=date(2025, 1, 15),
        **kwargs,
    )


def record(member, actor=None):
    return women.record_protection(
        member=member,
        period=ProtectionPeriod.PREGNANCY,
        starts_on=date(2025, 3, 1),
        arrangements="调离夜班岗位",
        actor=actor or women_committee(member.union),
        today=date(2025, 6, 1),
    )


def test_a_member_gives_consent_under_the_current_purpose_text():
    member = member_with_account()
    consent = services.give_consent(member=member, category=Category.HEALTH, user=member.user)
    assert consent.channel == Channel.PORTAL
    assert consent.purpose_text == PURPOSES[Category.HEALTH].text
    assert consent.purpose_version == PURPOSES[Category.HEALTH].version
    assert consent.is_current


def test_nobody_but_the_member_gives_consent_in_her_name():
    member = member_with_account()
    chair = user_with_role(member.union, Role.CHAIR)
    with pytest.raises(PermissionDenied):
        services.give_consent(member=member, category=Category.HEALTH, user=chair)
    assert not Consent.objects.exists()


def test_a_second_consent_to_the_same_category_is_refused_with_a_message():
    member = member_with_account()
    services.give_consent(member=member, category=Category.HARDSHIP, user=member.user)
    with pytest.raises(ValidationError, match="无需重复同意"):
        services.give_consent(member=member, category=Category.HARDSHIP, user=member.user)
    assert Consent.objects.count() == 1


def test_an_unknown_category_is_refused():
    member = member_with_account()
    with pytest.raises(ValidationError, match="不在可选范围内"):
        services.give_consent(member=member, category="salary", user=member.user)


def test_a_cadre_records_a_paper_consent_with_its_reference():
    member = MemberFactory()
    chair = user_with_role(member.union, Role.CHAIR)
    consent = services.record_paper_consent(
        member=member,
        category=Category.HARDSHIP,
        paper_reference="同意书-2025-001",
        signed_on=date(2025, 1, 10),
        actor=chair,
    )
    assert consent.channel == Channel.PAPER and consent.recorded_by == chair
    assert consent.paper_reference == "同意书-2025-001"


@pytest.mark.parametrize(
    ("reference", "signed_on", "field", "message"),
    [
        ("", date(2025, 1, 10), "paper_reference", "请填写纸质同意书编号"),
        ("x" * 61, date(2025, 1, 10), "paper_reference", "不能超过60个字"),
        ("同意书-1", None, "signed_on", "请填写同意书签署日期"),
        ("同意书-1", date(2099, 1, 1), "signed_on", "不能晚于今天"),
    ],
)
def test_a_paper_consent_with_a_bad_field_is_refused(reference, signed_on, field, message):
    member = MemberFactory()
    with pytest.raises(ValidationError) as e:
        services.record_paper_consent(
            member=member,
            category=Category.HARDSHIP,
            paper_reference=reference,
            signed_on=signed_on,
            actor=user_with_role(member.union, Role.CHAIR),
        )
    assert message in e.value.message_dict[field][0]
    assert not Consent.objects.exists()


def test_a_cadre_of_another_union_cannot_record_a_consent():
    member = MemberFactory()
    with pytest.raises(PermissionDenied):
        services.record_paper_consent(
            member=member,
            category=Category.HARDSHIP,
            paper_reference="同意书-1",
            signed_on=date(2025, 1, 10),
            actor=user_with_role(UnionFactory(), Role.CHAIR),
        )


def test_a_liaison_cannot_record_a_consent():
    member = MemberFactory()
    with pytest.raises(PermissionDenied):
        services.record_paper_consent(
            member=member,
            category=Category.HARDSHIP,
            paper_reference="同意书-1",
            signed_on=date(2025, 1, 10),
            actor=user_with_role(member.union, Role.LIAISON),
        )


def test_a_hardship_case_without_consent_is_refused_and_nothing_is_stored():
    member = MemberFactory()
    with pytest.raises(ValidationError) as e:
        file(member)
    assert "尚未单独同意工会处理其困难帮扶信息" in e.value.message_dict["member"][0]
    assert not HardshipCase.objects.exists()


def test_health_details_need_their_own_consent_beside_the_hardship_one():
    member = MemberFactory()
    ConsentFactory(member=member, category=Category.HARDSHIP)
    with pytest.raises(ValidationError) as e:
        file(member, health_details="糖尿病")
    assert "健康信息" in e.value.message_dict["health_details"][0]
    assert not HardshipCase.objects.exists()


def test_a_case_without_health_details_needs_only_the_hardship_consent():
    member = MemberFactory()
    ConsentFactory(member=member, category=Category.HARDSHIP)
    assert file(member).health_details == ""


def test_after_withdrawing_consent_a_case_can_no_longer_be_filed():
    member = member_with_account()
    consent = services.give_consent(member=member, category=Category.HARDSHIP, user=member.user)
    services.withdraw_consent(consent=consent, user=member.user)
    with pytest.raises(ValidationError, match="或已撤回同意"):
        file(member)
    assert not HardshipCase.objects.exists()


def test_after_withdrawing_health_consent_health_details_are_not_updated():
    member = member_with_account()
    filed = case(member, health_details="高血压")
    services.withdraw_consent(
        consent=services.current_consent(member, Category.HEALTH), user=member.user
    )
    with pytest.raises(ValidationError) as e:
        care.update_case(
            case=filed,
            causes=[HardshipCause.ILLNESS],
            household_size=3,
            income_per_capita=Decimal("900.00"),
            filed_on=date(2025, 1, 15),
            health_details="肾衰竭",
        )
    assert "health_details" in e.value.message_dict
    filed.refresh_from_db()
    assert filed.health_details == "高血压"


def test_a_four_period_record_without_consent_is_refused_and_nothing_is_stored():
    member = woman()
    with pytest.raises(ValidationError, match="女职工四期信息"):
        record(member)
    assert not ProtectionRecord.objects.exists()


def test_after_withdrawing_consent_a_four_period_record_is_not_updated():
    union = UnionFactory()
    member = woman(union, user=user_with_role(union, Role.MEMBER, password=None))
    kept = protection(member, arrangements="调离夜班岗位")
    services.withdraw_consent(
        consent=services.current_consent(member, Category.FOUR_PERIOD), user=member.user
    )
    with pytest.raises(ValidationError, match="或已撤回同意"):
        women.update_protection(
            record=kept,
            arrangements="新的安排",
            items="",
            actor=women_committee(member.union),
        )
    kept.refresh_from_db()
    assert kept.arrangements == "调离夜班岗位"


def test_a_withdrawn_consent_cannot_be_withdrawn_twice():
    member = member_with_account()
    consent = services.give_consent(member=member, category=Category.HEALTH, user=member.user)
    services.withdraw_consent(consent=consent, user=member.user)
    with pytest.raises(ValidationError, match="已经撤回"):
        services.withdraw_consent(consent=consent, user=member.user)


def test_another_member_cannot_withdraw_a_consent():
    member = member_with_account()
    consent = services.give_consent(member=member, category=Category.HEALTH, user=member.user)
    other = member_with_account(union=member.union)
    with pytest.raises(PermissionDenied):
        services.withdraw_consent(consent=consent, user=other.user)


def test_consent_can_be_given_again_after_withdrawal_and_history_is_kept():
    member = member_with_account()
    first = services.give_consent(member=member, category=Category.HEALTH, user=member.user)
    services.withdraw_consent(consent=first, user=member.user)
    services.give_consent(member=member, category=Category.HEALTH, user=member.user)
    assert Consent.objects.filter(member=member).count() == 2
    assert services.current_consent(member, Category.HEALTH).pk != first.pk
