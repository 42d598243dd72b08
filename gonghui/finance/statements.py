"""Monthly and yearly income-and-expenditure statements as .xlsx."""

import calendar
import io
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from gonghui.finance import queries
from gonghui.members.excel import neutralise
from gonghui.orgs.models import Union
from gonghui.periods import Period

MONEY_FORMAT = "#,##0.00"
HEADER_FILL = PatternFill(fill_type="solid", start_color="FFDDEBF7", end_color="FFDDEBF7")
BOLD = Font(bold=True)


def period_of(year: int, month: int | None) -> Period:
    if month is None:
        return Period.year(year)
    return Period(date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]))


def period_label(year: int, month: int | None) -> str:
    return f"{year}年{month}月" if month else f"{year}年度"


def _cell(value):
    return neutralise(value) if isinstance(value, str) else value


def _append(ws, values, *, bold=False, money_columns=()):
    ws.append([_cell(v) for v in values])
    row = ws.max_row
    for column in money_columns:
        ws.cell(row=row, column=column).number_format = MONEY_FORMAT
    if bold:
        for cell in ws[row]:
            cell.font = BOLD


def _header(ws, values, widths):
    _append(ws, values, bold=True)
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
        ws.cell(row=ws.max_row, column=index).fill = HEADER_FILL


def workbook(*, union: Union, year: int, month: int | None) -> bytes:
    """The statement for a month (or the whole year when month is None):
    a summary by category and the list of every income and payment."""
    period = period_of(year, month)
    figures = queries.statement(unions=[union.pk], period=period)
    wb = Workbook()
    summary = wb.active
    summary.title = "收支汇总"
    summary.append([_cell(f"{union.name} {period_label(year, month)}经费收支表")])
    summary["A1"].font = Font(bold=True, size=14)
    summary.append([_cell(f"期间：{period}")])
    summary.append([])
    _header(summary, ["收入科目", "金额（元）", "支出科目", "金额（元）"], [22, 16, 22, 16])
    for (income_category, income), (spending_category, spent) in zip(
        figures["income"], figures["expenditure"], strict=True
    ):
        _append(
            summary,
            [income_category.label, income, spending_category.label, spent],
            money_columns=(2, 4),
        )
    _append(
        summary,
        ["收入合计", figures["income_total"], "支出合计", figures["expenditure_total"]],
        bold=True,
        money_columns=(2, 4),
    )
    _append(
        summary,
        ["收支结余", figures["income_total"] - figures["expenditure_total"]],
        bold=True,
        money_columns=(2,),
    )

    entries = (
        ("收入明细", "付款方", queries.income_in([union.pk], period), "payer"),
        ("支出明细", "收款方", queries.payments_in([union.pk], period), "payee"),
    )
    for title, party_label, records, party_field in entries:
        ws = wb.create_sheet(title)
        _header(
            ws,
            ["日期", "凭证号", "科目类别", "预算项目", party_label, "金额（元）", "摘要"],
            [12, 14, 18, 22, 24, 14, 36],
        )
        rows = records.select_related("line").order_by("on", "pk")
        for entry in rows:
            _append(
                ws,
                [
                    entry.on,
                    entry.voucher,
                    entry.get_category_display(),
                    entry.line.name,
                    getattr(entry, party_field),
                    entry.amount,
                    entry.note,
                ],
                money_columns=(6,),
            )
            ws.cell(row=ws.max_row, column=1).number_format = "yyyy-mm-dd"
        ws.freeze_panes = "A2"
        for row in ws.iter_rows(min_row=2):
            row[6].alignment = Alignment(wrap_text=True)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
