"""Importing the roster from Excel, and running imports as background jobs.

Every row is checked with the rules of services.clean_member_fields, through a
fast path that looks up groups, departments and the ID numbers already on
the roster once per file rather than once per row. Nothing is written unless
every row is valid (or the user asked for the valid rows only), and the
write is one transaction, so an import is never half-done.
"""

import logging
import os
import re
import threading
import unicodedata
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django_scopes import scope, scopes_disabled
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel

from gonghui import encryption, idcard, phone
from gonghui.members import excel, names
from gonghui.members.models import (
    Education,
    Gender,
    ImportJob,
    ImportState,
    Member,
    PoliticalStatus,
    Status,
    StatusChange,
)
from gonghui.orgs.models import Department, Group, Union

log = logging.getLogger(__name__)

BATCH_SIZE = 1000
HEADER_SEARCH_ROWS = 10  # a title row or two above the headers is common
PROGRESS_EVERY = 1000


@dataclass
class RowError:
    row: int | None  # as Excel shows it; None for a problem with the whole file
    column: str | None  # column letter
    header: str
    value: str
    message: str

    def __str__(self) -> str:
        if self.row is None:
            return self.message
        if self.column is None:
            return f"第{self.row}行：{self.message}"
        return f"第{self.row}行 第{self.column}列（{self.header}）：{self.message}"


@dataclass
class ImportOutcome:
    total: int = 0  # data rows in the file
    created: int = 0
    updated: int = 0
    skipped: int = 0  # invalid rows left out in valid-only mode, and the example row
    written: bool = False
    errors: list[RowError] = field(default_factory=list)
    # Rows inside a merged range of the data area: never imported.
    merged_rows: set[int] = field(default_factory=set)

    @property
    def rejected(self) -> bool:
        """The whole file was refused (not a workbook, no headers, …)."""
        return any(e.row is None for e in self.errors)


# Normalising cell values -------------------------------------------------------------

_DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_DATE_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_DATE_WITH_TIME = re.compile(r"^(\d{4}-\d{1,2}-\d{1,2})[ T]00:00(:00)?$")

GENDER_LABELS = {"男": "M", "女": "F", "男性": "M", "女性": "F", "M": "M", "F": "F"}


def _labels(choices, extra: dict[str, str]) -> dict[str, str]:
    mapping = {label: value for value, label in choices.choices}
    mapping.update({value: value for value in choices.values})
    mapping.update(extra)
    return mapping


EDUCATION_LABELS = _labels(
    Education,
    {
        "高中": "senior",
        "中专": "senior",
        "中职": "senior",
        "职高": "senior",
        "技校": "senior",
        "专科": "college",
        "大学本科": "bachelor",
        "硕士": "master",
        "研究生": "master",
        "博士": "doctor",
    },
)
POLITICAL_LABELS = _labels(
    PoliticalStatus,
    {
        "党员": "cpc",
        "中国共产党党员": "cpc",
        "预备党员": "probationary",
        "团员": "league",
        "共青团员": "league",
        "中国共产主义青年团团员": "league",
    },
)


def _text(value) -> str:
    """A cell as trimmed text, with full-width letters and digits made ordinary."""
    if value is None:
        return ""
    if isinstance(value, str):
        return unicodedata.normalize("NFKC", value).strip()
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if not value.time() else value.isoformat(" ")
    return str(value)


class CellProblem(ValueError):
    """The message is Chinese and says what is wrong with one cell."""


