"""A chair generates March's newsletter in the browser, rewrites an item,
publishes it, and a member reads it with its photo on a phone."""

import io
import os
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from gonghui.attachments import services as attachments
from gonghui.members import services as members
from gonghui.members.tests.factories import MemberFactory
from gonghui.reports.models import Newsletter, NewsletterState
from gonghui.reports.tests.newsletter_records import month_of_records

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("GONGHUI_SCREENSHOTS")


def shot(page, name):
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"newsletter_{name}.png"), full_page=True)


def field_photo() -> SimpleUploadedFile:
    """A landscape photo big enough to be seen: sky, grass and a rope."""
    image = Image.new("RGB", (800, 500), (120, 170, 230))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 300, 800, 500), fill=(70, 150, 70))
    draw.line((60, 320, 740, 320), fill=(150, 100, 40), width=12)
    out = io.BytesIO()
    image.save(out, "JPEG")
    return SimpleUploadedFile("拔河现场.jpg", out.getvalue(), content_type="image/jpeg")


def _fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_chair_generates_edits_and_publishes_and_a_member_reads_it_on_a_phone(page, phone_page):
    month = month_of_records()
    attachments.attach(record=month.tug_of_war, upload=field_photo(), actor=month.chair)
    month.chair.set_password("pass-word-123")
    month.chair.save()
    reader = MemberFactory(union=month.union, name="林小燕", phone="13912345678")
    members.create_portal_account(member=reader, password="Lanhua-2024-yuan")

    page.goto(page.base + "/admin/login/")
    page.fill("input[name=username]", month.chair.username)
    page.fill("input[name=password]", "pass-word-123")
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/")
    page.goto(page.base + "/admin/reports/newsletters/new/")
    page.fill("input[name=month]", "2025-03")
    page.click("#reports-form button[type=submit]")
    page.wait_for_url("**/admin/reports/newsletters/*/")
    assert page.inner_text("#masthead") == "实验学校工会简报"
    assert "2025年3月" in page.inner_text("#lead")
    shot(page, "draft")

    # Rewrite the first item: a new headline and a sentence added to its text.
    page.locator(".nl-item").first.get_by_role("link", name="修改").click()
    page.wait_for_url("**/items/*/")
    page.fill("input[name=headline]", "拔河比赛决出冠军")
    editor = page.locator("#body-editor")
    editor.click()
    page.keyboard.press("Control+End")
    page.keyboard.type("赛场上加油声此起彼伏。")
    page.click("#save-item")
    page.wait_for_url("**/admin/reports/newsletters/*/")
    first = page.locator(".nl-item").first
    assert "拔河比赛决出冠军" in first.inner_text()
    assert "赛场上加油声此起彼伏。" in first.inner_text()

    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#publish")
    page.get_by_text("简报已发布，会员可在手机上阅读").wait_for()
    assert page.inner_text("#state") == "已发布"
    assert page.locator("#publish").count() == 0
    shot(page, "published")
    assert Newsletter.objects.get(union=month.union).state == NewsletterState.PUBLISHED

    phone = phone_page
    phone.goto(phone.base + "/newsletter/")
    phone.get_by_label("手机号码").fill("13912345678")
    phone.get_by_label("密码").fill("Lanhua-2024-yuan")
    phone.get_by_role("button", name="登录").click()
    phone.get_by_role("link", name="2025年3月工会工作动态").click()
    phone.locator("#masthead").wait_for()
    assert phone.inner_text("#masthead") == "实验学校工会简报"
    assert "拔河比赛决出冠军" in phone.inner_text("#newsletter")
    photos = phone.locator(".nl-photos img")
    widths = []
    for i in range(photos.count()):
        photos.nth(i).scroll_into_view_if_needed()
        phone.wait_for_function(
            "img => img.complete && img.naturalWidth > 0", arg=photos.nth(i).element_handle()
        )
        widths.append(photos.nth(i).evaluate("img => img.naturalWidth"))
    assert 800 in widths
    assert phone.locator("#newsletter a").count() == 0  # figures are plain text for members
    assert _fits_the_screen(phone)
    shot(phone, "phone")
