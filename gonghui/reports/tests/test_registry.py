from datetime import date
from decimal import Decimal

import pytest
from django.db import connection

from gonghui.members import services
from gonghui.members.models import Member, Status
from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs.tests.factories import GroupFactory, UnionFactory
from gonghui.periods import Period
from gonghui.reports import registry

pytestmark = pytest.mark.django_db

YEAR = Period.year(2024)


def test_members_at_period_end_counts_those_joined_before_and_not_yet_left():
    union = UnionFactory()
    MemberFactory(union=union, joined_on=date(2023, 1, 1))
    MemberFactory(union=union, joined_on=date(2025, 1, 1))
    leaver = MemberFactory(union=union, joined_on=date(2020, 1, 1))
    services.change_status(member=leaver, to=Status.RETIRED, on=date(2024, 12, 31), reason="退休")
    assert registry.value("members.at_end", [union], YEAR) == 1


def test_joined_counts_only_members_who_joined_inside_the_period():
    union = UnionFactory()
    MemberFactory(union=union, joined_on=date(2024, 3, 5))
    MemberFactory(union=union, joined_on=date(2023, 12, 31))
    assert registry.value("members.joined", [union], YEAR) == 1


def test_left_breaks_down_by_reason():
    union = UnionFactory()
    for status in (Status.RETIRED, Status.RETIRED, Status.TRANSFERRED):
        services.change_status(
            member=MemberFactory(union=union), to=status, on=date(2024, 6, 1), reason="变动"
        )
    assert registry.value("members.left", [union], YEAR) == 3
    assert registry.value("members.left_retired", [union], YEAR) == 2
    assert dict(registry.get("members.left").by([union], YEAR)) == {
        Status.RETIRED: 2,
        Status.TRANSFERRED: 1,
    }


def test_women_share_is_a_percentage_with_one_decimal():
    union = UnionFactory()
    MemberFactory.create_batch(2, union=union, gender="F")
    MemberFactory(union=union, gender="M")
    assert registry.value("members.women_share", [union], YEAR) == Decimal("66.7")


def test_membership_rate_divides_members_by_the_unions_headcount():
    union = UnionFactory(headcount=8)
    MemberFactory.create_batch(6, union=union)
    assert registry.value("members.membership_rate", [union], YEAR) == Decimal("75.0")


def test_a_ratio_over_nothing_is_zero_not_an_error():
    assert registry.value("members.women_share", [UnionFactory()], YEAR) == Decimal("0.0")


def test_figures_over_several_unions_add_up():
    a, b = UnionFactory(), UnionFactory()
    MemberFactory.create_batch(2, union=a)
    MemberFactory.create_batch(3, union=b)
    assert registry.value("members.at_end", [a, b], YEAR) == 5


def test_members_per_group_lists_each_group_with_its_count():
    union = UnionFactory()
    group = GroupFactory(union=union, name="语文组")
    MemberFactory.create_batch(2, union=union, group=group)
    MemberFactory(union=union)
    assert registry.get("members.per_group").by([union], YEAR) == [("语文组", 2), ("未分组", 1)]


def test_the_records_behind_a_figure_are_the_ones_it_counts():
    union = UnionFactory()
    MemberFactory.create_batch(3, union=union, joined_on=date(2024, 2, 1))
    m = registry.get("members.joined")
    assert m.records_for([union], YEAR).count() == m.value([union], YEAR) == 3


def test_an_unknown_metric_key_is_refused_in_chinese():
    with pytest.raises(KeyError, match="未登记的指标"):
        registry.get("members.nonexistent")


def test_a_ratio_in_one_evaluation_reuses_the_count_already_drawn(django_assert_num_queries):
    union = UnionFactory()
    MemberFactory(union=union, joined_on=date(2023, 1, 1), gender="F")
    MemberFactory(union=union, joined_on=date(2023, 1, 1), gender="M")
    with registry.evaluation():
        registry.value("members.women", [union], YEAR)
        registry.value("members.at_end", [union], YEAR)
        with django_assert_num_queries(0):
            share = registry.value("members.women_share", [union], YEAR)
    assert share == Decimal("50.0")


def test_figures_are_recounted_outside_an_evaluation_so_nothing_goes_stale():
    union = UnionFactory()
    MemberFactory(union=union, joined_on=date(2023, 1, 1))
    with registry.evaluation():
        assert registry.value("members.at_end", [union], YEAR) == 1
    MemberFactory(union=union, joined_on=date(2023, 6, 1))
    assert registry.value("members.at_end", [union], YEAR) == 2


def test_union_ids_bound_as_one_array_filter_the_same_members_as_a_list():
    unions = [UnionFactory(), UnionFactory(), UnionFactory()]
    for union in unions:
        MemberFactory.create_batch(2, union=union)
    asked = [unions[0].pk, unions[2].pk]
    as_list = set(Member.objects.filter(union__in=asked).values_list("pk", flat=True))
    as_array = set(
        Member.objects.filter(union__in=registry.UnionIdArray(asked)).values_list("pk", flat=True)
    )
    assert as_array == as_list and len(as_array) == 4


def test_union_ids_bound_as_one_array_take_one_parameter_on_postgresql():
    asked = registry.UnionIdArray(range(1, 301))
    _, params = Member.objects.filter(union_id__in=asked).query.sql_with_params()
    expected = 1 if connection.vendor == "postgresql" else 300
    assert len(params) == expected


def test_no_union_ids_as_an_array_filter_out_every_record():
    MemberFactory()
    assert not Member.objects.filter(union__in=registry.UnionIdArray()).exists()
