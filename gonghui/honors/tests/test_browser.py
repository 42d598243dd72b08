"""A month of group scoring in the browser, to the ranking published in the
back office and on a member's phone."""

from pathlib import Path

import pytest

from gonghui.disclosure.models import Post
from gonghui.honors.models import Assessment, GroupResult, Nomination, Score
from gonghui.honors.tests.factories import kind, rule
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
    page.wait_for_url("**/admin/")


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
    # The sheet comes back with the message; wait for it, not for a busy machine.
    refused = "机修班“劳动纪律”得分 31.0 分超过该项满分 30.0 分"
    page.get_by_text(refused).first.wait_for()
    assert refused in page.content()
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
    phone_page.wait_for_url(phone_page.base + "/")
    phone_page.goto(phone_page.base + "/honors/")
    phone_page.screenshot(path=str(SHOTS / "honors_portal.png"), full_page=True)
    ranking = phone_page.locator("#ranking").inner_text()
    assert "第1名" in ranking and "机修班" in ranking and "98.0" in ranking


def test_a_rule_written_in_the_back_office_carries_a_month_to_the_ranking_page(page):
    union = GroupFactory(name="机修班").union
    GroupFactory(union=union, name="装配班")
    sign_in(page, union)
    page.goto(page.base + "/admin/honors/assessmentrule/add/")
    page.fill("input[name=name]", "班组考核细则（2025版）")
    page.fill("input[name=effective_from]", "2025-01-01")
    for i, (name, points, guide) in enumerate(
        [("安全生产", "40", "违章一次扣5分"), ("劳动纪律", "60", "迟到一次扣1分")], start=1
    ):
        page.get_by_label(f"第{i}项 考核项目", exact=True).fill(name)
        page.get_by_label(f"第{i}项 满分", exact=True).fill(points)
        page.get_by_label(f"第{i}项 扣分标准", exact=True).fill(guide)
    page.screenshot(path=str(SHOTS / "honors_rule_form.png"), full_page=True)
    page.click("#rule-form button[type=submit]")
    page.wait_for_url("**/admin/honors/assessmentrule/*/change/")

    page.goto(page.base + "/admin/honors/assessment/add/")
    page.wait_for_url("**/admin/honors/months/new/")
    page.select_option("select[name=rule]", label="班组考核细则（2025版）")
    page.fill("input[name=month]", "2025-04")
    page.click("#open-month button[type=submit]")
    page.wait_for_url("**/admin/honors/months/*/sheet/")
    _fill(page, "机修班", {"安全生产": ("40", ""), "劳动纪律": ("58", "迟到两次")})
    _fill(page, "装配班", {"安全生产": ("45", ""), "劳动纪律": ("60", "")})
    page.click("#sheet-form button[type=submit]")
    page.wait_for_selector("text=装配班“安全生产”得分 45.0 分超过该项满分 40.0 分")
    assert not Score.objects.exists()
    _fill(page, "装配班", {"安全生产": ("35", "违章作业一次")})
    page.click("#sheet-form button[type=submit]")
    page.wait_for_selector("text=得分已保存（2个班组）")
    page.click("#publish-form button[type=submit]")
    page.wait_for_selector("#ranking")
    page.click("text=查看排名与趋势")
    page.wait_for_selector("#latest-ranking")
    page.screenshot(path=str(SHOTS / "honors_ranking_page.png"), full_page=True)
    rows = page.locator("#latest-ranking tbody tr").all_inner_texts()
    assert [r.split()[:3] for r in rows] == [["1", "机修班", "98.0"], ["2", "装配班", "95.0"]]
    assert "安全生产扣5.0分：违章作业一次" in rows[1]
    trend = page.locator("#trend").inner_text()
    assert "2025年4月" in trend and "第1名" in trend
    post = Post.objects.get(union=union)
    assert (post.category, post.title) == ("honors", "2025年4月班组考核结果公示")


def test_a_nomination_is_decided_and_announced_from_the_back_office(page):
    star = kind()
    member = MemberFactory(union=star.union, name="王芳")
    sign_in(page, star.union)
    page.goto(page.base + "/admin/honors/nomination/add/")
    page.select_option("select[name=kind]", label="岗位之星（个人，每月）")
    page.fill("input[name=year]", "2025")
    page.select_option("select[name=month]", label="3月")
    page.select_option("select[name=member]", str(member.pk))
    page.fill("textarea[name=reasons]", "服务热情周到，本月零投诉")
    page.fill("input[name=nominated_on]", "2025-03-28")
    page.click("#honors-form button[type=submit]")
    page.wait_for_url("**/admin/honors/nomination/*/change/")
    nomination = Nomination.objects.get()
    page.goto(page.base + f"/admin/honors/nominations/{nomination.pk}/decide/")
    page.check("input[name=granted][value=yes]")
    page.fill("input[name=on]", "2025-04-02")
    page.click("#honors-form button[type=submit]")
    page.wait_for_selector("text=已授予")
    page.goto(page.base + "/admin/honors/nominations/announce/")
    page.check(f"input[name=awards][value='{nomination.pk}']")
    page.fill("input[name=title]", "2025年3月岗位之星公示")
    page.screenshot(path=str(SHOTS / "honors_announce.png"), full_page=True)
    page.click("#honors-form button[type=submit]")
    page.wait_for_selector("text=并已在厂务公开发布")
    post = Post.objects.get(union=star.union)
    assert post.category == "honors" and "王芳" in post.body
