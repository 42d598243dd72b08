"""The API for changing a request after it went out (撤回, 延期, 退回) and for the
consolidated report's versions, locking and Word file: bad inputs answered in
Chinese with nothing written, another union's ids answered 404."""

import io
from datetime import date, timedelta

import pytest
from django.utils import timezone
from docx import Document

from gonghui.api.tests.calls import call, token_for
from gonghui.collection import services
from gonghui.collection.models import (
    STATISTICS,
    ConsolidatedState,
    DeadlineChange,
    RequestState,
    SentBackReturn,
    Submission,
)
from gonghui.collection.tests.factories import tree
from gonghui.orgs.models import UnionKind
from gonghui.orgs.roles import Role
from gonghui.orgs.tests.factories import UnionFactory, user_with_role

pytestmark = pytest.mark.django_db


def _request(t):
    year = timezone.localdate().year
    return services.issue_request(
        union=t.city,
        kind=STATISTICS,
        start=date(year, 1, 1),
        end=date(year, 12, 31),
        deadline=date(year + 1, 1, 15),
        everyone=True,
        actor=t.staff,
    )


def _errors(response) -> dict:
    return {e["field"]: e["message"] for e in response.json().get("errors", [])}


def _outsider_key():
    outsider = user_with_role(UnionFactory(kind=UnionKind.FEDERATION), Role.UPPER_STAFF)
    return token_for(outsider)


# Withdrawing ---------------------------------------------------------------------------


def test_staff_withdraw_a_request_and_the_unit_no_longer_lists_it_as_due():
    t = tree()
    request = _request(t)
    key = token_for(t.staff)
    response = call("post", f"collection/requests/{request.pk}/withdraw", key, {"reason": "重发"})
    assert response.status_code == 200
    body = response.json()
    assert body["state"] == "withdrawn" and body["withdrawn_reason"] == "重发"
    assert body["counts"]["not_due"] == 5
    unit = t.units[0]
    mine = call("get", "collection/submissions", token_for(t.chair(unit))).json()
    assert mine[0]["status"] == "not_due"


def test_withdrawing_twice_by_api_is_refused_in_chinese():
    t = tree()
    request = _request(t)
    key = token_for(t.staff)
    call("post", f"collection/requests/{request.pk}/withdraw", key, {"reason": "重发"})
    again = call("post", f"collection/requests/{request.pk}/withdraw", key, {"reason": "再撤"})
    assert again.status_code == 400
    assert "不能重复撤回" in again.json()["detail"]


def test_a_withdrawal_without_a_reason_is_refused_by_the_api():
    t = tree()
    request = _request(t)
    key = token_for(t.staff)
    blank = call("post", f"collection/requests/{request.pk}/withdraw", key, {"reason": " "})
    assert blank.status_code == 400 and "请填写撤回原因" in _errors(blank)["reason"]
    missing = call("post", f"collection/requests/{request.pk}/withdraw", key, {})
    assert missing.status_code == 422
    request.refresh_from_db()
    assert request.is_open


def test_another_unions_request_cannot_be_withdrawn_or_extended():
    t = tree()
    request = _request(t)
    key = _outsider_key()
    url = f"collection/requests/{request.pk}"
    assert call("post", f"{url}/withdraw", key, {"reason": "x"}).status_code == 404
    later = str(request.deadline + timedelta(days=5))
    assert call("post", f"{url}/extend", key, {"deadline": later, "reason": "x"}).status_code == 404
    request.refresh_from_db()
    assert request.state == RequestState.OPEN and not DeadlineChange.objects.exists()


def test_a_unit_chair_cannot_withdraw_by_api():
    t = tree()
    request = _request(t)
    key = token_for(t.chair(t.units[0]))
    response = call("post", f"collection/requests/{request.pk}/withdraw", key, {"reason": "x"})
    assert response.status_code == 404
    request.refresh_from_db()
    assert request.is_open


# Extending ------------------------------------------------------------------------------


def test_staff_extend_a_deadline_and_the_unit_reads_the_new_one():
    t = tree()
    request = _request(t)
    later = request.deadline + timedelta(days=10)
    response = call(
        "post",
        f"collection/requests/{request.pk}/extend",
        token_for(t.staff),
        {"deadline": str(later), "reason": "春节顺延"},
    )
    assert response.status_code == 200
    assert response.json()["deadline"] == str(later)
    assert response.json()["deadline_changes"][0]["reason"] == "春节顺延"
    unit = t.units[0]
    mine = call("get", "collection/submissions", token_for(t.chair(unit))).json()
    assert mine[0]["deadline"] == str(later)


@pytest.mark.parametrize(
    ("deadline", "reason", "field", "message"),
    [
        ("2000-01-01", "推迟", "deadline", "已经过去"),
        ("same", "推迟", "deadline", "应晚于原截止日期"),
        ("later", "", "reason", "请填写延期原因"),
    ],
    ids=["past", "not-later", "no-reason"],
)
def test_a_bad_extension_is_answered_in_chinese_and_nothing_changes(
    deadline, reason, field, message
):
    t = tree()
    request = _request(t)
    value = {"same": request.deadline, "later": request.deadline + timedelta(days=3)}.get(
        deadline, deadline
    )
    response = call(
        "post",
        f"collection/requests/{request.pk}/extend",
        token_for(t.staff),
        {"deadline": str(value), "reason": reason},
    )
    assert response.status_code == 400
    assert message in _errors(response)[field]
    assert not DeadlineChange.objects.exists()


