"""The back-office privacy screens: paper consents, the members due for
anonymisation, anonymising one, and the access-log review with its export."""

import io
from datetime import date, timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from gonghui import idcard
from gonghui.members import services as members
from gonghui.members.models import Status
from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs.models import AccessLog
from gonghui.orgs.roles import Role
from gonghui.orgs.tests.factories import UnionFactory, user_with_role
from gonghui.privacy.models import Anonymisation, Consent, PrivacySettings
from gonghui.privacy.tests.factories import ConsentFactory

pytestmark = pytest.mark.django_db


def signed_in(client, union, role=Role.CHAIR):
    user = user_with_role(union, role)
    client.force_login(user)
    return user


def gone(union, *, name="郑红", left_on=date(2015, 6, 30), seq=1):
    member = members.create_member(
        union=union,
        name=name,
        id_number=idcard.make("330206", date(1970, 5, 5), seq, "F"),
        gender="F",
        joined_on=date(1995, 9, 1),
    )
    members.change_status(member=member, to=Status.RETIRED, on=left_on, reason="退休")
    return member


# Paper consents ---------------------------------------------------------------------


def test_a_chair_records_a_paper_consent_by_employee_number(client):
    member = MemberFactory(employee_number="T-088")
    signed_in(client, member.union)
    response = client.post(
        "/admin/privacy/paper-consent/",
        {
            "union": member.union.pk,
            "member": "T-088",
            "category": "hardship",
            "paper_reference": "同意书-2026-015",
            "signed_on": "2026-11-20",
        },
    )
    assert response.status_code == 302
    consent = Consent.objects.get()
    assert (consent.member, consent.channel, consent.signed_on) == (
        member,
        "paper",
        date(2026, 11, 20),
    )


def test_the_consent_list_add_button_opens_the_paper_consent_form(client):
    signed_in(client, UnionFactory())
    page = client.get("/admin/privacy/consent/add/").content.decode()
    assert "纸质同意书编号" in page and "告知的处理目的" in page


def test_a_paper_consent_for_an_unknown_member_shows_the_message_and_writes_nothing(client):
    union = UnionFactory()
    signed_in(client, union)
    page = client.post(
        "/admin/privacy/paper-consent/",
        {
            "union": union.pk,
            "member": "查无此人",
            "category": "hardship",
            "paper_reference": "同意书-1",
            "signed_on": "2026-11-20",
        },
    ).content.decode()
    assert "本工会中没有“查无此人”" in page
    assert not Consent.objects.exists()


def test_a_paper_consent_form_with_a_bad_category_and_date_is_refused(client):
    member = MemberFactory(employee_number="T-1")
    signed_in(client, member.union)
    page = client.post(
        "/admin/privacy/paper-consent/",
        {
            "union": member.union.pk,
            "member": "T-1",
            "category": "salary",
            "paper_reference": "同意书-1",
            "signed_on": "2026-13-45",
        },
    ).content.decode()
    assert "salary" in page and "选择一个有效的选项" in page
    assert not Consent.objects.exists()


def test_a_paper_consent_for_another_unions_member_is_refused(client):
    other = MemberFactory(employee_number="T-9")
    union = UnionFactory()
    signed_in(client, union)
    response = client.post(
        "/admin/privacy/paper-consent/",
        {
            "union": other.union.pk,
            "member": "T-9",
            "category": "hardship",
            "paper_reference": "同意书-1",
            "signed_on": "2026-11-20",
        },
    )
    assert response.status_code == 200
    assert not Consent.objects.exists()


def test_a_liaison_may_not_open_the_paper_consent_form(client):
    signed_in(client, UnionFactory(), Role.LIAISON)
    assert client.get("/admin/privacy/paper-consent/").status_code == 403


def test_a_cadre_records_a_written_withdrawal(client):
    consent = ConsentFactory()
    signed_in(client, consent.union)
    response = client.post(f"/admin/privacy/consents/{consent.pk}/withdraw/")
    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None and consent.withdrawn_channel == "paper"


def test_another_unions_consent_is_not_found(client):
    consent = ConsentFactory()
    signed_in(client, UnionFactory())
    assert client.post(f"/admin/privacy/consents/{consent.pk}/withdraw/").status_code == 404
    assert client.get(f"/admin/privacy/consent/{consent.pk}/change/").status_code == 404
    consent.refresh_from_db()
    assert consent.withdrawn_at is None


# Due list and anonymising -----------------------------------------------------------


def test_the_due_page_lists_members_past_the_retention_period(client):
    union = UnionFactory()
    gone(union, name="郑红")
    gone(union, name="许静", left_on=timezone.localdate() - timedelta(days=30), seq=2)
    signed_in(client, union)
    page = client.get("/admin/privacy/due/").content.decode()
    assert "郑红" in page and "许静" not in page


def test_the_chair_sets_the_retention_period(client):
    union = UnionFactory()
    signed_in(client, union)
    response = client.post("/admin/privacy/due/", {"union": union.pk, "retention_years": "3"})
    assert response.status_code == 302
    assert PrivacySettings.objects.get(union=union).retention_years == 3


@pytest.mark.parametrize("years", ["0", "101", "三年", ""])
def test_a_bad_retention_period_is_refused_in_chinese(client, years):
    union = UnionFactory()
    signed_in(client, union)
    page = client.post(
        "/admin/privacy/due/", {"union": union.pk, "retention_years": years}
    ).content.decode()
    assert "离会后保存年限" in page and ("1至100之间的整数" in page or "请填写" in page)
    assert not PrivacySettings.objects.exists()


