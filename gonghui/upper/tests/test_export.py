"""The statistical export read back with openpyxl: one row per unit, one column
per registered metric, Chinese headers with units, and the subtree's total row."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from gonghui.orgs.roles import Role
from gonghui.orgs.tests.factories import user_with_role
from gonghui.reports import registry
from gonghui.upper import export, figures
from gonghui.upper.tests.subtree import PERIOD, city

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def columns():
    return export.columns()


@pytest.fixture
def c():
    return city()


@pytest.fixture
def sheet(c):
    handle = export.workbook(c.city, PERIOD)
    return load_workbook(handle, read_only=True).active


def _rows(sheet):
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def test_the_header_names_every_registered_metric_with_its_unit(sheet, columns):
    header = _rows(sheet)[1]
    assert header[:4] == ["工会编码", "工会名称", "上级工会", "职工总数（人）"]
    assert header[4:] == [f"{m.label}（{m.unit}）" for m in columns]
    assert {m.key for m in columns} == {m.key for m in registry.all_metrics()}


def test_there_is_one_row_per_unit_in_path_order_then_the_total(sheet, c):
    rows = _rows(sheet)
    assert rows[0][0].startswith("测试市总工会下属基层工会统计表")
    assert [r[1] for r in rows[2:6]] == [u.name for u in c.units]
    assert [r[2] for r in rows[2:6]] == ["甲区总工会", "甲区总工会", "乙区总工会", "乙区总工会"]
    assert rows[6][:2] == ["合计", "4家基层工会"]


def test_each_cell_is_the_units_figure(sheet, c, columns):
    rows = _rows(sheet)
    values = figures.unit_values(c.city, PERIOD, [m.key for m in columns])
    for row, unit in zip(rows[2:6], c.units, strict=True):
        for m, cell in zip(columns, row[4:], strict=True):
            assert cell == pytest.approx(float(values[unit.pk][m.key])), (unit.name, m.key)


def test_the_total_row_is_the_subtree_total_with_ratios_recomputed(sheet, c, columns):
    total = _rows(sheet)[6]
    totals = figures.subtree_totals(c.city, PERIOD, [m.key for m in columns])
    by_key = dict(zip([m.key for m in columns], total[4:], strict=True))
    assert by_key["members.at_end"] == 15
    assert by_key["members.membership_rate"] == pytest.approx(15.0)
    assert by_key["rights.wage_contract_coverage"] == pytest.approx(50.0)
    for m in columns:
        assert by_key[m.key] == pytest.approx(float(totals[m.key])), m.key
    assert total[3] == 100  # headcounts 10 + 20 + 30 + 40


def test_no_personal_data_is_exported(sheet, c):
    from gonghui.members.models import Member

    text = "".join(str(v) for r in _rows(sheet) for v in r if v is not None)
    for member in Member.objects.filter(union__in=c.units):
        assert member.name not in text
        assert member.phone not in text


def test_upper_staff_download_the_workbook(client, c):
    client.force_login(user_with_role(c.city, Role.UPPER_STAFF))
    response = client.get(
        reverse("upper:export"),
        {"union": c.district_a.pk, "start": "2026-01-01", "end": "2026-12-31"},
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    book = load_workbook(BytesIO(b"".join(response.streaming_content)), read_only=True)
    names = [
        r[1] for r in book.active.iter_rows(min_row=3, values_only=True) if len(r) > 1 and r[1]
    ]
    assert names == [c.a1.name, c.a2.name, "2家基层工会"]


def test_a_bad_period_is_refused_for_the_export(client, c):
    client.force_login(user_with_role(c.city, Role.UPPER_STAFF))
    response = client.get(reverse("upper:export"), {"start": "2026-12-31", "end": "2026-01-01"})
    assert response.status_code == 404
