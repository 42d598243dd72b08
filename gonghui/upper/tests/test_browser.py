"""City staff open the subtree overview, drill down to a district and on to one
unit's dashboard, and see the ranking chart drawn with unfold's Chart.js."""

import os
from pathlib import Path

import pytest

from gonghui.orgs.models import RoleAssignment
from gonghui.orgs.roles import Role
from gonghui.orgs.tests.factories import UserFactory
from gonghui.upper.models import UnitTarget
from gonghui.upper.tests.subtree import bare_city

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("GONGHUI_SCREENSHOTS")
YEAR = "start=2026-01-01&end=2026-12-31"


def shot(page, name):
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"upper_{name}.png"), full_page=True)


def _watch(page) -> list[str]:
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on(
        "response",
        lambda r: (
            errors.append(f"{r.status} {r.url}")
            if r.status >= 400 and "favicon" not in r.url
            else None
        ),
    )
    return errors


def _sign_in(page, next_url: str):
    page.goto(next_url)
    page.fill("input[name=username]", "city-staff")
    page.fill("input[name=password]", "pass-word-123")
    page.click("button[type=submit]")


def test_city_staff_drill_down_from_the_city_to_a_units_dashboard(page):
    c = bare_city()
    user = UserFactory(username="city-staff", is_staff=True)
    RoleAssignment.objects.create(user=user, union=c.city, role=Role.UPPER_STAFF)
    errors = _watch(page)
    page.set_default_timeout(60_000)  # every registered metric is summed on the page

    _sign_in(page, f"{page.base}/admin/upper/?{YEAR}")
    page.locator("#kpis").wait_for()
    shot(page, "overview")
    assert "入会率" in page.inner_text("#kpis")
    assert "期末会员数 10 ÷ 职工总数 100" in page.inner_text("#kpis")

    page.click(f'#children a:text-is("{c.district_a.name}")')
    page.wait_for_url(f"**/admin/upper/?union={c.district_a.pk}*")
    page.locator("#trail").wait_for()
    assert page.inner_text("#trail").split() == ["测试市总工会", "›", "甲区总工会"]
    assert page.locator("#unit-table tbody tr").count() == 2

    page.click(f'#children a:text-is("{c.a1.name}")')
    page.wait_for_url(f"**/admin/reports/?union={c.a1.pk}*")
    page.locator("#dashboard").wait_for()
    assert f"{c.a1.name} 统计看板" in page.inner_text("body")
    assert errors == []


def test_the_ranking_chart_marks_units_below_the_target(page):
    c = bare_city()
    user = UserFactory(username="city-staff", is_staff=True)
    RoleAssignment.objects.create(user=user, union=c.city, role=Role.UPPER_STAFF)
    UnitTarget.objects.create(union=c.city, metric="members.membership_rate", value="20")
    errors = _watch(page)

    _sign_in(page, f"{page.base}/admin/upper/ranking/?metric=members.membership_rate&{YEAR}")
    page.locator('canvas[data-ranking-chart="units"][data-rendered="true"]').wait_for()
    shot(page, "ranking")
    colours = page.evaluate(
        "() => Chart.getChart(document.querySelector('[data-ranking-chart=units]'))"
        ".data.datasets[0].backgroundColor"
    )
    # 30%, 10%, 13.3%, 2.5% against "at least 20%": only a1 meets it.
    assert colours == ["#9333ea", "#ef4444", "#ef4444", "#ef4444"]
    assert page.inner_text("#below-count").startswith("3")
    assert page.locator('#ranking-table tr[data-below="1"]').count() == 3
    assert errors == []
