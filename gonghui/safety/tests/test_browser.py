"""A hazard from a member's phone report with a photo to the supervisor's
verification: reception assigns it, the department handler records measures
and the rectification with evidence on a phone, a supervisor accepts it."""

from datetime import timedelta

import pytest
from django.test import Client
from PIL import Image

from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs.roles import Role
from gonghui.orgs.tests.factories import user_with_role
from gonghui.safety.models import Hazard, State
from gonghui.safety.tests.factories import Team, today

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def signed_in(page, user):
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": page.base}]
    )


def test_a_hazard_goes_from_a_phone_report_with_a_photo_to_verification(phone_page, page, tmp_path):
    team = Team()
    reporter = user_with_role(team.union, Role.MEMBER, password=None)
    MemberFactory(union=team.union, user=reporter, name="王芳")
    picture = tmp_path / "现场.jpg"
    Image.new("RGB", (64, 48), (220, 90, 30)).save(picture, "JPEG")

    signed_in(phone_page, reporter)
    phone_page.goto(phone_page.base + "/safety/")
    phone_page.get_by_role("link", name="上报隐患").click()
    phone_page.get_by_label("隐患地点").fill("实验楼二层走廊")
    phone_page.get_by_label("隐患描述").fill("灭火器压力不足，指针在红区")
    phone_page.get_by_label("类别").select_option("fire")
    phone_page.get_by_label("现场照片（可多张）").set_input_files(str(picture))
    phone_page.get_by_role("button", name="提交上报").click()
    phone_page.get_by_text("群监站会尽快交办").wait_for()
    phone_page.screenshot(path="/tmp/safety-phone-reported.png", full_page=True)
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    assert phone_page.locator(".photos img").count() == 1
    hazard = Hazard.objects.get()

    signed_in(page, team.clerk)
    page.goto(f"{page.base}/admin/safety/cards/{hazard.pk}/assign/")
    page.select_option("select[name=department]", str(team.department.pk))
    page.click("#safety-form button[type=submit]")
    page.wait_for_url("**/admin/safety/hazard/*/change/")

    signed_in(phone_page, team.handler)
    phone_page.goto(phone_page.base + "/safety/")
    phone_page.get_by_role("link", name="实验楼二层走廊").first.click()
    phone_page.get_by_label("整改措施").fill("更换同型号灭火器两具")
    phone_page.get_by_label("整改期限").fill((today() + timedelta(days=5)).isoformat())
    phone_page.get_by_role("button", name="保存措施和期限").click()
    phone_page.get_by_text("已记录整改措施和期限").wait_for()
    phone_page.get_by_label("整改情况").fill("已更换，压力正常")
    phone_page.get_by_label("整改依据（整改后照片等）").set_input_files(str(picture))
    phone_page.get_by_role("button", name="提交验收").click()
    phone_page.get_by_text("等待群众安全监督员验收").wait_for()
    phone_page.screenshot(path="/tmp/safety-phone-rectified.png", full_page=True)

    signed_in(page, team.supervisor)
    page.goto(f"{page.base}/admin/safety/cards/{hazard.pk}/verify/")
    assert page.locator("#evidence li").count() == 2
    page.select_option("select[name=accepted]", "yes")
    page.click("#safety-form button[type=submit]")
    page.wait_for_url("**/admin/safety/hazard/*/change/")
    page.screenshot(path="/tmp/safety-admin-verified.png", full_page=True)
    hazard.refresh_from_db()
    assert hazard.state == State.VERIFIED
    assert hazard.verified_by == team.supervisor

    signed_in(phone_page, reporter)
    phone_page.goto(f"{phone_page.base}/safety/cards/{hazard.pk}/")
    assert phone_page.locator("#state").inner_text() == "已验收"
    page.goto(f"{page.base}/admin/safety/cards/{hazard.pk}/print/")
    page.emulate_media(media="print")
    page.screenshot(path="/tmp/safety-card-print.png", full_page=True)
