"""A member submits a suggestion on a phone and follows it to implemented."""

from datetime import timedelta

import pytest
from django.utils import timezone

from gonghui.disclosure.tests.factories import member_with_account
from gonghui.finance.tests.factories import staff
from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs.tests.factories import DepartmentFactory, UnionFactory
from gonghui.voice import services
from gonghui.voice.models import Opinion

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_member_submits_a_suggestion_and_follows_it_to_implemented(phone_page, client):
    union = UnionFactory(name="宁波港机械厂工会", kind="enterprise")
    member = member_with_account(union, name="陈静")
    client.force_login(member.user)
    phone_page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": phone_page.base}]
    )

    phone_page.goto(phone_page.base + "/voice/")
    phone_page.get_by_role("link", name="提意见建议").click()
    phone_page.get_by_label("类型").select_option("suggestion")
    phone_page.get_by_label("类别").select_option("safety")
    phone_page.get_by_role("button", name="提交").click()
    phone_page.get_by_text("请填写意见或建议内容").first.wait_for()
    phone_page.get_by_label("标题（可不填）").fill("叉车作业区加装警示灯")
    phone_page.get_by_label("意见或建议内容").fill("叉车倒车视线受阻，建议加装蓝光警示灯。")
    phone_page.get_by_role("button", name="提交").click()
    phone_page.get_by_text("已提交，工会认定和办理的进展会显示在本页。").wait_for()
    assert phone_page.locator("#state").inner_text() == "待认定"
    phone_page.screenshot(path="/tmp/voice-phone-submitted.png", full_page=True)

    opinion = Opinion.objects.get(member=member)
    chair = staff(union)
    today = timezone.localdate()
    department = DepartmentFactory(union=union, name="安全环保部")
    services.judge(opinion=opinion, valid=True, actor=chair)
    services.assign(
        opinion=opinion,
        handler_department=department,
        handler=MemberFactory(union=union),
        deadline=today + timedelta(days=15),
        actor=chair,
    )
    phone_page.reload()
    assert phone_page.locator("#state").inner_text() == "办理中"
    assert "交安全环保部办理" in phone_page.locator("#progress").inner_text()

    services.implement(
        opinion=opinion, on=today, implementation="已为全部6台叉车加装警示灯。", actor=chair
    )
    services.reward(opinion=opinion, amount="200", on=today, actor=chair)
    phone_page.goto(phone_page.base + "/voice/")
    phone_page.get_by_role("link", name="叉车作业区加装警示灯").click()
    assert phone_page.locator("#state").inner_text() == "已落实"
    progress = phone_page.locator("#progress").inner_text()
    assert "已为全部6台叉车加装警示灯。" in progress
    assert "获得奖励 200.00 元" in progress
    phone_page.screenshot(path="/tmp/voice-phone-implemented.png", full_page=True)
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
