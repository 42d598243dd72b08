"""A chart image can close a section of the drafted report's Word export."""

import io

import pytest
from docx import Document
from docx.shared import Mm

from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs.tests.factories import UnionFactory
from gonghui.periods import Period
from gonghui.reports import charts
from gonghui.reports.officedoc import Figure, to_docx

pytestmark = pytest.mark.django_db

HTML = (
    "<h1>实验学校工会2025年度工作总结</h1>"
    "<h2>一、加强会员管理</h2><p>全年新入会会员3人。</p>"
    "<h2>二、丰富职工生活</h2><p>全年开展活动5次。</p>"
)


def _png():
    union = UnionFactory()
    MemberFactory.create_batch(2, union=union)
    return charts.chart_png("members_trend", [union.pk], Period.year(2020))


def _layout(data: bytes) -> list[str]:
    """The body's paragraphs in order, a picture shown as [图]."""
    document = Document(io.BytesIO(data))
    rows = []
    for p in document.paragraphs:
        if p._element.xpath(".//pic:pic"):
            rows.append("[图]")
        elif p.text:
            rows.append(p.text)
    return rows


def test_a_figure_closes_the_section_it_names():
    data = to_docx(HTML, figures=[Figure(png=_png(), caption="图1 会员增减", after="一、")])
    assert _layout(data) == [
        "实验学校工会2025年度工作总结",
        "一、加强会员管理",
        "全年新入会会员3人。",
        "[图]",
        "图1 会员增减",
        "二、丰富职工生活",
        "全年开展活动5次。",
    ]


def test_a_figure_for_the_last_section_or_no_section_comes_at_the_end():
    png = _png()
    data = to_docx(
        HTML,
        figures=[
            Figure(png=png, caption="图2 活动", after="二、丰富"),
            Figure(png=png, caption="图3 附图"),
        ],
    )
    assert _layout(data)[-4:] == ["[图]", "图2 活动", "[图]", "图3 附图"]


def test_a_figure_is_as_wide_as_allowed_within_the_text_block():
    document = Document(io.BytesIO(to_docx(HTML, figures=[Figure(png=_png(), caption="图")])))
    shape = document.inline_shapes[0]
    assert shape.width == Mm(150)
    assert shape.height < shape.width


def test_without_figures_the_export_has_no_picture():
    assert "[图]" not in _layout(to_docx(HTML))


def test_the_summary_export_with_charts_appends_the_periods_charts_as_figures(client):
    from datetime import date

    from django.urls import reverse

    from gonghui.orgs.roles import Role
    from gonghui.orgs.tests.factories import user_with_role
    from gonghui.reports import services

    union = UnionFactory()
    MemberFactory.create_batch(3, union=union, joined_on=date(2025, 4, 2))
    chair = user_with_role(union, Role.CHAIR)
    report = services.draft_report(
        union=union, start=date(2025, 1, 1), end=date(2025, 12, 31), actor=chair
    )
    client.force_login(chair)
    url = reverse("reports:export_docx", args=[report.pk])
    plain = _layout(client.get(url).content)
    with_charts = _layout(client.get(url, {"charts": "1"}).content)
    assert "[图]" not in plain
    # Members joined in April draw the members' trend; the empty charts are left out.
    assert with_charts[-2] == "[图]" and with_charts[-1].startswith("附图1")
    assert sum(1 for row in with_charts if row == "[图]") == 1
