"""The back-office pages for changing a request after it went out (撤回, 延期,
退回) and for editing, versioning, locking and exporting the consolidated report."""

import io
from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone
from docx import Document

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


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _request(t):
    """A statistics request for this year, due early next year (ahead of the real today)."""
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


def _board(request) -> str:
    return f"/admin/collection/collection-requests/{request.pk}/"


def _submitted(t, request, unit) -> Submission:
    s = Submission.objects.get(request=request, union=unit)
    return services.submit_return(submission=s, actor=t.chair(unit))


def _text(response) -> str:
    return response.content.decode()


# Withdrawing ---------------------------------------------------------------------------


def test_staff_withdraw_from_the_board_and_the_units_dashboard_card_disappears():
    t = tree()
    request = _request(t)
    unit = t.units[0]
    services.remind(request=request, actor=t.staff, note="请抓紧报送")
    dashboard = f"/admin/reports/?union={unit.pk}"
    assert "请抓紧报送" in _text(_client(t.chair(unit)).get(dashboard))
    response = _client(t.staff).post(
        _board(request) + "withdraw/", {"reason": "统计口径调整，另行通知"}, follow=True
    )
    page = _text(response)
    assert "本通知已撤回" in page and "统计口径调整，另行通知" in page
    assert 'id="remind-all"' not in page
    after = _text(_client(t.chair(unit)).get(dashboard))
    assert request.title not in after and "请抓紧报送" not in after


def test_a_unit_reads_its_return_to_a_withdrawn_request():
    t = tree()
    request = _request(t)
    unit = t.units[0]
    done = _submitted(t, request, unit)
    services.withdraw_request(request=request, reason="重新部署", actor=t.staff)
    page = _text(_client(t.chair(unit)).get(f"/admin/collection/submissions/{done.pk}/"))
    assert "撤回" in page and "重新部署" in page and "已报送" in page and 'id="figures"' in page
    assert 'id="submit-return"' not in page


def test_a_withdrawal_without_a_reason_shows_a_chinese_message_and_keeps_the_request_open():
    t = tree()
    request = _request(t)
    response = _client(t.staff).post(_board(request) + "withdraw/", {"reason": ""}, follow=True)
    assert "请填写撤回原因" in _text(response)
    request.refresh_from_db()
    assert request.is_open


def test_withdrawing_twice_from_the_page_is_refused():
    t = tree()
    request = _request(t)
    client = _client(t.staff)
    client.post(_board(request) + "withdraw/", {"reason": "重新部署"})
    response = client.post(_board(request) + "withdraw/", {"reason": "再次撤回"}, follow=True)
    assert "不能重复撤回" in _text(response)
    request.refresh_from_db()
    assert request.withdrawn_reason == "重新部署"


def test_a_unit_chair_cannot_withdraw_and_an_outsider_gets_not_found():
    t = tree()
    request = _request(t)
    url = _board(request) + "withdraw/"
    assert _client(t.chair(t.units[0])).post(url, {"reason": "x"}).status_code == 404
    district_staff = user_with_role(t.districts[0], Role.UPPER_STAFF)
    assert _client(district_staff).post(url, {"reason": "x"}).status_code == 404
    outsider = user_with_role(UnionFactory(kind=UnionKind.FEDERATION), Role.UPPER_STAFF)
    assert _client(outsider).post(url, {"reason": "x"}).status_code == 404
    request.refresh_from_db()
    assert request.state == RequestState.OPEN


def test_a_read_only_upper_union_above_the_issuer_cannot_withdraw():
    t = tree()
    district_staff = user_with_role(t.districts[0], Role.UPPER_STAFF)
    year = timezone.localdate().year
    own = services.issue_request(
        union=t.districts[0],
        kind=STATISTICS,
        start=date(year, 1, 1),
        end=date(year, 12, 31),
        deadline=date(year + 1, 1, 15),
        everyone=True,
        actor=district_staff,
    )
    response = _client(t.staff).post(_board(own) + "withdraw/", {"reason": "市总撤回"})
    assert response.status_code == 403
    own.refresh_from_db()
    assert own.is_open


