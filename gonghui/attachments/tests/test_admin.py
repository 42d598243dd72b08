import io

import pytest
from django.contrib import admin
from django.contrib.admin import AdminSite
from django.test import RequestFactory
from PIL import Image

from gonghui.activities.admin import ActivityAdmin
from gonghui.activities.models import Activity
from gonghui.activities.tests.factories import ActivityFactory
from gonghui.attachments.admin import AttachmentInline, AttachmentsMixin
from gonghui.attachments.models import Attachment
from gonghui.orgs.access import access_for
from gonghui.orgs.roles import Perm, Role
from gonghui.orgs.tests.factories import user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


class WithAttachments(AttachmentsMixin, ActivityAdmin):
    attachment_perm = Perm.CHANGE_ACTIVITIES


def _request(user):
    request = RequestFactory().post("/")
    request.user = user
    request.access = access_for(user)
    return request


def _formset(request, activity, files):
    model_admin = WithAttachments(Activity, AdminSite())
    [inline_class] = [
        i for i in model_admin.get_inlines(request, activity) if issubclass(i, AttachmentInline)
    ]
    inline = inline_class(Activity, model_admin.admin_site)
    formset_class = inline.get_formset(request, activity)
    prefix = formset_class.get_default_prefix()
    data = {
        f"{prefix}-TOTAL_FORMS": "1",
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    files = {f"{prefix}-0-upload": f for f in files}
    return inline, formset_class(data, files, instance=activity, prefix=prefix)


def _upload(name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


def test_the_admin_inline_uploads_through_the_service_and_strips_the_photo():
    activity = ActivityFactory()
    user = user_with_role(activity.union, Role.COMMITTEE)
    out = io.BytesIO()
    exif = Image.Exif()
    exif[0x0131] = "PhotoTool"
    Image.new("RGB", (5, 5)).save(out, "JPEG", exif=exif)
    inline, formset = _formset(_request(user), activity, [_upload("合影.jpg", out.getvalue())])

    assert inline.has_add_permission(_request(user), activity)
    assert formset.is_valid(), formset.errors
    [attachment] = formset.save()

    assert attachment.record == activity and attachment.uploaded_by == user
    with attachment.file.open("rb") as stored:
        assert b"PhotoTool" not in stored.read()


def test_the_admin_inline_shows_the_services_refusal_on_the_upload_field():
    activity = ActivityFactory()
    user = user_with_role(activity.union, Role.COMMITTEE)
    _, formset = _formset(_request(user), activity, [_upload("扫描.pdf", b"not a pdf")])
    assert not formset.is_valid()
    assert "PDF" in str(formset.errors)
    assert not Attachment.objects.exists()


def test_a_liaison_sees_the_inline_but_may_not_upload():
    activity = ActivityFactory()
    liaison = user_with_role(activity.union, Role.LIAISON)
    model_admin = WithAttachments(Activity, admin.site)
    inline_class = model_admin.get_inlines(_request(liaison), activity)[-1]
    inline = inline_class(Activity, admin.site)
    assert inline.has_view_permission(_request(liaison), activity)
    assert not inline.has_add_permission(_request(liaison), activity)
