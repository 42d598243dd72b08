"""Shapes of the drafted-report endpoints: the same JSON as `gonghui report --format json`."""

from datetime import date
from typing import Literal

from ninja import Field, Schema

from gonghui.api.schemas import ObjectId
from gonghui.api.strict import TextFields
from gonghui.reports.models import ReportKind

KindValue = Literal[tuple(ReportKind.values)]  # type: ignore[valid-type]


class DraftQuery(TextFields):
    union: ObjectId = Field(..., description="工会编号")
    start: date = Field(..., alias="from", description="开始日期")
    end: date = Field(..., alias="to", description="结束日期")
    type: KindValue = Field("annual", description="报告类型")


class ExportQuery(DraftQuery):
    format: Literal["docx", "md"] = Field("docx", description="导出格式")


class SectionOut(Schema):
    title: str
    paragraphs: list[str]


class FigureOut(Schema):
    key: str
    label: str
    value: float | int
    unit: str
    records: int


class DraftOut(Schema):
    union: str
    from_: date = Field(..., alias="from")
    to: date
    sections: list[SectionOut]
    figures: list[FigureOut]
