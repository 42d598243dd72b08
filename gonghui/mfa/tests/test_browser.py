"""In Chromium: the Content Security Policy breaks nothing on the main pages,
and a chair binds an authenticator and signs in with a code."""

import base64
import os
import time
from pathlib import Path

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import expect

from gonghui.members import services as members
from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs.roles import Role
from gonghui.orgs.tests.factories import GroupFactory, UnionFactory, user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("GONGHUI_SCREENSHOTS")
PASSWORD = "pass-word-123"

# Collected in the page itself: Chromium fires this event for every refused
# script, style, frame or eval, whether or not it also logs to the console.
WATCH_POLICY = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline")
    + " " + (e.sourceFile || "") + ":" + (e.lineNumber || ""));
});
"""


def shot(page, name):
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"mfa_{name}.png"), full_page=True)


def watch(page) -> list[str]:
    """Console messages about the policy (or eval) for the whole page's life."""
    messages: list[str] = []
    page.add_init_script(WATCH_POLICY)
    page.on(
        "console",
        lambda m: (
            messages.append(m.text)
            if "Content Security Policy" in m.text or "EvalError" in m.text
            else None
        ),
    )
    page.on("pageerror", lambda e: messages.append(f"page error: {e}"))
    return messages


def violations(page) -> list[str]:
    return page.evaluate("window.__cspViolations || []")


def sign_in(page, username, next_path="/admin/"):
    page.goto(page.base + f"/admin/login/?next={next_path}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")


def test_the_main_back_office_pages_and_the_portal_run_without_policy_violations(page):
    union = UnionFactory(name="实验小学工会")
    group = GroupFactory(union=union, name="语文组")
    member = MemberFactory(union=union, name="张三", group=group, phone="13912345678")
    members.create_portal_account(member=member, password="Lanhua-2024-yuan")
    user_with_role(union, Role.CHAIR, username="chair", password=PASSWORD)
    console = watch(page)

    sign_in(page, "chair")
    page.wait_for_url("**/admin/")
    pages = [
        "/admin/",
        "/admin/members/member/",
        f"/admin/members/member/{member.pk}/change/",
        "/admin/reports/",
        "/admin/orgs/union/",
        "/admin/finance/",
        "/admin/mfa/",
    ]
    seen = {}
    for path in pages:
        page.goto(page.base + path)
        page.wait_for_load_state("networkidle")
        seen[path] = violations(page)
        if path == "/admin/mfa/":
            shot(page, "manage")
    # Alpine.js is running (it needs 'unsafe-eval'): the account menu opens.
    page.goto(page.base + "/admin/")
    page.wait_for_load_state("networkidle")
    assert page.evaluate("typeof window.Alpine") == "object"

    page.context.clear_cookies()
    page.goto(page.base + "/login/")
    page.get_by_label("手机号码").fill("13912345678")
    page.get_by_label("密码").fill("Lanhua-2024-yuan")
    page.get_by_role("button", name="登录").click()
    page.get_by_role("heading", name="张三").wait_for()
    seen["/"] = violations(page)

    assert {path: found for path, found in seen.items() if found} == {}
    assert console == []


def _code(secret: str) -> str:
    key = base64.b32decode(secret.replace(" ", ""))
    totp = TOTP(key)
    totp.time = time.time()
    return f"{totp.token():06d}"


def test_a_chair_binds_an_authenticator_and_signs_in_with_a_code_next_time(page, settings):
    settings.GONGHUI_MFA_ROLES = ["chair"]
    union = UnionFactory(name="实验小学工会")
    user_with_role(union, Role.CHAIR, username="chair", password=PASSWORD)
    console = watch(page)

    sign_in(page, "chair")
    page.get_by_role("button", name="完成绑定").wait_for()
    expect(page.locator("#mfa-qr svg")).to_be_visible()
    shot(page, "setup")
    secret = page.locator("#mfa-secret").inner_text()
    page.get_by_label("验证码").fill("000000" if _code(secret) != "000000" else "111111")
    page.get_by_role("button", name="完成绑定").click()
    page.get_by_text("验证码不正确").wait_for()
    page.get_by_label("验证码").fill(_code(secret))
    page.get_by_role("button", name="完成绑定").click()
    codes = page.locator("#recovery-codes li")
    expect(codes).to_have_count(10)
    recovery = codes.all_inner_texts()
    shot(page, "codes")
    page.get_by_text("我已保存，继续").click()
    page.wait_for_url("**/admin/")

    page.context.clear_cookies()
    sign_in(page, "chair")
    page.get_by_role("button", name="验证并进入后台").wait_for()
    shot(page, "verify")
    page.get_by_label("验证码").fill("abcd-2345")
    page.get_by_role("button", name="验证并进入后台").click()
    page.get_by_text("再输错4次将锁定").wait_for()
    page.get_by_label("验证码").fill(recovery[0])
    page.get_by_role("button", name="验证并进入后台").click()
    page.wait_for_url("**/admin/")
    page.get_by_text("已使用一个恢复码，还剩9个").wait_for()
    assert violations(page) == []
    assert console == []
