import pytest
from django.core.exceptions import ValidationError

from gonghui.orgs import services
from gonghui.orgs.access import access_for
from gonghui.orgs.models import UnionKind
from gonghui.orgs.roles import Perm, Role
from gonghui.orgs.tests.factories import UnionFactory, UserFactory, user_with_role

pytestmark = pytest.mark.django_db


def test_a_union_path_holds_all_its_ancestors_codes():
    city = services.create_union(code="nb", name="宁波市总工会", kind=UnionKind.FEDERATION)
    district = services.create_union(
        code="bl", name="北仑区总工会", kind=UnionKind.FEDERATION, parent=city
    )
    school = services.create_union(
        code="bl-s1", name="某学校工会", kind=UnionKind.SCHOOL, parent=district
    )
    assert school.path == "/nb/bl/bl-s1/"
    assert set(city.subtree()) == {city, district, school}


def test_a_union_with_a_wrong_credit_code_is_refused():
    with pytest.raises(ValidationError) as e:
        services.create_union(
            code="x", name="某工会", kind=UnionKind.ENTERPRISE, credit_code="91350100M000100Y44"
        )
    assert "校验位" in e.value.message_dict["credit_code"][0]


def test_a_duplicate_group_name_in_one_union_is_refused():
    union = UnionFactory()
    services.create_group(union=union, name="语文组")
    with pytest.raises(ValidationError) as e:
        services.create_group(union=union, name="语文组")
    assert "已存在" in e.value.message_dict["name"][0]


def test_a_chair_may_reveal_in_their_union_and_nowhere_else():
    mine, other = UnionFactory(), UnionFactory()
    access = access_for(user_with_role(mine, Role.CHAIR))
    assert access.can(Perm.REVEAL_SENSITIVE, mine.id)
    assert not access.can(Perm.REVEAL_SENSITIVE, other.id)
    assert access.read == {mine.id}


def test_a_liaison_may_read_the_roster_but_not_change_it():
    union = UnionFactory()
    access = access_for(user_with_role(union, Role.LIAISON))
    assert access.can(Perm.VIEW_ROSTER, union.id)
    assert not access.can(Perm.CHANGE_ROSTER, union.id)


def test_upper_union_staff_read_their_subtree_but_not_a_sibling_federation():
    city = services.create_union(code="c1", name="市总", kind=UnionKind.FEDERATION)
    below = services.create_union(code="c1-a", name="甲工会", kind=UnionKind.SCHOOL, parent=city)
    sibling = services.create_union(code="c2", name="另一市总", kind=UnionKind.FEDERATION)
    access = access_for(user_with_role(city, Role.UPPER_STAFF))
    assert access.read == {city.id, below.id}
    assert sibling.id not in access.read
    assert not access.can(Perm.CHANGE_ROSTER, below.id)


def test_a_user_without_roles_reads_nothing():
    assert access_for(UserFactory()).read == set()


def test_assigning_a_staff_role_lets_the_user_into_the_back_office():
    user = UserFactory(is_staff=False)
    services.assign_role(user=user, union=UnionFactory(), role=Role.COMMITTEE)
    user.refresh_from_db()
    assert user.is_staff
