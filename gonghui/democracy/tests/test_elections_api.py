"""The election and evaluation endpoints: the whole workflow through the API,
other unions' ids, and refusals in Chinese."""

from datetime import timedelta

import pytest
from django.utils import timezone

from gonghui.api.tests.calls import call, token_for
from gonghui.democracy.models import Ballot, Election
from gonghui.democracy.tests.elections_factories import candidate_ids, election, electors
from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs.roles import Role
from gonghui.orgs.tests.factories import UnionFactory, user_with_role

pytestmark = pytest.mark.django_db


def voter_token(e, index=0):
    member = electors(e)[index]
    member.user = user_with_role(e.union, Role.MEMBER)
    member.save(update_fields=["user"])
    return token_for(member.user)


def test_an_election_runs_end_to_end_through_the_api():
    union = UnionFactory()
    MemberFactory.create_batch(3, union=union)
    chair = token_for(user_with_role(union, Role.CHAIR))
    now = timezone.now()
    made = call(
        "post",
        "democracy/elections",
        chair,
        {
            "union": union.pk,
            "title": "工会主席选举",
            "kind": "chair",
            "seats": 1,
            "opens_at": (now - timedelta(hours=1)).isoformat(),
            "closes_at": (now + timedelta(hours=1)).isoformat(),
        },
    )
    assert made.status_code == 201, made.json()
    pk = made.json()["id"]
    for name in ("王建国", "李秀英"):
        assert (
            call("post", f"democracy/elections/{pk}/candidates", chair, {"name": name}).status_code
            == 201
        )
    assert call("post", f"democracy/elections/{pk}/open", chair).json()["roll_size"] == 3
    e = Election.objects.get(pk=pk)
    first = candidate_ids(e)[0]
    receipts = []
    for i in range(3):
        voted = call(
            "post",
            f"democracy/elections/{pk}/ballot",
            voter_token(e, i),
            {"choices": {"c": {str(first): "for"}}},
        )
        assert voted.status_code == 201, voted.json()
        receipts.append(voted.json()["receipt"])
    call("post", f"democracy/elections/{pk}/close", chair)

    counted = call("post", f"democracy/elections/{pk}/count", chair).json()

    assert counted["elected"] == ["王建国"]
    assert counted["receipts"] == sorted(receipts)
    assert counted["check_ok"] is True


def test_voting_twice_through_the_api_is_refused_in_chinese():
    e = election(seats=1, candidates=2, voters=2)
    key = voter_token(e)
    body = {"choices": {"c": {str(candidate_ids(e)[0]): "for"}}}
    call("post", f"democracy/elections/{e.pk}/ballot", key, body)

    again = call("post", f"democracy/elections/{e.pk}/ballot", key, body)

    assert again.status_code == 400
    assert "您已经投过票了，每人只能投一次" in again.json()["detail"]
    assert Ballot.objects.filter(election=e).count() == 1


def test_a_used_code_through_the_api_is_refused_in_chinese():
    from gonghui.democracy.services import elections as services

    e = election(channel="codes", voters=2)
    (code,) = services.issue_codes(election=e, count=1)
    key = token_for(user_with_role(e.union, Role.CHAIR))
    call("post", "democracy/code-ballots", key, {"code": code, "choices": {}})

    again = call("post", "democracy/code-ballots", key, {"code": code, "choices": {}})

    assert again.status_code == 400
    assert "该投票码已经使用过" in again.json()["detail"]


def test_another_unions_election_answers_404_to_a_member_and_a_chair():
    e = election()
    other = election(UnionFactory())
    chair = token_for(user_with_role(e.union, Role.CHAIR))

    assert call("get", f"democracy/elections/{other.pk}/ballot", voter_token(e)).status_code == 404
    assert call("get", f"democracy/elections/{other.pk}", chair).status_code == 404
    assert call("post", f"democracy/elections/{other.pk}/close", chair).status_code == 404


def test_a_member_checks_a_receipt_through_the_api():
    e = election(seats=1, candidates=2, voters=2)
    key = voter_token(e)
    receipt = call(
        "post", f"democracy/elections/{e.pk}/ballot", key, {"choices": {"c": {}}}
    ).json()["receipt"]

    found = call("get", f"democracy/elections/{e.pk}/receipts/{receipt}", key).json()

    assert found == {"receipt": receipt, "counted": True, "valid": True}


def test_an_evaluation_runs_through_the_api():
    union = UnionFactory()
    member = MemberFactory(union=union, user=user_with_role(union, Role.MEMBER))
    chair = token_for(user_with_role(union, Role.CHAIR))
    now = timezone.now()
    made = call(
        "post",
        "democracy/evaluations",
        chair,
        {
            "union": union.pk,
            "title": "年度民主评议",
            "year": now.year,
            "opens_at": (now - timedelta(hours=1)).isoformat(),
            "closes_at": (now + timedelta(hours=1)).isoformat(),
            "evaluees": [{"name": "王明", "role": "校长"}],
        },
    ).json()
    person = made["evaluees"][0]["id"]

    sheet = call(
        "post",
        f"democracy/evaluations/{made['id']}/sheet",
        token_for(member.user),
        {"grades": {str(person): "excellent"}},
    )
    closed = call("post", f"democracy/evaluations/{made['id']}/close", chair).json()

    assert sheet.status_code == 201
    assert closed["evaluees"][0]["grades"][0] == {
        "grade": "excellent",
        "label": "优秀",
        "count": 1,
        "percent": "100.0",
    }


def test_a_staff_account_that_is_no_member_is_refused_before_its_ballot_is_read():
    e = election()
    chair = token_for(user_with_role(e.union, Role.CHAIR))

    refused = call("post", f"democracy/elections/{e.pk}/ballot", chair, {"unexpected": 1})

    assert refused.status_code == 404
