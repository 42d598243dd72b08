"""The election metrics count counted elections of the period and their ballots."""

from datetime import timedelta

import pytest
from django.utils import timezone

from gonghui.democracy.services import elections as services
from gonghui.democracy.tests.elections_factories import candidate_ids, choose, election, electors
from gonghui.periods import Period
from gonghui.reports import registry

pytestmark = pytest.mark.django_db


def test_turnout_and_invalid_ballots_of_counted_elections_are_metrics():
    e = election(seats=1, candidates=2, voters=4)
    a, b = candidate_ids(e)
    voters = electors(e)
    services.cast_ballot(election=e, member=voters[0], choices=choose(a))
    services.cast_ballot(election=e, member=voters[1], choices=choose(a))
    services.cast_ballot(election=e, member=voters[2], choices=choose(a, b))
    services.close_election(election=e)
    services.count_election(election=e)
    period = Period.year(timezone.localdate().year)
    unions = [e.union_id]

    assert registry.value("democracy.elections_held", unions, period) == 1
    assert registry.value("democracy.ballots_cast", unions, period) == 3
    assert registry.value("democracy.ballots_invalid", unions, period) == 1
    assert str(registry.value("democracy.election_turnout", unions, period)) == "75.0"


def test_an_election_still_open_is_not_counted_as_held():
    e = election(closes_at=timezone.now() + timedelta(hours=1))
    period = Period.year(timezone.localdate().year)

    assert registry.value("democracy.elections_held", [e.union_id], period) == 0
