"""The attachments section on record pages: listed for those who may see the
record, with the upload button only for those who may add to it."""

import pytest
from django.contrib import admin
from django.urls import reverse

from gonghui.activities.models import Activity
from gonghui.activities.tests.factories import ActivityFactory
from gonghui.attachments import services
from gonghui.attachments.admin import AttachmentsMixin
from gonghui.attachments.tests.factories import pdf_bytes, upload
from gonghui.attachments.views import upload_url
from gonghui.care import models as care
from gonghui.finance.models import Income, Payment
from gonghui.finance.tests.factories import BudgetLineFactory, pay, staff
from gonghui.members.models import Member
from gonghui.orgs.roles import Role

pytestmark = pytest.mark.django_db

WITH_ATTACHMENTS = [
    Activity,
    Payment,
    Income,
    Member,
    care.Visit,
    care.HardshipCase,
    care.Assistance,
    care.DonationCampaign,
    care.SchoolAid,
    care.FestivalDistribution,
]


def payment_page(payment) -> str:
    return reverse("admin:finance_payment_change", args=[payment.pk])


@pytest.mark.parametrize("model", WITH_ATTACHMENTS, ids=lambda m: m._meta.label)
def test_every_record_that_keeps_photos_or_scans_has_the_section(model):
    assert isinstance(admin.site._registry[model], AttachmentsMixin)


def test_the_chair_sees_the_payments_scans_and_the_upload_button(client):
    payment = pay(BudgetLineFactory(), "80.00")
    scan = services.attach(record=payment, upload=upload("凭证.pdf", pdf_bytes()), actor=None)
    client.force_login(staff(payment.union))
    html = client.get(payment_page(payment)).content.decode()
    assert f'href="{scan.get_download_url()}">凭证.pdf</a>' in html
    assert f'href="{upload_url(payment)}"' in html


def test_the_audit_member_sees_the_scans_but_no_upload_button(client):
    payment = pay(BudgetLineFactory(), "80.00")
    services.attach(record=payment, upload=upload("凭证.pdf", pdf_bytes()), actor=None)
    client.force_login(staff(payment.union, Role.AUDIT))
    html = client.get(payment_page(payment)).content.decode()
    assert "凭证.pdf" in html
    assert "上传附件" not in html


def test_the_add_page_has_no_section_until_the_record_exists(client):
    union = BudgetLineFactory().union
    client.force_login(staff(union))
    html = client.get(reverse("admin:activities_activity_add")).content.decode()
    assert "活动照片和附件" not in html


def test_an_activity_still_saves_from_its_change_form_with_the_section_on_it(client):
    activity = ActivityFactory(title="拔河比赛")
    services.attach(record=activity, upload=upload("报名表.pdf", pdf_bytes()), actor=None)
    client.force_login(staff(activity.union))
    url = reverse("admin:activities_activity_change", args=[activity.pk])
    form = client.get(url).context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if hasattr(field.widget, "widgets"):  # date and time in two inputs
            data.update({f"{name}_{i}": p for i, p in enumerate(field.widget.decompress(value))})
        elif value is not None:
            data[name] = value
    data["title"] = "秋季拔河比赛"
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    activity.refresh_from_db()
    assert activity.title == "秋季拔河比赛"


def test_the_section_cannot_be_given_to_a_record_of_an_app_without_attachments():
    from django.core.exceptions import ImproperlyConfigured
    from unfold.admin import ModelAdmin

    from gonghui.orgs.models import Department

    class DepartmentAdmin(AttachmentsMixin, ModelAdmin):
        pass

    with pytest.raises(ImproperlyConfigured):
        DepartmentAdmin(Department, admin.site)
