"""Every write to open affairs: publishing (also the entry point other areas
use to publish congress, election and budget results), editing and
withdrawing posts, recording reads, members' questions and the union's
replies. Bodies are sanitised HTML (nh3) whatever their source."""

from datetime import date
from decimal import Decimal

import nh3
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from gonghui.disclosure import queries
from gonghui.disclosure.models import Audience, Category, Feedback, FeedbackKind, Post, Read
from gonghui.members.models import Member, Status
from gonghui.orgs.models import Union

# What a post body may keep: headings, paragraphs, lists, simple tables,
# emphasis and links. Scripts, styles, event handlers and images are removed.
ALLOWED_TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "s", "h3", "h4", "h5", "ul", "ol", "li",
    "blockquote", "table", "thead", "tbody", "tr", "th", "td", "a", "span", "div", "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
}

TITLE_MAX = 120
BODY_MAX = 50_000
QUESTION_MAX = 1000
REPLY_MAX = 2000


def sanitise(body: str) -> str:
    """The body with only safe markup left; links open as plain links."""
    return nh3.clean(
        body or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    ).strip()


def _checked_post_fields(*, category, title, body, audience, errors: dict) -> tuple[str, str]:
    if category not in Category.values:
        errors["category"] = f"公开类别“{category or ''}”不在可选范围内"
    if audience not in Audience.values:
        errors["audience"] = f"公开范围“{audience or ''}”不在可选范围内"
    title = (title or "").strip()
    if not title:
        errors["title"] = "标题不能为空"
    elif len(title) > TITLE_MAX:
        errors["title"] = f"标题不能超过{TITLE_MAX}个字"
    if len(body or "") > BODY_MAX:
        errors["body"] = f"正文不能超过{BODY_MAX}个字符"
        return title, ""
    clean = sanitise(body)
    if not nh3.clean(clean, tags=set()).strip():
        errors["body"] = "正文不能为空"
    return title, clean


def _source_link(source) -> dict:
    if source is None:
        return {"source_type": None, "source_id": None}
    if source.pk is None:
        raise ValidationError({"source": "来源记录尚未保存，不能公开"})
    return {
        "source_type": ContentType.objects.get_for_model(source),
        "source_id": source.pk,
    }


@transaction.atomic
def create_post(
    *,
    union: Union,
    category: str,
    title: str,
    body: str,
    audience: str = Audience.ALL,
    publish_on: date,
    withdraw_on: date | None = None,
    source=None,
    actor,
) -> Post:
    """A post visible from `publish_on` (which may be in the future) until
    `withdraw_on`, if given."""
    errors: dict = {}
    title, body = _checked_post_fields(
        category=category, title=title, body=body, audience=audience, errors=errors
    )
    if not isinstance(publish_on, date):
        errors["publish_on"] = "发布日期不能为空"
    elif withdraw_on is not None and withdraw_on < publish_on:
        errors["withdraw_on"] = (
            f"撤下日期{withdraw_on:%Y-%m-%d}不能早于发布日期{publish_on:%Y-%m-%d}"
        )
    if errors:
        raise ValidationError(errors)
    return Post.objects.create(
        union=union,
        category=category,
        title=title,
        body=body,
        audience=audience,
        publish_on=publish_on,
        withdraw_on=withdraw_on,
        created_by=actor,
        **_source_link(source),
    )


@transaction.atomic
def publish(
    *, union: Union, category: str, title: str, body: str, audience="all", source=None, actor
) -> Post:
    """Publish now (publish date = today). The one entry point other areas use
    (congress resolutions, election results, budgets, honours…)."""
    return create_post(
        union=union,
        category=category,
        title=title,
        body=body,
        audience=audience,
        publish_on=timezone.localdate(),
        source=source,
        actor=actor,
    )


@transaction.atomic
def update_post(
    *,
    post: Post,
    category: str,
    title: str,
    body: str,
    audience: str,
    publish_on: date,
    withdraw_on: date | None = None,
    actor,
) -> Post:
    errors: dict = {}
    title, body = _checked_post_fields(
        category=category, title=title, body=body, audience=audience, errors=errors
    )
    if not isinstance(publish_on, date):
        errors["publish_on"] = "发布日期不能为空"
    elif withdraw_on is not None and withdraw_on < publish_on:
        errors["withdraw_on"] = (
            f"撤下日期{withdraw_on:%Y-%m-%d}不能早于发布日期{publish_on:%Y-%m-%d}"
        )
    if errors:
        raise ValidationError(errors)
    post.category, post.title, post.body, post.audience = category, title, body, audience
    post.publish_on, post.withdraw_on = publish_on, withdraw_on
    post.save(update_fields=["category", "title", "body", "audience", "publish_on", "withdraw_on"])
    return post


