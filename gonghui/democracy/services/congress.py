"""Every write of a congress: the term and its rules, quotas and representatives,
sessions, sign-in by list or QR code, agenda items, resolution votes (open:
one record per representative; secret: the tellers' counts only) and the
publication of results and minutes to open affairs."""

import secrets
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.html import escape, linebreaks

from gonghui.democracy.models import (
    AgendaItem,
    AgendaKind,
    Congress,
    CongressKind,
    CongressSession,
    PassBasis,
    Representative,
    RepresentativeCategory,
    RepresentativeQuota,
    Resolution,
    ResolutionState,
    ResolutionVote,
    SessionAttendance,
    SessionState,
    SessionToken,
    SignInMethod,
    VoteChoice,
    VoteMode,
)
from gonghui.democracy.queries import congress as queries
from gonghui.members.models import Member, Status
from gonghui.orgs.models import Group, Union

TOKEN_LIFETIME = timedelta(minutes=10)
# The hall's QR page keeps showing a token while it has at least this long to live.
TOKEN_REUSE_MARGIN = timedelta(minutes=2)

RULE_FIELDS = (
    "front_line_min_percent",
    "women_at_least_workforce",
    "managers_max_percent",
    "quorum_numerator",
    "quorum_denominator",
    "pass_basis",
    "pass_numerator",
    "pass_denominator",
    "co_signers_min",
    "reopen_days",
)


def _check_rules(values: dict, errors: dict) -> None:
    for field in ("front_line_min_percent", "managers_max_percent"):
        if field in values and not 0 <= int(values[field]) <= 100:
            errors[field] = "比例应在0到100之间"
    for top, bottom, label in (
        ("quorum_numerator", "quorum_denominator", "法定人数"),
        ("pass_numerator", "pass_denominator", "通过比例"),
    ):
        num, den = values.get(top), values.get(bottom)
        if den is not None and int(den) <= 0:
            errors[bottom] = f"{label}的分母必须大于0"
        elif num is not None and den is not None and int(num) >= int(den):
            errors[top] = f"{label}的分子必须小于分母"
    if "pass_basis" in values and values["pass_basis"] not in PassBasis.values:
        errors["pass_basis"] = "通过基数无效"


@transaction.atomic
def create_congress(
    *, union: Union, kind: str, term: int, starts_on: date, ends_on=None, actor=None, **rules
) -> Congress:
    """A congress term with the given rules; rules not given keep the usual defaults."""
    errors = {}
    if kind not in CongressKind.values:
        errors["kind"] = "请选择大会类型"
    if not term or int(term) < 1:
        errors["term"] = "届次必须是正整数"
    unknown = set(rules) - set(RULE_FIELDS)
    if unknown:
        raise TypeError(f"unknown rules: {sorted(unknown)}")
    if ends_on and starts_on and ends_on < starts_on:
        errors["ends_on"] = "本届结束日期不能早于开始日期"
    _check_rules(rules, errors)
    if not errors and Congress.objects.filter(union=union, kind=kind, term=term).exists():
        errors["term"] = f"第{term}届{CongressKind(kind).label}已经存在"
    if errors:
        raise ValidationError(errors)
    return Congress.objects.create(
        union=union, kind=kind, term=term, starts_on=starts_on, ends_on=ends_on, **rules
    )


@transaction.atomic
def update_rules(*, congress: Congress, actor=None, **rules) -> Congress:
    """Change a term's composition, quorum, passing and proposal rules."""
    unknown = set(rules) - set(RULE_FIELDS)
    if unknown:
        raise TypeError(f"unknown rules: {sorted(unknown)}")
    merged = {f: getattr(congress, f) for f in RULE_FIELDS} | rules
    errors: dict = {}
    _check_rules(merged, errors)
    if errors:
        raise ValidationError(errors)
    for field, value in rules.items():
        setattr(congress, field, value)
    congress.save(update_fields=list(rules) or None)
    return congress


