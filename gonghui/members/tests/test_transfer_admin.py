"""The transfer screens of the back office: start, request, accept, decline, and bad input."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from gonghui.members import transfers
from gonghui.members.models import Member, Status, Transfer, TransferState
from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs.models import UnionKind
from gonghui.orgs.roles import Role
from gonghui.orgs.tests.factories import GroupFactory, UnionFactory, user_with_role

pytestmark = pytest.mark.django_db

ON = timezone.localdate() - timedelta(days=10)


@pytest.fixture
def sides():
    city = UnionFactory(name="市总工会", kind=UnionKind.FEDERATION)
    a = UnionFactory(name="甲工会", parent=city)
    b = UnionFactory(name="乙工会", parent=city)
    return city, a, b, MemberFactory(union=a, name="张三")


def _as(client, union, role=Role.CHAIR):
    client.force_login(user_with_role(union, role))
    return client


def _start_url(member):
    return reverse("admin:members_member_transfer", args=[member.pk])


def _pending(member, to_union):
    return transfers.start_transfer(member=member, to_union=to_union, on=ON, reason="调动")


def test_a_chair_starts_a_transfer_from_the_member_page(client, sides):
    _, a, b, member = sides
    client = _as(client, a)
    page = client.get(reverse("admin:members_member_change", args=[member.pk]))
    assert _start_url(member) in page.content.decode()
    response = client.post(
        _start_url(member), {"to_union": b.name, "on": ON, "reason": "调入乙公司"}
    )
    transfer = Transfer.objects.get(member=member)
    assert response.status_code == 302
    assert response.url == reverse("admin:members_transfer_change", args=[transfer.pk])
    assert (transfer.to_union, transfer.state) == (b, TransferState.PENDING)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"to_union": "", "on": "", "reason": ""}, "这个字段是必填项"),
        ({"to_union": "own", "on": "today", "reason": "调动"}, "转入工会不能是会员当前所在的工会"),
        (
            {"to_union": "不存在的工会", "on": "today", "reason": "调动"},
            "未找到名称或编码为“不存在的工会”的工会",
        ),
        ({"to_union": "b", "on": "2999-01-01", "reason": "调动"}, "转移日期不能晚于今天"),
        ({"to_union": "b", "on": "1990-01-01", "reason": "调动"}, "转移日期须晚于"),
        ({"to_union": "b", "on": "today", "reason": "x" * 201}, "200"),
    ],
)
def test_a_bad_start_form_is_shown_again_with_the_error_and_nothing_saved(
    client, sides, data, message
):
    _, a, b, member = sides
    data = {
        **data,
        "to_union": {"own": a.code, "b": b.code}.get(data["to_union"], data["to_union"]),
        "on": ON if data["on"] == "today" else data["on"],
    }
    response = _as(client, a).post(_start_url(member), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Transfer.objects.exists()


def test_a_second_start_is_refused_on_the_form(client, sides):
    _, a, b, member = sides
    _pending(member, b)
    response = _as(client, a).post(
        _start_url(member), {"to_union": UnionFactory().code, "on": ON, "reason": "调动"}
    )
    assert "已有一项待处理的转移" in response.content.decode()
    assert Transfer.objects.count() == 1


def test_the_receiving_chair_accepts_into_a_group_and_the_member_joins_b(client, sides):
    _, a, b, member = sides
    transfer = _pending(member, b)
    group = GroupFactory(union=b, name="装配组")
    client = _as(client, b)
    page = client.get(reverse("admin:members_transfer_change", args=[transfer.pk]))
    assert reverse("admin:members_transfer_accept", args=[transfer.pk]) in page.content.decode()
    response = client.post(
        reverse("admin:members_transfer_accept", args=[transfer.pk]), {"group": group.pk}
    )
    assert response.status_code == 302
    moved = Member.objects.get(union=b)
    assert (moved.name, moved.group, moved.status) == ("张三", group, Status.ACTIVE)


def test_the_starting_chair_may_not_open_the_accept_page(client, sides):
    _, a, b, member = sides
    transfer = _pending(member, b)
    response = _as(client, a).get(reverse("admin:members_transfer_accept", args=[transfer.pk]))
    assert response.status_code == 403


def test_a_chair_of_an_unrelated_union_gets_404_for_the_transfer(client, sides):
    _, a, b, member = sides
    transfer = _pending(member, b)
    client = _as(client, UnionFactory())
    for name in ("change", "accept", "decline"):
        url = reverse(f"admin:members_transfer_{name}", args=[transfer.pk])
        assert client.get(url).status_code == 404


def test_declining_without_a_reason_is_refused_on_the_form(client, sides):
    _, a, b, member = sides
    transfer = _pending(member, b)
    response = _as(client, b).post(
        reverse("admin:members_transfer_decline", args=[transfer.pk]), {"reason": ""}
    )
    assert response.status_code == 200
    assert Transfer.objects.get(pk=transfer.pk).state == TransferState.PENDING


def test_the_receiving_chair_requests_a_member_by_id_number(client, sides):
    _, a, b, member = sides
    response = _as(client, b).post(
        reverse("admin:members_transfer_request"),
        {
            "to_union": b.pk,
            "from_union": a.name,
            "name": "张三",
            "id_number": member.id_number,
            "on": ON,
            "reason": "入职乙公司",
        },
    )
    assert response.status_code == 302
    assert Transfer.objects.get(member=member).awaiting_union_id == a.pk


def test_a_request_with_a_wrong_id_number_is_refused_on_the_form(client, sides):
    _, a, b, _ = sides
    response = _as(client, b).post(
        reverse("admin:members_transfer_request"),
        {
            "to_union": b.pk,
            "from_union": a.code,
            "name": "张三",
            "id_number": "123",
            "on": ON,
            "reason": "入职",
        },
    )
    assert response.status_code == 200
    assert "身份证号" in response.content.decode()
    assert not Transfer.objects.exists()


def test_the_closed_row_in_a_is_read_only_after_the_transfer(client, sides):
    _, a, b, member = sides
    transfers.accept_transfer(transfer=_pending(member, b))
    page = _as(client, a).get(reverse("admin:members_member_change", args=[member.pk]))
    html = page.content.decode()
    assert "本页是本工会保留的历史记录，只读" in html
    assert _start_url(member) not in html
    assert reverse("admin:members_member_status", args=[member.pk]) not in html


def test_the_upper_union_lists_the_transfers_of_its_subtree(client, sides):
    city, a, b, member = sides
    _pending(member, b)
    page = _as(client, city, Role.UPPER_STAFF).get(reverse("admin:members_transfer_changelist"))
    assert "张三" in page.content.decode()


def test_the_start_form_never_lists_the_unions_of_the_tree(client, sides):
    _, a, b, member = sides
    html = _as(client, a).get(_start_url(member)).content.decode()
    assert "乙工会" not in html


def test_two_unions_of_the_same_name_must_be_told_apart_by_code(client, sides):
    _, a, b, member = sides
    UnionFactory(name="乙工会")
    response = _as(client, a).post(
        _start_url(member), {"to_union": "乙工会", "on": ON, "reason": "调动"}
    )
    assert "有多个名为“乙工会”的工会，请填写工会编码" in response.content.decode()
    assert not Transfer.objects.exists()
