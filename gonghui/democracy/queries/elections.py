"""Reads and metrics: secret-ballot elections.

Ballots are only ever read in receipt order or as counts; nothing here lists
them in the order they were written.
"""

from django.db.models import Count, Q

from gonghui.democracy.models.elections import (
    Ballot,
    Candidate,
    Channel,
    Election,
    ElectionState,
    RollEntry,
    VotingCode,
)
from gonghui.democracy.services.elections import margin_shortfall, present_of
from gonghui.reports.registry import metric, ratio


def margin_warning(election: Election) -> str:
    """The competitive-margin (差额) warning, or "" when the rule is met."""
    candidates = Candidate.objects.filter(election=election, written_in=False).count()
    short = margin_shortfall(
        seats=election.seats, candidates=candidates, share=election.margin_share
    )
    if not short:
        return ""
    percent = f"{election.margin_share * 100:.0f}%"
    return (
        f"差额不足：应选{election.seats}名，候选人{candidates}名；"
        f"按候选人多于应选名额{percent}的规定，还需增加{short}名候选人"
    )


def roll_counts(election: Election) -> dict:
    counts = RollEntry.objects.filter(election=election).aggregate(
        total=Count("pk"), voted=Count("pk", filter=Q(voted=True))
    )
    codes = VotingCode.objects.filter(election=election).aggregate(
        printed=Count("pk"), used=Count("pk", filter=Q(used=True))
    )
    return {**counts, **codes, "ballots": Ballot.objects.filter(election=election).count()}


def results(election: Election) -> dict:
    """Everything the results page and the published notice show."""
    candidates = list(Candidate.objects.filter(election=election).order_by("position", "pk"))
    receipts = list(
        Ballot.objects.filter(election=election)
        .order_by("receipt")
        .values_list("receipt", flat=True)
    )
    roll = roll_counts(election)
    if election.channel == Channel.ONLINE:
        check_label = "投票人数（名册中已投票）与选票数相等"
        check_ok = roll["voted"] == len(receipts)
    elif election.channel == Channel.CODES:
        check_label = "已使用的投票码数与选票数相等，且不多于领票人数"
        check_ok = roll["used"] == len(receipts) <= roll["voted"]
    else:
        check_label = "收回选票数不多于发出选票数"
        check_ok = len(receipts) <= roll["voted"]
    return {
        "candidates": candidates,
        "elected": [c for c in candidates if c.elected],
        "runoff": [c for c in candidates if c.in_runoff],
        "receipts": receipts,
        "present": present_of(election),
        "roll": roll,
        "check_label": check_label,
        "check_ok": check_ok,
        "counted": election.state == ElectionState.COUNTED,
    }


def receipt_status(election: Election, receipt: str) -> dict | None:
    """Whether a receipt is among the counted ballots, and whether that ballot was valid."""
    code = (receipt or "").strip().upper().replace(" ", "")
    if len(code) == 10 and "-" not in code:
        code = f"{code[:5]}-{code[5:]}"
    ballot = Ballot.objects.filter(election=election, receipt=code).only("valid").first()
    if ballot is None:
        return None
    return {"receipt": code, "valid": ballot.valid}


def elections_for_member(member):
    """Elections the member is on the roll of, newest first, with whether they voted."""
    entries = RollEntry.objects.filter(member=member).select_related("election")
    return [
        (e.election, e.voted)
        for e in sorted(entries, key=lambda e: e.election.opens_at, reverse=True)
        if e.election.state != ElectionState.DRAFT
    ]


def voted(election: Election, member) -> bool | None:
    return (
        RollEntry.objects.filter(election=election, member=member)
        .values_list("voted", flat=True)
        .first()
    )


# Metrics -------------------------------------------------------------------------------


def held(unions, period):
    return Election.objects.filter(
        union__in=unions, state=ElectionState.COUNTED, closes_at__date__range=period.bounds
    )


@metric(
    "democracy.elections_held",
    label="举行选举",
    unit="次",
    description="本期投票截止并已计票的选举（含另行选举）",
)
def elections_held(unions, period):
    return held(unions, period)


@metric("democracy.election_electors", label="选举人数", unit="人", sum_field="electorate_size")
def election_electors(unions, period):
    return held(unions, period)


@metric("democracy.ballots_cast", label="收回选票", unit="张", sum_field="cast")
def ballots_cast(unions, period):
    return held(unions, period)


@metric("democracy.ballots_valid", label="有效票", unit="张", sum_field="valid_ballots")
def ballots_valid(unions, period):
    return held(unions, period)


@metric("democracy.ballots_invalid", label="无效票", unit="张", sum_field="invalid_ballots")
def ballots_invalid(unions, period):
    return held(unions, period)


ratio(
    "democracy.election_turnout",
    label="选举投票率",
    numerator="democracy.ballots_cast",
    denominator="democracy.election_electors",
    description="本期已计票选举的收回选票 ÷ 选举人数",
)
