"""The portal in a phone-sized Chromium: sign-in and joining online."""

from datetime import date

import pytest

from gonghui import idcard
from gonghui.members import services
from gonghui.members.models import Application
from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs.tests.factories import DepartmentFactory, UnionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = "/tmp"


def _fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_member_signs_in_on_a_phone_and_sees_their_name(phone_page):
    member = MemberFactory(
        name="王小明", phone="13912345678", union=UnionFactory(name="阳光小学工会")
    )
    services.create_portal_account(member=member, password="Lanhua-2024-yuan")
    page = phone_page
    page.goto(page.base + "/")
    assert page.url.endswith("/login/?next=/")
    page.get_by_label("手机号码").fill("139 1234 5678")
    page.get_by_label("密码").fill("Lanhua-2024-yuan")
    page.screenshot(path=f"{SHOTS}/portal_login_390.png", full_page=True)
    page.get_by_role("button", name="登录").click()
    page.get_by_role("heading", name="王小明").wait_for()
    assert "139****5678" in page.content()
    assert _fits_the_screen(page)
    page.screenshot(path=f"{SHOTS}/portal_home_390.png", full_page=True)


def test_joining_on_a_phone_shows_an_error_then_files_the_application(phone_page):
    union = UnionFactory(code="yangguang", name="阳光小学工会")
    DepartmentFactory(union=union, name="教务处")
    good = idcard.make("330206", date(1990, 1, 2), 5, "F")
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    page = phone_page
    page.goto(page.base + "/join/yangguang/")
    page.get_by_label("姓名").fill("陈静")
    page.get_by_label("身份证号").fill(bad)
    page.get_by_label("手机号码").fill("13912345678")
    page.get_by_label("部门").select_option(label="教务处")
    page.get_by_label("我已阅读并同意").check()
    page.get_by_role("button", name="提交申请").click()
    page.get_by_text("身份证号校验位错误").wait_for()
    page.set_viewport_size({"width": 360, "height": 780})
    assert _fits_the_screen(page)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=f"{SHOTS}/portal_join_error_390.png", full_page=True)
    page.get_by_label("身份证号").fill(good)
    page.get_by_label("我已阅读并同意").check()
    page.get_by_role("button", name="提交申请").click()
    page.get_by_role("heading", name="申请已提交，等待审核").wait_for()
    page.screenshot(path=f"{SHOTS}/portal_join_done_390.png", full_page=True)
    assert Application.objects.get().name == "陈静"
