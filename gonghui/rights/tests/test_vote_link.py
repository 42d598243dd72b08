"""The congress vote taken from the democracy app's resolution, and the end of
negotiation once a draft passed."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from gonghui.democracy.models import AgendaKind, VoteMode
from gonghui.democracy.services import congress as congress_services
from gonghui.democracy.tests.congress_factories import congress_with_representatives, session_of
from gonghui.orgs.roles import Role
from gonghui.orgs.tests.factories import user_with_role
from gonghui.rights import queries, services
from gonghui.rights.tests.factories import contract, voted

pytestmark = pytest.mark.django_db

SESSION_DAY = date(2025, 3, 20)


def _session(union):
    congress, reps = congress_with_representatives(6, union=union)
    session = session_of(congress, open_=True, date=SESSION_DAY)
    congress_services.sign_in(session=session, representatives=reps)
    return session


def _resolution(union=None, *, session=None, votes_for=5, votes_against=0, decided=True):
    session = session or _session(union)
    item = congress_services.add_agenda_item(
        session=session,
        kind=AgendaKind.MOTION,
        title="审议2025年度工资专项集体合同（草案）",
        vote_mode=VoteMode.SECRET,
    )
    resolution = item.resolution
    if decided:
        congress_services.record_secret_tally(
            resolution=resolution,
            votes_for=votes_for,
            votes_against=votes_against,
            votes_abstain=6 - votes_for - votes_against,
            tellers="王芳、李四",
        )
    return resolution


def _drafted(union=None, prepared_on=date(2025, 3, 1)):
    found = contract(union)
    services.add_draft(contract=found, prepared_on=prepared_on, text="第一条 ……")
    return found


def test_the_vote_is_taken_from_the_congress_resolution_with_its_date_and_counts():
    found = _drafted()
    resolution = _resolution(found.union)
    services.link_resolution(contract=found, resolution=resolution)
    found.refresh_from_db()
    assert found.resolution == resolution
    assert (found.vote_on, found.votes_for, found.votes_abstain) == (SESSION_DAY, 5, 1)
    assert found.vote_passed is True


def test_a_resolution_the_congress_rejected_records_a_failed_vote():
    found = _drafted()
    resolution = _resolution(found.union, votes_for=2, votes_against=4)
    services.link_resolution(contract=found, resolution=resolution)
    found.refresh_from_db()
    assert found.vote_passed is False
    assert found.stage == "表决未通过"


def test_a_resolution_not_yet_voted_is_refused():
    found = _drafted()
    resolution = _resolution(found.union, decided=False)
    with pytest.raises(ValidationError) as e:
        services.link_resolution(contract=found, resolution=resolution)
    assert e.value.message_dict["resolution"] == [f"决议“{resolution}”尚未表决"]


def test_another_unions_resolution_is_refused():
    found = _drafted()
    resolution = _resolution(contract().union)
    with pytest.raises(ValidationError) as e:
        services.link_resolution(contract=found, resolution=resolution)
    assert e.value.message_dict["resolution"] == ["该决议不是本工会职代会的决议"]
    found.refresh_from_db()
    assert found.vote_on is None


def test_a_resolution_voted_before_the_latest_draft_is_refused():
    found = _drafted(prepared_on=date(2025, 3, 25))
    resolution = _resolution(found.union)
    with pytest.raises(ValidationError) as e:
        services.link_resolution(contract=found, resolution=resolution)
    assert "不能早于草案第1稿形成日期（2025-03-25）" in e.value.message_dict["resolution"][0]


def test_only_decided_resolutions_of_the_union_are_offered():
    found = _drafted()
    session = _session(found.union)
    decided = _resolution(session=session)
    _resolution(session=session, decided=False)
    _resolution(contract().union)
    assert list(queries.vote_resolutions(found)) == [decided]


def test_no_draft_may_be_added_once_the_congress_passed_one():
    found = voted()
    with pytest.raises(ValidationError) as e:
        services.add_draft(contract=found, prepared_on=date(2025, 1, 11), text="改稿")
    assert "经职代会表决通过，协商已经结束" in e.value.message_dict["contract"][0]
    assert found.drafts.count() == 1


def test_negotiation_resumes_after_a_failed_vote():
    found = _drafted(prepared_on=date(2025, 1, 5))
    services.record_vote(
        contract=found, on=date(2025, 1, 10), votes_for=10, votes_against=50, votes_abstain=0
    )
    held = services.hold_round(
        contract=found,
        held_on=date(2025, 1, 15),
        union_side="王建国",
        employer_side="李志强",
        issues="重新协商增长幅度",
    )
    assert held.number == 1


def test_the_vote_page_takes_the_vote_from_a_chosen_resolution(client):
    found = _drafted()
    resolution = _resolution(found.union)
    client.force_login(user_with_role(found.union, Role.CHAIR))
    page = client.get(f"/admin/rights/contracts/{found.pk}/vote/").content.decode()
    assert "审议2025年度工资专项集体合同（草案）" in page
    response = client.post(
        f"/admin/rights/contracts/{found.pk}/vote/", {"resolution": resolution.pk}
    )
    assert response.status_code == 302
    found.refresh_from_db()
    assert found.resolution == resolution
    contract_page = client.get(response["Location"]).content.decode()
    assert f"/admin/democracy/sessions/{resolution.session_id}/" in contract_page


def test_the_vote_page_refuses_a_resolution_and_typed_counts_together(client):
    found = _drafted()
    resolution = _resolution(found.union)
    client.force_login(user_with_role(found.union, Role.CHAIR))
    response = client.post(
        f"/admin/rights/contracts/{found.pk}/vote/",
        {"resolution": resolution.pk, "votes_for": "40"},
    )
    assert response.context["form"].errors["resolution"] == [
        "已选择职代会决议表决，票数以决议为准，请清空赞成票"
    ]
    found.refresh_from_db()
    assert found.vote_on is None


def test_the_vote_page_refuses_another_unions_resolution(client):
    found = _drafted()
    _resolution(found.union)
    stranger = _resolution(contract().union)
    client.force_login(user_with_role(found.union, Role.CHAIR))
    response = client.post(f"/admin/rights/contracts/{found.pk}/vote/", {"resolution": stranger.pk})
    assert response.context["form"].errors["resolution"] == ["所选职代会决议表决不在可选范围内"]
