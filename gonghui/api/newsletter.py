"""Newsletter (工会简报) endpoints: list and read published issues, generate a
month's draft, publish it, and download it as Word or its photos.

Issues are found among the unions where the caller may see reports; a draft is
visible only to the chair and committee members of its union, who alone may
generate and publish. Anything else answers 404 without naming it.
"""

from datetime import date, datetime

import nh3
import ninja
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from gonghui.api import cursor, schemas
from gonghui.api.access import union_for_write, viewable_unions
from gonghui.api.schemas import ObjectId
from gonghui.api.schemas_finance import Limit
from gonghui.api.strict import TextFields
from gonghui.orgs.roles import Perm
from gonghui.reports import newsletter_services as services
from gonghui.reports import queries
from gonghui.reports.models import Newsletter, NewsletterPhoto, NewsletterState
from gonghui.reports.newsletter_docx import to_docx
from gonghui.reports.newsletter_views import DOCX, chart_for, photo_response
from gonghui.reports.newsletter_writer import masthead

router = Router(tags=["工会简报"])

ERRORS = {
    400: schemas.ErrorOut,
    403: schemas.ErrorOut,
    404: schemas.ErrorOut,
    422: schemas.ErrorOut,
}
NewsletterId = ninja.Path(..., ge=1, le=schemas.MAX_ID, description="简报编号")
PhotoId = ninja.Path(..., ge=1, le=schemas.MAX_ID, description="图片编号")
REFUSAL = "您没有查看工会简报的权限"


class NewsletterFilters(TextFields):
    union: ObjectId | None = Field(None, description="工会编号（不填为有权查看的全部工会）")
    cursor: schemas.text(40) | None = None
    limit: Limit = 50


class GenerateIn(schemas.Strict):
    union: ObjectId = Field(..., description="工会编号")
    month: str = Field(..., max_length=7, description="月份，例如 2026-10", examples=["2026-10"])


class NewsletterSummary(Schema):
    id: int
    union: int
    union_name: str
    number: int
    month: str
    title: str
    state: str
    published_at: datetime | None


class NewsletterPage(Schema):
    items: list[NewsletterSummary]
    next_cursor: str | None


class PhotoOut(Schema):
    id: int
    caption: str
    url: str


class ItemOut(Schema):
    id: int
    order: int
    area: str
    headline: str
    body: str = Field(..., description="正文（HTML，数字链接到其背后的记录）")
    text: str = Field(..., description="正文（纯文本）")
    photos: list[PhotoOut]


class FigureOut(Schema):
    ref: str
    key: str
    label: str
    value: float
    unit: str
    records: int


class NewsletterOut(NewsletterSummary):
    masthead: str
    lead: str
    lead_text: str
    items: list[ItemOut]
    figures: list[FigureOut]


def _plain(html: str) -> str:
    return " ".join(nh3.clean(html or "", tags=set()).replace("&nbsp;", " ").split())


def _summary(n: Newsletter) -> dict:
    return {
        "id": n.pk,
        "union": n.union_id,
        "union_name": n.union.name,
        "number": n.number,
        "month": f"{n.month:%Y-%m}",
        "title": n.title,
        "state": n.state,
        "published_at": n.published_at,
    }


def _detail(n: Newsletter) -> dict:
    items = []
    for item in n.items.prefetch_related("photos"):
        items.append(
            {
                "id": item.pk,
                "order": item.order,
                "area": item.area,
                "headline": item.headline,
                "body": item.body,
                "text": _plain(item.body),
                "photos": [
                    {
                        "id": p.pk,
                        "caption": p.caption,
                        "url": f"/api/v1/newsletters/{n.pk}/photos/{p.pk}",
                    }
                    for p in item.photos.all()
                ],
            }
        )
    return {
        **_summary(n),
        "masthead": masthead(n.union),
        "lead": n.lead,
        "lead_text": _plain(n.lead),
        "items": items,
        "figures": [
            {
                "ref": f.ref,
                "key": f.metric_key,
                "label": f.label,
                "value": float(f.value),
                "unit": f.unit,
                "records": f.records,
            }
            for f in n.figures.all()
        ],
    }


