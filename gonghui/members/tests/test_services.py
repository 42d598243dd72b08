from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from gonghui import idcard
from gonghui.members import services
from gonghui.members.models import Member, Status
from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs.models import AccessLog
from gonghui.orgs.tests.factories import GroupFactory, UnionFactory, user_with_role

pytestmark = pytest.mark.django_db


def _fields(**over):
    base = dict(
        name="张三",
        id_number=idcard.make("330206", date(1985, 5, 6), 1, "M"),
        phone="13800001111",
        joined_on=date(2020, 1, 1),
    )
    base.update(over)
    return base


def test_creating_a_member_derives_birth_date_gender_and_pinyin_from_the_id_number():
    member = services.create_member(union=UnionFactory(), **_fields())
    assert member.birth_date == date(1985, 5, 6)
    assert member.gender == "M"
    assert member.name_initials == "zs"
    assert member.status_changes.get().reason == "入会"


def test_the_id_number_and_phone_are_not_stored_in_plain_text():
    member = services.create_member(union=UnionFactory(), **_fields())
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, phone FROM members_member WHERE id = %s", [member.pk])
        stored = cursor.fetchone()
    assert member.id_number not in stored[0]
    assert "13800001111" not in stored[1]
    assert Member.objects.get(pk=member.pk).id_number == member.id_number


def test_a_second_member_with_the_same_id_number_in_one_union_is_refused():
    union = UnionFactory()
    services.create_member(union=union, **_fields())
    with pytest.raises(ValidationError) as e:
        services.create_member(union=union, **_fields(name="张三丰"))
    assert "已在本工会" in e.value.message_dict["id_number"][0]


def test_a_gender_that_contradicts_the_id_number_is_refused():
    with pytest.raises(ValidationError) as e:
        services.create_member(union=UnionFactory(), **_fields(gender="F"))
    assert "性别与身份证号不一致" in e.value.message_dict["gender"][0]


def test_a_group_of_another_union_is_refused():
    with pytest.raises(ValidationError) as e:
        services.create_member(union=UnionFactory(), group=GroupFactory(), **_fields())
    assert "gender" not in e.value.message_dict
    assert "不属于本工会" in e.value.message_dict["group"][0]


def test_retiring_a_member_records_the_dated_change_and_sets_the_leaving_date():
    member = MemberFactory()
    services.change_status(
        member=member, to=Status.RETIRED, on=date(2024, 6, 30), reason="到龄退休"
    )
    member.refresh_from_db()
    assert member.left_on == date(2024, 6, 30)
    assert member.status_changes.last().reason == "到龄退休"


def test_a_status_change_without_a_reason_is_refused():
    with pytest.raises(ValidationError) as e:
        services.change_status(
            member=MemberFactory(), to=Status.RETIRED, on=date(2024, 6, 30), reason=" "
        )
    assert "原因" in e.value.message_dict["reason"][0]


def test_revealing_an_id_number_logs_who_saw_it_and_why():
    member = MemberFactory()
    chair = user_with_role(member.union)
    value = services.reveal(member=member, field="id_number", reason="核对困难帮扶材料", user=chair)
    assert value == member.id_number
    log = AccessLog.objects.get()
    assert (log.user, log.reason, log.field) == (chair, "核对困难帮扶材料", "身份证号")


def test_a_reveal_without_a_reason_is_refused_and_not_logged():
    member = MemberFactory()
    with pytest.raises(ValidationError):
        services.reveal(
            member=member, field="id_number", reason="", user=user_with_role(member.union)
        )
    assert not AccessLog.objects.exists()


def test_a_name_with_markup_or_digits_is_refused():
    with pytest.raises(ValidationError) as e:
        services.create_member(union=UnionFactory(), **_fields(name="<b>张三1</b>"))
    assert "姓名只能包含文字" in e.value.message_dict["name"][0]


def test_a_name_with_the_minority_separator_is_accepted():
    member = services.create_member(union=UnionFactory(), **_fields(name="买买提·艾力"))
    assert member.name == "买买提·艾力"


def test_resetting_a_password_lifts_a_portal_lockout_counted_by_phone():
    from axes.models import AccessAttempt

    member = MemberFactory()
    user = services.create_portal_account(member=member, password="old-pass-9876")
    AccessAttempt.objects.create(
        username=member.phone,
        failures_since_start=5,
        ip_address="127.0.0.1",
        user_agent="t",
        get_data="",
        post_data="",
        http_accept="",
        path_info="/login/",
    )
    services.set_password(user=user, password="Fresh-pass-2468")
    assert not AccessAttempt.objects.filter(username=member.phone).exists()


def test_an_overlong_position_is_refused_before_the_database_sees_it():
    with pytest.raises(ValidationError) as e:
        services.create_member(union=UnionFactory(), **_fields(position="岗" * 61))
    assert "岗位/职务不能超过60个字" in e.value.message_dict["position"][0]


def test_an_overlong_status_change_reason_is_refused():
    with pytest.raises(ValidationError) as e:
        services.change_status(
            member=MemberFactory(), to=Status.RETIRED, on=date(2024, 6, 30), reason="因" * 201
        )
    assert "200" in e.value.message_dict["reason"][0]
