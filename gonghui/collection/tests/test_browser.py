"""In the browser: the city issues a request, the unit returns its locked
summary with one click from its dashboard, the board shows it submitted."""

import os
from datetime import date
from pathlib import Path

import pytest
from django.utils import timezone

from gonghui.collection import services
from gonghui.collection.models import STATISTICS, CollectionRequest, Submission
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


def test_the_consolidated_report_is_edited_saved_as_a_version_and_locked(page):
    t = tree()
    year = timezone.localdate().year
    request = services.issue_request(
        union=t.city,
        kind=STATISTICS,
        start=date(year, 1, 1),
        end=date(year, 12, 31),
        deadline=date(year + 1, 1, 15),
        everyone=True,
        actor=t.staff,
    )
    report = services.draft_consolidated(request=request, actor=t.staff)
    unit = t.units[0]
    services.submit_return(
        submission=Submission.objects.get(request=request, union=unit), actor=t.chair(unit)
    )
    url = page.base + f"/admin/collection/consolidated-reports/{report.pk}/"

    sign_in(page, t.staff.username)
    page.goto(url)
    page.wait_for_selector("#stale")
    assert page.locator("#report-body a.fig.stale").count() >= 1
    shot(page, "consolidated_stale")
    page.click("#edit")
    page.locator("#report-body p").last.click()
    page.keyboard.press("End")
    page.keyboard.type("市总工会将于年底前组织专项督查。")
    shot(page, "consolidated_editing")
    page.click("#save")
    page.wait_for_selector("text=已保存为第2版")
    assert "专项督查" in page.inner_text("#report-body")
    drafted_links = report.versions.get(number=1).body.count('class="fig"')
    assert page.locator("#report-body a.fig").count() == drafted_links > 0

    page.click("#versions a:has-text('第1版')")
    page.wait_for_selector("#old-version")
    assert "专项督查" not in page.inner_text("#report-body")
    assert not page.locator("#edit").count()
    shot(page, "consolidated_old_version")

    page.goto(url)
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#lock-report")
    page.wait_for_selector("text=汇总报告已定稿")
    assert page.inner_text("#state") == "已定稿"
    assert not page.locator("#edit").count() and not page.locator("#stale").count()
    shot(page, "consolidated_locked")


def test_a_return_is_sent_back_and_the_unit_sees_why_on_its_dashboard(page):
    t = tree()
    unit = t.units[0]
    chair = t.chair(unit)
    year = timezone.localdate().year
    request = services.issue_request(
        union=t.city,
        kind=STATISTICS,
        start=date(year, 1, 1),
        end=date(year, 12, 31),
        deadline=date(year + 1, 1, 15),
        everyone=True,
        actor=t.staff,
    )
    s = Submission.objects.get(request=request, union=unit)
    services.submit_return(submission=s, actor=chair)

    sign_in(page, t.staff.username)
    page.goto(page.base + f"/admin/collection/submissions/{s.pk}/")
    page.fill("#send-back input[name=reason]", "会员人数与年报不一致，请核对后重新报送")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#send-back button")
    page.wait_for_selector("[data-earlier='1']")
    assert page.inner_text("#status") == "退回重报"
    shot(page, "sent_back")
    page.goto(page.base + f"/admin/collection/collection-requests/{request.pk}/")
    page.click("#change-request summary")
    shot(page, "board_change_request")

    sign_in(page, chair.username)
    page.goto(page.base + f"/admin/reports/?union={unit.pk}")
    page.wait_for_selector("#collection-notices [data-sent-back]")
    assert "会员人数与年报不一致" in page.inner_text("#collection-notices")
    shot(page, "dashboard_sent_back")
