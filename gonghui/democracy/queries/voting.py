"""The voter's two reads: their roll entry (with the election and their member
record) and the printed candidates.

Opening the ballot and casting it are the busiest requests of an election day
(everyone votes in the same hour), and building and compiling an ORM query
costs some thirty times the CPU of running it. These two reads are therefore
written as SQL from the models' own table and column names (gonghui.sqlrows),
with the request's union scope applied exactly as the scoped manager applies
it. tests/test_elections_voting.py holds them to the ORM's answers.
"""

from gonghui.democracy.models.elections import Candidate, Election, ElectionState, RollEntry
from gonghui.members.models import Member
from gonghui.sqlrows import Columns, fetch, scope_filter

_ROLL = Columns(RollEntry, "r", {"union_id", "election_id", "member_id", "voted"})
_ELECTION = Columns(Election, "e")
_VOTER = Columns(Member, "m", {"union_id", "user_id", "name"})
_CANDIDATE = Columns(Candidate, "c")


def voter_roll(user_id: int | None, election_id: int) -> RollEntry | None:
    """The user's roll entry in an election of their own union that is not a
    draft, with `.election` and `.member` (id, union, user, name) filled from
    the same row; None when they are not on its roll."""
    scoped = scope_filter(_ROLL.column("union_id"))
    if scoped is None or user_id is None:
        return None
    r, e, m = _ROLL.column, _ELECTION.column, _VOTER.column
    row = fetch(
        f"SELECT {_ROLL.sql()}, {_ELECTION.sql()}, {_VOTER.sql()}"
        f" FROM {_ROLL.table()}"
        f" INNER JOIN {_ELECTION.table()} ON {e('id')} = {r('election_id')}"
        f" INNER JOIN {_VOTER.table()} ON {m('id')} = {r('member_id')}"
        f" WHERE {r('election_id')} = %s AND {m('user_id')} = %s"
        f" AND {m('union_id')} = {r('union_id')} AND {e('state')} <> %s{scoped[0]}"
        " LIMIT 1",
        [int(election_id), int(user_id), ElectionState.DRAFT.value, *scoped[1]],
    )
    if row is None:
        return None
    a, b = len(_ROLL), len(_ROLL) + len(_ELECTION)
    roll = _ROLL.build(row[:a])
    roll.election = _ELECTION.build(row[a:b])
    roll.member = _VOTER.build(row[b:])
    return roll


def ballot_candidates(election: Election) -> list[Candidate]:
    """The printed candidates of an election (no write-ins), in ballot order
    (Candidate's own ordering within one election)."""
    scoped = scope_filter(_CANDIDATE.column("union_id"))
    if scoped is None:
        return []
    c = _CANDIDATE.column
    rows = fetch(
        f"SELECT {_CANDIDATE.sql()} FROM {_CANDIDATE.table()}"
        f" WHERE {c('election_id')} = %s AND NOT {c('written_in')}{scoped[0]}"
        f" ORDER BY {c('position')}, {c('id')}",
        [election.pk, *scoped[1]],
        many=True,
    )
    return [_CANDIDATE.build(row) for row in rows]
