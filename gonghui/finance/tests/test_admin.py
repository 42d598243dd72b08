"""The money screens: forms call the services, other unions stay invisible."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from gonghui.finance.models import BudgetAdjustment, BudgetLine, Category, FiscalYear, Payment
from gonghui.finance.tests.factories import BudgetLineFactory, pay, receive, staff
from gonghui.orgs.roles import Role

pytestmark = pytest.mark.django_db

ADD_PAYMENT = reverse("admin:finance_payment_add")


def signed_in(client, union, role=Role.CHAIR):
    user = staff(union, role)
    client.force_login(user)
    return user


def payment_form(client, line, /, **overrides):
    """What the browser posts: the rendered form's fields, including its key."""
    page = client.get(ADD_PAYMENT)
    key = page.context["form"].initial["idempotency_key"]
    data = {
        "union": line.union_id,
        "line": line.pk,
        "on": "2025-04-01",
        "amount": "1200.00",
        "payee": "市体育用品公司",
        "voucher": "记-2025-041",
        "note": "运动会服装",
        "over_budget_reason": "",
        "idempotency_key": key,
    }
    data.update(overrides)
    return data


def test_a_chair_records_a_payment_through_the_form(client):
    line = BudgetLineFactory(planned=Decimal("5000"))
    signed_in(client, line.union)
    response = client.post(ADD_PAYMENT, payment_form(client, line))
    assert response.status_code == 302
    payment = Payment.objects.get()
    assert (payment.amount, payment.payee, payment.voucher) == (
        Decimal("1200.00"),
        "市体育用品公司",
        "记-2025-041",
    )


def test_the_form_shows_the_services_message_on_the_field_and_writes_nothing(client):
    line = BudgetLineFactory()
    signed_in(client, line.union)
    response = client.post(ADD_PAYMENT, payment_form(client, line, amount="12.345"))
    assert response.status_code == 200
    assert (
        "金额最多保留两位小数（分），“12.345”超过了两位"
        in response.context["form"].errors["amount"]
    )
    assert Payment.objects.count() == 0


def test_a_double_submitted_payment_form_writes_once(client):
    line = BudgetLineFactory()
    signed_in(client, line.union)
    data = payment_form(client, line)
    client.post(ADD_PAYMENT, data)
    client.post(ADD_PAYMENT, data)
    assert Payment.objects.count() == 1


def test_another_unions_payment_is_not_found(client):
    theirs = pay(BudgetLineFactory(), "100")
    signed_in(client, BudgetLineFactory().union)
    url = reverse("admin:finance_payment_change", args=[theirs.pk])
    assert client.get(url).status_code == 404
    listing = client.get(reverse("admin:finance_payment_changelist"))
    assert theirs.payee not in listing.content.decode()


def test_another_unions_line_cannot_be_chosen_in_the_form(client):
    theirs = BudgetLineFactory()
    ours = BudgetLineFactory()
    signed_in(client, ours.union)
    response = client.post(ADD_PAYMENT, payment_form(client, ours, line=theirs.pk))
    assert "line" in response.context["form"].errors
    assert Payment.objects.count() == 0


def test_the_audit_committee_reads_payments_but_cannot_record_them(client):
    payment = pay(BudgetLineFactory(), "100")
    signed_in(client, payment.union, Role.AUDIT)
    assert client.get(reverse("admin:finance_payment_change", args=[payment.pk])).status_code == 200
    assert client.get(ADD_PAYMENT).status_code == 403


def test_a_member_without_finance_rights_cannot_see_payments(client):
    payment = pay(BudgetLineFactory(), "100")
    signed_in(client, payment.union, Role.LIAISON)
    assert client.get(reverse("admin:finance_payment_changelist")).status_code == 403


def test_payments_are_listed_and_searched_by_voucher(client):
    line = BudgetLineFactory()
    pay(line, "100", voucher="记-007", payee="甲书店")
    pay(line, "100", voucher="记-008", payee="乙花店")
    signed_in(client, line.union)
    response = client.get(reverse("admin:finance_payment_changelist"), {"q": "记-007"})
    body = response.content.decode()
    assert "甲书店" in body and "乙花店" not in body


