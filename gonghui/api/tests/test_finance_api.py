"""The finance endpoints: years, lines and adjustments, payments and income with
idempotency keys, budget execution, payment attachments, and every refusal."""

import uuid
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from gonghui.activities.tests.factories import ActivityFactory
from gonghui.api.tests.calls import call, token_for
from gonghui.finance.models import BudgetLine, Income, Payment
from gonghui.finance.tests.factories import BudgetLineFactory, FiscalYearFactory, pay
from gonghui.orgs.roles import Role
from gonghui.orgs.tests.factories import UnionFactory, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def books():
    line = BudgetLineFactory(name="文体活动", planned=Decimal("1000.00"))
    key = token_for(user_with_role(line.union, Role.CHAIR))
    return line, key


def _payment(budget_line, **over):
    data = {
        "union": budget_line.union_id,
        "line": budget_line.id,
        "amount": "120.50",
        "on": "2025-03-02",
        "payee": "文体用品商店",
        "voucher": "记-12",
        "idempotency_key": uuid.uuid4().hex,
    }
    data.update(over)
    return {k: v for k, v in data.items() if v is not ...}


def _assert_refused(response, field, status, fragment=None):
    assert response.status_code == status, response.content
    fields = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert field in fields, response.json()
    assert any("\u4e00" <= ch <= "\u9fff" for ch in fields[field])
    if fragment:
        assert fragment in fields[field], fields[field]


# Happy paths --------------------------------------------------------------------------


def test_a_payment_is_recorded_and_its_amount_comes_back_as_text_with_cents(books):
    line, key = books
    response = call("post", "payments", key, _payment(line, amount=99.9))
    assert response.status_code == 201, response.content
    assert response.json()["amount"] == "99.90"
    assert Payment.objects.get().amount == Decimal("99.90")
    assert BudgetLine.objects.get(pk=line.pk).actual == Decimal("99.90")


