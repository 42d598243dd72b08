"""The open-affairs endpoints: staff manage posts and answer; members read and ask."""

import pytest
from django.utils import timezone

from gonghui.api.tests.calls import call, token_for
from gonghui.disclosure import services
from gonghui.disclosure.models import Feedback, Post, Read
from gonghui.disclosure.tests.factories import member_with_account, post
from gonghui.finance.tests.factories import BudgetLineFactory, FiscalYearFactory, staff
from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs.roles import Role
from gonghui.orgs.tests.factories import UnionFactory

pytestmark = pytest.mark.django_db


def messages(response) -> dict:
    return {e["field"]: e["message"] for e in response.json()["errors"]}


def test_the_chair_publishes_a_post_and_the_body_is_sanitised():
    union = UnionFactory()
    response = call(
        "post",
        "disclosure/posts",
        token_for(staff(union)),
        {
            "union": union.pk,
            "category": "pay",
            "title": "年度绩效考核结果",
            "body": "<p>结果如下</p><script>x()</script>",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["publish_on"] == timezone.localdate().isoformat()
    assert "script" not in body["body"]


def test_an_empty_title_answers_400_in_chinese():
    union = UnionFactory()
    response = call(
        "post",
        "disclosure/posts",
        token_for(staff(union)),
        {"union": union.pk, "category": "pay", "title": " ", "body": "<p>x</p>"},
    )
    assert response.status_code == 400
    assert messages(response)["title"] == "标题不能为空"
    assert Post.objects.count() == 0


def test_an_unknown_category_answers_422():
    union = UnionFactory()
    response = call(
        "post",
        "disclosure/posts",
        token_for(staff(union)),
        {"union": union.pk, "category": "x", "title": "t", "body": "<p>x</p>"},
    )
    assert response.status_code == 422


def test_a_liaison_cannot_publish():
    union = UnionFactory()
    response = call(
        "post",
        "disclosure/posts",
        token_for(staff(union, Role.LIAISON)),
        {"union": union.pk, "category": "pay", "title": "t", "body": "<p>x</p>"},
    )
    assert response.status_code == 403


def test_the_list_shows_only_the_callers_unions():
    union = UnionFactory()
    post(union, title="本会")
    post(UnionFactory(), title="别会")
    response = call("get", "disclosure/posts", token_for(staff(union)))
    assert [p["title"] for p in response.json()["items"]] == ["本会"]


def test_another_unions_post_is_404():
    item = post(UnionFactory())
    assert (
        call("get", f"disclosure/posts/{item.pk}", token_for(staff(UnionFactory()))).status_code
        == 404
    )


def test_the_chair_edits_and_withdraws_a_post():
    union = UnionFactory()
    key = token_for(staff(union))
    item = post(union)
    response = call(
        "put",
        f"disclosure/posts/{item.pk}",
        key,
        {
            "category": "pay",
            "title": "更正",
            "body": "<p>更正</p>",
            "audience": "all",
            "publish_on": item.publish_on.isoformat(),
        },
    )
    assert response.json()["title"] == "更正"
    response = call("post", f"disclosure/posts/{item.pk}/withdraw", key, {"reason": "过期"})
    assert response.json()["withdraw_reason"] == "过期"


def test_withdrawing_without_a_reason_answers_400():
    union = UnionFactory()
    item = post(union)
    response = call(
        "post", f"disclosure/posts/{item.pk}/withdraw", token_for(staff(union)), {"reason": ""}
    )
    assert response.status_code == 400
    assert messages(response)["withdraw_reason"] == "请填写撤下原因"


def test_the_read_list_names_the_readers():
    union = UnionFactory()
    item = post(union)
    services.record_read(post=item, member=MemberFactory(union=union, name="王芳"))
    response = call("get", f"disclosure/posts/{item.pk}/reads", token_for(staff(union)))
    assert [r["member_name"] for r in response.json()["items"]] == ["王芳"]


def test_the_chair_lists_unanswered_questions_and_replies():
    union = UnionFactory()
    key = token_for(staff(union))
    question = services.ask(post=post(union), member=MemberFactory(union=union), content="问")
    listed = call("get", "disclosure/feedback", key, {"answered": "false"}).json()["items"]
    assert [f["id"] for f in listed] == [question.pk]
    response = call(
        "post", f"disclosure/feedback/{question.pk}/reply", key, {"reply": "答", "public": False}
    )
    assert response.json()["reply_public"] is False


def test_an_empty_reply_answers_400():
    union = UnionFactory()
    question = services.ask(post=post(union), member=MemberFactory(union=union), content="问")
    response = call(
        "post", f"disclosure/feedback/{question.pk}/reply", token_for(staff(union)), {"reply": ""}
    )
    assert response.status_code == 400
    assert messages(response)["reply"] == "答复内容不能为空"


def test_the_budget_is_published_from_the_ledger():
    union = UnionFactory()
    year = FiscalYearFactory(union=union, year=timezone.localdate().year)
    BudgetLineFactory(fiscal_year=year, name="职工书屋")
    response = call("post", "disclosure/budgets", token_for(staff(union)), {"fiscal_year": year.pk})
    assert response.status_code == 201
    assert response.json()["source"] == {"type": "finance.FiscalYear", "id": year.pk}


def test_another_unions_fiscal_year_is_not_found():
    year = FiscalYearFactory(union=UnionFactory())
    response = call(
        "post", "disclosure/budgets", token_for(staff(UnionFactory())), {"fiscal_year": year.pk}
    )
    assert response.status_code in (400, 403)
    assert Post.objects.count() == 0


def test_a_member_reads_a_post_and_asks_through_their_own_token():
    union = UnionFactory()
    member = member_with_account(union)
    item = post(union)
    key = token_for(member.user)
    listed = call("get", "disclosure/my/posts", key).json()["items"]
    assert listed[0]["read"] is False
    detail = call("get", f"disclosure/my/posts/{item.pk}", key)
    assert detail.status_code == 200
    assert Read.objects.filter(member=member, post=item).exists()
    response = call(
        "post", f"disclosure/my/posts/{item.pk}/questions", key, {"content": "何时执行？"}
    )
    assert response.status_code == 201
    assert Feedback.objects.get().member == member


def test_a_member_asking_an_empty_question_gets_400_in_chinese():
    union = UnionFactory()
    member = member_with_account(union)
    item = post(union)
    response = call(
        "post", f"disclosure/my/posts/{item.pk}/questions", token_for(member.user), {"content": ""}
    )
    assert response.status_code == 400
    assert messages(response)["content"] == "请填写问题或意见内容"


def test_a_representatives_post_is_404_for_an_ordinary_members_token():
    union = UnionFactory()
    member = member_with_account(union)
    item = post(union, audience="representatives")
    assert call("get", f"disclosure/my/posts/{item.pk}", token_for(member.user)).status_code == 404
