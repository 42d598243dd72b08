"""The opinion endpoints: staff and liaisons handle; members submit and follow."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from gonghui.api.tests.calls import call, token_for
from gonghui.disclosure.tests.factories import member_with_account
from gonghui.finance.queries import payments_for
from gonghui.finance.tests.factories import BudgetLineFactory, FiscalYearFactory, staff
from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs.roles import Role
from gonghui.orgs.tests.factories import DepartmentFactory, UnionFactory
from gonghui.voice.models import Opinion, State
from gonghui.voice.tests.factories import opinion, valid

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def messages(response) -> dict:
    return {e["field"]: e["message"] for e in response.json()["errors"]}


def test_a_liaison_records_an_opinion_for_a_member():
    union = UnionFactory()
    member = MemberFactory(union=union)
    response = call(
        "post",
        "voice/opinions",
        token_for(staff(union, Role.LIAISON)),
        {"member": member.pk, "content": "建议增加班车", "category": "living"},
    )
    assert response.status_code == 201, response.content
    assert response.json()["recorded_by"] is not None
    assert response.json()["state"] == "submitted"


def test_a_member_of_another_union_is_refused():
    response = call(
        "post",
        "voice/opinions",
        token_for(staff(UnionFactory())),
        {"member": MemberFactory().pk, "content": "x"},
    )
    assert response.status_code == 400
    assert messages(response)["member"] == "未找到该会员"
    assert Opinion.objects.count() == 0


def test_an_empty_opinion_answers_400_in_chinese():
    union = UnionFactory()
    response = call(
        "post",
        "voice/opinions",
        token_for(staff(union)),
        {"member": MemberFactory(union=union).pk, "content": " "},
    )
    assert response.status_code == 400
    assert messages(response)["content"] == "意见内容不能为空"


def test_the_whole_workflow_through_the_api():
    union = UnionFactory()
    key = token_for(staff(union))
    found = opinion(union)
    department = DepartmentFactory(union=union, name="总务处")
    deadline = (TODAY() + timedelta(days=14)).isoformat()
    r = call(
        "post",
        f"voice/opinions/{found.pk}/judge",
        key,
        {"valid": True, "handler_department": department.pk, "deadline": deadline},
    )
    assert r.json()["state"] == "handling"
    assert r.json()["handler_department"]["name"] == "总务处"
    r = call(
        "post",
        f"voice/opinions/{found.pk}/implement",
        key,
        {"on": TODAY().isoformat(), "implementation": "已安装"},
    )
    assert r.json()["state"] == "implemented"
    year = FiscalYearFactory(union=union, year=TODAY().year)
    line = BudgetLineFactory(fiscal_year=year, planned=Decimal("1000.00"))
    r = call(
        "post",
        f"voice/opinions/{found.pk}/reward",
        key,
        {"amount": "150.00", "on": TODAY().isoformat(), "line": line.pk, "voucher": "记-9"},
    )
    assert r.status_code == 200, r.content
    assert r.json()["reward_amount"] == "150.00"
    assert r.json()["payments"] == [payments_for(found).get().pk]


def test_a_department_of_another_union_is_not_found():
    found = opinion()
    response = call(
        "post",
        f"voice/opinions/{found.pk}/judge",
        token_for(staff(found.union)),
        {"valid": True, "handler_department": DepartmentFactory().pk, "deadline": "2030-01-01"},
    )
    assert response.status_code == 400
    assert messages(response)["handler_department"] == "本工会中未找到该部门"


def test_judging_invalid_without_a_reason_answers_400():
    found = opinion()
    response = call(
        "post", f"voice/opinions/{found.pk}/judge", token_for(staff(found.union)), {"valid": False}
    )
    assert response.status_code == 400
    assert messages(response)["reason"] == "不予采纳须填写理由"


def test_assigning_a_submitted_opinion_answers_400():
    found = opinion()
    response = call(
        "post",
        f"voice/opinions/{found.pk}/assign",
        token_for(staff(found.union)),
        {"handler": MemberFactory(union=found.union).pk, "deadline": "2030-01-01"},
    )
    assert response.status_code == 400
    assert "只有认定为有效" in messages(response)["handler"]


def test_a_bad_reward_amount_answers_in_chinese():
    found = valid()
    response = call(
        "post",
        f"voice/opinions/{found.pk}/reward",
        token_for(staff(found.union)),
        {"amount": "1.234", "on": TODAY().isoformat()},
    )
    assert response.status_code == 422
    assert "两位小数" in response.json()["detail"]


def test_the_overdue_filter():
    late = valid(submitted_on=TODAY() - timedelta(days=90))
    valid(late.union)
    response = call("get", "voice/opinions", token_for(staff(late.union)), {"overdue": "true"})
    assert [o["id"] for o in response.json()["items"]] == [late.pk]


def test_another_unions_opinion_is_404():
    found = opinion()
    assert (
        call("get", f"voice/opinions/{found.pk}", token_for(staff(UnionFactory()))).status_code
        == 404
    )


def test_a_member_submits_and_follows_through_their_own_token():
    member = member_with_account(UnionFactory())
    key = token_for(member.user)
    response = call(
        "post", "voice/my/opinions", key, {"content": "建议设立职工书屋", "kind": "idea"}
    )
    assert response.status_code == 201
    pk = response.json()["id"]
    found = Opinion.objects.get(pk=pk)
    assert found.member == member
    found.state = State.INVALID
    found.judgement_reason = "已有职工书屋"
    found.save()
    detail = call("get", f"voice/my/opinions/{pk}", key).json()
    assert detail["state_label"] == "不予采纳" and detail["judgement_reason"] == "已有职工书屋"


def test_a_member_cannot_see_a_colleagues_opinion():
    member = member_with_account(UnionFactory())
    other = opinion(member.union)
    assert call("get", f"voice/my/opinions/{other.pk}", token_for(member.user)).status_code == 404


def test_a_handler_implements_through_their_own_token():
    from gonghui.orgs.models import RoleAssignment

    union = UnionFactory()
    department = DepartmentFactory(union=union)
    found = opinion(union)
    services_judge_and_assign(found, department)
    handler = member_with_account(union, department=department)
    RoleAssignment.objects.create(user=handler.user, union=union, role=Role.HANDLER)
    key = token_for(handler.user)
    listed = call("get", "voice/my/handling", key).json()["items"]
    assert [o["id"] for o in listed] == [found.pk]
    response = call(
        "post",
        f"voice/my/handling/{found.pk}/implement",
        key,
        {"on": TODAY().isoformat(), "implementation": "已整改"},
    )
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "implemented"


def test_a_member_who_is_not_the_handler_gets_404():
    union = UnionFactory()
    found = opinion(union)
    services_judge_and_assign(found, DepartmentFactory(union=union))
    member = member_with_account(union)
    response = call(
        "post",
        f"voice/my/handling/{found.pk}/implement",
        token_for(member.user),
        {"on": TODAY().isoformat(), "implementation": "x"},
    )
    assert response.status_code == 404


def services_judge_and_assign(found, department):
    from gonghui.voice import services

    services.judge(opinion=found, valid=True, actor=staff(found.union))
    services.assign(
        opinion=found,
        handler_department=department,
        deadline=TODAY() + timedelta(days=10),
        actor=staff(found.union),
    )