def test_the_chair_anonymises_a_member_from_the_due_page(client):
    union = UnionFactory()
    member = gone(union)
    signed_in(client, union)
    response = client.post(
        f"/admin/privacy/members/{member.pk}/anonymise/", {"confirm": "匿名化"}, follow=True
    )
    assert "已将郑红匿名化为“已匿名会员1”" in response.content.decode()
    member.refresh_from_db()
    assert member.name == "已匿名会员1"


def test_anonymising_without_typing_the_confirmation_changes_nothing(client):
    union = UnionFactory()
    member = gone(union)
    signed_in(client, union)
    page = client.post(
        f"/admin/privacy/members/{member.pk}/anonymise/", {"confirm": "yes"}, follow=True
    ).content.decode()
    assert "请在确认框中输入“匿名化”" in page
    assert not Anonymisation.objects.exists()


def test_anonymising_a_current_member_from_the_page_is_refused(client):
    member = MemberFactory(name="在册")
    signed_in(client, member.union)
    page = client.post(
        f"/admin/privacy/members/{member.pk}/anonymise/", {"confirm": "匿名化"}, follow=True
    ).content.decode()
    assert "仍在册" in page
    assert not Anonymisation.objects.exists()


def test_anonymising_another_unions_member_is_not_found(client):
    member = gone(UnionFactory())
    signed_in(client, UnionFactory())
    response = client.post(f"/admin/privacy/members/{member.pk}/anonymise/", {"confirm": "匿名化"})
    assert response.status_code == 404
    member.refresh_from_db()
    assert member.name == "郑红"


def test_a_committee_member_may_not_open_the_due_page(client):
    signed_in(client, UnionFactory(), Role.COMMITTEE)
    assert client.get("/admin/privacy/due/").status_code == 403


# Access log review ------------------------------------------------------------------


def _reveal(member, user, field="id_number", reason="核对身份"):
    members.reveal(member=member, field=field, reason=reason, user=user)


def test_the_chair_reviews_who_revealed_what_and_why(client):
    union = UnionFactory()
    member = MemberFactory(union=union, name="冯丽")
    clerk = user_with_role(union, Role.CHAIR, display_name="办公室王干事")
    _reveal(member, clerk, reason="办理医保转移")
    signed_in(client, union)
    page = client.get("/admin/privacy/access-log/").content.decode()
    assert "办公室王干事" in page and "冯丽" in page and "身份证号" in page
    assert "办理医保转移" in page


def test_the_review_filters_by_person_field_and_date(client):
    union = UnionFactory()
    member = MemberFactory(union=union, name="冯丽")
    other = MemberFactory(union=union, name="蒋欣")
    clerk = user_with_role(union, Role.CHAIR, display_name="王干事")
    _reveal(member, clerk, field="id_number", reason="理由甲")
    _reveal(other, clerk, field="phone", reason="理由乙")
    AccessLog.objects.filter(reason="理由乙").update(at=timezone.now() - timedelta(days=40))
    signed_in(client, union)
    by_subject = client.get("/admin/privacy/access-log/", {"subject": "冯"}).content.decode()
    assert "理由甲" in by_subject and "理由乙" not in by_subject
    by_field = client.get("/admin/privacy/access-log/", {"field": "手机号码"}).content.decode()
    assert "理由乙" in by_field and "理由甲" not in by_field
    since = (timezone.localdate() - timedelta(days=7)).isoformat()
    by_date = client.get("/admin/privacy/access-log/", {"since": since}).content.decode()
    assert "理由甲" in by_date and "理由乙" not in by_date
    by_viewer = client.get("/admin/privacy/access-log/", {"viewer": "李"}).content.decode()
    assert "理由甲" not in by_viewer


def test_a_reversed_date_range_is_refused_in_chinese(client):
    signed_in(client, UnionFactory())
    page = client.get(
        "/admin/privacy/access-log/", {"since": "2026-05-01", "until": "2026-01-01"}
    ).content.decode()
    assert "截止日期不能早于起始日期" in page


def test_a_malformed_date_is_refused_in_chinese(client):
    signed_in(client, UnionFactory())
    page = client.get("/admin/privacy/access-log/", {"since": "昨天"}).content.decode()
    assert "起始日期格式不正确" in page


def test_the_review_exports_the_filtered_rows_to_excel(client):
    union = UnionFactory()
    member = MemberFactory(union=union, name="冯丽")
    clerk = user_with_role(union, Role.CHAIR, display_name="王干事")
    _reveal(member, clerk, reason='=HYPERLINK("x")')
    _reveal(member, clerk, field="phone", reason="联系")
    signed_in(client, union)
    response = client.get("/admin/privacy/access-log/", {"field": "身份证号", "export": "xlsx"})
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert len(rows) == 1
    assert rows[0][4] == "冯丽" and rows[0][5] == "身份证号"
    assert rows[0][8] == '\'=HYPERLINK("x")'


def test_another_unions_reveals_never_show_in_the_review(client):
    other = UnionFactory()
    _reveal(MemberFactory(union=other, name="别会会员"), user_with_role(other), reason="他会理由")
    signed_in(client, UnionFactory())
    page = client.get("/admin/privacy/access-log/").content.decode()
    assert "他会理由" not in page
    export = client.get("/admin/privacy/access-log/", {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(export.content)).active
    assert sheet.max_row == 2


@pytest.mark.parametrize("role", [Role.COMMITTEE, Role.WOMEN, Role.UPPER_STAFF, Role.AUDIT])
def test_only_chairs_review_the_access_log(client, role):
    signed_in(client, UnionFactory(), role)
    assert client.get("/admin/privacy/access-log/").status_code == 403
