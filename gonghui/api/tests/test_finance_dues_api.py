"""The dues, employer allocation and audit report endpoints: happy paths,
idempotent writes, and every refusal in Chinese without writing anything."""

import uuid
from datetime import date
from decimal import Decimal

import pytest

from gonghui.api.tests.calls import call, token_for
from gonghui.finance import services
from gonghui.finance.models import (
    Allocation,
    AuditReport,
    DuesBase,
    DuesExemption,
    DuesPayment,
    FinanceSettings,
    Income,
    UpwardTransfer,
)
from gonghui.finance.tests.factories import allocation_line, dues_line, pay_dues
from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs.models import RoleAssignment
from gonghui.orgs.roles import Role
from gonghui.orgs.tests.factories import GroupFactory, UnionFactory, UserFactory, user_with_role

pytestmark = pytest.mark.django_db

MARCH = date(2025, 3, 1)


@pytest.fixture
def books():
    """A union with a 2025 dues line, a member paying on 5000 yuan, and its chair's key."""
    union = UnionFactory()
    dues_line(union)
    member = MemberFactory(union=union, name="王芳", joined_on=date(2020, 3, 1))
    services.set_dues_base(member=member, base=Decimal("5000.00"), since=date(2025, 1, 1))
    return union, member, token_for(user_with_role(union, Role.CHAIR))


@pytest.fixture
def other():
    """Another union with a member, an allocation and a report the caller must never reach."""
    union = UnionFactory()
    dues_line(union)
    member = MemberFactory(union=union, name="乙会员")
    services.set_dues_base(member=member, base=Decimal("4000.00"), since=date(2025, 1, 1))
    pay_dues(member, date(2025, 1, 1))
    allocation = services.record_allocation(
        union=union, starts_on=date(2025, 1, 1), ends_on=date(2025, 3, 31), payroll_total="1000"
    )
    return union, member, allocation


def _dues(member, **over):
    data = {
        "member": member.id,
        "month": "2025-03",
        "amount": "25.00",
        "paid_on": "2025-04-05",
        "source": "cash",
        "idempotency_key": uuid.uuid4().hex,
    }
    data.update(over)
    return data


def _allocation(union, **over):
    data = {
        "union": union.id,
        "starts_on": "2025-01-01",
        "ends_on": "2025-03-31",
        "payroll_total": "100000.00",
    }
    data.update(over)
    return data


def auditor(union):
    user = UserFactory(is_staff=True)
    RoleAssignment.objects.create(user=user, union=union, role=Role.AUDIT)
    return user, MemberFactory(union=union, user=user, name="赵敏")


def _report(union, member, **over):
    data = {
        "union": union.id,
        "title": "2025年上半年经费审查报告",
        "starts_on": "2025-01-01",
        "ends_on": "2025-06-30",
        "findings": "会费收缴及时。",
        "conclusion": "经费使用规范。",
        "filed_by": member.id,
        "filed_on": "2025-07-10",
    }
    data.update(over)
    return data


def _assert_refused(response, field, status, fragment=None):
    assert response.status_code == status, response.content
    fields = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert field in fields, response.json()
    assert any("\u4e00" <= ch <= "\u9fff" for ch in fields[field])
    if fragment:
        assert fragment in fields[field], fields[field]


# Dues: happy paths ----------------------------------------------------------------------


def test_a_dues_payment_is_recorded_and_booked_as_income(books):
    union, member, key = books
    response = call("post", "dues-payments", key, _dues(member))
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["month"], body["amount"], body["member_name"]) == ("2025-03", "25.00", "王芳")
    assert Income.objects.get(pk=body["income"]).amount == Decimal("25.00")


