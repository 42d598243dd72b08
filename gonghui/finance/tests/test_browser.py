"""A cadre records a payment in the browser and sees the budget line move."""

import os
from decimal import Decimal
from pathlib import Path

import pytest

from gonghui.finance.models import Category, Payment
from gonghui.finance.tests.factories import BudgetLineFactory, pay, staff
from gonghui.orgs.tests.factories import user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("GONGHUI_SCREENSHOTS")


def shot(page, name):
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"finance_{name}.png"), full_page=True)


def test_a_payment_recorded_in_the_browser_moves_the_budget_line_into_warning(page):
    line = BudgetLineFactory(name="职工文体活动", planned=Decimal("10000"))
    other = BudgetLineFactory(
        fiscal_year=line.fiscal_year,
        name="困难职工帮扶",
        category=Category.UNDERTAKINGS,
        planned=Decimal("5000"),
    )
    pay(other, "5600", over_budget_reason="春节慰问对象增加", actor=staff(line.union))
    user_with_role(line.union, username="chair", password="pass-word-123")

    page.goto(page.base + "/admin/login/")
    page.fill("input[name=username]", "chair")
    page.fill("input[name=password]", "pass-word-123")
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/")
    page.goto(page.base + "/admin/finance/payment/add/")
    page.select_option("select[name=line]", str(line.pk))
    page.fill("input[name=on]", "2025-05-04")
    page.fill("input[name=amount]", "9200.00")
    page.fill("input[name=payee]", "市体育中心")
    page.fill("input[name=voucher]", "记-2025-051")
    page.fill("input[name=note]", "五四青年节运动会场地费")
    shot(page, "payment_form")
    page.click("#finance-form button[type=submit]")
    page.wait_for_url("**/admin/finance/payment/")
    shot(page, "payments")
    assert Payment.objects.filter(voucher="记-2025-051").count() == 1

    page.goto(page.base + f"/admin/finance/execution/?union={line.union_id}&year=2025")
    shot(page, "execution")
    assert page.locator("tr[data-level=warning]").inner_text().count("职工文体活动") == 1
    assert "已超预算 600.00 元" in page.locator("tr[data-level=exceeded]").inner_text()

    page.goto(page.base + f"/admin/finance/statement/?union={line.union_id}&year=2025&month=5")
    shot(page, "statement")
    assert page.locator("#expenditure-total").inner_text() == "9200.00"


def test_an_over_budget_payment_asks_for_a_reason_on_the_form(page):
    line = BudgetLineFactory(name="职工文体活动", planned=Decimal("1000"))
    user_with_role(line.union, username="chair", password="pass-word-123")
    page.goto(page.base + "/admin/login/")
    page.fill("input[name=username]", "chair")
    page.fill("input[name=password]", "pass-word-123")
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/")
    page.goto(page.base + f"/admin/finance/fiscalyear/{line.fiscal_year_id}/change/")
    shot(page, "year")
    page.goto(page.base + "/admin/finance/payment/add/")
    page.select_option("select[name=line]", str(line.pk))
    page.fill("input[name=on]", "2025-06-01")
    page.fill("input[name=amount]", "1200")
    page.fill("input[name=payee]", "市体育中心")
    page.fill("input[name=voucher]", "记-2025-061")
    page.click("#finance-form button[type=submit]")
    # The form comes back with the message; wait for it, not for a busy machine.
    page.get_by_text("请填写超预算理由").first.wait_for()
    shot(page, "over_budget")
    assert "请填写超预算理由" in page.content()
    assert Payment.objects.count() == 0


def test_a_bad_deductions_file_uploaded_in_the_browser_shows_its_errors_as_a_table(page, tmp_path):
    from datetime import date

    from openpyxl import Workbook

    from gonghui.finance import services
    from gonghui.finance.models import DuesPayment
    from gonghui.finance.tests.factories import dues_line
    from gonghui.members.tests.factories import MemberFactory
    from gonghui.orgs.tests.factories import GroupFactory

    group = GroupFactory(name="后勤组")
    union = group.union
    dues_line(union)
    zhang = MemberFactory(union=union, group=group, name="张三", employee_number="A001")
    services.set_dues_base(member=zhang, base=Decimal("5000"), since=date(2025, 1, 1))
    user_with_role(union, username="chair", password="pass-word-123")
    wb = Workbook()
    wb.active.append(["工号", "姓名", "月份", "金额"])
    wb.active.append(["A001", "张山", "2025-03", 25])
    wb.active.append(["Z404", "李四", "三月", -5])
    path = tmp_path / "3月代扣.xlsx"
    wb.save(path)

    page.goto(page.base + "/admin/login/")
    page.fill("input[name=username]", "chair")
    page.fill("input[name=password]", "pass-word-123")
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/")
    page.goto(page.base + "/admin/finance/dues/import/")
    page.fill("input[name=month]", "2025-03")
    page.fill("input[name=paid_on]", "2025-03-25")
    page.set_input_files("input[name=file]", str(path))
    page.click("#deductions-form button[type=submit]")

    table = page.locator("#import-errors")
    assert "姓名“张山”与名册中该会员的姓名不一致" in table.inner_text()
    assert table.locator("tbody tr").count() == 4
    shot(page, "deductions_errors")
    assert not DuesPayment.objects.exists()
    page.goto(page.base + f"/admin/finance/dues/arrears/?union={union.pk}")
    assert "张三" in page.locator("table[data-group=后勤组]").inner_text()
    shot(page, "arrears")
