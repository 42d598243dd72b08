"""Every write of newsletters (工会简报): generate a month's draft from the
records, edit the lead and the items, reorder and remove items, publish.

A published newsletter is read-only: every edit first flips nothing but proves,
with a conditional update, that the issue is still a draft (and stamps who
edited it and when), so two tabs cannot edit past a publication.
"""

from datetime import date
from decimal import Decimal

import nh3
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from gonghui.reports.models import (
    Newsletter,
    NewsletterFigure,
    NewsletterItem,
    NewsletterPhoto,
    NewsletterState,
)
from gonghui.reports.newsletter_writer import photo_records, write
from gonghui.reports.render import _html_paragraph as paragraph_html
from gonghui.reports.services import sanitise


def month_of(value) -> date:
    """The first day of the month named by a date or a "YYYY-MM" text."""
    if isinstance(value, date):
        return value.replace(day=1)
    text = str(value or "").strip()
    if not text:
        raise ValidationError({"month": "请选择月份"})
    try:
        year, month = (int(part) for part in text[:7].split("-"))
        return date(year, month, 1)
    except ValueError:
        raise ValidationError(
            {"month": f"月份“{text}”的格式不对，应为 2026-10 这样的年月"}
        ) from None


def _check_month(month: date, today: date) -> None:
    if month > today.replace(day=1):
        raise ValidationError(
            {"month": f"{month.year}年{month.month}月还没有到，不能为尚未到来的月份编简报"}
        )
    if month.year < 2000:
        raise ValidationError({"month": "月份应在2000年以后"})


def _fill(newsletter: Newsletter, *, union, actor) -> None:
    """Write the items, their photos and the figures of the newsletter's month."""
    d = write(union=union, month=newsletter.month)
    newsletter.lead = sanitise(f"<p>{paragraph_html(d.lead)}</p>")
    for order, item in enumerate(d.items, start=1):
        body = "".join(f"<p>{paragraph_html(p)}</p>" for p in item.paragraphs)
        saved = NewsletterItem.objects.create(
            union=union,
            newsletter=newsletter,
            order=order,
            area=item.area,
            headline=item.headline[:120],
            body=sanitise(body),
        )
        NewsletterPhoto.objects.bulk_create(
            NewsletterPhoto(
                union=union, item=saved, attachment=attachment, caption=caption[:120], order=i
            )
            for i, (attachment, caption) in enumerate(photo_records(item), start=1)
        )
    NewsletterFigure.objects.bulk_create(
        NewsletterFigure(
            union=union,
            newsletter=newsletter,
            ref=f.ref,
            metric_key=f.key,
            label=f.label,
            unit=f.unit,
            start=f.period.start,
            end=f.period.end,
            value=Decimal(f.value).quantize(Decimal("0.01")),
            records=f.records(),
        )
        for f in d.figures
    )


@transaction.atomic
def generate(*, union, month, actor, today: date | None = None) -> Newsletter:
    """Draft the month's newsletter from the records, numbered after the union's last issue."""
    today = today or timezone.localdate()
    month = month_of(month)
    _check_month(month, today)
    existing = Newsletter.objects.filter(union=union, month=month).first()
    if existing is not None:
        raise ValidationError(
            {
                "month": f"{union.name}{month.year}年{month.month}月的简报已经生成"
                f"（第{existing.number}期），请在原简报上修改"
            }
        )
    last = Newsletter.objects.filter(union=union).aggregate(n=Max("number"))["n"] or 0
    try:
        with transaction.atomic():
            newsletter = Newsletter.objects.create(
                union=union,
                month=month,
                number=last + 1,
                title=f"{month.year}年{month.month}月工会工作动态",
                created_by=actor,
            )
    except IntegrityError:
        raise ValidationError(
            {
                "month": f"{union.name}{month.year}年{month.month}月的简报刚刚已由他人生成，请刷新后查看"
            }
        ) from None
    _fill(newsletter, union=union, actor=actor)
    newsletter.save(update_fields=["lead"])
    return newsletter


def _has_text(html: str) -> bool:
    text = nh3.clean(html or "", tags=set()).replace("&nbsp;", " ")
    return bool(text.strip())


def _still_draft(newsletter: Newsletter, actor, field: str = "state") -> None:
    """Stamp the edit, or refuse it when the issue has been published meanwhile."""
    changed = Newsletter.objects.filter(pk=newsletter.pk, state=NewsletterState.DRAFT).update(
        edited_by=actor, edited_at=timezone.now()
    )
    if not changed:
        raise ValidationError({field: f"第{newsletter.number}期简报已发布，不能再修改"})


