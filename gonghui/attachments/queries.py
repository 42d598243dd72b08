"""Reads of attachments."""

from django.contrib.contenttypes.models import ContentType

from gonghui.attachments.models import Attachment


def attachments_of(record):
    """The attachments kept beside one record, oldest first."""
    return Attachment.objects.filter(
        content_type=ContentType.objects.get_for_model(record), object_id=record.pk
    ).select_related("uploaded_by")
