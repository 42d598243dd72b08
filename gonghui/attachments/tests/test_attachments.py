import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from gonghui.activities.tests.factories import ActivityFactory
from gonghui.attachments import services
from gonghui.attachments.models import Attachment, FileType
from gonghui.orgs.roles import Role
from gonghui.orgs.tests.factories import user_with_role

pytestmark = pytest.mark.django_db

GPS_IFD = 0x8825


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (40, 30), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "秘密相机厂"  # Make
    exif[0x0131] = "PhotoTool 1.0"  # Software
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (31.0, 14.0, 0.0), 3: "E", 4: (121.0, 28.0, 0.0)})
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (0, 120, 0)).save(out, "PNG")
    return out.getvalue()


def workbook_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return out.getvalue()


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def test_a_photo_is_kept_beside_its_record_without_its_gps_position():
    activity = ActivityFactory()
    original = jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(GPS_IFD)

    attachment = services.attach(record=activity, upload=upload("合影.jpg", original), actor=None)

    with attachment.file.open("rb") as stored:
        kept = stored.read()
    exif = Image.open(io.BytesIO(kept)).getexif()
    assert not exif.get_ifd(GPS_IFD)
    assert len(exif) == 0
    assert b"PhotoTool" not in kept
    assert attachment.mime_type == FileType.JPEG
    assert attachment.size == len(kept)
    assert attachment.union_id == activity.union_id
    assert attachment.record == activity
    assert attachment.file.name.startswith(f"attachments/{activity.union_id}/")


def test_a_pdf_named_as_a_photo_is_refused_with_a_chinese_message():
    activity = ActivityFactory()
    with pytest.raises(ValidationError) as refused:
        services.attach(
            record=activity, upload=upload("照片.jpg", b"%PDF-1.7\n%secret\n"), actor=None
        )
    message = refused.value.message_dict["file"][0]
    assert "照片.jpg" in message and "PDF" in message and "JPEG" in message
    assert not Attachment.objects.exists()


def test_a_zip_that_is_not_a_workbook_is_refused_as_xlsx():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("evil.sh", "rm -rf /")
    with pytest.raises(ValidationError, match="Excel"):
        services.check_upload(upload("名单.xlsx", out.getvalue()))


def test_a_real_workbook_png_and_pdf_are_accepted_as_they_are():
    assert services.check_upload(upload("名单.xlsx", workbook_bytes())).mime_type == FileType.XLSX
    assert services.check_upload(upload("扫描.PNG", png_bytes())).mime_type == FileType.PNG
    pdf = b"%PDF-1.4\n1 0 obj\n"
    assert services.check_upload(upload("发票.pdf", pdf)).content == pdf


def test_an_executable_with_an_unknown_extension_is_refused():
    with pytest.raises(ValidationError, match="只能上传"):
        services.check_upload(upload("setup.exe", b"MZ\x90\x00"))


def test_a_file_over_the_size_limit_is_refused(settings):
    settings.ATTACHMENT_MAX_BYTES = 1000
    with pytest.raises(ValidationError, match="超过了"):
        services.attach(
            record=ActivityFactory(),
            upload=upload("大图.png", b"\x89PNG" + b"0" * 2000),
            actor=None,
        )
    assert not Attachment.objects.exists()


def test_a_broken_image_with_a_right_header_is_refused():
    with pytest.raises(ValidationError, match="损坏"):
        services.check_upload(upload("坏图.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 50))


def test_folders_and_control_characters_are_dropped_from_the_original_name():
    checked = services.check_upload(upload("a.png", png_bytes()))
    assert services.clean_name("../../etc/合影\x00.png") == "合影.png"
    assert checked.name == "a.png"


def test_the_download_gives_the_file_to_its_union_and_404_to_another():
    activity = ActivityFactory()
    attachment = services.attach(
        record=activity, upload=upload("发票.pdf", b"%PDF-1.4 x"), actor=None
    )
    own, other = Client(), Client()
    own.force_login(user_with_role(activity.union, Role.COMMITTEE))
    other.force_login(user_with_role(ActivityFactory().union, Role.CHAIR))

    response = own.get(attachment.get_download_url())
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 x"
    assert "attachment" in response["Content-Disposition"]
    refused = other.get(attachment.get_download_url())
    assert refused.status_code == 404
    assert "发票" not in refused.content.decode()


def test_a_member_without_the_activities_right_cannot_download_it():
    activity = ActivityFactory()
    attachment = services.attach(record=activity, upload=upload("a.pdf", b"%PDF-1"), actor=None)
    client = Client()
    client.force_login(user_with_role(activity.union, Role.AUDIT))
    assert client.get(attachment.get_download_url()).status_code == 404


def test_a_record_of_an_app_without_attachments_is_refused():
    from gonghui.orgs.models import Department

    department = Department.objects.create(union=ActivityFactory().union, name="教务处")
    with pytest.raises(ValidationError, match="不能添加附件"):
        services.attach(record=department, upload=upload("a.pdf", b"%PDF-1"), actor=None)
    assert not Attachment.objects.exists()
