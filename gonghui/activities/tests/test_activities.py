"""Creating activities and recording results: each bad input named, nothing written."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from gonghui.activities import services
from gonghui.activities.models import Activity, ActivityType, Audience, AwardLevel, Result
from gonghui.activities.tests.factories import ActivityFactory
from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs.tests.factories import GroupFactory, UnionFactory

pytestmark = pytest.mark.django_db


def fields(**overrides):
    start = timezone.now() + timedelta(days=3)
    data = {
        "title": "教职工拔河比赛",
        "type": ActivityType.CONTEST,
        "starts_at": start,
        "ends_at": start + timedelta(hours=2),
        "place": "操场",
        "capacity": 30,
        "signup_opens_at": timezone.now(),
        "signup_closes_at": start - timedelta(hours=1),
    }
    data.update(overrides)
    return data


def create_error(union, **overrides) -> dict:
    with pytest.raises(ValidationError) as caught:
        services.create_activity(union=union, **fields(**overrides))
    assert not Activity.objects.filter(union=union).exists()
    return caught.value.message_dict


def test_an_activity_is_created_with_its_audience_groups():
    union = UnionFactory()
    group = GroupFactory(union=union)
    activity = services.create_activity(
        union=union, **fields(audience=Audience.GROUPS, audience_groups=[group], cost="800.50")
    )
    assert list(activity.audience_groups.all()) == [group]
    assert activity.cost == Decimal("800.50")


def test_an_activity_without_a_title_is_refused():
    assert create_error(UnionFactory(), title="  ") == {"title": ["活动名称不能为空"]}


def test_an_activity_ending_before_it_starts_is_refused():
    start = timezone.now()
    errors = create_error(UnionFactory(), starts_at=start, ends_at=start - timedelta(hours=1))
    assert errors["ends_at"] == ["结束时间不能早于开始时间"]


def test_a_sign_up_window_closing_before_it_opens_is_refused():
    now = timezone.now()
    errors = create_error(UnionFactory(), signup_opens_at=now, signup_closes_at=now - timedelta(1))
    assert errors["signup_closes_at"] == ["报名截止时间不能早于报名开始时间"]


def test_a_capacity_of_zero_is_refused():
    assert create_error(UnionFactory(), capacity=0)["capacity"] == ["名额至少为1人；不限名额请留空"]


def test_a_negative_cost_is_refused():
    assert create_error(UnionFactory(), cost="-5")["cost"] == ["费用不能为负数"]


def test_a_cost_with_three_decimals_is_refused():
    assert create_error(UnionFactory(), cost="1.234")["cost"] == ["费用最多保留两位小数"]


def test_a_group_audience_without_groups_is_refused():
    errors = create_error(UnionFactory(), audience=Audience.GROUPS)
    assert errors["audience_groups"] == ["参加对象为指定工会小组时，请至少选择一个小组"]


def test_a_group_of_another_union_is_refused():
    errors = create_error(
        UnionFactory(), audience=Audience.GROUPS, audience_groups=[GroupFactory()]
    )
    assert errors["audience_groups"] == ["所选小组不属于本工会"]


def test_a_teams_result_is_recorded_with_its_prize_and_cost():
    activity = ActivityFactory()
    group = GroupFactory(union=activity.union, name="后勤组")
    result = services.record_result(
        activity=activity,
        group=group,
        rank=1,
        award_level=AwardLevel.FIRST_PLACE,
        prize="奖杯",
        cost="120.00",
    )
    assert str(result) == f"{activity} 后勤组 第一名"
    assert result.cost == Decimal("120.00")


def test_a_result_naming_both_a_group_and_a_member_is_refused():
    activity = ActivityFactory()
    with pytest.raises(ValidationError) as caught:
        services.record_result(
            activity=activity,
            group=GroupFactory(union=activity.union),
            member=MemberFactory(union=activity.union),
            award_level=AwardLevel.FIRST_PRIZE,
        )
    assert caught.value.message_dict == {"group": ["请选择获奖的工会小组或获奖个人（二者选一）"]}
    assert not Result.objects.exists()


def test_a_result_for_a_member_of_another_union_is_refused():
    activity = ActivityFactory()
    with pytest.raises(ValidationError) as caught:
        services.record_result(
            activity=activity, member=MemberFactory(), award_level=AwardLevel.MERIT
        )
    assert caught.value.message_dict == {"member": ["所选会员不属于本工会"]}


def test_a_result_with_a_negative_prize_cost_is_refused():
    activity = ActivityFactory()
    with pytest.raises(ValidationError) as caught:
        services.record_result(
            activity=activity,
            member=MemberFactory(union=activity.union),
            award_level=AwardLevel.MERIT,
            cost="-1",
        )
    assert caught.value.message_dict == {"cost": ["奖品费用不能为负数"]}
    assert not Result.objects.exists()


def test_a_club_is_saved_with_its_members_and_a_duplicate_name_is_refused():
    union = UnionFactory()
    members = MemberFactory.create_batch(2, union=union)
    club = services.save_club(union=union, name="品读社", members=members)
    assert set(club.members.all()) == set(members)
    with pytest.raises(ValidationError) as caught:
        services.save_club(union=union, name="品读社")
    assert caught.value.message_dict == {"name": ["本工会已有名为“品读社”的社团"]}
