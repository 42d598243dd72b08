"""The activities endpoints: list, read, create, change, sign up and cancel,
check in, attendance, results and attachments, and every refusal."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from PIL import Image

from gonghui.activities import services
from gonghui.activities.models import Activity, Attendance, Club, Result, SignUp
from gonghui.activities.tests.factories import ActivityFactory
from gonghui.api.tests.calls import call, token_for
from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs.roles import Role
from gonghui.orgs.tests.factories import GroupFactory, UnionFactory, user_with_role

pytestmark = pytest.mark.django_db

SQL = "'; DROP TABLE activities_activity; --"
XSS = "<script>alert(1)</script>"


@pytest.fixture
def ours():
    union = UnionFactory()
    return union, token_for(user_with_role(union, Role.COMMITTEE))


def _new(owner, **over):
    starts = timezone.now() + timedelta(days=10)
    data = {
        "union": owner.id,
        "title": "教职工羽毛球赛",
        "type": "contest",
        "starts_at": starts.isoformat(),
        "ends_at": (starts + timedelta(hours=3)).isoformat(),
    }
    data.update(over)
    return {k: v for k, v in data.items() if v is not ...}


def _chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


# Happy paths -------------------------------------------------------------------------


def test_a_committee_member_creates_an_activity_and_reads_its_cost_as_text(ours):
    union, key = ours
    group = GroupFactory(union=union)
    response = call(
        "post",
        "activities",
        key,
        _new(union, cost="1280.5", capacity=30, audience="groups", audience_groups=[group.id]),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["cost"] == "1280.50"
    assert body["audience_groups"] == [group.id]
    assert body["participation"] == {"attendees": 0, "audience": 0, "rate": "0.0"}
    assert Activity.objects.get(pk=body["id"]).union == union


def test_a_naive_start_time_is_read_as_beijing_time(ours):
    union, key = ours
    body = call(
        "post",
        "activities",
        key,
        _new(union, starts_at="2031-05-01T09:00:00", ends_at="2031-05-01T11:00:00"),
    ).json()
    assert body["starts_at"].startswith("2031-05-01T09:00:00+08:00")


def test_the_list_shows_only_the_callers_unions_and_filters_by_type_date_and_open(ours):
    union, key = ours
    now = timezone.now()
    open_contest = ActivityFactory(union=union, type="contest")
    closed = ActivityFactory(
        union=union, type="speech", signup_opens_at=now + timedelta(days=1), signup_closes_at=None
    )
    later = ActivityFactory(
        union=union,
        type="contest",
        starts_at=now + timedelta(days=60),
        ends_at=now + timedelta(days=60, hours=1),
    )
    ActivityFactory(title="别人的活动")

    def ids(**query):
        response = call("get", "activities", key, query)
        assert response.status_code == 200, response.content
        return {a["id"] for a in response.json()["items"]}

    assert ids() == {open_contest.id, closed.id, later.id}
    assert ids(type="speech") == {closed.id}
    until = (now + timedelta(days=30)).date().isoformat()
    assert ids(starts_until=until) == {open_contest.id, closed.id}
    assert ids(starts_from=until) == {later.id}
    assert ids(open_for_sign_up="true") == {open_contest.id, later.id}
    assert ids(open_for_sign_up="false") == {closed.id}
    assert ids(union=union.id, type="contest") == {open_contest.id, later.id}


def test_walking_the_pages_returns_each_activity_once(ours):
    union, key = ours
    made = ActivityFactory.create_batch(7, union=union)
    seen, cursor = [], None
    while True:
        body = call(
            "get", "activities", key, {"limit": 3, **({"cursor": cursor} if cursor else {})}
        )
        body = body.json()
        seen += [a["id"] for a in body["items"]]
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert seen == sorted(a.id for a in made)


def test_signing_up_past_capacity_waits_and_cancelling_promotes_the_first_waiting(ours):
    union, key = ours
    activity = ActivityFactory(union=union, capacity=1)
    first, second = MemberFactory(union=union), MemberFactory(union=union)
    admitted = call("post", f"activities/{activity.id}/signups", key, {"member": first.id})
    waiting = call("post", f"activities/{activity.id}/signups", key, {"member": second.id})
    assert admitted.status_code == 201 and admitted.json()["state"] == "admitted"
    assert waiting.json()["state"] == "waiting" and waiting.json()["waiting_place"] == 1

    detail = call("get", f"activities/{activity.id}", key).json()
    assert (detail["admitted"], detail["waiting"], detail["seats_left"]) == (1, 1, 0)

    cancelled = call(
        "post", f"activities/{activity.id}/signups/{admitted.json()['id']}/cancel", key
    )
    assert cancelled.status_code == 200, cancelled.content
    assert cancelled.json()["signup"]["state"] == "cancelled"
    assert [p["member"]["id"] for p in cancelled.json()["promoted"]] == [second.id]
    states = [s["state"] for s in call("get", f"activities/{activity.id}/signups", key).json()]
    assert states == ["cancelled", "admitted"]


def test_staff_check_a_member_in_with_the_venue_token(ours):
    union, key = ours
    activity = ActivityFactory(union=union, signup_opens_at=None, signup_closes_at=None)
    member = MemberFactory(union=union)
    token = services.issue_check_in_token(activity=activity)
    response = call("post", "check-ins", key, {"token": token.token, "member": member.id})
    assert response.status_code == 201, response.content
    assert response.json()["how"] == "qr"
    again = call("post", "check-ins", key, {"token": token.token, "member": member.id})
    assert again.status_code == 400 and "已签到" in again.json()["detail"]


def test_ticking_the_attendance_list_adds_and_removes_and_shows_participation(ours):
    union, key = ours
    activity = ActivityFactory(union=union, signup_opens_at=None, signup_closes_at=None)
    a, b, c = MemberFactory.create_batch(3, union=union)
    first = call("post", f"activities/{activity.id}/attendance", key, {"present": [a.id, b.id]})
    assert first.status_code == 200, first.content
    assert len(first.json()["added"]) == 2
    second = call(
        "post", f"activities/{activity.id}/attendance", key, {"present": [c.id], "absent": [a.id]}
    )
    assert second.json()["removed"] == 1
    assert set(Attendance.objects.values_list("member_id", flat=True)) == {b.id, c.id}
    figures = call("get", f"activities/{activity.id}", key).json()["participation"]
    assert figures["attendees"] == 2


def test_results_are_recorded_for_a_group_and_listed_with_their_prize_cost(ours):
    union, key = ours
    activity = ActivityFactory(union=union)
    group = GroupFactory(union=union)
    created = call(
        "post",
        f"activities/{activity.id}/results",
        key,
        {"award_level": "first_prize", "group": group.id, "rank": 1, "cost": 300},
    )
    assert created.status_code == 201, created.content
    assert created.json()["cost"] == "300.00"
    listed = call("get", f"activities/{activity.id}/results", key).json()
    assert [(r["group"]["name"], r["award_label"]) for r in listed] == [(group.name, "一等奖")]


def test_changing_the_capacity_admits_the_waiting_list(ours):
    union, key = ours
    activity = ActivityFactory(union=union, capacity=1)
    for member in MemberFactory.create_batch(2, union=union):
        services.sign_up(activity=activity, member=member)
    response = call("patch", f"activities/{activity.id}", key, {"capacity": 2})
    assert response.status_code == 200, response.content
    assert (response.json()["admitted"], response.json()["waiting"]) == (2, 0)


def test_photos_are_uploaded_to_an_activity_and_listed(ours, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    union, key = ours
    activity = ActivityFactory(union=union)
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, "JPEG")
    photo = SimpleUploadedFile("合影.jpg", out.getvalue(), content_type="image/jpeg")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    url = f"/api/v1/activities/{activity.id}/attachments"
    response = Client().post(url, {"file": photo}, **auth)
    assert response.status_code == 201, response.content
    assert response.json()["original_name"] == "合影.jpg"
    listed = Client().get(url, **auth).json()
    assert [a["id"] for a in listed] == [response.json()["id"]]


# Permissions and other unions -----------------------------------------------------------


def test_a_liaison_may_read_activities_but_every_write_is_403():
    union = UnionFactory()
    activity = ActivityFactory(union=union)
    key = token_for(user_with_role(union, Role.LIAISON))
    assert call("get", f"activities/{activity.id}", key).status_code == 200
    assert call("post", "activities", key, _new(union)).status_code == 403
    member = MemberFactory(union=union)
    refused = call("post", f"activities/{activity.id}/signups", key, {"member": member.id})
    assert refused.status_code == 403
    assert _chinese(refused.json()["detail"])
    assert not SignUp.objects.exists()


def test_a_role_without_activities_rights_gets_403_on_the_list():
    union = UnionFactory()
    key = token_for(user_with_role(union, Role.AUDIT))
    assert call("get", "activities", key).status_code == 403


OTHER_UNION_PATHS = [
    ("get", "activities/{a}", None),
    ("patch", "activities/{a}", {"title": "改名"}),
    ("get", "activities/{a}/signups", None),
    ("post", "activities/{a}/signups", {"member": 1}),
    ("post", "activities/{a}/signups/{s}/cancel", None),
    ("post", "activities/{a}/attendance", {"present": []}),
    ("get", "activities/{a}/results", None),
    ("post", "activities/{a}/results", {"award_level": "merit", "member": 1}),
    ("get", "activities/{a}/attachments", None),
    ("post", "activities/{a}/attachments", None),
    ("post", "activities/{own}/signups/{s}/cancel", None),
]


@pytest.mark.parametrize("method,path,data", OTHER_UNION_PATHS)
def test_another_unions_ids_in_the_path_answer_404_and_name_nothing(ours, method, path, data):
    union, key = ours
    theirs = ActivityFactory(title="乙方秘密活动")
    signup = services.sign_up(activity=theirs, member=MemberFactory(union=theirs.union))
    own = ActivityFactory(union=union)
    url = path.format(a=theirs.id, s=signup.id, own=own.id)
    response = call(method, url, key, data)
    assert response.status_code == 404, response.content
    assert response.json() == {"detail": "未找到"}
    assert SignUp.objects.get(pk=signup.pk).state == "admitted"


# Bad input ----------------------------------------------------------------------------------


def _assert_refused(response, field, status, fragment=None):
    assert response.status_code == status, response.content
    body = response.json()
    fields = {e["field"]: e["message"] for e in body["errors"]}
    assert field in fields, body
    assert _chinese(fields[field]), fields[field]
    if fragment:
        assert fragment in fields[field], fields[field]


CREATE_CASES = [
    ("invalid type", {"type": "party"}, "type", 422, "可选范围"),
    ("invalid audience", {"audience": "everyone"}, "audience", 422, "可选范围"),
    ("cost with three decimals", {"cost": "12.345"}, "cost", 422, "两位小数"),
    ("cost as a float artifact", {"cost": 0.30000000000000004}, "cost", 422, "两位小数"),
    ("negative cost", {"cost": "-5"}, "cost", 400, "负数"),
    ("cost as words", {"cost": "一百元"}, "cost", 422, "有效金额"),
    ("cost as true", {"cost": True}, "cost", 422, "true"),
    ("cost as infinity", {"cost": "Infinity"}, "cost", 422, "有效金额"),
    ("ends before it starts", {"ends_at": "2000-01-01T00:00:00"}, "ends_at", 400, "早于"),
    ("start as words", {"starts_at": "下周一"}, "starts_at", 422, "日期"),
    ("capacity as text", {"capacity": "三十"}, "capacity", 422, "整数"),
    ("capacity zero", {"capacity": 0}, "capacity", 400, "至少"),
    ("missing title", {"title": ...}, "title", 422, "缺少必填字段"),
    ("blank title", {"title": "  "}, "title", 400, "不能为空"),
    ("title too long", {"title": "长" * 121}, "title", 422, "120"),
    ("control characters", {"title": "赛\x00事"}, "title", 422, "控制字符"),
    ("unknown field", {"budget": 1}, "budget", 422, "不支持"),
    ("union as text", {"union": "甲"}, "union", 422, "整数"),
    ("groups not a list", {"audience_groups": 5}, "audience_groups", 422, "列表"),
    (
        "closes before opens",
        {"signup_opens_at": "2030-01-02T00:00:00", "signup_closes_at": "2030-01-01T00:00:00"},
        "signup_closes_at",
        400,
        "早于",
    ),  # noqa: E501
]


@pytest.mark.parametrize(
    "case,over,field,status,fragment", CREATE_CASES, ids=[c[0] for c in CREATE_CASES]
)
def test_a_bad_activity_is_refused_in_chinese_and_writes_nothing(
    ours, case, over, field, status, fragment
):
    union, key = ours
    _assert_refused(call("post", "activities", key, _new(union, **over)), field, status, fragment)
    assert not Activity.objects.exists()


def test_another_unions_group_club_or_union_in_the_body_is_not_found(ours):
    union, key = ours
    theirs = UnionFactory()
    group, club = (
        GroupFactory(union=theirs, name="乙方小组"),
        Club.objects.create(union=theirs, name="乙方社团"),
    )
    cases = [
        ({"audience": "groups", "audience_groups": [group.id]}, "audience_groups"),
        ({"club": club.id}, "club"),
        ({"union": theirs.id}, "union"),
    ]
    for over, field in cases:
        response = call("post", "activities", key, _new(union, **over))
        _assert_refused(response, field, 400, "未找到")
        assert "乙方" not in response.content.decode()
    assert not Activity.objects.exists()


def test_another_unions_member_cannot_be_signed_up_ticked_or_awarded(ours):
    union, key = ours
    activity = ActivityFactory(union=union)
    stranger = MemberFactory(name="乙方会员")
    stranger_group = GroupFactory(name="乙方小组")
    responses = [
        ("member", call("post", f"activities/{activity.id}/signups", key, {"member": stranger.id})),
        (
            "present",
            call("post", f"activities/{activity.id}/attendance", key, {"present": [stranger.id]}),
        ),  # noqa: E501
        (
            "member",
            call(
                "post",
                f"activities/{activity.id}/results",
                key,
                {"award_level": "merit", "member": stranger.id},
            ),
        ),  # noqa: E501
        (
            "group",
            call(
                "post",
                f"activities/{activity.id}/results",
                key,
                {"award_level": "merit", "group": stranger_group.id},
            ),
        ),  # noqa: E501
    ]
    for field, response in responses:
        _assert_refused(response, field, 400, "未找到")
        assert "乙方" not in response.content.decode()
    assert not SignUp.objects.exists() and not Attendance.objects.exists()
    assert not Result.objects.exists()


def test_a_check_in_token_of_another_union_is_invalid_for_our_member(ours):
    union, key = ours
    token = services.issue_check_in_token(activity=ActivityFactory(signup_opens_at=None))
    member = MemberFactory(union=union)
    response = call("post", "check-ins", key, {"token": token.token, "member": member.id})
    _assert_refused(response, "token", 400, "无效")
    stranger = MemberFactory()
    refused = call("post", "check-ins", key, {"token": token.token, "member": stranger.id})
    _assert_refused(refused, "member", 400, "未找到")


@pytest.mark.parametrize(
    "body,field,fragment",
    [
        ({"award_level": "gold", "member": 1}, "award_level", "可选范围"),
        ({"award_level": "merit", "member": 1, "cost": "1.999"}, "cost", "两位小数"),
        ({"award_level": "merit", "member": 1, "rank": "第一"}, "rank", "整数"),
    ],
)
def test_a_bad_result_is_refused(ours, body, field, fragment):
    union, key = ours
    activity = ActivityFactory(union=union)
    _assert_refused(
        call("post", f"activities/{activity.id}/results", key, body), field, 422, fragment
    )


def test_a_result_for_both_a_group_and_a_member_is_refused(ours):
    union, key = ours
    activity = ActivityFactory(union=union)
    body = {
        "award_level": "merit",
        "group": GroupFactory(union=union).id,
        "member": MemberFactory(union=union).id,
    }
    _assert_refused(call("post", f"activities/{activity.id}/results", key, body), "group", 400)


@pytest.mark.parametrize("cursor", ["bm90LWEtY3Vyc29y", "!!!", "m12", "x" * 41])
def test_a_malformed_cursor_is_refused(ours, cursor):
    _, key = ours
    response = call("get", "activities", key, {"cursor": cursor})
    assert response.status_code in (400, 422)
    assert response.json()["errors"][0]["field"] == "cursor"


def test_a_bad_filter_value_is_refused(ours):
    _, key = ours
    _assert_refused(call("get", "activities", key, {"type": "party"}), "type", 422)
    _assert_refused(call("get", "activities", key, {"starts_from": "昨天"}), "starts_from", 422)
    _assert_refused(call("get", "activities", key, {"limit": 0}), "limit", 422)


@pytest.mark.parametrize("title", [XSS, SQL])
def test_script_and_sql_in_a_title_are_stored_and_returned_as_plain_text(ours, title):
    union, key = ours
    response = call("post", "activities", key, _new(union, title=title, place=XSS))
    assert response.status_code == 201, response.content
    assert Activity.objects.get().title == title
    assert call("get", f"activities/{response.json()['id']}", key).json()["title"] == title
