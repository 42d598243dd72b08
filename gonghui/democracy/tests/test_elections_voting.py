"""The voter's two hand-written reads (queries/voting.py) answer exactly what the
ORM answers, honour the request's union scope, and cost one statement each."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import ScopeError, scope

from gonghui.democracy.models import Candidate, Election, ElectionState, RollEntry
from gonghui.democracy.queries import voting
from gonghui.democracy.services import elections as services
from gonghui.democracy.tests.elections_factories import candidate_ids, choose, election, electors
from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs.tests.factories import UnionFactory, UserFactory

pytestmark = pytest.mark.django_db


def voter(e):
    member = electors(e)[0]
    member.user = UserFactory()
    member.save()
    return member


def test_the_roll_entry_comes_with_the_election_and_member_as_the_orm_reads_them():
    e = election(voters=2, margin_share=Decimal("0.25"))
    member = voter(e)

    with CaptureQueriesContext(connection) as run:
        roll = voting.voter_roll(member.user_id, e.pk)

    assert len(run.captured_queries) == 1
    expected = RollEntry.objects.get(election=e, member=member)
    assert (roll.pk, roll.voted, roll.union_id) == (expected.pk, False, e.union_id)
    fresh = Election.objects.get(pk=e.pk)
    fields = [f.attname for f in Election._meta.concrete_fields]
    assert {f: getattr(roll.election, f) for f in fields} == {f: getattr(fresh, f) for f in fields}
    assert (roll.member.pk, roll.member.union_id, roll.member.name) == (
        member.pk,
        member.union_id,
        member.name,
    )


def test_the_roll_entry_shows_a_vote_once_cast():
    e = election(voters=2)
    member = voter(e)
    services.cast_ballot(election=e, member=member, choices=choose(candidate_ids(e)[0]))

    assert voting.voter_roll(member.user_id, e.pk).voted is True


def test_a_member_not_on_the_roll_has_no_roll_entry():
    e = election(voters=2)
    outsider = MemberFactory(union=e.union, user=UserFactory())

    assert voting.voter_roll(outsider.user_id, e.pk) is None


def test_a_draft_election_shows_no_roll_entry():
    e = election(voters=2)
    member = voter(e)
    Election.objects.filter(pk=e.pk).update(state=ElectionState.DRAFT)

    assert voting.voter_roll(member.user_id, e.pk) is None


def test_a_member_now_in_another_union_has_no_roll_entry_in_the_old_unions_election():
    e = election(voters=2)
    member = voter(e)
    member.union = UnionFactory()
    member.save()

    assert voting.voter_roll(member.user_id, e.pk) is None


def test_the_roll_entry_is_read_only_inside_the_requests_union_scope():
    e = election(voters=2)
    member = voter(e)
    other = UnionFactory()

    with scope(union=[other.pk]):
        assert voting.voter_roll(member.user_id, e.pk) is None
    with scope(union=[]):
        assert voting.voter_roll(member.user_id, e.pk) is None
    with scope(union=[other.pk, e.union_id]):
        assert voting.voter_roll(member.user_id, e.pk).member.pk == member.pk


def test_the_voters_reads_refuse_to_run_without_a_scope_like_the_scoped_manager():
    e = election(voters=2)
    member = voter(e)

    with scope(other=1), pytest.raises(ScopeError):
        voting.voter_roll(member.user_id, e.pk)
    with scope(other=1), pytest.raises(ScopeError):
        voting.ballot_candidates(e)


def test_the_printed_candidates_are_the_orms_in_ballot_order_without_write_ins():
    e = election(candidates=4, voters=2, allow_write_in=True)
    first = Candidate.objects.filter(election=e).order_by("position").first()
    Candidate.objects.filter(pk=first.pk).update(position=99)
    Candidate.objects.create(union=e.union, election=e, name="钱多多", written_in=True)

    with CaptureQueriesContext(connection) as run:
        found = voting.ballot_candidates(e)

    assert len(run.captured_queries) == 1
    expected = list(Candidate.objects.filter(election=e, written_in=False))
    assert [c.pk for c in found] == [c.pk for c in expected]
    assert found[-1].pk == first.pk
    fields = [f.attname for f in Candidate._meta.concrete_fields]
    assert [[getattr(c, f) for f in fields] for c in found] == [
        [getattr(c, f) for f in fields] for c in expected
    ]


def test_the_printed_candidates_follow_the_union_scope():
    e = election(candidates=3, voters=1)

    with scope(union=[UnionFactory().pk]):
        assert voting.ballot_candidates(e) == []
    with scope(union=[e.union_id]):
        assert len(voting.ballot_candidates(e)) == 3


def test_a_member_refused_from_a_read_roll_entry_costs_no_write():
    e = election(voters=2)
    member = voter(e)
    services.cast_ballot(election=e, member=member, choices=choose(candidate_ids(e)[0]))
    roll = voting.voter_roll(member.user_id, e.pk)

    with (
        CaptureQueriesContext(connection) as run,
        pytest.raises(ValidationError, match="已经投过票"),
    ):
        services.cast_ballot(election=e, member=member, choices=choose(), roll=roll)

    assert run.captured_queries == []


def test_a_stale_roll_entry_still_cannot_cast_a_second_ballot():
    e = election(voters=2)
    member = voter(e)
    roll = voting.voter_roll(member.user_id, e.pk)
    services.cast_ballot(election=e, member=member, choices=choose(candidate_ids(e)[0]))

    with pytest.raises(ValidationError, match="已经投过票"):
        services.cast_ballot(election=e, member=member, choices=choose(), roll=roll)

    assert e.ballots.count() == 1


def test_a_vote_outside_the_window_is_refused_before_the_roll_is_touched():
    e = election(voters=2)
    member = voter(e)
    Election.objects.filter(pk=e.pk).update(closes_at=e.opens_at + timedelta(seconds=1))
    roll = voting.voter_roll(member.user_id, e.pk)

    with pytest.raises(ValidationError, match="投票已经截止"):
        services.cast_ballot(election=roll.election, member=member, choices=choose(), roll=roll)

    assert RollEntry.objects.filter(election=e, voted=True).count() == 0


def _colliding_codes(monkeypatch, taken: str):
    """The next receipt drawn repeats `taken` once, then draws fresh ones."""
    draws = iter([taken])
    fresh = services._code
    monkeypatch.setattr(services, "_code", lambda length: next(draws, None) or fresh(length))
    return draws


def test_a_receipt_that_collides_is_drawn_again_and_the_vote_counts_once(monkeypatch):
    e = election(voters=3)
    first, second = electors(e)[:2]
    taken = services.cast_ballot(election=e, member=first, choices=choose()).receipt
    draws = _colliding_codes(monkeypatch, taken)

    ballot = services.cast_ballot(election=e, member=second, choices=choose())

    assert next(draws, None) is None  # the colliding receipt was drawn
    assert ballot.receipt != taken
    assert e.ballots.count() == 2
    assert RollEntry.objects.filter(election=e, voted=True).count() == 2


@pytest.mark.django_db(transaction=True)
def test_outside_any_transaction_the_roll_and_the_ballot_are_written_together(monkeypatch):
    # On PostgreSQL the flip and the insert are one autocommitted statement: the
    # colliding attempt must leave the roll entry unflipped, or the second draw
    # would find the member voted and refuse them.
    e = election(voters=3)
    first, second = electors(e)[:2]
    taken = services.cast_ballot(election=e, member=first, choices=choose()).receipt
    draws = _colliding_codes(monkeypatch, taken)

    services.cast_ballot(election=e, member=second, choices=choose())

    assert next(draws, None) is None
    assert e.ballots.count() == 2
    assert RollEntry.objects.filter(election=e, voted=True).count() == 2
    with pytest.raises(ValidationError, match="已经投过票"):
        services.cast_ballot(election=e, member=second, choices=choose())
