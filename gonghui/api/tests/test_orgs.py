import pytest

from gonghui.api.tests.calls import call, token_for
from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs.models import Group, UnionKind
from gonghui.orgs.roles import Role
from gonghui.orgs.tests.factories import (
    DepartmentFactory,
    GroupFactory,
    UnionFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db


def test_unions_are_listed_with_parent_code_and_active_member_count():
    parent = UnionFactory(code="city", kind=UnionKind.FEDERATION)
    union = UnionFactory(code="school-1", parent=parent, name="一中工会")
    MemberFactory.create_batch(2, union=union)
    MemberFactory(union=union, status="retired")
    key = token_for(user_with_role(union))
    assert call("get", "unions", key).json() == [
        {
            "id": union.id,
            "code": "school-1",
            "name": "一中工会",
            "kind": "school",
            "kind_label": "学校",
            "parent_code": "city",
            "members_count": 2,
        }
    ]


def test_upper_union_staff_list_their_whole_subtree():
    parent = UnionFactory(kind=UnionKind.FEDERATION)
    children = UnionFactory.create_batch(2, parent=parent)
    UnionFactory()  # elsewhere
    key = token_for(user_with_role(parent, Role.UPPER_STAFF))
    codes = {u["code"] for u in call("get", "unions", key).json()}
    assert codes == {parent.code, children[0].code, children[1].code}


def test_departments_and_groups_of_a_union_are_listed():
    union = UnionFactory()
    department = DepartmentFactory(union=union, name="教务处")
    group = GroupFactory(union=union, name="语文组", department=department)
    MemberFactory(union=union, group=group)
    key = token_for(user_with_role(union, Role.LIAISON))
    assert call("get", f"unions/{union.id}/departments", key).json() == [
        {"id": department.id, "union": union.id, "name": "教务处"}
    ]
    groups = call("get", f"unions/{union.id}/groups", key).json()
    assert groups == [
        {
            "id": group.id,
            "union": union.id,
            "name": "语文组",
            "department": department.id,
            "members_count": 1,
        }
    ]


def test_a_chair_creates_a_group_in_a_department():
    union = UnionFactory()
    department = DepartmentFactory(union=union)
    key = token_for(user_with_role(union))
    response = call(
        "post", f"unions/{union.id}/groups", key, {"name": "数学组", "department": department.id}
    )
    assert response.status_code == 201
    assert Group.objects.get(pk=response.json()["id"]).department == department


def test_a_duplicate_group_name_is_refused_with_the_field():
    union = UnionFactory()
    GroupFactory(union=union, name="数学组")
    key = token_for(user_with_role(union))
    response = call("post", f"unions/{union.id}/groups", key, {"name": "数学组"})
    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": "name", "message": "小组“数学组”已存在"}]


def test_creating_a_department_needs_the_manage_orgs_permission():
    union = UnionFactory()
    key = token_for(user_with_role(union, Role.COMMITTEE))
    response = call("post", f"unions/{union.id}/departments", key, {"name": "后勤部"})
    assert response.status_code == 403
    assert "组织机构" in response.json()["detail"]


def test_upper_union_staff_cannot_create_groups_below_them():
    parent = UnionFactory(kind=UnionKind.FEDERATION)
    child = UnionFactory(parent=parent)
    key = token_for(user_with_role(parent, Role.UPPER_STAFF))
    response = call("post", f"unions/{child.id}/groups", key, {"name": "新小组"})
    assert response.status_code == 403
    assert not Group.objects.filter(union=child).exists()


def test_a_department_of_another_union_is_not_found_when_creating_a_group():
    union, other = UnionFactory(), UnionFactory()
    foreign = DepartmentFactory(union=other, name="乙部门")
    key = token_for(user_with_role(union))
    response = call(
        "post", f"unions/{union.id}/groups", key, {"name": "数学组", "department": foreign.id}
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "department"
    assert "乙部门" not in response.content.decode()
