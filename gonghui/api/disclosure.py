"""厂务公开 endpoints. Every write goes through disclosure.services.

Staff (disclosure.view / disclosure.change) manage posts, see who read them,
answer questions and publish budgets from the finance ledger. A member's own
token reads what the member may read (`/disclosure/my/...`): opening a post
records the first read, and questions are asked there.
"""

import ninja
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404
from django.utils import timezone
from ninja import Path, Query, Router

from gonghui.api import errors, schemas
from gonghui.api import schemas_disclosure as shapes
from gonghui.api.access import require, union_for_write, viewable_unions
from gonghui.api.guards import guard, own_guard
from gonghui.api.queries_finance import page
from gonghui.disclosure import queries, services
from gonghui.disclosure.models import Feedback, Post, Read
from gonghui.finance.models import FiscalYear
from gonghui.orgs.roles import Perm

router = Router(tags=["厂务公开"])

PostId = Path(..., ge=1, le=schemas.MAX_ID, description="公开事项编号")
FeedbackId = Path(..., ge=1, le=schemas.MAX_ID, description="提问编号")
ERRORS = {400: schemas.ErrorOut, 403: schemas.ErrorOut, 404: schemas.ErrorOut}
NO_VIEW = "您没有查看厂务公开的权限"

for _field, _label in {
    "body": "正文",
    "publish_on": "发布日期",
    "withdraw_on": "撤下日期",
    "withdraw_reason": "撤下原因",
    "fiscal_year": "年度",
    "what": "公开内容",
    "reply": "答复内容",
    "public": "公开答复",
    "content": "内容",
    "post": "公开事项",
}.items():
    errors.FIELD_LABELS.setdefault(_field, _label)


def _viewable(request) -> list[int]:
    return viewable_unions(request, Perm.VIEW_DISCLOSURE, NO_VIEW)


def _find(request, rows, pk: int, perm: str = Perm.VIEW_DISCLOSURE):
    obj = rows.filter(pk=pk).first()
    if obj is None:
        raise Http404
    require(request, Perm.VIEW_DISCLOSURE, obj.union_id)
    require(request, perm, obj.union_id)
    return obj


def _paged(rows_and_cursor, shape) -> dict:
    rows, next_cursor = rows_and_cursor
    return {"items": [shape(r) for r in rows], "next_cursor": next_cursor}


def post_out(post: Post) -> dict:
    return {
        "id": post.pk,
        "union": post.union_id,
        "category": post.category,
        "category_label": post.get_category_display(),
        "title": post.title,
        "audience": post.audience,
        "audience_label": post.get_audience_display(),
        "publish_on": post.publish_on,
        "withdraw_on": post.withdraw_on,
        "withdraw_reason": post.withdraw_reason,
        "source": (
            {"type": post.source_type.model_class()._meta.label, "id": post.source_id}
            # A half-set link (a type without a record) is no source, not a server error.
            if post.source_type_id and post.source_id is not None
            else None
        ),
    }


def post_detail(post: Post) -> dict:
    return {**post_out(post), "body": post.body, "stats": queries.post_stats(post)}


def feedback_out(f: Feedback) -> dict:
    return {
        "id": f.pk,
        "union": f.union_id,
        "post": f.post_id,
        "post_title": f.post.title,
        "member": f.member_id,
        "member_name": f.member.name,
        "kind": f.kind,
        "kind_label": f.get_kind_display(),
        "content": f.content,
        "asked_at": f.asked_at,
        "reply": f.reply,
        "reply_public": f.reply_public,
        "replied_at": f.replied_at,
    }


# Posts ----------------------------------------------------------------------------------


@router.get("/disclosure/posts", response={200: shapes.PostPage, **ERRORS}, summary="公开事项列表")
def list_posts(request, filters: Query[shapes.PostFilters]):
    """Posts in id order, `limit` per page; pass `next_cursor` back as `cursor`."""
    rows = Post.objects.filter(union_id__in=_viewable(request)).select_related("source_type")
    f = filters
    if f.union is not None:
        rows = rows.filter(union_id=f.union)
    if f.category:
        rows = rows.filter(category=f.category)
    if f.audience:
        rows = rows.filter(audience=f.audience)
    if f.published_from is not None:
        rows = rows.filter(publish_on__gte=f.published_from)
    if f.published_until is not None:
        rows = rows.filter(publish_on__lte=f.published_until)
    return _paged(page(rows, cursor=f.cursor, limit=f.limit), post_out)


