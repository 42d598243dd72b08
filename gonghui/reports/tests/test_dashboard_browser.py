"""A chair opens the dashboard, sees the charts drawn offline with Chart.js
from django-unfold, and follows a bar to the records behind it."""

import os
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from gonghui.activities.models import Attendance, CheckIn
from gonghui.activities.tests.factories import ActivityFactory
from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs.tests.factories import GroupFactory, UnionFactory, user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("GONGHUI_SCREENSHOTS")


def shot(page, name):
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"reports_{name}.png"), full_page=True)


def _ledger():
    union = UnionFactory(name="实验学校工会")
    chinese = GroupFactory(union=union, name="语文组")
    maths = GroupFactory(union=union, name="数学组")
    MemberFactory.create_batch(3, union=union, group=chinese, joined_on=date(2025, 3, 2))
    members = MemberFactory.create_batch(2, union=union, group=maths, joined_on=date(2025, 5, 9))
    activity = ActivityFactory(
        union=union, title="教职工拔河比赛", starts_at=datetime(2025, 5, 20, 1, tzinfo=UTC)
    )
    for member in members:
        Attendance.objects.create(
            union=union, activity=activity, member=member, how=CheckIn.LIST, at=activity.starts_at
        )
    user_with_role(union, username="chair", password="pass-word-123")
    return union


def test_a_chair_sees_the_charts_and_follows_a_bar_to_its_records(page):
    union = _ledger()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on(
        "response",
        lambda r: (
            errors.append(f"{r.status} {r.url}")
            if r.status >= 400 and "favicon" not in r.url
            else None
        ),
    )
    page.set_default_timeout(30_000)  # the dashboard computes every area's figures
    page.goto(f"{page.base}/admin/reports/?union={union.pk}&start=2025-01-01&end=2025-12-31")
    page.fill("input[name=username]", "chair")  # sent to sign in first, then back
    page.fill("input[name=password]", "pass-word-123")
    page.click("button[type=submit]")
    canvas = page.locator('canvas[data-dashboard-chart="members_trend"][data-rendered="true"]')
    canvas.wait_for()
    shot(page, "dashboard")
    assert page.locator("canvas[data-rendered=true]").count() >= 2
    assert (
        page.evaluate(
            "() => Chart.getChart(document.querySelector('[data-dashboard-chart=members_trend]'))"
            ".data.labels[2]"
        )
        == "3月"
    )
    # Canvas text is drawn with a font that has Chinese glyphs.
    assert page.evaluate("() => document.fonts.check('12px \"WenQuanYi Micro Hei\"')")

    # The March bar of 新入会会员 (three members joined then).
    x, y = page.evaluate(
        """() => {
            const canvas = document.querySelector('[data-dashboard-chart=members_trend]');
            const bar = Chart.getChart(canvas).getDatasetMeta(0).data[2];
            return [bar.x, (bar.y + bar.base) / 2];
        }"""
    )
    box = canvas.bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)
    page.wait_for_url("**/admin/reports/metric/members.joined/**")
    page.locator("#records").wait_for()
    shot(page, "bar_records")
    assert "start=2025-03-01" in page.url and "end=2025-03-31" in page.url
    assert page.locator("#records tbody tr").count() == 3
    assert "新入会会员：3人" in page.inner_text("body")
    assert errors == []
