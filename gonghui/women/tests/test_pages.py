"""The women's back-office screens: four-period records only for the women's
committee, masked in the list, opened through a logged step; check-ups and
insurance for the committee and the chair."""

import re
from datetime import date

import pytest

from gonghui.finance.models import Payment
from gonghui.finance.tests.factories import staff
from gonghui.orgs import services as orgs
from gonghui.orgs.models import AccessLog, Post
from gonghui.orgs.tests.factories import UnionFactory
from gonghui.women import services
from gonghui.women.models import CheckupKind, InsuranceEnrolment
from gonghui.women.tests.factories import plan, protection, woman, women_committee

pytestmark = pytest.mark.django_db


def test_the_chair_does_not_see_the_four_period_list(client):
    record = protection(woman())
    client.force_login(staff(record.union))
    assert client.get("/admin/women/protectionrecord/").status_code == 403
    assert client.get(f"/admin/women/periods/{record.pk}/open/").status_code == 403


def test_the_women_committee_list_masks_the_period_and_arrangements(client):
    record = protection(woman(name="王芳"), arrangements="调离夜班")
    client.force_login(women_committee(record.union))
    page = client.get("/admin/women/protectionrecord/").content.decode()
    assert "王芳" in page and "已记录（已隐藏）" in page
    assert "孕期" not in page and "调离夜班" not in page


def test_opening_a_record_in_the_back_office_shows_it_once_and_logs_it(client):
    record = protection(woman(), arrangements="调离夜班")
    client.force_login(women_committee(record.union))
    page = client.post(f"/admin/women/periods/{record.pk}/open/", {"reason": "安排岗位"})
    assert "调离夜班" in page.content.decode()
    assert "no-store" in page["Cache-Control"]
    assert AccessLog.objects.get().reason == "安排岗位"


def test_the_women_committee_of_another_union_gets_not_found(client):
    record = protection(woman())
    client.force_login(women_committee(UnionFactory()))
    assert client.get(f"/admin/women/periods/{record.pk}/open/").status_code == 404


@pytest.mark.parametrize("model", ["checkupcampaign", "insuranceplan", "insuranceenrolment"])
def test_the_check_up_and_insurance_lists_open_for_the_chair(client, model):
    client.force_login(staff(UnionFactory()))
    assert client.get(f"/admin/women/{model}/").status_code == 200


@pytest.mark.parametrize("model", ["checkupcampaign", "insuranceplan"])
def test_the_add_pages_open_for_the_chair(client, model):
    client.force_login(staff(UnionFactory()))
    assert client.get(f"/admin/women/{model}/add/").status_code == 200


def test_the_checkups_of_a_campaign_are_recorded_by_name(client):
    union = UnionFactory()
    member = woman(union, name="陈静")
    campaign = services.create_campaign(
        union=union,
        year=2025,
        kind=CheckupKind.GENERAL,
        title="健康体检",
        starts_on=date(2025, 1, 1),
        ends_on=date(2025, 12, 31),
    )
    client.force_login(staff(union))
    client.post(
        f"/admin/women/campaigns/{campaign.pk}/done/", {"done_on": "2025-05-06", "members": "陈静"}
    )
    assert campaign.checkups.get(member=member).done_on == date(2025, 5, 6)


def test_enrolling_every_woman_from_the_screen_pays_once(client):
    union = UnionFactory()
    found = plan(union)
    woman(union), woman(union)
    client.force_login(staff(union))
    page = client.get(f"/admin/women/plans/{found.pk}/enrol/").content.decode()
    key = re.search(r'name="idempotency_key" value="([0-9a-f]+)"', page).group(1)
    data = {
        "idempotency_key": key,
        "everyone": "on",
        "enrolled_on": "2025-03-08",
        "voucher": "记-9",
    }
    client.post(f"/admin/women/plans/{found.pk}/enrol/", data)
    client.post(f"/admin/women/plans/{found.pk}/enrol/", data)
    assert InsuranceEnrolment.objects.count() == 2
    assert Payment.objects.count() == 1


def test_the_committee_page_appoints_a_women_member(client):
    union = UnionFactory()
    woman(union, name="赵敏", employee_number="W01")
    term = orgs.start_term(union=union, number=1, starts_on=date(2024, 1, 1))
    client.force_login(staff(union))
    client.post(
        "/admin/women/committee/",
        {"union": union.pk, "term": term.pk, "member": "W01", "kind": "women_head"},
    )
    assert Post.objects.get().member.name == "赵敏"
    assert "赵敏" in client.get("/admin/women/committee/").content.decode()
