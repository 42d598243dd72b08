"""会员关系转移接续: a member moves from union A to union B, once, with history kept."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_scopes import scope

from gonghui.finance import dues
from gonghui.finance.models import DuesBase, DuesExemption, DuesPayment
from gonghui.members import queries, services, transfers
from gonghui.members.models import Member, Status, StatusChange, Transfer, TransferState
from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs.models import RoleAssignment, UnionKind
from gonghui.orgs.roles import Role
from gonghui.orgs.tests.factories import GroupFactory, UnionFactory, user_with_role
from gonghui.periods import Period
from gonghui.reports import registry

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
ON = TODAY - timedelta(days=40)


@pytest.fixture
def tree():
    """A city with two districts; A under one, B under the other."""
    city = UnionFactory(code="city", name="市总工会", kind=UnionKind.FEDERATION)
    east = UnionFactory(code="east", name="东区总工会", kind=UnionKind.FEDERATION, parent=city)
    west = UnionFactory(code="west", name="西区总工会", kind=UnionKind.FEDERATION, parent=city)
    a = UnionFactory(code="a", name="甲公司工会", kind=UnionKind.ENTERPRISE, parent=east)
    b = UnionFactory(code="b", name="乙公司工会", kind=UnionKind.ENTERPRISE, parent=west)
    return city, east, west, a, b


def _start(member, to_union, on=ON, reason="调入乙公司工作"):
    return transfers.start_transfer(member=member, to_union=to_union, on=on, reason=reason)


def _moved(tree, **kw):
    *_, a, b = tree
    member = MemberFactory(union=a, name="张三", **kw)
    transfer = _start(member, b)
    transfers.accept_transfer(transfer=transfer, actor=user_with_role(b))
    member.refresh_from_db()
    transfer.refresh_from_db()
    return member, transfer


# The move ------------------------------------------------------------------------------


def test_an_accepted_transfer_closes_the_member_in_a_on_the_transfer_date(tree):
    member, transfer = _moved(tree)
    assert member.status == Status.TRANSFERRED
    assert member.left_on == ON
    assert member.transferred_out
    assert transfer.state == TransferState.ACCEPTED


def test_an_accepted_transfer_opens_the_member_in_b_from_the_transfer_date(tree):
    member, transfer = _moved(tree)
    moved = transfer.new_member
    assert moved.union == tree[4]
    assert moved.status == Status.ACTIVE
    assert moved.joined_on == ON
    assert moved.first_joined_on == member.joined_on
    assert moved.transferred_in
    assert (moved.name, moved.id_number, moved.phone) == (
        member.name,
        member.id_number,
        member.phone,
    )


def test_the_member_is_on_exactly_one_roll_each_day_around_the_transfer(tree):
    *_, a, b = tree
    member, transfer = _moved(tree)
    for day in (ON - timedelta(days=1), ON, ON + timedelta(days=1)):
        in_a = queries.on_roll_at([a.pk], day).filter(pk=member.pk).exists()
        in_b = queries.on_roll_at([b.pk], day).filter(pk=transfer.new_member_id).exists()
        assert in_a + in_b == 1
        assert in_a == (day < ON)


def test_both_unions_record_the_dated_status_change(tree):
    member, transfer = _moved(tree)
    out = StatusChange.objects.get(member=member, to_status=Status.TRANSFERRED)
    into = StatusChange.objects.get(member=transfer.new_member)
    assert out.on == into.on == ON
    assert "乙公司工会" in out.reason
    assert "甲公司工会" in into.reason


def test_the_closed_row_in_a_cannot_be_edited(tree):
    member, _ = _moved(tree)
    with pytest.raises(ValidationError, match="只作为历史保留"):
        services.update_member(member=member, position="工程师")


def test_the_closed_row_in_a_cannot_be_put_back_on_the_roll(tree):
    member, _ = _moved(tree)
    with pytest.raises(ValidationError, match="只作为历史保留"):
        services.change_status(member=member, to=Status.ACTIVE, on=TODAY, reason="误操作")


def test_the_portal_account_and_member_role_follow_the_member_to_b(tree):
    *_, a, b = tree
    member = MemberFactory(union=a, name="张三")
    user = services.create_portal_account(member=member)
    transfers.accept_transfer(transfer=_start(member, b))
    member.refresh_from_db()
    assert member.user_id is None
    assert Member.objects.get(user=user).union == b
    assert set(RoleAssignment.objects.filter(user=user).values_list("union", "role")) == {
        (b.pk, Role.MEMBER)
    }
    user.refresh_from_db()
    assert user.is_active


def test_b_may_place_the_member_in_its_own_group_when_accepting(tree):
    *_, a, b = tree
    group = GroupFactory(union=b, name="一车间")
    transfer = _start(MemberFactory(union=a), b)
    transfers.accept_transfer(transfer=transfer, group=group, employee_number="B-17")
    assert transfer.new_member.group == group
    assert transfer.new_member.employee_number == "B-17"


def test_a_group_of_a_is_refused_when_b_accepts(tree):
    *_, a, b = tree
    transfer = _start(MemberFactory(union=a), b)
    with pytest.raises(ValidationError, match="不属于乙公司工会"):
        transfers.accept_transfer(transfer=transfer, group=GroupFactory(union=a))
    assert Transfer.objects.get(pk=transfer.pk).state == TransferState.PENDING


def test_b_requests_a_member_by_id_number_and_name_and_a_accepts(tree):
    *_, a, b = tree
    member = MemberFactory(union=a, name="李四")
    transfer = transfers.request_transfer(
        to_union=b, from_union=a, id_number=member.id_number, name="李四", on=ON, reason="调动"
    )
    assert transfer.awaiting_union_id == a.pk
    transfers.accept_transfer(transfer=transfer)
    assert Member.objects.filter(union=b, name="李四", status=Status.ACTIVE).count() == 1


def test_a_request_naming_someone_else_is_refused_without_saying_who_holds_the_number(tree):
    *_, a, b = tree
    member = MemberFactory(union=a, name="李四")
    with pytest.raises(ValidationError) as e:
        transfers.request_transfer(
            to_union=b, from_union=a, id_number=member.id_number, name="王五", on=ON, reason="调动"
        )
    assert "没有身份证号与姓名“王五”相符的会员" in str(e.value)
    assert "李四" not in str(e.value)


def test_a_declined_transfer_leaves_the_member_in_a_with_the_reason_kept(tree):
    *_, a, b = tree
    member = MemberFactory(union=a)
    transfer = transfers.decline_transfer(transfer=_start(member, b), reason="未在我单位入职")
    member.refresh_from_db()
    assert member.status == Status.ACTIVE and member.left_on is None
    assert transfer.state == TransferState.DECLINED
    assert transfer.decline_reason == "未在我单位入职"


def test_a_cancelled_transfer_lets_a_new_one_start(tree):
    *_, a, b = tree
    member = MemberFactory(union=a)
    transfers.cancel_transfer(transfer=_start(member, b), reason="填错了转入工会")
    assert _start(member, b).state == TransferState.PENDING


# Refusals --------------------------------------------------------------------------------


def test_a_member_not_on_a_roll_cannot_be_transferred(tree):
    *_, a, b = tree
    member = MemberFactory(union=a, status=Status.RETIRED, left_on=date(2024, 1, 1))
    with pytest.raises(ValidationError, match="不在甲公司工会的在册会员名册中（当前为“退休”）"):
        _start(member, b)


def test_a_member_cannot_be_transferred_to_their_own_union(tree):
    *_, a, _ = tree
    with pytest.raises(ValidationError, match="转入工会不能是会员当前所在的工会"):
        _start(MemberFactory(union=a), a)


def test_a_second_transfer_while_one_waits_is_refused(tree):
    *_, a, b = tree
    member = MemberFactory(union=a, name="张三")
    _start(member, b)
    with pytest.raises(ValidationError, match="已有一项待处理的转移（转入乙公司工会"):
        _start(member, UnionFactory(name="丙工会"))
    assert Transfer.objects.filter(member=member).count() == 1


def test_a_transfer_accepted_twice_is_refused_the_second_time(tree):
    *_, a, b = tree
    transfer = _start(MemberFactory(union=a), b)
    transfers.accept_transfer(transfer=transfer)
    with pytest.raises(ValidationError, match="该转移于.*已转移，不能重复处理"):
        transfers.accept_transfer(transfer=Transfer.objects.get(pk=transfer.pk))
    assert Member.objects.filter(union=b).count() == 1


def test_a_declined_transfer_cannot_then_be_accepted(tree):
    *_, a, b = tree
    transfer = transfers.decline_transfer(transfer=_start(MemberFactory(union=a), b), reason="否")
    with pytest.raises(ValidationError, match="已拒绝，不能重复处理"):
        transfers.accept_transfer(transfer=transfer)


def test_a_transfer_into_a_union_already_holding_the_member_is_refused(tree):
    *_, a, b = tree
    member = MemberFactory(union=a, name="张三")
    MemberFactory(
        union=b, name="张三", id_number=member.id_number, id_number_digest=member.id_number_digest
    )
    with pytest.raises(ValidationError, match="张三已在乙公司工会的在册会员名册中"):
        _start(member, b)


def test_a_transfer_dated_in_the_future_or_before_joining_is_refused(tree):
    *_, a, b = tree
    member = MemberFactory(union=a, joined_on=date(2020, 3, 1))
    with pytest.raises(ValidationError, match="转移日期不能晚于今天"):
        _start(member, b, on=timezone.localdate() + timedelta(days=1))
    with pytest.raises(ValidationError, match="转移日期须晚于会员在原工会的入会日期（2020-03-01）"):
        _start(member, b, on=date(2020, 3, 1))


def test_a_transfer_without_a_reason_is_refused(tree):
    *_, a, b = tree
    with pytest.raises(ValidationError, match="请填写转移原因"):
        _start(MemberFactory(union=a), b, reason="  ")


def test_declining_without_a_reason_is_refused_and_the_transfer_still_waits(tree):
    *_, a, b = tree
    transfer = _start(MemberFactory(union=a), b)
    with pytest.raises(ValidationError, match="请填写拒绝原因"):
        transfers.decline_transfer(transfer=transfer, reason="")
    assert Transfer.objects.get(pk=transfer.pk).state == TransferState.PENDING


def test_a_member_who_left_a_while_the_transfer_waited_is_not_moved(tree):
    *_, a, b = tree
    member = MemberFactory(union=a)
    transfer = _start(member, b)
    services.change_status(member=member, to=Status.RETIRED, on=TODAY, reason="退休")
    with pytest.raises(ValidationError, match="不在甲公司工会的在册会员名册中"):
        transfers.accept_transfer(transfer=transfer)
    assert not Member.objects.filter(union=b).exists()
    assert Transfer.objects.get(pk=transfer.pk).state == TransferState.PENDING


# Dues travel -----------------------------------------------------------------------------


def _pay(member, month, amount="12.00"):
    DuesPayment.objects.create(
        union=member.union,
        member=member,
        month=month,
        amount=Decimal(amount),
        paid_on=month,
        source="cash",
        idempotency_key=f"t-{member.pk}-{month:%Y%m}",
    )


def test_the_last_month_paid_in_a_travels_with_the_transfer(tree):
    *_, a, b = tree
    member = MemberFactory(union=a)
    DuesBase.objects.create(union=a, member=member, since=date(2020, 3, 1), base=Decimal("5000"))
    month = dues.month_of(ON)
    for m in dues.months(date(2020, 3, 1), month):
        _pay(member, m)
    ahead = dues.next_month(month)
    _pay(member, ahead)  # paid a month ahead, before the transfer
    transfer = _start(member, b)
    transfers.accept_transfer(transfer=transfer)
    transfer.refresh_from_db()
    assert transfer.dues_paid_through == ahead
    assert transfer.dues_unpaid_months == 0
    assert DuesPayment.objects.filter(member=transfer.new_member).count() == 0


def test_b_owes_no_dues_for_months_a_already_collected_or_the_transfer_month(tree):
    *_, a, b = tree
    member = MemberFactory(union=a)
    month = dues.month_of(ON)
    ahead = dues.next_month(month)
    _pay(member, ahead)
    transfer = _start(member, b)
    transfers.accept_transfer(transfer=transfer)
    moved = transfer.new_member
    DuesBase.objects.create(union=b, member=moved, since=month, base=Decimal("6000"))
    book = dues.DuesBook.load(unions=[b.pk], members=[moved.pk])
    assert book.owed(moved, month) is None
    assert book.owed(moved, ahead) is None
    assert book.owed(moved, dues.next_month(ahead)) == Decimal("30.00")
    exemption = DuesExemption.objects.get(member=moved)
    assert "由原工会（甲公司工会）收缴" in exemption.reason


def test_months_left_unpaid_in_a_are_counted_on_the_transfer_and_stay_owed_to_a(tree):
    *_, a, b = tree
    member = MemberFactory(union=a, joined_on=ON - timedelta(days=100))
    DuesBase.objects.create(
        union=a, member=member, since=dues.month_of(member.joined_on), base=Decimal("5000")
    )
    transfer = _start(member, b)
    transfers.accept_transfer(transfer=transfer)
    transfer.refresh_from_db()
    member.refresh_from_db()
    months = list(dues.months(member.joined_on, ON))
    assert transfer.dues_unpaid_months == len(months)
    book = dues.DuesBook.load(unions=[a.pk], members=[member.pk])
    assert len(book.unpaid_months(member, member.joined_on, TODAY)) == len(months)


# Metrics -----------------------------------------------------------------------------------

KEYS = [
    "members.at_end",
    "members.joined",
    "members.left",
    "members.joined_new",
    "members.transferred_in",
    "members.transferred_out",
]


def _values(unions, period):
    return {key: registry.value(key, [u.pk for u in unions], period) for key in KEYS}


def _periods():
    return [
        Period(date(2019, 1, 1), ON - timedelta(days=1)),
        Period(ON - timedelta(days=5), ON + timedelta(days=5)),
        Period(ON, TODAY),
        Period(date(2019, 1, 1), TODAY),
    ]


def test_a_transfer_leaves_the_membership_of_a_and_b_together_unchanged(tree):
    *_, a, b = tree
    member = MemberFactory(union=a)
    MemberFactory.create_batch(2, union=b)
    before = [_values([a, b], p)["members.at_end"] for p in _periods()]
    transfers.accept_transfer(transfer=_start(member, b))
    after = [_values([a, b], p)["members.at_end"] for p in _periods()]
    assert after == before


def test_a_transfer_adds_no_new_member_to_a_and_b_together(tree):
    *_, a, b = tree
    member = MemberFactory(union=a)
    before = [_values([a, b], p)["members.joined_new"] for p in _periods()]
    transfers.accept_transfer(transfer=_start(member, b))
    assert [_values([a, b], p)["members.joined_new"] for p in _periods()] == before


def test_a_counts_the_member_left_once_and_b_joined_once_in_the_transfer_period(tree):
    *_, a, b = tree
    transfers.accept_transfer(transfer=_start(MemberFactory(union=a), b))
    period = Period(ON - timedelta(days=5), ON + timedelta(days=5))
    in_a, in_b = _values([a], period), _values([b], period)
    assert (in_a["members.left"], in_a["members.transferred_out"], in_a["members.joined"]) == (
        1,
        1,
        0,
    )
    assert (in_b["members.joined"], in_b["members.transferred_in"], in_b["members.left"]) == (
        1,
        1,
        0,
    )
    assert in_b["members.joined_new"] == 0


def test_each_union_s_membership_changes_by_joined_minus_left_across_a_transfer(tree):
    *_, a, b = tree
    transfers.accept_transfer(transfer=_start(MemberFactory(union=a), b))
    first, last = ON - timedelta(days=5), ON + timedelta(days=5)
    for union in (a, b):
        start = _values([union], Period(first - timedelta(days=1), first - timedelta(days=1)))
        period = _values([union], Period(first, last))
        delta = period["members.at_end"] - start["members.at_end"]
        assert delta == period["members.joined"] - period["members.left"]


def test_figures_of_periods_before_the_transfer_are_unchanged_on_both_sides(tree):
    *_, a, b = tree
    member = MemberFactory(union=a)
    past = Period(date(2019, 1, 1), ON - timedelta(days=1))
    before = (_values([a], past), _values([b], past))
    transfers.accept_transfer(transfer=_start(member, b))
    assert (_values([a], past), _values([b], past)) == before


# Who sees what -----------------------------------------------------------------------------


def test_both_unions_and_both_upper_unions_see_the_transfer_but_not_a_stranger(tree):
    city, east, west, a, b = tree
    transfer = _start(MemberFactory(union=a), b)
    stranger = UnionFactory()
    for unions in ([a.pk], [b.pk], [u.pk for u in east.subtree()], [u.pk for u in west.subtree()]):
        with scope(union=unions):
            assert list(Transfer.objects.all()) == [transfer]
    with scope(union=[stranger.pk]):
        assert not Transfer.objects.exists()


def test_an_upper_union_lists_the_transfers_of_its_subtree(tree):
    city, east, west, a, b = tree
    transfer = _start(MemberFactory(union=a), b)
    subtree = city.subtree().values_list("pk", flat=True)
    assert list(queries.transfers_for(subtree)) == [transfer]


def test_the_member_sees_their_transfer_before_and_after_it_is_accepted(tree):
    *_, a, b = tree
    member = MemberFactory(union=a)
    user = services.create_portal_account(member=member)
    transfer = _start(member, b)
    assert list(queries.own_transfers(user=user)) == [transfer]
    transfers.accept_transfer(transfer=transfer)
    assert list(queries.own_transfers(user=user)) == [transfer]


def test_who_may_accept_is_the_side_that_did_not_start(tree):
    from gonghui.orgs.access import access_for
    from gonghui.orgs.roles import Perm

    *_, a, b = tree
    transfer = _start(MemberFactory(union=a), b)
    chair_a, chair_b = access_for(user_with_role(a)), access_for(user_with_role(b))
    assert transfers.acting_side(transfer, chair_b, Perm.CHANGE_ROSTER) == {
        "accept": True,
        "decline": True,
        "cancel": False,
    }
    assert transfers.acting_side(transfer, chair_a, Perm.CHANGE_ROSTER) == {
        "accept": False,
        "decline": False,
        "cancel": True,
    }
