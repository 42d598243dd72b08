"""A member signs up for an activity, and checks in by QR code, on a phone."""

from datetime import timedelta

import pytest
from django.utils import timezone

from gonghui.activities import services
from gonghui.activities.models import Attendance, CheckIn
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


def test_a_member_checks_in_by_the_venues_qr_code_at_phone_width(phone_page, client):
    union = UnionFactory()
    user = user_with_role(union, Role.MEMBER)
    member = MemberFactory(union=union, user=user, name="李娜")
    activity = ActivityFactory(
        union=union,
        title="三八妇女节健步走",
        starts_at=timezone.now() - timedelta(minutes=10),
        signup_opens_at=None,
        signup_closes_at=None,
    )
    token = services.issue_check_in_token(activity=activity).token
    client.force_login(user)
    phone_page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": phone_page.base}]
    )
    url = f"{phone_page.base}/activities/checkin/{token}/"

    phone_page.goto(url)
    assert phone_page.locator("h1").inner_text() == "三八妇女节健步走"
    phone_page.get_by_role("button", name="确认签到").click()

    phone_page.get_by_role("heading", name="签到成功").wait_for()
    phone_page.screenshot(path="/tmp/activities-phone-checked-in.png", full_page=True)
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    assert Attendance.objects.filter(activity=activity, member=member, how=CheckIn.QR).count() == 1

    phone_page.goto(url)
    assert "您已签到" in phone_page.locator("#checked-in").inner_text()
    assert phone_page.get_by_role("button", name="确认签到").count() == 0
    phone_page.screenshot(path="/tmp/activities-phone-checked-in-again.png", full_page=True)
    assert Attendance.objects.filter(activity=activity).count() == 1
