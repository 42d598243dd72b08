"""A woman member's own records in the portal."""

import pytest

from gonghui.orgs.models import AccessLog
from gonghui.orgs.roles import Role
from gonghui.orgs.tests.factories import UnionFactory, user_with_role
from gonghui.women.tests.factories import protection, woman

pytestmark = pytest.mark.django_db


def signed_in_woman(client):
    union = UnionFactory()
    user = user_with_role(union, Role.MEMBER, password=None)
    member = woman(union, user=user)
    client.force_login(user)
    return member


def test_a_member_sees_her_own_four_period_records_and_the_view_is_logged(client):
    member = signed_in_woman(client)
    protection(member, arrangements="调整为白班")
    page = client.get("/women/protection/").content.decode()
    assert "孕期" in page and "调整为白班" in page
    assert AccessLog.objects.get().reason == "本人查看"


def test_a_member_never_sees_another_womans_records(client):
    member = signed_in_woman(client)
    protection(woman(member.union), arrangements="别人的安排")
    page = client.get("/women/protection/").content.decode()
    assert "别人的安排" not in page


def test_the_womens_home_does_not_open_the_four_period_records(client):
    member = signed_in_woman(client)
    protection(member, arrangements="调整为白班")
    page = client.get("/women/").content.decode()
    assert "调整为白班" not in page
    assert not AccessLog.objects.exists()