@router.post(
    "/disclosure/posts",
    response={201: shapes.PostDetail, **ERRORS},
    summary="发布公开事项（正文为 HTML，保存前清除不安全内容；不填发布日期即今天发布）",
)
def create_post(request, payload: shapes.PostIn):
    union = union_for_write(request, payload.union, Perm.CHANGE_DISCLOSURE)
    post = services.create_post(
        union=union,
        category=payload.category,
        title=payload.title,
        body=payload.body,
        audience=payload.audience,
        publish_on=payload.publish_on or timezone.localdate(),
        withdraw_on=payload.withdraw_on,
        actor=request.auth,
    )
    return ninja.Status(201, post_detail(post))


@router.get(
    "/disclosure/posts/{post_id}",
    response={200: shapes.PostDetail, **ERRORS},
    summary="公开事项详情（含阅读和提问统计）",
)
def get_post(request, post_id: int = PostId):
    return post_detail(_find(request, Post.objects.select_related("source_type"), post_id))


@router.put(
    "/disclosure/posts/{post_id}",
    response={200: shapes.PostDetail, **ERRORS},
    summary="修改公开事项",
)
@guard(Perm.CHANGE_DISCLOSURE, post_id=Post)
def update_post(request, payload: shapes.PostUpdateIn, post_id: int = PostId):
    post = _find(request, Post.objects.all(), post_id, Perm.CHANGE_DISCLOSURE)
    services.update_post(post=post, actor=request.auth, **payload.dict())
    return post_detail(post)


@router.post(
    "/disclosure/posts/{post_id}/withdraw",
    response={200: shapes.PostDetail, **ERRORS},
    summary="撤下公开事项",
)
@guard(Perm.CHANGE_DISCLOSURE, post_id=Post)
def withdraw_post(request, payload: shapes.WithdrawIn, post_id: int = PostId):
    post = _find(request, Post.objects.all(), post_id, Perm.CHANGE_DISCLOSURE)
    services.withdraw(post=post, reason=payload.reason, on=payload.on, actor=request.auth)
    return post_detail(post)


@router.get(
    "/disclosure/posts/{post_id}/reads",
    response={200: shapes.ReadPage, **ERRORS},
    summary="阅读名单（谁、何时首次阅读）",
)
def list_reads(request, filters: Query[shapes.Page], post_id: int = PostId):
    post = _find(request, Post.objects.all(), post_id)
    rows = Read.objects.filter(post=post).select_related("member")
    return _paged(
        page(rows, cursor=filters.cursor, limit=filters.limit),
        lambda r: {
            "member": r.member_id,
            "member_name": r.member.name,
            "first_read_at": r.first_read_at,
        },
    )


@router.post(
    "/disclosure/budgets",
    response={201: shapes.PostDetail, **ERRORS},
    summary="公开年度经费预算或收支情况（由财务账生成）",
)
def publish_budget(request, payload: shapes.BudgetPostIn):
    year = FiscalYear.objects.select_related("union").filter(pk=payload.fiscal_year).first()
    if year is None:
        raise ValidationError({"fiscal_year": "未找到该年度"})
    require(request, Perm.CHANGE_DISCLOSURE, year.union_id)
    require(request, Perm.VIEW_FINANCE, year.union_id)
    post = services.publish_budget(fiscal_year=year, what=payload.what, actor=request.auth)
    return ninja.Status(201, post_detail(post))


# Questions and feedback ------------------------------------------------------------------


