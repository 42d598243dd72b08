"""Voting in the hall: one-time codes drawn at check-in, and paper ballots
entered by two tellers and reconciled."""

import pytest
from django.core.exceptions import ValidationError

from gonghui.democracy.models import Ballot, Candidate, RollEntry, VotingCode
from gonghui.democracy.queries import elections as queries
from gonghui.democracy.services import elections as services
from gonghui.democracy.tests.elections_factories import candidate_ids, choose, election, electors
from gonghui.orgs.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_printed_codes_are_stored_only_as_digests():
    e = election(channel="codes", voters=4)

    codes = services.issue_codes(election=e, count=4)

    assert len(set(codes)) == 4
    stored = set(VotingCode.objects.filter(election=e).values_list("digest", flat=True))
    assert not any(code in d or code.replace("-", "") in d for code in codes for d in stored)


def test_no_more_codes_than_electors_can_be_printed():
    e = election(channel="codes", voters=3)
    services.issue_codes(election=e, count=2)

    with pytest.raises(ValidationError, match="已打印2个，再打印2个将超过选举人数3"):
        services.issue_codes(election=e, count=2)


def test_the_desk_records_that_a_member_got_a_code_and_refuses_a_second():
    e = election(channel="codes", voters=2)
    member = electors(e)[0]

    services.check_in(election=e, member=member)

    assert RollEntry.objects.get(election=e, member=member).voted
    with pytest.raises(ValidationError, match="已经领过选票"):
        services.check_in(election=e, member=member)


def test_a_code_votes_once_and_a_second_use_is_refused_with_a_message():
    e = election(channel="codes", voters=3)
    (code,) = services.issue_codes(election=e, count=1)

    ballot = services.cast_with_code(code=code.lower(), choices=choose(candidate_ids(e)[0]))

    assert ballot.election == e
    with pytest.raises(ValidationError) as refused:
        services.cast_with_code(code=code, choices=choose())
    assert refused.value.message_dict["code"] == ["该投票码已经使用过，每个投票码只能投一次"]
    assert Ballot.objects.filter(election=e).count() == 1


def test_an_unknown_code_is_refused_with_a_message():
    election(channel="codes")

    with pytest.raises(ValidationError, match="投票码不存在，请核对后重新输入"):
        services.cast_with_code(code="ABCD-EFGH", choices=choose())


def test_members_with_an_account_cannot_vote_online_in_a_hall_election():
    e = election(channel="codes")

    with pytest.raises(ValidationError, match="请使用现场领取的投票码"):
        services.cast_ballot(election=e, member=electors(e)[0], choices=choose())


def test_the_hall_count_treats_those_who_drew_a_code_as_present():
    e = election(channel="codes", seats=1, candidates=2, voters=6)
    codes = services.issue_codes(election=e, count=3)
    for member in electors(e)[:3]:
        services.check_in(election=e, member=member)
    for code in codes:
        services.cast_with_code(code=code, choices=choose(candidate_ids(e)[0]))
    services.close_election(election=e)

    counted = services.count_election(election=e)

    assert (counted.issued, counted.cast, counted.is_valid) == (3, 3, True)
    assert queries.results(e)["check_ok"] is True
    assert Candidate.objects.get(pk=candidate_ids(e)[0]).elected


def paper_election(voters=3):
    e = election(channel="paper", seats=1, candidates=2, voters=voters)
    for member in electors(e):
        services.check_in(election=e, member=member)
    services.close_election(election=e)
    return e


def test_two_tellers_who_agree_turn_their_entries_into_ballots():
    e = paper_election()
    a, b = candidate_ids(e)
    first, second = UserFactory(), UserFactory()
    for teller in (first, second):
        for number, pick in [(1, a), (2, a), (3, b)]:
            services.enter_paper_ballot(
                election=e, teller=teller, number=number, choices=choose(pick)
            )

    assert services.reconcile_paper(election=e) == 3
    counted = services.count_election(election=e)
    assert counted.cast == 3
    assert Candidate.objects.get(pk=a).votes_for == 2


def test_tellers_who_disagree_are_shown_which_ballots_to_check_and_nothing_is_counted():
    e = paper_election()
    a, b = candidate_ids(e)
    first, second = UserFactory(), UserFactory()
    for number in (1, 2, 3):
        services.enter_paper_ballot(election=e, teller=first, number=number, choices=choose(a))
    services.enter_paper_ballot(election=e, teller=second, number=1, choices=choose(a))
    services.enter_paper_ballot(election=e, teller=second, number=2, choices=choose(b))

    with pytest.raises(ValidationError) as refused:
        services.reconcile_paper(election=e)

    message = refused.value.message_dict["election"][0]
    assert "只有一名计票人录入的选票：第3号" in message
    assert "两名计票人录入不一致的选票：第2号" in message
    assert Ballot.objects.filter(election=e).count() == 0


def test_a_teller_cannot_enter_the_same_ballot_number_twice():
    e = paper_election()
    teller = UserFactory()
    services.enter_paper_ballot(election=e, teller=teller, number=1, choices=choose())

    with pytest.raises(ValidationError, match="您已经录入过第1号选票"):
        services.enter_paper_ballot(election=e, teller=teller, number=1, choices=choose())


def test_a_ballot_number_beyond_the_ballots_handed_out_is_refused():
    e = paper_election(voters=3)

    with pytest.raises(ValidationError, match="选票编号4超过发出的选票数3"):
        services.enter_paper_ballot(election=e, teller=UserFactory(), number=4, choices=choose())