def _visible(request):
    """Published issues of the unions the caller may see; drafts too where they edit."""
    seen = viewable_unions(request, Perm.VIEW_DASHBOARD, REFUSAL)
    editable = queries.editable_unions(request.access)
    return Newsletter.objects.filter(union__in=seen).filter(
        Q(state=NewsletterState.PUBLISHED) | Q(union__in=editable)
    )


def _newsletter(request, newsletter_id: int) -> Newsletter:
    found = _visible(request).select_related("union").filter(pk=newsletter_id).first()
    if found is None:
        raise Http404
    return found


def _require_editor(request, union_id: int) -> None:
    if union_id not in queries.editable_unions(request.access):
        raise ninja.errors.HttpError(403, "只有工会主席和委员可以编发简报")


@router.get(
    "/newsletters",
    response={200: NewsletterPage, **ERRORS},
    summary="已发布的工会简报（编辑者另见草稿）",
)
def list_newsletters(request, filters: Query[NewsletterFilters]):
    """Issues in id order, `limit` per page; pass `next_cursor` back as `cursor`."""
    found = _visible(request).select_related("union").order_by("pk")
    if filters.union is not None:
        found = found.filter(union_id=filters.union)
    if filters.cursor:
        found = found.filter(pk__gt=cursor.decode(filters.cursor))
    page = list(found[: filters.limit + 1])
    more = len(page) > filters.limit
    page = page[: filters.limit]
    return {
        "items": [_summary(n) for n in page],
        "next_cursor": cursor.encode(page[-1].pk) if more else None,
    }


@router.post(
    "/newsletters", response={201: NewsletterOut, **ERRORS}, summary="根据台账记录生成某月简报草稿"
)
def generate_newsletter(request, payload: GenerateIn):
    union = union_for_write(request, payload.union, Perm.VIEW_DASHBOARD)
    _require_editor(request, union.id)
    newsletter = services.generate(union=union, month=payload.month, actor=request.auth)
    return ninja.Status(201, _detail(_newsletter(request, newsletter.pk)))


@router.get(
    "/newsletters/{newsletter_id}", response={200: NewsletterOut, **ERRORS}, summary="简报内容"
)
def get_newsletter(request, newsletter_id: int = NewsletterId):
    return _detail(_newsletter(request, newsletter_id))


@router.post(
    "/newsletters/{newsletter_id}/publish",
    response={200: NewsletterOut, **ERRORS},
    summary="发布简报（发布后不能再修改）",
)
def publish_newsletter(request, newsletter_id: int = NewsletterId):
    newsletter = _newsletter(request, newsletter_id)
    _require_editor(request, newsletter.union_id)
    services.publish(newsletter=newsletter, actor=request.auth)
    return _detail(_newsletter(request, newsletter_id))


@router.get(
    "/newsletters/{newsletter_id}/export",
    response={200: None, **ERRORS},
    summary="导出简报（Word）",
)
def export_newsletter(request, newsletter_id: int = NewsletterId):
    newsletter = _newsletter(request, newsletter_id)
    issued_on: date = (
        timezone.localdate(newsletter.published_at)
        if newsletter.published_at
        else timezone.localdate()
    )
    response = HttpResponse(
        to_docx(newsletter, issued_on=issued_on, chart=chart_for(newsletter)), content_type=DOCX
    )
    response["Content-Disposition"] = f'attachment; filename="newsletter-{newsletter.number}.docx"'
    return response


@router.get(
    "/newsletters/{newsletter_id}/photos/{photo_id}",
    response={200: None, **ERRORS},
    summary="简报中的图片",
)
def newsletter_photo(request, newsletter_id: int = NewsletterId, photo_id: int = PhotoId):
    newsletter = _newsletter(request, newsletter_id)
    found = (
        NewsletterPhoto.objects.filter(item__newsletter=newsletter, pk=photo_id)
        .select_related("attachment")
        .first()
    )
    if found is None:
        raise Http404
    return photo_response(found)