def parse_date(value, epoch) -> date:
    """A date from a date cell, an Excel serial number, or text in the usual forms."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _serial_date(value, epoch)
    text = _text(value)
    if _DATE_WITH_TIME.match(text):
        text = _DATE_WITH_TIME.match(text).group(1)
    match = _DATE_TEXT.match(text) or _DATE_COMPACT.match(text)
    if match:
        try:
            return date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            raise CellProblem(f"日期“{text}”不存在，请检查年月日") from None
    if text.isdigit() and 3 <= len(text) <= 6:
        return _serial_date(int(text), epoch)
    raise CellProblem(f"无法识别日期“{text}”，请写成 2024-03-05 这样的日期")


def _serial_date(number, epoch) -> date:
    if not 1 <= number < 2958466:
        raise CellProblem(f"日期序号“{number}”超出Excel日期范围")
    return from_excel(number, epoch).date()


# Reading the header --------------------------------------------------------------------

_HEADER_NOISE = re.compile(r"[\s*＊:：]|[（(]必填[)）]")


def _header_key(value) -> str:
    return _HEADER_NOISE.sub("", _text(value))


_HEADER_FIELDS: dict[str, excel.Column] = {}
for _column in excel.MEMBER_COLUMNS:
    for _name in (_column.header, *_column.aliases):
        _HEADER_FIELDS[_header_key(_name)] = _column


def _read_header(cells: list[excel.Cell]) -> dict[int, excel.Column]:
    found: dict[int, excel.Column] = {}
    for cell in cells:
        column = _HEADER_FIELDS.get(_header_key(cell.value))
        if column is not None:
            found[cell.column] = column
    return found


# The importer ---------------------------------------------------------------------------


@dataclass
class _Lookups:
    departments: dict[str, Department]
    groups: dict[str, Group]
    roster: dict[str, int]  # id number digest -> member id


def _load_lookups(union: Union) -> _Lookups:
    with scopes_disabled():
        return _Lookups(
            departments={d.name: d for d in Department.objects.filter(union=union)},
            groups={g.name: g for g in Group.objects.filter(union=union)},
            roster=dict(Member.objects.filter(union=union).values_list("id_number_digest", "id")),
        )


def _masked(text: str) -> str:
    """Hide the middle of a possibly malformed ID or phone number, keeping its length,
    so error lists stored in the database hold no full number."""
    if len(text) >= 11:
        return text[:3] + "*" * (len(text) - 7) + text[-4:]
    if len(text) >= 5:
        return text[:2] + "*" * (len(text) - 4) + text[-2:]
    return "*" * len(text)


# Shared with other importers (finance's payroll deductions), which read cells,
# headers and ID numbers the same way.
cell_text = _text
header_key = _header_key
mask_number = _masked


class _RowChecker:
    """Turns one row's cells into member fields or a list of RowErrors."""

    def __init__(self, *, columns: dict[int, excel.Column], lookups: _Lookups, epoch, today):
        self.columns = columns
        self.lookups = lookups
        self.epoch = epoch
        self.today = today
        self.headers = {c.field: (get_column_letter(i), c.header) for i, c in columns.items()}

    def error(self, row: int, key: str, value, message: str) -> RowError:
        letter, header = self.headers.get(key, (None, ""))
        text = _text(value)
        if key in excel.SENSITIVE_FIELDS:
            text = _masked(text)
        return RowError(row, letter, header, text, message)

    def check(self, row: int, cells: list[excel.Cell]) -> tuple[dict, list[RowError]]:
        raw: dict[str, object] = {}
        errors: list[RowError] = []
        unreadable: set[str] = set()  # already reported: no second message about them
        for cell in cells:
            column = self.columns.get(cell.column)
            if column is None:
                continue
            if cell.data_type == "f":
                errors.append(
                    self.error(
                        row,
                        column.field,
                        cell.value,
                        f"单元格是公式（{cell.value}），请复制后“粘贴为数值”再导入",
                    )
                )
                unreadable.add(column.field)
                continue
            if cell.data_type == "e":
                errors.append(
                    self.error(row, column.field, cell.value, f"单元格是错误值{cell.value}")
                )
                unreadable.add(column.field)
                continue
            raw[column.field] = cell.value
        data: dict[str, object] = {}

        def fail(key, message):
            if key not in unreadable:
                errors.append(self.error(row, key, raw.get(key), message))

        name = _text(raw.get("name"))
        if not name:
            fail("name", "姓名不能为空")
        elif len(name) > 40:
            fail("name", "姓名不能超过40个字")
        data["name"] = name

        birth = gender = None
        id_value = raw.get("id_number")
        if isinstance(id_value, float):
            fail(
                "id_number",
                "身份证号被Excel存成了数字，末几位已丢失；请把该列设为文本格式后重新填写",
            )
        else:
            try:
                number, birth, gender = idcard.parse(_text(id_value))
                data["id_number"] = number
            except idcard.IdNumberError as e:
                fail("id_number", str(e) if _text(id_value) else "身份证号不能为空")

        if "gender" in raw:
            label = _text(raw["gender"])
            code = GENDER_LABELS.get(label.upper() if label.isascii() else label)
            if code is None:
                fail("gender", f"性别“{label}”应为“男”或“女”")
            elif gender and code != gender:
                fail("gender", f"性别与身份证号不一致（身份证为{Gender(gender).label}）")
        if gender:
            data["gender"] = gender

        if "birth_date" in raw:
            try:
                given = parse_date(raw["birth_date"], self.epoch)
                if birth and given != birth:
                    fail("birth_date", f"出生日期与身份证号不一致（身份证为{birth:%Y-%m-%d}）")
            except CellProblem as e:
                fail("birth_date", str(e))
        if birth:
            data["birth_date"] = birth

        if "phone" in raw:
            mobile = phone.normalise(_text(raw["phone"]))
            problem = phone.error_in(mobile)
            if problem:
                fail("phone", problem)
            data["phone"] = mobile

        for key, limit, label in (
            ("employee_number", 30, "工号"),
            ("position", 60, "岗位/职务"),
            ("ethnicity", 20, "民族"),
        ):
            if key in raw:
                text = _text(raw[key])
                if len(text) > limit:
                    fail(key, f"{label}不能超过{limit}个字")
                data[key] = text

        for key, mapping, label, choices in (
            ("education", EDUCATION_LABELS, "学历", Education),
            ("political_status", POLITICAL_LABELS, "政治面貌", PoliticalStatus),
        ):
            if key in raw:
                text = _text(raw[key])
                code = mapping.get(text)
                if code is None:
                    fail(key, f"{label}“{text}”不在可选范围内（可选：{'、'.join(choices.labels)}）")
                data[key] = code

        department = None
        if "department" in raw:
            text = _text(raw["department"])
            department = self.lookups.departments.get(text)
            if department is None:
                fail("department", f"部门“{text}”不存在，请先在系统中添加该部门或检查名称")
            data["department"] = department
        if "group" in raw:
            text = _text(raw["group"])
            group = self.lookups.groups.get(text)
            if group is None:
                fail("group", f"工会小组“{text}”不存在，请先在系统中添加该小组或检查名称")
            elif department is not None and group.department_id not in (None, department.id):
                fail("group", f"工会小组“{text}”不属于部门“{department.name}”")
            data["group"] = group

        if "joined_on" not in raw:
            fail("joined_on", "入会日期不能为空")
        else:
            try:
                joined = parse_date(raw["joined_on"], self.epoch)
                if joined > self.today:
                    fail("joined_on", "入会日期不能晚于今天")
                elif birth and joined < birth:
                    fail("joined_on", "入会日期不能早于出生日期")
                data["joined_on"] = joined
            except CellProblem as e:
                fail("joined_on", str(e))
        return data, errors


