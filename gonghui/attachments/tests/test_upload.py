"""The upload page of the back office: any record with attachments, even a
read-only one, takes files from whoever holds its app's change permission."""

import io
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from PIL import Image

from gonghui.activities.tests.factories import ActivityFactory
from gonghui.attachments.models import Attachment
from gonghui.attachments.tests.factories import GPS_IFD, jpeg_with_gps, pdf_bytes, upload
from gonghui.attachments.views import upload_url
from gonghui.care.tests.factories import visit
from gonghui.finance.tests.factories import BudgetLineFactory, pay, staff
from gonghui.orgs.models import Department
from gonghui.orgs.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def payment():
    return pay(BudgetLineFactory(name="职工文体活动"), "320.00", voucher="记-2025-031")


def signed_in(client, union, role=Role.CHAIR):
    client.force_login(staff(union, role))
    return client


def stored_files(settings) -> list[Path]:
    return [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]


def payment_page(payment) -> str:
    return reverse("admin:finance_payment_change", args=[payment.pk])


def test_a_scan_uploaded_to_a_read_only_payment_is_kept_and_listed_on_its_page(client, payment):
    client = signed_in(client, payment.union)
    assert client.get(upload_url(payment)).status_code == 200

    response = client.post(
        upload_url(payment), {"files": upload("发票扫描.pdf", pdf_bytes())}, follow=True
    )

    [attachment] = Attachment.objects.all()
    assert attachment.record == payment
    assert response.redirect_chain == [(payment_page(payment), 302)]
    html = response.content.decode()
    assert "已上传附件：发票扫描.pdf" in html
    assert f'href="{attachment.get_download_url()}"' in html
    assert "凭证扫描件和附件" in html


def test_several_photos_are_uploaded_at_once(client, payment):
    client = signed_in(client, payment.union)
    files = [upload("现场1.jpg", jpeg_with_gps()), upload("现场2.jpg", jpeg_with_gps())]
    client.post(upload_url(payment), {"files": files})
    names = set(Attachment.objects.values_list("original_name", flat=True))
    assert names == {"现场1.jpg", "现场2.jpg"}


def test_an_audit_member_who_reads_the_payment_is_refused_the_upload_with_403(client, payment):
    client = signed_in(client, payment.union, Role.AUDIT)
    assert client.get(payment_page(payment)).status_code == 200
    assert client.get(upload_url(payment)).status_code == 403
    response = client.post(upload_url(payment), {"files": upload("a.pdf", pdf_bytes())})
    assert response.status_code == 403
    assert not Attachment.objects.exists()


def test_a_liaison_who_sees_the_activity_is_refused_the_upload_with_403(client):
    activity = ActivityFactory()
    client = signed_in(client, activity.union, Role.LIAISON)
    response = client.post(upload_url(activity), {"files": upload("合影.jpg", jpeg_with_gps())})
    assert response.status_code == 403
    assert not Attachment.objects.exists()


def test_another_unions_payment_is_404_and_its_voucher_never_shown(client, payment):
    client = signed_in(client, BudgetLineFactory().union)
    for response in (
        client.get(upload_url(payment)),
        client.post(upload_url(payment), {"files": upload("a.pdf", pdf_bytes())}),
    ):
        assert response.status_code == 404
        assert "记-2025-031" not in response.content.decode()
    assert not Attachment.objects.exists()


def test_an_unknown_type_or_a_record_of_an_app_without_attachments_is_404(client, payment):
    client = signed_in(client, payment.union)
    department = Department.objects.create(union=payment.union, name="教务处")
    department_type = ContentType.objects.get_for_model(Department)
    url = reverse("attachments:upload", args=[department_type.pk, department.pk])
    assert client.get(url).status_code == 404
    unknown = reverse("attachments:upload", args=[999_999, payment.pk])
    assert client.get(unknown).status_code == 404


def test_a_pdf_named_as_a_photo_is_refused_on_the_form_and_nothing_is_stored(
    client, payment, settings
):
    client = signed_in(client, payment.union)
    response = client.post(upload_url(payment), {"files": upload("收据.jpg", pdf_bytes())})
    assert response.status_code == 200
    [message] = response.context["form"].errors["files"]
    assert "收据.jpg" in message and "PDF" in message and "JPEG" in message
    assert message in response.content.decode()
    assert not Attachment.objects.exists()
    assert stored_files(settings) == []


def test_an_oversized_scan_is_refused_on_the_form_and_nothing_is_stored(client, payment, settings):
    settings.ATTACHMENT_MAX_BYTES = 1000
    client = signed_in(client, payment.union)
    big = pdf_bytes() + b"0" * 2000
    response = client.post(upload_url(payment), {"files": upload("大扫描.pdf", big)})
    [message] = response.context["form"].errors["files"]
    assert "大扫描.pdf" in message and "超过了" in message
    assert not Attachment.objects.exists()
    assert stored_files(settings) == []


def test_an_empty_file_and_no_file_are_refused_in_chinese(client, payment):
    client = signed_in(client, payment.union)
    empty = client.post(upload_url(payment), {"files": upload("空白.pdf", b"")})
    assert empty.context["form"].errors["files"] == ["文件“空白.pdf”是空文件"]
    none = client.post(upload_url(payment), {})
    assert none.context["form"].errors["files"] == ["请选择要上传的文件"]
    assert not Attachment.objects.exists()


def test_one_bad_file_among_several_keeps_none_of_them(client, payment, settings):
    client = signed_in(client, payment.union)
    files = [upload("好.pdf", pdf_bytes()), upload("坏.png", pdf_bytes())]
    response = client.post(upload_url(payment), {"files": files})
    assert "坏.png" in response.context["form"].errors["files"][0]
    assert not Attachment.objects.exists()
    assert stored_files(settings) == []


def test_a_photo_uploaded_on_the_page_is_kept_without_its_gps_position(client, payment):
    client = signed_in(client, payment.union)
    client.post(upload_url(payment), {"files": upload("现场.jpg", jpeg_with_gps())})
    with Attachment.objects.get().file.open("rb") as stored:
        kept = stored.read()
    assert not Image.open(io.BytesIO(kept)).getexif().get_ifd(GPS_IFD)
    assert b"PhotoTool" not in kept


def test_a_committee_member_adds_photos_to_a_visit_they_may_not_edit(client):
    record = visit(BudgetLineFactory().union)
    client = signed_in(client, record.union, Role.COMMITTEE)
    response = client.post(upload_url(record), {"files": upload("慰问.jpg", jpeg_with_gps())})
    assert response["Location"] == reverse("admin:care_visit_change", args=[record.pk])
    assert Attachment.objects.get().record == record
