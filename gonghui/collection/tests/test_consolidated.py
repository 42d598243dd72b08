"""The consolidated report: drafted over the whole subtree, every figure equal
to the registry's and traceable, exported to Word."""

import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from docx import Document

from gonghui.activities.tests.factories import ActivityFactory
from gonghui.collection import services
from gonghui.collection.models import STATISTICS, ConsolidatedFigure, FigureScope
from gonghui.collection.tests.factories import YEAR, issue, tree
from gonghui.members.tests.factories import MemberFactory
from gonghui.periods import Period
from gonghui.reports import registry

pytestmark = pytest.mark.django_db

ON_TIME = datetime(2026, 7, 10, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
AFTER = date(2026, 7, 20)


@pytest.fixture
def drafted():
    """Members in four units, activities in two, two returns of five; drafted after the deadline."""
    t = tree()
    for unit, members in zip(t.units[:4], (12, 7, 30, 4), strict=True):
        MemberFactory.create_batch(members, union=unit, joined_on=date(2021, 3, 1))
    MemberFactory.create_batch(3, union=t.units[2], joined_on=date(2026, 3, 1))
    for unit, held in ((t.units[0], 3), (t.units[2], 1)):
        for n in range(held):
            starts = datetime(2026, 4, 1 + n, 9, tzinfo=ZoneInfo("Asia/Shanghai"))
            ActivityFactory(
                union=unit,
                title=f"{unit.name}活动{n}",
                starts_at=starts,
                signup_opens_at=starts - timedelta(days=10),
            )
    request = issue(t, kind=STATISTICS)
    for unit in t.units[:2]:
        services.submit_return(
            submission=request.submissions.get(union=unit), actor=t.chair(unit), now=ON_TIME
        )
    report = services.draft_consolidated(request=request, actor=t.staff, today=AFTER)
    return t, request, report


def _figure(report, key, scope=FigureScope.SUBTREE):
    return ConsolidatedFigure.objects.get(report=report, metric_key=key, scope=scope)


def test_the_subtree_totals_quoted_equal_the_registry_over_all_units(drafted):
    t, _, report = drafted
    units = [u.pk for u in t.units]
    period = Period(*YEAR)
    for key in ("members.at_end", "members.joined", "activities.held"):
        assert _figure(report, key).value == registry.value(key, units, period), key
    assert _figure(report, "members.at_end").value == 12 + 7 + 30 + 4 + 3


def test_the_counts_of_returns_are_quoted_from_the_board(drafted):
    _, _, report = drafted
    assert _figure(report, "collection.addressed", FigureScope.RETURNS).value == 5
    assert _figure(report, "collection.returned", FigureScope.RETURNS).value == 2
    assert _figure(report, "collection.outstanding", FigureScope.RETURNS).value == 3


def test_the_ranking_names_the_units_with_the_most_activities_first(drafted):
    t, _, report = drafted
    ranked = ConsolidatedFigure.objects.filter(
        report=report, metric_key="activities.held", scope=FigureScope.UNIT
    ).order_by("pk")
    assert [(f.unit_union, f.value) for f in ranked] == [(t.units[0], 3), (t.units[2], 1)]


def test_the_text_reads_like_a_federation_report_and_links_every_figure(drafted):
    _, request, report = drafted
    body = report.latest_version().body
    assert report.title == "海州市总工会2026年上半年基层工会工作汇总报告"
    assert "全市" in body and request.title in body
    assert "尚有" in body and "未报送" in body
    figures = ConsolidatedFigure.objects.filter(report=report)
    for f in figures:
        assert f'data-fig="{f.ref}"' in body, f.label
    unit_fig = figures.filter(scope=FigureScope.UNIT).first()
    assert f"/admin/reports/metric/activities.held/?union={unit_fig.unit_union_id}" in body


def test_a_figure_page_lists_each_units_value_down_to_its_records(drafted):
    t, _, report = drafted
    f = _figure(report, "members.at_end")
    client = Client()
    client.force_login(t.staff)
    page = client.get(
        f"/admin/collection/consolidated-reports/{report.pk}/figures/{f.ref}/"
    ).content.decode()
    assert "起草时为" in page and "东区实验小学工会" in page
    assert f"/admin/reports/metric/members.at_end/?union={t.units[0].pk}" in page


def test_the_consolidated_report_exports_to_word_in_the_official_format(drafted):
    t, _, report = drafted
    client = Client()
    client.force_login(t.staff)
    response = client.get(f"/admin/collection/consolidated-reports/{report.pk}/export.docx")
    document = Document(io.BytesIO(response.content))
    assert document.paragraphs[0].text.startswith("海州市总工会")
    assert any("存在的不足" in p.text for p in document.paragraphs)


def test_a_unit_chair_cannot_draft_or_read_the_consolidated_report(drafted):
    t, request, report = drafted
    client = Client()
    client.force_login(t.chair(t.units[0]))
    url = f"/admin/collection/collection-requests/{request.pk}/consolidate/"
    assert client.post(url).status_code == 404
    assert client.get(f"/admin/collection/consolidated-reports/{report.pk}/").status_code == 404