def import_members(
    *,
    union: Union,
    path: str | os.PathLike,
    actor=None,
    update: bool = False,
    valid_only: bool = False,
    dry_run: bool = False,
    progress: Callable[[str, int, int], None] | None = None,
    before_write: Callable[[], None] | None = None,
    on_commit_of_write: Callable[[ImportOutcome], None] | None = None,
) -> ImportOutcome:
    """Check every row of a roster workbook and, if allowed, write it in one
    transaction. Returns what happened; never raises for bad input.

    `on_commit_of_write(outcome)` runs inside that transaction, after the last
    row: whatever it records commits with the members or not at all."""
    outcome = ImportOutcome()
    try:
        excel.inspect_upload(path, max_bytes=settings.MEMBER_IMPORT_MAX_BYTES)
        with excel.SheetReader(path) as sheet:
            valid = _check_rows(union, sheet, outcome, update=update, progress=progress)
    except excel.WorkbookRejected as e:
        outcome.errors = [RowError(None, None, "", "", str(e))]
        return outcome
    if outcome.errors:
        bad_rows = {e.row for e in outcome.errors} | outcome.merged_rows
        if not valid_only:
            return outcome
        outcome.skipped += sum(1 for r in bad_rows if r is not None)
        valid = [(r, d) for r, d in valid if r not in bad_rows]
    if dry_run:
        return outcome
    if before_write:
        before_write()
    _write(union, valid, outcome, actor=actor, progress=progress, last=on_commit_of_write)
    return outcome


