"""The statistical export: one row per unit, one column per registered metric,
with a header row of Chinese labels and units and the subtree's total row.

Counts and amounts only, never a person. Written with openpyxl's write-only
workbook (rows streamed to a temporary file), so 2,000 units stay cheap in
memory; the figures come from gonghui.upper.figures in one pass.
"""

import tempfile
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill

from gonghui.orgs.models import Union
from gonghui.periods import Period
from gonghui.reports import registry
from gonghui.upper import figures

FIXED_HEADERS = ("工会编码", "工会名称", "上级工会", "职工总数（人）")
TOTAL_LABEL = "合计"
BOLD = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="EDE9FE")


def columns() -> list[registry.Metric]:
    """Every registered metric, grouped by area in registration order."""
    metrics = registry.all_metrics()
    areas = list(dict.fromkeys(m.area for m in metrics))
    return [m for area in areas for m in metrics if m.area == area]


def header(m: registry.Metric) -> str:
    return f"{m.label}（{m.unit}）"


def _number_format(m: registry.Metric, value) -> str:
    if m.unit == "%" or m.is_ratio:
        return "0.0"
    if m.unit == "元":
        return "#,##0.00"
    if isinstance(value, Decimal) and value != value.to_integral_value():
        return "#,##0.00"
    return "#,##0"


def _cell(sheet, value, *, font=None, fill=None, number_format=None):
    cell = WriteOnlyCell(sheet, value=value)
    if font is not None:
        cell.font = font
    if fill is not None:
        cell.fill = fill
    if number_format is not None:
        cell.number_format = number_format
    return cell


def workbook(upper: Union, period: Period):
    """The export as an open binary file positioned at its start."""
    metrics = columns()
    keys = [m.key for m in metrics]
    units = figures.units(upper)
    ids = [u.pk for u in units]
    values = figures.values_for_units(ids, period, keys)
    totals = figures.totals_for_units(ids, period, keys, values)
    parents = dict(
        Union.objects.filter(pk__in={u.parent_id for u in units}).values_list("pk", "name")
    )

    book = Workbook(write_only=True)
    sheet = book.create_sheet("基层工会统计")
    sheet.freeze_panes = "C3"
    sheet.column_dimensions["A"].width = 14
    sheet.column_dimensions["B"].width = 28
    sheet.column_dimensions["C"].width = 22
    title = f"{upper.name}下属基层工会统计表（{period}）"
    sheet.append([_cell(sheet, title, font=Font(bold=True, size=14))])
    sheet.append(
        [
            _cell(sheet, text, font=BOLD, fill=HEADER_FILL)
            for text in (*FIXED_HEADERS, *(header(m) for m in metrics))
        ]
    )
    for unit in units:
        row = [
            unit.code,
            unit.name,
            parents.get(unit.parent_id, ""),
            unit.headcount,
        ]
        row += [
            _cell(
                sheet,
                values[unit.pk][m.key],
                number_format=_number_format(m, values[unit.pk][m.key]),
            )
            for m in metrics
        ]
        sheet.append(row)
    total_row = [
        _cell(sheet, TOTAL_LABEL, font=BOLD),
        _cell(sheet, f"{len(units)}家基层工会", font=BOLD),
        "",
        _cell(sheet, sum(u.headcount for u in units), font=BOLD),
    ]
    total_row += [
        _cell(sheet, totals[m.key], font=BOLD, number_format=_number_format(m, totals[m.key]))
        for m in metrics
    ]
    sheet.append(total_row)
    sheet.append([])
    sheet.append(
        [
            "说明：比率类指标的合计由各单位分子、分母分别相加后重新计算，不是各单位比率的平均数；"
            "本表只含数量与金额，不含任何个人信息。"
        ]
    )
    handle = tempfile.TemporaryFile(suffix=".xlsx")
    book.save(handle)
    handle.seek(0)
    return handle
