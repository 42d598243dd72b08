"""Attendance: staff ticking a list, members scanning the venue's QR code."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from gonghui.activities import services
from gonghui.activities.models import Attendance, CheckIn
from gonghui.activities.tests.factories import ActivityFactory
from gonghui.members.models import Status
from gonghui.members.tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def started_activity(**kwargs):
    now = timezone.now()
    return ActivityFactory(
        starts_at=now - timedelta(minutes=10),
        ends_at=now + timedelta(hours=2),
        signup_opens_at=None,
        signup_closes_at=None,
        **kwargs,
    )


def check_in_error(**kwargs) -> str:
    with pytest.raises(ValidationError) as caught:
        services.check_in_by_token(**kwargs)
    assert not Attendance.objects.filter(member=kwargs["member"]).exists()
    return caught.value.messages[0]


def test_a_member_scanning_a_fresh_token_is_checked_in_by_qr():
    activity = started_activity()
    token = services.issue_check_in_token(activity=activity)
    attendance = services.check_in_by_token(
        token=token.token, member=MemberFactory(union=activity.union)
    )
    assert attendance.how == CheckIn.QR


def test_the_qr_page_keeps_showing_a_token_until_it_nears_expiry():
    activity = started_activity()
    now = timezone.now()
    first = services.issue_check_in_token(activity=activity, now=now)
    assert services.issue_check_in_token(activity=activity, now=now + timedelta(minutes=2)) == first
    later = services.issue_check_in_token(activity=activity, now=now + timedelta(minutes=8))
    assert later != first


def test_an_expired_token_is_refused():
    activity = started_activity()
    token = services.issue_check_in_token(activity=activity)
    message = check_in_error(
        token=token.token,
        member=MemberFactory(union=activity.union),
        now=token.expires_at + timedelta(seconds=1),
    )
    assert message == "签到码已过期，请扫描现场最新的二维码"


def test_a_wrong_token_is_refused():
    activity = started_activity()
    services.issue_check_in_token(activity=activity)
    message = check_in_error(token="not-a-token", member=MemberFactory(union=activity.union))
    assert message == "签到码无效，请重新扫描现场二维码"


def test_another_unions_token_is_refused_as_invalid():
    activity = started_activity()
    token = services.issue_check_in_token(activity=activity)
    assert (
        check_in_error(token=token.token, member=MemberFactory())
        == "签到码无效，请重新扫描现场二维码"
    )


def test_checking_in_twice_is_refused_and_recorded_once():
    activity = started_activity()
    member = MemberFactory(union=activity.union)
    token = services.issue_check_in_token(activity=activity)
    services.check_in_by_token(token=token.token, member=member)
    with pytest.raises(ValidationError) as caught:
        services.check_in_by_token(token=token.token, member=member)
    assert caught.value.messages == ["您已签到，无需重复签到"]
    assert Attendance.objects.filter(activity=activity, member=member).count() == 1


def test_a_member_not_admitted_cannot_check_in_to_an_activity_with_sign_up():
    activity = started_activity()
    activity.signup_opens_at = activity.starts_at - timedelta(days=3)
    activity.save()
    token = services.issue_check_in_token(activity=activity)
    message = check_in_error(token=token.token, member=MemberFactory(union=activity.union))
    assert message == "您没有报名成功本活动（未报名或仍在候补），不能签到"


def test_checking_in_after_the_activity_ended_is_refused():
    activity = started_activity()
    token = services.issue_check_in_token(activity=activity)
    message = check_in_error(
        token=token.token,
        member=MemberFactory(union=activity.union),
        now=activity.ends_at + timedelta(minutes=1),
    )
    assert message == "活动已结束，不能签到"


def test_staff_ticking_a_list_records_each_member_once():
    activity = started_activity()
    members = MemberFactory.create_batch(3, union=activity.union)
    services.mark_attendance(activity=activity, members=members[:2])
    added = services.mark_attendance(activity=activity, members=members)
    assert [a.member_id for a in added] == [members[2].pk]
    assert activity.attendances.filter(how=CheckIn.LIST).count() == 3


def test_a_list_with_a_member_who_left_is_refused_whole():
    activity = started_activity()
    present = MemberFactory(union=activity.union)
    left = MemberFactory(union=activity.union, name="王芳", status=Status.TRANSFERRED)
    with pytest.raises(ValidationError) as caught:
        services.mark_attendance(activity=activity, members=[present, left])
    assert caught.value.messages == ["王芳：该会员的会籍状态为“调出”，不能报名参加活动"]
    assert not activity.attendances.exists()
