"""A member gives to a campaign on a phone and sees the total move."""

from datetime import timedelta

import pytest
from django.utils import timezone

from gonghui.care.models import Donation
from gonghui.care.tests.factories import campaign, donate
from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs.roles import Role
from gonghui.orgs.tests.factories import UnionFactory, user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_member_donates_on_a_phone_and_sees_the_total_move(phone_page, client):
    union = UnionFactory()
    user = user_with_role(union, Role.MEMBER, password=None)
    member = MemberFactory(union=union, user=user, name="王芳")
    today = timezone.localdate()
    run = campaign(
        union,
        purpose="为身患重病的张老师募捐",
        beneficiary_name="张老师",
        opens_on=today - timedelta(days=2),
        closes_on=today + timedelta(days=12),
    )
    donate(run, "500.00", on=today, donor_name="校友李先生", show_amount=True)
    client.force_login(user)
    phone_page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": phone_page.base}]
    )

    phone_page.goto(phone_page.base + "/")
    phone_page.get_by_role("link", name="关怀帮扶").click()
    phone_page.get_by_role("link", name="为身患重病的张老师募捐").click()
    assert phone_page.locator("#total").inner_text() == "500.00 元"
    phone_page.get_by_label("捐款金额（元）").fill("200.50")
    phone_page.get_by_label("捐款方式").select_option("alipay")
    phone_page.get_by_label("同意在捐款公示中显示我的捐款金额").check()
    phone_page.get_by_role("button", name="确认捐款").click()

    phone_page.get_by_text("感谢您的爱心！已记录您的捐款200.50元").wait_for()
    assert phone_page.locator("#total").inner_text() == "700.50 元"
    assert phone_page.locator("#donors").inner_text() == "2"
    assert "王芳 200.50 元" in phone_page.locator("#shown").inner_text()
    phone_page.screenshot(path="/tmp/care-phone-donated.png", full_page=True)
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    assert Donation.objects.get(donor=member).channel == "alipay"