def test_repeating_an_idempotency_key_returns_the_same_payment_with_200_and_writes_nothing(books):
    line, key = books
    body = _payment(line)
    first = call("post", "payments", key, body)
    again = call("post", "payments", key, body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json() == again.json()
    assert Payment.objects.count() == 1
    assert BudgetLine.objects.get(pk=line.pk).actual == Decimal("120.50")


def test_a_payment_is_linked_to_an_activity_of_the_same_union(books):
    line, key = books
    activity = ActivityFactory(union=line.union)
    response = call("post", "payments", key, _payment(line, activity=activity.id))
    assert response.json()["linked"] == {"type": "activity", "id": activity.id}


def test_income_is_recorded_once_per_key(books):
    line, key = books
    income_line = BudgetLineFactory(fiscal_year=line.fiscal_year, category="dues", name="会费")
    body = _payment(income_line, payer="全体会员")
    del body["payee"]
    assert call("post", "income", key, body).status_code == 201
    assert call("post", "income", key, body).status_code == 200
    assert Income.objects.count() == 1
    listed = call("get", "income", key).json()["items"]
    assert [(i["payer"], i["amount"]) for i in listed] == [("全体会员", "120.50")]


def test_the_payment_list_filters_by_union_year_category_line_and_dates(books):
    line, key = books
    other_line = BudgetLineFactory(fiscal_year=line.fiscal_year, category="rights", name="维权")
    march = pay(line, "10", on=date(2025, 3, 1))
    june = pay(line, "20", on=date(2025, 6, 1))
    rights = pay(other_line, "30", on=date(2025, 4, 1))
    pay(BudgetLineFactory(), "40")  # another union's

    def ids(**query):
        response = call("get", "payments", key, query)
        assert response.status_code == 200, response.content
        return [p["id"] for p in response.json()["items"]]

    assert ids() == [march.id, june.id, rights.id]
    assert ids(union=line.union_id, year=2025) == [march.id, june.id, rights.id]
    assert ids(year=2024) == []
    assert ids(category="rights") == [rights.id]
    assert ids(line=line.id) == [march.id, june.id]
    assert ids(on_from="2025-04-01", on_until="2025-05-31") == [rights.id]


def test_walking_the_payment_pages_returns_each_payment_once(books):
    line, key = books
    made = [pay(line, "1") for _ in range(5)]
    seen, cursor = [], None
    while True:
        query = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        body = call("get", "payments", key, query).json()
        seen += [p["id"] for p in body["items"]]
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert seen == [p.id for p in made]


def test_a_line_is_added_and_its_budget_adjusted(books):
    line, key = books
    created = call(
        "post",
        f"fiscal-years/{line.fiscal_year_id}/lines",
        key,
        {"category": "operations", "name": "办公用品", "planned": 500},
    )
    assert created.status_code == 201, created.content
    assert created.json()["planned"] == "500.00"
    adjusted = call(
        "post",
        f"budget-lines/{created.json()['id']}/adjustments",
        key,
        {"delta": "-120.25", "reason": "压缩开支"},
    )
    assert adjusted.status_code == 201, adjusted.content
    assert adjusted.json()["line"]["budget"] == "379.75"
    assert adjusted.json()["delta"] == "-120.25"
    years = call("get", "fiscal-years", key).json()
    assert [(y["year"], y["closed"]) for y in years] == [(2025, False)]
    names = [ln["name"] for ln in call("get", "budget-lines", key, {"kind": "expenditure"}).json()]
    assert set(names) == {"文体活动", "办公用品"}


def test_budget_execution_shows_each_line_with_its_share_and_level(books):
    line, key = books
    pay(line, "950")
    response = call("get", "budget-execution", key, {"union": line.union_id, "year": 2025})
    assert response.status_code == 200, response.content
    [row] = response.json()
    assert (row["budget"], row["actual"], row["remaining"]) == ("1000.00", "950.00", "50.00")
    assert (row["share"], row["level"]) == ("95.0", "warning")


def test_an_over_budget_payment_needs_a_reason(books):
    line, key = books
    refused = call("post", "payments", key, _payment(line, amount="1000.01"))
    _assert_refused(refused, "over_budget_reason", 400, "超出预算")
    assert not Payment.objects.exists()
    allowed = call(
        "post", "payments", key, _payment(line, amount="1000.01", over_budget_reason="追加活动")
    )
    assert allowed.status_code == 201 and allowed.json()["over_budget"] is True


def test_a_receipt_scan_is_attached_to_a_payment(books, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    line, key = books
    payment = pay(line, "5")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    url = f"/api/v1/payments/{payment.id}/attachments"
    scan = SimpleUploadedFile("发票.pdf", b"%PDF-1.4 receipt", content_type="application/pdf")
    response = Client().post(url, {"file": scan}, **auth)
    assert response.status_code == 201, response.content
    assert [a["original_name"] for a in Client().get(url, **auth).json()] == ["发票.pdf"]
    fake = SimpleUploadedFile("发票.pdf", b"GIF89a....", content_type="application/pdf")
    _assert_refused(Client().post(url, {"file": fake}, **auth), "file", 400, "PDF")


# Permissions and other unions ---------------------------------------------------------------


def test_an_auditor_reads_the_books_but_cannot_write():
    line = BudgetLineFactory()
    key = token_for(user_with_role(line.union, Role.AUDIT))
    assert call("get", "payments", key).status_code == 200
    refused = call("post", "payments", key, _payment(line))
    assert refused.status_code == 403
    adjust = call("post", f"budget-lines/{line.id}/adjustments", key, {"delta": 1, "reason": "x"})
    assert adjust.status_code == 403
    assert not Payment.objects.exists()


def test_a_liaison_without_finance_rights_gets_403_on_every_list():
    union = UnionFactory()
    key = token_for(user_with_role(union, Role.LIAISON))
    for path in ("payments", "income", "fiscal-years", "budget-lines"):
        assert call("get", path, key).status_code == 403, path


@pytest.mark.parametrize(
    "method,path,data",
    [
        ("post", "fiscal-years/{year}/lines", {"category": "rights", "name": "x", "planned": 1}),
        ("post", "budget-lines/{line}/adjustments", {"delta": "1", "reason": "x"}),
        ("get", "payments/{payment}", None),
        ("get", "payments/{payment}/attachments", None),
        ("post", "payments/{payment}/attachments", None),
        ("get", "income/{payment}", None),
        ("get", "budget-execution?union={union}&year=2025", None),
    ],
)
def test_another_unions_ids_in_the_path_answer_404(books, method, path, data):
    _, key = books
    theirs = BudgetLineFactory(name="乙方秘密科目")
    payment = pay(theirs, "5")
    url = path.format(
        year=theirs.fiscal_year_id, line=theirs.id, payment=payment.id, union=theirs.union_id
    )
    response = call(method, url, key, data)
    assert response.status_code == 404, response.content
    assert response.json() == {"detail": "未找到"}
    assert BudgetLine.objects.get(pk=theirs.pk).budget == Decimal("10000.00")


def test_another_unions_line_union_or_activity_in_a_payment_is_not_found(books):
    line, key = books
    theirs = BudgetLineFactory(name="乙方秘密科目")
    activity = ActivityFactory(title="乙方秘密活动")
    for over, field in [
        ({"line": theirs.id}, "line"),
        ({"union": theirs.union_id}, "union"),
        ({"activity": activity.id}, "activity"),
    ]:
        response = call("post", "payments", key, _payment(line, **over))
        _assert_refused(response, field, 400, "未找到")
        assert "乙方" not in response.content.decode()
    assert not Payment.objects.exists()


# Bad input --------------------------------------------------------------------------------------

PAYMENT_CASES = [
    ("three decimals", {"amount": "12.345"}, "amount", 422, "两位小数"),
    ("float artifact", {"amount": 0.30000000000000004}, "amount", 422, "两位小数"),
    ("negative", {"amount": "-5.00"}, "amount", 400, "大于零"),
    ("zero", {"amount": 0}, "amount", 400, "大于零"),
    ("words", {"amount": "一百"}, "amount", 422, "有效金额"),
    ("boolean", {"amount": True}, "amount", 422, "true"),
    ("not a number", {"amount": "NaN"}, "amount", 422, "有效金额"),
    ("too large", {"amount": "100000000000000000000.00"}, "amount", 422, "过大"),
    ("too large as a number", {"amount": 1e20}, "amount", 422, "过大"),
    ("exponent", {"amount": "1e3"}, "amount", 422, "有效金额"),
    ("spaces around", {"amount": " 12.50 "}, "amount", 422, "有效金额"),
    ("date as a unix time", {"on": 0}, "on", 422, "YYYY-MM-DD"),
    ("line as false", {"line": False}, "line", 422, "整数"),
    ("payee as a number", {"payee": 12345}, "payee", 422, "文本"),
    ("list", {"amount": [1]}, "amount", 422, "金额"),
    ("missing amount", {"amount": ...}, "amount", 422, "缺少必填字段"),
    ("missing key", {"idempotency_key": ...}, "idempotency_key", 422, "缺少必填字段"),
    ("short key", {"idempotency_key": "abc"}, "idempotency_key", 422, "8"),
    ("key with spaces", {"idempotency_key": "a b c d e f g h"}, "idempotency_key", 422, None),
    ("bad date", {"on": "2025-02-30"}, "on", 422, "YYYY-MM-DD"),
    ("date outside the year", {"on": "2024-12-31"}, "on", 400, "年度"),
    ("blank payee", {"payee": "   "}, "payee", 400, "不能为空"),
    ("payee too long", {"payee": "商" * 101}, "payee", 422, "100"),
    ("line as text", {"line": "文体"}, "line", 422, "整数"),
    ("unknown field", {"approved": True}, "approved", 422, "不支持"),
]


@pytest.mark.parametrize(
    "case,over,field,status,fragment", PAYMENT_CASES, ids=[c[0] for c in PAYMENT_CASES]
)
def test_a_bad_payment_is_refused_in_chinese_and_writes_nothing(
    books, case, over, field, status, fragment
):
    line, key = books
    _assert_refused(call("post", "payments", key, _payment(line, **over)), field, status, fragment)
    assert not Payment.objects.exists()


def test_an_income_line_cannot_take_a_payment(books):
    line, key = books
    dues = BudgetLineFactory(fiscal_year=line.fiscal_year, category="dues", name="会费")
    _assert_refused(call("post", "payments", key, _payment(dues)), "line", 400, "收入科目")


@pytest.mark.parametrize(
    "body,field,status",
    [
        ({"category": "bonus", "name": "x", "planned": 1}, "category", 422),
        ({"category": "rights", "name": "x", "planned": "1.001"}, "planned", 422),
        ({"category": "rights", "name": "x", "planned": "-1"}, "planned", 400),
        ({"category": "rights", "name": "文体活动", "planned": 1}, "name", 400),
    ],
)
def test_a_bad_budget_line_is_refused(books, body, field, status):
    line, key = books
    response = call("post", f"fiscal-years/{line.fiscal_year_id}/lines", key, body)
    _assert_refused(response, field, status)
    assert BudgetLine.objects.count() == 1


def test_an_adjustment_below_zero_or_without_reason_is_refused(books):
    line, key = books
    url = f"budget-lines/{line.id}/adjustments"
    _assert_refused(call("post", url, key, {"delta": "-1000.01", "reason": "砍"}), "delta", 400)
    _assert_refused(call("post", url, key, {"delta": "0", "reason": "无"}), "delta", 400)
    _assert_refused(call("post", url, key, {"delta": "5", "reason": " "}), "reason", 400)
    assert BudgetLine.objects.get(pk=line.pk).budget == Decimal("1000.00")


@pytest.mark.parametrize("path", ["payments", "income"])
def test_a_malformed_cursor_or_filter_is_refused(books, path):
    _, key = books
    _assert_refused(call("get", path, key, {"cursor": "Zm9vYmFy"}), "cursor", 400, "游标")
    _assert_refused(call("get", path, key, {"category": "bonus"}), "category", 422)
    _assert_refused(call("get", path, key, {"year": 1800}), "year", 422)


@pytest.mark.parametrize("text", ["<script>alert(1)</script>", "'; DROP TABLE finance_payment; --"])
def test_script_and_sql_in_a_payee_are_stored_inert(books, text):
    line, key = books
    response = call("post", "payments", key, _payment(line, payee=text, note=text))
    assert response.status_code == 201, response.content
    assert Payment.objects.get().payee == text
    assert call("get", f"payments/{response.json()['id']}", key).json()["note"] == text


def test_the_years_of_one_union_can_be_listed_alone(books):
    line, key = books
    FiscalYearFactory(union=line.union, year=2026)
    years = call("get", "fiscal-years", key, {"union": line.union_id}).json()
    assert [y["year"] for y in years] == [2026, 2025]
