"""The election and evaluation pages: back office and the members' phone pages."""

from datetime import timedelta

import pytest
from django.utils import timezone

from gonghui.democracy.models import Ballot, Election, Evaluee
from gonghui.democracy.services import elections as services
from gonghui.democracy.services import evaluation as evaluation_services
from gonghui.democracy.tests.elections_factories import candidate_ids, choose, election, electors
from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs.roles import Role
from gonghui.orgs.tests.factories import UnionFactory, user_with_role

pytestmark = pytest.mark.django_db


def voter_client(client, e):
    """Sign in as a member on the election's roll."""
    user = user_with_role(e.union, Role.MEMBER)
    member = electors(e)[0]
    member.user = user
    member.save(update_fields=["user"])
    client.force_login(user)
    return member


def chair_client(client, union):
    client.force_login(user_with_role(union, Role.CHAIR))


# Members' pages ---------------------------------------------------------------------


def test_a_member_votes_on_the_phone_and_sees_the_receipt_once(client):
    e = election(seats=1, candidates=2, voters=3)
    voter_client(client, e)

    page = client.post(f"/democracy/vote/election/{e.pk}/", {"c": [candidate_ids(e)[0]]})

    receipt = Ballot.objects.get(election=e).receipt
    assert page.status_code == 200
    assert receipt in page.content.decode()


def test_voting_twice_on_the_phone_shows_why_it_is_refused(client):
    e = election(seats=1, candidates=2, voters=3)
    voter_client(client, e)
    client.post(f"/democracy/vote/election/{e.pk}/", {"c": [candidate_ids(e)[0]]})

    page = client.post(f"/democracy/vote/election/{e.pk}/", {"c": [candidate_ids(e)[1]]})

    assert page.status_code == 400
    assert "您已经投过票了，每人只能投一次" in page.content.decode()
    assert Ballot.objects.filter(election=e).count() == 1


def test_an_over_full_ballot_is_warned_about_before_it_is_cast_as_invalid(client):
    e = election(seats=1, candidates=2, voters=3)
    voter_client(client, e)
    both = {"c": candidate_ids(e)}

    warned = client.post(f"/democracy/vote/election/{e.pk}/", both)
    assert "此票将作为无效票计入" in warned.content.decode()
    assert Ballot.objects.filter(election=e).count() == 0

    client.post(f"/democracy/vote/election/{e.pk}/", {**both, "confirm_invalid": "1"})
    assert Ballot.objects.get(election=e).valid is False


def test_another_unions_election_is_not_found_in_the_portal(client):
    e = election()
    other = election(UnionFactory(), title="别家工会的选举")
    voter_client(client, e)

    assert client.get(f"/democracy/vote/election/{other.pk}/").status_code == 404
    assert "别家工会的选举" not in client.get("/democracy/vote/").content.decode()


def test_a_member_checks_their_receipt_on_the_results_page(client):
    e = election(seats=1, candidates=2, voters=3)
    member = voter_client(client, e)
    ballot = services.cast_ballot(election=e, member=member, choices=choose(candidate_ids(e)[0]))
    services.close_election(election=e)
    services.count_election(election=e)

    found = client.get(f"/democracy/vote/election/{e.pk}/results/", {"receipt": ballot.receipt})
    missing = client.get(f"/democracy/vote/election/{e.pk}/results/", {"receipt": "ZZZZZ-ZZZZZ"})

    assert "已计入，为有效票" in found.content.decode()
    assert "没有找到回执码" in missing.content.decode()


def test_a_hall_code_votes_without_an_account_and_a_reused_code_is_refused(client):
    e = election(channel="codes", seats=1, candidates=2, voters=3)
    (code,) = services.issue_codes(election=e, count=1)

    ballot_page = client.post("/democracy/vote/code/", {"code": code})
    assert e.title in ballot_page.content.decode()
    cast = client.post(
        "/democracy/vote/code/", {"code": code, "ballot": "1", "c": [candidate_ids(e)[0]]}
    )
    assert Ballot.objects.get(election=e).receipt in cast.content.decode()

    again = client.post("/democracy/vote/code/", {"code": code})
    assert again.status_code == 400
    assert "该投票码已经使用过" in again.content.decode()


