"""The care screens: forms call the services, other unions stay invisible,
health details are shown only through a logged reveal."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from gonghui.care import services
from gonghui.care.models import Donation, FestivalDistribution, HardshipCase, Visit
from gonghui.care.tests.factories import campaign, care_line, case, donate
from gonghui.finance.queries import payments_for
from gonghui.finance.tests.factories import staff
from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs.models import AccessLog
from gonghui.orgs.roles import Role
from gonghui.orgs.tests.factories import UnionFactory
from gonghui.privacy.purposes import Category
from gonghui.privacy.tests.factories import consented

pytestmark = pytest.mark.django_db


def signed_in(client, union, role=Role.CHAIR):
    user = staff(union, role)
    client.force_login(user)
    return user


def form_data(client, url, **data):
    """What the browser posts: the rendered form's hidden key plus the fields."""
    form = client.get(url).context["form"]
    if "idempotency_key" in form.fields:
        data["idempotency_key"] = form.initial["idempotency_key"]
    return data


def test_a_chair_records_a_visit_with_a_gift_and_the_line_moves(client):
    line = care_line(planned="3000")
    member = MemberFactory(union=line.union)
    signed_in(client, line.union)
    url = reverse("admin:care_visit_add")
    response = client.post(
        url,
        form_data(
            client,
            url,
            union=line.union_id,
            kind="illness",
            on="2025-03-02",
            members=[member.pk],
            gift="慰问金",
            amount="400.00",
            line=line.pk,
            voucher="记-7",
        ),
    )
    assert response.status_code == 302
    visit = Visit.objects.get()
    assert payments_for(visit).get().amount == Decimal("400.00")
    line.refresh_from_db()
    assert line.actual == Decimal("400.00")