def test_repeating_a_dues_payment_key_returns_the_same_record_with_200(books):
    union, member, key = books
    body = _dues(member)
    first = call("post", "dues-payments", key, body)
    again = call("post", "dues-payments", key, body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json() == again.json()
    assert DuesPayment.objects.count() == 1


def test_dues_payments_are_listed_by_member_and_month_range_in_pages(books):
    union, member, key = books
    for month in (date(2025, 1, 1), date(2025, 2, 1), MARCH):
        pay_dues(member, month)
    first = call("get", "dues-payments", key, {"member": member.id, "month_from": "2025-02"})
    assert [p["month"] for p in first.json()["items"]] == ["2025-02", "2025-03"]
    paged = call("get", "dues-payments", key, {"month_until": "2025-02", "limit": 1})
    assert [p["month"] for p in paged.json()["items"]] == ["2025-01"]
    cursor = paged.json()["next_cursor"]
    rest = call("get", "dues-payments", key, {"month_until": "2025-02", "cursor": cursor})
    assert [p["month"] for p in rest.json()["items"]] == ["2025-02"]


def test_a_members_dues_base_is_set_with_an_own_rate(books):
    union, member, key = books
    response = call(
        "put",
        f"members/{member.id}/dues-base",
        key,
        {"base": 6000, "since": "2025-05", "rate": "0.01"},
    )
    assert response.status_code == 200, response.content
    assert response.json()["base"] == "6000.00"
    assert response.json()["rate"] == "0.0100"
    assert DuesBase.objects.get(member=member, since=date(2025, 5, 1)).base == Decimal("6000.00")


def test_an_exemption_is_recorded_and_listed(books):
    union, member, key = books
    body = {"member": member.id, "starts_on": "2025-04", "reason": "长期病休"}
    response = call("post", "dues-exemptions", key, body)
    assert response.status_code == 201, response.content
    assert response.json()["ends_on"] is None
    listed = call("get", "dues-exemptions", key, {"union": union.id}).json()["items"]
    assert [e["reason"] for e in listed] == ["长期病休"]


def test_arrears_are_listed_by_group_up_to_the_month(books):
    union, member, key = books
    member.group = GroupFactory(union=union, name="一组")
    member.save()
    pay_dues(member, date(2025, 1, 1))
    response = call("get", "dues-arrears", key, {"union": union.id, "month": "2025-03"})
    assert response.status_code == 200, response.content
    [group] = response.json()
    assert (group["group_name"], group["total"]) == ("一组", "50.00")
    assert [m["month"] for m in group["members"][0]["months"]] == ["2025-02", "2025-03"]


def test_the_unions_finance_settings_are_read_and_changed(books):
    union, member, key = books
    read = call("get", "finance-settings", key, {"union": union.id})
    assert read.json()["dues_rate"] == "0.0050"
    assert read.json()["saved"] is False
    body = {
        "union": union.id,
        "dues_rate": "0.004",
        "rounding": "jiao",
        "allocation_rate": "0.02",
        "upward_share": "0.4",
    }
    changed = call("put", "finance-settings", key, body)
    assert changed.status_code == 200, changed.content
    assert (changed.json()["dues_rate"], changed.json()["saved"]) == ("0.0040", True)


# Dues: refusals ---------------------------------------------------------------------------


def test_a_negative_dues_base_is_refused(books):
    union, member, key = books
    response = call(
        "put", f"members/{member.id}/dues-base", key, {"base": "-1", "since": "2025-05"}
    )
    _assert_refused(response, "base", 400, "不能为负数")
    assert not DuesBase.objects.filter(since=date(2025, 5, 1)).exists()


def test_a_dues_rate_above_five_percent_is_refused(books):
    union, member, key = books
    body = {"base": "5000", "since": "2025-05", "rate": "0.06"}
    response = call("put", f"members/{member.id}/dues-base", key, body)
    _assert_refused(response, "rate", 400, "超出了范围")


def test_a_union_dues_rate_out_of_range_is_refused_and_nothing_saved(books):
    union, member, key = books
    body = {
        "union": union.id,
        "dues_rate": "-0.001",
        "rounding": "fen",
        "allocation_rate": "0.02",
        "upward_share": "1.5",
    }
    response = call("put", "finance-settings", key, body)
    _assert_refused(response, "dues_rate", 400, "超出了范围")
    _assert_refused(response, "upward_share", 400)
    assert not FinanceSettings.objects.exists()


def test_paying_a_month_twice_is_refused(books):
    union, member, key = books
    pay_dues(member, MARCH)
    response = call("post", "dues-payments", key, _dues(member))
    _assert_refused(response, "month", 400, "不能重复缴纳")
    assert DuesPayment.objects.count() == 1


def test_paying_a_month_before_joining_is_refused(books):
    union, member, key = books
    response = call("post", "dues-payments", key, _dues(member, month="2020-01"))
    _assert_refused(response, "month", 400, "入会前")
    assert not DuesPayment.objects.exists()


def test_paying_an_exempt_month_is_refused(books):
    union, member, key = books
    services.exempt_from_dues(member=member, starts_on=MARCH, reason="退休")
    response = call("post", "dues-payments", key, _dues(member))
    _assert_refused(response, "month", 400, "免缴会费")


def test_a_dues_amount_with_three_decimals_is_refused(books):
    union, member, key = books
    response = call("post", "dues-payments", key, _dues(member, amount="25.001"))
    _assert_refused(response, "amount", 422, "两位小数")
    assert not DuesPayment.objects.exists()


@pytest.mark.parametrize("month", ["2025-13", "2025/03", "三月", "2025-3", ""])
def test_a_malformed_month_is_refused(books, month):
    union, member, key = books
    response = call("post", "dues-payments", key, _dues(member, month=month))
    _assert_refused(response, "month", 422, "YYYY-MM")


def test_a_malformed_month_in_the_arrears_query_is_refused(books):
    union, member, key = books
    response = call("get", "dues-arrears", key, {"union": union.id, "month": "2025-00"})
    _assert_refused(response, "month", 422)


def test_an_exemption_that_ends_before_it_starts_is_refused(books):
    union, member, key = books
    body = {"member": member.id, "starts_on": "2025-05", "ends_on": "2025-04", "reason": "病休"}
    _assert_refused(call("post", "dues-exemptions", key, body), "ends_on", 400)
    assert not DuesExemption.objects.exists()


def test_a_committee_member_without_finance_rights_cannot_record_dues(books):
    union, member, _ = books
    key = token_for(user_with_role(union, Role.LIAISON))
    response = call("post", "dues-payments", key, _dues(member))
    assert response.status_code == 403, response.content
    assert not DuesPayment.objects.exists()


# Other unions' ids --------------------------------------------------------------------------


def test_another_unions_member_cannot_be_paid_for(books, other):
    union, member, key = books
    response = call("post", "dues-payments", key, _dues(other[1]))
    _assert_refused(response, "member", 400, "未找到")
    assert "乙会员" not in response.content.decode()
    assert DuesPayment.objects.filter(member=other[1]).count() == 1


def test_another_unions_member_cannot_be_exempted(books, other):
    union, member, key = books
    body = {"member": other[1].id, "starts_on": "2025-04", "reason": "病休"}
    _assert_refused(call("post", "dues-exemptions", key, body), "member", 400, "未找到")


def test_another_unions_member_has_no_dues_base_to_set(books, other):
    union, member, key = books
    response = call("put", f"members/{other[1].id}/dues-base", key, {"base": 1, "since": "2025-01"})
    assert response.status_code == 404
    assert DuesBase.objects.get(member=other[1]).base == Decimal("4000.00")


def test_another_unions_arrears_and_settings_answer_404(books, other):
    union, member, key = books
    arrears = call("get", "dues-arrears", key, {"union": other[0].id, "month": "2025-03"})
    settings = call("get", "finance-settings", key, {"union": other[0].id})
    assert (arrears.status_code, settings.status_code) == (404, 404)


def test_another_unions_settings_cannot_be_changed(books, other):
    union, member, key = books
    body = {
        "union": other[0].id,
        "dues_rate": "0.004",
        "rounding": "fen",
        "allocation_rate": "0.02",
        "upward_share": "0.4",
    }
    _assert_refused(call("put", "finance-settings", key, body), "union", 400, "未找到")
    assert not FinanceSettings.objects.exists()


def test_lists_filtered_by_another_unions_ids_are_empty(books, other):
    union, member, key = books
    assert call("get", "dues-payments", key, {"member": other[1].id}).json()["items"] == []
    assert call("get", "dues-payments", key, {"union": other[0].id}).json()["items"] == []
    assert call("get", "allocations", key, {"union": other[0].id}).json()["items"] == []


def test_another_unions_allocation_cannot_be_received_or_passed_upward(books, other):
    union, member, key = books
    allocation = other[2]
    receipt = {"amount": "1", "on": "2025-04-01", "voucher": "收-1", "idempotency_key": "k" * 10}
    transfer = {**receipt, "recipient": "市总工会"}
    got = call("post", f"allocations/{allocation.id}/receipts", key, receipt)
    sent = call("post", f"allocations/{allocation.id}/transfers", key, transfer)
    assert (got.status_code, sent.status_code) == (404, 404)
    assert not UpwardTransfer.objects.exists()


def test_an_allocation_cannot_be_recorded_for_another_union(books, other):
    union, member, key = books
    response = call("post", "allocations", key, _allocation(other[0], starts_on="2025-04-01"))
    _assert_refused(response, "union", 400, "未找到")


# The employer's allocation -------------------------------------------------------------------


def test_an_allocation_is_recorded_received_and_passed_upward(books):
    union, member, key = books
    allocation_line(union)
    created = call("post", "allocations", key, _allocation(union))
    assert created.status_code == 201, created.content
    assert created.json()["amount_due"] == "2000.00"
    pk = created.json()["id"]
    receipt = {"amount": "2000", "on": "2025-04-10", "voucher": "收-8", "idempotency_key": "r" * 12}
    got = call("post", f"allocations/{pk}/receipts", key, receipt)
    again = call("post", f"allocations/{pk}/receipts", key, receipt)
    assert (got.status_code, again.status_code) == (201, 200)
    transfer = {
        "amount": "800.00",
        "on": "2025-04-20",
        "recipient": "市总工会",
        "voucher": "付-3",
        "idempotency_key": "t" * 12,
    }
    sent = call("post", f"allocations/{pk}/transfers", key, transfer)
    assert sent.status_code == 201, sent.content
    [listed] = call("get", "allocations", key).json()["items"]
    assert (listed["received"], listed["transferred"], listed["upward_due"]) == (
        "2000.00",
        "800.00",
        "0.00",
    )


def test_an_allocation_rate_out_of_range_is_refused(books):
    union, member, key = books
    response = call("post", "allocations", key, _allocation(union, rate="0.2"))
    _assert_refused(response, "rate", 400, "超出了范围")
    assert not Allocation.objects.exists()


def test_passing_upward_more_than_the_share_received_is_refused(books):
    union, member, key = books
    allocation = services.record_allocation(
        union=union, starts_on=date(2025, 1, 1), ends_on=date(2025, 3, 31), payroll_total="1000"
    )
    transfer = {
        "amount": "0.01",
        "on": "2025-04-20",
        "recipient": "市总工会",
        "voucher": "付-3",
        "idempotency_key": "t" * 12,
    }
    response = call("post", f"allocations/{allocation.id}/transfers", key, transfer)
    _assert_refused(response, "amount", 400, "超过应上解")


# Audit reports --------------------------------------------------------------------------------


def test_an_audit_committee_member_files_and_lists_a_report(books):
    union, member, _ = books
    user, reporter = auditor(union)
    key = token_for(user)
    response = call("post", "audit-reports", key, _report(union, reporter))
    assert response.status_code == 201, response.content
    assert response.json()["filed_by_name"] == "赵敏"
    assert [r["title"] for r in call("get", "audit-reports", key).json()["items"]] == [
        "2025年上半年经费审查报告"
    ]


def test_a_non_auditor_filing_a_report_gets_403(books):
    union, member, _ = books
    user, reporter = auditor(union)
    key = token_for(user_with_role(union, Role.COMMITTEE))
    response = call("post", "audit-reports", key, _report(union, reporter))
    assert response.status_code == 403, response.content
    assert "经审" in response.json()["detail"]
    assert call("get", "audit-reports", key).status_code == 403
    assert not AuditReport.objects.exists()


def test_a_chair_cannot_name_a_reporter_outside_the_audit_committee(books):
    union, member, key = books
    response = call("post", "audit-reports", key, _report(union, member))
    _assert_refused(response, "filed_by", 400, "不是本工会的经审委员")


def test_a_report_cannot_be_filed_for_another_union_or_by_its_member(books, other):
    union, member, key = books
    user, reporter = auditor(union)
    key = token_for(user)
    elsewhere = call("post", "audit-reports", key, _report(other[0], reporter))
    _assert_refused(elsewhere, "union", 400, "未找到")
    outsider = call("post", "audit-reports", key, _report(union, other[1]))
    _assert_refused(outsider, "filed_by", 400, "未找到")
    assert "乙会员" not in outsider.content.decode()
    assert not AuditReport.objects.exists()
