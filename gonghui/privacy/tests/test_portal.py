"""The member's privacy page: purposes, giving and withdrawing consent, and
downloading her own data."""

import io
import json
from datetime import date

import pytest
from openpyxl import load_workbook

from gonghui.care.tests.factories import case
from gonghui.members import services as members
from gonghui.members.models import StatusChange
from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs.models import AccessLog
from gonghui.orgs.roles import Role
from gonghui.orgs.tests.factories import UnionFactory, user_with_role
from gonghui.privacy.models import Consent
from gonghui.privacy.purposes import PURPOSES, Category
from gonghui.women.tests.factories import protection

pytestmark = pytest.mark.django_db


def signed_in(client, **kwargs):
    union = kwargs.pop("union", None) or UnionFactory()
    user = user_with_role(union, Role.MEMBER, password=None)
    member = MemberFactory(union=union, user=user, **kwargs)
    client.force_login(user)
    return member


def test_the_page_shows_every_purpose_text_and_what_she_agreed_to(client):
    member = signed_in(client)
    Consent.objects.create(
        union=member.union,
        member=member,
        category=Category.HARDSHIP,
        purpose_version="2026-11",
        purpose_text=PURPOSES[Category.HARDSHIP].text,
        given_at="2026-01-05T09:00:00+08:00",
        channel="paper",
        paper_reference="同意书-007",
    )
    page = client.get("/privacy/").content.decode()
    for purpose in PURPOSES.values():
        assert purpose.text in page
    assert "同意书-007" in page and "已同意" in page


def test_giving_consent_needs_the_read_box_ticked(client):
    member = signed_in(client)
    response = client.post("/privacy/consent/health/give/", follow=True)
    assert "请先阅读处理目的" in response.content.decode()
    assert not Consent.objects.filter(member=member).exists()


def test_a_member_gives_consent_from_her_phone(client):
    member = signed_in(client)
    response = client.post("/privacy/consent/health/give/", {"read": "yes"}, follow=True)
    assert "您已同意工会处理您的健康信息" in response.content.decode()
    assert Consent.objects.get(member=member).category == Category.HEALTH


def test_a_member_withdraws_her_consent(client):
    member = signed_in(client)
    client.post("/privacy/consent/four_period/give/", {"read": "yes"})
    response = client.post("/privacy/consent/four_period/withdraw/", follow=True)
    assert "您已撤回对女职工四期信息的同意" in response.content.decode()
    assert Consent.objects.get(member=member).withdrawn_at is not None


def test_withdrawing_without_a_consent_says_so(client):
    signed_in(client)
    response = client.post("/privacy/consent/health/withdraw/", follow=True)
    assert "无需撤回" in response.content.decode()


def test_an_unknown_category_is_not_found(client):
    signed_in(client)
    assert client.post("/privacy/consent/salary/give/", {"read": "yes"}).status_code == 404


def test_giving_consent_by_get_is_not_allowed(client):
    signed_in(client)
    assert client.get("/privacy/consent/health/give/").status_code == 405


def test_a_visitor_is_sent_to_sign_in(client):
    response = client.get("/privacy/my-data.json")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_a_staff_account_without_a_member_record_gets_not_found(client):
    client.force_login(user_with_role(UnionFactory(), Role.CHAIR))
    assert client.get("/privacy/my-data.json").status_code == 404


def test_the_json_copy_holds_her_full_id_number_phone_and_sensitive_records(client):
    member = signed_in(client, gender="F")
    case(member, health_details="慢性肾病")
    protection(member, arrangements="调离夜班岗位")
    response = client.get("/privacy/my-data.json")
    assert "no-store" in response["Cache-Control"]
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)["内容"]
    assert data["会员信息"][0]["身份证号"] == member.id_number
    assert data["会员信息"][0]["手机号码"] == member.phone
    assert data["困难职工档案"][0]["健康状况"] == "慢性肾病"
    assert data["四期保护记录"][0]["工作调整安排"] == "调离夜班岗位"
    assert {c["信息类别"] for c in data["个人信息单独同意"]} >= {"困难帮扶信息", "健康信息"}


def test_the_copy_leaves_out_internal_keys(client):
    member = signed_in(client)
    text = client.get("/privacy/my-data.json").content.decode()
    assert member.id_number_digest not in text
    assert "search_text" not in text


def test_the_copy_never_holds_another_members_records(client):
    member = signed_in(client)
    other = MemberFactory(union=member.union)
    case(other, health_details="别人的病情")
    text = client.get("/privacy/my-data.json").content.decode()
    assert "别人的病情" not in text and other.id_number not in text


def test_the_excel_copy_has_a_sheet_per_kind_of_record(client):
    member = signed_in(client)
    case(member, health_details="慢性肾病")
    response = client.get("/privacy/my-data.xlsx")
    book = load_workbook(io.BytesIO(response.content))
    assert {"会员信息", "困难职工档案", "个人信息单独同意"} <= set(book.sheetnames)
    sheet = book["会员信息"]
    header = [c.value for c in sheet[1]]
    assert sheet.cell(row=2, column=header.index("身份证号") + 1).value == member.id_number


def test_downloading_the_copy_is_logged_as_a_reveal(client):
    member = signed_in(client)
    client.get("/privacy/my-data.xlsx")
    log = AccessLog.objects.get()
    assert log.user == member.user and log.reason == "本人下载个人信息副本"
    assert log.object_type == "member" and log.object_id == str(member.pk)


def test_control_characters_and_formulas_in_a_record_are_written_as_plain_text(client):
    member = signed_in(client)
    StatusChange.objects.create(
        union=member.union,
        member=member,
        to_status="active",
        on=date(2020, 3, 1),
        reason="=1+1\x01入会",
    )
    response = client.get("/privacy/my-data.xlsx")
    sheet = load_workbook(io.BytesIO(response.content))["会籍变动"]
    assert "'=1+1入会" in [c.value for c in sheet[2]]


def test_she_sees_who_opened_her_sensitive_values_and_why(client):
    member = signed_in(client)
    chair = user_with_role(member.union, Role.CHAIR, display_name="李主席")
    members.reveal(member=member, field="id_number", reason="办理医保转移", user=chair)
    other = MemberFactory(union=member.union)
    members.reveal(member=other, field="phone", reason="别人的理由", user=chair)
    page = client.get("/privacy/").content.decode()
    assert "办理医保转移" in page and "李主席" in page
    assert "别人的理由" not in page
