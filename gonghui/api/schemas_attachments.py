"""Attachments as the API shows them, and the upload/list endpoints every
record with attachments shares."""

from datetime import datetime

import ninja
from ninja import File, Schema
from ninja.files import UploadedFile

from gonghui.attachments import queries, services


class AttachmentOut(Schema):
    id: int
    union: int
    original_name: str
    mime_type: str
    size: int
    sha256: str
    uploaded_by: str | None
    uploaded_at: datetime
    download_url: str


def attachment_out(attachment) -> dict:
    user = attachment.uploaded_by
    return {
        "id": attachment.id,
        "union": attachment.union_id,
        "original_name": attachment.original_name,
        "mime_type": attachment.mime_type,
        "size": attachment.size,
        "sha256": attachment.sha256,
        "uploaded_by": str(user) if user else None,
        "uploaded_at": attachment.uploaded_at,
        "download_url": attachment.get_download_url(),
    }


def list_for(record) -> list[dict]:
    return [attachment_out(a) for a in queries.attachments_of(record)]


def upload_to(request, record, file: UploadedFile):
    attachment = services.attach(record=record, upload=file, actor=request.auth)
    return ninja.Status(201, attachment_out(attachment))


UploadFile = File(..., description="照片或扫描件：JPG、PNG、PDF、XLSX、DOCX，单个不超过10 MB")
