"""Every write to attachments. An upload is refused unless it is small enough
and its bytes really are what its name says; images are re-encoded without
their metadata (EXIF, GPS position, camera serial numbers) before they are kept."""

import hashlib
import io
import unicodedata
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image, ImageOps, UnidentifiedImageError

from gonghui.attachments.models import Attachment, FileType, permissions_for

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
NAME_LIMIT = 200

EXTENSIONS = {
    "jpg": FileType.JPEG,
    "jpeg": FileType.JPEG,
    "png": FileType.PNG,
    "pdf": FileType.PDF,
    "xlsx": FileType.XLSX,
    "docx": FileType.DOCX,
}
ALLOWED = "JPG、PNG、PDF、XLSX、DOCX"


def max_bytes() -> int:
    return int(getattr(settings, "ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES))


@dataclass(frozen=True)
class Checked:
    """An upload that passed the checks: the bytes to keep and what they are."""

    name: str
    mime_type: str
    content: bytes


def clean_name(name: str) -> str:
    """The uploader's file name without folders or control characters, kept as text only."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
    if len(name) > NAME_LIMIT:
        stem, dot, extension = name.rpartition(".")
        name = (stem[: NAME_LIMIT - len(extension) - 1] + dot + extension) if dot else name
        name = name[:NAME_LIMIT]
    return name


def sniff(head: bytes, content: bytes) -> str | None:
    """The real type of a file from its bytes, or None if it is none we accept."""
    if head.startswith(b"\xff\xd8\xff"):
        return FileType.JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return FileType.PNG
    if head.startswith(b"%PDF-"):
        return FileType.PDF
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                names = set(archive.namelist())
        # An unsupported zip version or compression method raises NotImplementedError.
        except (zipfile.BadZipFile, NotImplementedError, EOFError, ValueError, OSError):
            return None
        if "[Content_Types].xml" not in names:
            return None
        if "xl/workbook.xml" in names:
            return FileType.XLSX
        if "word/document.xml" in names:
            return FileType.DOCX
    return None


def check_upload(upload, *, field: str = "file") -> Checked:
    """Refuse an upload that is empty, too large, of a type we do not keep, or
    whose bytes are not what its extension claims; return it cleaned."""
    if upload is None:
        raise ValidationError({field: "请选择要上传的文件"})
    name = clean_name(getattr(upload, "name", "") or "")
    limit = max_bytes()
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise ValidationError(
            {field: f"文件“{name}”大小为{_megabytes(size)}，超过了{_megabytes(limit)}的上限"}
        )
    upload.seek(0)
    content = upload.read(limit + 1)
    if len(content) > limit:
        raise ValidationError({field: f"文件“{name}”超过了{_megabytes(limit)}的上限"})
    if not content:
        raise ValidationError({field: f"文件“{name}”是空文件"})
    if not name:
        raise ValidationError({field: "文件名不能为空"})
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    claimed = EXTENSIONS.get(extension)
    if claimed is None:
        raise ValidationError({field: f"不支持文件“{name}”的类型，只能上传 {ALLOWED} 文件"})
    actual = sniff(content[:16], content)
    if actual != claimed:
        found = FileType(actual).label if actual else "无法识别的内容"
        raise ValidationError(
            {
                field: f"文件“{name}”的扩展名是 .{extension}，但内容是{found}，"
                f"不是{FileType(claimed).label}；请上传真实的{FileType(claimed).label}"
            }
        )
    if actual in (FileType.JPEG, FileType.PNG):
        content = strip_image_metadata(content, actual, name=name, field=field)
    return Checked(name=name, mime_type=actual, content=content)


def strip_image_metadata(content: bytes, mime_type: str, *, name: str, field: str) -> bytes:
    """Re-encode an image keeping only its pixels: no EXIF (GPS, camera, time), no comments.

    The EXIF orientation is applied to the pixels first, so the photo still
    shows the right way up without it.
    """
    try:
        with Image.open(io.BytesIO(content)) as image:
            image.load()
            upright = ImageOps.exif_transpose(image)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError({field: f"图片“{name}”已损坏或无法读取"}) from None
    # A new image from the raw pixels carries none of the original's info.
    pixels = Image.frombytes(upright.mode, upright.size, upright.tobytes())
    if upright.mode in ("P", "PA") and upright.getpalette():
        pixels.putpalette(upright.getpalette())
    options = {}
    if mime_type == FileType.PNG and "transparency" in upright.info:
        options["transparency"] = upright.info["transparency"]
    out = io.BytesIO()
    if mime_type == FileType.JPEG:
        if pixels.mode not in ("RGB", "L", "CMYK"):
            pixels = pixels.convert("RGB")
        pixels.save(out, "JPEG", quality=90, optimize=True)
    else:
        pixels.save(out, "PNG", optimize=True, **options)
    return out.getvalue()


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def _check_record(record) -> None:
    if getattr(record, "pk", None) is None or getattr(record, "union_id", None) is None:
        raise ValidationError({"record": "附件只能添加到已保存的、属于某个工会的记录上"})
    if permissions_for(record._meta.app_label) is None:
        raise ValidationError({"record": f"{record._meta.verbose_name}不能添加附件"})


@transaction.atomic
def attach(*, record, upload, actor) -> Attachment:
    """Keep an uploaded file beside `record` (a union-owned record of an app in
    models.PERMISSIONS)."""
    _check_record(record)
    checked = upload if isinstance(upload, Checked) else check_upload(upload)
    attachment = Attachment(
        union_id=record.union_id,
        content_type=ContentType.objects.get_for_model(record),
        object_id=record.pk,
        original_name=checked.name,
        mime_type=checked.mime_type,
        size=len(checked.content),
        sha256=hashlib.sha256(checked.content).hexdigest(),
        uploaded_by=actor,
    )
    extension = checked.name.rsplit(".", 1)[-1].lower()
    attachment.file.save(f"upload.{extension}", ContentFile(checked.content), save=False)
    # If the row cannot be written, the file must not stay behind on disk.
    try:
        attachment.save()
    except Exception:
        attachment.file.delete(save=False)
        raise
    return attachment


@transaction.atomic
def attach_many(*, record, uploads, actor, field: str = "file") -> list[Attachment]:
    """Keep several uploads beside `record`, all or none: every file is checked
    before the first is written, and the first refusal names its file."""
    _check_record(record)
    if not uploads:
        raise ValidationError({field: "请选择要上传的文件"})
    checked = [check_upload(upload, field=field) for upload in uploads]
    saved: list[Attachment] = []
    try:
        for one in checked:
            saved.append(attach(record=record, upload=one, actor=actor))
    except Exception:
        # The rows roll back with the transaction; their files must go too.
        for attachment in saved:
            attachment.file.delete(save=False)
        raise
    return saved
