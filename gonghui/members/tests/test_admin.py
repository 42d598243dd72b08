from datetime import date

import pytest
from django.urls import reverse

from gonghui import idcard
from gonghui.members import services
from gonghui.members.models import Member, Status
from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs.models import AccessLog, UnionKind
from gonghui.orgs.roles import Role
from gonghui.orgs.tests.factories import (
    DepartmentFactory,
    GroupFactory,
    UnionFactory,
    UserFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db

ROSTER = "admin:members_member_changelist"


def _change_url(member):
    return reverse("admin:members_member_change", args=[member.pk])


def _signed_in(client, user):
    client.force_login(user)
    return client


# Roster list -----------------------------------------------------------------------


def test_the_roster_lists_masked_phone_and_id_number_and_never_the_plain_values(client):
    member = MemberFactory(name="张三")
    response = _signed_in(client, user_with_role(member.union)).get(reverse(ROSTER))
    html = response.content.decode()
    assert response.status_code == 200
    assert member.id_number_masked in html
    assert member.phone_masked in html
    assert member.id_number not in html
    assert member.phone not in html


def test_searching_pinyin_initials_finds_the_member(client):
    union = UnionFactory()
    MemberFactory(union=union, name="张三")
    MemberFactory(union=union, name="李四")
    response = _signed_in(client, user_with_role(union)).get(reverse(ROSTER), {"q": "zs"})
    names = [m.name for m in response.context["cl"].result_list]
    assert names == ["张三"]


def test_searching_full_pinyin_finds_the_member(client):
    union = UnionFactory()
    MemberFactory(union=union, name="王芳")
    MemberFactory(union=union, name="李四")
    response = _signed_in(client, user_with_role(union)).get(reverse(ROSTER), {"q": "wangfang"})
    assert [m.name for m in response.context["cl"].result_list] == ["王芳"]


def test_searching_an_exact_id_number_finds_the_member_through_its_digest(client):
    union = UnionFactory()
    wanted = MemberFactory(union=union)
    MemberFactory.create_batch(3, union=union)
    response = _signed_in(client, user_with_role(union)).get(
        reverse(ROSTER), {"q": wanted.id_number.lower()}
    )
    assert list(response.context["cl"].result_list) == [wanted]


def test_the_age_band_filter_keeps_members_in_that_band(client):
    union = UnionFactory()
    today = date.today()
    young = MemberFactory(union=union, birth_date=date(today.year - 25, 1, 1))
    MemberFactory(union=union, birth_date=date(today.year - 45, 1, 1))
    response = _signed_in(client, user_with_role(union)).get(reverse(ROSTER), {"age": "lt30"})
    assert list(response.context["cl"].result_list) == [young]


def test_the_join_year_filter_keeps_members_who_joined_that_year(client):
    union = UnionFactory()
    recent = MemberFactory(union=union, joined_on=date(2023, 6, 1))
    MemberFactory(union=union, joined_on=date(2020, 3, 1))
    response = _signed_in(client, user_with_role(union)).get(reverse(ROSTER), {"joined": "2023"})
    assert list(response.context["cl"].result_list) == [recent]


def test_the_group_filter_offers_only_the_users_own_groups(client):
    union, other = UnionFactory(), UnionFactory()
    GroupFactory(union=union, name="后勤组")
    GroupFactory(union=other, name="别人的小组")
    html = _signed_in(client, user_with_role(union)).get(reverse(ROSTER)).content.decode()
    assert "后勤组" in html
    assert "别人的小组" not in html


def test_the_roster_paginator_counts_exactly_when_the_end_is_near():
    from gonghui.members.admin import CappedPaginator

    union = UnionFactory()
    MemberFactory.create_batch(5, union=union)
    paginator = CappedPaginator(Member.objects.filter(union=union).order_by("pk"), 2)
    assert (paginator.count, paginator.capped) == (5, False)
    assert len(paginator.page(1).object_list) == 2


def test_the_roster_paginator_stops_counting_a_few_pages_ahead():
    from gonghui.members.admin import CappedPaginator

    union = UnionFactory()
    members = MemberFactory.create_batch(25, union=union)
    paginator = CappedPaginator(Member.objects.filter(union=union).order_by("pk"), 2, wanted_page=3)
    assert (paginator.count, paginator.capped) == (4 + 2 * 10, True)
    assert list(paginator.page(3).object_list) == members[4:6]


def test_a_roster_page_takes_the_same_number_of_queries_for_10_or_40_members(
    client, django_assert_max_num_queries
):
    union = UnionFactory()
    group = GroupFactory(union=union)
    MemberFactory.create_batch(10, union=union, group=group)
    client = _signed_in(client, user_with_role(union))
    client.get(reverse(ROSTER))  # warm the session and caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get(reverse(ROSTER))
    MemberFactory.create_batch(30, union=union, group=group)
    with CaptureQueriesContext(connection) as large:
        client.get(reverse(ROSTER))
    assert len(large) == len(small)


# Permissions -----------------------------------------------------------------------


def test_a_liaison_can_view_a_member_but_not_change_them(client):
    member = MemberFactory()
    client = _signed_in(client, user_with_role(member.union, Role.LIAISON))
    response = client.get(_change_url(member))
    assert response.status_code == 200
    assert not response.context["has_change_permission"]
    response = client.post(_change_url(member), {"name": "改名"})
    assert response.status_code == 403
    member.refresh_from_db()
    assert member.name != "改名"


def test_a_view_only_page_shows_the_id_number_masked(client):
    member = MemberFactory()
    client = _signed_in(client, user_with_role(member.union, Role.LIAISON))
    html = client.get(_change_url(member)).content.decode()
    assert member.id_number_masked in html
    assert member.id_number not in html
    assert "查看完整号码" not in html


def test_upper_union_staff_see_the_subtree_roster_read_only(client):
    district = UnionFactory(kind=UnionKind.FEDERATION)
    school = UnionFactory(parent=district)
    member = MemberFactory(union=school)
    client = _signed_in(client, user_with_role(district, Role.UPPER_STAFF))
    listing = client.get(reverse(ROSTER))
    assert list(listing.context["cl"].result_list) == [member]
    page = client.get(_change_url(member))
    assert page.status_code == 200
    assert not page.context["has_change_permission"]
    assert client.get(reverse("admin:members_member_add")).status_code == 403


def test_a_chair_gets_404_for_another_unions_member_page_without_its_name(client):
    mine, theirs = UnionFactory(), UnionFactory()
    stranger = MemberFactory(union=theirs, name="外单位人")
    client = _signed_in(client, user_with_role(mine))
    response = client.get(_change_url(stranger))
    assert response.status_code == 404
    assert "外单位人" not in response.content.decode()


def test_a_chair_does_not_see_another_unions_members_in_the_roster(client):
    mine, theirs = UnionFactory(), UnionFactory()
    MemberFactory(union=theirs)
    response = _signed_in(client, user_with_role(mine)).get(reverse(ROSTER))
    assert list(response.context["cl"].result_list) == []


def test_a_superuser_without_roles_sees_no_union_data(client):
    MemberFactory()
    admin = UserFactory(is_staff=True, is_superuser=True)
    client = _signed_in(client, admin)
    assert client.get(reverse(ROSTER)).status_code == 403
    index = client.get(reverse("admin:index"))
    assert "会员名册" not in index.content.decode()


# Member page ---------------------------------------------------------------------


def _form_data(member=None, **over):
    data = {
        "name": "王五",
        "id_number": idcard.make("330206", date(1988, 8, 8), 5, "M"),
        "phone": "13900001111",
        "gender": "",
        "birth_date": "",
        "employee_number": "",
        "department": "",
        "group": "",
        "position": "",
        "education": "",
        "political_status": "",
        "ethnicity": "汉族",
        "joined_on": "2021-04-01",
    }
    data.update(over)
    return data


def test_adding_a_member_goes_through_the_service_and_records_joining(client):
    union = UnionFactory()
    client = _signed_in(client, user_with_role(union))
    response = client.post(reverse("admin:members_member_add"), _form_data(union=union.pk))
    assert response.status_code == 302
    member = Member.objects.get(name="王五")
    assert member.name_initials == "ww"
    assert member.status_changes.get().reason == "入会"


def test_a_bad_id_number_is_shown_in_chinese_next_to_the_field_and_nothing_is_written(client):
    union = UnionFactory()
    client = _signed_in(client, user_with_role(union))
    response = client.post(
        reverse("admin:members_member_add"),
        _form_data(union=union.pk, id_number="330206198808080000"),
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["id_number"]
    assert not Member.objects.exists()


def test_a_group_of_another_union_is_refused_on_the_member_form(client):
    union, other = UnionFactory(), UnionFactory()
    foreign_group = GroupFactory(union=other)
    client = _signed_in(client, user_with_role(union))
    response = client.post(
        reverse("admin:members_member_add"), _form_data(union=union.pk, group=foreign_group.pk)
    )
    assert "group" in response.context["adminform"].form.errors
    assert not Member.objects.exists()


def test_the_member_form_lists_only_the_unions_own_departments(client):
    union, other = UnionFactory(), UnionFactory()
    DepartmentFactory(union=union, name="教务处")
    DepartmentFactory(union=other, name="外单位部门")
    member = MemberFactory(union=union)
    html = _signed_in(client, user_with_role(union)).get(_change_url(member)).content.decode()
    assert "教务处" in html
    assert "外单位部门" not in html


def test_editing_a_member_with_the_id_number_left_empty_keeps_it(client):
    member = MemberFactory(name="张三")
    client = _signed_in(client, user_with_role(member.union))
    response = client.post(
        _change_url(member),
        _form_data(
            id_number="",
            phone="",
            name="张三丰",
            joined_on=member.joined_on.isoformat(),
            gender=member.gender,
            birth_date=member.birth_date.isoformat(),
        ),
    )
    assert response.status_code == 302
    stored = Member.objects.get(pk=member.pk)
    assert stored.name == "张三丰"
    assert stored.id_number == member.id_number


def test_the_member_page_shows_status_changes_and_the_audit_log(client):
    union = UnionFactory()
    chair = user_with_role(union)
    member = services.create_member(
        union=union,
        actor=chair,
        name="赵六",
        id_number=idcard.make("330206", date(1980, 1, 2), 7, "M"),
        joined_on=date(2015, 1, 1),
    )
    services.change_status(
        member=member, to=Status.RETIRED, on=date(2024, 1, 31), reason="到龄退休", actor=chair
    )
    html = _signed_in(client, chair).get(_change_url(member)).content.decode()
    assert "到龄退休" in html
    assert 'id="change-log"' in html
    assert member.id_number not in html


def test_changing_status_records_the_change_through_the_service(client):
    member = MemberFactory()
    client = _signed_in(client, user_with_role(member.union))
    response = client.post(
        reverse("admin:members_member_status", args=[member.pk]),
        {"to": Status.TRANSFERRED, "on": "2024-05-01", "reason": "调往区教育局"},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.status == Status.TRANSFERRED
    assert member.left_on == date(2024, 5, 1)


def test_a_status_change_dated_before_joining_shows_the_services_message(client):
    member = MemberFactory(joined_on=date(2020, 3, 1))
    client = _signed_in(client, user_with_role(member.union))
    response = client.post(
        reverse("admin:members_member_status", args=[member.pk]),
        {"to": Status.RETIRED, "on": "2019-01-01", "reason": "退休"},
    )
    assert "变动日期不能早于入会日期" in response.content.decode()


def test_a_liaison_cannot_change_a_members_status(client):
    member = MemberFactory()
    client = _signed_in(client, user_with_role(member.union, Role.LIAISON))
    response = client.post(
        reverse("admin:members_member_status", args=[member.pk]),
        {"to": Status.RETIRED, "on": "2024-01-01", "reason": "退休"},
    )
    assert response.status_code == 403


# Reveal --------------------------------------------------------------------------


def _reveal_url(member, field="id_number"):
    return reverse("admin:members_member_reveal", args=[member.pk, field])


def test_revealing_with_a_reason_shows_the_full_number_and_logs_it(client):
    member = MemberFactory()
    chair = user_with_role(member.union)
    response = _signed_in(client, chair).post(_reveal_url(member), {"reason": "办理互助保障"})
    assert member.id_number in response.content.decode()
    log = AccessLog.objects.get()
    assert (log.user, log.reason, log.field) == (chair, "办理互助保障", "身份证号")


def test_the_revealed_number_is_not_shown_again_on_the_member_page(client):
    member = MemberFactory()
    client = _signed_in(client, user_with_role(member.union))
    client.post(_reveal_url(member), {"reason": "办理互助保障"})
    assert member.id_number not in client.get(_change_url(member)).content.decode()


def test_revealing_without_a_reason_is_refused_and_not_logged(client):
    member = MemberFactory()
    response = _signed_in(client, user_with_role(member.union)).post(
        _reveal_url(member), {"reason": ""}
    )
    assert member.id_number not in response.content.decode()
    assert "查看理由" in response.content.decode()
    assert not AccessLog.objects.exists()


def test_revealing_without_the_permission_is_forbidden(client):
    member = MemberFactory()
    client = _signed_in(client, user_with_role(member.union, Role.COMMITTEE))
    response = client.post(_reveal_url(member), {"reason": "想看看"})
    assert response.status_code == 403
    assert not AccessLog.objects.exists()


def test_the_reveal_button_is_shown_only_with_the_permission(client):
    member = MemberFactory()
    chair_page = _signed_in(client, user_with_role(member.union)).get(_change_url(member))
    assert "查看完整号码" in chair_page.content.decode()
    client.logout()
    committee = user_with_role(member.union, Role.COMMITTEE)
    committee_page = _signed_in(client, committee).get(_change_url(member))
    assert "查看完整号码" not in committee_page.content.decode()


def test_revealing_another_unions_member_gives_404(client):
    stranger = MemberFactory()
    client = _signed_in(client, user_with_role(UnionFactory()))
    assert client.post(_reveal_url(stranger), {"reason": "看看"}).status_code == 404


# Export ----------------------------------------------------------------------------


def _export(client, members, **extra):
    data = {
        "action": "export_excel",
        "_selected_action": [m.pk for m in members],
        "index": 0,
        "select_across": 0,
        **extra,
    }
    return client.post(reverse(ROSTER), data)


def test_exporting_asks_first_then_sends_a_workbook_with_masked_numbers(client):
    import io

    from openpyxl import load_workbook

    member = MemberFactory()
    client = _signed_in(client, user_with_role(member.union))
    assert "导出Excel" in _export(client, [member]).content.decode()
    response = _export(client, [member], confirm_export="1")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    cells = [c for row in load_workbook(io.BytesIO(response.content)).active.values for c in row]
    assert member.id_number_masked in cells
    assert member.id_number not in cells
    assert not AccessLog.objects.exists()


def test_exporting_full_numbers_needs_a_reason_and_writes_an_access_log(client):
    member = MemberFactory()
    client = _signed_in(client, user_with_role(member.union))
    refused = _export(client, [member], confirm_export="1", reveal="on", reason="")
    assert "请填写理由" in refused.content.decode()
    response = _export(client, [member], confirm_export="1", reveal="on", reason="上报区总工会")
    assert response.status_code == 200
    assert AccessLog.objects.get().reason == "上报区总工会"


def test_a_committee_member_cannot_export_full_numbers(client):
    member = MemberFactory()
    client = _signed_in(client, user_with_role(member.union, Role.COMMITTEE))
    response = _export(client, [member], confirm_export="1", reveal="on", reason="上报")
    assert "没有查看所选会员完整号码的权限" in response.content.decode()
    assert not AccessLog.objects.exists()


# Applications -------------------------------------------------------------------------


def _application(union, name="孙七"):
    return services.submit_application(
        union=union,
        name=name,
        id_number=idcard.make("330206", date(1992, 2, 2), 3, "F"),
        phone_number="13700002222",
        department=None,
        consent=True,
    )


def test_pending_applications_are_listed_by_default(client):
    union = UnionFactory()
    pending = _application(union)
    response = _signed_in(client, user_with_role(union)).get(
        reverse("admin:members_application_changelist")
    )
    assert list(response.context["cl"].result_list) == [pending]


def test_approving_an_application_creates_the_member_in_the_chosen_group(client):
    union = UnionFactory()
    group = GroupFactory(union=union)
    application = _application(union)
    client = _signed_in(client, user_with_role(union))
    response = client.post(
        reverse("admin:members_application_approve", args=[application.pk]), {"group": group.pk}
    )
    assert response.status_code == 302
    assert Member.objects.get(name="孙七").group == group


def test_approving_a_duplicate_shows_the_services_message(client):
    union = UnionFactory()
    application = _application(union)
    MemberFactory(union=union, id_number=application.id_number, status=Status.RETIRED)
    client = _signed_in(client, user_with_role(union))
    response = client.post(
        reverse("admin:members_application_approve", args=[application.pk]), {"group": ""}
    )
    assert "该身份证号已在本工会会员名册中" in response.content.decode()
    application.refresh_from_db()
    assert application.state == "pending"


def test_declining_needs_a_reason(client):
    union = UnionFactory()
    application = _application(union)
    client = _signed_in(client, user_with_role(union))
    url = reverse("admin:members_application_decline", args=[application.pk])
    assert client.post(url, {"reason": ""}).status_code == 200
    assert client.post(url, {"reason": "非本单位职工"}).status_code == 302
    application.refresh_from_db()
    assert application.decline_reason == "非本单位职工"


def test_a_liaison_cannot_decide_applications(client):
    union = UnionFactory()
    application = _application(union)
    client = _signed_in(client, user_with_role(union, Role.LIAISON))
    url = reverse("admin:members_application_approve", args=[application.pk])
    assert client.post(url, {"group": ""}).status_code in (403, 404)
