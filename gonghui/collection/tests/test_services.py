from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from gonghui.collection import queries, services
from gonghui.collection.models import (
    STATISTICS,
    CollectionRequest,
    Reminder,
    ReturnedFigure,
    Submission,
)
from gonghui.collection.tests.factories import TODAY, YEAR, SummaryReportFactory, issue, tree
from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs.models import UnionKind
from gonghui.orgs.tests.factories import UnionFactory
from gonghui.periods import Period
from gonghui.reports import registry
from gonghui.reports.models import ReportKind, ReportState

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
ON_TIME = datetime(2026, 7, 10, 9, 0, tzinfo=SHANGHAI)
AFTER = datetime(2026, 7, 20, 9, 0, tzinfo=SHANGHAI)


def _nothing_written():
    assert CollectionRequest.objects.count() == 0
    assert Submission.objects.count() == 0


def _message(error: ValidationError, field: str) -> str:
    return " ".join(error.message_dict[field])


# Issuing ------------------------------------------------------------------------------


def test_a_request_to_everyone_opens_one_pending_return_per_unit_of_the_subtree():
    t = tree()
    request = issue(t)
    assert set(request.submissions.values_list("union_id", flat=True)) == {u.pk for u in t.units}
    assert request.title == "关于报送2026年上半年工作总结的通知"
    assert not request.submissions.exclude(state="pending").exists()


def test_a_request_by_district_reaches_only_that_districts_units():
    t = tree()
    request = issue(t, everyone=False, district_ids=[t.districts[0].pk])
    assert set(request.submissions.values_list("union__name", flat=True)) == {
        "东区实验小学工会",
        "东区机械厂工会",
    }


def test_a_request_can_add_single_units_to_a_district():
    t = tree()
    request = issue(t, everyone=False, district_ids=[t.districts[1].pk], unit_ids=[t.units[4].pk])
    assert request.submissions.count() == 3


def test_a_deadline_before_the_end_of_the_period_is_refused_and_nothing_written():
    t = tree()
    with pytest.raises(ValidationError) as e:
        issue(t, deadline=date(2026, 6, 1))
    assert "不能早于统计期间的结束日期" in _message(e.value, "deadline")
    _nothing_written()


def test_a_period_that_ends_before_it_starts_is_refused():
    t = tree()
    with pytest.raises(ValidationError) as e:
        services.issue_request(
            union=t.city,
            kind=ReportKind.ANNUAL,
            start=date(2026, 6, 30),
            end=date(2026, 1, 1),
            deadline=date(2026, 7, 15),
            everyone=True,
            actor=t.staff,
            today=TODAY,
        )
    assert "结束日期不能早于开始日期" in _message(e.value, "end")
    _nothing_written()


def test_a_deadline_already_past_is_refused():
    t = tree()
    with pytest.raises(ValidationError) as e:
        services.issue_request(
            union=t.city,
            kind=STATISTICS,
            start=date(2025, 1, 1),
            end=date(2025, 12, 31),
            deadline=date(2026, 1, 15),
            everyone=True,
            actor=t.staff,
            today=TODAY,
        )
    assert "已经过去" in _message(e.value, "deadline")
    _nothing_written()


def test_a_request_with_no_unit_chosen_is_refused():
    t = tree()
    with pytest.raises(ValidationError) as e:
        issue(t, everyone=False)
    assert "请至少选择一个报送单位" in _message(e.value, "units")
    _nothing_written()


def test_an_unknown_unit_id_is_refused_with_its_number():
    t = tree()
    with pytest.raises(ValidationError) as e:
        issue(t, everyone=False, unit_ids=[t.units[0].pk, 999999])
    assert "999999" in _message(e.value, "units") and "不是本会所辖" in _message(e.value, "units")
    _nothing_written()


def test_a_unit_of_another_subtree_is_refused_without_naming_it():
    t = tree()
    stranger = UnionFactory(name="邻市某厂工会", parent=UnionFactory(kind=UnionKind.FEDERATION))
    with pytest.raises(ValidationError) as e:
        issue(t, everyone=False, unit_ids=[stranger.pk])
    assert str(stranger.pk) in _message(e.value, "units")
    assert "邻市某厂" not in _message(e.value, "units")
    _nothing_written()


