"""Roster workbooks: the import template, safe reading of uploads, the error
copy of an upload, and the roster export.

Reading is streaming (openpyxl read-only mode; defusedxml is installed, so
entity expansion and external entities are refused by the XML parser). An
upload is inspected as a zip archive before openpyxl sees it, so renamed
files and zip bombs are turned away with a message a cadre can act on.
"""

import io
import os
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date

from defusedxml.common import DefusedXmlException
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.reader.excel import ExcelReader
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.styles.stylesheet import apply_stylesheet
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._reader import WorkSheetParser
from openpyxl.worksheet.datavalidation import DataValidation

from gonghui import idcard
from gonghui.masking import mask_id_number, mask_phone
from gonghui.members.models import Education, Gender, PoliticalStatus, Status


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    required: bool = False
    width: int = 12
    kind: str = "text"  # text | date | choice
    aliases: tuple[str, ...] = ()


MEMBER_COLUMNS: tuple[Column, ...] = (
    Column("姓名", "name", required=True, width=10),
    Column("性别", "gender", width=6, kind="choice"),
    Column("出生日期", "birth_date", width=12, kind="date", aliases=("出生年月日",)),
    Column(
        "身份证号",
        "id_number",
        required=True,
        width=21,
        aliases=("身份证号码", "公民身份号码", "身份证"),
    ),
    Column("手机号码", "phone", width=14, aliases=("手机号", "手机", "联系电话")),
    Column("工号", "employee_number", width=10, aliases=("职工号", "员工号")),
    Column("部门", "department", width=14, kind="choice"),
    Column("工会小组", "group", width=14, kind="choice", aliases=("小组",)),
    Column("岗位/职务", "position", width=14, aliases=("岗位", "职务", "岗位职务")),
    Column("学历", "education", width=12, kind="choice"),
    Column("政治面貌", "political_status", width=14, kind="choice"),
    Column("民族", "ethnicity", width=8),
    Column("入会日期", "joined_on", required=True, width=12, kind="date"),
)
SENSITIVE_FIELDS = {"id_number", "phone"}

# The example row of the template; the importer skips a row with this ID so a
# forgotten example never becomes a member.
EXAMPLE_ID_NUMBER = idcard.make("110105", date(1990, 1, 1), 12, "M")
EXAMPLE_ROW = {
    "name": "张三",
    "gender": "男",
    "birth_date": date(1990, 1, 1),
    "id_number": EXAMPLE_ID_NUMBER,
    "phone": "13800138000",
    "employee_number": "A0001",
    "department": "",
    "group": "",
    "position": "教师",
    "education": "本科",
    "political_status": "群众",
    "ethnicity": "汉族",
    "joined_on": date(2015, 9, 1),
}

DATA_SHEET = "会员名册"
NOTES_SHEET = "填写说明"
CHOICES_SHEET = "选项"
TEMPLATE_ROWS = 20000  # rows covered by the drop-down lists

ERROR_FILL = PatternFill(fill_type="solid", start_color="FFFFC7CE", end_color="FFFFC7CE")
HEADER_FILL = PatternFill(fill_type="solid", start_color="FFDDEBF7", end_color="FFDDEBF7")

# Limits on what the zip directory may claim, checked before decompressing.
MAX_UNCOMPRESSED_BYTES = 400 * 1024 * 1024
MAX_PART_RATIO = 100  # compressed size : uncompressed size of one part
RATIO_CHECK_FROM_BYTES = 5 * 1024 * 1024
MAX_PARTS = 2000


class WorkbookRejected(Exception):
    """The upload cannot be read as a roster; the message says why, in Chinese."""


# Template ----------------------------------------------------------------------


def choice_labels(column_field: str) -> list[str]:
    return {
        "gender": list(Gender.labels),
        "education": list(Education.labels),
        "political_status": list(PoliticalStatus.labels),
    }.get(column_field, [])


