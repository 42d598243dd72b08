"""A union chair works the roster in the browser: search, reveal, dashboard."""

import os
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import expect

from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs.models import AccessLog
from gonghui.orgs.tests.factories import GroupFactory, UnionFactory, user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("GONGHUI_SCREENSHOTS")


def shot(page, name):
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"roster_{name}.png"), full_page=True)


def _sign_in_as_chair(page, union):
    user_with_role(union, username="chair", password="pass-word-123")
    page.goto(page.base + "/admin/login/?next=/admin/")
    page.fill("input[name=username]", "chair")
    page.fill("input[name=password]", "pass-word-123")
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/")


def test_a_chair_searches_the_roster_by_pinyin_initials_and_finds_zhang_san(page):
    union = UnionFactory(name="实验小学工会")
    group = GroupFactory(union=union, name="语文组")
    MemberFactory(union=union, name="张三", group=group)
    MemberFactory(union=union, name="李四", group=group)
    MemberFactory(union=union, name="王芳")
    _sign_in_as_chair(page, union)

    page.goto(page.base + "/admin/members/member/")
    page.fill("input[name=q]", "zs")
    page.keyboard.press("Enter")
    page.wait_for_url("**q=zs*")
    results = page.locator("#result_list")
    expect(results).to_contain_text("张三")
    expect(results).not_to_contain_text("李四")
    shot(page, "search")


def test_a_chair_reveals_an_id_number_with_a_reason_and_the_reveal_is_logged(page):
    union = UnionFactory()
    member = MemberFactory(union=union, name="张三")
    _sign_in_as_chair(page, union)

    page.goto(page.base + f"/admin/members/member/{member.pk}/change/")
    expect(page.locator("body")).to_contain_text(member.id_number_masked)
    expect(page.locator("body")).not_to_contain_text(member.id_number)
    shot(page, "member")
    page.click("a[data-reveal=id_number]")
    page.fill("input[name=reason]", "办理职工医疗互助保障")
    shot(page, "reveal_form")
    page.click("button[name=_submit]")
    expect(page.locator("[data-revealed]")).to_have_text(member.id_number)
    shot(page, "revealed")

    log = AccessLog.objects.get()
    assert (log.user.username, log.subject, log.reason) == ("chair", "张三", "办理职工医疗互助保障")
    page.click("text=返回会员页")
    expect(page.locator("body")).not_to_contain_text(member.id_number)


def test_the_dashboard_shows_members_at_the_end_and_clicking_it_lists_them(page):
    union = UnionFactory()
    group = GroupFactory(union=union, name="数学组")
    MemberFactory(union=union, name="张三", group=group, joined_on=date(2020, 1, 1))
    MemberFactory(union=union, name="王芳", joined_on=date(2020, 1, 1))
    _sign_in_as_chair(page, union)

    page.goto(page.base + "/admin/reports/?start=2024-01-01&end=2024-12-31")
    figure = page.locator("[data-metric='members.at_end']")
    expect(figure).to_contain_text("期末会员数")
    expect(figure).to_contain_text("2")
    # Members per group is the dashboard's group comparison chart; its data table
    # (folded under the chart) names the group.
    expect(page.locator("[data-chart-table='groups_comparison']")).to_contain_text("数学组")
    shot(page, "dashboard")
    figure.click()
    records = page.locator("#records")
    expect(records).to_contain_text("张三")
    expect(records).to_contain_text("数学组")
    expect(records).to_contain_text("王芳")
    shot(page, "records")
    records.locator("a", has_text="张三").click()
    expect(page.locator("input[name=name]")).to_have_value("张三")


def _workbook(path, rows):
    from openpyxl import Workbook

    from gonghui.members.excel import DATA_SHEET

    wb = Workbook()
    ws = wb.active
    ws.title = DATA_SHEET
    ws.append(["姓名", "身份证号", "手机号码", "入会日期"])
    for row in rows:
        ws.append(row)
    wb.save(path)
    return str(path)


def test_a_chair_uploads_a_roster_sees_its_errors_then_imports_the_fixed_file(page, tmp_path):
    from gonghui import idcard
    from gonghui.members.models import Member

    union = UnionFactory()
    _sign_in_as_chair(page, union)
    good = idcard.make("330206", date(1985, 5, 6), 1, "M")
    broken = good[:-1] + ("0" if good[-1] != "0" else "1")
    second = idcard.make("330206", date(1990, 7, 8), 2, "F")

    page.goto(page.base + "/admin/roster/import/")
    page.set_input_files(
        "input[name=file]",
        _workbook(
            tmp_path / "roster.xlsx",
            [
                ["张三", good, "13800001111", date(2020, 1, 1)],
                ["李梅", broken, "", date(2021, 1, 1)],
            ],
        ),
    )
    page.click("button:has-text('校验并导入')")
    errors = page.locator("#import-errors")
    first_error = errors.locator("tbody tr").first
    expect(first_error.locator("td").nth(0)).to_have_text("3")
    expect(first_error.locator("td").nth(1)).to_contain_text("B（身份证号）")
    shot(page, "import_errors")
    assert not Member.objects.exists()

    page.goto(page.base + "/admin/roster/import/")
    page.set_input_files(
        "input[name=file]",
        _workbook(
            tmp_path / "fixed.xlsx",
            [
                ["张三", good, "13800001111", date(2020, 1, 1)],
                ["李梅", second, "", date(2021, 1, 1)],
            ],
        ),
    )
    page.click("button:has-text('校验并导入')")
    expect(page.locator("body")).to_contain_text("成功导入")
    shot(page, "import_done")
    assert set(Member.objects.values_list("name", flat=True)) == {"张三", "李梅"}
