"""Importing the roster from Excel: what is refused, with which message, and
that a refused file writes nothing."""

import io
import zipfile
from datetime import date, datetime, timedelta

import pytest
from openpyxl import Workbook, load_workbook

from gonghui import encryption, idcard
from gonghui.members import excel
from gonghui.members.imports import import_members
from gonghui.members.models import Member, StatusChange
from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs.tests.factories import DepartmentFactory, GroupFactory, UnionFactory

pytestmark = pytest.mark.django_db

HEADERS = [c.header for c in excel.MEMBER_COLUMNS]


def an_id(n: int = 1, gender: str = "M", born: date = date(1985, 5, 6)) -> str:
    return idcard.make("330206", born, n, gender)


def a_row(n: int = 1, **over) -> dict:
    """One valid row, keyed by header."""
    row = {
        "姓名": f"会员{n}",
        "性别": "男",
        "出生日期": date(1985, 5, 6),
        "身份证号": an_id(n),
        "手机号码": f"139{n:08d}",
        "工号": f"E{n:04d}",
        "学历": "本科",
        "政治面貌": "群众",
        "民族": "汉族",
        "入会日期": date(2020, 3, 1),
    }
    row.update(over)
    return row


def roster_file(tmp_path, rows, headers=HEADERS, name="roster.xlsx", prepare=None):
    """Write an .xlsx with a header row and the rows (dicts keyed by header)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "会员名册"
    ws.append(headers)
    for row in rows:
        ws.append([row.get(h) for h in headers])
    if prepare:
        prepare(ws)
    path = tmp_path / name
    wb.save(path)
    return path


def run(union, path, **options):
    return import_members(union=union, path=path, **options)


def only_error(outcome):
    assert len(outcome.errors) == 1, [str(e) for e in outcome.errors]
    return outcome.errors[0]


@pytest.fixture
def union():
    return UnionFactory()


# Happy paths -------------------------------------------------------------------------


def test_a_clean_file_creates_members_with_encrypted_id_numbers_and_joining_records(
    union, tmp_path
):
    outcome = run(
        union, roster_file(tmp_path, [a_row(1), a_row(2, 性别="女", 身份证号=an_id(2, "F"))])
    )
    assert outcome.written and outcome.created == 2 and not outcome.errors
    member = Member.objects.get(union=union, id_number_digest=encryption.digest(an_id(1)))
    assert member.id_number == an_id(1)
    assert member.name_initials == "hy1" or member.name_initials.startswith("hy")
    assert member.phone_digest == encryption.digest("13900000001")
    assert StatusChange.objects.filter(member=member, reason="入会").count() == 1
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number FROM members_member WHERE id = %s", [member.pk])
        assert an_id(1) not in cursor.fetchone()[0]


def test_groups_departments_and_choice_labels_become_references_and_codes(union, tmp_path):
    department = DepartmentFactory(union=union, name="教务处")
    group = GroupFactory(union=union, name="第一小组", department=department)
    run(
        union,
        roster_file(
            tmp_path,
            [a_row(1, 部门="教务处", 工会小组="第一小组", 学历="硕士研究生", 政治面貌="中共党员")],
        ),
    )
    member = Member.objects.get(union=union)
    assert (member.department, member.group) == (department, group)
    assert (member.education, member.political_status, member.gender) == ("master", "cpc", "M")


def test_update_mode_updates_members_already_on_the_roster_by_id_number(union, tmp_path):
    existing = MemberFactory(union=union, id_number=an_id(1), name="旧名字", position="")
    outcome = run(
        union,
        roster_file(tmp_path, [a_row(1, 姓名="新名字", **{"岗位/职务": "教师"}), a_row(2)]),
        update=True,
    )
    assert (outcome.created, outcome.updated) == (1, 1)
    existing.refresh_from_db()
    assert (existing.name, existing.position, existing.name_initials) == ("新名字", "教师", "xmz")
    assert existing.phone == "13900000001"


def test_valid_only_mode_imports_the_good_rows_and_reports_the_bad(union, tmp_path):
    rows = [a_row(1), a_row(2, 手机号码="12345"), a_row(3)]
    outcome = run(union, roster_file(tmp_path, rows), valid_only=True)
    assert outcome.created == 2
    assert [str(e) for e in outcome.errors] == [
        "第3行 第E列（手机号码）：手机号码格式不正确，应为11位大陆手机号"
    ]
    assert Member.objects.filter(union=union).count() == 2


def test_dry_run_checks_everything_and_writes_nothing(union, tmp_path):
    outcome = run(union, roster_file(tmp_path, [a_row(1)]), dry_run=True)
    assert not outcome.errors and not outcome.written and outcome.total == 1
    assert Member.objects.count() == 0


def test_the_template_example_row_is_skipped(union, tmp_path):
    template = tmp_path / "template.xlsx"
    template.write_bytes(excel.member_template())
    wb = load_workbook(template)
    wb["会员名册"].append([a_row(1).get(h) for h in HEADERS])
    wb.save(template)
    outcome = run(union, template)
    assert (outcome.created, outcome.skipped, outcome.errors) == (1, 1, [])


def test_a_title_row_above_the_headers_is_allowed(union, tmp_path):
    def add_title(ws):
        ws.insert_rows(1)
        ws["A1"] = "2024年会员名册"

    outcome = run(union, roster_file(tmp_path, [a_row(1)], prepare=add_title))
    assert outcome.created == 1


# Values that are accepted after normalising -------------------------------------------


@pytest.mark.parametrize(
    ("over", "expected"),
    [
        ({"姓名": "  张三 "}, ("name", "张三")),
        ({"手机号码": " 139 0000 0001 "}, ("phone", "13900000001")),
        ({"手机号码": "１３９００００００01"}, ("phone", "13900000001")),
        ({"手机号码": 13900000001}, ("phone", "13900000001")),
        ({"性别": "女", "身份证号": an_id(5, "F")}, ("gender", "F")),
        ({"入会日期": "2024-03-05"}, ("joined_on", date(2024, 3, 5))),
        ({"入会日期": "2024/3/5"}, ("joined_on", date(2024, 3, 5))),
        ({"入会日期": "2024.3.5"}, ("joined_on", date(2024, 3, 5))),
        ({"入会日期": "2024年3月5日"}, ("joined_on", date(2024, 3, 5))),
        ({"入会日期": 45356}, ("joined_on", date(2024, 3, 5))),
        ({"入会日期": datetime(2024, 3, 5)}, ("joined_on", date(2024, 3, 5))),
        ({"学历": "硕士"}, ("education", "master")),
        ({"政治面貌": "团员"}, ("political_status", "league")),
    ],
    ids=[
        "spaces-trimmed",
        "phone-spaces",
        "full-width-phone",
        "numeric-phone",
        "female-label",
        "iso-date",
        "slash-date",
        "dot-date",
        "chinese-date",
        "excel-serial-date",
        "date-cell",
        "short-education-label",
        "short-political-label",
    ],
)
def test_common_ways_of_writing_a_value_are_accepted(union, tmp_path, over, expected):
    outcome = run(union, roster_file(tmp_path, [a_row(5, **over)]))
    assert not outcome.errors, [str(e) for e in outcome.errors]
    field, value = expected
    assert getattr(Member.objects.get(union=union), field) == value


def test_a_lower_case_x_in_the_id_number_is_accepted_as_upper_case(union, tmp_path):
    number = next(an_id(n) for n in range(100) if an_id(n).endswith("X"))
    run(union, roster_file(tmp_path, [a_row(1, 身份证号=number.lower())]))
    assert Member.objects.get(union=union).id_number == number


def test_full_width_digits_in_the_id_number_are_accepted(union, tmp_path):
    wide = an_id(1).translate(str.maketrans("0123456789X", "０１２３４５６７８９Ｘ"))
    run(union, roster_file(tmp_path, [a_row(1, 身份证号=f" {wide} ")]))
    assert Member.objects.get(union=union).id_number == an_id(1)


# Bad rows: message, row, column, and nothing written ---------------------------------------


@pytest.mark.parametrize(
    ("over", "column", "message"),
    [
        ({"姓名": None}, "A", "姓名不能为空"),
        ({"姓名": "名" * 41}, "A", "姓名不能超过40个字"),
        ({"身份证号": None}, "D", "身份证号不能为空"),
        ({"身份证号": an_id(1)[:17]}, "D", "身份证号应为18位，实际为17位"),
        (
            {"身份证号": an_id(1)[:17] + ("0" if an_id(1)[17] != "0" else "1")},
            "D",
            "身份证号校验位错误",
        ),
        ({"身份证号": "33020619850506A011"}, "D", "身份证号前17位须为数字，最后一位为数字或X"),
        (
            {"身份证号": 3.30206198505061e17},
            "D",
            "身份证号被Excel存成了数字，末几位已丢失；请把该列设为文本格式后重新填写",
        ),
        ({"性别": "女"}, "B", "性别与身份证号不一致（身份证为男）"),
        ({"性别": "未知"}, "B", "性别“未知”应为“男”或“女”"),
        ({"出生日期": date(1985, 5, 7)}, "C", "出生日期与身份证号不一致（身份证为1985-05-06）"),
        ({"手机号码": "1390000000"}, "E", "手机号码格式不正确，应为11位大陆手机号"),
        ({"手机号码": "23900000001"}, "E", "手机号码格式不正确，应为11位大陆手机号"),
        ({"学历": "幼儿园"}, "J", "学历“幼儿园”不在可选范围内"),
        ({"政治面貌": "无党派"}, "K", "政治面貌“无党派”不在可选范围内"),
        (
            {"部门": "不存在的部门"},
            "G",
            "部门“不存在的部门”不存在，请先在系统中添加该部门或检查名称",
        ),
        (
            {"工会小组": "第九小组"},
            "H",
            "工会小组“第九小组”不存在，请先在系统中添加该小组或检查名称",
        ),
        ({"入会日期": None}, "M", "入会日期不能为空"),
        ({"入会日期": date.today() + timedelta(days=7)}, "M", "入会日期不能晚于今天"),
        ({"入会日期": date(1980, 1, 1)}, "M", "入会日期不能早于出生日期"),
        ({"入会日期": "去年"}, "M", "无法识别日期“去年”，请写成 2024-03-05 这样的日期"),
        ({"入会日期": "2024-02-30"}, "M", "日期“2024-02-30”不存在，请检查年月日"),
        ({"工号": "9" * 31}, "F", "工号不能超过30个字"),
    ],
    ids=[
        "name-missing",
        "name-too-long",
        "id-missing",
        "id-17-digits",
        "id-wrong-check-digit",
        "id-letter-inside",
        "id-stored-as-number",
        "gender-contradicts-id",
        "gender-unknown",
        "birth-date-contradicts-id",
        "phone-too-short",
        "phone-not-mobile",
        "education-unknown",
        "political-status-unknown",
        "department-unknown",
        "group-unknown",
        "join-date-missing",
        "join-date-in-future",
        "join-date-before-birth",
        "join-date-unreadable",
        "join-date-impossible",
        "employee-number-too-long",
    ],
)
def test_a_bad_cell_is_reported_with_its_row_and_column_and_nothing_is_written(
    union, tmp_path, over, column, message
):
    header = HEADERS[ord(column) - ord("A")]
    outcome = run(union, roster_file(tmp_path, [a_row(1), a_row(2, **over)]))
    error = only_error(outcome)
    assert (error.row, error.column, error.header) == (3, column, header)
    assert error.message.startswith(message)
    assert str(error).startswith(f"第3行 第{column}列（{header}）：{message}")
    assert not outcome.written
    assert Member.objects.count() == 0


def test_a_group_outside_the_given_department_is_refused(union, tmp_path):
    DepartmentFactory(union=union, name="教务处")
    GroupFactory(
        union=union, name="后勤小组", department=DepartmentFactory(union=union, name="后勤处")
    )
    outcome = run(union, roster_file(tmp_path, [a_row(1, 部门="教务处", 工会小组="后勤小组")]))
    assert only_error(outcome).message == "工会小组“后勤小组”不属于部门“教务处”"
    assert Member.objects.count() == 0


def test_a_group_of_another_union_is_unknown_here(union, tmp_path):
    GroupFactory(name="第一小组")  # another union
    outcome = run(union, roster_file(tmp_path, [a_row(1, 工会小组="第一小组")]))
    assert only_error(outcome).column == "H"
    assert Member.objects.count() == 0


def test_the_same_id_number_twice_in_the_file_is_reported_on_the_second_row(union, tmp_path):
    outcome = run(union, roster_file(tmp_path, [a_row(1), a_row(2), a_row(1, 姓名="另一人")]))
    error = only_error(outcome)
    assert str(error) == "第4行 第D列（身份证号）：身份证号与第2行重复"
    assert Member.objects.count() == 0


def test_an_identical_duplicate_row_is_reported(union, tmp_path):
    outcome = run(union, roster_file(tmp_path, [a_row(1), a_row(1)]))
    assert str(only_error(outcome)) == "第3行 第D列（身份证号）：身份证号与第2行重复"
    assert Member.objects.count() == 0


def test_an_id_number_already_on_the_roster_is_refused_without_update_mode(union, tmp_path):
    MemberFactory(union=union, id_number=an_id(1))
    outcome = run(union, roster_file(tmp_path, [a_row(1), a_row(2)]))
    error = only_error(outcome)
    assert (error.row, error.column) == (2, "D")
    assert error.message.startswith("该身份证号已在本工会会员名册中")
    assert Member.objects.count() == 1


def test_the_same_person_may_be_on_the_roster_of_another_union(union, tmp_path):
    MemberFactory(id_number=an_id(1))
    assert run(union, roster_file(tmp_path, [a_row(1)])).created == 1


def test_error_values_of_id_numbers_are_masked(union, tmp_path):
    bad = an_id(1)[:17] + ("0" if an_id(1)[17] != "0" else "1")
    error = only_error(run(union, roster_file(tmp_path, [a_row(1, 身份证号=bad)])))
    assert error.value != bad and "*" in error.value


def test_every_bad_row_is_reported_not_just_the_first(union, tmp_path):
    rows = [a_row(1, 姓名=""), a_row(2), a_row(3, 手机号码="1"), a_row(4, 入会日期="x")]
    outcome = run(union, roster_file(tmp_path, rows))
    assert [(e.row, e.column) for e in outcome.errors] == [(2, "A"), (4, "E"), (5, "M")]


# Bad sheets ------------------------------------------------------------------------------


def test_a_formula_where_a_value_is_expected_is_reported(union, tmp_path):
    def formula(ws):
        ws["A3"] = '=CONCATENATE("张","三")'

    outcome = run(union, roster_file(tmp_path, [a_row(1), a_row(2)], prepare=formula))
    error = only_error(outcome)
    assert (error.row, error.column, error.header) == (3, "A", "姓名")
    assert error.message.startswith("单元格是公式")
    assert Member.objects.count() == 0


def test_merged_cells_in_the_data_area_are_reported(union, tmp_path):
    def merge(ws):
        ws.merge_cells("L2:L3")

    outcome = run(union, roster_file(tmp_path, [a_row(1), a_row(2)], prepare=merge))
    error = only_error(outcome)
    assert (error.row, error.column) == (2, "L")
    assert "合并单元格（L2:L3）" in error.message
    assert Member.objects.count() == 0


def test_rows_of_a_merged_range_are_not_imported_in_valid_only_mode(union, tmp_path):
    def merge(ws):
        ws.merge_cells("L3:L4")

    outcome = run(
        union, roster_file(tmp_path, [a_row(1), a_row(2), a_row(3)], prepare=merge), valid_only=True
    )
    assert outcome.created == 1


def test_a_hidden_row_is_reported_rather_than_imported(union, tmp_path):
    def hide(ws):
        ws.row_dimensions[3].hidden = True

    outcome = run(union, roster_file(tmp_path, [a_row(1), a_row(2)], prepare=hide))
    assert str(only_error(outcome)) == "第3行：该行被隐藏，请取消隐藏并确认是否需要导入"
    assert Member.objects.count() == 0


def test_a_missing_required_column_is_named(union, tmp_path):
    headers = [h for h in HEADERS if h != "身份证号"]
    outcome = run(union, roster_file(tmp_path, [a_row(1)], headers=headers))
    error = only_error(outcome)
    assert error.row is None
    assert error.message == "第1行表头缺少必填列：身份证号，请使用系统提供的导入模板"
    assert Member.objects.count() == 0


def test_a_sheet_without_a_header_row_is_refused(union, tmp_path):
    path = roster_file(tmp_path, [], headers=list(a_row(1).values()))
    error = only_error(run(union, path))
    assert error.message.startswith("找不到表头行")
    assert Member.objects.count() == 0


def test_a_header_row_with_a_column_twice_is_refused(union, tmp_path):
    outcome = run(union, roster_file(tmp_path, [a_row(1)], headers=[*HEADERS, "姓名"]))
    assert only_error(outcome).message.startswith("第1行表头“姓名”出现了两次（A列和N列）")


def test_a_header_row_without_data_is_refused(union, tmp_path):
    outcome = run(union, roster_file(tmp_path, []))
    assert only_error(outcome).message == "第1行表头以下没有会员数据"


# Files that are not a roster workbook ---------------------------------------------------------


def refused(union, path) -> str:
    outcome = run(union, path)
    error = only_error(outcome)
    assert error.row is None and not outcome.written
    assert Member.objects.count() == 0
    return error.message


def test_an_empty_file_is_refused(union, tmp_path):
    path = tmp_path / "empty.xlsx"
    path.write_bytes(b"")
    assert refused(union, path) == "文件是空的（0字节），请选择填写好的 .xlsx 文件"


def test_a_pdf_renamed_to_xlsx_is_refused(union, tmp_path):
    path = tmp_path / "scan.xlsx"
    path.write_bytes(b"%PDF-1.7\n1 0 obj <<>> endobj\n")
    assert refused(union, path).startswith("这是PDF文件")


def test_an_old_xls_file_renamed_to_xlsx_is_refused(union, tmp_path):
    path = tmp_path / "old.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    assert refused(union, path).startswith("这是旧版Excel（.xls）格式的文件")


def test_a_text_file_renamed_to_xlsx_is_refused(union, tmp_path):
    path = tmp_path / "names.xlsx"
    path.write_text("姓名,身份证号\n张三,110105199001011234\n", encoding="utf-8")
    assert refused(union, path).startswith("文件不是有效的Excel工作簿（.xlsx）")


def test_a_zip_that_is_not_a_workbook_is_refused(union, tmp_path):
    path = tmp_path / "other.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("readme.txt", "hello")
    assert refused(union, path).startswith("文件不是Excel工作簿")


def test_a_truncated_workbook_is_refused(union, tmp_path):
    good = roster_file(tmp_path, [a_row(1)])
    path = tmp_path / "cut.xlsx"
    path.write_bytes(good.read_bytes()[:2000])
    assert refused(union, path).startswith("文件已损坏")


def test_a_file_over_the_size_limit_is_refused(union, tmp_path, settings):
    settings.MEMBER_IMPORT_MAX_BYTES = 4096
    path = roster_file(tmp_path, [a_row(n) for n in range(1, 80)])
    assert "超过了" in refused(union, path)


def _workbook_parts(tmp_path) -> dict[str, bytes]:
    with zipfile.ZipFile(roster_file(tmp_path, [a_row(1)], name="base.xlsx")) as z:
        return {n: z.read(n) for n in z.namelist()}


def _write_zip(path, parts: dict[str, bytes]):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


def test_a_zip_bomb_is_refused_before_it_is_decompressed(union, tmp_path):
    parts = _workbook_parts(tmp_path)
    parts["xl/media/padding.bin"] = b"\0" * (20 * 1024 * 1024)
    path = _write_zip(tmp_path / "bomb.xlsx", parts)
    assert path.stat().st_size < 200_000
    assert "压缩炸弹" in refused(union, path)


BILLION_LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n<!ENTITY lol "lol">\n'
    + b"".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n'.encode()
        for i in range(1, 10)
    )
    + b"]>\n"
)


def test_a_billion_laughs_worksheet_is_refused(union, tmp_path):
    parts = _workbook_parts(tmp_path)
    sheet = parts["xl/worksheets/sheet1.xml"].split(b"?>", 1)[-1]
    parts["xl/worksheets/sheet1.xml"] = BILLION_LAUGHS + sheet.replace(b"</t>", b"&lol9;</t>", 1)
    path = _write_zip(tmp_path / "laughs.xlsx", parts)
    assert refused(union, path).startswith("文件中含有不安全的XML内容")


def test_an_external_entity_in_the_workbook_part_is_refused(union, tmp_path):
    parts = _workbook_parts(tmp_path)
    workbook = parts["xl/workbook.xml"].split(b"?>", 1)[-1]
    parts["xl/workbook.xml"] = (
        b'<?xml version="1.0"?>\n<!DOCTYPE workbook [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
        + workbook
    )
    path = _write_zip(tmp_path / "xxe.xlsx", parts)
    assert refused(union, path).startswith("文件中含有不安全的XML内容")


# The error copy ------------------------------------------------------------------------------


def test_the_error_workbook_fills_bad_cells_red_with_the_message_as_comment(union, tmp_path):
    path = roster_file(tmp_path, [a_row(1), a_row(2, 手机号码="123"), a_row(3, 姓名="")])
    outcome = run(union, path)
    data = excel.mark_errors(path, [e.__dict__ for e in outcome.errors])
    wb = load_workbook(io.BytesIO(data))
    ws = wb["会员名册"]
    assert ws["E3"].fill.fgColor.rgb == excel.ERROR_FILL.fgColor.rgb
    assert ws["E3"].comment.text == "手机号码格式不正确，应为11位大陆手机号"
    assert ws["A4"].comment.text == "姓名不能为空"
    assert ws["A2"].comment is None and ws["A2"].fill.fill_type is None
    listing = list(wb["错误清单"].values)
    assert listing[1][:2] == (3, "E（手机号码）")


def test_what_the_write_hook_records_commits_with_the_members_or_not_at_all(union, tmp_path):
    # The job is marked finished in this hook: a server killed between the
    # members' commit and the job's update must never leave "nothing written".
    def fails(outcome):
        assert outcome.created == 2
        raise RuntimeError("server gone")

    with pytest.raises(RuntimeError):
        run(union, roster_file(tmp_path, [a_row(1), a_row(2)]), on_commit_of_write=fails)
    assert not Member.objects.filter(union=union).exists()
