"""A member gives and withdraws consent on her phone; a chair reviews the
access log and the members due for anonymisation."""

from datetime import date

import pytest

from gonghui.care.tests.factories import case
from gonghui.members import services as members
from gonghui.members.models import Status
from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs.roles import Role
from gonghui.orgs.tests.factories import UnionFactory, user_with_role
from gonghui.privacy.models import Consent

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _signed_in(page, client, user):
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": page.base}]
    )


def test_a_member_agrees_and_withdraws_on_her_phone(phone_page, client):
    union = UnionFactory(name="实验小学工会")
    user = user_with_role(union, Role.MEMBER, password=None)
    member = MemberFactory(union=union, user=user, name="王芳", gender="F")
    case(member, health_details="慢性肾病")
    _signed_in(phone_page, client, user)

    phone_page.goto(phone_page.base + "/")
    phone_page.get_by_role("link", name="个人信息与授权").click()
    four = phone_page.locator("#consent-four_period")
    four.get_by_text("我已阅读并理解上述告知").click()
    four.get_by_role("button", name="同意").click()
    phone_page.get_by_text("您已同意工会处理您的女职工四期信息").wait_for()
    assert Consent.objects.filter(member=member, category="four_period").exists()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    phone_page.screenshot(path="/tmp/privacy-phone-consents.png", full_page=True)

    phone_page.locator("#consent-health").get_by_role("button", name="撤回同意").click()
    phone_page.get_by_text("您已撤回对健康信息的同意").wait_for()
    assert Consent.objects.get(member=member, category="health").withdrawn_at is not None


def test_a_chair_reviews_the_access_log_and_the_due_list(page, client):
    union = UnionFactory(name="实验小学工会")
    chair = user_with_role(union, Role.CHAIR, display_name="李主席")
    member = MemberFactory(union=union, name="冯丽")
    members.reveal(member=member, field="id_number", reason="办理医保转移", user=chair)
    left = MemberFactory(union=union, name="郑红", joined_on=date(1995, 9, 1))
    members.change_status(member=left, to=Status.RETIRED, on=date(2015, 6, 30), reason="退休")
    _signed_in(page, client, chair)

    page.goto(page.base + "/admin/privacy/access-log/")
    page.get_by_text("办理医保转移").wait_for()
    page.screenshot(path="/tmp/privacy-access-log.png", full_page=True)

    page.goto(page.base + "/admin/privacy/due/")
    row = page.locator("tr", has_text="郑红")
    row.get_by_role("textbox").fill("匿名化")
    row.get_by_role("button", name="匿名化").click()
    page.get_by_text("已将郑红匿名化为“已匿名会员1”").wait_for()
    page.screenshot(path="/tmp/privacy-due.png", full_page=True)