def test_a_district_of_another_subtree_is_refused():
    t = tree()
    other = tree("o")
    with pytest.raises(ValidationError) as e:
        issue(t, everyone=False, district_ids=[other.districts[0].pk])
    assert "不是本会所辖" in _message(e.value, "districts")
    _nothing_written()


def test_a_unit_id_that_is_not_a_number_is_refused():
    t = tree()
    with pytest.raises(ValidationError) as e:
        issue(t, everyone=False, unit_ids=["东区"])
    assert "编号应为数字" in _message(e.value, "units")
    _nothing_written()


def test_an_unknown_kind_is_refused():
    t = tree()
    with pytest.raises(ValidationError) as e:
        issue(t, kind="weekly")
    assert "报送内容" in _message(e.value, "kind")
    _nothing_written()


# Submitting -------------------------------------------------------------------------------


def test_a_unit_submits_its_locked_report_and_its_statistics_frozen_on_time():
    t = tree()
    unit = t.units[0]
    MemberFactory.create_batch(3, union=unit, joined_on=date(2020, 1, 1))
    request = issue(t)
    report = SummaryReportFactory(union=unit)
    s = Submission.objects.get(request=request, union=unit)
    done = services.submit_return(submission=s, report=report, actor=t.chair(unit), now=ON_TIME)
    assert done.is_submitted and not done.late and done.report == report
    frozen = ReturnedFigure.objects.get(submission=s, metric_key="members.at_end")
    assert frozen.value == registry.value("members.at_end", [unit.pk], Period(*YEAR)) == 3


def test_the_frozen_statistics_do_not_follow_later_records():
    t = tree()
    unit = t.units[0]
    MemberFactory.create_batch(2, union=unit, joined_on=date(2020, 1, 1))
    request = issue(t, kind=STATISTICS)
    s = Submission.objects.get(request=request, union=unit)
    services.submit_return(submission=s, actor=t.chair(unit), now=ON_TIME)
    MemberFactory.create_batch(5, union=unit, joined_on=date(2020, 1, 1))
    assert ReturnedFigure.objects.get(submission=s, metric_key="members.at_end").value == 2


def test_a_return_after_the_deadline_is_taken_and_marked_late():
    t = tree()
    unit = t.units[1]
    request = issue(t)
    s = Submission.objects.get(request=request, union=unit)
    done = services.submit_return(
        submission=s, report=SummaryReportFactory(union=unit), actor=t.chair(unit), now=AFTER
    )
    assert done.is_submitted and done.late
    assert queries.status(done) == queries.LATE


def test_a_report_that_is_not_locked_is_refused_in_chinese_and_nothing_is_written():
    t = tree()
    unit = t.units[0]
    request = issue(t)
    draft = SummaryReportFactory(union=unit, state=ReportState.DRAFT, submitted_at=None)
    s = Submission.objects.get(request=request, union=unit)
    with pytest.raises(ValidationError) as e:
        services.submit_return(submission=s, report=draft, actor=t.chair(unit), now=ON_TIME)
    assert "尚未提交定稿" in _message(e.value, "report")
    s.refresh_from_db()
    assert not s.is_submitted
    assert not ReturnedFigure.objects.exists()


def test_a_missing_report_is_refused_with_what_to_do():
    t = tree()
    unit = t.units[0]
    s = Submission.objects.get(request=issue(t), union=unit)
    with pytest.raises(ValidationError) as e:
        services.submit_return(submission=s, report=None, actor=t.chair(unit), now=ON_TIME)
    assert "请先在“工作总结”中起草" in _message(e.value, "report")


def test_a_report_of_another_period_is_refused():
    t = tree()
    unit = t.units[0]
    s = Submission.objects.get(request=issue(t), union=unit)
    other = SummaryReportFactory(union=unit, start=date(2025, 1, 1), end=date(2025, 6, 30))
    with pytest.raises(ValidationError) as e:
        services.submit_return(submission=s, report=other, actor=t.chair(unit), now=ON_TIME)
    assert "期间" in _message(e.value, "report") and "不一致" in _message(e.value, "report")


def test_another_units_report_is_refused():
    t = tree()
    unit, neighbour = t.units[0], t.units[1]
    s = Submission.objects.get(request=issue(t), union=unit)
    with pytest.raises(ValidationError) as e:
        services.submit_return(
            submission=s,
            report=SummaryReportFactory(union=neighbour),
            actor=t.chair(unit),
            now=ON_TIME,
        )
    assert "只能报送本单位" in _message(e.value, "report")


