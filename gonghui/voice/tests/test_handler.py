"""A handler (职能部门承办人) records implementation in the portal."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from gonghui.disclosure.tests.factories import member_with_account
from gonghui.finance.tests.factories import staff
from gonghui.orgs.models import RoleAssignment
from gonghui.orgs.roles import Role
from gonghui.orgs.tests.factories import DepartmentFactory, UnionFactory
from gonghui.voice import services
from gonghui.voice.models import State
from gonghui.voice.tests.factories import opinion

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def assigned_to_department(union, department):
    found = opinion(union)
    services.judge(opinion=found, valid=True, actor=staff(union))
    services.assign(
        opinion=found,
        handler_department=department,
        deadline=TODAY() + timedelta(days=10),
        actor=staff(union),
    )
    return found


def handler_of(union, department):
    member = member_with_account(union, department=department)
    RoleAssignment.objects.create(user=member.user, union=union, role=Role.HANDLER)
    return member


def test_the_departments_handler_implements_in_the_portal(client):
    union = UnionFactory()
    department = DepartmentFactory(union=union, name="后勤处")
    found = assigned_to_department(union, department)
    handler = handler_of(union, department)
    client.force_login(handler.user)
    assert "有 1 条意见建议交您或您所在部门办理" in client.get("/voice/").content.decode()
    response = client.post(
        f"/voice/handling/{found.pk}/",
        {"on": TODAY().isoformat(), "implementation": "已增设饮水机"},
    )
    assert response.status_code == 302
    found.refresh_from_db()
    assert found.state == State.IMPLEMENTED and found.implementation == "已增设饮水机"


def test_a_handler_of_another_department_gets_404(client):
    union = UnionFactory()
    found = assigned_to_department(union, DepartmentFactory(union=union))
    other = handler_of(union, DepartmentFactory(union=union))
    client.force_login(other.user)
    assert client.get(f"/voice/handling/{found.pk}/").status_code == 404


def test_a_member_of_the_department_without_the_handler_role_cannot_implement():
    union = UnionFactory()
    department = DepartmentFactory(union=union)
    found = assigned_to_department(union, department)
    colleague = member_with_account(union, department=department)
    with pytest.raises(ValidationError) as e:
        services.implement_by_handler(
            opinion=found, member=colleague, on=TODAY(), implementation="x"
        )
    assert "不是交给您或您所在部门办理的" in e.value.message_dict["implemented_on"][0]


def test_an_empty_implementation_shows_a_chinese_message(client):
    union = UnionFactory()
    department = DepartmentFactory(union=union)
    found = assigned_to_department(union, department)
    client.force_login(handler_of(union, department).user)
    response = client.post(f"/voice/handling/{found.pk}/", {"on": TODAY().isoformat()})
    assert response.status_code == 400
    assert "请填写落实情况" in response.content.decode()


def test_a_future_date_shows_the_services_message_on_the_date_field(client):
    union = UnionFactory()
    department = DepartmentFactory(union=union)
    found = assigned_to_department(union, department)
    client.force_login(handler_of(union, department).user)
    tomorrow = (TODAY() + timedelta(days=1)).isoformat()
    response = client.post(
        f"/voice/handling/{found.pk}/", {"on": tomorrow, "implementation": "已办"}
    )
    assert "不能晚于今天" in response.content.decode()
    found.refresh_from_db()
    assert found.state == State.HANDLING