@router.get(
    "/disclosure/feedback", response={200: shapes.FeedbackPage, **ERRORS}, summary="提问与反馈列表"
)
def list_feedback(request, filters: Query[shapes.FeedbackFilters]):
    rows = Feedback.objects.filter(union_id__in=_viewable(request)).select_related("post", "member")
    f = filters
    if f.union is not None:
        rows = rows.filter(union_id=f.union)
    if f.post is not None:
        rows = rows.filter(post_id=f.post)
    if f.answered is not None:
        rows = rows.filter(replied_at__isnull=not f.answered)
    return _paged(page(rows, cursor=f.cursor, limit=f.limit), feedback_out)


@router.post(
    "/disclosure/feedback/{feedback_id}/reply",
    response={200: shapes.FeedbackOut, **ERRORS},
    summary="答复提问（公开答复或只答复提问人）",
)
@guard(Perm.CHANGE_DISCLOSURE, feedback_id=Feedback)
def reply(request, payload: shapes.ReplyIn, feedback_id: int = FeedbackId):
    rows = Feedback.objects.select_related("post", "member")
    found = _find(request, rows, feedback_id, Perm.CHANGE_DISCLOSURE)
    services.reply(feedback=found, reply=payload.reply, public=payload.public, actor=request.auth)
    return feedback_out(found)


# The member's own side ---------------------------------------------------------------------


def _me(request):
    try:
        return request.auth.member
    except (ObjectDoesNotExist, AttributeError):
        raise Http404 from None


def _my_post(member, pk: int) -> Post:
    post = queries.posts_for_member(member, today=timezone.localdate()).filter(pk=pk).first()
    if post is None:
        raise Http404
    return post


@router.get(
    "/disclosure/my/posts",
    response={200: shapes.MyPostPage, **ERRORS},
    summary="我能看到的公开事项（会员本人）",
)
def my_posts(request, filters: Query[shapes.Page]):
    member = _me(request)
    rows, next_cursor = page(
        queries.posts_for_member(member, today=timezone.localdate()),
        cursor=filters.cursor,
        limit=filters.limit,
    )
    read = set(
        Read.objects.filter(member=member, post__in=[p.pk for p in rows]).values_list(
            "post_id", flat=True
        )
    )
    return {
        "items": [
            {
                "id": p.pk,
                "category": p.category,
                "category_label": p.get_category_display(),
                "title": p.title,
                "audience": p.audience,
                "publish_on": p.publish_on,
                "read": p.pk in read,
            }
            for p in rows
        ],
        "next_cursor": next_cursor,
    }


def _my_detail(member, post: Post, read: Read) -> dict:
    return {
        "id": post.pk,
        "category": post.category,
        "category_label": post.get_category_display(),
        "title": post.title,
        "publish_on": post.publish_on,
        "body": post.body,
        "first_read_at": read.first_read_at,
        "questions": [
            {
                "id": f.pk,
                "mine": f.member_id == member.pk,
                "kind": f.kind,
                "content": f.content,
                "asked_at": f.asked_at,
                "reply": f.reply if f.answered else None,
                "reply_public": f.reply_public if f.answered else None,
                "replied_at": f.replied_at,
            }
            for f in queries.visible_feedback(post, member)
        ],
    }


@router.get(
    "/disclosure/my/posts/{post_id}",
    response={200: shapes.MyPostDetail, **ERRORS},
    summary="阅读公开事项（记录首次阅读；会员本人）",
)
def my_post(request, post_id: int = PostId):
    member = _me(request)
    post = _my_post(member, post_id)
    read = services.record_read(post=post, member=member)
    return _my_detail(member, post, read)


@router.post(
    "/disclosure/my/posts/{post_id}/questions",
    response={201: shapes.MyQuestionOut, **ERRORS},
    summary="对公开事项提问或反馈意见（会员本人）",
)
@own_guard(lambda request, post_id, **_: _my_post(_me(request), int(post_id)))
def ask(request, payload: shapes.AskIn, post_id: int = PostId):
    member = _me(request)
    post = _my_post(member, post_id)
    f = services.ask(post=post, member=member, content=payload.content, kind=payload.kind)
    return ninja.Status(
        201,
        {
            "id": f.pk,
            "mine": True,
            "kind": f.kind,
            "content": f.content,
            "asked_at": f.asked_at,
            "reply": None,
            "reply_public": None,
            "replied_at": None,
        },
    )
