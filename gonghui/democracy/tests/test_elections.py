"""Setting up, casting, counting and checking a secret-ballot election."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from gonghui.democracy.models import Ballot, Candidate, ElectionState, RollEntry
from gonghui.democracy.queries import elections as queries
from gonghui.democracy.services import elections as services
from gonghui.democracy.tests.elections_factories import (
    candidate_ids,
    choose,
    election,
    electors,
)
from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs.tests.factories import GroupFactory, UnionFactory

pytestmark = pytest.mark.django_db


def finish(e):
    services.close_election(election=e)
    return services.count_election(election=e)


def test_a_vote_marks_the_member_as_voted_and_writes_a_ballot_with_a_receipt():
    e = election(voters=3)
    member = electors(e)[0]

    ballot = services.cast_ballot(election=e, member=member, choices=choose(candidate_ids(e)[0]))

    assert RollEntry.objects.get(election=e, member=member).voted is True
    assert Ballot.objects.filter(election=e).count() == 1
    assert len(ballot.receipt) == 11 and ballot.receipt[5] == "-"
    assert ballot.valid is True


def test_voting_twice_is_refused_with_a_clear_message_and_writes_nothing():
    e = election(voters=3)
    member = electors(e)[0]
    services.cast_ballot(election=e, member=member, choices=choose(candidate_ids(e)[0]))

    with pytest.raises(ValidationError) as refused:
        services.cast_ballot(election=e, member=member, choices=choose(candidate_ids(e)[1]))

    assert refused.value.message_dict["election"] == ["您已经投过票了，每人只能投一次"]
    assert Ballot.objects.filter(election=e).count() == 1


def test_a_member_who_is_not_on_the_roll_cannot_vote():
    e = election(voters=3)
    outsider = MemberFactory(union=e.union)

    with pytest.raises(ValidationError, match="不在本次选举的选举人名册中"):
        services.cast_ballot(election=e, member=outsider, choices=choose())


def test_voting_before_the_window_opens_is_refused():
    later = timezone.now() + timedelta(days=1)
    e = election(opens_at=later, closes_at=later + timedelta(hours=2))

    with pytest.raises(ValidationError, match="投票尚未开始"):
        services.cast_ballot(election=e, member=electors(e)[0], choices=choose())


def test_voting_after_the_window_closes_is_refused_and_nothing_is_written():
    e = election()

    with pytest.raises(ValidationError, match="投票已经截止"):
        services.cast_ballot(
            election=e,
            member=electors(e)[0],
            choices=choose(),
            now=e.closes_at + timedelta(minutes=1),
        )
    assert Ballot.objects.filter(election=e).count() == 0
    assert RollEntry.objects.filter(election=e, voted=True).count() == 0


def test_a_ballot_choosing_more_than_the_seats_is_kept_and_counted_as_invalid():
    e = election(seats=2, candidates=3, voters=3)
    a, b, c = candidate_ids(e)

    ballot = services.cast_ballot(election=e, member=electors(e)[0], choices=choose(a, b, c))

    assert ballot.valid is False
    counted = finish(e)
    assert (counted.cast, counted.valid_ballots, counted.invalid_ballots) == (1, 0, 1)


def test_a_ballot_naming_an_unknown_candidate_is_refused():
    e = election()

    with pytest.raises(ValidationError, match="不在本次选举的名单中"):
        services.cast_ballot(election=e, member=electors(e)[0], choices=choose(999999))


def test_a_write_in_is_refused_where_the_election_does_not_allow_one():
    e = election()

    with pytest.raises(ValidationError, match="不允许另选他人"):
        services.cast_ballot(
            election=e, member=electors(e)[0], choices=choose(write_ins=["钱多多"])
        )


def test_write_ins_are_counted_and_listed_with_the_candidates():
    e = election(seats=1, candidates=2, voters=3, allow_write_in=True)
    for member in electors(e):
        services.cast_ballot(election=e, member=member, choices=choose(write_ins=["钱多多"]))

    finish(e)

    written = Candidate.objects.get(election=e, name="钱多多")
    assert written.written_in and written.votes_for == 3 and written.elected


def test_candidates_with_more_than_half_of_those_present_are_elected_by_rank():
    e = election(seats=2, candidates=3, voters=6)
    a, b, c = candidate_ids(e)
    votes = [(a, b), (a, b), (a, b), (a, c), (a, c), (b,)]
    for member, picked in zip(electors(e), votes, strict=True):
        services.cast_ballot(election=e, member=member, choices=choose(*picked))

    counted = finish(e)

    assert counted.is_valid
    rows = {c.pk: c for c in Candidate.objects.filter(election=e)}
    assert [rows[a].votes_for, rows[b].votes_for, rows[c].votes_for] == [5, 4, 2]
    assert [rows[a].elected, rows[b].elected, rows[c].elected] == [True, True, False]


def test_nobody_is_elected_without_more_than_half_of_those_present():
    e = election(seats=1, candidates=2, voters=4)
    a, b = candidate_ids(e)
    for member, pick in zip(electors(e), [a, a, b, b], strict=True):
        services.cast_ballot(election=e, member=member, choices=choose(pick))

    finish(e)

    assert not Candidate.objects.filter(election=e, elected=True).exists()


def test_the_election_is_invalid_when_ballots_do_not_exceed_two_thirds_of_the_electorate():
    e = election(seats=1, candidates=2, voters=6)
    for member in electors(e)[:4]:
        services.cast_ballot(election=e, member=member, choices=choose(candidate_ids(e)[0]))

    counted = finish(e)

    assert counted.is_valid is False
    assert not Candidate.objects.filter(election=e, elected=True).exists()


def test_a_tie_at_the_last_seat_sends_the_tied_candidates_to_a_runoff():
    e = election(seats=2, candidates=3, voters=7)
    a, b, c = candidate_ids(e)
    votes = [(a, b), (a, c), (a, b), (a, c), (b, c), (b, c), (a,)]
    for member, picked in zip(electors(e), votes, strict=True):
        services.cast_ballot(election=e, member=member, choices=choose(*picked))
    finish(e)

    rows = {c.pk: c for c in Candidate.objects.filter(election=e)}
    assert rows[a].elected and not rows[a].in_runoff
    assert rows[b].in_runoff and rows[c].in_runoff and not rows[b].elected
    now = timezone.now()
    runoff = services.start_runoff(
        election=e, opens_at=now - timedelta(minutes=1), closes_at=now + timedelta(hours=1)
    )
    assert runoff.seats == 1
    assert sorted(runoff.candidates.values_list("name", flat=True)) == sorted(
        [rows[b].name, rows[c].name]
    )
    assert services.open_election(election=runoff) == 7


def test_the_competitive_margin_warning_says_how_many_candidates_are_missing():
    e = election(seats=7, candidates=7, kind="committee", open=False)

    assert e.margin_share == Decimal("0.05")
    assert queries.margin_warning(e) == (
        "差额不足：应选7名，候选人7名；按候选人多于应选名额5%的规定，还需增加1名候选人"
    )


def test_a_competitive_committee_election_has_no_margin_warning():
    e = election(seats=7, candidates=8, kind="committee", open=False)

    assert queries.margin_warning(e) == ""


def test_the_roll_of_a_group_election_holds_only_the_members_of_those_groups():
    union = UnionFactory()
    group = GroupFactory(union=union)
    inside = MemberFactory.create_batch(3, union=union, group=group)
    MemberFactory.create_batch(2, union=union)
    e = election(union, voters=0, electorate="groups", groups=[group])

    assert sorted(m.pk for m in electors(e)) == sorted(m.pk for m in inside)


def test_a_group_election_without_groups_is_refused():
    with pytest.raises(ValidationError, match="请至少选择一个工会小组"):
        election(electorate="groups", open=False)


def test_a_quorum_rule_that_is_not_a_fraction_is_refused():
    with pytest.raises(ValidationError, match="应写成分数"):
        election(quorum="三分之二", open=False)


def test_the_results_list_sorted_receipts_a_hash_and_the_roll_equals_ballots_check():
    e = election(seats=1, candidates=2, voters=3)
    receipts = [
        services.cast_ballot(election=e, member=m, choices=choose(candidate_ids(e)[0])).receipt
        for m in electors(e)
    ]
    finish(e)

    r = queries.results(e)

    assert r["receipts"] == sorted(receipts)
    assert r["check_ok"] is True
    assert e.ballots_hash == services.ballots_hash(Ballot.objects.filter(election=e))
    assert len(e.ballots_hash) == 64


def test_a_member_finds_their_receipt_among_the_counted_ballots():
    e = election(voters=3)
    ballot = services.cast_ballot(election=e, member=electors(e)[0], choices=choose())

    found = queries.receipt_status(e, ballot.receipt.lower().replace("-", ""))

    assert found == {"receipt": ballot.receipt, "valid": True}
    assert queries.receipt_status(e, "AAAAA-AAAAA") is None


def test_counting_twice_is_refused():
    e = election()
    finish(e)

    with pytest.raises(ValidationError, match="请先结束投票再计票"):
        services.count_election(election=e)
    assert e.state == ElectionState.COUNTED


def test_candidates_cannot_change_once_voting_has_started():
    e = election()

    with pytest.raises(ValidationError, match="不能再修改候选人"):
        services.add_candidate(election=e, name="新人")


def test_for_against_ballots_count_each_mark_separately():
    e = election(seats=1, candidates=1, voters=3, method="for_against")
    (a,) = candidate_ids(e)
    for member, mark in zip(electors(e), ["for", "against", "abstain"], strict=True):
        services.cast_ballot(election=e, member=member, choices={"c": {str(a): mark}})

    finish(e)

    row = Candidate.objects.get(pk=a)
    assert (row.votes_for, row.votes_against, row.abstentions) == (1, 1, 1)
    assert row.elected is False  # 1 of 3 present is not more than half


def test_the_roll_of_a_congress_election_holds_its_serving_representatives_only():
    from datetime import date

    from gonghui.democracy.models import Congress, Representative

    union = UnionFactory()
    members = MemberFactory.create_batch(4, union=union)
    congress = Congress.objects.create(
        union=union, kind="staff", term=3, starts_on=date(2024, 1, 1)
    )
    for member in members[:2]:
        Representative.objects.create(
            union=union, congress=congress, member=member, elected_on=date(2024, 1, 1)
        )
    Representative.objects.create(
        union=union,
        congress=congress,
        member=members[2],
        elected_on=date(2024, 1, 1),
        left_on=date(2024, 6, 1),
    )

    e = election(union, voters=0, electorate="congress", congress=congress)

    assert [m.pk for m in electors(e)] == [m.pk for m in members[:2]]