def _check_rows(union, sheet, outcome, *, update, progress) -> list[tuple[int, dict]]:
    rows = sheet.rows()
    columns: dict[int, excel.Column] | None = None
    header_row = 0
    for number, cells in rows:
        found = _read_header(cells)
        if len(found) >= 2:
            columns, header_row = found, number
            break
        if number >= HEADER_SEARCH_ROWS:
            break
    if columns is None:
        expected = "、".join(c.header for c in excel.MEMBER_COLUMNS)
        raise excel.WorkbookRejected(
            f"找不到表头行：前{HEADER_SEARCH_ROWS}行中没有“姓名”“身份证号”等列名。"
            f"第1行应为表头（{expected}），请使用系统提供的导入模板"
        )
    seen_fields: dict[str, int] = {}
    for index, column in sorted(columns.items()):
        if column.field in seen_fields:
            first = get_column_letter(seen_fields[column.field])
            raise excel.WorkbookRejected(
                f"第{header_row}行表头“{column.header}”出现了两次"
                f"（{first}列和{get_column_letter(index)}列），请删除多余的一列"
            )
        seen_fields[column.field] = index
    missing = [c.header for c in excel.MEMBER_COLUMNS if c.required and c.field not in seen_fields]
    if missing:
        raise excel.WorkbookRejected(
            f"第{header_row}行表头缺少必填列：{'、'.join(missing)}，请使用系统提供的导入模板"
        )

    lookups = _load_lookups(union)
    checker = _RowChecker(
        columns=columns, lookups=lookups, epoch=sheet.epoch, today=timezone.localdate()
    )
    estimated = max(sheet.max_row - header_row, 0)
    example_digest = encryption.digest(excel.EXAMPLE_ID_NUMBER)
    seen: dict[str, int] = {}
    valid: list[tuple[int, dict]] = []
    errors = outcome.errors
    for number, cells in rows:
        outcome.total += 1
        if progress and outcome.total % PROGRESS_EVERY == 0:
            progress("checking", outcome.total, max(estimated, outcome.total))
        if number in sheet.hidden_rows:
            errors.append(
                RowError(number, None, "", "", "该行被隐藏，请取消隐藏并确认是否需要导入")
            )
            continue
        data, row_errors = checker.check(number, cells)
        if "id_number" in data:
            digest = encryption.digest(data["id_number"])
            if digest == example_digest:
                outcome.total -= 1
                outcome.skipped += 1
                continue
            data["id_number_digest"] = digest
            if digest in seen:
                row_errors.append(
                    checker.error(
                        number, "id_number", data["id_number"], f"身份证号与第{seen[digest]}行重复"
                    )
                )
            else:
                seen[digest] = number
                if digest in lookups.roster:
                    if update:
                        data["member_id"] = lookups.roster[digest]
                    else:
                        row_errors.append(
                            checker.error(
                                number,
                                "id_number",
                                data["id_number"],
                                "该身份证号已在本工会会员名册中"
                                "（如需更新，请勾选“按身份证号更新已有会员”）",
                            )
                        )
        if row_errors:
            errors.extend(row_errors)
        else:
            valid.append((number, data))
    for ref in sheet.merged_ranges:
        first, _, last = ref.partition(":")
        first_row = int(re.sub(r"[A-Z$]", "", first))
        last_row = int(re.sub(r"[A-Z$]", "", last or first))
        if last_row > header_row:
            letters = re.sub(r"[\d$]", "", first)
            header = next(
                (c.header for i, c in columns.items() if get_column_letter(i) == letters), ""
            )
            errors.append(
                RowError(
                    max(first_row, header_row + 1),
                    letters,
                    header,
                    "",
                    f"数据区域有合并单元格（{ref}），请取消合并并在每一行填写完整",
                )
            )
            outcome.merged_rows.update(range(max(first_row, header_row + 1), last_row + 1))
    errors.sort(key=lambda e: (e.row or 0,))
    if outcome.total == 0 and not errors:
        raise excel.WorkbookRejected(f"第{header_row}行表头以下没有会员数据")
    return valid


