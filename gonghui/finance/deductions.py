"""Importing one month's payroll deductions of dues from Excel.

The file is checked with the roster importer's machinery (gonghui.members:
excel.inspect_upload and excel.SheetReader for file safety, RowError for
(row, column, value, message) reports, the same cell and header reading), and
every row with the dues rules of finance.dues. Nothing is written unless every
row is valid; the write is one call of services.record_deductions.
"""

import os
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django_scopes import scopes_disabled
from openpyxl.utils import get_column_letter

from gonghui import encryption, idcard
from gonghui.finance import dues, services
from gonghui.finance.models import DuesImport
from gonghui.members import excel, imports
from gonghui.members.imports import RowError, cell_text, header_key, mask_number
from gonghui.members.models import Member
from gonghui.orgs.models import Union

COLUMNS: tuple[excel.Column, ...] = (
    excel.Column("身份证号", "id_number", aliases=("身份证号码", "公民身份号码", "身份证")),
    excel.Column("工号", "employee_number", aliases=("职工号", "员工号")),
    excel.Column("姓名", "name", required=True),
    excel.Column("月份", "month", required=True, aliases=("所属月份", "会费月份", "扣款月份")),
    excel.Column(
        "金额",
        "amount",
        required=True,
        aliases=("金额（元）", "金额(元)", "会费", "会费金额", "代扣金额", "扣款金额"),
    ),
)
_HEADERS = {header_key(n): c for c in COLUMNS for n in (c.header, *c.aliases)}
# Either identifies the member; at least one of them must be in the file.
IDENTIFIERS = ("id_number", "employee_number")

_MONTH_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$")
_MONTH_COMPACT = re.compile(r"^(\d{4})(\d{2})$")


@dataclass
class DeductionOutcome:
    total: int = 0  # data rows in the file
    errors: list[RowError] = field(default_factory=list)
    entries: list[tuple[int, Member, Decimal]] = field(default_factory=list)
    batch: DuesImport | None = None

    @property
    def written(self) -> bool:
        return self.batch is not None

    @property
    def amount(self) -> Decimal:
        return sum((a for _, _, a in self.entries), Decimal("0.00"))


def parse_month(value, epoch) -> date:
    """A month from a date cell or text such as 2025-03, 2025/3, 2025年3月, 202503."""
    if isinstance(value, datetime | date):
        return dues.month_of(value if isinstance(value, date) else value.date())
    text = cell_text(value)
    match = _MONTH_TEXT.match(text) or _MONTH_COMPACT.match(text)
    if match and 1 <= int(match[2]) <= 12:
        return date(int(match[1]), int(match[2]), 1)
    if not match and not text.isdigit():
        try:
            return dues.month_of(imports.parse_date(text, epoch))
        except imports.CellProblem:
            pass
    raise imports.CellProblem(f"月份“{text}”格式不正确，请写成 2025-03 或 2025年3月")


def _amount(value) -> Decimal | str:
    """The cell as Decimal, or the message saying why it is not a usable amount."""
    if isinstance(value, bool):
        return f"金额“{cell_text(value)}”不是有效的数字"
    if isinstance(value, float):
        # The shortest text that reads back as this float: 12.3 stays 12.3.
        value = repr(value)
    elif not isinstance(value, int | Decimal):
        value = cell_text(value)
    problem = services.money_error(value)
    return problem if problem else Decimal(value).quantize(services.CENT)


def _find_header(rows) -> tuple[int, dict[int, excel.Column]]:
    for number, cells in rows:
        found = {}
        for cell in cells:
            column = _HEADERS.get(header_key(cell.value))
            if column is not None:
                if column in found.values():
                    first = next(i for i, c in found.items() if c is column)
                    raise excel.WorkbookRejected(
                        f"第{number}行表头“{column.header}”出现了两次"
                        f"（{get_column_letter(first)}列和{get_column_letter(cell.column)}列），"
                        "请删除多余的一列"
                    )
                found[cell.column] = column
        if len(found) >= 2:
            return number, found
        if number >= imports.HEADER_SEARCH_ROWS:
            break
    raise excel.WorkbookRejected(
        f"找不到表头行：前{imports.HEADER_SEARCH_ROWS}行中没有“姓名”“月份”“金额”等列名。"
        "表头应为：身份证号（或工号）、姓名、月份、金额"
    )


