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


def test_editing_a_union_with_a_wrong_credit_code_is_refused_and_not_saved():
    union = UnionFactory(name="原名称")
    with pytest.raises(ValidationError) as e:
        services.update_union(union=union, name="新名称", credit_code="91350100M000100Y44")
    assert "校验位" in e.value.message_dict["credit_code"][0]
    union.refresh_from_db()
    assert union.name == "原名称"


def test_a_union_code_cannot_be_changed_through_its_details():
    with pytest.raises(ValidationError):
        services.update_union(union=UnionFactory(), code="other")


def test_renaming_a_department_to_a_name_in_use_is_refused():
    union = UnionFactory()
    services.create_department(union=union, name="教务处")
    office = services.create_department(union=union, name="校长办公室")
    with pytest.raises(ValidationError) as e:
        services.rename_department(department=office, name="教务处")
    assert "已存在" in e.value.message_dict["name"][0]


def test_a_group_leader_from_another_union_is_refused():
    from gonghui.members.tests.factories import MemberFactory

    union = UnionFactory()
    group = services.create_group(union=union, name="语文组")
    with pytest.raises(ValidationError) as e:
        services.update_group(group=group, name="语文组", leader=MemberFactory())
    assert "不属于本工会" in e.value.message_dict["leader"][0]


def test_an_account_with_a_weak_password_is_not_created_at_all():
    from gonghui.orgs.models import User

    with pytest.raises(ValidationError) as e:
        services.create_account(
            username="wang",
            display_name="王老师",
            password="123",
            union=UnionFactory(),
            role=Role.COMMITTEE,
        )
    assert "password1" in e.value.message_dict
    assert not User.objects.filter(username="wang").exists()


def test_a_new_committee_account_can_enter_the_back_office():
    union = UnionFactory()
    user = services.create_account(
        username="li",
        display_name="李老师",
        password="Strong-pass-2468",
        union=union,
        role=Role.COMMITTEE,
    )
    assert user.is_staff and user.check_password("Strong-pass-2468")
    assert access_for(user).can(Perm.CHANGE_ROSTER, union.id)


def test_renaming_a_group_is_recorded_in_the_change_history():
    from auditlog.models import LogEntry

    group = services.create_group(union=UnionFactory(), name="语文组")
    services.update_group(group=group, name="语文教研组")
    entry = LogEntry.objects.get_for_object(group).order_by("-timestamp").first()
    assert entry.changes_dict["name"] == ["语文组", "语文教研组"]