@transaction.atomic
def regenerate(*, newsletter: Newsletter, actor) -> Newsletter:
    """Write the draft again from the records as they are now; edits to it are replaced."""
    _still_draft(newsletter, actor)
    newsletter.items.all().delete()
    newsletter.figures.all().delete()
    _fill(newsletter, union=newsletter.union, actor=actor)
    newsletter.save(update_fields=["lead"])
    return newsletter


@transaction.atomic
def update(*, newsletter: Newsletter, title: str, lead: str, number, actor) -> Newsletter:
    """Change the issue's title, number and lead (sanitised rich text)."""
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": "请填写简报标题"})
    if len(title) > 120:
        raise ValidationError({"title": "简报标题不能超过120个字"})
    try:
        number = int(number)
    except (TypeError, ValueError):
        raise ValidationError({"number": "期号应为正整数"}) from None
    if number < 1:
        raise ValidationError({"number": "期号应为正整数"})
    clash = (
        Newsletter.objects.filter(union_id=newsletter.union_id, number=number)
        .exclude(pk=newsletter.pk)
        .first()
    )
    if clash is not None:
        raise ValidationError(
            {"number": f"第{number}期已被{clash.month_label}的简报使用，请换一个期号"}
        )
    _still_draft(newsletter, actor, "title")
    newsletter.title = title
    newsletter.number = number
    newsletter.lead = sanitise(lead)
    newsletter.save(update_fields=["title", "number", "lead"])
    return newsletter


@transaction.atomic
def update_item(*, item: NewsletterItem, headline: str, body: str, actor) -> NewsletterItem:
    """Change an item's headline and text (sanitised rich text)."""
    headline = (headline or "").strip()
    if not headline:
        raise ValidationError({"headline": "请填写条目标题"})
    if len(headline) > 120:
        raise ValidationError({"headline": "条目标题不能超过120个字"})
    clean = sanitise(body)
    if not _has_text(clean):
        raise ValidationError({"body": f"条目“{headline}”的正文不能为空；不要的条目请删除"})
    _still_draft(item.newsletter, actor, "body")
    item.headline = headline
    item.body = clean
    item.edited_by = actor
    item.edited_at = timezone.now()
    item.save(update_fields=["headline", "body", "edited_by", "edited_at"])
    return item


@transaction.atomic
def move_item(*, item: NewsletterItem, direction: str, actor) -> None:
    """Move an item one place up or down; the items are renumbered 1, 2, 3…"""
    if direction not in ("up", "down"):
        raise ValidationError({"direction": "移动方向应为上移或下移"})
    _still_draft(item.newsletter, actor)
    items = list(item.newsletter.items.all())
    i = next(n for n, other in enumerate(items) if other.pk == item.pk)
    j = i - 1 if direction == "up" else i + 1
    if 0 <= j < len(items):
        items[i], items[j] = items[j], items[i]
    for order, other in enumerate(items, start=1):
        if other.order != order:
            NewsletterItem.objects.filter(pk=other.pk).update(order=order)


@transaction.atomic
def remove_item(*, item: NewsletterItem, actor) -> None:
    _still_draft(item.newsletter, actor)
    newsletter = item.newsletter
    item.delete()
    for order, other in enumerate(newsletter.items.all(), start=1):
        if other.order != order:
            NewsletterItem.objects.filter(pk=other.pk).update(order=order)


@transaction.atomic
def remove_photo(*, photo: NewsletterPhoto, actor) -> None:
    _still_draft(photo.item.newsletter, actor)
    photo.delete()


@transaction.atomic
def publish(*, newsletter: Newsletter, actor) -> Newsletter:
    """Publish the issue to the members' portal; from then on it is read-only."""
    if newsletter.state == NewsletterState.DRAFT and not newsletter.items.exists():
        raise ValidationError(
            {
                "state": f"第{newsletter.number}期简报没有任何条目，不能发布；请先录入本月的工作记录再重新生成"
            }
        )
    changed = Newsletter.objects.filter(pk=newsletter.pk, state=NewsletterState.DRAFT).update(
        state=NewsletterState.PUBLISHED, published_by=actor, published_at=timezone.now()
    )
    if not changed:
        raise ValidationError({"state": f"第{newsletter.number}期简报已经发布过了"})
    newsletter.refresh_from_db()
    return newsletter
