"""Changing a request after it went out: withdrawing it (撤回), extending its
deadline (延期), sending a unit's return back (退回), and the consolidated
report kept in versions and locked (定稿)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from gonghui.collection import consolidated, queries, services
from gonghui.collection.models import (
    STATISTICS,
    CollectionRequest,
    ConsolidatedState,
    ConsolidatedVersion,
    DeadlineChange,
    RequestState,
    ReturnedFigure,
    SentBackReturn,
    Submission,
)
from gonghui.collection.tests.factories import TODAY, SummaryReportFactory, issue, tree

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
ON_TIME = datetime(2026, 7, 10, 9, 0, tzinfo=SHANGHAI)


def _message(error: ValidationError, field: str) -> str:
    return " ".join(error.message_dict[field])


def _submitted(t, request, unit, **kwargs):
    s = request.submissions.get(union=unit)
    return services.submit_return(submission=s, actor=t.chair(unit), now=ON_TIME, **kwargs)


# Withdrawing ---------------------------------------------------------------------------


def test_a_withdrawn_request_is_no_longer_due_for_any_unit():
    t = tree()
    request = issue(t, kind=STATISTICS)
    services.remind(request=request, actor=t.staff, note="请抓紧")
    services.withdraw_request(request=request, reason="期间填写有误，将重新发出", actor=t.staff)
    request.refresh_from_db()
    assert request.state == RequestState.WITHDRAWN
    assert request.withdrawn_reason == "期间填写有误，将重新发出"
    assert request.withdrawn_by == t.staff
    for unit in t.units:
        assert queries.open_returns(unit.pk) == []
        assert queries.reminders_for(unit.pk) == []


def test_a_return_made_before_the_withdrawal_stays_readable():
    t = tree()
    request = issue(t, kind=STATISTICS)
    done = _submitted(t, request, t.units[0])
    services.withdraw_request(request=request, reason="重新部署", actor=t.staff)
    done.refresh_from_db()
    assert done.is_submitted and done.figures.exists()
    b = queries.board(request, today=TODAY)
    assert b.counts["submitted"] == 1 and b.counts["not_due"] == 4 and b.outstanding == 0


def test_withdrawing_twice_is_refused_in_chinese():
    t = tree()
    request = issue(t)
    services.withdraw_request(request=request, reason="重新部署", actor=t.staff)
    with pytest.raises(ValidationError) as e:
        services.withdraw_request(request=request, reason="再撤一次", actor=t.staff)
    assert "已经撤回，不能重复撤回" in _message(e.value, "state")
    request.refresh_from_db()
    assert request.withdrawn_reason == "重新部署"


@pytest.mark.parametrize("reason", ["", "   "], ids=["empty", "blank"])
def test_a_withdrawal_without_a_reason_is_refused_and_the_request_stays_open(reason):
    t = tree()
    request = issue(t)
    with pytest.raises(ValidationError) as e:
        services.withdraw_request(request=request, reason=reason, actor=t.staff)
    assert "请填写撤回原因" in _message(e.value, "reason")
    request.refresh_from_db()
    assert request.is_open


def test_a_withdrawn_request_takes_no_return_and_no_reminder():
    t = tree()
    request = issue(t, kind=STATISTICS)
    services.withdraw_request(request=request, reason="重新部署", actor=t.staff)
    with pytest.raises(ValidationError) as e:
        _submitted(t, request, t.units[0])
    assert "已撤回，不能再报送" in _message(e.value, "state")
    with pytest.raises(ValidationError):
        services.remind(request=request, actor=t.staff)
    assert not ReturnedFigure.objects.exists()


def test_a_closed_request_cannot_be_withdrawn():
    t = tree()
    request = issue(t, kind=STATISTICS)
    report = services.draft_consolidated(request=request, actor=t.staff, today=TODAY)
    services.lock_consolidated(report=report, actor=t.staff)
    with pytest.raises(ValidationError) as e:
        services.withdraw_request(request=request, reason="重新部署", actor=t.staff)
    assert "已办结" in _message(e.value, "state")


# Extending the deadline ----------------------------------------------------------------


def test_an_extension_moves_the_deadline_every_unit_sees_and_keeps_the_reason():
    t = tree()
    request = issue(t)
    services.extend_deadline(
        request=request, deadline=date(2026, 7, 31), reason="职代会推迟", actor=t.staff, today=TODAY
    )
    request.refresh_from_db()
    assert request.deadline == date(2026, 7, 31)
    change = DeadlineChange.objects.get()
    assert (change.old_deadline, change.new_deadline, change.reason) == (
        date(2026, 7, 15),
        date(2026, 7, 31),
        "职代会推迟",
    )
    assert queries.open_returns(t.units[0].pk)[0].request.deadline == date(2026, 7, 31)


def test_a_return_after_the_old_deadline_but_before_the_new_one_is_on_time():
    t = tree()
    request = issue(t, kind=STATISTICS)
    services.extend_deadline(
        request=request, deadline=date(2026, 7, 31), reason="系统维护", actor=t.staff, today=TODAY
    )
    s = request.submissions.get(union=t.units[0])
    done = services.submit_return(
        submission=s, actor=t.chair(t.units[0]), now=datetime(2026, 7, 20, tzinfo=SHANGHAI)
    )
    assert not done.late


@pytest.mark.parametrize(
    ("deadline", "reason", "field", "message"),
    [
        (date(2026, 5, 1), "推迟", "deadline", "已经过去"),
        (date(2026, 7, 10), "推迟", "deadline", "应晚于原截止日期"),
        (date(2026, 7, 15), "推迟", "deadline", "应晚于原截止日期"),
        (None, "推迟", "deadline", "请填写新的报送截止日期"),
        (date(2026, 7, 31), "", "reason", "请填写延期原因"),
        (date(2026, 7, 31), "因" * 501, "reason", "不能超过500个字"),
    ],
    ids=["in-the-past", "earlier", "same-day", "missing-date", "missing-reason", "long-reason"],
)
def test_a_bad_extension_is_refused_and_the_deadline_unchanged(deadline, reason, field, message):
    t = tree()
    request = issue(t)
    with pytest.raises(ValidationError) as e:
        services.extend_deadline(
            request=request, deadline=deadline, reason=reason, actor=t.staff, today=TODAY
        )
    assert message in _message(e.value, field)
    request.refresh_from_db()
    assert request.deadline == date(2026, 7, 15) and not DeadlineChange.objects.exists()


def test_a_withdrawn_request_cannot_be_extended():
    t = tree()
    request = issue(t)
    services.withdraw_request(request=request, reason="重新部署", actor=t.staff)
    with pytest.raises(ValidationError) as e:
        services.extend_deadline(
            request=request, deadline=date(2026, 7, 31), reason="推迟", actor=t.staff, today=TODAY
        )
    assert "已撤回，不能再延期" in _message(e.value, "state")


# Sending a return back -----------------------------------------------------------------


def test_a_return_sent_back_is_due_again_with_the_reason_and_the_first_one_kept():
    t = tree()
    request = issue(t, kind=STATISTICS)
    unit = t.units[0]
    first = _submitted(t, request, unit)
    figures_before = set(first.figures.values_list("metric_key", "value"))
    earlier = services.send_back(submission=first, reason="会员人数与年报不一致", actor=t.staff)
    first.refresh_from_db()
    assert not first.is_submitted and first.submitted_at is None
    assert earlier.number == 1 and earlier.submitted_at == ON_TIME
    assert set(earlier.figures.values_list("metric_key", "value")) == figures_before
    assert not first.figures.exists()
    due = queries.open_returns(unit.pk)
    assert [s.pk for s in due] == [first.pk]
    assert queries.status(due[0], today=TODAY) == queries.SENT_BACK


def test_a_resubmission_keeps_both_returns():
    t = tree()
    request = issue(t, kind=STATISTICS)
    unit = t.units[0]
    first = _submitted(t, request, unit)
    services.send_back(submission=first, reason="数据有误", actor=t.staff)
    again = services.submit_return(
        submission=Submission.objects.get(pk=first.pk), actor=t.chair(unit), now=ON_TIME
    )
    assert again.is_submitted
    assert again.figures.count() == SentBackReturn.objects.get().figures.count() > 0
    assert ReturnedFigure.objects.filter(submission=again).count() == 2 * again.figures.count()
    assert queries.status(again) == queries.SUBMITTED


def test_the_report_of_a_return_sent_back_is_kept_with_it():
    t = tree()
    request = issue(t)
    unit = t.units[0]
    report = SummaryReportFactory(union=unit)
    first = _submitted(t, request, unit, report=report)
    earlier = services.send_back(submission=first, reason="总结缺少安全生产部分", actor=t.staff)
    assert earlier.report == report
    first.refresh_from_db()
    assert first.report is None


def test_a_return_not_yet_made_cannot_be_sent_back():
    t = tree()
    request = issue(t, kind=STATISTICS)
    s = request.submissions.get(union=t.units[0])
    with pytest.raises(ValidationError) as e:
        services.send_back(submission=s, reason="数据有误", actor=t.staff)
    assert "尚未报送，无需退回" in _message(e.value, "state")
    assert not SentBackReturn.objects.exists()


def test_sending_back_without_a_reason_is_refused_and_the_return_stays():
    t = tree()
    request = issue(t, kind=STATISTICS)
    done = _submitted(t, request, t.units[0])
    with pytest.raises(ValidationError) as e:
        services.send_back(submission=done, reason=" ", actor=t.staff)
    assert "请填写退回原因" in _message(e.value, "reason")
    done.refresh_from_db()
    assert done.is_submitted and done.figures.exists() and not SentBackReturn.objects.exists()


def test_a_return_to_a_withdrawn_request_cannot_be_sent_back():
    t = tree()
    request = issue(t, kind=STATISTICS)
    done = _submitted(t, request, t.units[0])
    services.withdraw_request(request=request, reason="重新部署", actor=t.staff)
    with pytest.raises(ValidationError) as e:
        services.send_back(submission=done, reason="数据有误", actor=t.staff)
    assert "已撤回" in _message(e.value, "state")


# The consolidated report: versions and locking -------------------------------------------


def test_a_drafted_consolidated_report_starts_as_version_one():
    t = tree()
    request = issue(t, kind=STATISTICS)
    report = services.draft_consolidated(request=request, actor=t.staff, today=TODAY)
    assert report.state == ConsolidatedState.DRAFT
    assert list(report.versions.values_list("number", flat=True)) == [1]
    assert 'class="fig"' in report.latest_version().body


def test_each_save_is_a_new_version_and_the_old_ones_stay():
    t = tree()
    request = issue(t, kind=STATISTICS)
    report = services.draft_consolidated(request=request, actor=t.staff, today=TODAY)
    first = report.latest_version().body
    services.save_consolidated_version(
        report=report, body=first + "<p>补充一段。</p>", actor=t.staff
    )
    assert report.latest_version().number == 2
    assert report.latest_version().body.endswith("<p>补充一段。</p>")
    assert report.versions.get(number=1).body == first


def test_a_saved_version_is_sanitised():
    t = tree()
    request = issue(t, kind=STATISTICS)
    report = services.draft_consolidated(request=request, actor=t.staff, today=TODAY)
    body = '<p onclick="x()">正文<script>alert(1)</script><a href="javascript:x">链接</a></p>'
    v = services.save_consolidated_version(report=report, body=body, actor=t.staff)
    assert "script" not in v.body and "onclick" not in v.body and "javascript" not in v.body
    assert "正文" in v.body


def test_an_empty_version_is_refused():
    t = tree()
    request = issue(t, kind=STATISTICS)
    report = services.draft_consolidated(request=request, actor=t.staff, today=TODAY)
    with pytest.raises(ValidationError) as e:
        services.save_consolidated_version(report=report, body="<script>x</script>", actor=t.staff)
    assert "正文不能为空" in _message(e.value, "body")
    assert report.versions.count() == 1


def test_a_locked_report_is_read_only_and_closes_the_request():
    t = tree()
    request = issue(t, kind=STATISTICS)
    report = services.draft_consolidated(request=request, actor=t.staff, today=TODAY)
    services.lock_consolidated(report=report, actor=t.staff)
    assert report.is_locked and report.locked_by == t.staff
    request.refresh_from_db()
    assert request.state == RequestState.CLOSED
    with pytest.raises(ValidationError) as e:
        services.save_consolidated_version(report=report, body="<p>改</p>", actor=t.staff)
    assert "已定稿，不能再修改" in _message(e.value, "body")
    assert ConsolidatedVersion.objects.filter(report=report).count() == 1


def test_a_closed_request_takes_no_more_returns_and_no_new_draft():
    t = tree()
    request = issue(t, kind=STATISTICS)
    report = services.draft_consolidated(request=request, actor=t.staff, today=TODAY)
    services.lock_consolidated(report=report, actor=t.staff)
    with pytest.raises(ValidationError):
        _submitted(t, request, t.units[0])
    with pytest.raises(ValidationError) as e:
        services.draft_consolidated(request=request, actor=t.staff, today=TODAY)
    assert "已办结" in _message(e.value, "state")
    assert queries.open_returns(t.units[0].pk) == []


def test_locking_twice_is_refused():
    t = tree()
    request = issue(t, kind=STATISTICS)
    report = services.draft_consolidated(request=request, actor=t.staff, today=TODAY)
    services.lock_consolidated(report=report, actor=t.staff)
    with pytest.raises(ValidationError) as e:
        services.lock_consolidated(report=report, actor=t.staff)
    assert "已经定稿" in _message(e.value, "state")


def test_a_second_draft_cannot_be_locked_once_the_first_is_final():
    t = tree()
    request = issue(t, kind=STATISTICS)
    first = services.draft_consolidated(request=request, actor=t.staff, today=TODAY)
    second = services.draft_consolidated(request=request, actor=t.staff, today=TODAY)
    services.lock_consolidated(report=first, actor=t.staff)
    with pytest.raises(ValidationError):
        services.lock_consolidated(report=second, actor=t.staff)
    second.refresh_from_db()
    assert second.state == ConsolidatedState.DRAFT


def test_a_withdrawn_request_gets_no_consolidated_report():
    t = tree()
    request = issue(t, kind=STATISTICS)
    services.withdraw_request(request=request, reason="重新部署", actor=t.staff)
    with pytest.raises(ValidationError) as e:
        services.draft_consolidated(request=request, actor=t.staff, today=TODAY)
    assert "已撤回" in _message(e.value, "state")
    assert CollectionRequest.objects.get().consolidated.count() == 0


def test_a_fresh_draft_has_no_stale_figure():
    t = tree()
    request = issue(t, kind=STATISTICS)
    report = services.draft_consolidated(request=request, actor=t.staff, today=TODAY)
    assert consolidated.stale_figures(report) == []


def test_a_return_made_after_drafting_flags_the_returns_figures_of_a_draft():
    t = tree()
    request = issue(t, kind=STATISTICS)
    report = services.draft_consolidated(request=request, actor=t.staff, today=TODAY)
    _submitted(t, request, t.units[0])
    stale = {s.figure.metric_key: s for s in consolidated.stale_figures(report)}
    assert set(stale) == {"collection.returned", "collection.outstanding"}
    assert stale["collection.returned"].now == 1
    assert stale["collection.outstanding"].now_text == "4家"


def test_a_locked_reports_figures_are_final_and_never_flagged():
    t = tree()
    request = issue(t, kind=STATISTICS)
    report = services.draft_consolidated(request=request, actor=t.staff, today=TODAY)
    services.lock_consolidated(report=report, actor=t.staff)
    Submission.objects.filter(request=request, union=t.units[0]).update(state="submitted")
    assert consolidated.stale_figures(report) == []
