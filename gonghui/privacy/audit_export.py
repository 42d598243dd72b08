"""The access log as an .xlsx workbook for auditors."""

import io

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from gonghui.privacy.own_data import cell_text

COLUMNS = [
    "时间",
    "工会",
    "查看人账号",
    "查看人姓名",
    "被查看人",
    "字段",
    "类型",
    "记录编号",
    "理由",
]
WIDTHS = [18, 24, 18, 12, 14, 28, 18, 10, 40]


def access_log_xlsx(rows, *, filters: str) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "敏感信息查看记录"
    sheet.append([f"导出时间：{timezone.localtime():%Y-%m-%d %H:%M}　筛选条件：{filters}"])
    sheet.append(COLUMNS)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    for row in rows.iterator(chunk_size=2000):
        sheet.append(
            [
                timezone.localtime(row.at).strftime("%Y-%m-%d %H:%M:%S"),
                cell_text(row.union.name),
                cell_text(row.user.username),
                cell_text(row.user.display_name),
                cell_text(row.subject),
                cell_text(row.field),
                cell_text(row.object_type),
                cell_text(row.object_id),
                cell_text(row.reason),
            ]
        )
    for i, width in enumerate(WIDTHS):
        sheet.column_dimensions[chr(ord("A") + i)].width = width
    sheet.freeze_panes = "A3"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
