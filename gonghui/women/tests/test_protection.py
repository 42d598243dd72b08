"""Four-period records: encrypted, seen only by the women's committee and the
member herself, every opening logged."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from gonghui.orgs.models import AccessLog
from gonghui.orgs.roles import Role
from gonghui.orgs.tests.factories import user_with_role
from gonghui.women import services
from gonghui.women.models import ProtectionPeriod, ProtectionRecord
from gonghui.women.tests.factories import protection, woman, women_committee

pytestmark = pytest.mark.django_db


def test_the_period_and_arrangements_are_not_stored_in_plain_text():
    record = protection(woman())
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT period, arrangements, items FROM women_protectionrecord WHERE id = %s",
            [record.pk],
        )
        stored = " ".join(cursor.fetchone())
    assert "pregnancy" not in stored and "夜班" not in stored and "防辐射" not in stored


def test_the_chair_cannot_open_a_four_period_record():
    record = protection(woman())
    chair = user_with_role(record.union, Role.CHAIR, password=None)
    with pytest.raises(PermissionDenied) as e:
        services.open_protection(record=record, user=chair, reason="了解情况")
    assert str(e.value) == "四期保护记录仅限女职工委员会委员和本人查看，您没有查看权限"
    assert not AccessLog.objects.exists()


def test_the_chair_cannot_record_a_four_period_case():
    member = woman()
    chair = user_with_role(member.union, Role.CHAIR, password=None)
    with pytest.raises(PermissionDenied):
        protection(member, actor=chair)
    assert not ProtectionRecord.objects.exists()


def test_the_women_committee_of_another_union_cannot_open_a_record():
    record = protection(woman())
    with pytest.raises(PermissionDenied):
        services.open_protection(record=record, user=women_committee(woman().union), reason="查看")


def test_opening_a_record_by_the_women_committee_is_logged_with_the_reason():
    record = protection(woman(name="王芳"))
    reader = women_committee(record.union)
    opened = services.open_protection(record=record, user=reader, reason="安排岗位调整")
    assert opened.arrangements == "调离夜班岗位，每日工间休息一小时"
    log = AccessLog.objects.get()
    assert (log.user, log.subject, log.reason) == (reader, "王芳", "安排岗位调整")


def test_the_women_committee_must_give_a_reason_to_open_a_record():
    record = protection(woman())
    with pytest.raises(ValidationError) as e:
        services.open_protection(record=record, user=women_committee(record.union), reason="")
    assert e.value.message_dict["reason"] == ["请填写查看理由（至少2个字）"]


def test_a_member_opening_her_own_records_is_logged_as_her_own_view():
    member = woman(user=user_with_role_member())
    protection(member)
    records = services.open_own_records(member=member, user=member.user)
    assert [r.period for r in records] == [ProtectionPeriod.PREGNANCY]
    assert AccessLog.objects.get().reason == "本人查看"


def user_with_role_member():
    from gonghui.orgs.tests.factories import UnionFactory

    return user_with_role(UnionFactory(), Role.MEMBER, password=None)


def test_a_second_open_case_of_the_same_period_is_refused():
    member = woman()
    protection(member)
    with pytest.raises(ValidationError) as e:
        protection(member, starts_on=date(2025, 4, 1))
    assert "已有未结束的孕期保护记录（2025年3月1日起）" in e.value.message_dict["period"][0]


def test_a_four_period_record_is_only_for_women():
    from gonghui.members.tests.factories import MemberFactory

    man = MemberFactory(gender="M")
    with pytest.raises(ValidationError) as e:
        protection(man)
    assert e.value.message_dict["member"] == [f"{man.name}不是女职工"]


def test_closing_a_case_before_it_started_is_refused():
    record = protection(woman())
    with pytest.raises(ValidationError) as e:
        services.close_protection(
            record=record, ends_on=date(2025, 2, 1), actor=women_committee(record.union)
        )
    assert e.value.message_dict["ends_on"] == ["结束日期不能早于开始日期2025年3月1日"]


def test_a_record_names_neither_the_member_nor_the_period():
    record = protection(woman(name="赵敏"))
    assert "赵敏" not in str(record) and "孕" not in str(record)
