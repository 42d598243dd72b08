"""The members' opinion pages and the back-office steps."""

from datetime import timedelta

import pytest
from django.utils import timezone

from gonghui.disclosure.tests.factories import member_with_account
from gonghui.finance.tests.factories import staff
from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs.roles import Role
from gonghui.orgs.tests.factories import UnionFactory
from gonghui.voice.models import Opinion, State
from gonghui.voice.tests.factories import opinion, valid

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def signed_in_member(client, union=None):
    member = member_with_account(union or UnionFactory())
    client.force_login(member.user)
    return member


# Portal -----------------------------------------------------------------------------


def test_a_member_submits_an_opinion_and_lands_on_its_progress_page(client):
    member = signed_in_member(client)
    response = client.post(
        "/voice/new/",
        {"kind": "idea", "category": "production", "title": "", "content": "包装线改用可回收托盘"},
    )
    found = Opinion.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/voice/{found.pk}/"
    assert found.member == member and found.kind == "idea"


def test_an_empty_opinion_shows_a_chinese_message_and_writes_nothing(client):
    signed_in_member(client)
    response = client.post("/voice/new/", {"kind": "opinion", "category": "other", "content": ""})
    assert response.status_code == 400
    assert "请填写意见或建议内容" in response.content.decode()
    assert Opinion.objects.count() == 0


def test_an_unknown_category_shows_a_chinese_message(client):
    signed_in_member(client)
    response = client.post("/voice/new/", {"kind": "opinion", "category": "x", "content": "建议"})
    assert "所选类别不在可选范围内" in response.content.decode()


def test_the_member_follows_an_implemented_opinion(client):
    member = signed_in_member(client)
    found = valid(member=member)
    found.state, found.implemented_on, found.implementation = (
        State.IMPLEMENTED,
        TODAY(),
        "已增设饮水机",
    )
    found.save()
    page = client.get(f"/voice/{found.pk}/").content.decode()
    assert "已落实" in page and "已增设饮水机" in page


def test_another_members_opinion_is_404(client):
    member = signed_in_member(client)
    other = opinion(member.union, content="别人的意见")
    response = client.get(f"/voice/{other.pk}/")
    assert response.status_code == 404
    assert "别人的意见" not in response.content.decode()


def test_the_list_shows_only_the_members_own_opinions(client):
    member = signed_in_member(client)
    opinion(member=member, title="我的建议")
    opinion(member.union, title="同事的建议")
    page = client.get("/voice/").content.decode()
    assert "我的建议" in page and "同事的建议" not in page


# Back office ----------------------------------------------------------------------------


def test_a_liaison_records_an_opinion_for_a_member(client):
    union = UnionFactory()
    liaison = staff(union, Role.LIAISON)
    client.force_login(liaison)
    member = MemberFactory(union=union)
    response = client.post(
        "/admin/voice/opinion/add/",
        {
            "union": union.pk,
            "member": member.pk,
            "kind": "opinion",
            "category": "living",
            "title": "",
            "content": "夜班职工希望延长食堂供餐时间",
            "submitted_on": TODAY().isoformat(),
        },
    )
    assert response.status_code == 302
    found = Opinion.objects.get()
    assert found.recorded_by == liaison and found.member == member


def test_judging_invalid_without_a_reason_shows_the_message(client):
    found = opinion()
    client.force_login(staff(found.union))
    response = client.post(
        f"/admin/voice/items/{found.pk}/judge/", {"valid": "0", "on": TODAY().isoformat()}
    )
    assert "不予采纳须填写理由" in response.content.decode()


def test_the_chair_judges_assigns_implements_and_rewards(client):
    found = opinion()
    union = found.union
    client.force_login(staff(union))
    handler = MemberFactory(union=union)
    deadline = (TODAY() + timedelta(days=30)).isoformat()
    steps = [
        ("judge", {"valid": "1", "on": TODAY().isoformat()}),
        ("assign", {"handler": handler.pk, "deadline": deadline}),
        ("implement", {"on": TODAY().isoformat(), "implementation": "已落实"}),
        ("reward", {"amount": "100", "on": TODAY().isoformat()}),
    ]
    for step, data in steps:
        response = client.post(f"/admin/voice/items/{found.pk}/{step}/", data)
        assert response.status_code == 302, (step, response.content.decode()[:3000])
    found.refresh_from_db()
    assert found.state == State.IMPLEMENTED and found.rewarded_on == TODAY()


def test_a_chair_of_another_union_cannot_judge(client):
    found = opinion()
    client.force_login(staff(UnionFactory()))
    response = client.post(
        f"/admin/voice/items/{found.pk}/judge/", {"valid": "1", "on": TODAY().isoformat()}
    )
    assert response.status_code in (403, 404)
    found.refresh_from_db()
    assert found.state == State.SUBMITTED


def test_the_overdue_filter_lists_opinions_past_their_deadline(client):
    late = valid(submitted_on=TODAY() - timedelta(days=90))
    client.force_login(staff(late.union))
    page = client.get("/admin/voice/opinion/?overdue=yes").content.decode()
    assert "已逾期" in page
