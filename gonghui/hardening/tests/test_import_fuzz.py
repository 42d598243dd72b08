"""Fuzzing the roster importer with random workbooks (hypothesis).

Workbooks mix the real headers with random ones, and cells of every type a
spreadsheet holds: text (with odd characters), numbers, dates and times,
booleans, formulas, empty cells and merged ranges; some files are damaged at
the byte level. Whatever comes in, the importer must not raise, must explain
a refusal in Chinese, and must write either every counted row or nothing.

The default run is bounded for `make test` (about 30 s on two cores); set
GONGHUI_FUZZ_EXAMPLES (e.g. 5000) for a longer run, see docs/testing.md.
"""

import io
import os
import re
import tempfile
import zipfile
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from django.db import transaction
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from gonghui import idcard
from gonghui.members import excel
from gonghui.members.imports import import_members
from gonghui.members.models import Member, StatusChange
from gonghui.orgs.tests.factories import DepartmentFactory, UnionFactory

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("GONGHUI_FUZZ_EXAMPLES", "250"))
CHINESE = re.compile(r"[\u4e00-\u9fff]")
HEADERS = [c.header for c in excel.MEMBER_COLUMNS]
# openpyxl refuses these in cell text; a real file cannot hold them either.
ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

texts = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40).map(
    lambda s: ILLEGAL.sub("", s)
)
id_numbers = st.builds(
    lambda n, year, gender: idcard.make("330206", date(year, 3, 4), n, gender),
    st.integers(1, 998),
    st.integers(1950, 2005),
    st.sampled_from("MF"),
)
cells = st.one_of(
    st.none(),
    texts,
    id_numbers,
    st.sampled_from(["男", "女", "本科", "群众", "汉族", "部门一", "2020-03-01", "2024年2月30日"]),
    st.integers(-(2**40), 2**40),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.dates(min_value=date(1900, 3, 1), max_value=date(2100, 1, 1)),
    st.datetimes(min_value=datetime(1900, 3, 1), max_value=datetime(2100, 1, 1)),
    st.times(),
    st.just(timedelta(days=3, hours=2)),
    st.booleans(),
    st.sampled_from(["=A1+1", "=SUM(A1:A3)", "=1/0", '=HYPERLINK("http://x","y")', "=NOW()"]),
)
headers = st.lists(st.one_of(st.sampled_from(HEADERS), texts, st.none()), min_size=1, max_size=16)


@st.composite
def workbooks(draw) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = draw(st.sampled_from([excel.DATA_SHEET, "Sheet1", "名册"]))
    top = draw(st.integers(0, 3))  # title rows above the headers
    for row in range(1, top + 1):
        ws.cell(row=row, column=1, value=draw(texts) or None)
    header = draw(headers)
    for column, value in enumerate(header, start=1):
        ws.cell(row=top + 1, column=column, value=value)
    width = max(len(header), 1)
    rows = draw(st.integers(0, 25))
    for row in range(top + 2, top + 2 + rows):
        for column in range(1, width + 1):
            ws.cell(row=row, column=column, value=draw(cells))
    for _ in range(draw(st.integers(0, 3))):
        first_row = draw(st.integers(1, top + rows + 2))
        first_col = draw(st.integers(1, width))
        last = (
            first_row + draw(st.integers(0, 3)),
            first_col + draw(st.integers(0, 2)),
        )
        if last != (first_row, first_col):
            ws.merge_cells(
                f"{get_column_letter(first_col)}{first_row}:{get_column_letter(last[1])}{last[0]}"
            )
    if draw(st.booleans()):
        ws.row_dimensions[top + 2].hidden = True
    if draw(st.booleans()):
        wb.create_sheet(draw(st.sampled_from(["填写说明", "选项", "其他"])))
    out = io.BytesIO()
    wb.save(out)
    return _stable(out.getvalue())


