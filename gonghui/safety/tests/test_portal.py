"""The members' hazard pages: report with photos, follow the card, and the
department handler's steps; other members' and unions' cards never show."""

from datetime import timedelta

import pytest

from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs.roles import Role
from gonghui.orgs.tests.factories import user_with_role
from gonghui.safety.models import Hazard, State
from gonghui.safety.tests.factories import Team, assigned, in_work, photo, report, today

pytestmark = pytest.mark.django_db


def member_of(team, client):
    user = user_with_role(team.union, Role.MEMBER, password=None)
    member = MemberFactory(union=team.union, user=user)
    client.force_login(user)
    return member


def test_a_member_reports_a_hazard_with_a_photo_and_sees_it_on_their_list(client):
    team = Team()
    member = member_of(team, client)
    response = client.post(
        "/safety/report/",
        {
            "place": "食堂后门",
            "description": "地面油污湿滑",
            "category": "environment",
            "severity": "minor",
            "photos": [photo()],
        },
    )
    hazard = Hazard.objects.get()
    assert response.status_code == 302
    assert hazard.reporter == member
    assert hazard.state == State.REPORTED
    page = client.get("/safety/").content.decode()
    assert "食堂后门" in page
    card = client.get(f"/safety/cards/{hazard.pk}/").content.decode()
    assert "/safety/photos/" in card


def test_a_report_without_a_place_answers_in_chinese_and_writes_nothing(client):
    team = Team()
    member_of(team, client)
    response = client.post(
        "/safety/report/",
        {"place": "", "description": "x", "category": "fire", "severity": "minor"},
    )
    assert response.status_code == 400
    assert "请填写隐患地点" in response.content.decode()
    assert not Hazard.objects.exists()


def test_another_members_card_is_not_found(client):
    team = Team()
    member_of(team, client)
    hazard = report(team, reporter=MemberFactory(union=team.union))
    assert client.get(f"/safety/cards/{hazard.pk}/").status_code == 404


def test_the_department_handler_records_measures_and_a_deadline(client):
    team = Team()
    hazard = assigned(team)
    client.force_login(team.handler)
    page = client.get("/safety/").content.decode()
    assert hazard.place in page
    response = client.post(
        f"/safety/cards/{hazard.pk}/plan/",
        {"measures": "更换灭火器", "deadline": (today() + timedelta(days=3)).isoformat()},
    )
    assert response.status_code == 302
    hazard.refresh_from_db()
    assert hazard.state == State.IN_WORK


def test_a_past_deadline_in_the_portal_is_refused_with_a_message(client):
    team = Team()
    hazard = assigned(team)
    client.force_login(team.handler)
    response = client.post(
        f"/safety/cards/{hazard.pk}/plan/",
        {"measures": "更换", "deadline": (today() - timedelta(days=3)).isoformat()},
    )
    assert response.status_code == 400
    assert "已经过去" in response.content.decode()


def test_a_portal_rectification_without_evidence_is_refused(client):
    team = Team()
    hazard = in_work(team)
    client.force_login(team.handler)
    response = client.post(f"/safety/cards/{hazard.pk}/rectify/", {"rectification": "已修好"})
    assert response.status_code == 400
    assert "没有依据不能登记整改完成" in response.content.decode()


def test_a_photo_of_another_members_card_is_not_served(client):
    team = Team()
    hazard = report(team, reporter=MemberFactory(union=team.union), photos=[photo()])
    member_of(team, client)
    attachment_id = hazard_photo_id(hazard)
    assert client.get(f"/safety/photos/{attachment_id}/").status_code == 404


def hazard_photo_id(hazard):
    from gonghui.attachments.queries import attachments_of

    return attachments_of(hazard).get().pk
