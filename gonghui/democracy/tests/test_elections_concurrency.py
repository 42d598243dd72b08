"""Double votes at the same instant, with real threads, on SQLite and PostgreSQL."""

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django_scopes import scopes_disabled

from gonghui.democracy.models import Ballot, Candidate, RollEntry
from gonghui.democracy.services import elections as services
from gonghui.democracy.tests.elections_factories import candidate_ids, choose, election, electors

pytestmark = pytest.mark.django_db(transaction=True)

# Below PostgreSQL's default of 100 connections, with room for other test workers.
WORKERS = 24


def race_in_pairs(act, items):
    """Run act(item) twice per item, both copies released at the same instant;
    return every outcome (the result or the exception)."""
    barriers = {i: threading.Barrier(2, timeout=30) for i in range(len(items))}

    def work(i):
        try:
            with scopes_disabled():
                barriers[i].wait()
                return act(items[i])
        except Exception as e:  # noqa: BLE001 - the outcome is what we assert on
            return e
        finally:
            connection.close()

    # Both copies of an item sit next to each other in the queue, so they are
    # taken by two workers together.
    order = [i for i in range(len(items)) for _ in range(2)]
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        return list(pool.map(work, order))


def test_sixty_voters_each_voting_twice_at_once_leave_sixty_ballots_and_sixty_clean_refusals():
    e = election(seats=1, candidates=3, voters=60)
    ids = candidate_ids(e)
    voters = electors(e)
    picks = {m.pk: ids[i % 3] for i, m in enumerate(voters)}

    outcomes = race_in_pairs(
        lambda m: services.cast_ballot(election=e, member=m, choices=choose(picks[m.pk])),
        voters,
    )

    ballots = [o for o in outcomes if isinstance(o, Ballot)]
    refusals = [o for o in outcomes if isinstance(o, ValidationError)]
    assert len(ballots) == 60
    assert len(refusals) == 60, [o for o in outcomes if not isinstance(o, Ballot | ValidationError)]
    assert {r.message_dict["election"][0] for r in refusals} == {"您已经投过票了，每人只能投一次"}
    assert Ballot.objects.filter(election=e).count() == 60
    assert RollEntry.objects.filter(election=e, voted=True).count() == 60
    services.close_election(election=e)
    services.count_election(election=e)
    expected = Counter(picks.values())
    assert {c.pk: c.votes_for for c in Candidate.objects.filter(election=e)} == dict(expected)


def test_thirty_hall_codes_each_used_twice_at_once_leave_thirty_ballots():
    e = election(channel="codes", seats=1, candidates=2, voters=30)
    codes = services.issue_codes(election=e, count=30)

    outcomes = race_in_pairs(
        lambda code: services.cast_with_code(code=code, choices=choose(candidate_ids(e)[0])),
        codes,
    )

    assert sum(isinstance(o, Ballot) for o in outcomes) == 30
    refusals = [o for o in outcomes if isinstance(o, ValidationError)]
    assert len(refusals) == 30
    assert Ballot.objects.filter(election=e).count() == 30