@transaction.atomic
def set_quota(*, congress: Congress, group: Group, seats: int) -> RepresentativeQuota:
    """How many representatives `group` elects in this term (0 removes the quota)."""
    if group.union_id != congress.union_id:
        raise ValidationError({"group": "该工会小组不属于本工会"})
    if seats is None or int(seats) < 0:
        raise ValidationError({"seats": "名额不能为负数"})
    elected = Representative.objects.filter(
        congress=congress, group=group, left_on__isnull=True
    ).count()
    if int(seats) < elected:
        raise ValidationError(
            {"seats": f"{group.name}已选出{elected}名代表，名额不能少于{elected}名"}
        )
    quota, _ = RepresentativeQuota.objects.update_or_create(
        congress=congress, group=group, defaults={"union": congress.union, "seats": seats}
    )
    return quota


@transaction.atomic
def elect_representative(
    *,
    congress: Congress,
    member: Member,
    group: Group | None = None,
    category: str = RepresentativeCategory.FRONT_LINE,
    elected_on: date,
    actor=None,
) -> Representative:
    """Record that `group` elected `member` as a representative for the term,
    within the group's quota."""
    group = group if group is not None else member.group
    errors = {}
    if member.union_id != congress.union_id:
        errors["member"] = "该会员不属于本工会"
    elif member.status != Status.ACTIVE:
        errors["member"] = f"{member.name}不是在册会员，不能当选代表"
    if group is not None and group.union_id != congress.union_id:
        errors["group"] = "该工会小组不属于本工会"
    if category not in RepresentativeCategory.values:
        errors["category"] = "请选择代表类别"
    if errors:
        raise ValidationError(errors)
    if Representative.objects.filter(congress=congress, member=member).exists():
        raise ValidationError({"member": f"{member.name}已是本届代表"})
    if group is not None:
        quota = RepresentativeQuota.objects.filter(congress=congress, group=group).first()
        if quota is not None:
            elected = Representative.objects.filter(
                congress=congress, group=group, left_on__isnull=True
            ).count()
            if elected >= quota.seats:
                raise ValidationError(
                    {"group": f"{group.name}的代表名额（{quota.seats}名）已满，不能再增加代表"}
                )
    return Representative.objects.create(
        union_id=congress.union_id,
        congress=congress,
        member=member,
        group=group,
        category=category,
        elected_on=elected_on,
    )


@transaction.atomic
def end_representation(*, representative: Representative, on: date, actor=None) -> Representative:
    """A representative leaves (transfer, retirement, recall) from `on`."""
    if representative.left_on is not None:
        raise ValidationError(
            {"left_on": f"{representative.member.name}已于{representative.left_on}离任"}
        )
    if on < representative.elected_on:
        raise ValidationError({"left_on": "离任日期不能早于当选日期"})
    representative.left_on = on
    representative.save(update_fields=["left_on"])
    return representative


# Sessions and agenda ------------------------------------------------------------


@transaction.atomic
def create_session(
    *,
    congress: Congress,
    date: date,
    place: str,
    number: int | None = None,
    proposals_open_on=None,
    proposals_close_on=None,
    actor=None,
) -> CongressSession:
    """A session of the term; numbered after the last one unless given."""
    errors = {}
    if not (place or "").strip():
        errors["place"] = "请填写会议地点"
    if proposals_open_on and proposals_close_on and proposals_close_on < proposals_open_on:
        errors["proposals_close_on"] = "提案征集截止日期不能早于开始日期"
    if number is None:
        last = CongressSession.objects.filter(congress=congress).aggregate(n=Max("number"))["n"]
        number = (last or 0) + 1
    elif CongressSession.objects.filter(congress=congress, number=number).exists():
        errors["number"] = f"{congress}第{number}次会议已经存在"
    if errors:
        raise ValidationError(errors)
    return CongressSession.objects.create(
        union_id=congress.union_id,
        congress=congress,
        number=number,
        date=date,
        place=place.strip(),
        proposals_open_on=proposals_open_on,
        proposals_close_on=proposals_close_on,
    )


