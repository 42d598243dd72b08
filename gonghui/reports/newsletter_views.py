"""Newsletters (工会简报) in the back office: list, generate a month's draft,
edit the lead and the items, reorder and remove items and photos, publish,
export to Word.

As for plans and reports (work_views), a newsletter is found among the unions
where the user may see reports (another union's is 404) and written by the
chair or a committee member of its union. Each view calls one service.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from gonghui.reports import newsletter_services as services
from gonghui.reports import queries
from gonghui.reports.forms import add_service_errors
from gonghui.reports.models import Newsletter, NewsletterItem, NewsletterPhoto
from gonghui.reports.newsletter_docx import to_docx
from gonghui.reports.newsletter_forms import GenerateForm, IssueForm, ItemForm
from gonghui.reports.newsletter_writer import masthead
from gonghui.reports.work_views import (
    _download,
    _editable_unions,
    _render,
    _require_editor,
    _viewable,
    in_admin,
)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _newsletter(request, newsletter_id) -> Newsletter:
    return get_object_or_404(
        Newsletter.objects.filter(union__in=_viewable(request)).select_related("union"),
        pk=newsletter_id,
    )


def _item(request, newsletter_id, item_id) -> NewsletterItem:
    newsletter = _newsletter(request, newsletter_id)
    return get_object_or_404(newsletter.items.select_related("newsletter"), pk=item_id)


def _error(request, e: ValidationError) -> None:
    messages.error(request, "；".join(e.messages))


def _back(newsletter_or_id) -> str:
    pk = getattr(newsletter_or_id, "pk", newsletter_or_id)
    return reverse("reports:newsletter", args=[pk])


@in_admin
def newsletters(request):
    rows = (
        Newsletter.objects.filter(union__in=_viewable(request))
        .select_related("union")
        .prefetch_related("items")
    )
    return _render(
        request,
        "reports/newsletters.html",
        "工会简报",
        newsletters=rows,
        can_write=bool(queries.editable_unions(request.access)),
    )


@in_admin
def new_newsletter(request):
    today = timezone.localdate()
    form = GenerateForm(
        request.POST or None,
        unions=_editable_unions(request),
        initial_month=f"{today.year}-{today.month:02d}",
    )
    if request.method == "POST" and form.is_valid():
        try:
            newsletter = services.generate(actor=request.user, **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            if newsletter.items.exists():
                messages.success(request, "已根据本月台账记录生成简报草稿，请核对修改后发布")
            else:
                messages.warning(request, "本月没有任何工作记录，简报没有条目")
            return redirect(_back(newsletter))
    return _render(
        request,
        "reports/form.html",
        "生成工会简报",
        form=form,
        submit="生成",
        intro="选择工会和月份，系统从该月的台账记录中选取活动、评先评优、慰问、捐款、职代会、"
        "隐患整改等重要记录编成简报，附上记录的照片，每个数字都链接到其背后的记录。",
    )


@in_admin
def newsletter(request, newsletter_id):
    issue = _newsletter(request, newsletter_id)
    can_write = issue.union_id in queries.editable_unions(request.access)
    form = IssueForm(initial={"title": issue.title, "number": issue.number, "lead": issue.lead})
    if request.method == "POST":
        _require_editor(request, issue.union_id)
        form = IssueForm(request.POST)
        if form.is_valid():
            try:
                services.update(newsletter=issue, actor=request.user, **form.cleaned_data)
            except ValidationError as e:
                add_service_errors(form, e)
            else:
                messages.success(request, "已保存简报标题、期号和导语")
                return redirect(_back(issue))
    stale = queries.stale_figures(issue)
    return _render(
        request,
        "reports/newsletter.html",
        f"第{issue.number}期 {issue.title}",
        newsletter=issue,
        masthead=masthead(issue.union),
        items=issue.items.prefetch_related("photos").select_related("edited_by"),
        form=form,
        stale=stale,
        stale_refs=" ".join(s.figure.ref for s in stale),
        can_write=can_write and not issue.is_published,
    )


@in_admin
def newsletter_item(request, newsletter_id, item_id):
    item = _item(request, newsletter_id, item_id)
    issue = item.newsletter
    _require_editor(request, issue.union_id)
    if issue.is_published:
        messages.error(request, f"第{issue.number}期简报已发布，不能再修改")
        return redirect(_back(issue))
    form = ItemForm(request.POST or None, initial={"headline": item.headline, "body": item.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.update_item(item=item, actor=request.user, **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, f"已保存条目“{item.headline}”")
            return redirect(_back(issue))
    return _render(
        request,
        "reports/newsletter_item.html",
        f"修改简报条目：{item.headline}",
        newsletter=issue,
        item=item,
        body=form["body"].value() or "",
        photos=item.photos.all(),
        form=form,
    )


@in_admin
@require_POST
def move_item(request, newsletter_id, item_id):
    item = _item(request, newsletter_id, item_id)
    _require_editor(request, item.union_id)
    try:
        services.move_item(
            item=item, direction=request.POST.get("direction", ""), actor=request.user
        )
    except ValidationError as e:
        _error(request, e)
    return redirect(_back(newsletter_id))


@in_admin
@require_POST
def remove_item(request, newsletter_id, item_id):
    item = _item(request, newsletter_id, item_id)
    _require_editor(request, item.union_id)
    try:
        services.remove_item(item=item, actor=request.user)
    except ValidationError as e:
        _error(request, e)
    else:
        messages.success(request, f"已删除条目“{item.headline}”")
    return redirect(_back(newsletter_id))


@in_admin
@require_POST
def remove_photo(request, newsletter_id, photo_id):
    issue = _newsletter(request, newsletter_id)
    photo = get_object_or_404(
        NewsletterPhoto.objects.filter(item__newsletter=issue).select_related("item__newsletter"),
        pk=photo_id,
    )
    _require_editor(request, issue.union_id)
    try:
        services.remove_photo(photo=photo, actor=request.user)
    except ValidationError as e:
        _error(request, e)
        return redirect(_back(issue))
    messages.success(request, "已从简报中移除该图片（原记录的附件不受影响）")
    return redirect("reports:newsletter_item", newsletter_id=issue.pk, item_id=photo.item_id)


@in_admin
@require_POST
def regenerate(request, newsletter_id):
    issue = _newsletter(request, newsletter_id)
    _require_editor(request, issue.union_id)
    try:
        services.regenerate(newsletter=issue, actor=request.user)
    except ValidationError as e:
        _error(request, e)
    else:
        messages.success(request, "已根据最新的台账记录重新生成本期简报")
    return redirect(_back(issue))


@in_admin
@require_POST
def publish(request, newsletter_id):
    issue = _newsletter(request, newsletter_id)
    _require_editor(request, issue.union_id)
    try:
        services.publish(newsletter=issue, actor=request.user)
    except ValidationError as e:
        _error(request, e)
    else:
        messages.success(request, f"第{issue.number}期简报已发布，会员可在手机上阅读")
    return redirect(_back(issue))


@in_admin
def export_docx(request, newsletter_id):
    issue = _newsletter(request, newsletter_id)
    issued_on = (
        timezone.localdate(issue.published_at) if issue.published_at else timezone.localdate()
    )
    return _download(
        to_docx(issue, issued_on=issued_on, chart=chart_for(issue)),
        f"newsletter-{issue.number}.docx",
        DOCX,
    )


@in_admin
def photo(request, newsletter_id, photo_id):
    issue = _newsletter(request, newsletter_id)
    found = get_object_or_404(
        NewsletterPhoto.objects.filter(item__newsletter=issue).select_related("attachment"),
        pk=photo_id,
    )
    return photo_response(found)


def photo_response(found: NewsletterPhoto) -> FileResponse:
    """The photo's bytes, shown inline (the newsletter's own check already passed)."""
    attachment = found.attachment
    if not attachment.file or attachment.mime_type not in ("image/jpeg", "image/png"):
        raise Http404("图片已不存在")
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404("图片已不存在") from None
    response = FileResponse(handle, content_type=attachment.mime_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, max-age=3600"
    return response


def chart_for(issue):
    """One chart image for the month, when the reports charts module offers one."""
    from gonghui.reports.newsletter_charts import month_chart

    return month_chart(issue)
