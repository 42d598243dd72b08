"""A demo union's secret-ballot election held last year and its yearly
democratic evaluation of leaders (民主评议, seed: "定量评议全为优秀").

The election goes through democracy.services (create, candidates, open,
close, count), so the roll, the counts, the hash and the elected are what the
services keep; only the ballots themselves are bulk-written, with the same
shape cast_ballot writes (random key and receipt, no voter, no time), and
exactly one roll entry flipped per ballot. A fraction of the `l` unions hold
an election and an evaluation; the `s` and `m` unions always do. Results are
published to open affairs dated the day after counting.
"""

import math
import random
import secrets
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from gonghui.democracy.models.elections import (
    Ballot,
    Candidate,
    Channel,
    Election,
    ElectionKind,
    Electorate,
    RollEntry,
)
from gonghui.democracy.models.evaluation import EvaluationRoll, EvaluationSheet, Evaluee, Grade
from gonghui.democracy.services import elections as services
from gonghui.democracy.services import evaluation as evaluation_services
from gonghui.members.models import Member, Status
from gonghui.orgs.models import Post, PostKind, Term, Union, UnionKind

SCHOOL_KINDS = {UnionKind.SCHOOL, UnionKind.KINDERGARTEN}
# Share of the unions of a large city that held an election or an evaluation.
ELECTION_SHARE = 0.2
EVALUATION_SHARE = 0.35
# Raters of a large union's evaluation: a sample standing for its representatives.
MAX_RATERS = 150
ALPHABET = services.ALPHABET