@transaction.atomic
def add_agenda_item(
    *,
    session: CongressSession,
    kind: str,
    title: str,
    presenter: str = "",
    document: str = "",
    resolution_text: str = "",
    vote_mode: str = "",
    actor=None,
) -> AgendaItem:
    """An item on the session's agenda; with `vote_mode` it is put to the vote."""
    errors = {}
    if kind not in AgendaKind.values:
        errors["kind"] = "请选择议程类型"
    if not (title or "").strip():
        errors["title"] = "请填写议题"
    if vote_mode and vote_mode not in VoteMode.values:
        errors["vote_mode"] = "表决方式无效"
    if session.state == SessionState.CLOSED:
        errors["session"] = "会议已闭幕，不能再增加议程"
    if errors:
        raise ValidationError(errors)
    last = AgendaItem.objects.filter(session=session).aggregate(n=Max("order"))["n"]
    item = AgendaItem.objects.create(
        union_id=session.union_id,
        session=session,
        order=(last or 0) + 1,
        kind=kind,
        title=title.strip(),
        presenter=presenter.strip(),
        document=document,
    )
    if vote_mode:
        Resolution.objects.create(
            union_id=session.union_id,
            session=session,
            agenda_item=item,
            text=(resolution_text or "").strip() or f"审议通过{item.title}",
            mode=vote_mode,
        )
    return item


@transaction.atomic
def open_session(*, session: CongressSession, actor=None) -> CongressSession:
    """Open the congress day: fix the number of representatives counted for quorum."""
    if session.state != SessionState.PLANNED:
        raise ValidationError({"state": f"会议{session.get_state_display()}，不能再次开幕"})
    total = queries.representatives_on(session.congress, session.date).count()
    if total == 0:
        raise ValidationError({"state": "本届还没有代表，不能开会"})
    session.state = SessionState.OPEN
    session.representatives_at_opening = total
    session.save(update_fields=["state", "representatives_at_opening"])
    return session


def _open_session_error(session: CongressSession) -> str | None:
    if session.state == SessionState.PLANNED:
        return "会议尚未开幕，不能签到"
    if session.state == SessionState.CLOSED:
        return "会议已闭幕，不能签到"
    return None


def _representative_of(session: CongressSession, member: Member) -> Representative | None:
    return queries.representatives_on(session.congress, session.date).filter(member=member).first()


def _record_sign_in(session, representative, how, at, actor) -> SessionAttendance:
    try:
        with transaction.atomic():
            return SessionAttendance.objects.create(
                union_id=session.union_id,
                session=session,
                representative=representative,
                how=how,
                at=at,
                recorded_by=actor,
            )
    except IntegrityError as e:
        raise ValidationError(
            {"representative": f"{representative.member.name}已签到，无需重复签到"}
        ) from e


@transaction.atomic
def sign_in(
    *, session: CongressSession, representatives, actor=None, now=None
) -> list[SessionAttendance]:
    """The desk ticks representatives present on the list; those already signed in are kept."""
    problem = _open_session_error(session)
    if problem:
        raise ValidationError({"session": problem})
    now = now or timezone.now()
    representatives = list(representatives)
    strangers = [r.member.name for r in representatives if r.congress_id != session.congress_id]
    if strangers:
        raise ValidationError({"representatives": f"{'、'.join(strangers)}不是本届代表"})
    already = set(
        SessionAttendance.objects.filter(
            session=session, representative__in=representatives
        ).values_list("representative_id", flat=True)
    )
    return [
        _record_sign_in(session, r, SignInMethod.LIST, now, actor)
        for r in representatives
        if r.pk not in already
    ]


@transaction.atomic
def cancel_sign_in(*, session: CongressSession, representatives, actor=None) -> int:
    """Untick representatives signed in by mistake; returns how many were removed."""
    if session.state == SessionState.CLOSED:
        raise ValidationError({"session": "会议已闭幕，不能修改签到"})
    deleted, _ = SessionAttendance.objects.filter(
        session=session, representative__in=list(representatives)
    ).delete()
    return deleted


@transaction.atomic
def issue_token(*, session: CongressSession, now=None) -> SessionToken:
    """The token to show in the hall: the current one, or a fresh one near expiry."""
    problem = _open_session_error(session)
    if problem:
        raise ValidationError({"session": problem.replace("签到", "生成签到码")})
    now = now or timezone.now()
    current = (
        SessionToken.objects.filter(session=session, expires_at__gt=now + TOKEN_REUSE_MARGIN)
        .order_by("-expires_at")
        .first()
    )
    if current is not None:
        return current
    return SessionToken.objects.create(
        union_id=session.union_id,
        session=session,
        token=secrets.token_urlsafe(16),
        expires_at=now + TOKEN_LIFETIME,
    )


