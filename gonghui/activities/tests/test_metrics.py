"""The activity metrics: values, breakdowns, and the records behind them."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from gonghui.activities import queries, services
from gonghui.activities.models import ActivityType, Audience, AwardLevel
from gonghui.activities.tests.factories import ActivityFactory
from gonghui.members.models import Status
from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs.tests.factories import GroupFactory, UnionFactory
from gonghui.periods import Period
from gonghui.reports import registry

pytestmark = pytest.mark.django_db

YEAR = Period.year(2024)


def held_on(union, day: date, **kwargs):
    start = timezone.make_aware(datetime(day.year, day.month, day.day, 9, 0))
    return ActivityFactory(
        union=union,
        starts_at=start,
        ends_at=start + timedelta(hours=3),
        signup_opens_at=None,
        signup_closes_at=None,
        **kwargs,
    )


def test_activities_held_counts_the_periods_activities_by_type():
    union = UnionFactory()
    held_on(union, date(2024, 3, 8), type=ActivityType.SPORTS_ARTS)
    held_on(union, date(2024, 5, 1), type=ActivityType.CONTEST)
    held_on(union, date(2024, 6, 1), type=ActivityType.CONTEST)
    held_on(union, date(2025, 1, 1), type=ActivityType.CONTEST)
    held_on(UnionFactory(), date(2024, 5, 1), type=ActivityType.CONTEST)

    held = registry.get("activities.held")
    assert held.value([union.id], YEAR) == 3
    assert held.by([union.id], YEAR) == [("竞赛", 2), ("文体", 1)]


def test_an_activity_starting_late_on_new_years_eve_belongs_to_that_year():
    union = UnionFactory()
    start = timezone.make_aware(datetime(2024, 12, 31, 23, 30))
    ActivityFactory(union=union, starts_at=start, ends_at=start + timedelta(hours=1))
    assert registry.value("activities.held", [union.id], YEAR) == 1


def test_participants_count_attendances_and_drill_down_to_them():
    union = UnionFactory()
    activity = held_on(union, date(2024, 4, 10))
    members = MemberFactory.create_batch(3, union=union)
    services.mark_attendance(activity=activity, members=members[:2], now=activity.starts_at)

    participants = registry.get("activities.participants")
    assert participants.value([union.id], YEAR) == 2
    assert {a.member_id for a in participants.records_for([union.id], YEAR)} == {
        members[0].pk,
        members[1].pk,
    }


def test_the_participation_rate_divides_attendances_by_each_activitys_audience():
    union = UnionFactory()
    women = MemberFactory.create_batch(4, union=union, gender="F")
    MemberFactory.create_batch(4, union=union, gender="M")
    everyone = held_on(union, date(2024, 4, 10))
    for_women = held_on(union, date(2024, 5, 10), audience=Audience.WOMEN)
    services.mark_attendance(activity=everyone, members=women[:2], now=everyone.starts_at)
    services.mark_attendance(activity=for_women, members=women[:4], now=for_women.starts_at)

    # (2 + 4) attendances over (8 + 4) audience = 50%
    assert registry.value("activities.participation_rate", [union.id], YEAR) == Decimal("50.0")


def test_an_activitys_audience_is_counted_on_the_day_it_starts():
    union = UnionFactory()
    activity = held_on(union, date(2024, 4, 10))
    MemberFactory(union=union, joined_on=date(2024, 1, 1))
    MemberFactory(union=union, joined_on=date(2024, 6, 1))  # joined later
    MemberFactory(
        union=union, joined_on=date(2020, 1, 1), status=Status.RETIRED, left_on=date(2023, 7, 1)
    )
    assert queries.participation(activity)["audience"] == 1
    annotated = queries.with_participation(queries.activities_in([union.id], YEAR)).get()
    assert annotated.audience_size == 1


def test_a_retirees_activity_counts_members_retired_by_then():
    union = UnionFactory()
    activity = held_on(union, date(2024, 9, 9), audience=Audience.RETIREES)
    MemberFactory(union=union, status=Status.RETIRED, left_on=date(2023, 7, 1))
    MemberFactory(union=union)
    assert queries.participation(activity)["audience"] == 1
    annotated = queries.with_participation(queries.activities_in([union.id], YEAR)).get()
    assert annotated.audience_size == 1


def test_every_unions_audiences_counted_from_its_roll_equal_each_activitys_own_count():
    # Joining or leaving on the day itself, retirees, groups, other unions.
    union, other = UnionFactory(), UnionFactory()
    day = date(2024, 4, 10)
    first, second = GroupFactory(union=union), GroupFactory(union=union)
    for joined, left, status in [
        (date(2020, 1, 1), None, Status.ACTIVE),
        (day, None, Status.ACTIVE),
        (day + timedelta(days=1), None, Status.ACTIVE),
        (date(2020, 1, 1), day, Status.WITHDRAWN),
        (date(2020, 1, 1), day + timedelta(days=1), Status.WITHDRAWN),
        (date(2020, 1, 1), date(2023, 7, 1), Status.RETIRED),
        (date(2020, 1, 1), day, Status.RETIRED),
        (date(2020, 1, 1), day + timedelta(days=1), Status.RETIRED),
    ]:
        for gender, group in [("F", first), ("M", second), ("F", None)]:
            MemberFactory(
                union=union,
                joined_on=joined,
                left_on=left,
                status=status,
                gender=gender,
                group=group,
            )
    MemberFactory.create_batch(3, union=other, joined_on=date(2020, 1, 1))
    activities = [
        held_on(union, day),
        held_on(union, day, audience=Audience.WOMEN),
        held_on(union, day, audience=Audience.RETIREES),
        held_on(union, date(2024, 11, 1), audience=Audience.RETIREES),
        held_on(other, day),
    ]
    groups = held_on(union, day, audience=Audience.GROUPS)
    groups.audience_groups.set([first, second])
    activities.append(groups)

    expected = {union.pk: 0, other.pk: 0}
    for activity in activities:
        expected[activity.union_id] += queries.audience_members(activity).count()
    assert queries._audience_totals([union.pk, other.pk], YEAR) == expected
    assert expected[other.pk] == 3 and expected[union.pk] > 0


def test_participation_per_group_divides_attendees_by_the_groups_audience():
    union = UnionFactory()
    kitchen = GroupFactory(union=union, name="后勤组")
    teachers = GroupFactory(union=union, name="大班组")
    activity = held_on(union, date(2024, 4, 10), audience=Audience.GROUPS)
    activity.audience_groups.set([kitchen, teachers])
    cooks = MemberFactory.create_batch(2, union=union, group=kitchen)
    MemberFactory.create_batch(4, union=union, group=teachers)
    services.mark_attendance(activity=activity, members=cooks, now=activity.starts_at)

    rows = queries.participation_by_group(activity)

    assert rows == [
        {"group": "后勤组", "audience": 2, "attendees": 2, "rate": Decimal("100.0")},
        {"group": "大班组", "audience": 4, "attendees": 0, "rate": Decimal("0.0")},
    ]
    assert queries.participation(activity)["rate"] == Decimal("33.3")


def test_results_count_awards_by_level():
    union = UnionFactory()
    contest = held_on(union, date(2024, 11, 2))
    services.record_result(
        activity=contest,
        group=GroupFactory(union=union, name="后勤组"),
        rank=1,
        award_level=AwardLevel.FIRST_PLACE,
        cost="200",
    )
    services.record_result(
        activity=contest,
        group=GroupFactory(union=union, name="大班组"),
        rank=2,
        award_level=AwardLevel.SECOND_PLACE,
        cost="100.50",
    )
    results = registry.get("activities.results")
    assert results.value([union.id], YEAR) == 2
    assert results.by([union.id], YEAR) == [("第一名", 1), ("第二名", 1)]
    assert registry.value("activities.prize_cost", [union.id], YEAR) == Decimal("300.50")
