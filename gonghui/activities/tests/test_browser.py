"""A member signs up for an activity on a phone."""

import pytest

from gonghui.activities.tests.factories import ActivityFactory
from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs.roles import Role
from gonghui.orgs.tests.factories import UnionFactory, user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_member_signs_up_on_the_portal_at_phone_width(phone_page, client):
    union = UnionFactory()
    user = user_with_role(union, Role.MEMBER)
    MemberFactory(union=union, user=user, name="王芳")
    activity = ActivityFactory(union=union, title="教职工气排球赛", capacity=12)
    client.force_login(user)
    session = client.cookies["sessionid"].value
    phone_page.context.add_cookies(
        [{"name": "sessionid", "value": session, "url": phone_page.base}]
    )

    phone_page.goto(phone_page.base + "/activities/")
    phone_page.get_by_role("link", name="教职工气排球赛").click()
    phone_page.get_by_role("button", name="我要报名").click()

    phone_page.get_by_text("报名成功").first.wait_for()
    assert phone_page.locator("#my-state").inner_text() == "已报名"
    phone_page.screenshot(path="/tmp/activities-phone-signed-up.png", full_page=True)
    assert activity.signups.admitted().count() == 1
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
