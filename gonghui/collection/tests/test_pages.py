"""The back-office pages: the request form and its bad inputs, the one-click
return on the unit's dashboard, reminders, and who may see what."""

import io
from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone
from docx import Document

from gonghui.collection import services
from gonghui.collection.models import (
    STATISTICS,
    CollectionRequest,
    Reminder,
    ReturnedFigure,
    Submission,
)
from gonghui.collection.tests.factories import SummaryReportFactory, issue, tree
from gonghui.orgs.models import UnionKind
from gonghui.orgs.roles import Role
from gonghui.orgs.tests.factories import UnionFactory, user_with_role
from gonghui.reports.models import ReportKind, ReportState

pytestmark = pytest.mark.django_db

NEW = "/admin/collection/collection-requests/new/"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _future_request(t, **kwargs):
    """A half-year request whose deadline is still ahead of the real today."""
    today = timezone.localdate()
    start = date(today.year, 1, 1)
    return services.issue_request(
        union=t.city,
        kind=kwargs.pop("kind", ReportKind.HALF_YEAR),
        start=start,
        end=date(today.year, 6, 30),
        deadline=max(today, date(today.year, 6, 30)) + timedelta(days=30),
        everyone=True,
        actor=t.staff,
        **kwargs,
    )


def _form(t, **overrides):
    today = timezone.localdate()
    data = {
        "union": t.city.pk,
        "kind": ReportKind.ANNUAL,
        "start": f"{today.year}-01-01",
        "end": f"{today.year}-12-31",
        "deadline": f"{today.year + 1}-01-15",
        "title": "",
        "note": "请各单位按时报送",
    }
    data.update(overrides)
    return data


# The request form ------------------------------------------------------------------------