class _Roster:
    """The union's members, found by ID number digest or employee number."""

    def __init__(self, union: Union):
        with scopes_disabled():
            members = list(
                Member.objects.filter(union=union).only(
                    "id",
                    "union_id",
                    "name",
                    "joined_on",
                    "left_on",
                    "employee_number",
                    "id_number_digest",
                )
            )
        self.by_digest = {m.id_number_digest: m for m in members}
        self.by_number: dict[str, list[Member]] = {}
        for m in members:
            if m.employee_number:
                self.by_number.setdefault(m.employee_number, []).append(m)


def check_deductions(*, union: Union, path: str | os.PathLike, month: date) -> DeductionOutcome:
    """Check every row of a deductions workbook for `month`; never raises for bad input."""
    outcome = DeductionOutcome()
    month = dues.month_of(month)
    try:
        excel.inspect_upload(path, max_bytes=settings.MEMBER_IMPORT_MAX_BYTES)
        with excel.SheetReader(path) as sheet:
            _check_rows(union, sheet, month, outcome)
    except excel.WorkbookRejected as e:
        outcome.errors = [RowError(None, None, "", "", str(e))]
        outcome.entries = []
    return outcome


def _check_rows(union: Union, sheet, month: date, outcome: DeductionOutcome) -> None:
    rows = sheet.rows()
    header_row, columns = _find_header(rows)
    present = {c.field for c in columns.values()}
    missing = [c.header for c in COLUMNS if c.required and c.field not in present]
    if not present & set(IDENTIFIERS):
        missing.insert(0, "身份证号或工号")
    if missing:
        raise excel.WorkbookRejected(
            f"第{header_row}行表头缺少必填列：{'、'.join(missing)}。"
            "表头应为：身份证号（或工号）、姓名、月份、金额"
        )
    where = {c.field: (get_column_letter(i), c.header) for i, c in columns.items()}

    def error(row: int, key: str, value, message: str) -> RowError:
        letter, header = where.get(key, (None, ""))
        text = cell_text(value)
        if key == "id_number":
            text = mask_number(text)
        return RowError(row, letter, header, text, message)

    roster = _Roster(union)
    candidates: list[tuple[int, Member, Decimal, object]] = []
    seen: dict[int, int] = {}
    for number, cells in rows:
        outcome.total += 1
        if number in sheet.hidden_rows:
            outcome.errors.append(
                RowError(number, None, "", "", "该行被隐藏，请取消隐藏并确认是否需要导入")
            )
            continue
        raw, problems = {}, []
        for cell in cells:
            column = columns.get(cell.column)
            if column is None:
                continue
            if cell.data_type in ("f", "e"):
                kind = "公式" if cell.data_type == "f" else "错误值"
                problems.append(
                    error(
                        number,
                        column.field,
                        cell.value,
                        f"单元格是{kind}（{cell.value}），请复制后“粘贴为数值”再导入",
                    )
                )
                continue
            raw[column.field] = cell.value
        if problems:
            outcome.errors.extend(problems)
            continue
        member = _member_of(number, raw, roster, error, problems)
        name = cell_text(raw.get("name"))
        if not name:
            problems.append(error(number, "name", "", "姓名不能为空"))
        elif member is not None and name != member.name:
            problems.append(error(number, "name", name, f"姓名“{name}”与名册中该会员的姓名不一致"))
        row_month = None
        if "month" not in raw:
            problems.append(error(number, "month", "", "月份不能为空"))
        else:
            try:
                row_month = parse_month(raw["month"], sheet.epoch)
            except imports.CellProblem as e:
                problems.append(error(number, "month", raw["month"], str(e)))
            else:
                if row_month != month:
                    problems.append(
                        error(
                            number,
                            "month",
                            raw["month"],
                            f"月份为{dues.month_label(row_month)}，"
                            f"与本次导入的{dues.month_label(month)}不一致",
                        )
                    )
        amount = _amount(raw["amount"]) if "amount" in raw else "金额不能为空"
        if isinstance(amount, str):
            problems.append(error(number, "amount", raw.get("amount"), amount))
        if member is not None and not problems:
            if member.pk in seen:
                problems.append(
                    error(
                        number,
                        "name",
                        name,
                        f"与第{seen[member.pk]}行是同一名会员，同一月份只能代扣一次",
                    )
                )
            else:
                seen[member.pk] = number
        if problems:
            outcome.errors.extend(problems)
        elif member is not None:
            candidates.append((number, member, amount, raw["month"]))
    for ref in sheet.merged_ranges:
        last_row = int(re.sub(r"[A-Z$]", "", ref.partition(":")[2] or ref))
        if last_row > header_row:
            outcome.errors.append(
                RowError(
                    header_row + 1,
                    None,
                    "",
                    "",
                    f"数据区域有合并单元格（{ref}），请取消合并并在每一行填写完整",
                )
            )
    if outcome.total == 0 and not outcome.errors:
        raise excel.WorkbookRejected(f"第{header_row}行表头以下没有会费代扣数据")
    # The dues rules (joined, left, exempt, base, paid), with the bases,
    # exemptions and payments of these members loaded once.
    book = dues.DuesBook.load(unions=[union.pk], members=[m.pk for _, m, _, _ in candidates])
    for number, member, amount, month_value in candidates:
        problem = book.month_problem(member, month)
        if problem:
            outcome.errors.append(error(number, "month", month_value, problem))
        else:
            outcome.entries.append((number, member, amount))
    outcome.errors.sort(key=lambda e: (e.row or 0,))
    if outcome.errors:
        outcome.entries = []