def test_an_unknown_hall_code_is_refused_with_a_message(client):
    page = client.post("/democracy/vote/code/", {"code": "XXXX-YYYY"})

    assert "投票码不存在，请核对后重新输入" in page.content.decode()


def test_a_member_evaluates_the_leaders_on_the_phone(client):
    union = UnionFactory()
    user = user_with_role(union, Role.MEMBER)
    MemberFactory(union=union, user=user)
    now = timezone.now()
    made = evaluation_services.create_evaluation(
        union=union,
        title="年度民主评议",
        year=now.year,
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(hours=1),
        evaluees=[("王明", "校长")],
    )
    person = Evaluee.objects.get(evaluation=made)
    client.force_login(user)

    missing = client.post(f"/democracy/vote/evaluation/{made.pk}/", {})
    done = client.post(
        f"/democracy/vote/evaluation/{made.pk}/",
        {f"g{person.pk}": "excellent", f"m{person.pk}": "好"},
    )

    assert "请为校长王明选择评议等次" in missing.content.decode()
    assert "评议已提交" in done.content.decode()


# Back office ------------------------------------------------------------------------


def test_the_chair_sets_up_an_election_and_sees_the_margin_warning(client):
    union = UnionFactory()
    chair_client(client, union)
    now = timezone.localtime()
    response = client.post(
        "/admin/democracy/election/add/",
        {
            "union": union.pk,
            "title": "第四届工会委员会换届选举",
            "kind": "committee",
            "seats": 7,
            "method": "choose",
            "channel": "online",
            "electorate": "all",
            "opens_at_0": now.date().isoformat(),
            "opens_at_1": "09:00",
            "closes_at_0": (now + timedelta(days=1)).date().isoformat(),
            "closes_at_1": "17:00",
            "quorum": "2/3",
            "majority": "1/2",
        },
    )
    e = Election.objects.get(union=union)
    assert response.status_code == 302

    page = client.get(f"/admin/democracy/election/{e.pk}/change/").content.decode()
    assert "差额不足：应选7名，候选人0名" in page


def test_the_chair_counts_and_reads_the_results_page(client):
    e = election(seats=1, candidates=2, voters=3)
    for member in electors(e):
        services.cast_ballot(election=e, member=member, choices=choose(candidate_ids(e)[0]))
    chair_client(client, e.union)

    client.post(f"/admin/democracy/polls/election/{e.pk}/close/")
    client.post(f"/admin/democracy/polls/election/{e.pk}/count/")
    page = client.get(f"/admin/democracy/polls/election/{e.pk}/results/").content.decode()

    e.refresh_from_db()
    assert e.state == "counted"
    assert e.ballots_hash in page
    assert "相符" in page
    for receipt in Ballot.objects.filter(election=e).values_list("receipt", flat=True):
        assert receipt in page


def test_the_chair_of_another_union_cannot_open_this_election(client):
    e = election(open=False)
    chair_client(client, UnionFactory())

    assert client.post(f"/admin/democracy/polls/election/{e.pk}/open/").status_code == 404
    assert client.get(f"/admin/democracy/election/{e.pk}/change/").status_code == 404


def test_the_desk_records_a_check_in_and_shows_it_once(client):
    e = election(channel="codes", voters=2)
    chair_client(client, e.union)
    member = electors(e)[0]

    client.post(f"/admin/democracy/polls/election/{e.pk}/desk/", {"member": member.pk})
    page = client.get(f"/admin/democracy/polls/election/{e.pk}/desk/", {"q": member.name})

    assert "已领取" in page.content.decode()


def test_publishing_puts_the_result_and_the_receipts_in_open_affairs(client):
    from gonghui.disclosure.models import Post

    e = election(seats=1, candidates=2, voters=3)
    for member in electors(e):
        services.cast_ballot(election=e, member=member, choices=choose(candidate_ids(e)[0]))
    services.close_election(election=e)
    services.count_election(election=e)
    chair_client(client, e.union)

    client.post(f"/admin/democracy/polls/election/{e.pk}/publish/")

    post = Post.objects.get(union=e.union)
    assert post.title == f"{e.title}选举结果公告"
    assert post.source == e
    assert e.ballots_hash in post.body
    for receipt in Ballot.objects.filter(election=e).values_list("receipt", flat=True):
        assert receipt in post.body