def _write(union, valid, outcome, *, actor, progress, last=None) -> None:
    fields = [f for f in EDITABLE if f != "id_number"]
    creates = [d for _, d in valid if "member_id" not in d]
    updates = [d for _, d in valid if "member_id" in d]
    done = 0
    with transaction.atomic(), scopes_disabled():
        for start in range(0, len(creates), BATCH_SIZE):
            batch = [_new_member(union, d) for d in creates[start : start + BATCH_SIZE]]
            Member.objects.bulk_create(batch)
            StatusChange.objects.bulk_create(
                [
                    StatusChange(
                        union=union,
                        member=m,
                        from_status="",
                        to_status=Status.ACTIVE,
                        on=m.joined_on,
                        reason="入会",
                        actor=actor,
                    )
                    for m in batch
                ]
            )
            done += len(batch)
            if progress:
                progress("writing", done, len(valid))
        for start in range(0, len(updates), BATCH_SIZE):
            chunk = updates[start : start + BATCH_SIZE]
            members = Member.objects.in_bulk([d["member_id"] for d in chunk])
            changed = []
            for d in chunk:
                member = members[d["member_id"]]
                # Only the cells that were filled in: a blank cell keeps the old value.
                for key in fields:
                    if key in d:
                        setattr(member, key, d[key])
                _derive(member)
                member.updated_at = timezone.now()
                changed.append(member)
            Member.objects.bulk_update(changed, [*fields, *DERIVED, "updated_at"])
            done += len(chunk)
            if progress:
                progress("writing", done, len(valid))
        outcome.created, outcome.updated = len(creates), len(updates)
        outcome.written = True
        if last:
            last(outcome)


EDITABLE = (
    "name",
    "gender",
    "birth_date",
    "id_number",
    "phone",
    "employee_number",
    "department",
    "group",
    "position",
    "education",
    "political_status",
    "ethnicity",
    "joined_on",
)
DERIVED = ("phone_digest", "name_initials", "search_text")


def _new_member(union: Union, data: dict) -> Member:
    member = Member(
        union=union,
        status=Status.ACTIVE,
        status_since=data["joined_on"],
        id_number_digest=data["id_number_digest"],
    )
    for key in EDITABLE:
        if key in data and data[key] is not None:
            setattr(member, key, data[key])
    _derive(member)
    return member


def _derive(member: Member) -> None:
    """The columns services._apply derives, computed the same way."""
    member.phone_digest = encryption.digest(member.phone) if member.phone else ""
    member.name_initials = names.initials(member.name)
    member.search_text = names.search_text(member.name)


# Background jobs ---------------------------------------------------------------------

# Files above this size (about 2,000 rows) are imported in a background thread.
BACKGROUND_FROM_BYTES = 200 * 1024
# A job whose worker has not reported for this long is taken as dead.
STALE_AFTER = timedelta(minutes=3)
# Uploads hold plain ID numbers: keep them only as long as the error report may be needed.
UPLOAD_RETENTION = timedelta(days=1)
ACTIVE_STATES = (ImportState.QUEUED, ImportState.RUNNING, ImportState.WRITING)

# This process's identity and the jobs its threads are running, with their progress.
WORKER_ID = f"{os.getpid()}-{uuid.uuid4().hex[:12]}"
_live: dict[int, dict] = {}
_live_lock = threading.Lock()


def uploads_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "imports"