def test_a_unit_cannot_submit_twice():
    t = tree()
    unit = t.units[0]
    s = Submission.objects.get(request=issue(t, kind=STATISTICS), union=unit)
    services.submit_return(submission=s, actor=t.chair(unit), now=ON_TIME)
    with pytest.raises(ValidationError) as e:
        services.submit_return(submission=s, actor=t.chair(unit), now=ON_TIME)
    assert "已经报送过了" in _message(e.value, "state")
    assert ReturnedFigure.objects.filter(submission=s).count() == len(queries.returned_keys())


def test_the_report_found_for_a_return_is_the_locked_one_of_the_right_type_and_period():
    t = tree()
    unit = t.units[0]
    s = Submission.objects.get(request=issue(t), union=unit)
    SummaryReportFactory(union=unit, kind=ReportKind.ANNUAL)
    locked = SummaryReportFactory(union=unit)
    SummaryReportFactory(union=unit, state=ReportState.DRAFT, submitted_at=None)
    assert queries.report_for(s) == locked


# The board and reminders ----------------------------------------------------------------


def test_the_board_counts_submitted_late_and_missing_after_the_deadline():
    t = tree()
    request = issue(t, kind=STATISTICS)
    on_time, late = t.units[0], t.units[1]
    services.submit_return(
        submission=request.submissions.get(union=on_time), actor=t.chair(on_time), now=ON_TIME
    )
    services.submit_return(
        submission=request.submissions.get(union=late), actor=t.chair(late), now=AFTER
    )
    b = queries.board(request, today=date(2026, 7, 21))
    assert b.counts == {
        "submitted": 1,
        "late": 1,
        "missing": 3,
        "waiting": 0,
        "sent_back": 0,
        "not_due": 0,
    }
    by_unit = {r.submission.union_id: r.status for r in b.rows}
    assert by_unit[on_time.pk] == "submitted" and by_unit[late.pk] == "late"
    assert by_unit[t.units[2].pk] == "missing"


def test_before_the_deadline_a_unit_that_has_not_submitted_is_waiting_not_missing():
    t = tree()
    b = queries.board(issue(t), today=date(2026, 7, 1))
    assert b.counts["waiting"] == 5 and b.counts["missing"] == 0


def test_the_board_names_each_units_district():
    t = tree()
    rows = {r.submission.union.name: r.district for r in queries.board(issue(t)).rows}
    assert rows["东区机械厂工会"] == t.districts[0]
    assert rows["市直机关工会"] is None


def test_a_reminder_goes_to_every_unit_that_has_not_submitted():
    t = tree()
    request = issue(t, kind=STATISTICS)
    unit = t.units[0]
    services.submit_return(
        submission=request.submissions.get(union=unit), actor=t.chair(unit), now=ON_TIME
    )
    sent = services.remind(request=request, actor=t.staff, note="请本周内报送")
    assert {r.union_id for r in sent} == {u.pk for u in t.units[1:]}
    assert queries.reminders_for(t.units[1].pk)[0].note == "请本周内报送"
    assert queries.reminders_for(unit.pk) == []


def test_reminding_a_unit_that_has_submitted_is_refused():
    t = tree()
    request = issue(t, kind=STATISTICS)
    unit = t.units[0]
    services.submit_return(
        submission=request.submissions.get(union=unit), actor=t.chair(unit), now=ON_TIME
    )
    with pytest.raises(ValidationError) as e:
        services.remind(request=request, actor=t.staff, unit_ids=[unit.pk])
    assert "已经报送，无需催报" in _message(e.value, "units")
    assert not Reminder.objects.exists()


def test_reminding_a_unit_the_request_was_not_sent_to_is_refused():
    t = tree()
    request = issue(t, everyone=False, unit_ids=[t.units[0].pk])
    with pytest.raises(ValidationError) as e:
        services.remind(request=request, actor=t.staff, unit_ids=[t.units[1].pk])
    assert "不在本通知的报送范围内" in _message(e.value, "units")
    assert not Reminder.objects.exists()


def test_a_reminder_note_longer_than_200_characters_is_refused():
    t = tree()
    with pytest.raises(ValidationError) as e:
        services.remind(request=issue(t), actor=t.staff, note="催" * 201)
    assert "200" in _message(e.value, "note")
    assert not Reminder.objects.exists()
