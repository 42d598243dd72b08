"""A treasurer attaches a photo of the receipt to a payment voucher in the browser."""

import os
from pathlib import Path

import pytest

from gonghui.attachments.models import Attachment
from gonghui.attachments.tests.factories import jpeg_with_gps
from gonghui.finance.tests.factories import BudgetLineFactory, pay
from gonghui.orgs.tests.factories import user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("GONGHUI_SCREENSHOTS")


def shot(page, name):
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"attachments_{name}.png"), full_page=True)


def test_a_receipt_photo_uploaded_on_a_payment_page_is_listed_there(page):
    payment = pay(BudgetLineFactory(name="职工文体活动"), "860.00", voucher="记-2025-047")
    user_with_role(payment.union, username="chair", password="pass-word-123")

    page.goto(page.base + "/admin/login/")
    page.fill("input[name=username]", "chair")
    page.fill("input[name=password]", "pass-word-123")
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/")
    page.goto(page.base + f"/admin/finance/payment/{payment.pk}/change/")
    assert "还没有附件" in page.locator("[data-attachments]").inner_text()
    page.click("[data-upload-attachment]")
    page.wait_for_url("**/admin/attachments/upload/**")
    page.set_input_files(
        "input[name=files]",
        files=[{"name": "收据.jpg", "mimeType": "image/jpeg", "buffer": jpeg_with_gps()}],
    )
    shot(page, "upload_form")
    page.click("#attachment-upload button[type=submit]")
    page.wait_for_url(f"**/admin/finance/payment/{payment.pk}/change/")
    shot(page, "payment_with_receipt")

    listed = page.locator("[data-attachments]").inner_text()
    assert "收据.jpg" in listed and "JPEG 图片" in listed
    assert "已上传附件：收据.jpg" in page.content()
    assert Attachment.objects.get().record == payment