def start_import(
    *,
    union: Union,
    upload,
    original_name: str,
    actor=None,
    update: bool = False,
    valid_only: bool = False,
    dry_run: bool = False,
    background: bool | None = None,
) -> ImportJob:
    """Store the upload and run the import, in a background thread for large
    files (or when background=True); return the job recording its progress."""
    _purge_old_uploads()
    folder = uploads_dir()
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{uuid.uuid4().hex}.xlsx"
    with open(target, "wb") as out:
        if isinstance(upload, str | os.PathLike):
            with open(upload, "rb") as source:
                while chunk := source.read(1 << 20):
                    out.write(chunk)
        else:
            for chunk in upload.chunks():
                out.write(chunk)
    job = ImportJob.objects.create(
        union=union,
        original_name=(original_name or target.name)[:255],
        stored_path=str(target.relative_to(settings.MEDIA_ROOT)),
        options={"update": update, "valid_only": valid_only, "dry_run": dry_run},
        created_by=actor if getattr(actor, "pk", None) else None,
        worker=WORKER_ID,
        heartbeat_at=timezone.now(),
    )
    if background is None:
        background = not getattr(settings, "MEMBER_IMPORT_SYNC", False) and (
            target.stat().st_size > BACKGROUND_FROM_BYTES
        )
    if background:
        with _live_lock:
            _live[job.pk] = {"phase": "queued", "done": 0, "total": 0}
        thread = threading.Thread(
            target=_run_in_thread, args=(job.pk,), name=f"import-{job.pk}", daemon=True
        )
        thread.start()
    else:
        run_job(job.pk)
        job.refresh_from_db()
    return job


def _run_in_thread(job_id: int) -> None:
    try:
        run_job(job_id)
    finally:
        connection.close()


def run_job(job_id: int) -> None:
    """Run one stored job to its end; any unexpected failure is recorded on it."""
    try:
        _run_job(job_id)
    finally:
        with _live_lock:
            _live.pop(job_id, None)


def _run_job(job_id: int) -> None:
    with scopes_disabled():
        job = ImportJob.objects.select_related("union", "created_by").get(pk=job_id)
    with scope(union=[job.union_id]):
        _set(job, state=ImportState.RUNNING, heartbeat_at=timezone.now())

        def progress(phase: str, done: int, total: int) -> None:
            with _live_lock:
                _live[job_id] = {"phase": phase, "done": done, "total": total}
            # Progress reaches the database only while checking: during the
            # write the transaction holds it (SQLite has a single writer), so
            # the state flips to "writing" just before the first batch.
            if phase == "checking":
                _set(job, processed=done, total=total, heartbeat_at=timezone.now())

        def before_write() -> None:
            _set(job, state=ImportState.WRITING, heartbeat_at=timezone.now())

        def written(outcome: ImportOutcome) -> None:
            # In the members' own transaction: a server that dies after the
            # commit leaves a finished job, never one "interrupted, nothing written".
            _finish(job, outcome, remove_upload=False)

        try:
            options = job.options or {}
            outcome = import_members(
                union=job.union,
                path=Path(settings.MEDIA_ROOT) / job.stored_path,
                actor=job.created_by,
                update=bool(options.get("update")),
                valid_only=bool(options.get("valid_only")),
                dry_run=bool(options.get("dry_run")),
                progress=progress,
                before_write=before_write,
                on_commit_of_write=written,
            )
        except Exception:
            log.exception("import job %s failed", job_id)
            _set(
                job,
                state=ImportState.FAILED,
                message="导入时发生内部错误，没有写入任何数据；请稍后重试或联系管理员",
                finished_at=timezone.now(),
            )
            return
        _finish(job, outcome)


