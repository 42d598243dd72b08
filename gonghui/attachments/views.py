"""The attachments pages of the back office.

Uploading is its own page, not part of the record's change form, so records
that are read-only by design (vouchers, care ledgers) still take scans and
photos. The record is found through its model's scoped manager among the
unions where the user may see records of its app; any other is 404. Adding
needs the app's change permission (models.PERMISSIONS) in the record's union.

Downloading goes through a view that checks the caller may see the record.
"""

from django.contrib import admin, messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from gonghui.attachments import queries, services
from gonghui.attachments.forms import UploadForm
from gonghui.attachments.models import Attachment, permissions_for

NOT_FOUND = "没有找到该记录"


def upload_url(record) -> str:
    """The upload page of a record."""
    content_type = ContentType.objects.get_for_model(record)
    return reverse("attachments:upload", args=[content_type.pk, record.pk])


def record_url(record) -> str:
    """The record's own back-office page, where its attachments are listed."""
    opts = record._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])


def _find_record(request, content_type_id: int, object_id: int):
    """The record, if the user may see it; otherwise 404, saying nothing of it."""
    content_type = ContentType.objects.filter(pk=content_type_id).first()
    model = content_type.model_class() if content_type is not None else None
    if model is None or model not in admin.site._registry:
        raise Http404(NOT_FOUND)
    perms = permissions_for(model._meta.app_label)
    if perms is None:
        raise Http404(NOT_FOUND)
    view_perm, change_perm = perms
    record = (
        model.objects.filter(union__in=request.access.unions_with(view_perm))
        .filter(pk=object_id)
        .first()
    )
    if record is None:
        raise Http404(NOT_FOUND)
    return record, change_perm


def upload(request, content_type_id: int, object_id: int):
    record, change_perm = _find_record(request, content_type_id, object_id)
    if not request.access.can(change_perm, record.union_id):
        raise PermissionDenied("您没有为这条记录上传附件的权限")
    posted = request.method == "POST"
    form = UploadForm(request.POST, request.FILES) if posted else UploadForm()
    if posted and form.is_valid():
        try:
            saved = services.attach_many(
                record=record, uploads=form.cleaned_data["files"], actor=request.user
            )
        except ValidationError as e:
            form.add_service_errors(e)
        else:
            names = "、".join(a.original_name for a in saved)
            messages.success(request, f"已上传附件：{names}")
            return redirect(record_url(record))
    context = {
        **admin.site.each_context(request),
        "title": f"上传附件：{record}",
        "record": record,
        "record_label": record._meta.verbose_name,
        "back_url": record_url(record),
        "form": form,
        "attachments": queries.attachments_of(record),
        "allowed": services.ALLOWED,
        "limit": services.max_bytes(),
    }
    return render(request, "attachments/upload.html", context)


def download(request, pk: int):
    attachment = Attachment.objects.select_related("content_type").filter(pk=pk).first()
    if attachment is None:
        raise Http404("未找到该附件")
    perms = permissions_for(attachment.content_type.app_label)
    if perms is None or not request.access.can(perms[0], attachment.union_id):
        raise Http404("未找到该附件")
    if not attachment.file:
        raise Http404("附件文件已不存在")
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404("附件文件已不存在") from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.mime_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
