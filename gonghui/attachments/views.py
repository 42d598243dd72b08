"""Downloading an attachment: found through the scoped manager, and only for
someone who may see records of its kind in its union."""

from django.http import FileResponse, Http404

from gonghui.attachments.models import Attachment, permissions_for


def download(request, pk: int):
    attachment = Attachment.objects.select_related("content_type").filter(pk=pk).first()
    if attachment is None:
        raise Http404("未找到该附件")
    view_perm, _ = permissions_for(attachment.content_type.app_label)
    if not request.access.can(view_perm, attachment.union_id):
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
