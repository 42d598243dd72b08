"""The API steps added with the back-office pages: the congress vote taken
from a democracy resolution, and a supervision finding marked resolved."""

from datetime import date

import pytest

from gonghui.api.tests.calls import call, token_for
from gonghui.orgs.roles import Role
from gonghui.orgs.tests.factories import UnionFactory, user_with_role
from gonghui.rights import services
from gonghui.rights.tests.factories import contract
from gonghui.rights.tests.test_vote_link import SESSION_DAY, _resolution

pytestmark = pytest.mark.django_db


def _messages(response) -> dict:
    return {e["field"]: e["message"] for e in response.json()["errors"]}


@pytest.fixture
def desk():
    union = UnionFactory()
    return union, token_for(user_with_role(union, Role.CHAIR))


def _drafted(union):
    found = contract(union)
    services.add_draft(contract=found, prepared_on=date(2025, 3, 1), text="第一条")
    return found


def test_the_vote_is_taken_from_a_resolution_through_the_api(desk):
    union, key = desk
    found = _drafted(union)
    resolution = _resolution(union)
    response = call(
        "post", f"rights/contracts/{found.pk}/vote/resolution", key, {"resolution": resolution.pk}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["resolution"], body["vote_on"], body["vote_passed"]) == (
        resolution.pk,
        SESSION_DAY.isoformat(),
        True,
    )


def test_another_unions_resolution_is_not_found_through_the_api(desk):
    union, key = desk
    found = _drafted(union)
    stranger = _resolution(UnionFactory())
    response = call(
        "post", f"rights/contracts/{found.pk}/vote/resolution", key, {"resolution": stranger.pk}
    )
    assert response.status_code == 400
    assert _messages(response)["resolution"] == "本工会职代会中未找到该决议"
    found.refresh_from_db()
    assert found.vote_on is None


def test_a_finding_is_marked_resolved_through_the_api(desk):
    union, key = desk
    check = services.record_supervision(
        union=union,
        area="hours",
        checked_on=date(2025, 5, 1),
        finding="连续加班超时",
        compliant=False,
        recommendation="请控制加班时长",
        recommended_on=date(2025, 5, 3),
    )
    response = call("post", f"rights/supervision/{check.pk}/resolved", key, {"on": "2025-06-01"})
    assert response.status_code == 200, response.content
    assert response.json()["resolved_on"] == "2025-06-01"
    again = call("post", f"rights/supervision/{check.pk}/resolved", key, {"on": "2025-06-02"})
    assert again.status_code == 400
    assert "问题已于2025-06-01解决" in str(again.json())