def _stable(content: bytes) -> bytes:
    """The same workbook as the same bytes on every run: openpyxl stamps each zip
    entry with the time it was saved, which hypothesis would see as a flaky draw."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            stamped = zipfile.ZipInfo(item.filename, date_time=(2024, 1, 1, 0, 0, 0))
            stamped.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(stamped, source.read(item.filename))
    return out.getvalue()


@st.composite
def damaged(draw) -> bytes:
    """A workbook with bytes flipped, cut short or spliced: a file damaged in transit."""
    content = bytearray(draw(workbooks()))
    # Positions are drawn independently of the length: a saved workbook's bytes
    # carry the time it was saved, so its length is not the same on every run.
    how = draw(st.sampled_from(["flip", "truncate", "splice"]))
    if how == "truncate":
        return bytes(content[: draw(st.integers(0, 2**20)) % len(content)])
    if how == "splice":
        at = draw(st.integers(0, 2**20)) % len(content)
        return bytes(content[:at]) + draw(st.binary(max_size=200)) + bytes(content[at:])
    for _ in range(draw(st.integers(1, 8))):
        at = draw(st.integers(0, 2**20)) % len(content)
        content[at] = draw(st.integers(0, 255))
    return bytes(content)


FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=os.environ.get("GONGHUI_FUZZ_EXAMPLES") is None,
    database=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink],
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
)


@pytest.fixture
def union():
    union = UnionFactory()
    DepartmentFactory(union=union, name="部门一")
    return union


def _import(union, content: bytes, **options):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "roster.xlsx"
        path.write_bytes(content)
        members_before = Member.objects.count()
        changes_before = StatusChange.objects.count()
        with transaction.atomic():
            outcome = import_members(union=union, path=path, **options)
            written = (
                Member.objects.count() - members_before,
                StatusChange.objects.count() - changes_before,
            )
            transaction.set_rollback(True)  # each example starts from the same roster
    return outcome, written


def _assert_whole_or_nothing(outcome, written):
    for error in outcome.errors:
        assert CHINESE.search(error.message), error
    if outcome.errors:
        assert written == (0, 0), (outcome.errors[:3], written)
        assert not outcome.written
    else:
        assert written[0] == outcome.created


@FUZZ
@given(content=workbooks())
def test_a_random_workbook_is_imported_whole_or_refused_in_chinese(union, content):
    outcome, written = _import(union, content)
    _assert_whole_or_nothing(outcome, written)


@FUZZ
@given(content=workbooks())
def test_valid_only_mode_writes_exactly_the_rows_it_counts(union, content):
    outcome, written = _import(union, content, valid_only=True)
    for error in outcome.errors:
        assert CHINESE.search(error.message), error
    if outcome.rejected:
        assert written == (0, 0)
    else:
        assert written[0] == outcome.created


@settings(FUZZ, max_examples=max(EXAMPLES // 3, 10))
@given(content=damaged())
def test_a_damaged_file_is_refused_in_chinese_without_writing(union, content):
    outcome, written = _import(union, content)
    _assert_whole_or_nothing(outcome, written)


def test_the_fuzzer_reaches_the_rows_and_not_only_the_header_check(union):
    """A workbook with the real headers and one good row imports: the strategy can build one."""
    wb = Workbook()
    ws = wb.active
    ws.append(HEADERS)
    row = {"姓名": "李四", "身份证号": idcard.make("330206", date(1980, 1, 2), 5, "M")}
    row["入会日期"] = date(2020, 3, 1)
    ws.append([row.get(h) for h in HEADERS])
    out = io.BytesIO()
    wb.save(out)
    outcome, written = _import(union, out.getvalue())
    assert outcome.errors == [] and written[0] == 1


def test_a_time_only_cell_in_a_date_column_is_refused_with_the_row_named(union):
    wb = Workbook()
    ws = wb.active
    ws.append(HEADERS)
    row = {"姓名": "王五", "身份证号": idcard.make("330206", date(1980, 1, 3), 6, "F")}
    row["入会日期"] = time(9, 30)
    ws.append([row.get(h) for h in HEADERS])
    out = io.BytesIO()
    wb.save(out)
    outcome, written = _import(union, out.getvalue())
    assert written == (0, 0)
    assert any(e.row == 2 and "入会日期" in str(e) for e in outcome.errors), outcome.errors
