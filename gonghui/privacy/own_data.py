"""A member's copy of her own personal information (PIPL art. 45), as JSON and
as an .xlsx workbook: her roster record with her own ID number and phone in
full, and every row about her in every app (see relations.py).

Left out: the union's internal keys (digests, idempotency keys, search
columns), the accounts of the cadres who recorded a row, and other members'
names, which show as 其他会员.
"""

import io
import json
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from gonghui.members.excel import neutralise
from gonghui.members.models import Member
from gonghui.orgs.models import AccessLog, Union
from gonghui.privacy.models import Anonymisation
from gonghui.privacy.relations import relations

OTHER_MEMBER = "其他会员"
_INTERNAL = {"union", "id", "name_initials", "search_text", "user", "idempotency_key", "batch_key"}
_MEMBER_FIELDS_FIRST = ("name", "gender", "birth_date", "id_number", "phone")
REASON = "本人下载个人信息副本"
FIELD = "个人信息副本（含身份证号、手机号码、敏感信息）"


@dataclass
class Section:
    title: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)

    def as_dicts(self) -> list[dict]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


def _shown(f) -> bool:
    if f.name in _INTERNAL or f.name.endswith(("_digest", "_key", "_token")):
        return False
    return not (f.is_relation and f.related_model is get_user_model())


def _fields(model) -> list:
    return [f for f in model._meta.concrete_fields if _shown(f)]


def _value(obj, f, member: Member):
    if f.is_relation:
        target_id = getattr(obj, f.attname)
        if target_id is None:
            return ""
        if f.related_model is Member:
            return member.name if target_id == member.pk else OTHER_MEMBER
        if f.related_model is Union:
            return getattr(obj, f.name).name
        return str(getattr(obj, f.name))
    value = getattr(obj, f.attname)
    if f.choices and value not in (None, ""):
        return str(dict(f.flatchoices).get(value, value))
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def _section(title: str, model, objs, member: Member) -> Section:
    fields = _fields(model)
    section = Section(title, [str(f.verbose_name) for f in fields])
    for obj in objs:
        section.rows.append([_value(obj, f, member) for f in fields])
    return section


def collect(member: Member) -> list[Section]:
    """Every section of the member's copy; empty record types are left out."""
    member_fields = sorted(
        _fields(Member),
        key=lambda f: _MEMBER_FIELDS_FIRST.index(f.name) if f.name in _MEMBER_FIELDS_FIRST else 99,
    )
    first = Section("会员信息", [str(f.verbose_name) for f in member_fields])
    first.rows.append([_value(member, f, member) for f in member_fields])
    sections = [first]
    for relation in relations():
        if relation.model is Anonymisation:
            continue
        objs = list(relation.rows(member))
        if objs:
            sections.append(_section(relation.title, relation.model, objs, member))
    return sections


@transaction.atomic
def copy_for(*, member: Member, user) -> list[Section]:
    """The member's own copy; only she may take it, and it is logged as a reveal."""
    if member.user_id is None or member.user_id != getattr(user, "pk", None):
        raise PermissionDenied("只能下载本人的个人信息")
    AccessLog.objects.create(
        user=user,
        union_id=member.union_id,
        subject=member.name,
        object_type="member",
        object_id=str(member.pk),
        field=FIELD,
        reason=REASON,
    )
    return collect(member)


def as_json(member: Member, sections: list[Section]) -> bytes:
    data = {
        "说明": "本文件是您在工会保存的个人信息副本，包含身份证号等敏感信息，请妥善保管。",
        "生成时间": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
        "工会": member.union.name,
        "内容": {s.title: s.as_dicts() for s in sections},
    }
    return json.dumps(data, ensure_ascii=False, indent=2).encode()


def cell_text(value: str) -> str:
    """Text a spreadsheet shows as typed: never a formula, no control characters
    (which openpyxl refuses to write)."""
    return neutralise(ILLEGAL_CHARACTERS_RE.sub("", value))


_BAD_SHEET_CHARS = str.maketrans({c: "_" for c in "[]:*?/\\"})


def as_xlsx(member: Member, sections: list[Section]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    used: set[str] = set()
    for section in sections:
        title = section.title.translate(_BAD_SHEET_CHARS)[:28]
        while title in used:
            title = title[:26] + str(len(used))
        used.add(title)
        sheet = book.create_sheet(title)
        sheet.append(section.columns)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="DDEBF7")
        for row in section.rows:
            sheet.append([cell_text(v) if isinstance(v, str) else v for v in row])
        for i, name in enumerate(section.columns, start=1):
            width = max([len(str(name))] + [len(str(r[i - 1])) for r in section.rows[:50]])
            sheet.column_dimensions[get_column_letter(i)].width = min(60, max(10, width * 2))
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
