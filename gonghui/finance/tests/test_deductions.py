"""Importing a month's payroll deductions: every row checked, all or nothing."""

from datetime import date
from decimal import Decimal

import pytest
from openpyxl import Workbook

from gonghui.finance import deductions, services
from gonghui.finance.models import BudgetLine, DuesImport, DuesPayment, Income
from gonghui.finance.tests.factories import dues_line, new_key, pay_dues, staff
from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs.tests.factories import UnionFactory

pytestmark = pytest.mark.django_db

MARCH = date(2025, 3, 1)
HEADER = ["身份证号", "工号", "姓名", "月份", "金额"]


@pytest.fixture
def union():
    union = UnionFactory()
    dues_line(union)
    return union


def member(union, name, number, **kwargs):
    m = MemberFactory(union=union, name=name, employee_number=number, **kwargs)
    services.set_dues_base(member=m, base=Decimal("5000"), since=date(2025, 1, 1))
    return m


def workbook(tmp_path, rows, header=HEADER):
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for row in rows:
        ws.append(row)
    path = tmp_path / "deductions.xlsx"
    wb.save(path)
    return path


def run(union, path):
    return deductions.import_deductions(
        union=union,
        path=path,
        month=MARCH,
        paid_on=date(2025, 3, 25),
        original_name="3月代扣.xlsx",
        idempotency_key=new_key(),
        actor=staff(union),
    )


def only_error(outcome):
    assert not outcome.written
    assert not DuesPayment.objects.exists() and not Income.objects.exists()
    assert len(outcome.errors) == 1, outcome.errors
    return outcome.errors[0]


def test_a_clean_file_records_every_payment_and_one_income(union, tmp_path):
    zhang = member(union, "张三", "A001")
    li = member(union, "李四", "A002")
    path = workbook(
        tmp_path,
        [[zhang.id_number, "", "张三", "2025-03", 25], ["", "A002", "李四", "2025年3月", "25.50"]],
    )
    outcome = run(union, path)
    assert outcome.written and outcome.errors == []
    assert {(p.member, p.amount, p.source) for p in DuesPayment.objects.all()} == {
        (zhang, Decimal("25.00"), "payroll"),
        (li, Decimal("25.50"), "payroll"),
    }
    income = Income.objects.get()
    assert income.amount == Decimal("50.50") and income.received_for == DuesImport.objects.get()
    assert BudgetLine.objects.get(category="dues").actual == Decimal("50.50")


def test_an_unknown_id_number_is_reported_with_row_and_column(union, tmp_path):
    member(union, "张三", "A001")
    stranger = MemberFactory()  # on another union's roster
    outcome = run(union, workbook(tmp_path, [[stranger.id_number, "", "张三", "2025-03", 25]]))
    error = only_error(outcome)
    assert (error.row, error.column, error.header) == (2, "A", "身份证号")
    assert error.message == "该身份证号不在本工会会员名册中"
    assert stranger.id_number not in error.value


def test_an_unknown_employee_number_is_reported(union, tmp_path):
    outcome = run(union, workbook(tmp_path, [["", "Z999", "张三", "2025-03", 25]]))
    error = only_error(outcome)
    assert (error.row, error.column, error.message) == (2, "B", "工号“Z999”不在本工会会员名册中")


def test_a_name_not_matching_the_roster_is_reported(union, tmp_path):
    member(union, "张三", "A001")
    error = only_error(run(union, workbook(tmp_path, [["", "A001", "张山", "2025-03", 25]])))
    assert (error.column, error.message) == ("C", "姓名“张山”与名册中该会员的姓名不一致")


def test_a_month_in_the_wrong_format_is_reported(union, tmp_path):
    member(union, "张三", "A001")
    error = only_error(run(union, workbook(tmp_path, [["", "A001", "张三", "三月", 25]])))
    assert (error.column, error.message) == (
        "D",
        "月份“三月”格式不正确，请写成 2025-03 或 2025年3月",
    )


