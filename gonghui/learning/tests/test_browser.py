"""A member answers today's question and takes an exam on a phone; the exam
cannot be taken twice."""

import pytest
from django.utils import timezone

from gonghui.learning import services
from gonghui.learning.models import Attempt, QuestionKind
from gonghui.learning.tests.factories import exam, question, true_false
from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs.roles import Role
from gonghui.orgs.tests.factories import UnionFactory, user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def signed_in(phone_page, client, union):
    user = user_with_role(union, Role.MEMBER, password=None)
    member = MemberFactory(union=union, user=user, name="李梅")
    client.force_login(user)
    phone_page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": phone_page.base}]
    )
    return member


def test_a_member_takes_an_exam_at_phone_width_and_cannot_take_it_again(phone_page, client):
    union = UnionFactory()
    member = signed_in(phone_page, client, union)
    services.set_daily_question(
        union=union,
        on=timezone.localdate(),
        question=true_false(union, text="职工代表大会每年至少召开一次。"),
    )
    single = question(
        union, text="发现火灾应立即拨打哪个电话？", choices=["110", "119", "120"], answer=[1]
    )
    multi = question(
        union,
        kind=QuestionKind.MULTIPLE,
        text="女职工“四期”保护包括哪些？",
        choices=["经期", "孕期", "产期", "哺乳期"],
        answer=[0, 1, 2, 3],
    )
    paper = exam(union, questions=[single, multi], title="安全生产月知识竞赛")

    phone_page.goto(phone_page.base + "/")
    phone_page.get_by_role("link", name="学习答题").click()
    phone_page.get_by_label("A. 正确").check()
    phone_page.get_by_role("button", name="提交答案").click()
    phone_page.locator("#daily-result").get_by_text("回答正确").wait_for()

    phone_page.get_by_role("link", name="安全生产月知识竞赛").click()
    phone_page.get_by_label("B. 119").check()
    for letter in "ABC":
        phone_page.get_by_label(f"{letter}. {multi.choices['ABC'.index(letter)]}").check()
    phone_page.screenshot(path="/tmp/learning-phone-exam.png", full_page=True)
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    phone_page.get_by_role("button", name="交卷").click()

    phone_page.locator("#score").get_by_text("50 分").wait_for()
    assert phone_page.locator("#passed").inner_text() == "不合格"
    phone_page.screenshot(path="/tmp/learning-phone-result.png", full_page=True)
    assert phone_page.get_by_role("button", name="交卷").count() == 0

    phone_page.goto(phone_page.base + f"/learning/exams/{paper.pk}/")
    assert "每人只能作答一次" in phone_page.locator("main").inner_text()
    assert phone_page.get_by_role("button", name="交卷").count() == 0
    assert Attempt.objects.filter(member=member).count() == 1