def _finish(job: ImportJob, outcome: ImportOutcome, *, remove_upload: bool = True) -> None:
    options = job.options or {}
    if outcome.written:
        parts = [f"成功导入{outcome.created}名会员"]
        if outcome.updated:
            parts.append(f"更新{outcome.updated}名会员")
        if outcome.skipped and outcome.errors:
            parts.append(f"跳过{len({e.row for e in outcome.errors})}行有误的数据")
        message = "，".join(parts)
        state = ImportState.DONE
    elif outcome.rejected:
        message, state = outcome.errors[0].message, ImportState.FAILED
    elif outcome.errors:
        rows = len({e.row for e in outcome.errors})
        message = (
            f"有{rows}行数据有误（共{len(outcome.errors)}处），没有导入任何数据；请修改后重新上传"
        )
        state = ImportState.FAILED
    elif options.get("dry_run"):
        message = f"校验通过：共{outcome.total}行数据全部有效（仅校验，未写入）"
        state = ImportState.DONE
    else:
        message, state = "文件中没有需要导入的数据", ImportState.DONE
    _set(
        job,
        state=state,
        message=message[:500],
        total=outcome.total,
        processed=outcome.total,
        created_count=outcome.created,
        updated_count=outcome.updated,
        skipped_count=outcome.skipped,
        errors=[asdict(e) for e in outcome.errors],
        finished_at=timezone.now(),
    )
    if remove_upload and not outcome.errors:
        # Nothing left to report on: do not keep plain ID numbers on disk.
        _remove_upload(job)


def _set(job: ImportJob, **values) -> None:
    for key, value in values.items():
        setattr(job, key, value)
    with scopes_disabled():
        ImportJob.objects.filter(pk=job.pk).update(**values)


def _remove_upload(job: ImportJob) -> None:
    if job.stored_path:
        (Path(settings.MEDIA_ROOT) / job.stored_path).unlink(missing_ok=True)
        _set(job, stored_path="")


def _purge_old_uploads() -> None:
    folder = uploads_dir()
    if not folder.is_dir():
        return
    cutoff = (timezone.now() - UPLOAD_RETENTION).timestamp()
    for path in folder.glob("*.xlsx"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
        except OSError:
            pass


def refresh_state(job: ImportJob) -> ImportJob:
    """Mark a job whose worker is gone (the server restarted) as interrupted.

    The write is one transaction, so such a job has written nothing."""
    if job.state not in ACTIVE_STATES:
        return job
    with _live_lock:
        running_here = job.pk in _live
    if running_here:
        return job
    ours = job.worker == WORKER_ID
    stale = job.heartbeat_at is None or timezone.now() - job.heartbeat_at > STALE_AFTER
    if ours or stale:
        message = "导入被中断（服务器可能已重启），没有写入任何数据，请重新上传"
        with scopes_disabled():
            changed = ImportJob.objects.filter(pk=job.pk, state=job.state).update(
                state=ImportState.INTERRUPTED, message=message, finished_at=timezone.now()
            )
        if changed:
            job.state, job.message = ImportState.INTERRUPTED, message
    return job


def job_progress(job: ImportJob) -> dict:
    """What the progress bar shows; live figures when this process runs the job."""
    job = refresh_state(job)
    with _live_lock:
        live = dict(_live.get(job.pk) or {})
    phase = live.get("phase") or job.state
    done, total = live.get("done", job.processed), live.get("total", job.total)
    if job.state not in ACTIVE_STATES:
        done = total = job.total
    percent = 100 if not total else min(100, round(100 * done / total))
    if job.state in ACTIVE_STATES and percent == 100:
        percent = 99
    labels = {"queued": "排队中", "checking": "正在校验", "writing": "正在写入"}
    return {
        "state": job.state,
        "state_label": job.get_state_display(),
        "phase": labels.get(phase, job.get_state_display()),
        "done": done,
        "total": total,
        "percent": percent if job.state in ACTIVE_STATES else 100,
        "finished": job.state not in ACTIVE_STATES,
        "created": job.created_count,
        "updated": job.updated_count,
        "errors": len(job.errors or []),
        "message": job.message,
    }


def error_workbook(job: ImportJob) -> bytes:
    """The uploaded file with every bad cell filled red and commented."""
    if not job.stored_path:
        raise excel.WorkbookRejected("原始文件已删除（超过保留期限或已导入成功），无法生成错误报告")
    path = Path(settings.MEDIA_ROOT) / job.stored_path
    if not path.exists():
        raise excel.WorkbookRejected("原始文件已过期删除，无法生成错误报告，请重新上传")
    return excel.mark_errors(path, job.errors or [])
