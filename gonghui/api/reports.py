"""Plans, goals and drafted reports endpoints: draft a work summary for a
union and period, as JSON (the CLI's shape) or as a Word / Markdown file."""

from django.http import HttpResponse
from ninja import Query, Router

from gonghui.api import schemas
from gonghui.api import schemas_reports as shapes
from gonghui.api.access import require, union_or_404
from gonghui.orgs.roles import Perm
from gonghui.periods import Period
from gonghui.reports.drafting import draft
from gonghui.reports.officedoc import to_docx
from gonghui.reports.render import to_data, to_html, to_markdown

router = Router(tags=["工作计划与总结报告"])

ERRORS = {
    400: schemas.ErrorOut,
    403: schemas.ErrorOut,
    404: schemas.ErrorOut,
    422: schemas.ErrorOut,
}


def _draft(request, query: shapes.DraftQuery):
    from django.core.exceptions import ValidationError

    union = union_or_404(request, query.union)
    require(request, Perm.VIEW_DASHBOARD, union.id)
    if query.start > query.end:
        raise ValidationError({"to": "结束日期不能早于开始日期"})
    return draft(union=union, period=Period(query.start, query.end), kind=query.type)


@router.get(
    "/reports/draft",
    response={200: shapes.DraftOut, **ERRORS},
    by_alias=True,
    summary="起草工作总结（JSON）",
)
def draft_json(request, query: Query[shapes.DraftQuery]):
    return to_data(_draft(request, query))


@router.get(
    "/reports/draft/export", response={200: None, **ERRORS}, summary="起草工作总结并导出文件"
)
def draft_export(request, query: Query[shapes.ExportQuery]):
    d = _draft(request, query)
    html = to_html(d)
    if query.format == "md":
        response = HttpResponse(to_markdown(html), content_type="text/markdown; charset=utf-8")
        name = "report.md"
    else:
        response = HttpResponse(
            to_docx(html),
            content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
        name = "report.docx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