# Extending ------------------------------------------------------------------------------


def test_staff_extend_the_deadline_and_the_unit_sees_the_new_one():
    t = tree()
    request = _request(t)
    later = request.deadline + timedelta(days=10)
    response = _client(t.staff).post(
        _board(request) + "extend/",
        {"deadline": later.isoformat(), "reason": "春节假期顺延"},
        follow=True,
    )
    page = _text(response)
    assert "春节假期顺延" in page and later.isoformat() in page
    unit = t.units[0]
    dashboard = _text(_client(t.chair(unit)).get(f"/admin/reports/?union={unit.pk}"))
    assert f"{later.year}年{later.month}月{later.day}日" in dashboard


@pytest.mark.parametrize(
    ("deadline", "reason", "message"),
    [
        ("2000-01-01", "推迟", "已经过去"),
        ("2026-13-45", "推迟", "格式不正确"),
        ("", "推迟", "请填写新的报送截止日期"),
        ("next", "", "格式不正确"),
    ],
    ids=["past", "not-a-date", "missing-date", "garbage"],
)
def test_a_bad_extension_from_the_page_is_refused_in_chinese(deadline, reason, message):
    t = tree()
    request = _request(t)
    before = request.deadline
    response = _client(t.staff).post(
        _board(request) + "extend/", {"deadline": deadline, "reason": reason}, follow=True
    )
    assert message in _text(response)
    request.refresh_from_db()
    assert request.deadline == before and not DeadlineChange.objects.exists()


def test_an_extension_without_a_reason_is_refused():
    t = tree()
    request = _request(t)
    later = request.deadline + timedelta(days=10)
    response = _client(t.staff).post(
        _board(request) + "extend/", {"deadline": later.isoformat(), "reason": " "}, follow=True
    )
    assert "请填写延期原因" in _text(response)
    assert not DeadlineChange.objects.exists()


# Sending back ---------------------------------------------------------------------------


def test_staff_send_a_return_back_and_the_unit_sees_why_on_its_dashboard():
    t = tree()
    request = _request(t)
    unit = t.units[0]
    done = _submitted(t, request, unit)
    url = f"/admin/collection/submissions/{done.pk}/"
    assert 'id="send-back"' in _text(_client(t.staff).get(url))
    response = _client(t.staff).post(
        url + "send-back/", {"reason": "会员数与年报不符"}, follow=True
    )
    page = _text(response)
    assert "退回重报" in page and "会员数与年报不符" in page and 'data-earlier="1"' in page
    dashboard = _text(_client(t.chair(unit)).get(f"/admin/reports/?union={unit.pk}"))
    assert "退回了本单位的报送：会员数与年报不符" in dashboard
    assert f'data-submit-return="{done.pk}"' in dashboard


def test_the_board_counts_a_return_sent_back_as_outstanding():
    t = tree()
    request = _request(t)
    done = _submitted(t, request, t.units[0])
    services.send_back(submission=done, reason="数据有误", actor=t.staff)
    page = _text(_client(t.staff).get(_board(request)))
    assert 'data-count="sent_back">1<' in page and 'data-status="sent_back"' in page


def test_a_unit_chair_cannot_send_back_its_own_return():
    t = tree()
    request = _request(t)
    unit = t.units[0]
    done = _submitted(t, request, unit)
    url = f"/admin/collection/submissions/{done.pk}/"
    assert 'id="send-back"' not in _text(_client(t.chair(unit)).get(url))
    assert _client(t.chair(unit)).post(url + "send-back/", {"reason": "x"}).status_code == 403
    assert not SentBackReturn.objects.exists()


def test_sending_back_a_return_not_made_shows_a_chinese_message():
    t = tree()
    request = _request(t)
    s = Submission.objects.get(request=request, union=t.units[0])
    url = f"/admin/collection/submissions/{s.pk}/send-back/"
    response = _client(t.staff).post(url, {"reason": "数据有误"}, follow=True)
    assert "尚未报送，无需退回" in _text(response)
    assert not SentBackReturn.objects.exists()


