"""The admin workbench and the portal pages: access, tenancy, and that each
page calls its service."""

from datetime import timedelta

import pytest
from django.utils import timezone

from gonghui.activities import services
from gonghui.activities.models import Activity, ActivityType, Attendance, SignUpState
from gonghui.activities.tests.factories import ActivityFactory
from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs.roles import Role
from gonghui.orgs.tests.factories import UnionFactory, user_with_role

pytestmark = pytest.mark.django_db


def member_client(client, union, **kwargs):
    user = user_with_role(union, Role.MEMBER)
    member = MemberFactory(union=union, user=user, **kwargs)
    client.force_login(user)
    return member


def started(union):
    now = timezone.now()
    return ActivityFactory(
        union=union,
        starts_at=now - timedelta(minutes=5),
        ends_at=now + timedelta(hours=1),
        signup_opens_at=None,
        signup_closes_at=None,
    )


# Admin ----------------------------------------------------------------------


@pytest.mark.parametrize("page", ["", "attendance/", "qr/"])
def test_another_unions_activity_is_not_found_in_the_admin(client, page):
    client.force_login(user_with_role(UnionFactory()))
    other = ActivityFactory(title="别家的拔河比赛")
    response = client.get(f"/admin/activities/{other.pk}/{page}")
    assert response.status_code == 404
    assert "别家的拔河比赛" not in response.content.decode()


def test_another_unions_activity_is_not_found_in_the_admin_change_form(client):
    client.force_login(user_with_role(UnionFactory()))
    other = ActivityFactory()
    assert client.get(f"/admin/activities/activity/{other.pk}/change/").status_code == 404


def test_the_activity_list_shows_only_the_users_unions_activities(client):
    union = UnionFactory()
    client.force_login(user_with_role(union))
    ActivityFactory(union=union, title="本会合唱比赛")
    ActivityFactory(title="别家的拔河比赛")
    page = client.get("/admin/activities/activity/").content.decode()
    assert "本会合唱比赛" in page
    assert "别家的拔河比赛" not in page


def test_the_admin_form_shows_the_services_message_and_writes_nothing(client):
    union = UnionFactory()
    client.force_login(user_with_role(union))
    start = timezone.localtime() + timedelta(days=5)
    response = client.post(
        "/admin/activities/activity/add/",
        {
            "union": union.pk,
            "title": "三八节健步走",
            "type": ActivityType.SPORTS_ARTS,
            "starts_at_0": start.strftime("%Y-%m-%d"),
            "starts_at_1": "09:00:00",
            "ends_at_0": start.strftime("%Y-%m-%d"),
            "ends_at_1": "08:00:00",
            "audience": "all",
        },
    )
    assert response.status_code == 200
    assert "结束时间不能早于开始时间" in response.content.decode()
    assert not Activity.objects.filter(union=union).exists()


def test_staff_ticking_the_list_records_attendance(client):
    union = UnionFactory()
    user = user_with_role(union, Role.COMMITTEE)
    client.force_login(user)
    activity = started(union)
    present, absent = MemberFactory.create_batch(2, union=union)
    response = client.post(
        f"/admin/activities/{activity.pk}/attendance/", {"present": [present.pk]}
    )
    assert response.status_code == 302
    assert list(activity.attendances.values_list("member_id", "recorded_by")) == [
        (present.pk, user.pk)
    ]
    page = client.get(f"/admin/activities/{activity.pk}/").content.decode()
    assert "50.0%" in page


def test_a_liaison_sees_the_attendance_list_but_cannot_save_it(client):
    union = UnionFactory()
    client.force_login(user_with_role(union, Role.LIAISON))
    activity = started(union)
    member = MemberFactory(union=union)
    assert client.get(f"/admin/activities/{activity.pk}/attendance/").status_code == 200
    response = client.post(f"/admin/activities/{activity.pk}/attendance/", {"present": [member.pk]})
    assert response.status_code == 403
    assert not Attendance.objects.exists()


def test_the_qr_page_shows_the_check_in_address_and_token(client):
    union = UnionFactory()
    client.force_login(user_with_role(union))
    activity = started(union)
    page = client.get(f"/admin/activities/{activity.pk}/qr/").content.decode()
    token = activity.tokens.get().token
    assert f"/activities/checkin/{token}/" in page


def test_a_result_entered_on_the_activity_page_is_recorded(client):
    union = UnionFactory()
    client.force_login(user_with_role(union))
    activity = started(union)
    winner = MemberFactory(union=union)
    client.post(
        f"/admin/activities/{activity.pk}/results/",
        {"member": winner.pk, "rank": 1, "award_level": "first_prize", "cost": "50"},
    )
    assert activity.results.get().member == winner


# Portal ---------------------------------------------------------------------------


def test_a_member_signs_up_on_the_portal(client):
    activity = ActivityFactory(capacity=1)
    member = member_client(client, activity.union)
    response = client.post(f"/activities/{activity.pk}/signup/", follow=True)
    assert "报名成功" in response.content.decode()
    assert activity.signups.get().member == member


def test_a_member_outside_the_window_sees_why_and_nothing_is_written(client):
    activity = ActivityFactory(signup_closes_at=timezone.now() - timedelta(hours=1))
    member_client(client, activity.union)
    response = client.post(f"/activities/{activity.pk}/signup/", follow=True)
    assert "报名已截止" in response.content.decode()
    assert not activity.signups.exists()


def test_a_member_cancels_on_the_portal_and_the_first_waiting_member_is_admitted(client):
    activity = ActivityFactory(capacity=1)
    member = member_client(client, activity.union)
    services.sign_up(activity=activity, member=member)
    waiting = MemberFactory(union=activity.union)
    services.sign_up(activity=activity, member=waiting)
    client.post(f"/activities/{activity.pk}/cancel/")
    assert activity.signups.get(member=waiting).state == SignUpState.ADMITTED


def test_another_unions_activity_is_not_found_on_the_portal(client):
    member_client(client, UnionFactory())
    other = ActivityFactory(title="别家的拔河比赛")
    response = client.get(f"/activities/{other.pk}/")
    assert response.status_code == 404
    assert client.post(f"/activities/{other.pk}/signup/").status_code == 404
    assert not other.signups.exists()


def test_a_member_checks_in_from_the_qr_address(client):
    union = UnionFactory()
    member = member_client(client, union)
    activity = started(union)
    token = services.issue_check_in_token(activity=activity).token
    assert activity.title in client.get(f"/activities/checkin/{token}/").content.decode()
    response = client.post(f"/activities/checkin/{token}/")
    assert "签到成功" in response.content.decode()
    assert activity.attendances.get().member == member


def test_another_unions_check_in_token_is_refused_on_the_portal(client):
    member_client(client, UnionFactory())
    other = started(UnionFactory())
    token = services.issue_check_in_token(activity=other).token
    page = client.get(f"/activities/checkin/{token}/").content.decode()
    assert "签到码无效" in page
    assert other.title not in page
    client.post(f"/activities/checkin/{token}/")
    assert not other.attendances.exists()


def test_the_portal_pages_need_a_signed_in_member(client):
    response = client.get("/activities/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_the_qr_page_draws_a_qr_code_of_the_check_in_address(client):
    import segno

    union = UnionFactory()
    client.force_login(user_with_role(union))
    activity = started(union)
    page = client.get(f"/admin/activities/{activity.pk}/qr/").content.decode()
    url = f"http://testserver/activities/checkin/{activity.tokens.get().token}/"
    expected = segno.make(url, error="m").svg_inline(scale=8, border=2, title="签到二维码")
    assert expected in page
