"""评先评优 endpoints: every workflow through the API, refusals in Chinese,
other unions' records not found."""

import pytest

from gonghui.api.tests.calls import call, token_for
from gonghui.honors.models import Nomination
from gonghui.honors.tests.factories import RULE_ITEMS, kind
from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs.roles import Role
from gonghui.orgs.tests.factories import GroupFactory, UnionFactory, user_with_role

pytestmark = pytest.mark.django_db


def _messages(response) -> dict:
    return {e["field"]: e["message"] for e in response.json()["errors"]}


@pytest.fixture
def desk():
    union = UnionFactory()
    return union, token_for(user_with_role(union, Role.CHAIR))


def test_a_nomination_is_decided_and_announced_through_the_api(desk):
    union, key = desk
    star = kind(union)
    member = MemberFactory(union=union)
    made = call(
        "post",
        "honors/nominations",
        key,
        {
            "kind": star.pk,
            "year": 2025,
            "month": 3,
            "member": member.pk,
            "reasons": "零投诉",
            "nominated_on": "2025-03-28",
        },
    )
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    decided = call(
        "post", f"honors/nominations/{pk}/decision", key, {"granted": True, "on": "2025-04-01"}
    )
    assert decided.json()["state_label"] == "已授予"
    posted = call(
        "post",
        "honors/announcements",
        key,
        {"union": union.pk, "awards": [pk], "title": "3月岗位之星"},
    )
    assert posted.status_code == 201, posted.content
    assert posted.json()["awards"] == [pk]


def test_a_monthly_nomination_without_its_month_is_refused_in_chinese(desk):
    union, key = desk
    response = call(
        "post",
        "honors/nominations",
        key,
        {
            "kind": kind(union).pk,
            "year": 2025,
            "member": MemberFactory(union=union).pk,
            "reasons": "好",
            "nominated_on": "2025-03-28",
        },
    )
    assert response.status_code == 400
    assert "按月评选" in _messages(response)["month"]
    assert Nomination.objects.count() == 0


def test_a_score_above_the_maximum_is_refused_through_the_api(desk):
    union, key = desk
    group = GroupFactory(union=union, name="机修班")
    rule = call(
        "post",
        "honors/rules",
        key,
        {
            "union": union.pk,
            "name": "细则",
            "effective_from": "2025-01-01",
            "items": RULE_ITEMS,
        },
    ).json()
    month = call("post", "honors/assessments", key, {"rule": rule["id"], "month": "2025-03-15"})
    assert month.status_code == 201, month.content
    items = rule["items"]
    scores = [{"item": i["id"], "points": i["max_points"]} for i in items]
    scores[0]["points"] = "31"
    path = f"honors/assessments/{month.json()['id']}/scores"
    refused = call("post", path, key, {"group": group.pk, "scores": scores})
    assert refused.status_code == 400
    assert "机修班“安全生产”得分 31.0 分超过该项满分 30.0 分" in refused.json()["detail"]
    scores[0]["points"] = "30"
    assert call("post", path, key, {"group": group.pk, "scores": scores}).status_code == 200
    published = call("post", f"honors/assessments/{month.json()['id']}/publish", key)
    assert published.json()["ranking"][0] == {
        "rank": 1,
        "group": {"id": group.pk, "name": "机修班"},
        "total": "100.0",
        "deductions": [],
    }


def test_another_unions_model_worker_is_not_found(desk):
    _, key = desk
    other = MemberFactory()
    from gonghui.honors import services

    worker = services.record_model_worker(member=other, level="city", title="劳动模范", year=2020)
    assert call("get", f"honors/model-workers/{worker.pk}", key).status_code == 404


def test_a_model_worker_is_recorded_with_their_care_visits(desk):
    union, key = desk
    member = MemberFactory(union=union)
    made = call(
        "post",
        "honors/model-workers",
        key,
        {
            "member": member.pk,
            "level": "provincial",
            "title": "五一劳动奖章",
            "year": 2022,
        },
    )
    assert made.status_code == 201, made.content
    assert made.json()["level_label"] == "省部级" and made.json()["care_visits"] == []


def test_a_committee_member_of_another_union_cannot_nominate_here(desk):
    union, _ = desk
    outsider = token_for(user_with_role(UnionFactory(), Role.CHAIR))
    response = call(
        "post",
        "honors/nominations",
        outsider,
        {
            "kind": kind(union).pk,
            "year": 2025,
            "month": 3,
            "member": MemberFactory(union=union).pk,
            "reasons": "好",
            "nominated_on": "2025-03-28",
        },
    )
    assert response.status_code == 400
    assert _messages(response)["kind"] == "未找到该荣誉类别"


def test_a_kind_is_renamed_and_retired_through_the_api(desk):
    union, key = desk
    star = kind(union)
    response = call(
        "put",
        f"honors/kinds/{star.pk}",
        key,
        {"name": "服务之星", "scope": "individual", "cadence": "monthly", "active": False},
    )
    assert response.status_code == 200, response.content
    assert (response.json()["name"], response.json()["active"]) == ("服务之星", False)


def test_a_kind_renamed_to_a_name_in_use_is_refused_in_chinese(desk):
    union, key = desk
    star = kind(union)
    response = call(
        "put",
        f"honors/kinds/{star.pk}",
        key,
        {"name": "先进个人", "scope": "individual", "cadence": "monthly"},
    )
    assert response.status_code == 400
    assert _messages(response)["name"] == "本工会已有荣誉类别“先进个人”"


def test_a_model_workers_benefits_are_corrected_through_the_api(desk):
    union, key = desk
    from gonghui.honors import services

    worker = services.record_model_worker(
        member=MemberFactory(union=union), level="city", title="劳动模范", year=2020
    )
    response = call(
        "put",
        f"honors/model-workers/{worker.pk}",
        key,
        {"level": "city", "title": "劳动模范", "year": 2020, "benefits": "年度疗休养"},
    )
    assert response.status_code == 200, response.content
    worker.refresh_from_db()
    assert worker.benefits == "年度疗休养"


def test_a_viewer_cannot_edit_a_model_worker_and_another_union_cannot_see_it(desk):
    union, _ = desk
    from gonghui.honors import services

    worker = services.record_model_worker(
        member=MemberFactory(union=union), level="city", title="劳动模范", year=2020
    )
    body = {"level": "national", "title": "劳动模范", "year": 2020}
    viewer = token_for(user_with_role(union, Role.LIAISON))
    assert call("put", f"honors/model-workers/{worker.pk}", viewer, body).status_code == 403
    stranger = token_for(user_with_role(UnionFactory(), Role.CHAIR))
    assert call("put", f"honors/model-workers/{worker.pk}", stranger, body).status_code == 404
    worker.refresh_from_db()
    assert worker.level == "city"