def test_sending_back_without_a_reason_shows_a_chinese_message():
    t = tree()
    request = _request(t)
    done = _submitted(t, request, t.units[0])
    url = f"/admin/collection/submissions/{done.pk}/send-back/"
    assert "请填写退回原因" in _text(_client(t.staff).post(url, {"reason": ""}, follow=True))
    done.refresh_from_db()
    assert done.is_submitted


# The consolidated report ------------------------------------------------------------------


def _report(t):
    request = _request(t)
    return services.draft_consolidated(request=request, actor=t.staff)


def _page(report) -> str:
    return f"/admin/collection/consolidated-reports/{report.pk}/"


def test_staff_save_an_edit_as_version_two_and_read_version_one_again():
    t = tree()
    report = _report(t)
    client = _client(t.staff)
    first = report.latest_version().body
    response = client.post(_page(report), {"body": first + "<p>新增的一段。</p>"}, follow=True)
    page = _text(response)
    assert "已保存为第2版" in page and "新增的一段。" in page and 'id="edit"' in page
    old = _text(client.get(_page(report) + "?version=1"))
    assert 'id="old-version"' in old and "新增的一段。" not in old
    assert 'id="edit"' not in old  # an earlier version is read, not edited


def test_an_unknown_version_is_not_found():
    t = tree()
    report = _report(t)
    assert _client(t.staff).get(_page(report) + "?version=9").status_code == 404


def test_an_empty_edit_shows_a_chinese_message_and_keeps_one_version():
    t = tree()
    report = _report(t)
    response = _client(t.staff).post(_page(report), {"body": "<script>x</script>"})
    assert "正文不能为空" in _text(response)
    assert report.versions.count() == 1


def test_locking_makes_the_page_read_only_and_refuses_a_later_edit():
    t = tree()
    report = _report(t)
    client = _client(t.staff)
    page = _text(client.post(_page(report) + "lock/", follow=True))
    assert "已定稿" in page and 'id="edit"' not in page and 'id="lock-report"' not in page
    refused = _text(client.post(_page(report), {"body": "<p>改一改</p>"}))
    assert "已定稿，不能再修改" in refused
    report.refresh_from_db()
    assert report.state == ConsolidatedState.LOCKED and report.versions.count() == 1
    board = _text(client.get(_board(report.request)))
    assert "本次上报已办结" in board


def test_a_unit_chair_cannot_edit_or_lock_the_consolidated_report():
    t = tree()
    report = _report(t)
    chair = _client(t.chair(t.units[0]))
    assert chair.post(_page(report), {"body": "<p>x</p>"}).status_code == 404
    assert chair.post(_page(report) + "lock/").status_code == 404
    district_staff = _client(user_with_role(t.districts[0], Role.UPPER_STAFF))
    assert district_staff.post(_page(report) + "lock/").status_code == 404
    report.refresh_from_db()
    assert report.state == ConsolidatedState.DRAFT and report.versions.count() == 1


def test_the_word_export_carries_the_latest_version_and_an_earlier_one_on_request():
    t = tree()
    report = _report(t)
    client = _client(t.staff)
    services.save_consolidated_version(
        report=report, body=report.latest_version().body + "<p>第二版新增。</p>", actor=t.staff
    )
    latest = client.get(_page(report) + "export.docx")
    assert latest["Content-Type"].startswith("application/vnd.openxmlformats")
    text = "\n".join(p.text for p in Document(io.BytesIO(latest.content)).paragraphs)
    assert "第二版新增。" in text and "工作汇总报告" in text
    first = client.get(_page(report) + "export.docx?version=1")
    first_text = "\n".join(p.text for p in Document(io.BytesIO(first.content)).paragraphs)
    assert "第二版新增。" not in first_text and "工作汇总报告" in first_text


def test_the_page_flags_a_figure_that_changed_since_drafting():
    t = tree()
    report = _report(t)
    client = _client(t.staff)
    assert 'id="stale"' not in _text(client.get(_page(report)))
    _submitted(t, report.request, t.units[0])
    page = _text(client.get(_page(report)))
    assert 'id="stale"' in page and "已报送单位：起草时为 0家，现为 1家" in page
