"""The safety API: the hazard card's whole path by token, Chinese messages for
bad steps, and another union's records answering 404."""

from datetime import timedelta

import pytest
from django.test import Client

from gonghui.api.tests.calls import call, token_for
from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs.roles import Role
from gonghui.orgs.tests.factories import GroupFactory, UnionFactory, user_with_role
from gonghui.safety.models import State
from gonghui.safety.tests.factories import Team, photo, today

pytestmark = pytest.mark.django_db


def auth(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {token_for(user)}"}


def test_a_hazard_goes_from_report_to_verification_through_the_api():
    team = Team()
    clerk, supervisor = auth(team.clerk), auth(team.supervisor)
    response = Client().post(
        "/api/v1/safety/hazards",
        {
            "union": team.union.pk,
            "place": "车间二号门",
            "description": "安全出口被货物堵塞",
            "category": "fire",
            "severity": "serious",
            "photos": [photo()],
        },
        **clerk,
    )
    assert response.status_code == 201, response.content
    card = response.json()
    assert len(card["attachments"]) == 1
    path = f"/api/v1/safety/hazards/{card['id']}"
    key = token_for(team.clerk)
    assert (
        call("post", f"{path}/assign", key, {"department": team.department.pk}).status_code == 200
    )
    deadline = (today() + timedelta(days=5)).isoformat()
    response = call("post", f"{path}/plan", key, {"measures": "清理货物", "deadline": deadline})
    assert response.json()["state"] == State.IN_WORK
    response = Client().post(
        f"{path}/rectify", {"rectification": "已清理", "evidence": [photo("整改后.jpg")]}, **clerk
    )
    assert response.json()["state"] == State.RECTIFIED, response.content
    response = Client().post(
        f"{path}/verify", '{"accepted": true}', content_type="application/json", **supervisor
    )
    assert response.json()["state"] == State.VERIFIED
    assert [s["action"] for s in response.json()["steps"]] == [
        "report",
        "assign",
        "plan",
        "rectify",
        "accept",
    ]


def test_an_api_rectification_without_evidence_answers_400_in_chinese():
    team = Team()
    from gonghui.safety.tests.factories import in_work

    hazard = in_work(team)
    response = Client().post(
        f"/api/v1/safety/hazards/{hazard.pk}/rectify", {"rectification": "已修"}, **auth(team.clerk)
    )
    assert response.status_code == 400
    assert "没有依据不能登记整改完成" in response.json()["detail"]


def test_an_api_deadline_in_the_past_answers_400():
    team = Team()
    from gonghui.safety.tests.factories import assigned

    hazard = assigned(team)
    response = call(
        "post",
        f"safety/hazards/{hazard.pk}/plan",
        token_for(team.clerk),
        {"measures": "修", "deadline": (today() - timedelta(days=1)).isoformat()},
    )
    assert response.status_code == 400
    assert "已经过去" in response.json()["detail"]


def test_verifying_your_own_rectification_through_the_api_is_refused():
    team = Team()
    from gonghui.safety import services
    from gonghui.safety.tests.factories import in_work

    hazard = in_work(team)
    services.rectify_hazard(
        hazard=hazard, rectification="修好", evidence=[photo()], actor=team.supervisor
    )
    response = call(
        "post", f"safety/hazards/{hazard.pk}/verify", token_for(team.supervisor), {"accepted": True}
    )
    assert response.status_code == 400
    assert "不能验收自己登记的整改" in response.json()["detail"]


def test_another_unions_card_answers_404():
    team = Team()
    from gonghui.safety.tests.factories import report

    hazard = report(team)
    key = token_for(user_with_role(UnionFactory(), Role.CHAIR))
    assert call("get", f"safety/hazards/{hazard.pk}", key).status_code == 404
    response = call("post", f"safety/hazards/{hazard.pk}/assign", key, {"department": 1})
    assert response.status_code == 404


def test_drills_contests_and_draws_are_recorded_through_the_api():
    team = Team()
    key = token_for(team.clerk)
    group = GroupFactory(union=team.union)
    MemberFactory.create_batch(4, union=team.union, group=group)
    drill = call(
        "post",
        "safety/drills",
        key,
        {
            "union": team.union.pk,
            "kind": "evacuation",
            "title": "全员疏散演练",
            "held_on": today().isoformat(),
            "expected": 40,
            "participants": 38,
        },
    )
    assert drill.json()["rate"] == 95.0
    contest = call(
        "post",
        "safety/contests",
        key,
        {"union": team.union.pk, "title": "安全知识竞赛", "held_on": today().isoformat()},
    ).json()
    response = call(
        "put",
        f"safety/contests/{contest['id']}/results",
        key,
        {
            "results": [
                {
                    "group": group.pk,
                    "audience": 4,
                    "participants": 5,
                    "passed": 3,
                    "average_score": "80",
                }
            ]
        },
    )
    assert response.status_code == 400
    assert "超过应参赛人数" in response.json()["detail"]
    draw = call(
        "post",
        "safety/draws",
        key,
        {
            "union": team.union.pk,
            "year": today().year,
            "quarter": (today().month - 1) // 3 + 1,
            "prize": "保温杯",
            "winners_wanted": 2,
            "seed": "abc",
        },
    )
    assert draw.status_code == 201, draw.content
    assert len(draw.json()["winners"]) == 2
