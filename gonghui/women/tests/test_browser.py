"""A woman member reads her own records on a phone; the view is logged."""

from datetime import date

import pytest

from gonghui.orgs.models import AccessLog
from gonghui.orgs.roles import Role
from gonghui.orgs.tests.factories import UnionFactory, user_with_role
from gonghui.women import services
from gonghui.women.models import CheckupKind
from gonghui.women.tests.factories import protection, woman

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_woman_member_sees_her_own_records_at_phone_width(phone_page, client):
    union = UnionFactory()
    user = user_with_role(union, Role.MEMBER, password=None)
    member = woman(union, user=user, name="王芳", birth_date=date(1982, 5, 1))
    protection(member, arrangements="调离夜班岗位，每日工间休息一小时", items="防辐射服一件")
    protection(woman(union), arrangements="别人的安排")
    campaign = services.create_campaign(
        union=union,
        year=2025,
        kind=CheckupKind.SCREENING,
        title="2025年女职工“两癌”筛查",
        starts_on=date(2025, 4, 1),
        ends_on=date(2025, 5, 10),
        min_age=35,
        provider="区妇幼保健院",
    )
    services.record_checkups(campaign=campaign, members=[member], done_on=date(2025, 4, 9))
    client.force_login(user)
    phone_page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": phone_page.base}]
    )

    phone_page.goto(phone_page.base + "/")
    phone_page.get_by_role("link", name="女职工服务").click()
    assert "已于4月9日体检" in phone_page.locator("#checkups").inner_text()
    assert not AccessLog.objects.exists()
    phone_page.get_by_role("link", name="查看我的四期保护记录").click()
    phone_page.get_by_text("调离夜班岗位").first.wait_for()

    page_text = phone_page.locator("main").inner_text()
    assert "孕期" in page_text and "调离夜班岗位" in page_text
    assert "别人的安排" not in page_text
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    phone_page.screenshot(path="/tmp/women-phone-own-records.png", full_page=True)
    assert AccessLog.objects.get().reason == "本人查看"