def test_a_year_is_opened_and_a_line_added_and_adjusted_through_the_screens(client):
    line_union = BudgetLineFactory(fiscal_year__year=2024).union
    signed_in(client, line_union)
    client.post(reverse("admin:finance_fiscalyear_add"), {"union": line_union.pk, "year": 2026})
    year = FiscalYear.objects.get(union=line_union, year=2026)
    client.post(
        reverse("finance:add_line", args=[year.pk]),
        {"category": Category.ACTIVITIES, "name": "文体活动", "planned": "8000"},
    )
    line = BudgetLine.objects.get(fiscal_year=year)
    response = client.post(
        reverse("finance:adjust_line", args=[line.pk]), {"delta": "500", "reason": ""}
    )
    assert response.context["form"].errors["reason"] == ["调整预算必须填写调整理由"]
    client.post(reverse("finance:adjust_line", args=[line.pk]), {"delta": "500", "reason": "追加"})
    line.refresh_from_db()
    assert line.budget == Decimal("8500.00")
    assert BudgetAdjustment.objects.count() == 1


def test_closing_a_year_through_the_screen_stops_further_payments(client):
    line = BudgetLineFactory()
    signed_in(client, line.union)
    client.post(reverse("finance:close_year", args=[line.fiscal_year_id]))
    line.fiscal_year.refresh_from_db()
    assert line.fiscal_year.closed
    response = client.post(ADD_PAYMENT, payment_form(client, line))
    assert "line" in response.context["form"].errors
    assert Payment.objects.count() == 0


def test_the_execution_page_warns_at_ninety_percent_and_when_exceeded(client):
    nearly = BudgetLineFactory(name="文体活动", planned=Decimal("1000"))
    over = BudgetLineFactory(fiscal_year=nearly.fiscal_year, name="慰问", planned=Decimal("1000"))
    pay(nearly, "900")
    pay(over, "1200", over_budget_reason="春节慰问人数增加")
    signed_in(client, nearly.union)
    response = client.get(reverse("finance:execution"), {"union": nearly.union_id, "year": 2025})
    body = response.content.decode()
    assert "已达预算90%，余 100.00 元" in body
    assert "已超预算 200.00 元" in body
    assert "90.0%" in body and "120.0%" in body


def test_the_execution_page_of_another_union_is_not_found(client):
    theirs = BudgetLineFactory()
    signed_in(client, BudgetLineFactory().union)
    response = client.get(reverse("finance:execution"), {"union": theirs.union_id})
    assert response.status_code == 404


def test_the_monthly_statement_downloads_with_category_totals_and_safe_cells(client):
    spending = BudgetLineFactory(name="文体活动")
    dues = BudgetLineFactory(fiscal_year=spending.fiscal_year, category=Category.DUES, name="会费")
    pay(spending, "100.10", on=date(2025, 3, 2), payee='=HYPERLINK("http://x")')
    pay(spending, "0.20", on=date(2025, 3, 31))
    pay(spending, "999", on=date(2025, 4, 1))
    receive(dues, "50.05", on=date(2025, 3, 5), payer="@SUM(A1)")
    signed_in(client, spending.union)
    response = client.get(
        reverse("finance:statement_xlsx"), {"union": spending.union_id, "year": 2025, "month": 3}
    )
    workbook = load_workbook(io.BytesIO(response.content))
    summary = [row for row in workbook["收支汇总"].iter_rows(values_only=True)]
    assert ("会费收入", Decimal("50.05"), "职工活动支出", Decimal("100.30")) in [
        tuple(Decimal(str(v)) if isinstance(v, float) else v for v in row) for row in summary
    ]
    payees = [row[4] for row in workbook["支出明细"].iter_rows(min_row=2, values_only=True)]
    assert payees == ['\'=HYPERLINK("http://x")', "文体用品商店"]
    assert workbook["收入明细"]["E2"].value == "'@SUM(A1)"


def test_the_statement_page_shows_the_years_totals(client):
    line = BudgetLineFactory()
    pay(line, "100.10", on=date(2025, 1, 2))
    pay(line, "0.20", on=date(2025, 12, 31))
    signed_in(client, line.union)
    response = client.get(reverse("finance:statement"), {"union": line.union_id, "year": 2025})
    assert response.context["statement"]["expenditure_total"] == Decimal("100.30")