def _member_of(number: int, raw: dict, roster: _Roster, error, problems: list) -> Member | None:
    """The member a row names by ID number and/or employee number; records why not."""
    by_id = by_number = None
    if "id_number" in raw:
        value = raw["id_number"]
        if isinstance(value, float):
            problems.append(
                error(
                    number,
                    "id_number",
                    value,
                    "身份证号被Excel存成了数字，末几位已丢失；请把该列设为文本格式后重新填写",
                )
            )
            return None
        try:
            id_number, _, _ = idcard.parse(cell_text(value))
        except idcard.IdNumberError as e:
            problems.append(error(number, "id_number", value, str(e)))
            return None
        by_id = roster.by_digest.get(encryption.digest(id_number))
        if by_id is None:
            problems.append(error(number, "id_number", value, "该身份证号不在本工会会员名册中"))
            return None
    if "employee_number" in raw:
        text = cell_text(raw["employee_number"])
        found = roster.by_number.get(text, [])
        if not found:
            problems.append(
                error(number, "employee_number", text, f"工号“{text}”不在本工会会员名册中")
            )
            return None
        if by_id is None and len(found) > 1:
            problems.append(
                error(
                    number,
                    "employee_number",
                    text,
                    f"工号“{text}”在名册中对应多名会员，请填写身份证号",
                )
            )
            return None
        by_number = by_id if by_id in found else found[0]
        if by_id is not None and by_id not in found:
            problems.append(error(number, "employee_number", text, "工号与身份证号不是同一名会员"))
            return None
    if by_id is None and by_number is None:
        problems.append(error(number, "id_number", "", "身份证号和工号至少填写一项"))
        return None
    return by_id or by_number


def import_deductions(
    *,
    union: Union,
    path: str | os.PathLike,
    month: date,
    paid_on: date,
    original_name: str,
    idempotency_key: str,
    voucher: str = "",
    actor,
) -> DeductionOutcome:
    """Check a deductions workbook and, when every row is valid, record it in
    one transaction. Returns what happened; never raises for bad input."""
    outcome = check_deductions(union=union, path=path, month=month)
    if outcome.errors:
        return outcome
    try:
        outcome.batch = services.record_deductions(
            union=union,
            month=month,
            paid_on=paid_on,
            entries=[(m, a) for _, m, a in outcome.entries],
            original_name=original_name,
            idempotency_key=idempotency_key,
            voucher=voucher,
            actor=actor,
        )
    except ValidationError as e:
        outcome.errors = [RowError(None, None, "", "", m) for m in e.messages]
    return outcome
