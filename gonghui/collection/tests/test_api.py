"""The collection endpoints: issue, board, remind, submit, consolidated; bad
inputs answered in Chinese with nothing written; nobody outside sees a thing."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from gonghui.api.tests.calls import call, token_for
from gonghui.collection import services
from gonghui.collection.models import (
    STATISTICS,
    CollectionRequest,
    ConsolidatedReport,
    Reminder,
    Submission,
)
from gonghui.collection.tests.factories import SummaryReportFactory, tree
from gonghui.orgs.models import UnionKind
from gonghui.orgs.roles import Role
from gonghui.orgs.tests.factories import UnionFactory, user_with_role
from gonghui.reports.models import ReportKind, ReportState

pytestmark = pytest.mark.django_db


def _body(t, **overrides):
    year = timezone.localdate().year
    body = {
        "union": t.city.pk,
        "kind": ReportKind.ANNUAL,
        "start": f"{year}-01-01",
        "end": f"{year}-12-31",
        "deadline": f"{year + 1}-01-15",
        "everyone": True,
    }
    body.update(overrides)
    return body


def _request(t, kind=ReportKind.ANNUAL):
    year = timezone.localdate().year
    return services.issue_request(
        union=t.city,
        kind=kind,
        start=date(year, 1, 1),
        end=date(year, 12, 31),
        deadline=date(year + 1, 1, 15),
        everyone=True,
        actor=t.staff,
    )


def test_staff_issue_a_request_and_read_its_board():
    t = tree()
    key = token_for(t.staff)
    response = call("post", "collection/requests", key, _body(t))
    assert response.status_code == 201
    board = response.json()
    assert board["counts"]["waiting"] == 5 and len(board["rows"]) == 5
    again = call("get", f"collection/requests/{board['id']}", key).json()
    assert {r["unit_name"] for r in again["rows"]} >= {"东区实验小学工会", "市直机关工会"}


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"deadline": "2000-01-01"}, "deadline", "不能早于统计期间的结束日期"),
        ({"everyone": False}, "units", "请至少选择一个报送单位"),
        ({"everyone": False, "units": [987654]}, "units", "987654 的单位不是本会所辖"),
        ({"end": "2000-01-01", "start": "2000-02-01"}, "end", "结束日期不能早于开始日期"),
    ],
    ids=["deadline-before-period", "no-units", "unknown-unit", "period-reversed"],
)
def test_a_bad_request_is_answered_in_chinese_and_nothing_is_written(overrides, field, message):
    t = tree()
    response = call("post", "collection/requests", token_for(t.staff), _body(t, **overrides))
    assert response.status_code == 400
    errors = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert message in errors[field]
    assert not CollectionRequest.objects.exists() and not Submission.objects.exists()


def test_a_unit_of_another_subtree_is_refused_by_the_api_without_its_name():
    t = tree()
    stranger = UnionFactory(name="邻市港务公司工会", parent=UnionFactory(kind=UnionKind.FEDERATION))
    response = call(
        "post",
        "collection/requests",
        token_for(t.staff),
        _body(t, everyone=False, units=[stranger.pk]),
    )
    assert response.status_code == 400 and "邻市港务" not in response.content.decode()
    assert not CollectionRequest.objects.exists()


def test_an_unknown_kind_is_a_malformed_request():
    t = tree()
    response = call("post", "collection/requests", token_for(t.staff), _body(t, kind="weekly"))
    assert response.status_code == 422
    assert not CollectionRequest.objects.exists()


def test_a_unit_chair_cannot_issue_a_request():
    t = tree()
    body = _body(t, union=t.units[0].pk)
    response = call("post", "collection/requests", token_for(t.chair(t.units[0])), body)
    assert response.status_code == 403
    assert not CollectionRequest.objects.exists()


def test_district_staff_cannot_issue_in_the_citys_name():
    t = tree()
    district_staff = user_with_role(t.districts[0], Role.UPPER_STAFF)
    response = call("post", "collection/requests", token_for(district_staff), _body(t))
    assert response.status_code == 400  # the city is not among the unions they read
    assert not CollectionRequest.objects.exists()


def test_the_api_refuses_a_return_whose_report_is_not_locked():
    t = tree()
    request = _request(t)
    unit = t.units[0]
    SummaryReportFactory(
        union=unit,
        kind=ReportKind.ANNUAL,
        start=request.start,
        end=request.end,
        state=ReportState.DRAFT,
        submitted_at=None,
    )
    s = Submission.objects.get(request=request, union=unit)
    response = call("post", f"collection/submissions/{s.pk}/submit", token_for(t.chair(unit)), {})
    assert response.status_code == 400
    assert "尚未提交定稿" in response.json()["detail"]
    s.refresh_from_db()
    assert not s.is_submitted


def test_a_unit_submits_its_statistics_and_the_board_shows_it_submitted():
    t = tree()
    request = _request(t, kind=STATISTICS)
    unit = t.units[0]
    s = Submission.objects.get(request=request, union=unit)
    done = call("post", f"collection/submissions/{s.pk}/submit", token_for(t.chair(unit)), {})
    assert done.status_code == 200 and done.json()["status"] == "submitted"
    assert any(f["key"] == "members.at_end" for f in done.json()["figures"])
    board = call("get", f"collection/requests/{request.pk}", token_for(t.staff)).json()
    row = next(r for r in board["rows"] if r["unit"] == unit.pk)
    assert row["status_label"] == "已报送"


def test_staff_remind_and_draft_the_consolidated_report():
    t = tree()
    request = _request(t, kind=STATISTICS)
    key = token_for(t.staff)
    reminded = call("post", f"collection/requests/{request.pk}/remind", key, {"note": "请报送"})
    assert reminded.status_code == 200
    assert Reminder.objects.count() == 5
    drafted = call("post", f"collection/requests/{request.pk}/consolidated", key)
    assert drafted.status_code == 201
    assert drafted.json()["title"].startswith("海州市总工会")


def test_city_staff_may_not_submit_remind_or_draft_below_them_in_a_units_place():
    t = tree()
    request = _request(t, kind=STATISTICS)
    s = Submission.objects.get(request=request, union=t.units[0])
    district_staff = user_with_role(t.districts[0], Role.UPPER_STAFF)
    key = token_for(t.staff)
    assert call("post", f"collection/submissions/{s.pk}/submit", key, {}).status_code == 403
    district_key = token_for(district_staff)
    remind = call("post", f"collection/requests/{request.pk}/remind", district_key, {})
    assert remind.status_code == 404
    s.refresh_from_db()
    assert not s.is_submitted and not Reminder.objects.exists()
    assert not ConsolidatedReport.objects.exists()


def test_nobody_outside_sees_a_board_or_a_return():
    t = tree()
    request = _request(t, kind=STATISTICS)
    mine, theirs = t.units[0], t.units[1]
    other = Submission.objects.get(request=request, union=theirs)
    chair_key = token_for(t.chair(mine))
    assert call("get", f"collection/submissions/{other.pk}", chair_key).status_code == 404
    assert call("get", f"collection/requests/{request.pk}", chair_key).status_code == 404
    listed = call("get", "collection/submissions", chair_key).json()
    assert [r["unit"] for r in listed] == [mine.pk]
    outsider = user_with_role(UnionFactory(kind=UnionKind.FEDERATION), Role.UPPER_STAFF)
    outsider_key = token_for(outsider)
    assert call("get", f"collection/requests/{request.pk}", outsider_key).status_code == 404
    assert call("get", "collection/requests", outsider_key).json() == []


def test_the_word_file_of_a_return_without_a_report_is_refused():
    t = tree()
    request = _request(t, kind=STATISTICS)
    unit = t.units[0]
    s = Submission.objects.get(request=request, union=unit)
    services.submit_return(submission=s, actor=t.chair(unit), now=timezone.now())
    response = call("get", f"collection/submissions/{s.pk}/report.docx", token_for(t.staff))
    assert response.status_code == 400
    assert "没有报送工作总结" in response.json()["detail"]


def test_an_early_deadline_in_the_past_is_refused():
    t = tree()
    year = timezone.localdate().year
    yesterday = timezone.localdate() - timedelta(days=1)
    body = _body(t, start=f"{year - 1}-01-01", end=f"{year - 1}-12-31", deadline=str(yesterday))
    response = call("post", "collection/requests", token_for(t.staff), body)
    assert response.status_code == 400
    assert "已经过去" in response.json()["detail"]


def test_a_remind_in_another_unions_name_is_refused_before_its_body_is_read():
    t = tree()
    request = _request(t, kind=STATISTICS)
    district_staff = user_with_role(t.districts[0], Role.UPPER_STAFF)
    city_key, district_key = token_for(t.staff), token_for(district_staff)
    body = {"position": "市总改动"}  # not a remind body: a guard must answer before ninja does
    url = f"collection/requests/{request.pk}/remind"
    assert call("post", url, district_key, body).status_code == 404
    assert call("post", url, city_key, body).status_code == 422
    own = issue_for_district(t, district_staff)
    refused = call("post", f"collection/requests/{own.pk}/consolidated", city_key, body)
    assert refused.status_code == 403
    assert not Reminder.objects.exists() and not ConsolidatedReport.objects.exists()


def issue_for_district(t, staff):
    year = timezone.localdate().year
    return services.issue_request(
        union=t.districts[0],
        kind=STATISTICS,
        start=date(year, 1, 1),
        end=date(year, 12, 31),
        deadline=date(year + 1, 1, 15),
        everyone=True,
        actor=staff,
    )
