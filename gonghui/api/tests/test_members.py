from datetime import date

import pytest

from gonghui import idcard
from gonghui.api.tests.calls import call, token_for
from gonghui.members.models import Member, Status, StatusChange
from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs.roles import Role
from gonghui.orgs.tests.factories import (
    DepartmentFactory,
    GroupFactory,
    UnionFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db

ID_NUMBER = idcard.make("330206", date(1985, 5, 6), 1, "M")


def _new(union, **over):
    data = {
        "union": union.id,
        "name": "张三",
        "id_number": ID_NUMBER,
        "phone": "13800001111",
        "joined_on": "2020-01-01",
    }
    data.update(over)
    return data


def test_a_chair_adds_a_member_and_gets_it_back_masked():
    union = UnionFactory()
    key = token_for(user_with_role(union))
    response = call("post", "members", key, _new(union))
    assert response.status_code == 201
    body = response.json()
    assert body["name"] == "张三"
    assert body["birth_date"] == "1985-05-06"
    assert body["id_number_masked"] == ID_NUMBER[:3] + "*" * 11 + ID_NUMBER[-4:]
    assert body["phone_masked"] == "138****1111"
    assert ID_NUMBER not in response.content.decode()
    assert "13800001111" not in response.content.decode()
    assert Member.objects.get(pk=body["id"]).status_changes.get().reason == "入会"


def test_a_member_is_added_with_a_group_and_department_of_the_union():
    union = UnionFactory()
    group, department = GroupFactory(union=union, name="一组"), DepartmentFactory(union=union)
    key = token_for(user_with_role(union))
    response = call("post", "members", key, _new(union, group=group.id, department=department.id))
    assert response.json()["group"] == {"id": group.id, "name": "一组"}
    assert response.json()["department"]["id"] == department.id


def test_reading_a_member_returns_masked_sensitive_fields_only():
    member = MemberFactory(phone="13912345678")
    key = token_for(user_with_role(member.union))
    body = call("get", f"members/{member.id}", key).json()
    assert body["phone_masked"] == "139****5678"
    assert "phone" not in body and "id_number" not in body


def test_patching_a_member_changes_only_the_given_fields():
    member = MemberFactory(position="教师")
    key = token_for(user_with_role(member.union))
    response = call("patch", f"members/{member.id}", key, {"position": "教研组长"})
    assert response.status_code == 200
    member.refresh_from_db()
    assert member.position == "教研组长"
    assert member.name == response.json()["name"]


def test_patching_the_phone_updates_its_digest_through_the_service():
    member = MemberFactory()
    key = token_for(user_with_role(member.union))
    call("patch", f"members/{member.id}", key, {"phone": "139 0000 1111"})
    member.refresh_from_db()
    assert member.phone == "13900001111"
    assert member.phone_masked == "139****1111"


def test_a_status_change_is_recorded_with_its_date_and_reason():
    member = MemberFactory(joined_on=date(2020, 1, 1))
    key = token_for(user_with_role(member.union))
    response = call(
        "post",
        f"members/{member.id}/status",
        key,
        {"to": "retired", "on": "2024-06-30", "reason": "到龄退休"},
    )
    assert response.status_code == 201
    member.refresh_from_db()
    assert member.status == Status.RETIRED
    assert member.left_on == date(2024, 6, 30)
    assert StatusChange.objects.get(pk=response.json()["id"]).reason == "到龄退休"


def test_a_status_change_to_the_current_status_is_refused_with_the_field():
    member = MemberFactory()
    key = token_for(user_with_role(member.union))
    response = call(
        "post",
        f"members/{member.id}/status",
        key,
        {"to": "active", "on": "2024-01-01", "reason": "x"},
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "to"
    assert "当前已是" in response.json()["detail"]


def test_the_list_filters_by_group_status_gender_and_joined_year():
    union = UnionFactory()
    group = GroupFactory(union=union)
    wanted = MemberFactory(union=union, group=group, gender="F", joined_on=date(2021, 5, 1))
    MemberFactory(union=union, group=group, gender="M", joined_on=date(2021, 5, 1))
    MemberFactory(union=union, gender="F", joined_on=date(2021, 5, 1))
    MemberFactory(union=union, group=group, gender="F", joined_on=date(2019, 5, 1))
    key = token_for(user_with_role(union))
    query = {"group": group.id, "gender": "F", "joined_year": 2021, "status": "active"}
    items = call("get", "members", key, query).json()["items"]
    assert [m["id"] for m in items] == [wanted.id]


def test_the_list_finds_members_by_name_and_by_pinyin_initials():
    union = UnionFactory()
    zhang = MemberFactory(union=union, name="张三")
    MemberFactory(union=union, name="李四")
    key = token_for(user_with_role(union))
    by_name = call("get", "members", key, {"q": "张"}).json()["items"]
    by_initials = call("get", "members", key, {"q": "zs"}).json()["items"]
    assert [m["id"] for m in by_name] == [zhang.id]
    assert [m["id"] for m in by_initials] == [zhang.id]


def test_a_whole_id_number_finds_exactly_that_member():
    union = UnionFactory()
    wanted = MemberFactory(union=union)
    MemberFactory(union=union)
    key = token_for(user_with_role(union))
    items = call("get", "members", key, {"q": wanted.id_number.lower()}).json()["items"]
    assert [m["id"] for m in items] == [wanted.id]


def test_a_liaison_may_read_the_roster_but_not_change_it():
    member = MemberFactory()
    key = token_for(user_with_role(member.union, Role.LIAISON))
    assert call("get", f"members/{member.id}", key).status_code == 200
    response = call("patch", f"members/{member.id}", key, {"position": "组长"})
    assert response.status_code == 403
    assert "权限" in response.json()["detail"]


def test_a_plain_member_account_may_not_list_the_roster():
    member = MemberFactory()
    key = token_for(user_with_role(member.union, Role.MEMBER))
    assert call("get", "members", key).status_code == 403
    assert call("get", f"members/{member.id}", key).status_code == 403


def test_adding_a_member_to_a_union_the_caller_cannot_see_names_nothing():
    mine, theirs = UnionFactory(), UnionFactory(name="乙工会")
    key = token_for(user_with_role(mine))
    response = call("post", "members", key, _new(theirs))
    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": "union", "message": "未找到该工会"}]
    assert "乙工会" not in response.content.decode()
    assert not Member.objects.filter(union=theirs).exists()
