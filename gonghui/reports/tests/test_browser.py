"""A chair drafts a summary in the browser, follows a figure to its records,
edits the text and downloads the Word file."""

import io
import os
from datetime import date
from pathlib import Path

import pytest
from docx import Document

from gonghui.activities.models import Attendance, CheckIn
from gonghui.activities.tests.factories import ActivityFactory
from gonghui.care.tests.factories import visit
from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs.tests.factories import UnionFactory, user_with_role
from gonghui.reports.models import SummaryReport

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("GONGHUI_SCREENSHOTS")


def shot(page, name):
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"reports_{name}.png"), full_page=True)


def test_a_chair_drafts_follows_a_figure_edits_and_exports_a_summary(page):
    union = UnionFactory(name="实验学校工会")
    members = MemberFactory.create_batch(4, union=union)
    visit(union, members[:2], on=date(2025, 3, 10))
    visit(union, members[2:3], on=date(2025, 5, 20))
    activity = ActivityFactory(union=union, title="教职工拔河比赛")
    for m in members[:3]:
        Attendance.objects.create(
            union=union, activity=activity, member=m, how=CheckIn.LIST, at=activity.starts_at
        )
    user_with_role(union, username="chair", password="pass-word-123")
    page.goto(page.base + "/admin/login/")
    page.fill("input[name=username]", "chair")
    page.fill("input[name=password]", "pass-word-123")
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/")

    page.goto(page.base + "/admin/reports/summaries/new/")
    page.select_option("select[name=kind]", "annual")
    page.fill("input[name=start]", "2025-01-01")
    page.fill("input[name=end]", "2025-12-31")
    page.click("#reports-form button[type=submit]")
    page.wait_for_url("**/admin/reports/summaries/*/")
    shot(page, "draft")
    assert "实验学校工会2025年度工作总结" in page.inner_text("#report-body h1")

    page.click('#report-body a.fig[href*="/metric/care.visits/"]')
    page.wait_for_url("**/admin/reports/metric/care.visits/**")
    shot(page, "figure_records")
    assert "慰问次数：2次" in page.content()
    assert page.locator("#records tbody tr").count() == 2
    page.go_back()

    page.click("#edit")
    first = page.locator("#report-body p").first
    first.click()
    page.keyboard.press("End")
    page.keyboard.type("全体会员团结一心。")
    page.click("#save")
    page.wait_for_selector("#versions tr:nth-child(2)")
    shot(page, "edited")
    report = SummaryReport.objects.get()
    assert "全体会员团结一心。" in report.latest_version().body
    assert report.versions.count() == 2
    assert 'href="/admin/reports/metric/care.visits/' in report.latest_version().body

    with page.expect_download() as download:
        page.click("#export-docx")
    document = Document(io.BytesIO(Path(download.value.path()).read_bytes()))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "实验学校工会" in text and "全体会员团结一心。" in text