def test_an_extension_that_is_not_a_date_is_malformed():
    t = tree()
    request = _request(t)
    response = call(
        "post",
        f"collection/requests/{request.pk}/extend",
        token_for(t.staff),
        {"deadline": "下周五", "reason": "推迟"},
    )
    assert response.status_code == 422
    assert not DeadlineChange.objects.exists()


# Sending back ---------------------------------------------------------------------------


def test_staff_send_a_return_back_and_both_returns_are_readable():
    t = tree()
    request = _request(t)
    unit = t.units[0]
    s = Submission.objects.get(request=request, union=unit)
    services.submit_return(submission=s, actor=t.chair(unit))
    response = call(
        "post", f"collection/submissions/{s.pk}/send-back", token_for(t.staff), {"reason": "有误"}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "sent_back" and body["figures"] == []
    assert body["sent_back"][0]["reason"] == "有误" and body["sent_back"][0]["figures"]
    again = call("post", f"collection/submissions/{s.pk}/submit", token_for(t.chair(unit)), {})
    assert again.status_code == 200
    assert again.json()["status"] == "submitted" and len(again.json()["sent_back"]) == 1


def test_a_return_not_made_cannot_be_sent_back_by_api():
    t = tree()
    request = _request(t)
    s = Submission.objects.get(request=request, union=t.units[0])
    response = call(
        "post", f"collection/submissions/{s.pk}/send-back", token_for(t.staff), {"reason": "有误"}
    )
    assert response.status_code == 400 and "尚未报送" in response.json()["detail"]
    assert not SentBackReturn.objects.exists()


def test_a_unit_cannot_send_its_own_return_back_and_an_outsider_gets_not_found():
    t = tree()
    request = _request(t)
    unit = t.units[0]
    s = Submission.objects.get(request=request, union=unit)
    services.submit_return(submission=s, actor=t.chair(unit))
    url = f"collection/submissions/{s.pk}/send-back"
    assert call("post", url, token_for(t.chair(unit)), {"reason": "x"}).status_code == 403
    assert call("post", url, _outsider_key(), {"reason": "x"}).status_code == 404
    s.refresh_from_db()
    assert s.is_submitted and not SentBackReturn.objects.exists()


# The consolidated report ------------------------------------------------------------------


def _report(t):
    return services.draft_consolidated(request=_request(t), actor=t.staff)


def test_staff_save_a_version_lock_the_report_and_download_it():
    t = tree()
    report = _report(t)
    key = token_for(t.staff)
    url = f"collection/consolidated/{report.pk}"
    body = report.latest_version().body + "<p>经研究补充。</p>"
    saved = call("post", f"{url}/versions", key, {"body": body})
    assert saved.status_code == 201
    assert saved.json()["version"] == 2 and len(saved.json()["versions"]) == 2
    locked = call("post", f"{url}/lock", key, {})
    assert locked.status_code == 200 and locked.json()["state"] == "locked"
    refused = call("post", f"{url}/versions", key, {"body": "<p>再改</p>"})
    assert refused.status_code == 400 and "已定稿" in refused.json()["detail"]
    docx = call("get", f"{url}/export.docx", key)
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert "经研究补充。" in text


def test_an_empty_version_is_refused_by_the_api():
    t = tree()
    report = _report(t)
    response = call(
        "post",
        f"collection/consolidated/{report.pk}/versions",
        token_for(t.staff),
        {"body": "<script>x</script>"},
    )
    assert response.status_code == 400 and "正文不能为空" in _errors(response)["body"]
    assert report.versions.count() == 1


def test_another_unions_consolidated_report_is_not_found():
    t = tree()
    report = _report(t)
    key = _outsider_key()
    url = f"collection/consolidated/{report.pk}"
    assert call("get", url, key).status_code == 404
    assert call("post", f"{url}/versions", key, {"body": "<p>x</p>"}).status_code == 404
    assert call("post", f"{url}/lock", key, {}).status_code == 404
    assert call("get", f"{url}/export.docx", key).status_code == 404
    report.refresh_from_db()
    assert report.state == ConsolidatedState.DRAFT and report.versions.count() == 1


def test_the_new_endpoints_are_published_in_the_openapi_schema():
    # The router's own table, not a full schema build (seconds on a busy machine):
    # every operation listed here is in /api/v1/openapi.json unless it opts out.
    from gonghui.api.collection import router

    published = {
        path
        for path, view in router.path_operations.items()
        if all(op.include_in_schema for op in view.operations)
    }
    for path in (
        "/collection/requests/{request_id}/withdraw",
        "/collection/requests/{request_id}/extend",
        "/collection/submissions/{submission_id}/send-back",
        "/collection/consolidated/{report_id}",
        "/collection/consolidated/{report_id}/versions",
        "/collection/consolidated/{report_id}/lock",
        "/collection/consolidated/{report_id}/export.docx",
    ):
        assert path in published, path
