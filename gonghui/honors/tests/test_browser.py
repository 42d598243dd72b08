"""A month of group scoring in the browser, to the ranking published in the
back office and on a member's phone."""

from pathlib import Path

import pytest

from gonghui.honors.models import Assessment, GroupResult
from gonghui.honors.tests.factories import rule
from gonghui.members import services as members
from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs.tests.factories import GroupFactory, user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path("/tmp")


def sign_in(page, union):
    user_with_role(union, username="chair", password="pass-word-123")
    page.goto(page.base + "/admin/login/")
    page.fill("input[name=username]", "chair")
    page.fill("input[name=password]", "pass-word-123")
    page.click("button[type=submit]")


def _fill(page, group, values):
    for item, (points, reason) in values.items():
        page.get_by_label(f"{group}{item}得分", exact=True).fill(points)
        if reason:
            page.get_by_label(f"{group}{item}扣分理由", exact=True).fill(reason)


def test_a_month_of_group_scoring_ends_in_the_published_ranking(page, phone_page):
    written = rule()
    union = written.union
    for name in ("机修班", "装配班"):
        GroupFactory(union=union, name=name)
    sign_in(page, union)
    page.goto(page.base + "/admin/honors/months/new/")
    page.fill("input[name=month]", "2025-03")
    page.click("#open-month button[type=submit]")
    page.wait_for_url("**/admin/honors/months/*/sheet/")
    full = {"安全生产": ("30", ""), "劳动纪律": ("30", ""), "工会活动": ("40", "")}
    _fill(page, "机修班", {**full, "劳动纪律": ("31", "")})
    _fill(page, "装配班", {**full, "安全生产": ("25", "违章作业一次")})
    page.click("#sheet-form button[type=submit]")
    assert "机修班“劳动纪律”得分 31.0 分超过该项满分 30.0 分" in page.content()
    page.screenshot(path=str(SHOTS / "honors_sheet_refused.png"), full_page=True)
    _fill(page, "机修班", {"劳动纪律": ("28", "迟到两次")})
    page.click("#sheet-form button[type=submit]")
    page.wait_for_selector("text=得分已保存")
    page.click("#publish-form button[type=submit]")
    page.wait_for_selector("#ranking")
    page.screenshot(path=str(SHOTS / "honors_ranking.png"), full_page=True)
    rows = page.locator("#ranking tbody tr").all_inner_texts()
    assert [r.split() for r in rows] == [["1", "机修班", "98.0"], ["2", "装配班", "95.0"]]
    assessment = Assessment.objects.get(union=union)
    assert assessment.published_on is not None
    assert GroupResult.objects.filter(assessment=assessment).count() == 2

    member = MemberFactory(union=union, group=assessment.results.get(rank=1).group)
    members.create_portal_account(member=member, password="pass-word-456")
    phone_page.goto(phone_page.base + "/login/")
    phone_page.fill("input[name=username]", member.phone)
    phone_page.fill("input[name=password]", "pass-word-456")
    phone_page.click("button[type=submit]")
    phone_page.goto(phone_page.base + "/honors/")
    phone_page.screenshot(path=str(SHOTS / "honors_portal.png"), full_page=True)
    ranking = phone_page.locator("#ranking").inner_text()
    assert "第1名" in ranking and "机修班" in ranking and "98.0" in ranking
