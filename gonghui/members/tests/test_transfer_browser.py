"""Two chairs in the browser: A starts a member's transfer, B accepts it, the
member appears in B's roster and stays in A's as closed history."""

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from gonghui.members import services
from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs.models import UnionKind
from gonghui.orgs.tests.factories import UnionFactory, user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("GONGHUI_SCREENSHOTS")


def shot(page, name):
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"transfer_{name}.png"), full_page=True)


def _sign_in(page, username):
    page.goto(page.base + "/admin/login/?next=/admin/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "pass-word-123")
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/")


def test_a_starts_a_transfer_b_accepts_and_the_member_moves_rosters(page, chromium):
    city = UnionFactory(name="市总工会", kind=UnionKind.FEDERATION)
    a = UnionFactory(name="甲公司工会", parent=city, kind=UnionKind.ENTERPRISE)
    b = UnionFactory(name="乙公司工会", parent=city, kind=UnionKind.ENTERPRISE)
    member = MemberFactory(union=a, name="张三")
    MemberFactory(union=b, name="李四")
    user_with_role(a, username="chair-a", password="pass-word-123")
    user_with_role(b, username="chair-b", password="pass-word-123")
    services.create_portal_account(member=member, password="pass-word-123")
    on = timezone.localdate() - timedelta(days=7)

    # A's chair starts the transfer from the member's page.
    _sign_in(page, "chair-a")
    page.goto(page.base + f"/admin/members/member/{member.pk}/change/")
    page.click("#start-transfer")
    page.wait_for_url("**/transfer/")
    page.fill("input[name=to_union]", "乙公司工会")
    page.fill("input[name=on]", on.isoformat())
    page.fill("input[name=reason]", "调入乙公司工作")
    shot(page, "start")
    page.get_by_role("button", name="发起转移").click()
    expect(page.locator("#transfer-actions")).to_contain_text("等待乙公司工会接收")

    # The member sees it waiting, on a phone.
    phone_ctx = chromium.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    phone = phone_ctx.new_page()
    phone.set_default_timeout(15_000)
    phone.goto(page.base + "/login/")
    phone.fill("input[name=username]", member.phone)
    phone.fill("input[name=password]", "pass-word-123")
    phone.click("button[type=submit]")
    phone.wait_for_url(page.base + "/")
    phone.goto(page.base + "/membership/transfers/")
    expect(phone.locator("#my-transfers")).to_contain_text("等待乙公司工会接收")

    # B's chair accepts in another browser.
    other = chromium.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    page_b = other.new_page()
    page_b.set_default_timeout(15_000)
    page_b.base = page.base
    _sign_in(page_b, "chair-b")
    page_b.goto(page.base + "/admin/members/transfer/")
    page_b.get_by_role("link", name="张三").click()
    page_b.get_by_role("link", name="接收转移").click()
    expect(page_b.locator("#transfer-lead")).to_contain_text("甲公司工会 → 乙公司工会")
    shot(page_b, "accept")
    page_b.get_by_role("button", name="确认接收").click()
    expect(page_b.locator("#transfer-actions")).to_contain_text("自该日起会员计入乙公司工会")
    page_b.goto(page.base + "/admin/members/member/")
    expect(page_b.locator("#result_list")).to_contain_text("张三")
    expect(page_b.locator("#result_list")).to_contain_text("李四")
    shot(page_b, "roster_b")
    other.close()

    # A's roster keeps the member, closed and read-only.
    page.goto(page.base + "/admin/members/member/?status__exact=transferred")
    expect(page.locator("#result_list")).to_contain_text("张三")
    expect(page.locator("#result_list")).to_contain_text("调出")
    page.goto(page.base + f"/admin/members/member/{member.pk}/change/")
    expect(page.locator("#closed-by-transfer")).to_contain_text("只读")
    expect(page.locator("#start-transfer")).to_have_count(0)
    shot(page, "closed_in_a")

    # The member now belongs to B, and sees the transfer done.
    phone.goto(page.base + "/membership/transfers/")
    expect(phone.locator("#my-transfers")).to_contain_text("已转移")
    phone.goto(page.base + "/")
    expect(phone.locator("body")).to_contain_text("乙公司工会")
    shot(phone, "portal")
    phone_ctx.close()
