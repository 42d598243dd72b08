"""Restructuring the tree: moving a union under another parent, merging two unions."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from gonghui.members import services as members
from gonghui.members import transfers
from gonghui.members.models import (
    Application,
    Member,
    Status,
    Transfer,
    TransferState,
)
from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs import services
from gonghui.orgs.access import access_for
from gonghui.orgs.models import (
    Department,
    Group,
    RestructuringEvent,
    RestructuringKind,
    Union,
    UnionKind,
)
from gonghui.orgs.roles import Role
from gonghui.orgs.tests.factories import (
    DepartmentFactory,
    GroupFactory,
    UnionFactory,
    user_with_role,
)
from gonghui.periods import Period
from gonghui.reports import registry

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
ON = TODAY - timedelta(days=30)


@pytest.fixture
def tree():
    city = services.create_union(code="nb", name="市总工会", kind=UnionKind.FEDERATION)
    east = services.create_union(
        code="east", name="东区总工会", kind=UnionKind.FEDERATION, parent=city
    )
    west = services.create_union(
        code="west", name="西区总工会", kind=UnionKind.FEDERATION, parent=city
    )
    group = services.create_union(
        code="grp", name="集团工会", kind=UnionKind.GROUP_COMPANY, parent=east
    )
    x = services.create_union(code="x", name="甲厂工会", kind=UnionKind.ENTERPRISE, parent=group)
    y = services.create_union(code="y", name="乙厂工会", kind=UnionKind.ENTERPRISE, parent=west)
    staff = user_with_role(city, Role.UPPER_STAFF)
    return {
        "city": city,
        "east": east,
        "west": west,
        "group": group,
        "x": x,
        "y": y,
        "access": access_for(staff),
        "staff": staff,
    }


def _fresh(union):
    return Union.objects.get(pk=union.pk)


# Moving ----------------------------------------------------------------------------------


def test_moving_a_union_rewrites_the_paths_of_its_whole_subtree(tree):
    services.move_union(
        union=tree["group"],
        new_parent=tree["west"],
        by=tree["city"],
        on=ON,
        reason="区划调整",
        access=tree["access"],
    )
    assert _fresh(tree["group"]).path == "/nb/west/grp/"
    assert _fresh(tree["x"]).path == "/nb/west/grp/x/"
    assert _fresh(tree["group"]).parent == tree["west"]
    assert set(tree["west"].subtree()) >= {tree["group"], tree["x"]}
    assert not tree["east"].subtree().filter(pk=tree["x"].pk).exists()


def test_a_move_is_recorded_with_the_old_and_new_parent_and_paths(tree):
    event = services.move_union(
        union=tree["group"],
        new_parent=tree["west"],
        by=tree["city"],
        on=ON,
        reason="区划调整",
        actor=tree["staff"],
    )
    assert (event.kind, event.from_parent, event.to_parent) == (
        RestructuringKind.MOVE,
        tree["east"],
        tree["west"],
    )
    assert (event.old_path, event.new_path) == ("/nb/east/grp/", "/nb/west/grp/")
    assert event.actor == tree["staff"]


def test_a_moved_union_keeps_its_own_members_and_figures(tree):
    MemberFactory.create_batch(3, union=tree["x"])
    period = Period(date(2020, 1, 1), TODAY)
    before = registry.value("members.at_end", [tree["x"].pk], period)
    services.move_union(
        union=tree["x"], new_parent=tree["west"], by=tree["city"], on=ON, reason="调整"
    )
    assert registry.value("members.at_end", [tree["x"].pk], period) == before == 3


@pytest.mark.parametrize(
    ("union", "parent", "by", "field", "message"),
    [
        ("group", "y", "city", "new_parent", "乙厂工会是基层工会，不能作为上级工会"),
        ("east", "group", "city", "new_parent", "不能把工会调整到它自己或它的下级工会之下"),
        ("x", "group", "city", "new_parent", "已经隶属于集团工会"),
        ("x", "west", "east", "new_parent", "西区总工会不在东区总工会的下级工会中"),
        ("y", "east", "east", "union", "乙厂工会不在东区总工会的下级工会中"),
        ("city", "west", "city", "union", "市总工会不在市总工会的下级工会中"),
        ("x", "west", "y", "by", "只有上级工会可以调整"),
    ],
)
def test_a_move_outside_the_rules_is_refused_naming_the_field(
    tree, union, parent, by, field, message
):
    with pytest.raises(ValidationError) as e:
        services.move_union(
            union=tree[union], new_parent=tree[parent], by=tree[by], on=ON, reason="调整"
        )
    assert message in " ".join(e.value.message_dict[field])
    assert _fresh(tree["x"]).path == "/nb/east/grp/x/"
    assert not RestructuringEvent.objects.exists()


def test_a_move_without_a_reason_or_with_a_future_date_is_refused(tree):
    with pytest.raises(ValidationError) as e:
        services.move_union(
            union=tree["x"],
            new_parent=tree["west"],
            by=tree["city"],
            on=timezone.localdate() + timedelta(days=1),
            reason=" ",
        )
    assert set(e.value.message_dict) == {"on", "reason"}


def test_district_staff_may_not_move_a_union_out_of_their_district(tree):
    east_staff = access_for(user_with_role(tree["east"], Role.UPPER_STAFF))
    with pytest.raises(ValidationError, match="不在东区总工会的下级工会中"):
        services.move_union(
            union=tree["x"],
            new_parent=tree["west"],
            by=tree["east"],
            on=ON,
            reason="调整",
            access=east_staff,
        )


def test_a_grassroots_chair_may_not_restructure(tree):
    chair = access_for(user_with_role(tree["city"], Role.CHAIR))
    with pytest.raises(ValidationError, match="您没有调整市总工会所属工会组织关系的权限"):
        services.move_union(
            union=tree["x"],
            new_parent=tree["west"],
            by=tree["city"],
            on=ON,
            reason="调整",
            access=chair,
        )


# Merging -----------------------------------------------------------------------------------


def _merge(tree, **over):
    args = {
        "source": tree["x"],
        "target": tree["y"],
        "by": tree["city"],
        "on": ON,
        "reason": "企业合并",
        "access": tree["access"],
    }
    args.update(over)
    return services.merge_unions(**args)


def test_merging_moves_every_member_on_the_roll_to_the_target_on_the_date(tree):
    on_roll = MemberFactory.create_batch(3, union=tree["x"])
    MemberFactory(union=tree["x"], status=Status.RETIRED, left_on=date(2023, 1, 1))
    event = _merge(tree)
    assert event.moved["members"] == 3
    moved = Member.objects.filter(union=tree["y"], transferred_in=True)
    assert sorted(m.id_number for m in moved) == sorted(m.id_number for m in on_roll)
    assert all(m.joined_on == ON for m in moved)
    for member in on_roll:
        member.refresh_from_db()
        assert (member.status, member.left_on, member.transferred_out) == (
            Status.TRANSFERRED,
            ON,
            True,
        )


def test_the_merged_union_is_archived_not_deleted_and_keeps_its_history(tree):
    member = MemberFactory(union=tree["x"])
    _merge(tree)
    x = _fresh(tree["x"])
    assert (x.archived_on, x.merged_into) == (ON, tree["y"])
    assert Member.objects.filter(pk=member.pk, union=x).exists()


def test_past_figures_of_both_unions_are_unchanged_by_a_merge(tree):
    MemberFactory.create_batch(2, union=tree["x"])
    MemberFactory(union=tree["y"])
    past = Period(date(2020, 1, 1), ON - timedelta(days=1))
    keys = ["members.at_end", "members.joined", "members.left"]
    before = {u: [registry.value(k, [tree[u].pk], past) for k in keys] for u in ("x", "y")}
    _merge(tree)
    after = {u: [registry.value(k, [tree[u].pk], past) for k in keys] for u in ("x", "y")}
    assert after == before


def test_a_merge_leaves_the_two_unions_membership_together_unchanged(tree):
    MemberFactory.create_batch(2, union=tree["x"])
    MemberFactory(union=tree["y"])
    period = Period(date(2020, 1, 1), TODAY)
    both = [tree["x"].pk, tree["y"].pk]
    before = registry.value("members.at_end", both, period)
    _merge(tree)
    assert registry.value("members.at_end", both, period) == before == 3
    assert registry.value("members.at_end", [tree["y"].pk], period) == 3


def test_departments_and_groups_are_recreated_in_the_target_and_members_keep_theirs(tree):
    x, y = tree["x"], tree["y"]
    DepartmentFactory(union=y, name="办公室")
    office = DepartmentFactory(union=x, name="办公室")
    workshop = GroupFactory(union=x, name="一车间", department=office)
    member = MemberFactory(union=x, department=office, group=workshop)
    event = _merge(tree)
    moved = Member.objects.get(union=y, id_number_digest=member.id_number_digest)
    assert moved.department.name == "甲厂工会·办公室"
    assert moved.group.name == "一车间"
    assert moved.group.department == moved.department
    assert (event.moved["departments"], event.moved["groups"]) == (1, 1)
    assert Department.objects.filter(union=x).count() == 1
    assert Group.objects.filter(union=x).count() == 1


def test_waiting_applications_move_and_waiting_transfers_are_withdrawn(tree):
    from gonghui import idcard

    application = members.submit_application(
        union=tree["x"],
        name="王五",
        id_number=idcard.make("330206", date(1990, 1, 2), 3, "M"),
        phone_number="13900001234",
        department=None,
        consent=True,
    )
    leaving = MemberFactory(union=tree["x"])
    transfer = transfers.start_transfer(member=leaving, to_union=tree["west"], on=ON, reason="调动")
    event = _merge(tree)
    assert Application.objects.get(pk=application.pk).union == tree["y"]
    transfer.refresh_from_db()
    assert transfer.state == TransferState.CANCELLED
    assert "并入" in transfer.decline_reason
    assert (event.moved["applications"], event.moved["transfers_cancelled"]) == (1, 1)
    assert Transfer.objects.filter(member=leaving, state=TransferState.ACCEPTED).count() == 1


def test_a_merged_union_takes_no_new_members_or_transfers(tree):
    _merge(tree)
    with pytest.raises(ValidationError, match="已于.*撤并，不能再添加会员"):
        members.create_member(
            union=_fresh(tree["x"]), name="赵六", id_number="", joined_on=date(2024, 1, 1)
        )
    with pytest.raises(ValidationError, match="撤并，不能再转入会员"):
        transfers.start_transfer(
            member=MemberFactory(union=tree["y"]), to_union=_fresh(tree["x"]), on=ON, reason="x"
        )


def test_merging_when_a_member_is_already_in_the_target_is_refused_and_writes_nothing(tree):
    member = MemberFactory(union=tree["x"], name="张三")
    MemberFactory(
        union=tree["y"],
        name="张三",
        id_number=member.id_number,
        id_number_digest=member.id_number_digest,
    )
    with pytest.raises(ValidationError, match="以下会员不能并入：张三已在乙厂工会"):
        _merge(tree)
    assert _fresh(tree["x"]).archived_on is None
    assert not Transfer.objects.exists()
    assert not RestructuringEvent.objects.exists()


@pytest.mark.parametrize(
    ("over", "field", "message"),
    [
        ({"target": "x"}, "target", "不能把工会并入它自己"),
        ({"source": "group"}, "union", "还有下级工会"),
        ({"target": "outside"}, "target", "不在市总工会的下级工会中"),
        ({"reason": ""}, "reason", "请填写调整的原因或依据"),
    ],
)
def test_a_merge_outside_the_rules_is_refused(tree, over, field, message):
    outside = UnionFactory(name="外地工会")
    over = {
        k: (tree[v] if v in tree else outside if v == "outside" else v) for k, v in over.items()
    }
    with pytest.raises(ValidationError) as e:
        _merge(tree, **over)
    assert message in " ".join(e.value.message_dict[field])
    assert not Union.objects.filter(archived_on__isnull=False).exists()


def test_a_union_merged_once_cannot_be_merged_again(tree):
    _merge(tree)
    with pytest.raises(ValidationError, match="已于.*撤并"):
        _merge(tree, source=_fresh(tree["x"]), target=tree["west"])


# Screens ---------------------------------------------------------------------------------


def test_upper_staff_move_a_union_from_its_page(client, tree):
    client.force_login(tree["staff"])
    page = client.get(reverse("admin:orgs_union_change", args=[tree["x"].pk]))
    assert reverse("admin:orgs_union_move", args=[tree["x"].pk]) in page.content.decode()
    response = client.post(
        reverse("admin:orgs_union_move", args=[tree["x"].pk]),
        {"new_parent": tree["west"].pk, "on": ON, "reason": "区划调整"},
    )
    assert response.status_code == 302
    assert _fresh(tree["x"]).parent == tree["west"]


def test_a_bad_merge_form_shows_the_error_and_merges_nothing(client, tree):
    client.force_login(tree["staff"])
    response = client.post(
        reverse("admin:orgs_union_merge", args=[tree["x"].pk]),
        {"target": tree["y"].pk, "on": TODAY + timedelta(days=3), "reason": "合并"},
    )
    assert response.status_code == 200
    assert "生效日期不能晚于今天" in response.content.decode()
    assert _fresh(tree["x"]).archived_on is None


def test_a_grassroots_chair_cannot_open_the_restructuring_screens(client, tree):
    client.force_login(user_with_role(tree["x"]))
    for name in ("move", "merge"):
        response = client.get(reverse(f"admin:orgs_union_{name}", args=[tree["x"].pk]))
        assert response.status_code == 403


def test_the_restructuring_record_lists_a_merge_for_the_upper_union(client, tree):
    _merge(tree)
    client.force_login(tree["staff"])
    page = client.get(reverse("admin:orgs_restructuringevent_changelist"))
    assert "甲厂工会" in page.content.decode()
