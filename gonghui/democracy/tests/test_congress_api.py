import datetime

import pytest
from django.test import Client
from django.utils import timezone

from gonghui.api.tokens import issue_token
from gonghui.democracy.models import ProposalState
from gonghui.democracy.tests.congress_factories import congress_with_representatives, session_of
from gonghui.orgs.roles import Role
from gonghui.orgs.tests.factories import user_with_role

pytestmark = pytest.mark.django_db


def _auth(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_token(user=user, name='test')}"}


def _member_user(member):
    member.user = user_with_role(member.union, Role.MEMBER)
    member.save(update_fields=["user"])
    return _auth(member.user)


def _open_window_session(congress):
    today = timezone.localdate()
    return session_of(
        congress,
        date=today + datetime.timedelta(days=5),
        proposals_open_on=today - datetime.timedelta(days=1),
        proposals_close_on=today + datetime.timedelta(days=1),
    )


def test_a_representative_drafts_and_co_signers_support_a_proposal_through_the_api():
    congress, reps = congress_with_representatives(4)
    _open_window_session(congress)
    client = Client()
    proposer = _member_user(reps[0].member)
    body = {"title": "增设职工书屋", "reason": "缺少阅读场所", "measures": "利用三楼空房"}
    created = client.post("/api/v1/congress/proposals", body, "application/json", **proposer)
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    for rep in reps[1:3]:
        response = client.post(
            f"/api/v1/congress/proposals/{pk}/co-signatures", **_member_user(rep.member)
        )
        assert response.status_code == 200, response.content
    submitted = client.post(f"/api/v1/congress/proposals/{pk}/submit", **proposer)
    assert submitted.json()["state"] == ProposalState.SUBMITTED


def test_the_api_refuses_a_submission_without_enough_co_signers_in_chinese():
    congress, reps = congress_with_representatives(4)
    _open_window_session(congress)
    client = Client()
    proposer = _member_user(reps[0].member)
    body = {"title": "增设职工书屋", "reason": "缺少阅读场所", "measures": "利用三楼空房"}
    pk = client.post("/api/v1/congress/proposals", body, "application/json", **proposer).json()[
        "id"
    ]
    response = client.post(f"/api/v1/congress/proposals/{pk}/submit", **proposer)
    assert response.status_code == 400
    assert "附议代表不足" in response.json()["detail"]


def test_the_session_day_runs_through_the_api():
    congress, reps = congress_with_representatives(3)
    session = session_of(congress)
    from gonghui.democracy.services import congress as services

    services.add_agenda_item(session=session, kind="motion", title="年度预算", vote_mode="secret")
    chair = _auth(user_with_role(congress.union, Role.CHAIR))
    client = Client()
    base = f"/api/v1/congress/sessions/{session.pk}"
    assert client.post(f"{base}/open", **chair).status_code == 200
    signed = client.post(
        f"{base}/sign-ins", {"representatives": [r.pk for r in reps]}, "application/json", **chair
    )
    assert signed.json()["quorum"]["reached"] is True
    resolution = signed.json()["resolutions"][0]["id"]
    tally = client.post(
        f"{base}/resolutions/{resolution}/tally",
        {"votes_for": 3, "tellers": "王芳、李四"},
        "application/json",
        **chair,
    )
    assert tally.json()["resolutions"][0]["state"] == "passed"