@transaction.atomic
def withdraw(*, post: Post, reason: str, on: date | None = None, actor) -> Post:
    """Take a post down from `on` (default today): members no longer see it."""
    on = on or timezone.localdate()
    reason = (reason or "").strip()
    errors = {}
    if not reason:
        errors["withdraw_reason"] = "请填写撤下原因"
    elif len(reason) > 200:
        errors["withdraw_reason"] = "撤下原因不能超过200个字"
    if on < post.publish_on:
        errors["withdraw_on"] = f"撤下日期{on:%Y-%m-%d}不能早于发布日期{post.publish_on:%Y-%m-%d}"
    if errors:
        raise ValidationError(errors)
    post.withdraw_on, post.withdraw_reason = on, reason
    post.save(update_fields=["withdraw_on", "withdraw_reason"])
    return post


def _check_can_read(post: Post, member: Member) -> None:
    if not queries.member_can_see(post, member, today=timezone.localdate()):
        raise ValidationError({"post": "该公开事项不存在或您无权查看"})


@transaction.atomic
def record_read(*, post: Post, member: Member) -> Read:
    """Record the member's first read; later reads return it unchanged."""
    _check_can_read(post, member)
    existing = Read.objects.filter(post=post, member=member).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return Read.objects.create(
                union_id=post.union_id, post=post, member=member, first_read_at=timezone.now()
            )
    except IntegrityError:
        return Read.objects.get(post=post, member=member)


@transaction.atomic
def ask(*, post: Post, member: Member, content: str, kind: str = FeedbackKind.QUESTION) -> Feedback:
    """A member's question or feedback on a post they can see."""
    _check_can_read(post, member)
    errors = {}
    content = (content or "").strip()
    if not content:
        errors["content"] = "请填写问题或意见内容"
    elif len(content) > QUESTION_MAX:
        errors["content"] = f"内容不能超过{QUESTION_MAX}个字"
    if kind not in FeedbackKind.values:
        errors["kind"] = f"类型“{kind or ''}”不在可选范围内"
    if errors:
        raise ValidationError(errors)
    return Feedback.objects.create(
        union_id=post.union_id,
        post=post,
        member=member,
        kind=kind,
        content=content,
        asked_at=timezone.now(),
    )


@transaction.atomic
def reply(*, feedback: Feedback, reply: str, public: bool, actor) -> Feedback:
    """The union's reply: public (every reader of the post sees the question
    and reply, without the asker's name) or private (the asker only). A reply
    may be corrected; the time is that of the latest reply."""
    reply = (reply or "").strip()
    if not reply:
        raise ValidationError({"reply": "答复内容不能为空"})
    if len(reply) > REPLY_MAX:
        raise ValidationError({"reply": f"答复内容不能超过{REPLY_MAX}个字"})
    feedback.reply = reply
    feedback.reply_public = bool(public)
    feedback.replied_at = timezone.now()
    feedback.replied_by = actor
    feedback.save(update_fields=["reply", "reply_public", "replied_at", "replied_by"])
    return feedback


def active_member(member: Member) -> bool:
    return member.status == Status.ACTIVE


BUDGET_WHAT = {
    "budget": (Category.PLAN_BUDGET, "{year}年度工会经费预算"),
    "statement": (Category.FINANCE, "{year}年度工会经费收支情况"),
}


def budget_post(*, fiscal_year, what: str, today: date) -> tuple[str, str, str]:
    """(category, title, body) of a post publishing a fiscal year's budget
    ("budget") or its income and spending up to `today` ("statement"), built
    from finance's figures."""
    from django.template.loader import render_to_string

    from gonghui.finance import queries as finance
    from gonghui.finance.models import Kind
    from gonghui.periods import Period

    if what not in BUDGET_WHAT:
        raise ValidationError({"what": f"公开内容“{what or ''}”不在可选范围内"})
    union, year = fiscal_year.union, fiscal_year.year
    income = finance.budget_execution(unions=[union], year=year, kind=Kind.INCOME)
    expenditure = finance.budget_execution(unions=[union], year=year, kind=Kind.EXPENDITURE)
    if what == "budget" and not income and not expenditure:
        raise ValidationError({"fiscal_year": f"{year}年度还没有编制预算，无法公开"})
    period = Period.year(year)
    as_of = min(period.end, today)
    statement = None
    if what == "statement":
        if period.start > today:
            raise ValidationError({"fiscal_year": f"{year}年度尚未开始，没有收支可公开"})
        statement = finance.statement(unions=[union], period=Period(period.start, as_of))
    body = render_to_string(
        "disclosure/budget_body.html",
        {
            "union": union,
            "year": year,
            "what": what,
            "as_of": as_of,
            "income": income,
            "income_total": sum((r.budget for r in income), Decimal("0.00")),
            "expenditure": expenditure,
            "expenditure_total": sum((r.budget for r in expenditure), Decimal("0.00")),
            "statement": statement,
        },
    )
    category, title = BUDGET_WHAT[what]
    return category, title.format(year=year), sanitise(body)


@transaction.atomic
def publish_budget(*, fiscal_year, what: str = "budget", actor) -> Post:
    """Publish a fiscal year's budget (工会计划与预算) or its income and
    spending so far (财务收支) through `publish`, linked to the fiscal year."""
    category, title, body = budget_post(
        fiscal_year=fiscal_year, what=what, today=timezone.localdate()
    )
    return publish(
        union=fiscal_year.union,
        category=category,
        title=title,
        body=body,
        source=fiscal_year,
        actor=actor,
    )
