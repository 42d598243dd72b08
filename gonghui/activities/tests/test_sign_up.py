"""Signing up for an activity: the window, the audience, the waiting list."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from gonghui.activities import services
from gonghui.activities.models import Activity, Audience, SignUp, SignUpState
from gonghui.activities.tests.factories import ActivityFactory
from gonghui.members.models import Status
from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs.tests.factories import GroupFactory

pytestmark = pytest.mark.django_db


def sign_up_error(activity, member, **kwargs) -> str:
    with pytest.raises(ValidationError) as caught:
        services.sign_up(activity=activity, member=member, **kwargs)
    assert not SignUp.objects.filter(activity=activity, member=member).active().exists()
    return caught.value.messages[0]


def test_a_member_signing_up_while_seats_are_free_is_admitted():
    activity = ActivityFactory(capacity=2)
    signup = services.sign_up(activity=activity, member=MemberFactory(union=activity.union))
    assert signup.state == SignUpState.ADMITTED
    assert Activity.objects.get(pk=activity.pk).admitted == 1


def test_a_member_signing_up_when_full_joins_the_waiting_list_in_order():
    activity = ActivityFactory(capacity=1)
    first, second, third = MemberFactory.create_batch(3, union=activity.union)
    services.sign_up(activity=activity, member=first)
    waiting = [services.sign_up(activity=activity, member=m) for m in (second, third)]
    assert [s.state for s in waiting] == [SignUpState.WAITING, SignUpState.WAITING]
    assert list(activity.signups.waiting().values_list("member", flat=True)) == [
        second.pk,
        third.pk,
    ]


def test_signing_up_before_the_window_opens_is_refused():
    activity = ActivityFactory(signup_opens_at=timezone.now() + timedelta(days=1))
    message = sign_up_error(activity, MemberFactory(union=activity.union))
    assert message.startswith("报名尚未开始")


def test_signing_up_after_the_window_closes_is_refused():
    activity = ActivityFactory(signup_closes_at=timezone.now() - timedelta(minutes=1))
    assert sign_up_error(activity, MemberFactory(union=activity.union)).startswith("报名已截止")


def test_signing_up_for_an_activity_without_sign_up_is_refused():
    activity = ActivityFactory(signup_opens_at=None, signup_closes_at=None)
    assert (
        sign_up_error(activity, MemberFactory(union=activity.union)) == "本活动无需报名，请按时参加"
    )


def test_a_member_outside_the_chosen_groups_is_refused_with_the_group_names():
    activity = ActivityFactory(audience=Audience.GROUPS)
    activity.audience_groups.set([GroupFactory(union=activity.union, name="后勤组")])
    member = MemberFactory(union=activity.union, group=GroupFactory(union=activity.union))
    assert sign_up_error(activity, member) == "本活动仅面向后勤组，您不在参加范围内"


def test_a_member_of_a_chosen_group_may_sign_up():
    activity = ActivityFactory(audience=Audience.GROUPS)
    group = GroupFactory(union=activity.union)
    activity.audience_groups.set([group])
    signup = services.sign_up(
        activity=activity, member=MemberFactory(union=activity.union, group=group)
    )
    assert signup.state == SignUpState.ADMITTED


def test_a_man_signing_up_for_a_womens_activity_is_refused():
    activity = ActivityFactory(audience=Audience.WOMEN)
    member = MemberFactory(union=activity.union, gender="M")
    assert sign_up_error(activity, member) == "本活动仅面向女会员，您不在参加范围内"


def test_a_working_member_signing_up_for_a_retirees_activity_is_refused():
    activity = ActivityFactory(audience=Audience.RETIREES)
    message = sign_up_error(activity, MemberFactory(union=activity.union))
    assert message == "本活动仅面向退休会员，您不在参加范围内"


def test_a_retired_member_may_sign_up_for_a_retirees_activity():
    activity = ActivityFactory(audience=Audience.RETIREES)
    member = MemberFactory(union=activity.union, status=Status.RETIRED)
    assert services.sign_up(activity=activity, member=member).state == SignUpState.ADMITTED


def test_a_member_who_withdrew_is_refused():
    activity = ActivityFactory()
    member = MemberFactory(union=activity.union, status=Status.WITHDRAWN)
    assert sign_up_error(activity, member) == "您的会籍状态为“退会”，不能报名参加活动"


def test_a_member_of_another_union_is_refused():
    activity = ActivityFactory()
    assert sign_up_error(activity, MemberFactory()) == "您不是本工会会员，不能参加本活动"


def test_signing_up_twice_is_refused_and_takes_no_second_seat():
    activity = ActivityFactory(capacity=5)
    member = MemberFactory(union=activity.union)
    services.sign_up(activity=activity, member=member)
    with pytest.raises(ValidationError) as caught:
        services.sign_up(activity=activity, member=member)
    assert caught.value.messages == ["您已报名本活动，无需重复报名"]
    assert Activity.objects.get(pk=activity.pk).admitted == 1
    assert activity.signups.count() == 1


def test_cancelling_an_admitted_sign_up_promotes_the_first_waiting_member():
    activity = ActivityFactory(capacity=1)
    admitted, first_waiting, second_waiting = MemberFactory.create_batch(3, union=activity.union)
    seat = services.sign_up(activity=activity, member=admitted)
    services.sign_up(activity=activity, member=first_waiting)
    services.sign_up(activity=activity, member=second_waiting)

    promoted = services.cancel_sign_up(signup=seat)

    assert [s.member_id for s in promoted] == [first_waiting.pk]
    assert list(activity.signups.admitted().values_list("member", flat=True)) == [first_waiting.pk]
    assert list(activity.signups.waiting().values_list("member", flat=True)) == [second_waiting.pk]
    assert Activity.objects.get(pk=activity.pk).admitted == 1


def test_cancelling_a_waiting_sign_up_keeps_the_seats_as_they_are():
    activity = ActivityFactory(capacity=1)
    first, second = MemberFactory.create_batch(2, union=activity.union)
    services.sign_up(activity=activity, member=first)
    waiting = services.sign_up(activity=activity, member=second)
    assert services.cancel_sign_up(signup=waiting) == []
    assert Activity.objects.get(pk=activity.pk).admitted == 1
    assert activity.signups.get(pk=waiting.pk).state == SignUpState.CANCELLED


def test_cancelling_with_nobody_waiting_frees_the_seat():
    activity = ActivityFactory(capacity=1)
    seat = services.sign_up(activity=activity, member=MemberFactory(union=activity.union))
    services.cancel_sign_up(signup=seat)
    assert Activity.objects.get(pk=activity.pk).admitted == 0


def test_cancelling_twice_is_refused():
    activity = ActivityFactory()
    seat = services.sign_up(activity=activity, member=MemberFactory(union=activity.union))
    services.cancel_sign_up(signup=seat)
    with pytest.raises(ValidationError) as caught:
        services.cancel_sign_up(signup=seat)
    assert caught.value.messages == ["该报名已取消"]


def test_a_member_who_cancelled_may_sign_up_again_at_the_back_of_the_queue():
    activity = ActivityFactory(capacity=1)
    member, other = MemberFactory.create_batch(2, union=activity.union)
    services.cancel_sign_up(signup=services.sign_up(activity=activity, member=member))
    services.sign_up(activity=activity, member=other)
    again = services.sign_up(activity=activity, member=member)
    assert again.state == SignUpState.WAITING


def test_raising_the_capacity_admits_waiting_members_in_order():
    activity = ActivityFactory(capacity=1)
    members = MemberFactory.create_batch(4, union=activity.union)
    for m in members:
        services.sign_up(activity=activity, member=m)
    services.update_activity(activity=activity, capacity=3)
    assert set(activity.signups.admitted().values_list("member", flat=True)) == {
        m.pk for m in members[:3]
    }


def test_lowering_the_capacity_below_those_admitted_is_refused():
    activity = ActivityFactory(capacity=3)
    for m in MemberFactory.create_batch(2, union=activity.union):
        services.sign_up(activity=activity, member=m)
    with pytest.raises(ValidationError) as caught:
        services.update_activity(activity=activity, capacity=1)
    assert caught.value.message_dict == {"capacity": ["已有2人报名成功，名额不能少于2"]}
    assert Activity.objects.get(pk=activity.pk).capacity == 3
