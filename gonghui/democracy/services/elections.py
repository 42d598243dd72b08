"""Every write of a secret-ballot election: setting it up, the roll, casting
online or with a hall code, paper ballots entered by two tellers, closing,
counting, run-offs and publishing the result.

The secrecy rule (DESIGN.md "Secret ballot"): a vote flips the voter's roll
entry from not-voted to voted with a conditional UPDATE that must change
exactly one row, and writes a Ballot that names no voter, in the same
transaction. The conditional UPDATE plus the roll's unique constraint is what
makes "one member, one ballot" hold on SQLite and PostgreSQL alike, however
many requests arrive at once.
"""

import hashlib
import json
import math
import secrets
from decimal import Decimal
from fractions import Fraction

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django_scopes import scopes_disabled

from gonghui import sqlrows
from gonghui.democracy.models.elections import (
    COMPETITIVE_KINDS,
    Ballot,
    Candidate,
    Channel,
    Election,
    ElectionKind,
    ElectionState,
    Electorate,
    ElectorateCongress,
    ElectorateGroup,
    Method,
    RollEntry,
    TellerEntry,
    VotingCode,
)
from gonghui.encryption import digest
from gonghui.members.models import Member, Status

# Unambiguous letters and digits for codes people copy by hand (no 0/O, 1/I/L).
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
MARKS = {"for", "against", "abstain"}
DEFAULT_MARGIN = Decimal("0.05")
_ROLL = sqlrows.Columns(RollEntry, "r", {"union_id", "election_id", "member_id", "voted"})


# Rules -------------------------------------------------------------------------------


def parse_share(value: str, *, field: str, label: str) -> Fraction:
    """A rule written as "a/b" (or a decimal), strictly between 0 and 1."""
    try:
        share = Fraction(str(value).strip())
    except (ValueError, ZeroDivisionError):
        raise ValidationError({field: f"{label}“{value}”应写成分数，如 2/3"}) from None
    if not 0 < share < 1:
        raise ValidationError({field: f"{label}“{value}”应大于0且小于1"})
    return share


def margin_shortfall(*, seats: int, candidates: int, share: Decimal) -> int:
    """How many more candidates the competitive-margin rule asks for (0 when met)."""
    if share <= 0:
        return 0
    needed = seats + max(1, math.ceil(seats * share))
    return max(0, needed - candidates)


def _code(length: int) -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(length))
    half = length // 2
    return f"{raw[:half]}-{raw[half:]}"


