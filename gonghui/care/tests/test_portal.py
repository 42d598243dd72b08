"""The members' care pages: campaigns and giving, the member's own records,
and applying for school aid; other members' and unions' records never show."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from gonghui.care import services
from gonghui.care.models import AidState, Donation, SchoolAid
from gonghui.care.tests.factories import campaign, care_line, case, donate, visit
from gonghui.finance.tests.factories import staff
from gonghui.members.models import Status
from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs.roles import Role
from gonghui.orgs.tests.factories import UnionFactory, user_with_role

pytestmark = pytest.mark.django_db


def member_client(client, union=None, **kwargs):
    union = union or UnionFactory()
    user = user_with_role(union, Role.MEMBER, password=None)
    member = MemberFactory(union=union, user=user, **kwargs)
    client.force_login(user)
    return member


def running(union, **kwargs):
    today = timezone.localdate()
    kwargs.setdefault("opens_on", today - timedelta(days=3))
    kwargs.setdefault("closes_on", today + timedelta(days=10))
    return campaign(union, **kwargs)


def key_in(page: str) -> str:
    return re.search(r'name="idempotency_key" value="([0-9a-f]+)"', page).group(1)


def give(client, run, **fields):
    page = client.get(f"/care/campaigns/{run.pk}/").content.decode()
    data = {"amount": "100", "channel": "wechat", "idempotency_key": key_in(page), **fields}
    return client.post(f"/care/campaigns/{run.pk}/donate/", data)


# Campaigns -------------------------------------------------------------------------


def test_the_care_home_lists_the_open_campaigns_of_the_members_union_only(client):
    member = member_client(client)
    running(member.union, purpose="为生病的李老师募捐")
    running(
        member.union, purpose="去年的募捐", closes_on=date(2024, 1, 31), opens_on=date(2024, 1, 1)
    )
    running(UnionFactory(), purpose="别家工会的募捐")
    page = client.get("/care/").content.decode()
    assert "为生病的李老师募捐" in page
    assert "去年的募捐" not in page
    assert "别家工会的募捐" not in page


def test_the_campaign_page_shows_the_total_with_the_funds_share_and_the_number_of_donors(client):
    member = member_client(client)
    line = care_line(member.union)
    run = running(member.union, beneficiary_name="王小明")
    donate(run, "200.50", on=timezone.localdate())
    donate(run, "99.50", on=timezone.localdate())
    services.contribute_from_fund(
        campaign=run,
        amount=Decimal("1000.00"),
        on=date(2025, 5, 20),
        line=line,
        voucher="记-1",
        idempotency_key="fund-key-1",
        actor=staff(member.union),
    )
    page = client.get(f"/care/campaigns/{run.pk}/").content.decode()
    assert "王小明" in page
    assert re.search(r'id="total">1300.00 元', page)
    assert re.search(r'id="fund">1000.00 元', page)
    assert re.search(r'id="donors">2<', page)


def test_only_amounts_the_donor_agreed_to_show_are_listed_and_anonymous_donors_are_not_named(
    client,
):
    member = member_client(client)
    run = running(member.union)
    today = timezone.localdate()
    shown = MemberFactory(union=member.union, name="愿公开")
    hidden = MemberFactory(union=member.union, name="不公开")
    secret = MemberFactory(union=member.union, name="匿名者")
    donate(run, "123.45", donor=shown, show_amount=True, on=today)
    donate(run, "678.90", donor=hidden, show_amount=False, on=today)
    donate(run, "55.55", donor=secret, anonymous=True, show_amount=True, on=today)
    section = client.get(f"/care/campaigns/{run.pk}/").content.decode().split('id="shown"')[1]
    assert "愿公开" in section and "123.45" in section
    assert "不公开" not in section and "678.90" not in section
    assert "匿名者" not in section
    assert "匿名" in section and "55.55" in section


def test_another_unions_campaign_is_not_found_and_takes_no_donation(client):
    member_client(client)
    other = running(UnionFactory(), purpose="别家工会的募捐")
    response = client.get(f"/care/campaigns/{other.pk}/")
    assert response.status_code == 404
    assert "别家工会的募捐" not in response.content.decode()
    data = {"amount": "100", "channel": "wechat", "idempotency_key": "a" * 32}
    assert client.post(f"/care/campaigns/{other.pk}/donate/", data).status_code == 404
    assert not Donation.objects.exists()


# Donating ---------------------------------------------------------------------------


def test_a_member_donates_and_the_total_moves(client):
    member = member_client(client)
    run = running(member.union)
    response = give(client, run, amount="88.80", show_amount="on")
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "感谢您的爱心！已记录您的捐款88.80元" in page
    assert re.search(r'id="total">88.80 元', page)
    donation = Donation.objects.get()
    assert (donation.donor, donation.on, donation.show_amount) == (
        member,
        timezone.localdate(),
        True,
    )


def test_submitting_the_same_donation_form_twice_records_one_donation(client):
    member = member_client(client)
    run = running(member.union)
    page = client.get(f"/care/campaigns/{run.pk}/").content.decode()
    data = {"amount": "50", "channel": "alipay", "idempotency_key": key_in(page)}
    first = client.post(f"/care/campaigns/{run.pk}/donate/", data)
    second = client.post(f"/care/campaigns/{run.pk}/donate/", data)
    assert first.status_code == second.status_code == 302
    assert Donation.objects.count() == 1


def test_each_drawing_of_the_form_carries_a_new_key(client):
    member = member_client(client)
    run = running(member.union)
    first = key_in(client.get(f"/care/campaigns/{run.pk}/").content.decode())
    second = key_in(client.get(f"/care/campaigns/{run.pk}/").content.decode())
    assert first != second


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("-5", "捐款金额必须大于零，“-5”不符合"),
        ("0", "捐款金额必须大于零"),
        ("12.345", "捐款金额最多保留两位小数（分），“12.345”超过了两位"),
        ("一百", "捐款金额“一百”不是有效的数字"),
        ("", "请填写捐款金额（元）"),
    ],
)
def test_a_bad_amount_is_refused_with_its_reason_and_nothing_is_written(client, amount, message):
    member = member_client(client)
    run = running(member.union)
    response = give(client, run, amount=amount)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Donation.objects.exists()


def test_a_closed_campaign_takes_no_donation_and_says_when_it_closed(client):
    member = member_client(client)
    today = timezone.localdate()
    run = running(
        member.union, opens_on=today - timedelta(days=20), closes_on=today - timedelta(days=1)
    )
    page = client.get(f"/care/campaigns/{run.pk}/").content.decode()
    assert "已截止" in page
    assert "确认捐款" not in page
    data = {"amount": "100", "channel": "wechat", "idempotency_key": "b" * 32}
    response = client.post(f"/care/campaigns/{run.pk}/donate/", data)
    assert response.status_code == 400
    closed = today - timedelta(days=1)
    assert (
        f"本次捐款已于{closed.year}年{closed.month}月{closed.day}日截止"
        in response.content.decode()
    )
    assert not Donation.objects.exists()


def test_an_unknown_channel_is_refused(client):
    member = member_client(client)
    run = running(member.union)
    response = give(client, run, channel="bitcoin")
    assert "所选捐款方式不在可选范围内" in response.content.decode()
    assert not Donation.objects.exists()


def test_a_member_who_has_left_cannot_donate(client):
    member = member_client(client, status=Status.RETIRED)
    run = running(member.union)
    response = give(client, run)
    assert "已不在册" in response.content.decode()
    assert not Donation.objects.exists()


def test_my_donations_lists_only_my_own(client):
    member = member_client(client)
    run = running(member.union, purpose="为灾区募捐")
    today = timezone.localdate()
    donate(run, "66.00", donor=member, on=today)
    donate(run, "77.00", donor=MemberFactory(union=member.union), on=today)
    page = client.get("/care/donations/").content.decode()
    assert "为灾区募捐" in page and "66.00" in page
    assert "77.00" not in page


# What the member received ---------------------------------------------------------------


def test_the_received_page_shows_the_members_own_visits_assistance_gifts_and_school_aid(client):
    member = member_client(client)
    union = member.union
    other = MemberFactory(union=union)
    line = care_line(union)
    visit(union, [member], kind="illness", gift="水果篮")
    visit(union, [other], kind="birth", gift="别人的慰问品")
    mine = services.record_assistance(
        member=member, kind="medical", source="upper", amount=Decimal("800.00"), on=date(2025, 4, 1)
    )
    services.approve_assistance(assistance=mine, actor=staff(union))
    theirs = services.record_assistance(
        member=other, kind="living", source="upper", amount=Decimal("432.10"), on=date(2025, 4, 1)
    )
    services.approve_assistance(assistance=theirs, actor=staff(union))
    services.distribute_gifts(
        union=union,
        occasion="mid_autumn",
        on=date(2025, 9, 1),
        amount_per_person=Decimal("300"),
        members=[member],
        description="月饼",
    )
    aid = services.apply_school_aid(
        member=member,
        child_name="小明",
        school="第一中学",
        grade="高一",
        new_admission=True,
        applied_on=date(2025, 8, 20),
    )
    services.approve_school_aid(
        aid=aid,
        amount=Decimal("1000.00"),
        on=date(2025, 9, 1),
        line=line,
        voucher="记-9",
        actor=staff(union),
    )
    page = client.get("/care/received/").content.decode()
    for text in (
        "生病住院慰问",
        "水果篮",
        "医疗救助",
        "800.00",
        "中秋",
        "月饼",
        "300.00",
        "小明",
        "1000.00",
    ):
        assert text in page, text
    assert "别人的慰问品" not in page
    assert "432.10" not in page


def test_assistance_awaiting_approval_is_not_shown_as_received(client):
    member = member_client(client)
    services.record_assistance(
        member=member, kind="living", source="upper", amount=Decimal("555.00"), on=date(2025, 4, 1)
    )
    assert "555.00" not in client.get("/care/received/").content.decode()


def test_hardship_health_details_never_reach_any_portal_page(client):
    member = member_client(client)
    case(member, health_details="肝癌晚期正在化疗")
    run = running(member.union)
    for url in (
        "/care/",
        "/care/received/",
        "/care/donations/",
        "/care/school-aid/",
        f"/care/campaigns/{run.pk}/",
        "/",
    ):
        assert "肝癌" not in client.get(url).content.decode(), url


# School aid --------------------------------------------------------------------------


def test_a_member_applies_for_school_aid_and_sees_it_pending(client):
    member = member_client(client)
    response = client.post(
        "/care/school-aid/apply/",
        {"child_name": "王小丽", "school": "实验小学", "grade": "一年级", "new_admission": "on"},
    )
    assert response.status_code == 302
    aid = SchoolAid.objects.get()
    assert (aid.member, aid.state, aid.new_admission, aid.applied_on) == (
        member,
        AidState.PENDING,
        True,
        timezone.localdate(),
    )
    page = client.get("/care/school-aid/").content.decode()
    assert "王小丽" in page and "待审批" in page


def test_the_same_child_is_not_applied_for_twice_while_waiting(client):
    member_client(client)
    data = {"child_name": "王小丽", "school": "实验小学", "grade": "一年级"}
    client.post("/care/school-aid/apply/", data)
    response = client.post("/care/school-aid/apply/", data)
    assert response.status_code == 400
    assert "王小丽的助学申请" in response.content.decode()
    assert "正在等待审批，请勿重复申请" in response.content.decode()
    assert SchoolAid.objects.count() == 1


def test_an_application_with_missing_or_overlong_fields_is_refused_and_nothing_written(client):
    member_client(client)
    response = client.post(
        "/care/school-aid/apply/", {"child_name": "", "school": "校" * 81, "grade": "一年级"}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "请填写子女姓名" in page
    assert "学校不能超过80个字" in page
    assert not SchoolAid.objects.exists()


def test_a_childs_name_with_markup_is_shown_as_text(client):
    member_client(client)
    client.post(
        "/care/school-aid/apply/",
        {"child_name": "<script>alert(1)</script>", "school": "实验小学", "grade": "一年级"},
    )
    page = client.get("/care/school-aid/").content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_my_applications_show_the_approved_amount_and_the_declined_reason(client):
    member = member_client(client)
    line = care_line(member.union)
    granted = services.apply_school_aid(
        member=member,
        child_name="大女儿",
        school="第一中学",
        grade="高三",
        new_admission=False,
        applied_on=date(2025, 8, 1),
    )
    services.approve_school_aid(
        aid=granted,
        amount=Decimal("1500.00"),
        on=date(2025, 9, 1),
        line=line,
        voucher="记-3",
        actor=staff(member.union),
    )
    refused = services.apply_school_aid(
        member=member,
        child_name="小儿子",
        school="实验小学",
        grade="三年级",
        new_admission=False,
        applied_on=date(2025, 8, 1),
    )
    services.decline_school_aid(
        aid=refused, on=date(2025, 9, 2), reason="不属于助学范围", actor=staff(member.union)
    )
    page = client.get("/care/school-aid/").content.decode()
    assert "已批准" in page and "1500.00" in page
    assert "未批准" in page and "不属于助学范围" in page


def test_another_members_applications_never_show(client):
    member = member_client(client)
    services.apply_school_aid(
        member=MemberFactory(union=member.union),
        child_name="别人家孩子",
        school="实验小学",
        grade="二年级",
        new_admission=False,
        applied_on=date(2025, 8, 1),
    )
    assert "别人家孩子" not in client.get("/care/school-aid/").content.decode()


# Access ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/care/",
        "/care/donations/",
        "/care/received/",
        "/care/school-aid/",
        "/care/school-aid/apply/",
    ],
)
def test_the_care_pages_need_a_signed_in_member(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_a_staff_account_without_a_member_gets_not_found(client):
    union = UnionFactory()
    client.force_login(staff(union))
    assert client.get("/care/").status_code == 404


def test_the_portal_home_links_to_the_care_pages(client):
    member_client(client)
    assert 'href="/care/"' in client.get("/").content.decode()
