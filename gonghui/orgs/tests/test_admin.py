import pytest
from django.urls import reverse

from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs.models import AccessLog, Department, Group, RoleAssignment, UnionKind, User
from gonghui.orgs.roles import Role
from gonghui.orgs.tests.factories import (
    DepartmentFactory,
    GroupFactory,
    TermFactory,
    UnionFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db


def _signed_in(client, user):
    client.force_login(user)
    return client


# Unions ----------------------------------------------------------------------------


def test_a_chair_edits_their_own_unions_details(client):
    union = UnionFactory(name="实验小学工会")
    client = _signed_in(client, user_with_role(union))
    response = client.post(
        reverse("admin:orgs_union_change", args=[union.pk]),
        {"name": "实验小学工会委员会", "kind": union.kind, "headcount": 120, "credit_code": ""},
    )
    assert response.status_code == 302
    union.refresh_from_db()
    assert (union.name, union.headcount) == ("实验小学工会委员会", 120)


def test_a_wrong_credit_code_is_refused_next_to_the_field(client):
    union = UnionFactory()
    client = _signed_in(client, user_with_role(union))
    response = client.post(
        reverse("admin:orgs_union_change", args=[union.pk]),
        {"name": union.name, "kind": union.kind, "headcount": 100, "credit_code": "123"},
    )
    assert "credit_code" in response.context["adminform"].form.errors


def test_upper_union_staff_see_the_subtree_but_cannot_edit_it(client):
    district = UnionFactory(kind=UnionKind.FEDERATION)
    school = UnionFactory(parent=district, name="下级学校工会")
    UnionFactory(name="别的区的学校")
    client = _signed_in(client, user_with_role(district, Role.UPPER_STAFF))
    listing = client.get(reverse("admin:orgs_union_changelist"))
    assert set(listing.context["cl"].result_list) == {district, school}
    page = client.get(reverse("admin:orgs_union_change", args=[school.pk]))
    assert not page.context["has_change_permission"]


def test_a_chair_gets_404_for_another_unions_page(client):
    other = UnionFactory(name="别人的工会")
    client = _signed_in(client, user_with_role(UnionFactory()))
    response = client.get(reverse("admin:orgs_union_change", args=[other.pk]))
    assert response.status_code == 404
    assert "别人的工会" not in response.content.decode()


# Departments and groups --------------------------------------------------------------


def test_a_chair_adds_a_department_through_the_service(client):
    union = UnionFactory()
    client = _signed_in(client, user_with_role(union))
    response = client.post(
        reverse("admin:orgs_department_add"), {"union": union.pk, "name": "后勤处"}
    )
    assert response.status_code == 302
    assert Department.objects.get().union == union


def test_a_department_cannot_be_added_to_another_union(client):
    union, other = UnionFactory(), UnionFactory()
    client = _signed_in(client, user_with_role(union))
    response = client.post(
        reverse("admin:orgs_department_add"), {"union": other.pk, "name": "后勤处"}
    )
    assert "union" in response.context["adminform"].form.errors
    assert not Department.objects.exists()


def test_a_liaison_can_view_groups_but_not_change_them(client):
    group = GroupFactory()
    client = _signed_in(client, user_with_role(group.union, Role.LIAISON))
    url = reverse("admin:orgs_group_change", args=[group.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"name": "改名"}).status_code == 403


def test_the_group_form_offers_only_departments_of_the_groups_union(client):
    group = GroupFactory()
    DepartmentFactory(union=group.union, name="本单位部门")
    DepartmentFactory(name="外单位部门")
    client = _signed_in(client, user_with_role(group.union))
    html = client.get(reverse("admin:orgs_group_change", args=[group.pk])).content.decode()
    assert "本单位部门" in html
    assert "外单位部门" not in html


def test_a_leader_from_another_union_is_refused(client):
    group = GroupFactory()
    stranger = MemberFactory()
    client = _signed_in(client, user_with_role(group.union))
    response = client.post(
        reverse("admin:orgs_group_change", args=[group.pk]),
        {"union": group.union.pk, "name": group.name, "leader": stranger.pk},
    )
    assert "leader" in response.context["adminform"].form.errors
    assert Group.objects.get(pk=group.pk).leader is None


def test_the_leader_autocomplete_lists_only_the_chairs_own_members(client):
    group = GroupFactory()
    MemberFactory(union=group.union, name="张三")
    MemberFactory(name="张三丰")
    client = _signed_in(client, user_with_role(group.union))
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "orgs", "model_name": "group", "field_name": "leader", "term": "zs"},
    )
    assert [r["text"] for r in response.json()["results"]] == ["张三"]


# Terms and posts --------------------------------------------------------------------