SCHOOL_LEADERS = [("校长", 1), ("党支部书记", 1), ("副校长", 2)]
COMPANY_LEADERS = [("总经理", 1), ("党委书记", 1), ("副总经理", 2)]
COMMENTS = [
    "工作扎实，深入一线，关心教职工生活。",
    "坚持民主决策，重大事项都提交教代会讨论。",
    "希望多听取青年职工的意见。",
    "建议进一步公开绩效分配方案。",
    "作风务实，办事公道。",
    "希望加强与基层班组的沟通。",
]


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _receipt(rng: random.Random) -> str:
    raw = "".join(rng.choice(ALPHABET) for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"


def _headline(union: Union) -> bool:
    """The `s` school and the `m` enterprise stand almost alone under their
    district; the `l` city's unions share theirs with hundreds."""
    return Union.objects.filter(parent_id=union.parent_id).count() <= 5


@transaction.atomic
def fill(*, union: Union, rng: random.Random, today: date, actor) -> None:
    members = list(
        Member.objects.filter(union=union, status=Status.ACTIVE)
        .order_by("pk")
        .values_list("pk", "name")
    )
    if len(members) < 8:
        return
    headline = _headline(union)
    if headline or rng.random() < ELECTION_SHARE:
        _election(union=union, rng=rng, today=today, actor=actor, members=members)
    if headline or rng.random() < EVALUATION_SHARE:
        _evaluation(union=union, rng=rng, today=today, actor=actor, members=members)


def _election(*, union, rng, today, actor, members) -> None:
    year = today.year - 1
    term = Term.objects.filter(union=union).order_by("-number").first()
    number = term.number if term else 1
    size = len(members)
    choices = [
        (ElectionKind.WOMEN, f"第{number}届女职工委员会委员选举", 5 if size < 300 else 7),
        (ElectionKind.AUDIT, f"第{number}届经费审查委员会委员补选", 3),
        (
            ElectionKind.COMMITTEE,
            f"第{number + 1}届工会委员会换届选举",
            5 if size < 100 else 7 if size < 500 else 9 if size < 5000 else 15,
        ),
    ]
    kind, title, seats = rng.choice(choices)
    extra = max(1, math.ceil(seats * rng.choice((0.1, 0.2, 0.25))))
    day = date(year, rng.randint(3, 11), rng.randint(1, 28))
    channel = rng.choice(
        (Channel.ONLINE, Channel.ONLINE, Channel.CODES)
        if size > 300
        else (Channel.ONLINE, Channel.CODES, Channel.PAPER)
    )
    election = services.create_election(
        union=union,
        title=title,
        kind=kind,
        seats=seats,
        channel=channel,
        electorate=Electorate.ALL,
        opens_at=_at(day, 8),
        closes_at=_at(day, 17) if channel == Channel.ONLINE else _at(day, 11),
        actor=actor,
    )
    committee = set(
        Post.objects.filter(term=term).values_list("member__name", flat=True) if term else ()
    )
    pool = [name for _pk, name in members]
    names: list[str] = [n for n in committee if n in pool][: seats // 2]
    for name in rng.sample(pool, min(len(pool), seats * 3)):
        if len(names) >= seats + extra:
            break
        if name not in names:
            names.append(name)
    support = {}
    for name in names:
        services.add_candidate(
            election=election,
            name=name,
            profile=rng.choice(("本科，", "研究生，", "大专，"))
            + rng.choice(
                ("教研组长", "班主任", "车间主任", "工会小组长", "技术骨干", "办公室主任")
            ),
        )
        support[name] = rng.uniform(0.55, 0.95) if name in committee else rng.uniform(0.3, 0.9)
    services.open_election(election=election, actor=actor)
    _ballots(election=election, rng=rng, support=support)
    services.close_election(election=election, actor=actor)
    services.count_election(election=election, actor=actor, now=_at(day, 18))
    post = services.publish_results(election=election, actor=actor)
    type(post).objects.filter(pk=post.pk).update(publish_on=day + timedelta(days=1))


def _ballots(*, election: Election, rng: random.Random, support: dict[str, float]) -> None:
    """About 93% of electors vote (in the hall: are handed a code or a paper
    ballot and cast it); about one ballot in eighty marks too many names."""
    roll = list(RollEntry.objects.filter(election=election).values_list("pk", flat=True))
    voters = [pk for pk in roll if rng.random() < rng.uniform(0.88, 0.98)]
    if len(voters) * 3 <= len(roll) * 2:
        voters = roll
    candidates = list(Candidate.objects.filter(election=election).values_list("pk", "name"))
    ranked = sorted(candidates, key=lambda c: -support[c[1]])
    seen: set[str] = set()
    rows = []
    for _ in voters:
        chosen = [pk for pk, name in ranked if rng.random() < support[name]][: election.seats]
        valid = True
        if rng.random() < 0.0125:
            chosen = [pk for pk, _name in ranked]
            valid = len(chosen) <= election.seats
        receipt = _receipt(rng)
        while receipt in seen:
            receipt = _receipt(rng)
        seen.add(receipt)
        rows.append(
            Ballot(
                union_id=election.union_id,
                election=election,
                choices={"c": {str(pk): "for" for pk in sorted(chosen)}, "w": []},
                valid=valid,
                receipt=receipt,
            )
        )
    # Shuffled so not even the insertion order follows the roll.
    rng.shuffle(rows)
    Ballot.objects.bulk_create(rows, batch_size=2000)
    RollEntry.objects.filter(pk__in=voters).update(voted=True)
    if election.channel == Channel.CODES:
        from gonghui.democracy.models.elections import VotingCode
        from gonghui.encryption import digest

        VotingCode.objects.bulk_create(
            [
                VotingCode(
                    union_id=election.union_id,
                    election=election,
                    digest=digest(secrets.token_hex(8)),
                    used=True,
                )
                for _ in rows
            ],
            batch_size=2000,
        )


def _evaluation(*, union, rng, today, actor, members) -> None:
    """Last December's evaluation of the union chair and the school or company leaders."""
    year = today.year - 1
    term = Term.objects.filter(union=union).order_by("-number").first()
    chair = (
        Post.objects.filter(term=term, kind=PostKind.CHAIR).select_related("member").first()
        if term
        else None
    )
    leaders = SCHOOL_LEADERS if union.kind in SCHOOL_KINDS else COMPANY_LEADERS
    names = [name for _pk, name in members]
    taken = {chair.member.name} if chair else set()
    evaluees = [(chair.member.name, "工会主席")] if chair else []
    for role, count in leaders:
        for _ in range(count):
            name = rng.choice(names)
            if name in taken:
                continue
            taken.add(name)
            evaluees.append((name, role))
    ids = [pk for pk, _name in members]
    made = evaluation_services.create_evaluation(
        union=union,
        title=f"{year}年度民主评议领导班子和工会主席",
        year=year,
        opens_at=_at(date(year, 12, 15), 8),
        closes_at=_at(date(year, 12, 22), 17),
        evaluees=evaluees,
        raters=rng.sample(ids, MAX_RATERS) if len(ids) > MAX_RATERS else None,
        actor=actor,
    )
    roll = list(EvaluationRoll.objects.filter(evaluation=made).values_list("pk", flat=True))
    raters = [pk for pk in roll if rng.random() < 0.92]
    people = list(Evaluee.objects.filter(evaluation=made).values_list("pk", flat=True))
    all_excellent = rng.random() < 0.4
    sheets = []
    for _ in raters:
        grades, comments = {}, {}
        for pk in people:
            draw = rng.random()
            grade = Grade.EXCELLENT
            if not all_excellent and draw > 0.9:
                grade = Grade.COMPETENT if draw < 0.99 else Grade.BASIC
            grades[str(pk)] = grade.value
            if rng.random() < 0.04:
                comments[str(pk)] = rng.choice(COMMENTS)
        sheets.append(
            EvaluationSheet(
                union_id=union.pk, evaluation=made, answers={"g": grades, "m": comments}
            )
        )
    rng.shuffle(sheets)
    EvaluationSheet.objects.bulk_create(sheets, batch_size=2000)
    EvaluationRoll.objects.filter(pk__in=raters).update(done=True)
    evaluation_services.close_evaluation(evaluation=made, actor=actor)
    post = evaluation_services.publish_evaluation(evaluation=made, actor=actor)
    type(post).objects.filter(pk=post.pk).update(publish_on=date(year, 12, 28))
