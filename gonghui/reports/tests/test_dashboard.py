from datetime import date

import pytest
from django.urls import reverse

from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs.roles import Role
from gonghui.orgs.tests.factories import GroupFactory, UnionFactory, user_with_role
from gonghui.reports import registry

pytestmark = pytest.mark.django_db

PERIOD = {"start": "2024-01-01", "end": "2024-12-31"}


def _signed_in(client, user):
    client.force_login(user)
    return client


def test_the_dashboard_shows_the_registrys_figures(client):
    union = UnionFactory()
    MemberFactory.create_batch(3, union=union, joined_on=date(2020, 1, 1))
    response = _signed_in(client, user_with_role(union)).get(
        reverse("reports:dashboard"), {"union": union.pk, **PERIOD}
    )
    figures = {f["metric"].key: f["value"] for f in response.context["figures"]}
    assert figures["members.at_end"] == 3
    assert "期末会员数" in response.content.decode()


def test_the_dashboard_lists_members_per_group(client):
    union = UnionFactory()
    group = GroupFactory(union=union, name="语文组")
    MemberFactory.create_batch(2, union=union, group=group, joined_on=date(2020, 1, 1))
    MemberFactory(union=union, joined_on=date(2020, 1, 1))
    response = _signed_in(client, user_with_role(union)).get(
        reverse("reports:dashboard"), {"union": union.pk, **PERIOD}
    )
    rows = {row["name"]: row["count"] for row in response.context["per_group"]}
    assert rows == {"语文组": 2, "未分组": 1}


def test_the_records_page_shows_members_with_group_and_a_link_to_their_page(client):
    union = UnionFactory()
    group = GroupFactory(union=union, name="数学组")
    member = MemberFactory(union=union, group=group, name="张三", joined_on=date(2020, 1, 1))
    response = _signed_in(client, user_with_role(union)).get(
        reverse("reports:metric_records", args=["members.at_end"]), {"union": union.pk, **PERIOD}
    )
    html = response.content.decode()
    assert response.context["headers"][:2] == ["姓名", "工会小组"]
    assert response.context["rows"][0]["cells"][:2] == ["张三", "数学组"]
    assert reverse("admin:members_member_change", args=[member.pk]) in html


def test_the_records_page_never_shows_a_plain_id_number(client):
    member = MemberFactory(joined_on=date(2020, 1, 1))
    response = _signed_in(client, user_with_role(member.union)).get(
        reverse("reports:metric_records", args=["members.at_end"]),
        {"union": member.union.pk, **PERIOD},
    )
    assert member.id_number not in response.content.decode()


def test_another_unions_dashboard_is_not_found(client):
    other = UnionFactory(name="别人的工会")
    client = _signed_in(client, user_with_role(UnionFactory()))
    response = client.get(reverse("reports:dashboard"), {"union": other.pk})
    assert response.status_code == 404


def test_a_member_without_a_staff_role_cannot_see_the_dashboard(client):
    union = UnionFactory()
    user = user_with_role(union, Role.REPRESENTATIVE)
    response = _signed_in(client, user).get(reverse("reports:dashboard"))
    assert response.status_code in (302, 403)


@pytest.mark.parametrize("key", sorted(m.key for m in registry.all_metrics()))
def test_every_registered_metric_opens_its_records_page(client, key):
    union = UnionFactory()
    response = _signed_in(client, user_with_role(union)).get(
        reverse("reports:metric_records", args=[key]), {"union": union.pk, **PERIOD}
    )
    assert response.status_code == 200
