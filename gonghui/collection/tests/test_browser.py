"""In the browser: the city issues a request, the unit returns its locked
summary with one click from its dashboard, the board shows it submitted."""

import os
from datetime import date
from pathlib import Path

import pytest
from django.utils import timezone

from gonghui.collection.models import CollectionRequest
from gonghui.collection.tests.factories import SummaryReportFactory, tree
from gonghui.reports.models import ReportKind

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("GONGHUI_SCREENSHOTS")


def shot(page, name):
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"collection_{name}.png"), full_page=True)


def sign_in(page, username):
    page.context.clear_cookies()
    page.goto(page.base + "/admin/login/?next=/admin/collection/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "pass-word-123")
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/collection/")


def test_a_request_is_issued_returned_from_the_dashboard_and_shown_submitted(page):
    t = tree()
    unit = t.units[0]
    chair = t.chair(unit)
    year = timezone.localdate().year
    SummaryReportFactory(
        union=unit, kind=ReportKind.ANNUAL, start=date(year, 1, 1), end=date(year, 12, 31)
    )

    sign_in(page, t.staff.username)
    page.goto(page.base + "/admin/collection/collection-requests/new/")
    page.select_option("select[name=kind]", ReportKind.ANNUAL)
    page.fill("input[name=start]", f"{year}-01-01")
    page.fill("input[name=end]", f"{year}-12-31")
    page.fill("input[name=deadline]", f"{year + 1}-01-15")
    page.check(f"#districts input[value='{t.districts[0].pk}']")
    shot(page, "form")
    page.click("#request-form button[type=submit]")
    page.wait_for_selector("#board [data-count='waiting']")
    request = CollectionRequest.objects.get()
    assert page.inner_text("[data-count='waiting']") == "2"
    shot(page, "board_issued")

    sign_in(page, chair.username)
    page.goto(page.base + f"/admin/reports/?union={unit.pk}")
    page.wait_for_selector("#collection-notices")
    assert request.title in page.inner_text("#collection-notices")
    shot(page, "dashboard")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#collection-notices [data-submit-return]")
    page.wait_for_selector("text=已报送")
    assert not page.locator("#collection-notices [data-submit-return]").count()

    sign_in(page, t.staff.username)
    page.goto(page.base + f"/admin/collection/collection-requests/{request.pk}/")
    row = page.locator(f"#units tr[data-unit='{unit.pk}']")
    assert row.get_attribute("data-status") == "submitted"
    assert "已报送" in row.inner_text()
    assert page.inner_text("[data-count='submitted']") == "1"
    shot(page, "board_submitted")
