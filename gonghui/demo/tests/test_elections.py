"""The school demo held a secret-ballot election last year and a yearly
democratic evaluation, consistent with what the services keep."""

from gonghui.demo.tests.dates import TODAY
from gonghui.democracy.models import (
    Ballot,
    Candidate,
    Election,
    Evaluation,
    EvaluationRoll,
    EvaluationSheet,
    RollEntry,
)
from gonghui.democracy.services.elections import ballots_hash
from gonghui.disclosure.models import Post


def test_the_school_demo_held_a_counted_election_last_year(school):
    election = Election.objects.get(union=school)
    assert election.closes_at.year == TODAY.year - 1
    assert election.state == "counted" and election.is_valid
    ballots = Ballot.objects.filter(election=election)
    assert ballots.count() == election.cast
    assert election.ballots_hash == ballots_hash(ballots)
    voted = RollEntry.objects.filter(election=election, voted=True).count()
    assert voted == election.cast
    assert voted * 3 > RollEntry.objects.filter(election=election).count() * 2
    candidates = Candidate.objects.filter(election=election)
    assert candidates.count() > election.seats
    assert 0 < candidates.filter(elected=True).count() <= election.seats
    assert Post.objects.filter(union=school, title__contains=election.title).exists()


def test_the_school_demo_evaluated_its_leaders_mostly_as_excellent(school):
    evaluation = Evaluation.objects.get(union=school)
    assert evaluation.closed and evaluation.year == TODAY.year - 1
    sheets = EvaluationSheet.objects.filter(evaluation=evaluation).count()
    assert sheets == EvaluationRoll.objects.filter(evaluation=evaluation, done=True).count()
    people = list(evaluation.evaluees.all())
    assert any(p.role == "工会主席" for p in people)
    for person in people:
        assert person.ratings == sheets
        assert person.excellent * 10 >= person.ratings * 8