def _normalise_code(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


# Setting up --------------------------------------------------------------------------


@transaction.atomic
def create_election(
    *,
    union,
    title: str,
    kind: str,
    seats: int,
    opens_at,
    closes_at,
    method: str = Method.CHOOSE,
    channel: str = Channel.ONLINE,
    electorate: str = Electorate.ALL,
    groups=(),
    congress=None,
    allow_write_in: bool = False,
    margin_share: Decimal | None = None,
    quorum: str = "2/3",
    majority: str = "1/2",
    notes: str = "",
    actor=None,
) -> Election:
    """A draft election; the margin defaults to 5% for committees (差额), 0 otherwise."""
    errors = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = "选举名称不能为空"
    if kind not in ElectionKind.values:
        errors["kind"] = f"选举类型“{kind}”不在可选范围内"
    if method not in Method.values:
        errors["method"] = f"投票方式“{method}”不在可选范围内"
    if channel not in Channel.values:
        errors["channel"] = f"投票渠道“{channel}”不在可选范围内"
    if electorate not in Electorate.values:
        errors["electorate"] = f"选举人范围“{electorate}”不在可选范围内"
    if not isinstance(seats, int) or seats < 1:
        errors["seats"] = "应选名额至少为1名"
    if opens_at is None or closes_at is None:
        errors["closes_at"] = "请填写投票开始和截止时间"
    elif closes_at <= opens_at:
        errors["closes_at"] = "投票截止时间应晚于开始时间"
    groups = list(groups or ())
    if electorate == Electorate.GROUPS and not groups:
        errors["groups"] = "选举人范围为指定小组时，请至少选择一个工会小组"
    if any(g.union_id != union.pk for g in groups):
        errors["groups"] = "只能选择本会的工会小组"
    if electorate == Electorate.CONGRESS and congress is None:
        errors["congress"] = "选举人范围为代表大会代表时，请选择代表大会"
    if congress is not None and congress.union_id != union.pk:
        errors["congress"] = "只能选择本会的代表大会"
    if margin_share is None:
        margin_share = DEFAULT_MARGIN if kind in COMPETITIVE_KINDS else Decimal("0")
    if not 0 <= Decimal(margin_share) < 1:
        errors["margin_share"] = "差额比例应在0到1之间，如 0.05"
    for field, value, label in (
        ("quorum", quorum, "选举有效比例"),
        ("majority", majority, "当选比例"),
    ):
        try:
            parse_share(value, field=field, label=label)
        except ValidationError as e:
            errors.update(e.message_dict)
    if errors:
        raise ValidationError(errors)
    election = Election.objects.create(
        union=union,
        title=title,
        kind=kind,
        seats=seats,
        method=method,
        channel=channel,
        electorate=electorate,
        allow_write_in=allow_write_in,
        opens_at=opens_at,
        closes_at=closes_at,
        margin_share=margin_share,
        quorum=str(quorum).strip(),
        majority=str(majority).strip(),
        notes=notes or "",
    )
    if electorate == Electorate.GROUPS:
        ElectorateGroup.objects.bulk_create(
            ElectorateGroup(union=union, election=election, group=g) for g in groups
        )
    if electorate == Electorate.CONGRESS:
        ElectorateCongress.objects.create(union=union, election=election, congress=congress)
    return election


def _draft(election: Election) -> None:
    if election.state != ElectionState.DRAFT:
        raise ValidationError({"election": "选举已开始投票，不能再修改候选人或选举人"})


@transaction.atomic
def add_candidate(
    *, election: Election, name: str, member=None, profile: str = "", actor=None
) -> Candidate:
    _draft(election)
    name = (name or (member.name if member else "")).strip()
    if not name:
        raise ValidationError({"name": "候选人姓名不能为空"})
    if len(name) > 40:
        raise ValidationError({"name": "候选人姓名不能超过40个字"})
    if member is not None and member.union_id != election.union_id:
        raise ValidationError({"member": "候选人应为本会会员"})
    if Candidate.objects.filter(election=election, name=name).exists():
        raise ValidationError({"name": f"候选人“{name}”已在名单中"})
    last = Candidate.objects.filter(election=election).order_by("-position").first()
    return Candidate.objects.create(
        union=election.union,
        election=election,
        member=member,
        name=name,
        profile=profile or "",
        position=(last.position + 1) if last else 1,
    )


@transaction.atomic
def remove_candidate(*, candidate: Candidate, actor=None) -> None:
    _draft(candidate.election)
    candidate.delete()


def _electorate_members(election: Election):
    members = Member.objects.filter(union=election.union, status=Status.ACTIVE)
    if election.runoff_of_id:
        ids = RollEntry.objects.filter(election_id=election.runoff_of_id).values("member_id")
        return Member.objects.filter(pk__in=ids)
    if election.electorate == Electorate.GROUPS:
        groups = ElectorateGroup.objects.filter(election=election).values("group_id")
        members = members.filter(group_id__in=groups)
    if election.electorate == Electorate.CONGRESS:
        from gonghui.democracy.models.congress import Representative

        link = ElectorateCongress.objects.get(election=election)
        serving = Representative.objects.filter(
            congress_id=link.congress_id, left_on__isnull=True
        ).values("member_id")
        members = members.filter(pk__in=serving)
    return members


@transaction.atomic
def open_election(*, election: Election, actor=None) -> int:
    """Draw up the roll from the electorate and open voting; returns the roll size."""
    _draft(election)
    candidates = Candidate.objects.filter(election=election).count()
    if candidates == 0:
        raise ValidationError({"candidates": "请先录入候选人"})
    if election.method == Method.CHOOSE and candidates < election.seats:
        raise ValidationError(
            {"candidates": f"候选人{candidates}名，少于应选名额{election.seats}名"}
        )
    member_ids = list(_electorate_members(election).values_list("pk", flat=True))
    if not member_ids:
        raise ValidationError({"electorate": "选举人范围内没有在册会员"})
    RollEntry.objects.bulk_create(
        [RollEntry(union=election.union, election=election, member_id=m) for m in member_ids],
        batch_size=1000,
    )
    changed = Election.objects.filter(pk=election.pk, state=ElectionState.DRAFT).update(
        state=ElectionState.OPEN, electorate_size=len(member_ids)
    )
    if changed != 1:
        raise ValidationError({"election": "选举已开始投票"})
    election.state = ElectionState.OPEN
    election.electorate_size = len(member_ids)
    return len(member_ids)


# Casting -----------------------------------------------------------------------------


def _check_open(election: Election, now) -> None:
    now = now or timezone.now()
    if election.state == ElectionState.DRAFT or now < election.opens_at:
        start = timezone.localtime(election.opens_at)
        raise ValidationError({"election": f"投票尚未开始，开始时间为{start:%Y-%m-%d %H:%M}"})
    if election.state != ElectionState.OPEN or now >= election.closes_at:
        end = timezone.localtime(election.closes_at)
        raise ValidationError({"election": f"投票已经截止（截止时间{end:%Y-%m-%d %H:%M}）"})


def read_ballot(election: Election, choices: dict) -> tuple[dict, bool]:
    """The ballot in canonical form and whether it is valid.

    A malformed ballot (an unknown candidate, a mark that is not for, against
    or abstain, a write-in where none is allowed) is refused with a message;
    a well-formed ballot that marks more people than there are seats is kept
    and counted as invalid, as the rules require.
    """
    if not isinstance(choices, dict):
        raise ValidationError({"choices": "选票格式不正确"})
    marks = choices.get("c") or {}
    write_ins = choices.get("w") or []
    if not isinstance(marks, dict) or not isinstance(write_ins, list):
        raise ValidationError({"choices": "选票格式不正确"})
    from gonghui.democracy.queries.voting import ballot_candidates  # queries import services

    names = {c.pk: c.name for c in ballot_candidates(election)}
    clean: dict[str, str] = {}
    for key, mark in marks.items():
        try:
            pk = int(key)
        except (TypeError, ValueError):
            raise ValidationError({"choices": f"候选人“{key}”不在本次选举的名单中"}) from None
        if pk not in names:
            raise ValidationError({"choices": f"候选人“{key}”不在本次选举的名单中"})
        if mark not in MARKS:
            raise ValidationError({"choices": f"对候选人{names[pk]}的选择“{mark}”无法识别"})
        if election.method == Method.CHOOSE and mark != "for":
            raise ValidationError({"choices": "本次选举只需勾选同意的候选人"})
        if mark != "abstain":
            clean[str(pk)] = mark
    others: list[str] = []
    for raw in write_ins:
        name = str(raw or "").strip()
        if not name:
            continue
        if not election.allow_write_in:
            raise ValidationError({"write_in": "本次选举不允许另选他人"})
        if len(name) > 40:
            raise ValidationError({"write_in": "另选人姓名不能超过40个字"})
        if name in names.values():
            raise ValidationError({"write_in": f"“{name}”已是候选人，请直接在名单中选择"})
        if name not in others:
            others.append(name)
    chosen = sum(1 for mark in clean.values() if mark == "for") + len(others)
    canonical = {"c": dict(sorted(clean.items(), key=lambda kv: int(kv[0]))), "w": sorted(others)}
    return canonical, chosen <= election.seats


def _ballot(election: Election, canonical: dict, valid: bool) -> Ballot:
    return Ballot(
        union_id=election.union_id,
        election=election,
        choices=canonical,
        valid=valid,
        receipt=_code(10),
    )


def _new_ballot(election: Election, canonical: dict, valid: bool) -> Ballot:
    """Insert one ballot. The insert sends no model signals, so no receiver
    (the audit log, change tracking, anything added later) sees a ballot as it
    is written or learns when it was."""
    ballot = _ballot(election, canonical, valid)
    sqlrows.insert(ballot)
    return ballot


def _flip_sql(election: Election, member: Member) -> tuple[str, list] | None:
    """The conditional UPDATE of the secrecy rule: mark the member's roll entry
    voted if, and only if, it was not. One hand-written statement on the busiest
    path (gonghui.sqlrows), inside the request's union scope like the scoped
    manager; None when the scope admits no union."""
    scoped = sqlrows.scope_filter(_ROLL.column("union_id", bare=True))
    if scoped is None:
        return None
    r = _ROLL.column
    return (
        f"UPDATE {_ROLL.table(alias=False)} SET {r('voted', bare=True)} = %s"
        f" WHERE {r('election_id', bare=True)} = %s AND {r('member_id', bare=True)} = %s"
        f" AND {r('voted', bare=True)} = %s{scoped[0]}",
        [True, election.pk, member.pk, False, *scoped[1]],
    )


def _flip_roll(election: Election, member: Member) -> bool:
    """Run the flip; True when it changed the entry (exactly one row)."""
    flip = _flip_sql(election, member)
    return flip is not None and sqlrows.execute(*flip) == 1


def _flip_and_insert(election: Election, member: Member, canonical: dict, valid: bool):
    """PostgreSQL: the flip and the ballot's insert as ONE statement, so they
    commit together without a BEGIN and a COMMIT of their own (three round
    trips fewer on the busiest request of an election day). The ballot is
    inserted only from the row the flip returns; None when nothing flipped."""
    flip = _flip_sql(election, member)
    if flip is None:
        return None
    ballot = _ballot(election, canonical, valid)
    target, placeholders, values = sqlrows.insert_sql(ballot)
    written = sqlrows.execute(
        f"WITH flipped AS ({flip[0]} RETURNING 1)"
        f" INSERT INTO {target} SELECT {placeholders} FROM flipped",
        [*flip[1], *values],
    )
    if written != 1:
        return None
    sqlrows.added(ballot)
    return ballot


def _write_ballot(election: Election, canonical: dict, valid: bool) -> Ballot:
    # A receipt collision (one in ~10^14 per pair) is retried inside a savepoint
    # so the surrounding transaction stays usable on PostgreSQL.
    for _ in range(5):
        try:
            with transaction.atomic():
                return _new_ballot(election, canonical, valid)
        except IntegrityError:
            continue
    raise ValidationError({"election": "系统繁忙，请重新提交"})


ALREADY_VOTED = "您已经投过票了，每人只能投一次"
NOT_ON_ROLL = "您不在本次选举的选举人名册中"


def cast_ballot(
    *, election: Election, member: Member, choices: dict, now=None, roll: RollEntry | None = None
) -> Ballot:
    """Record a member's online vote: flip their roll entry and write an unlinked ballot.

    The ballot is read and checked before the transaction, so the write lock
    (SQLite takes it at BEGIN) is held only for the two writes. `roll` is the
    member's roll entry when the caller has already read it: a member it shows
    as voted is refused at once, without reading the ballot or writing (a roll
    entry never flips back), and the conditional UPDATE still decides every race.
    """
    if election.channel != Channel.ONLINE:
        raise ValidationError({"election": "本次选举在会场投票，请使用现场领取的投票码"})
    _check_open(election, now)
    if roll is not None and roll.voted:
        raise ValidationError({"election": ALREADY_VOTED})
    canonical, valid = read_ballot(election, choices)
    # A receipt collision (one in ~10^14 per pair) rolls the whole write back
    # and is tried again.
    for _ in range(5):
        try:
            ballot = _write_flipped(election, member, canonical, valid)
        except IntegrityError:
            continue
        if ballot is None:
            on_roll = roll is not None or (
                RollEntry.objects.filter(election=election, member=member).exists()
            )
            raise ValidationError({"election": ALREADY_VOTED if on_roll else NOT_ON_ROLL})
        return ballot
    raise ValidationError({"election": "系统繁忙，请重新提交"})


def _write_flipped(election, member, canonical, valid) -> Ballot | None:
    """Flip the roll entry and write the ballot, both or neither; None when the
    entry was already voted (or is not there)."""
    single = connection.vendor == "postgresql"
    if single and not connection.in_atomic_block:
        # One statement in autocommit is its own transaction.
        return _flip_and_insert(election, member, canonical, valid)
    with transaction.atomic():
        if single:
            return _flip_and_insert(election, member, canonical, valid)
        if not _flip_roll(election, member):
            return None
        return _new_ballot(election, canonical, valid)


def election_for_code(code: str) -> Election:
    """The open election a hall voting code belongs to (codes are looked up by digest)."""
    key = digest(_normalise_code(code))
    if not key:
        raise ValidationError({"code": "请输入投票码"})
    with scopes_disabled():
        found = VotingCode.objects.filter(digest=key).select_related("election").first()
    if found is None:
        raise ValidationError({"code": "投票码不存在，请核对后重新输入"})
    if found.used:
        raise ValidationError({"code": "该投票码已经使用过，每个投票码只能投一次"})
    return found.election


@transaction.atomic
def cast_with_code(*, code: str, choices: dict, now=None) -> Ballot:
    """Vote in the hall with a one-time code: the code is spent and the ballot
    written in one transaction. The code names no member, so neither does this.
    The voter may have no account, so the code itself is the key to its election."""
    with scopes_disabled():
        election = election_for_code(code)
        _check_open(election, now)
        canonical, valid = read_ballot(election, choices)
        key = digest(_normalise_code(code))
        spent = VotingCode.objects.filter(election=election, digest=key, used=False).update(
            used=True
        )
        if spent != 1:
            raise ValidationError({"code": "该投票码已经使用过，每个投票码只能投一次"})
        return _write_ballot(election, canonical, valid)


@transaction.atomic
def issue_codes(*, election: Election, count: int, actor=None) -> list[str]:
    """Print `count` one-time codes; only their digests are kept, so this is the
    one moment they can be read. No more codes than electors on the roll."""
    if election.channel != Channel.CODES:
        raise ValidationError({"count": "只有会场投票码方式的选举需要打印投票码"})
    if election.state not in (ElectionState.DRAFT, ElectionState.OPEN):
        raise ValidationError({"count": "选举已结束投票，不能再打印投票码"})
    if not isinstance(count, int) or count < 1:
        raise ValidationError({"count": "打印数量至少为1"})
    size = election.electorate_size or _electorate_members(election).count()
    existing = VotingCode.objects.filter(election=election).count()
    if existing + count > size:
        raise ValidationError({"count": f"已打印{existing}个，再打印{count}个将超过选举人数{size}"})
    codes: list[str] = []
    keys: set[str] = set()
    while len(codes) < count:
        code = _code(8)
        key = digest(_normalise_code(code))
        if key in keys or VotingCode.objects.filter(digest=key).exists():
            continue
        keys.add(key)
        codes.append(code)
    VotingCode.objects.bulk_create(
        VotingCode(union=election.union, election=election, digest=k) for k in keys
    )
    return codes


@transaction.atomic
def check_in(*, election: Election, member: Member, actor=None) -> None:
    """The desk hands a member a voting code or paper ballot. Records that they
    got one, never which (the codes are drawn at random from a box)."""
    if election.channel == Channel.ONLINE:
        raise ValidationError({"member": "网上投票的选举无需现场领票"})
    if election.state != ElectionState.OPEN:
        raise ValidationError({"member": "选举不在投票中，不能领票"})
    flipped = RollEntry.objects.filter(election=election, member=member, voted=False).update(
        voted=True
    )
    if flipped != 1:
        if RollEntry.objects.filter(election=election, member=member).exists():
            raise ValidationError({"member": f"{member.name}已经领过选票，不能重复领取"})
        raise ValidationError({"member": f"{member.name}不在本次选举的选举人名册中"})


# Paper ballots -----------------------------------------------------------------------


@transaction.atomic
def enter_paper_ballot(*, election: Election, teller, number: int, choices: dict) -> TellerEntry:
    """One teller types in one paper ballot; the other teller does the same separately."""
    if election.channel != Channel.PAPER:
        raise ValidationError({"number": "只有纸质选票方式的选举需要录入选票"})
    if election.state != ElectionState.CLOSED:
        raise ValidationError({"number": "请在结束投票后再录入纸质选票"})
    if Ballot.objects.filter(election=election).exists():
        raise ValidationError({"number": "纸质选票已核对完毕，不能再录入"})
    if not isinstance(number, int) or number < 1:
        raise ValidationError({"number": "选票编号应为正整数"})
    if number > election.issued:
        raise ValidationError({"number": f"选票编号{number}超过发出的选票数{election.issued}"})
    canonical, _valid = read_ballot(election, choices)
    try:
        with transaction.atomic():
            return TellerEntry.objects.create(
                union=election.union,
                election=election,
                teller=teller,
                number=number,
                choices=canonical,
            )
    except IntegrityError:
        raise ValidationError({"number": f"您已经录入过第{number}号选票"}) from None


@transaction.atomic
def reconcile_paper(*, election: Election, actor=None) -> int:
    """Compare the two tellers' entries ballot by ballot; when they agree on every
    one, write the Ballots (returns how many). Any difference writes nothing and
    lists the ballot numbers to check against the paper."""
    if election.channel != Channel.PAPER or election.state != ElectionState.CLOSED:
        raise ValidationError({"election": "只有已结束投票的纸质选票选举可以核对"})
    if Ballot.objects.filter(election=election).exists():
        raise ValidationError({"election": "纸质选票已经核对过了"})
    by_teller: dict[int, dict[int, dict]] = {}
    for entry in TellerEntry.objects.filter(election=election):
        by_teller.setdefault(entry.teller_id, {})[entry.number] = entry.choices
    if len(by_teller) != 2:
        raise ValidationError(
            {"election": f"需要两名计票人分别录入全部选票，目前有{len(by_teller)}名计票人录入"}
        )
    first, second = by_teller.values()
    numbers = sorted(set(first) | set(second))
    missing = [n for n in numbers if n not in first or n not in second]
    differ = [n for n in numbers if n in first and n in second and first[n] != second[n]]
    problems = []
    if missing:
        problems.append("只有一名计票人录入的选票：" + "、".join(f"第{n}号" for n in missing))
    if differ:
        problems.append("两名计票人录入不一致的选票：" + "、".join(f"第{n}号" for n in differ))
    if problems:
        raise ValidationError({"election": "；".join(problems) + "。请对照纸质选票更正后再核对"})
    for number in numbers:
        canonical, valid = read_ballot(election, first[number])
        _write_ballot(election, canonical, valid)
    return len(numbers)


# Closing and counting ----------------------------------------------------------------


@transaction.atomic
def close_election(*, election: Election, actor=None) -> None:
    changed = Election.objects.filter(pk=election.pk, state=ElectionState.OPEN).update(
        state=ElectionState.CLOSED,
        issued=RollEntry.objects.filter(election=election, voted=True).count(),
    )
    if changed != 1:
        raise ValidationError({"election": "只有投票中的选举可以结束投票"})
    election.refresh_from_db()


def ballots_hash(ballots) -> str:
    """SHA-256 over every ballot as "receipt|choices|valid", one per line, sorted:
    anyone holding the ballot export can recompute it."""
    lines = sorted(
        f"{b.receipt}|{json.dumps(b.choices, sort_keys=True, ensure_ascii=False)}|"
        f"{1 if b.valid else 0}"
        for b in ballots
    )
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def tally(election: Election, ballots) -> dict:
    """Votes for, against and abstaining per candidate id, and per write-in name."""
    ids = list(
        Candidate.objects.filter(election=election, written_in=False).values_list("pk", flat=True)
    )
    counts = {pk: {"for": 0, "against": 0, "abstain": 0} for pk in ids}
    write_ins: dict[str, int] = {}
    for ballot in ballots:
        if not ballot.valid:
            continue
        marks = ballot.choices.get("c", {})
        for pk in ids:
            counts[pk][marks.get(str(pk), "abstain")] += 1
        for name in ballot.choices.get("w", []):
            write_ins[name] = write_ins.get(name, 0) + 1
    return {"candidates": counts, "write_ins": write_ins}


def present_of(election: Election) -> int:
    """到会（应投票）选举人: the whole roll online; those handed a code or paper in the hall."""
    if election.channel == Channel.ONLINE:
        return election.electorate_size
    return election.issued


@transaction.atomic
def count_election(*, election: Election, actor=None, now=None) -> Election:
    """Count once: validity of the election, votes per candidate, who is elected by
    rank within the seats, and who goes to a run-off when the last seat ties."""
    if election.state != ElectionState.CLOSED:
        raise ValidationError({"election": "请先结束投票再计票"})
    ballots = list(Ballot.objects.filter(election=election))
    if election.channel == Channel.PAPER and not ballots and election.issued:
        raise ValidationError({"election": "纸质选票尚未由两名计票人录入并核对"})
    valid = [b for b in ballots if b.valid]
    present = present_of(election)
    quorum = parse_share(election.quorum, field="quorum", label="选举有效比例")
    majority = parse_share(election.majority, field="majority", label="当选比例")
    is_valid = present > 0 and len(ballots) > quorum * present
    if election.channel != Channel.ONLINE and len(ballots) > election.issued:
        is_valid = False  # more ballots than were handed out
    counted = tally(election, ballots)
    rows = []
    for candidate in Candidate.objects.filter(election=election, written_in=False):
        c = counted["candidates"][candidate.pk]
        candidate.votes_for, candidate.votes_against, candidate.abstentions = (
            c["for"],
            c["against"],
            c["abstain"],
        )
        rows.append(candidate)
    position = len(rows) + 100
    for name, votes in sorted(counted["write_ins"].items()):
        position += 1
        rows.append(
            Candidate.objects.create(
                union=election.union,
                election=election,
                name=name,
                profile="另选人",
                position=position,
                written_in=True,
                votes_for=votes,
            )
        )
    for candidate in rows:
        candidate.elected = candidate.in_runoff = False
    if is_valid:
        eligible = sorted(
            (c for c in rows if c.votes_for > majority * present),
            key=lambda c: -c.votes_for,
        )
        if len(eligible) <= election.seats:
            for c in eligible:
                c.elected = True
        else:
            last = eligible[election.seats - 1].votes_for
            for c in eligible:
                if c.votes_for > last:
                    c.elected = True
                elif c.votes_for == last:
                    c.in_runoff = True
            if (
                sum(1 for c in eligible if c.in_runoff) + sum(1 for c in eligible if c.elected)
                <= election.seats
            ):
                for c in eligible:
                    if c.in_runoff:
                        c.elected, c.in_runoff = True, False
    Candidate.objects.bulk_update(
        rows, ["votes_for", "votes_against", "abstentions", "elected", "in_runoff"]
    )
    election.state = ElectionState.COUNTED
    election.cast = len(ballots)
    election.valid_ballots = len(valid)
    election.invalid_ballots = len(ballots) - len(valid)
    election.is_valid = is_valid
    election.ballots_hash = ballots_hash(ballots)
    election.counted_at = now or timezone.now()
    changed = Election.objects.filter(pk=election.pk, state=ElectionState.CLOSED).update(
        state=election.state,
        cast=election.cast,
        valid_ballots=election.valid_ballots,
        invalid_ballots=election.invalid_ballots,
        is_valid=is_valid,
        ballots_hash=election.ballots_hash,
        counted_at=election.counted_at,
    )
    if changed != 1:
        raise ValidationError({"election": "这次选举已经计过票了"})
    return election


@transaction.atomic
def start_runoff(*, election: Election, opens_at, closes_at, actor=None) -> Election:
    """另行选举 between the candidates tied at the last seat, for the seats left,
    by the same electors."""
    if election.state != ElectionState.COUNTED:
        raise ValidationError({"election": "请先计票"})
    tied = list(Candidate.objects.filter(election=election, in_runoff=True))
    if not tied:
        raise ValidationError({"election": "本次选举没有需要另行选举的候选人"})
    if Election.objects.filter(runoff_of=election).exists():
        raise ValidationError({"election": "已经为本次选举安排了另行选举"})
    elected = Candidate.objects.filter(election=election, elected=True).count()
    runoff = create_election(
        union=election.union,
        title=f"{election.title}（另行选举）",
        kind=election.kind,
        seats=election.seats - elected,
        opens_at=opens_at,
        closes_at=closes_at,
        method=Method.CHOOSE,
        channel=election.channel,
        electorate=Electorate.ALL,
        margin_share=Decimal("0"),
        quorum=election.quorum,
        majority=election.majority,
        notes=f"第一轮最后一个名额得票相同，在{len(tied)}名候选人中另行选举",
        actor=actor,
    )
    Election.objects.filter(pk=runoff.pk).update(runoff_of=election)
    runoff.runoff_of = election
    for c in tied:
        add_candidate(election=runoff, name=c.name, member=c.member, profile=c.profile)
    return runoff


@transaction.atomic
def publish_results(*, election: Election, actor):
    """Publish the counted result to open affairs (厂务/校务公开)."""
    if election.state != ElectionState.COUNTED:
        raise ValidationError({"election": "计票后才能公布结果"})
    from django.template.loader import render_to_string

    from gonghui.democracy.queries.elections import results
    from gonghui.disclosure import services as disclosure

    body = render_to_string(
        "democracy/elections/published.html", {"election": election, "r": results(election)}
    )
    return disclosure.publish(
        union=election.union,
        category="personnel",
        title=f"{election.title}选举结果公告",
        body=body,
        audience="all",
        source=election,
        actor=actor,
    )