def test_posts_are_appointed_on_the_terms_page(client):
    term = TermFactory()
    member = MemberFactory(union=term.union)
    client = _signed_in(client, user_with_role(term.union))
    response = client.post(
        reverse("admin:orgs_term_change", args=[term.pk]),
        {
            "union": term.union.pk,
            "number": term.number,
            "starts_on": term.starts_on.isoformat(),
            "ends_on": "",
            "posts-TOTAL_FORMS": "1",
            "posts-INITIAL_FORMS": "0",
            "posts-0-kind": "chair",
            "posts-0-member": member.pk,
        },
    )
    assert response.status_code == 302
    post = term.posts.get()
    assert (post.member, post.union) == (member, term.union)


# Accounts ---------------------------------------------------------------------------


def test_a_chair_lists_only_accounts_of_their_union(client):
    union = UnionFactory()
    chair = user_with_role(union)
    colleague = user_with_role(union, Role.COMMITTEE)
    user_with_role(UnionFactory(), Role.CHAIR)
    client = _signed_in(client, chair)
    listing = client.get(reverse("admin:orgs_user_changelist"))
    assert set(listing.context["cl"].result_list) == {chair, colleague}


def test_a_chair_creates_an_account_with_a_role_in_their_union(client):
    union = UnionFactory()
    client = _signed_in(client, user_with_role(union))
    response = client.post(
        reverse("admin:orgs_user_add"),
        {
            "username": "liaison1",
            "display_name": "小组联络员",
            "password1": "a-long-pass-phrase",
            "password2": "a-long-pass-phrase",
            "union": union.pk,
            "role": Role.LIAISON,
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="liaison1")
    assert user.check_password("a-long-pass-phrase")
    assert RoleAssignment.objects.filter(user=user, union=union, role=Role.LIAISON).exists()


def test_a_chair_resets_a_members_portal_password_and_lifts_the_lockout(client):
    from axes.models import AccessAttempt

    union = UnionFactory()
    portal_user = user_with_role(union, Role.MEMBER)
    AccessAttempt.objects.create(
        username=portal_user.username, failures_since_start=9, ip_address="127.0.0.1"
    )
    client = _signed_in(client, user_with_role(union))
    response = client.post(
        reverse("admin:orgs_user_password", args=[portal_user.pk]),
        {"password1": "new-pass-phrase-1", "password2": "new-pass-phrase-1"},
    )
    assert response.status_code == 302
    portal_user.refresh_from_db()
    assert portal_user.check_password("new-pass-phrase-1")
    assert not AccessAttempt.objects.filter(username=portal_user.username).exists()


def test_a_too_short_password_is_refused_in_chinese(client):
    union = UnionFactory()
    portal_user = user_with_role(union, Role.MEMBER)
    client = _signed_in(client, user_with_role(union))
    response = client.post(
        reverse("admin:orgs_user_password", args=[portal_user.pk]),
        {"password1": "abc", "password2": "abc"},
    )
    assert response.status_code == 200
    assert "密码" in str(response.context["form"].errors["password1"])


def test_a_committee_member_cannot_manage_accounts(client):
    union = UnionFactory()
    client = _signed_in(client, user_with_role(union, Role.COMMITTEE))
    assert client.get(reverse("admin:orgs_user_changelist")).status_code == 403


def test_a_chair_cannot_reset_the_password_of_another_unions_account(client):
    other = user_with_role(UnionFactory(), Role.MEMBER)
    client = _signed_in(client, user_with_role(UnionFactory()))
    response = client.post(
        reverse("admin:orgs_user_password", args=[other.pk]),
        {"password1": "new-pass-phrase-1", "password2": "new-pass-phrase-1"},
    )
    assert response.status_code == 404


# Access log -------------------------------------------------------------------------


def _log(union, user):
    return AccessLog.objects.create(
        user=user,
        union=union,
        subject="张三",
        object_type="member",
        object_id="1",
        field="身份证号",
        reason="办理保障",
    )


def test_the_chair_reads_the_unions_access_log(client):
    union = UnionFactory()
    chair = user_with_role(union)
    entry = _log(union, chair)
    _log(UnionFactory(), chair)
    listing = _signed_in(client, chair).get(reverse("admin:orgs_accesslog_changelist"))
    assert list(listing.context["cl"].result_list) == [entry]
    assert not listing.context["has_add_permission"]


def test_the_access_log_cannot_be_changed_or_deleted(client):
    union = UnionFactory()
    chair = user_with_role(union)
    entry = _log(union, chair)
    client = _signed_in(client, chair)
    page = client.get(reverse("admin:orgs_accesslog_change", args=[entry.pk]))
    assert not page.context["has_change_permission"]
    delete = client.post(reverse("admin:orgs_accesslog_delete", args=[entry.pk]), {"post": "yes"})
    assert delete.status_code == 403
    assert AccessLog.objects.filter(pk=entry.pk).exists()


def test_a_committee_member_does_not_see_the_access_log(client):
    union = UnionFactory()
    client = _signed_in(client, user_with_role(union, Role.COMMITTEE))
    assert client.get(reverse("admin:orgs_accesslog_changelist")).status_code == 403
