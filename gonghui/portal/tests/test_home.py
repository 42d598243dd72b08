from datetime import date

import pytest

from gonghui import idcard
from gonghui.members import services
from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs.roles import Role
from gonghui.orgs.tests.factories import (
    DepartmentFactory,
    GroupFactory,
    UnionFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db


def _signed_in_member(client, **fields):
    member = MemberFactory(**fields)
    services.create_portal_account(member=member, password="Lanhua-2024-yuan")
    client.force_login(member.user)
    return member


def test_home_asks_an_anonymous_visitor_to_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/"


def test_home_shows_the_members_own_record_and_status_history(client):
    union = UnionFactory(name="阳光小学工会")
    member = services.create_member(
        union=union,
        name="王小明",
        id_number=idcard.make("330206", date(1985, 5, 6), 1, "M"),
        phone="13912345678",
        group=GroupFactory(union=union, name="语文组"),
        department=DepartmentFactory(union=union, name="教务处"),
        joined_on=date(2020, 3, 1),
    )
    services.create_portal_account(member=member, password="Lanhua-2024-yuan")
    client.force_login(member.user)
    page = client.get("/").content.decode()
    for text in ("王小明", "阳光小学工会", "语文组", "教务处", "2020年3月1日", "在册", "入会"):
        assert text in page


def test_home_never_shows_the_phone_or_id_number_in_full(client):
    member = _signed_in_member(client, phone="13912345678")
    page = client.get("/").content.decode()
    assert "139****5678" in page
    assert member.id_number_masked in page
    assert "13912345678" not in page
    assert member.id_number not in page


def test_home_never_shows_another_members_record(client):
    union = UnionFactory()
    _signed_in_member(client, union=union, name="王小明")
    other = MemberFactory(union=union, name="李大红", phone="13700007777")
    page = client.get("/").content.decode()
    assert "李大红" not in page
    assert other.phone_masked not in page
    assert other.id_number_masked not in page


def test_a_staff_user_without_a_member_record_gets_a_link_to_the_back_office(client):
    client.force_login(user_with_role(UnionFactory(), Role.CHAIR))
    page = client.get("/").content.decode()
    assert 'href="/admin/"' in page
    assert "没有关联会员档案" in page
