"""The members' open-affairs pages and the back-office steps."""

from datetime import timedelta

import pytest
from django.utils import timezone

from gonghui.disclosure import services
from gonghui.disclosure.models import Feedback, Post, Read
from gonghui.disclosure.tests.factories import member_with_account, post
from gonghui.finance.tests.factories import BudgetLineFactory, FiscalYearFactory, staff
from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs.roles import Role
from gonghui.orgs.tests.factories import UnionFactory

pytestmark = pytest.mark.django_db


def signed_in_member(client, union=None, **kwargs):
    member = member_with_account(union or UnionFactory(), **kwargs)
    client.force_login(member.user)
    return member


# Portal ---------------------------------------------------------------------------------


def test_the_list_shows_the_members_posts_marked_unread_and_not_other_unions(client):
    member = signed_in_member(client)
    post(member.union, title="食堂伙食补贴调整")
    post(UnionFactory(), title="别家工会的公开")
    page = client.get("/disclosure/").content.decode()
    assert "食堂伙食补贴调整" in page
    assert "未读" in page
    assert "别家工会的公开" not in page


def test_opening_a_post_records_the_read(client):
    member = signed_in_member(client)
    item = post(member.union)
    response = client.get(f"/disclosure/{item.pk}/")
    assert response.status_code == 200
    assert Read.objects.filter(post=item, member=member).exists()


def test_a_post_of_another_union_is_404_and_not_named(client):
    signed_in_member(client)
    item = post(UnionFactory(), title="保密的标题")
    response = client.get(f"/disclosure/{item.pk}/")
    assert response.status_code == 404
    assert "保密的标题" not in response.content.decode()


def test_a_representatives_post_is_404_for_an_ordinary_member(client):
    member = signed_in_member(client)
    item = post(member.union, audience="representatives")
    assert client.get(f"/disclosure/{item.pk}/").status_code == 404


def test_a_member_asks_a_question_from_the_post_page(client):
    member = signed_in_member(client)
    item = post(member.union)
    response = client.post(
        f"/disclosure/{item.pk}/ask/", {"kind": "question", "content": "新方案何时执行？"}
    )
    assert response.status_code == 302
    assert Feedback.objects.get().member == member


def test_an_empty_question_shows_a_chinese_message_and_writes_nothing(client):
    member = signed_in_member(client)
    item = post(member.union)
    response = client.post(f"/disclosure/{item.pk}/ask/", {"kind": "question", "content": ""})
    assert response.status_code == 400
    assert "请填写问题或意见内容" in response.content.decode()
    assert Feedback.objects.count() == 0


def test_the_post_body_is_shown_sanitised(client):
    member = signed_in_member(client)
    item = post(member.union, body="<p>正文<img src=x onerror=alert(1)></p>")
    page = client.get(f"/disclosure/{item.pk}/").content.decode()
    assert "正文" in page and "onerror" not in page


# Back office ------------------------------------------------------------------------------


def test_the_chair_publishes_a_post_from_the_add_page(client):
    union = UnionFactory()
    client.force_login(staff(union))
    today = timezone.localdate()
    response = client.post(
        "/admin/disclosure/post/add/",
        {
            "union": union.pk,
            "category": "business",
            "title": "2026年生产经营目标",
            "body": "<p>全年产值目标3.2亿元。</p>",
            "audience": "all",
            "publish_on": today.isoformat(),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Post.objects.get().title == "2026年生产经营目标"


def test_a_post_without_a_title_shows_a_chinese_message(client):
    union = UnionFactory()
    client.force_login(staff(union))
    response = client.post(
        "/admin/disclosure/post/add/",
        {
            "union": union.pk,
            "category": "business",
            "title": "",
            "body": "<p>x</p>",
            "audience": "all",
            "publish_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 200
    assert Post.objects.count() == 0


def test_a_withdraw_date_before_publishing_shows_the_services_message(client):
    union = UnionFactory()
    client.force_login(staff(union))
    today = timezone.localdate()
    response = client.post(
        "/admin/disclosure/post/add/",
        {
            "union": union.pk,
            "category": "other",
            "title": "通知",
            "body": "<p>x</p>",
            "audience": "all",
            "publish_on": today.isoformat(),
            "withdraw_on": (today - timedelta(days=2)).isoformat(),
        },
    )
    assert "不能早于发布日期" in response.content.decode()
    assert Post.objects.count() == 0


def test_the_chair_withdraws_a_post(client):
    union = UnionFactory()
    client.force_login(staff(union))
    item = post(union)
    response = client.post(
        f"/admin/disclosure/items/{item.pk}/withdraw/",
        {"on": timezone.localdate().isoformat(), "reason": "已过公示期"},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.withdraw_reason == "已过公示期"


def test_the_chair_edits_a_post(client):
    union = UnionFactory()
    client.force_login(staff(union))
    item = post(union)
    response = client.post(
        f"/admin/disclosure/items/{item.pk}/edit/",
        {
            "category": "pay",
            "title": "更正后的标题",
            "body": "<p>更正</p>",
            "audience": "all",
            "publish_on": item.publish_on.isoformat(),
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.title == "更正后的标题"


def test_the_chair_replies_privately(client):
    union = UnionFactory()
    client.force_login(staff(union))
    question = services.ask(post=post(union), member=MemberFactory(union=union), content="问")
    response = client.post(f"/admin/disclosure/questions/{question.pk}/reply/", {"reply": "答"})
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.reply == "答" and question.reply_public is False


def test_a_chair_of_another_union_cannot_reply(client):
    question = services.ask(
        post=post(union := UnionFactory()), member=MemberFactory(union=union), content="问"
    )
    client.force_login(staff(UnionFactory()))
    response = client.post(f"/admin/disclosure/questions/{question.pk}/reply/", {"reply": "答"})
    assert response.status_code in (403, 404)
    question.refresh_from_db()
    assert question.reply == ""


def test_the_budget_page_publishes_the_budget(client):
    union = UnionFactory()
    client.force_login(staff(union))
    year = FiscalYearFactory(union=union, year=timezone.localdate().year)
    BudgetLineFactory(fiscal_year=year, name="职工疗休养")
    response = client.post(
        "/admin/disclosure/budgets/publish/", {"fiscal_year": year.pk, "what": "budget"}
    )
    assert response.status_code == 302
    assert "职工疗休养" in Post.objects.get().body


def test_a_liaison_cannot_open_the_budget_page(client):
    union = UnionFactory()
    client.force_login(staff(union, Role.LIAISON))
    assert client.get("/admin/disclosure/budgets/publish/").status_code == 403


def test_the_post_page_shows_the_read_rate(client):
    union = UnionFactory()
    client.force_login(staff(union))
    item = post(union)
    reader = MemberFactory(union=union)
    MemberFactory(union=union)
    services.record_read(post=item, member=reader)
    page = client.get(f"/admin/disclosure/post/{item.pk}/change/").content.decode()
    assert "阅读 1 / 2 人（50.0%）" in page


def test_the_read_list_of_one_post_names_its_readers(client):
    union = UnionFactory()
    client.force_login(staff(union))
    item, other = post(union), post(union, title="另一项")
    services.record_read(post=item, member=MemberFactory(union=union, name="赵敏"))
    services.record_read(post=other, member=MemberFactory(union=union, name="刘洋"))
    response = client.get(f"/admin/disclosure/read/?post__id__exact={item.pk}")
    assert response.status_code == 200
    page = response.content.decode()
    assert "赵敏" in page and "刘洋" not in page
