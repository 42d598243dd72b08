"""Attachments (photos, scans, workbooks) kept beside any union-owned record.

The file lives under MEDIA_ROOT/attachments/<union id>/ with a random name;
the name the uploader gave is kept only as text, for the download. Nothing
under MEDIA_ROOT is served directly: downloads go through a view that checks
the caller may see the record.
"""

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse

from gonghui.orgs.models import ScopedModel
from gonghui.orgs.roles import Perm


class FileType(models.TextChoices):
    JPEG = "image/jpeg", "JPEG 图片"
    PNG = "image/png", "PNG 图片"
    PDF = "application/pdf", "PDF 文件"
    XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel 工作簿"
    DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word 文档"


# Which permission reads and which adds attachments of a record, by the
# record's app. Records of an app not listed here take no attachments.
PERMISSIONS = {
    "activities": (Perm.VIEW_ACTIVITIES, Perm.CHANGE_ACTIVITIES),
    "care": (Perm.VIEW_CARE, Perm.CHANGE_CARE),
    "disclosure": (Perm.VIEW_DISCLOSURE, Perm.CHANGE_DISCLOSURE),
    "finance": (Perm.VIEW_FINANCE, Perm.CHANGE_FINANCE),
    "members": (Perm.VIEW_ROSTER, Perm.CHANGE_ROSTER),
    "voice": (Perm.VIEW_VOICE, Perm.CHANGE_VOICE),
    "safety": (Perm.VIEW_SAFETY, Perm.CHANGE_SAFETY),
}


def permissions_for(app_label: str) -> tuple[str, str] | None:
    """(view, change) permission codes for attachments of records of this app,
    or None when its records take no attachments."""
    return PERMISSIONS.get(app_label)


def _stored_name(instance: "Attachment", filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"attachments/{instance.union_id}/{uuid.uuid4().hex}.{extension}"


class Attachment(ScopedModel):
    content_type = models.ForeignKey(
        ContentType, verbose_name="所属记录类型", on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.PositiveBigIntegerField("所属记录编号")
    record = GenericForeignKey("content_type", "object_id")
    file = models.FileField("文件", upload_to=_stored_name, max_length=200)
    original_name = models.CharField("原文件名", max_length=200)
    mime_type = models.CharField("文件类型", max_length=100, choices=FileType.choices)
    size = models.PositiveBigIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上传人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"
        ordering = ["uploaded_at", "id"]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="attachment_record"),
        ]

    def __str__(self):
        return self.original_name

    def get_download_url(self) -> str:
        return reverse("attachments:download", args=[self.pk])