def test_a_row_for_another_month_is_reported(union, tmp_path):
    member(union, "张三", "A001")
    error = only_error(run(union, workbook(tmp_path, [["", "A001", "张三", "2025-04", 25]])))
    assert error.message == "月份为2025年4月，与本次导入的2025年3月不一致"


def test_a_negative_amount_is_reported(union, tmp_path):
    member(union, "张三", "A001")
    error = only_error(run(union, workbook(tmp_path, [["", "A001", "张三", "2025-03", -25]])))
    assert (error.column, error.message) == ("E", "金额必须大于零，“-25”不符合")


def test_an_amount_with_more_than_two_decimals_is_reported(union, tmp_path):
    member(union, "张三", "A001")
    error = only_error(run(union, workbook(tmp_path, [["", "A001", "张三", "2025-03", 25.125]])))
    assert error.message == "金额最多保留两位小数（分），“25.125”超过了两位"


def test_a_member_twice_in_the_file_is_reported_on_the_second_row(union, tmp_path):
    member(union, "张三", "A001")
    rows = [["", "A001", "张三", "2025-03", 25], ["", "A001", "张三", "2025-03", 25]]
    outcome = run(union, workbook(tmp_path, rows))
    error = only_error(outcome)
    assert (error.row, error.message) == (3, "与第2行是同一名会员，同一月份只能代扣一次")


def test_a_member_who_left_before_the_month_is_reported(union, tmp_path):
    member(union, "张三", "A001", left_on=date(2025, 2, 15), status="transferred")
    error = only_error(run(union, workbook(tmp_path, [["", "A001", "张三", "2025-03", 25]])))
    assert error.message == "会员张三已于2025-02-15离会，不能缴纳离会后2025年3月的会费"


def test_an_exempt_month_is_reported(union, tmp_path):
    zhang = member(union, "张三", "A001")
    services.exempt_from_dues(member=zhang, starts_on=MARCH, reason="长期病休")
    error = only_error(run(union, workbook(tmp_path, [["", "A001", "张三", "2025-03", 25]])))
    assert error.message == "会员张三2025年3月免缴会费（长期病休），不能记录缴费"


def test_a_month_already_paid_is_reported(union, tmp_path):
    zhang = member(union, "张三", "A001")
    pay_dues(zhang, MARCH)
    outcome = run(union, workbook(tmp_path, [["", "A001", "张三", "2025-03", 25]]))
    assert outcome.errors[0].message == "会员张三2025年3月的会费已经缴纳，不能重复缴纳"
    assert DuesPayment.objects.count() == 1 and not DuesImport.objects.exists()


def test_a_missing_column_refuses_the_whole_file(union, tmp_path):
    member(union, "张三", "A001")
    path = workbook(tmp_path, [["A001", "张三", 25]], header=["工号", "姓名", "金额"])
    error = only_error(run(union, path))
    assert error.row is None
    assert error.message.startswith("第1行表头缺少必填列：月份")


def test_a_file_without_an_id_or_employee_number_column_is_refused(union, tmp_path):
    path = workbook(tmp_path, [["张三", "2025-03", 25]], header=["姓名", "月份", "金额"])
    assert only_error(run(union, path)).message.startswith("第1行表头缺少必填列：身份证号或工号")


def test_a_file_that_is_not_an_xlsx_is_refused(union, tmp_path):
    path = tmp_path / "deductions.xlsx"
    path.write_text("身份证号,姓名,月份,金额\n", encoding="utf-8")
    error = only_error(run(union, path))
    assert "不是有效的Excel工作簿（.xlsx）" in error.message


def test_one_bad_row_among_good_ones_writes_nothing(union, tmp_path):
    member(union, "张三", "A001")
    member(union, "李四", "A002")
    rows = [["", "A001", "张三", "2025-03", 25], ["", "A002", "李四", "2025-03", 0]]
    outcome = run(union, workbook(tmp_path, rows))
    assert [(e.row, e.column) for e in outcome.errors] == [(3, "E")]
    assert not outcome.written
    assert not DuesPayment.objects.exists() and not DuesImport.objects.exists()
    assert not Income.objects.exists()