def member_template(*, departments: Iterable[str] = (), groups: Iterable[str] = ()) -> bytes:
    """The import template: headers, drop-down lists, one example row and notes."""
    wb = Workbook()
    ws = wb.active
    ws.title = DATA_SHEET
    lists = {
        "gender": choice_labels("gender"),
        "education": choice_labels("education"),
        "political_status": choice_labels("political_status"),
        "department": sorted(departments),
        "group": sorted(groups),
    }
    choices = wb.create_sheet(CHOICES_SHEET)
    choices.sheet_state = "hidden"
    for index, column in enumerate(MEMBER_COLUMNS, start=1):
        letter = get_column_letter(index)
        cell = ws.cell(row=1, column=index, value=column.header)
        cell.font = Font(bold=True, color="FFC00000" if column.required else "FF000000")
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center")
        ws.column_dimensions[letter].width = column.width
        if column.field in ("id_number", "phone", "employee_number"):
            # The whole column as text, so numbers typed later keep every digit.
            ws.column_dimensions[letter].number_format = "@"
        example = EXAMPLE_ROW[column.field]
        sample = ws.cell(row=2, column=index, value=example or None)
        sample.font = Font(italic=True, color="FF808080")
        if column.kind == "date":
            sample.number_format = "yyyy-mm-dd"
        else:
            # Text format keeps Excel from turning ID numbers into 1.1E+17.
            sample.number_format = "@"
        values = lists.get(column.field)
        if values:
            choices.cell(row=1, column=index, value=column.header)
            for row, value in enumerate(values, start=2):
                choices.cell(row=row, column=index, value=value)
            source = f"'{CHOICES_SHEET}'!${letter}$2:${letter}${len(values) + 1}"
            validation = DataValidation(
                type="list",
                formula1=source,
                allow_blank=True,
                showErrorMessage=True,
                errorTitle="输入有误",
                error=f"请从下拉列表中选择{column.header}",
            )
            validation.add(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")
            ws.add_data_validation(validation)
    ws.freeze_panes = "A2"

    notes = wb.create_sheet(NOTES_SHEET, 1)
    notes.column_dimensions["A"].width = 100
    for row, line in enumerate(_template_notes(), start=1):
        notes.cell(row=row, column=1, value=line).alignment = Alignment(wrap_text=True)
    notes["A1"].font = Font(bold=True, size=14)
    return _save(wb)


def _template_notes() -> list[str]:
    required = "、".join(c.header for c in MEMBER_COLUMNS if c.required)
    return [
        "会员名册导入模板 填写说明",
        f"1. 必填列（表头红字）：{required}。其他列可以留空。",
        "2. 第2行是示例（灰色斜体），导入时会自动忽略，可以直接覆盖或删除。",
        "3. 身份证号填18位，最后一位可以是X；单元格请保持“文本”格式，以免Excel把号码改成科学计数法。",
        "4. 性别、出生日期可以不填，系统按身份证号自动识别；若填写，须与身份证号一致。",
        "5. 日期可写成 2024-03-05、2024/3/5、2024.3.5 或 2024年3月5日，也可以是Excel日期单元格。",
        "6. 性别、学历、政治面貌、部门、工会小组请从下拉列表中选择；部门和工会小组须已在系统中建立。",
        "7. 手机号码填11位大陆手机号，会员凭手机号登录会员门户。",
        "8. 请不要合并单元格、隐藏行或使用公式；同一身份证号在文件中只能出现一次。",
        "9. 导入前系统会逐行校验，只要有一行有误，默认整个文件都不导入；可在错误报告中查看并修改标红的单元格。",
        "10. 勾选“按身份证号更新已有会员”时，名册中已有的会员按文件内容更新，空白单元格保留原值。",
    ]


# Inspecting and reading uploads ---------------------------------------------------


def inspect_upload(path: str | os.PathLike, *, max_bytes: int) -> None:
    """Refuse anything that is not a plausible, reasonably sized .xlsx archive."""
    size = os.path.getsize(path)
    if size == 0:
        raise WorkbookRejected("文件是空的（0字节），请选择填写好的 .xlsx 文件")
    if size > max_bytes:
        raise WorkbookRejected(
            f"文件大小为{size / 1048576:.1f}MB，超过了{max_bytes / 1048576:.0f}MB的上限，"
            "请分成几个文件分别导入"
        )
    with open(path, "rb") as f:
        head = f.read(8)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise WorkbookRejected(
            "这是旧版Excel（.xls）格式的文件，请在Excel或WPS中“另存为”Excel工作簿（.xlsx）后再导入"
        )
    if head.startswith(b"%PDF"):
        raise WorkbookRejected("这是PDF文件，不是Excel表格，请上传 .xlsx 格式的名册")
    if not head.startswith(b"PK\x03\x04"):
        raise WorkbookRejected(
            "文件不是有效的Excel工作簿（.xlsx），可能只是改了扩展名，请上传Excel保存的 .xlsx 文件"
        )
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    # An unsupported zip version or compression method raises NotImplementedError.
    except (zipfile.BadZipFile, NotImplementedError, EOFError, OSError, ValueError) as e:
        raise WorkbookRejected("文件已损坏，无法作为Excel工作簿（.xlsx）打开") from e
    names = {p.filename for p in parts}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        if "word/document.xml" in names:
            raise WorkbookRejected("这是Word文档，不是Excel表格，请上传 .xlsx 格式的名册")
        raise WorkbookRejected("文件不是Excel工作簿（缺少工作簿内容），请上传 .xlsx 格式的名册")
    if len(parts) > MAX_PARTS:
        raise WorkbookRejected("文件内部结构异常（包含的部件过多），已拒绝读取")
    total = 0
    for part in parts:
        total += part.file_size
        ratio = part.file_size / max(part.compress_size, 1)
        if part.file_size > RATIO_CHECK_FROM_BYTES and ratio > MAX_PART_RATIO:
            raise WorkbookRejected(
                "文件解压后异常膨胀（疑似“压缩炸弹”），已拒绝读取；请上传正常保存的名册"
            )
    if total > MAX_UNCOMPRESSED_BYTES:
        raise WorkbookRejected(
            "文件解压后超过400MB（疑似“压缩炸弹”或内容过多），已拒绝读取；请分成几个文件导入"
        )


UNSAFE_XML = (
    "文件中含有不安全的XML内容（实体声明或外部引用），已拒绝读取；请用Excel重新保存后再导入"
)
BROKEN = "文件已损坏或不是Excel保存的工作簿，无法读取；请用Excel或WPS打开后重新保存为 .xlsx"


def _unreadable(error: BaseException) -> WorkbookRejected:
    """Explain why openpyxl failed; it wraps the XML parser's refusal in a ValueError."""
    seen = error
    while seen is not None:
        if isinstance(seen, DefusedXmlException):
            return WorkbookRejected(UNSAFE_XML)
        seen = seen.__cause__ or seen.__context__
    return WorkbookRejected(BROKEN)


_DIMENSION = re.compile(r'<(?:\w+:)?dimension\s+ref="[A-Z]+\d+(?::[A-Z]+(\d+))?"')


@dataclass
class Cell:
    column: int
    value: object
    data_type: str  # s text, n number, d date, b boolean, f formula, e error


@dataclass
class SheetReader:
    """Streams the rows of the roster sheet; merged ranges and hidden rows are
    known once every row has been read."""

    path: str | os.PathLike
    epoch: object = None
    sheet_title: str = ""
    max_row: int = 0
    merged_ranges: list[str] = field(default_factory=list)
    hidden_rows: set[int] = field(default_factory=set)

    def __enter__(self):
        # openpyxl's own read-only loader parses a whole sheet up front when
        # the sheet lacks a <dimension> element; open the parts ourselves.
        try:
            reader = ExcelReader(self.path, read_only=True, keep_vba=False, keep_links=False)
        except Exception as e:
            raise _unreadable(e) from e
        self._archive = reader.archive
        try:
            reader.read_manifest()
            reader.read_strings()
            reader.read_workbook()
            apply_stylesheet(reader.archive, reader.wb)
            sheets = [
                (sheet.name, sheet.state, rel.target)
                for sheet, rel in reader.parser.find_sheets()
                if rel.target in reader.valid_files and "chartsheet" not in rel.Type
            ]
        except Exception as e:
            self._archive.close()
            raise _unreadable(e) from e
        if not sheets:
            self._archive.close()
            raise WorkbookRejected("工作簿中没有工作表，请使用系统提供的导入模板")
        chosen = next((s for s in sheets if s[0] == DATA_SHEET), None) or next(
            (s for s in sheets if s[1] == "visible" and s[0] != NOTES_SHEET), sheets[0]
        )
        self.sheet_title, self._sheet_path = chosen[0], chosen[2]
        self._wb, self._strings = reader.wb, reader.shared_strings
        self.epoch = reader.wb.epoch
        try:
            self.max_row = self._declared_rows()
        except Exception as e:  # a damaged part: zlib.error, BadZipFile, CRC mismatch…
            self._archive.close()
            raise _unreadable(e) from e
        return self

    def _declared_rows(self) -> int:
        """The last row named by the sheet's <dimension>, or 0 when absent."""
        with self._archive.open(self._sheet_path) as source:
            head = source.read(4096).decode("utf-8", "ignore")
        match = _DIMENSION.search(head)
        return int(match[1]) if match and match[1] else 0

    def __exit__(self, *exc):
        self._archive.close()

    def rows(self) -> Iterator[tuple[int, list[Cell]]]:
        """Yield (row number, non-empty cells) for each row that holds a value."""
        wb = self._wb
        try:
            with self._archive.open(self._sheet_path) as source:
                parser = WorkSheetParser(
                    source,
                    self._strings,
                    data_only=False,
                    epoch=wb.epoch,
                    date_formats=wb._date_formats,
                    timedelta_formats=wb._timedelta_formats,
                )
                dimensions = parser.row_dimensions
                for number, raw in parser.parse():
                    cells = []
                    for c in raw:
                        value = c["value"]
                        if value is None or value == "":
                            continue
                        cells.append(Cell(c["column"], value, c["data_type"]))
                    if not cells:
                        continue
                    attrs = dimensions.get(str(number))
                    if attrs and attrs.get("hidden") in ("1", "true"):
                        self.hidden_rows.add(number)
                    yield number, cells
                if parser.merged_cells is not None:
                    self.merged_ranges = [m.ref for m in parser.merged_cells.mergeCell]
        except WorkbookRejected:
            raise
        except Exception as e:
            raise _unreadable(e) from e


# Error copy of an upload -------------------------------------------------------


def mark_errors(path: str | os.PathLike, errors: list[dict]) -> bytes:
    """A copy of the uploaded workbook with each bad cell filled red and a
    comment holding the message, plus a sheet listing every error."""
    try:
        wb = load_workbook(path)
    except Exception as e:
        raise _unreadable(e) from e
    ws = wb[DATA_SHEET] if DATA_SHEET in wb.sheetnames else wb.worksheets[0]
    messages: dict[str, list[str]] = {}
    for error in errors:
        if not error.get("row"):
            continue
        coordinate = f"{error.get('column') or 'A'}{error['row']}"
        messages.setdefault(coordinate, []).append(error["message"])
    for coordinate, lines in messages.items():
        cell = ws[coordinate]
        if type(cell).__name__ == "MergedCell":
            continue
        cell.fill = ERROR_FILL
        comment = Comment("\n".join(lines), "工会系统")
        comment.width, comment.height = 300, 40 + 20 * len(lines)
        cell.comment = comment
    listing = wb.create_sheet("错误清单", 0)
    listing.append(["行", "列", "内容", "问题"])
    for cell in listing[1]:
        cell.font = Font(bold=True)
    for error in errors:
        listing.append(
            [
                error.get("row") or "",
                _column_label(error),
                neutralise(str(error.get("value") or "")),
                error["message"],
            ]
        )
    listing.column_dimensions["B"].width = 18
    listing.column_dimensions["C"].width = 24
    listing.column_dimensions["D"].width = 70
    wb.active = wb.sheetnames.index(ws.title)
    return _save(wb)


def _column_label(error: dict) -> str:
    if not error.get("column"):
        return ""
    header = error.get("header")
    return f"{error['column']}（{header}）" if header else error["column"]


# Export ---------------------------------------------------------------------------

EXPORT_HEADERS = [c.header for c in MEMBER_COLUMNS] + ["会籍状态", "状态变更日期"]
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """Text a spreadsheet will show, never evaluate (CSV/formula injection)."""
    if text and text.startswith(_FORMULA_STARTS):
        return "'" + text
    return text


def export_members(queryset, *, reveal: bool) -> bytes:
    """The roster as .xlsx with Chinese headers; ID numbers and phones masked
    unless reveal is True (the caller checks the permission and logs it)."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(DATA_SHEET)
    for index in range(1, len(EXPORT_HEADERS) + 1):
        width = MEMBER_COLUMNS[index - 1].width if index <= len(MEMBER_COLUMNS) else 12
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.append(EXPORT_HEADERS)
    members = queryset.select_related("department", "group").order_by("id")
    for m in members.iterator(chunk_size=2000):
        id_number = m.id_number if reveal else mask_id_number(m.id_number)
        mobile = m.phone if reveal else mask_phone(m.phone)
        texts = [
            m.name,
            m.get_gender_display(),
            None,
            id_number,
            mobile,
            m.employee_number,
            m.department.name if m.department_id else "",
            m.group.name if m.group_id else "",
            m.position,
            m.get_education_display() if m.education else "",
            m.get_political_status_display() if m.political_status else "",
            m.ethnicity,
            None,
            Status(m.status).label if m.status in Status.values else m.status,
            None,
        ]
        row = [neutralise(t) if isinstance(t, str) else t for t in texts]
        row[2], row[12], row[14] = m.birth_date, m.joined_on, m.status_since
        ws.append(row)
    return _save(wb)


def _save(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