@transaction.atomic
def sign_in_by_token(*, token: str, member: Member, now=None) -> SessionAttendance:
    """A representative scans the hall's QR code: signed in once."""
    now = now or timezone.now()
    found = (
        SessionToken.objects.select_related("session", "session__congress")
        .filter(token=(token or "").strip())
        .first()
    )
    if found is None or found.union_id != member.union_id:
        raise ValidationError({"token": "签到码无效，请重新扫描会场二维码"})
    if found.expires_at <= now:
        raise ValidationError({"token": "签到码已过期，请扫描会场最新的二维码"})
    session = found.session
    problem = _open_session_error(session)
    if problem:
        raise ValidationError({"token": problem})
    representative = _representative_of(session, member)
    if representative is None:
        raise ValidationError({"member": f"您不是{session.congress}的代表，不能签到"})
    if SessionAttendance.objects.filter(session=session, representative=representative).exists():
        raise ValidationError({"member": "您已签到，无需重复签到"})
    return _record_sign_in(session, representative, SignInMethod.QR, now, None)


# Resolutions ----------------------------------------------------------------------


def _check_can_vote(resolution: Resolution) -> dict:
    session = resolution.session
    if resolution.state != ResolutionState.PENDING:
        raise ValidationError({"resolution": f"“{resolution}”已表决完毕，不能重复表决"})
    if session.state != SessionState.OPEN:
        raise ValidationError({"resolution": "会议不在召开中，不能表决"})
    quorum = queries.quorum(session)
    if not quorum["reached"]:
        raise ValidationError(
            {
                "resolution": f"出席代表{quorum['present']}人，未达到法定人数"
                f"（须超过{quorum['total']}人的{quorum['rule']}，即至少{quorum['needed']}人），不能表决"
            }
        )
    return quorum


def _decide(resolution: Resolution, quorum: dict, now) -> Resolution:
    congress = resolution.session.congress
    cast = resolution.votes_for + resolution.votes_against + resolution.votes_abstain
    basis = {
        PassBasis.ALL: quorum["total"],
        PassBasis.PRESENT: quorum["present"],
        PassBasis.CAST: cast,
    }[congress.pass_basis]
    passed = resolution.votes_for * congress.pass_denominator > basis * congress.pass_numerator
    resolution.present = quorum["present"]
    resolution.basis = basis
    resolution.state = ResolutionState.PASSED if passed else ResolutionState.FAILED
    resolution.decided_at = now
    resolution.save()
    return resolution


@transaction.atomic
def record_open_vote(*, resolution: Resolution, votes: dict, actor=None, now=None) -> Resolution:
    """An open (named) vote: `votes` maps each present representative to for/against/abstain.
    Representatives present but not listed did not vote."""
    quorum = _check_can_vote(resolution)
    if resolution.mode != VoteMode.OPEN:
        raise ValidationError({"mode": "无记名投票只登记计票结果，不记录个人表决意见"})
    present = set(
        SessionAttendance.objects.filter(session=resolution.session_id).values_list(
            "representative_id", flat=True
        )
    )
    errors = []
    for representative, choice in votes.items():
        if representative.pk not in present:
            errors.append(f"{representative.member.name}未签到，不能参加表决")
        if choice not in VoteChoice.values:
            errors.append(f"{representative.member.name}的表决意见无效")
    if errors:
        raise ValidationError({"votes": errors})
    ResolutionVote.objects.bulk_create(
        ResolutionVote(
            union_id=resolution.union_id,
            resolution=resolution,
            representative=representative,
            choice=choice,
        )
        for representative, choice in votes.items()
    )
    choices = list(votes.values())
    resolution.votes_for = choices.count(VoteChoice.FOR)
    resolution.votes_against = choices.count(VoteChoice.AGAINST)
    resolution.votes_abstain = choices.count(VoteChoice.ABSTAIN)
    return _decide(resolution, quorum, now or timezone.now())


