"""A member reads an open-affairs post on a phone, asks, and sees the reply."""

import pytest

from gonghui.disclosure import services
from gonghui.disclosure.models import Feedback, Read
from gonghui.disclosure.tests.factories import member_with_account, post
from gonghui.finance.tests.factories import staff
from gonghui.orgs.tests.factories import UnionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_member_reads_a_post_on_a_phone_and_asks_a_question(phone_page, client):
    union = UnionFactory(name="宁波市北仑区实验小学工会")
    member = member_with_account(union, name="王芳")
    item = post(
        union,
        title="2026年教职工奖励性绩效工资分配方案",
        body="<p>方案经教代会审议通过。</p><table><tr><th>岗位</th><th>系数</th></tr>"
        "<tr><td>班主任</td><td>1.2</td></tr></table>",
    )
    client.force_login(member.user)
    phone_page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": phone_page.base}]
    )

    phone_page.goto(phone_page.base + "/disclosure/")
    assert "1条未读" in phone_page.locator("h1").inner_text()
    phone_page.get_by_role("link", name="2026年教职工奖励性绩效工资分配方案").click()
    assert "班主任" in phone_page.locator("#post").inner_text()
    phone_page.get_by_role("button", name="提交").click()
    phone_page.get_by_text("请填写问题或意见内容").first.wait_for()
    phone_page.get_by_label("内容").fill("绩效工资什么时候发放？")
    phone_page.get_by_role("button", name="提交").click()
    phone_page.get_by_text("已提交，工会答复后会显示在本页。").wait_for()
    assert "等待工会答复" in phone_page.locator("#questions").inner_text()

    question = Feedback.objects.get()
    services.reply(feedback=question, reply="每月15日随工资发放。", public=True, actor=staff(union))
    phone_page.reload()
    assert "每月15日随工资发放。" in phone_page.locator("#questions").inner_text()
    phone_page.screenshot(path="/tmp/disclosure-phone-post.png", full_page=True)
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    assert Read.objects.filter(post=item, member=member).count() == 1