def test_the_visit_form_shows_the_services_message_and_writes_nothing(client):
    line = care_line()
    member = MemberFactory(union=line.union)
    signed_in(client, line.union)
    url = reverse("admin:care_visit_add")
    response = client.post(
        url,
        form_data(
            client,
            url,
            union=line.union_id,
            kind="illness",
            on="2025-03-02",
            members=[member.pk],
            amount="10.555",
            line=line.pk,
            voucher="记-7",
        ),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["amount"] == [
        "金额最多保留两位小数（分），“10.555”超过了两位"
    ]
    assert Visit.objects.count() == 0


def test_a_double_submitted_donation_form_writes_once(client):
    run = campaign(UnionFactory())
    signed_in(client, run.union)
    url = reverse("care:add_donation", args=[run.pk])
    data = form_data(
        client, url, donor_name="校友张先生", amount="88.80", on="2025-05-03", channel="wechat"
    )
    client.post(url, data)
    client.post(url, data)
    assert Donation.objects.count() == 1


def test_the_campaign_page_shows_raised_fund_delivered_and_donors(client):
    run = campaign(UnionFactory())
    donate(run, "1000.10")
    donate(run, "20.20")
    signed_in(client, run.union)
    html = client.get(reverse("admin:care_donationcampaign_change", args=[run.pk])).content.decode()
    assert "1020.30" in html
    assert "捐款人次" in html


def test_the_case_page_masks_health_details_and_shows_the_years_assistance(client):
    member = MemberFactory()
    filed = case(member, health_details="胃癌晚期")
    given = services.record_assistance(
        member=member,
        kind="medical",
        source="upper",
        amount=Decimal("1234.50"),
        on=date.today(),
        case=filed,
    )
    services.approve_assistance(assistance=given, actor=staff(member.union))
    signed_in(client, member.union)
    html = client.get(reverse("admin:care_hardshipcase_change", args=[filed.pk])).content.decode()
    assert "胃癌" not in html
    assert "已记录（已隐藏）" in html
    assert f"{date.today().year}年1234.50元" in html


def test_a_reveal_shows_the_details_once_and_logs_it(client):
    filed = case(MemberFactory(), health_details="胃癌晚期")
    user = signed_in(client, filed.union)
    url = reverse("care:reveal", args=[filed.pk])
    assert "胃癌" not in client.get(url).content.decode()
    response = client.post(url, {"reason": "审批医疗救助"})
    assert "胃癌晚期" in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert AccessLog.objects.get().user == user


def test_a_committee_member_may_not_reveal_health_details(client):
    filed = case(MemberFactory(), health_details="胃癌晚期")
    signed_in(client, filed.union, Role.COMMITTEE)
    response = client.post(reverse("care:reveal", args=[filed.pk]), {"reason": "好奇"})
    assert response.status_code == 403
    assert AccessLog.objects.count() == 0


def test_the_womens_committee_reads_care_lists_but_cannot_add(client):
    union = UnionFactory()
    signed_in(client, union, Role.WOMEN)
    assert client.get(reverse("admin:care_visit_changelist")).status_code == 200
    assert client.get(reverse("admin:care_visit_add")).status_code == 403


def test_another_unions_case_is_not_found_anywhere(client):
    theirs = case(MemberFactory(name="赵敏"), health_details="秘密病情")
    signed_in(client, UnionFactory())
    for url in (
        reverse("admin:care_hardshipcase_change", args=[theirs.pk]),
        reverse("care:review_case", args=[theirs.pk]),
        reverse("care:close_case", args=[theirs.pk]),
        reverse("care:reveal", args=[theirs.pk]),
    ):
        response = client.get(url)
        assert response.status_code in (302, 403, 404), url
        assert "赵敏" not in response.content.decode()
    listing = client.get(reverse("admin:care_hardshipcase_changelist")).content.decode()
    assert "赵敏" not in listing


def test_a_case_is_filed_reviewed_and_closed_through_the_forms(client):
    member = consented(MemberFactory(), Category.HARDSHIP)
    signed_in(client, member.union)
    response = client.post(
        reverse("admin:care_hardshipcase_add"),
        {
            "member": member.pk,
            "level": "deep",
            "causes": ["illness", "schooling"],
            "household_size": "4",
            "income_per_capita": "650.00",
            "filed_on": "2025-02-01",
        },
    )
    assert response.status_code == 302
    filed = HardshipCase.objects.get()
    assert filed.causes == ["illness", "schooling"]
    client.post(
        reverse("care:review_case", args=[filed.pk]), {"on": "2025-12-01", "outcome": "continue"}
    )
    client.post(
        reverse("care:close_case", args=[filed.pk]), {"on": "2025-12-20", "reason": "家庭收入恢复"}
    )
    filed.refresh_from_db()
    assert filed.reviews.count() == 1
    assert filed.closed_on == date(2025, 12, 20)


def test_every_care_list_and_page_opens_for_the_chair(client):
    line = care_line()
    union = line.union
    member = MemberFactory(union=union)
    services.record_visit(
        union=union,
        kind="birth",
        on=date(2025, 3, 1),
        members=[member],
        idempotency_key="k1",
        actor=None,
    )
    filed = case(member, health_details="x")
    run = campaign(union)
    donate(run, "5")
    signed_in(client, union)
    for name in (
        "visit",
        "hardshipcase",
        "assistance",
        "donationcampaign",
        "schoolaid",
        "festivaldistribution",
        "mutualaidenrolment",
        "caresettings",
    ):
        assert client.get(reverse(f"admin:care_{name}_changelist")).status_code == 200, name
        assert client.get(reverse(f"admin:care_{name}_add")).status_code == 200, name
    for url in (
        reverse("admin:care_hardshipcase_change", args=[filed.pk]),
        reverse("admin:care_donationcampaign_change", args=[run.pk]),
        reverse("care:add_fund", args=[run.pk]),
        reverse("care:add_handover", args=[run.pk]),
    ):
        assert client.get(url).status_code == 200, url


def test_a_double_submitted_festival_gift_form_writes_one_distribution_and_one_payment(client):
    line = care_line(planned="5000")
    MemberFactory.create_batch(2, union=line.union)
    signed_in(client, line.union)
    url = reverse("admin:care_festivaldistribution_add")
    data = form_data(
        client,
        url,
        union=line.union_id,
        occasion="spring",
        on="2025-01-20",
        amount_per_person="200.00",
        line=line.pk,
        voucher="记-31",
    )
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    distribution = FestivalDistribution.objects.get()
    assert payments_for(distribution).get().amount == Decimal("400.00")