@transaction.atomic
def record_secret_tally(
    *,
    resolution: Resolution,
    votes_for: int,
    votes_against: int,
    votes_abstain: int,
    tellers: str,
    actor=None,
    now=None,
) -> Resolution:
    """A secret vote: the tellers' counts, never who voted how."""
    quorum = _check_can_vote(resolution)
    if resolution.mode != VoteMode.SECRET:
        raise ValidationError({"mode": "公开表决请逐人登记表决意见"})
    errors = {}
    counts = {}
    for field, value, label in (
        ("votes_for", votes_for, "赞成票"),
        ("votes_against", votes_against, "反对票"),
        ("votes_abstain", votes_abstain, "弃权票"),
    ):
        try:
            counts[field] = int(value)
        except (TypeError, ValueError):
            errors[field] = f"{label}必须是整数"
            continue
        if counts[field] < 0:
            errors[field] = f"{label}不能为负数"
    if not (tellers or "").strip():
        errors["tellers"] = "请填写计票人（监票人）姓名"
    if not errors and sum(counts.values()) > quorum["present"]:
        errors["votes_for"] = (
            f"赞成、反对、弃权票合计{sum(counts.values())}张，超过出席代表{quorum['present']}人"
        )
    if errors:
        raise ValidationError(errors)
    for field, value in counts.items():
        setattr(resolution, field, value)
    resolution.tellers = tellers.strip()
    return _decide(resolution, quorum, now or timezone.now())


@transaction.atomic
def close_session(*, session: CongressSession, minutes: str = "", actor=None) -> CongressSession:
    """Close the congress day; every motion must have been voted on."""
    if session.state != SessionState.OPEN:
        raise ValidationError({"state": "只有正在召开的会议可以闭幕"})
    pending = [str(r) for r in session.resolutions.filter(state=ResolutionState.PENDING)]
    if pending:
        raise ValidationError({"state": f"以下事项尚未表决：{'、'.join(pending)}"})
    session.state = SessionState.CLOSED
    if minutes:
        session.minutes = minutes
    session.save(update_fields=["state", "minutes"])
    return session


def results_html(session: CongressSession) -> str:
    """The results and minutes as the HTML body of an open-affairs post."""
    quorum = queries.quorum(session)
    congress = session.congress
    parts = [
        f"<p>{escape(str(session))}于{session.date:%Y年%m月%d日}在{escape(session.place)}召开。"
        f"应到代表{quorum['total']}人，实到{quorum['present']}人，"
        f"{'超过' if quorum['reached'] else '未达到'}法定人数。</p>",
        "<h3>表决结果</h3><table><thead><tr><th>事项</th><th>表决方式</th><th>赞成</th>"
        "<th>反对</th><th>弃权</th><th>结果</th></tr></thead><tbody>",
    ]
    for r in session.resolutions.select_related("agenda_item"):
        parts.append(
            f"<tr><td>{escape(r.agenda_item.title)}</td><td>{escape(r.get_mode_display())}</td>"
            f"<td>{r.votes_for}</td><td>{r.votes_against}</td><td>{r.votes_abstain}</td>"
            f"<td>{escape(r.get_state_display())}</td></tr>"
        )
    parts.append("</tbody></table>")
    parts.append(
        f"<p>通过规则：赞成票超过{escape(congress.get_pass_basis_display())}的"
        f"{congress.pass_numerator}/{congress.pass_denominator}。</p>"
    )
    if session.minutes:
        parts.append("<h3>会议纪要</h3>" + linebreaks(escape(session.minutes)))
    return "".join(parts)


@transaction.atomic
def publish_results(*, session: CongressSession, actor):
    """Publish the session's resolutions and minutes to open affairs (会议决议)."""
    from gonghui.disclosure import services as disclosure

    if session.state != SessionState.CLOSED:
        raise ValidationError({"state": "会议闭幕后才能公开表决结果和会议纪要"})
    if session.published_at is not None:
        raise ValidationError({"state": "本次会议的结果已经公开过"})
    post = disclosure.publish(
        union=session.union,
        category="resolutions",
        title=f"{session}决议及会议纪要",
        body=results_html(session),
        audience="all",
        source=session,
        actor=actor,
    )
    session.published_at = timezone.now()
    session.save(update_fields=["published_at"])
    return post
