"""Exporting the roster to Excel."""

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from gonghui.members.excel import EXPORT_HEADERS, export_members, neutralise
from gonghui.members.models import Member
from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs.tests.factories import GroupFactory, UnionFactory

pytestmark = pytest.mark.django_db


def exported(queryset, reveal=False):
    ws = load_workbook(io.BytesIO(export_members(queryset, reveal=reveal)))["会员名册"]
    return [list(r) for r in ws.iter_rows(values_only=True)]


def test_the_export_has_chinese_headers_and_masks_id_numbers_and_phones():
    member = MemberFactory(phone="13812345678", group=None)
    rows = exported(Member.objects.filter(pk=member.pk))
    assert rows[0] == EXPORT_HEADERS
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["身份证号"] == member.id_number[:3] + "*" * 11 + member.id_number[-4:]
    assert row["手机号码"] == "138****5678"
    assert row["性别"] == member.get_gender_display()
    assert row["入会日期"].date() == date(2020, 3, 1)
    assert row["会籍状态"] == "在册"


def test_the_export_reveals_full_values_only_when_asked():
    member = MemberFactory(phone="13812345678")
    row = dict(zip(EXPORT_HEADERS, exported(Member.objects.all(), reveal=True)[1], strict=True))
    assert (row["身份证号"], row["手机号码"]) == (member.id_number, "13812345678")


@pytest.mark.parametrize("text", ['=HYPERLINK("http://x")', "+1+1", "-2", "@SUM(A1)", "\tx"])
def test_cells_that_a_spreadsheet_would_evaluate_are_neutralised(text):
    union = UnionFactory()
    MemberFactory(
        union=union, name="张三", position=text, group=GroupFactory(union=union, name=text)
    )
    row = dict(zip(EXPORT_HEADERS, exported(Member.objects.all())[1], strict=True))
    assert row["岗位/职务"] == "'" + text
    assert row["工会小组"] == "'" + text


def test_a_leading_carriage_return_is_neutralised():
    assert neutralise("\rx") == "'\rx"


def test_ordinary_text_is_left_alone():
    assert neutralise("教师") == "教师"
    assert neutralise("") == ""


def test_the_export_lists_only_the_given_queryset():
    union = UnionFactory()
    MemberFactory.create_batch(3, union=union)
    MemberFactory()
    assert len(exported(Member.objects.filter(union=union))) == 4