def test_staff_issue_a_request_to_a_district_from_the_form_and_land_on_its_board():
    t = tree()
    response = _client(t.staff).post(NEW, _form(t, districts=[t.districts[0].pk]), follow=True)
    request = CollectionRequest.objects.get()
    assert response.redirect_chain[-1][0] == f"/admin/collection/collection-requests/{request.pk}/"
    page = response.content.decode()
    assert "已向2家单位发出上报通知" in page
    assert "东区实验小学工会" in page and "西区中学工会" not in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"everyone": "on", "deadline": "2000-01-01"}, "不能早于统计期间的结束日期"),
        ({}, "请至少选择一个报送单位"),
        ({"units": ["987654"]}, "编号为 987654 的单位不是本会所辖的基层工会"),
        ({"units": ["东区"]}, "单位编号应为数字"),
        ({"everyone": "on", "kind": "weekly"}, "weekly 不在可用的选项中"),
    ],
    ids=["deadline-before-period", "no-units", "unknown-unit", "not-a-number", "unknown-kind"],
)
def test_a_bad_request_form_shows_a_chinese_message_and_writes_nothing(overrides, message):
    t = tree()
    response = _client(t.staff).post(NEW, _form(t, **overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not CollectionRequest.objects.exists() and not Submission.objects.exists()


def test_the_form_refuses_a_unit_of_another_subtree_without_naming_it():
    t = tree()
    stranger = UnionFactory(name="邻市港务公司工会", parent=UnionFactory(kind=UnionKind.FEDERATION))
    response = _client(t.staff).post(NEW, _form(t, units=[stranger.pk]))
    page = response.content.decode()
    assert f"编号为 {stranger.pk} 的单位不是本会所辖的基层工会" in page
    assert "邻市港务公司" not in page
    assert not CollectionRequest.objects.exists()


def test_a_unit_chair_cannot_open_the_request_form():
    t = tree()
    assert _client(t.chair(t.units[0])).get(NEW).status_code == 403


def test_district_staff_cannot_remind_for_the_citys_request():
    t = tree()
    request = issue(t, kind=STATISTICS)
    district_staff = user_with_role(t.districts[0], Role.UPPER_STAFF)
    url = f"/admin/collection/collection-requests/{request.pk}/remind/"
    assert _client(district_staff).post(url).status_code == 404
    assert not Reminder.objects.exists()


# The unit's dashboard -------------------------------------------------------------------


def test_the_request_and_its_reminder_show_on_the_units_dashboard():
    t = tree()
    request = _future_request(t)
    services.remind(request=request, actor=t.staff, note="请尽快报送")
    unit = t.units[0]
    page = _client(t.chair(unit)).get(f"/admin/reports/?union={unit.pk}").content.decode()
    assert 'id="collection-notices"' in page
    assert request.title in page and "上级工会催报：请尽快报送" in page
    assert "一键报送" in page


def test_the_dashboard_of_a_unit_with_nothing_to_submit_shows_no_card():
    t = tree()
    unit = t.units[0]
    page = _client(t.chair(unit)).get(f"/admin/reports/?union={unit.pk}").content.decode()
    assert 'id="collection-notices"' not in page


def test_one_click_from_the_dashboard_refuses_a_report_not_yet_locked_and_writes_nothing():
    t = tree()
    request = _future_request(t)
    unit = t.units[0]
    SummaryReportFactory(
        union=unit,
        start=request.start,
        end=request.end,
        state=ReportState.DRAFT,
        submitted_at=None,
    )
    s = Submission.objects.get(request=request, union=unit)
    dashboard = f"/admin/reports/?union={unit.pk}"
    response = _client(t.chair(unit)).post(
        f"/admin/collection/submissions/{s.pk}/submit/", {"next": dashboard}, follow=True
    )
    assert response.redirect_chain[-1][0] == dashboard
    assert "尚未提交定稿" in response.content.decode()
    s.refresh_from_db()
    assert not s.is_submitted and not ReturnedFigure.objects.exists()


def test_one_click_submits_the_locked_report_and_the_board_shows_it_submitted():
    t = tree()
    request = _future_request(t)
    unit = t.units[0]
    SummaryReportFactory(union=unit, start=request.start, end=request.end)
    s = Submission.objects.get(request=request, union=unit)
    _client(t.chair(unit)).post(f"/admin/collection/submissions/{s.pk}/submit/")
    board = _client(t.staff).get(f"/admin/collection/collection-requests/{request.pk}/")
    row = board.content.decode().split(f'data-unit="{unit.pk}"')[1].split("</tr>")[0]
    assert 'data-status="submitted"' in row and "已报送" in row


def test_a_committee_member_submits_but_a_liaison_may_not():
    t = tree()
    request = _future_request(t, kind=STATISTICS)
    unit = t.units[0]
    s = Submission.objects.get(request=request, union=unit)
    liaison = user_with_role(unit, Role.LIAISON)
    assert _client(liaison).post(f"/admin/collection/submissions/{s.pk}/submit/").status_code == 403
    committee = user_with_role(unit, Role.COMMITTEE)
    _client(committee).post(f"/admin/collection/submissions/{s.pk}/submit/")
    s.refresh_from_db()
    assert s.is_submitted and s.submitted_by == committee


# Who sees what -----------------------------------------------------------------------------


def test_upper_staff_read_a_submitted_report_and_download_its_word_file():
    t = tree()
    request = _future_request(t)
    unit = t.units[0]
    report = SummaryReportFactory(
        union=unit,
        start=request.start,
        end=request.end,
        version="<h1>东区实验小学工会上半年工作总结</h1><p>一、组织建设扎实推进。</p>",
    )
    s = Submission.objects.get(request=request, union=unit)
    services.submit_return(submission=s, report=report, actor=t.chair(unit))
    client = _client(t.staff)
    page = client.get(f"/admin/collection/submissions/{s.pk}/").content.decode()
    assert "一、组织建设扎实推进。" in page and "一键报送" not in page
    docx = client.get(f"/admin/collection/submissions/{s.pk}/report.docx")
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert "组织建设扎实推进" in text


def test_an_upper_union_outside_the_subtree_cannot_see_the_board_or_a_return():
    t = tree()
    request = _future_request(t, kind=STATISTICS)
    s = Submission.objects.get(request=request, union=t.units[0])
    neighbour = UnionFactory(kind=UnionKind.FEDERATION, name="邻市总工会")
    outsider = _client(user_with_role(neighbour, Role.UPPER_STAFF))
    assert outsider.get(f"/admin/collection/collection-requests/{request.pk}/").status_code == 404
    assert outsider.get(f"/admin/collection/submissions/{s.pk}/").status_code == 404
    assert request.title not in outsider.get("/admin/collection/").content.decode()


def test_a_unit_never_sees_another_units_return():
    t = tree()
    request = _future_request(t, kind=STATISTICS)
    mine, theirs = t.units[0], t.units[1]
    other = Submission.objects.get(request=request, union=theirs)
    client = _client(t.chair(mine))
    assert client.get(f"/admin/collection/submissions/{other.pk}/").status_code == 404
    assert client.post(f"/admin/collection/submissions/{other.pk}/submit/").status_code == 404
    assert client.get(f"/admin/collection/collection-requests/{request.pk}/").status_code == 404
    assert theirs.name not in client.get("/admin/collection/").content.decode()
