"""The transfer endpoints: the two sides' workflow, who may do what, and bad input."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from gonghui.api.tests.calls import call, token_for
from gonghui.members.models import Member, Status, Transfer, TransferState
from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs.models import UnionKind
from gonghui.orgs.roles import Role
from gonghui.orgs.tests.factories import GroupFactory, UnionFactory, user_with_role

pytestmark = pytest.mark.django_db

ON = (timezone.localdate() - timedelta(days=20)).isoformat()


@pytest.fixture
def sides():
    city = UnionFactory(name="市总工会", kind=UnionKind.FEDERATION)
    a = UnionFactory(name="甲工会", parent=city)
    b = UnionFactory(name="乙工会", parent=city)
    member = MemberFactory(union=a, name="张三")
    return {
        "city": city,
        "a": a,
        "b": b,
        "member": member,
        "key_a": token_for(user_with_role(a)),
        "key_b": token_for(user_with_role(b)),
    }


def _text(response) -> str:
    return json.dumps(response.json(), ensure_ascii=False)


def _start(s, **over):
    body = {"member": s["member"].pk, "to_union": s["b"].pk, "on": ON, "reason": "调动"}
    body.update(over)
    return call("post", "transfers", s["key_a"], body)


def test_a_starts_b_accepts_and_the_member_is_on_b_s_roll(sides):
    started = _start(sides)
    assert started.status_code == 201, started.content
    body = started.json()
    assert body["state"] == "pending" and body["awaiting_union"] == sides["b"].pk
    group = GroupFactory(union=sides["b"], name="二车间")
    accepted = call("post", f"transfers/{body['id']}/accept", sides["key_b"], {"group": group.pk})
    assert accepted.status_code == 200, accepted.content
    new_id = accepted.json()["new_member"]
    assert Member.objects.get(pk=new_id).group == group
    read = call("get", f"members/{new_id}", sides["key_b"])
    assert read.json()["union"] == sides["b"].pk


def test_a_reads_its_closed_row_after_the_transfer_but_not_b_s_new_one(sides):
    body = _start(sides).json()
    new_id = call("post", f"transfers/{body['id']}/accept", sides["key_b"], {}).json()["new_member"]
    closed = call("get", f"members/{sides['member'].pk}", sides["key_a"]).json()
    assert closed["status"] == Status.TRANSFERRED
    assert call("get", f"members/{new_id}", sides["key_a"]).status_code == 404
    assert call("get", f"transfers/{body['id']}", sides["key_a"]).json()["new_member"] is None


def test_b_requests_by_id_number_and_a_accepts(sides):
    member = sides["member"]
    response = call(
        "post",
        "transfer-requests",
        sides["key_b"],
        {
            "to_union": sides["b"].pk,
            "from_union": sides["a"].pk,
            "id_number": member.id_number,
            "name": "张三",
            "on": ON,
            "reason": "入职乙公司",
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["awaiting_union"] == sides["a"].pk
    accepted = call("post", f"transfers/{response.json()['id']}/accept", sides["key_a"], {})
    assert accepted.json()["state"] == TransferState.ACCEPTED


def test_the_side_that_started_cannot_accept_its_own_transfer(sides):
    body = _start(sides).json()
    response = call("post", f"transfers/{body['id']}/accept", sides["key_a"], {})
    assert response.status_code == 403
    assert "另一方工会" in response.json()["detail"]


def test_accepting_twice_is_refused_in_chinese(sides):
    body = _start(sides).json()
    call("post", f"transfers/{body['id']}/accept", sides["key_b"], {})
    again = call("post", f"transfers/{body['id']}/accept", sides["key_b"], {})
    assert again.status_code == 400
    assert "不能重复处理" in _text(again)


def test_b_declines_with_a_reason_and_a_sees_it(sides):
    body = _start(sides).json()
    call("post", f"transfers/{body['id']}/decline", sides["key_b"], {"reason": "查无此人入职"})
    seen = call("get", f"transfers/{body['id']}", sides["key_a"]).json()
    assert (seen["state"], seen["decline_reason"]) == ("declined", "查无此人入职")


def test_the_upper_union_lists_the_transfer_but_may_not_accept_it(sides):
    upper = token_for(user_with_role(sides["city"], Role.UPPER_STAFF))
    body = _start(sides).json()
    listed = call("get", "transfers", upper).json()["items"]
    assert [t["id"] for t in listed] == [body["id"]]
    assert call("post", f"transfers/{body['id']}/accept", upper, {}).status_code == 403


def test_a_stranger_union_gets_404_for_the_transfer(sides):
    stranger = token_for(user_with_role(UnionFactory()))
    body = _start(sides).json()
    assert call("get", f"transfers/{body['id']}", stranger).status_code == 404
    assert call("get", "transfers", stranger).json()["items"] == []


# Bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("over", "status", "field", "fragment"),
    [
        ({"to_union": "self"}, 400, "to_union", "转入工会不能是会员当前所在的工会"),
        ({"to_union": 999999}, 400, "to_union", "未找到该工会"),
        ({"on": "2999-01-01"}, 400, "on", "转移日期不能晚于今天"),
        ({"on": "1999-01-01"}, 400, "on", "转移日期须晚于会员在原工会的入会日期"),
        ({"on": "2024-02-30"}, 422, "on", ""),
        ({"reason": " "}, 400, "reason", "请填写转移原因"),
        ({"reason": "x" * 201}, 422, "reason", ""),
        ({"reason": "bad\x00"}, 422, "reason", "控制字符"),
        ({"member": 0}, 422, "member", ""),
        ({"extra": 1}, 422, "extra", ""),
    ],
)
def test_starting_with_bad_input_is_refused_naming_the_field(sides, over, status, field, fragment):
    if over.get("to_union") == "self":
        over = {"to_union": sides["a"].pk}
    response = _start(sides, **over)
    assert response.status_code == status, response.content
    text = _text(response)
    assert f'"field": "{field}"' in text
    assert fragment in text
    assert not Transfer.objects.exists()


def test_starting_for_a_member_of_another_union_is_404(sides):
    other = MemberFactory(union=UnionFactory())
    assert _start(sides, member=other.pk).status_code == 404


def test_a_second_start_while_one_waits_is_refused(sides):
    _start(sides)
    again = _start(sides, to_union=UnionFactory().pk)
    assert again.status_code == 400
    assert "已有一项待处理的转移" in _text(again)


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"id_number": "123"}, "id_number"),
        ({"name": ""}, "name"),
        ({"from_union": "self"}, "from_union"),
        ({"to_union": "stranger"}, "to_union"),
    ],
)
def test_a_bad_request_from_b_is_refused_naming_the_field(sides, over, field):
    body = {
        "to_union": sides["b"].pk,
        "from_union": sides["a"].pk,
        "id_number": sides["member"].id_number,
        "name": "张三",
        "on": ON,
        "reason": "入职",
    }
    if over.get("from_union") == "self":
        over = {"from_union": sides["b"].pk}
    if over.get("to_union") == "stranger":
        over = {"to_union": UnionFactory().pk}
    body.update(over)
    response = call("post", "transfer-requests", sides["key_b"], body)
    assert response.status_code == 400, response.content
    assert f'"field": "{field}"' in _text(response)
    assert not Transfer.objects.exists()


def test_declining_without_a_reason_is_refused_and_the_transfer_still_waits(sides):
    body = _start(sides).json()
    response = call("post", f"transfers/{body['id']}/decline", sides["key_b"], {"reason": ""})
    assert response.status_code == 400
    assert Transfer.objects.get(pk=body["id"]).state == TransferState.PENDING


def test_accepting_into_a_group_of_another_union_is_refused(sides):
    body = _start(sides).json()
    foreign = GroupFactory(union=sides["a"])
    response = call("post", f"transfers/{body['id']}/accept", sides["key_b"], {"group": foreign.pk})
    assert response.status_code == 400
    assert '"field": "group"' in _text(response)
    assert Transfer.objects.get(pk=body["id"]).state == TransferState.PENDING


@pytest.mark.parametrize("path", ["transfers/0", "transfers/abc", f"transfers/{2**64}"])
def test_malformed_transfer_ids_never_give_a_server_error(sides, path):
    assert call("get", path, sides["key_a"]).status_code in (400, 404, 422)


def test_a_bad_state_filter_is_refused(sides):
    response = call("get", "transfers", sides["key_a"], {"state": "nonsense"})
    assert response.status_code == 422
    assert '"field": "state"' in _text(response)


def test_cancelling_is_for_the_side_that_started(sides):
    body = _start(sides).json()
    refused = call("post", f"transfers/{body['id']}/cancel", sides["key_b"], {"reason": "不要了"})
    assert refused.status_code == 403
    done = call("post", f"transfers/{body['id']}/cancel", sides["key_a"], {"reason": "填错了"})
    assert done.json()["state"] == "cancelled"
    assert _start(sides).status_code == 201
