"""Reads of congresses and their metrics: who is a representative on a day,
the live quorum, the composition check, and what a representative sees.

A session belongs to the period its date falls in; a resolution to its
session's; a representative counts at a period's end when elected by then and
not yet left.
"""

from django.db.models import Q, QuerySet, Sum

from gonghui.democracy.models import (
    Congress,
    CongressSession,
    Representative,
    RepresentativeCategory,
    RepresentativeQuota,
    Resolution,
    ResolutionState,
    SessionAttendance,
    SessionState,
)
from gonghui.members.models import Gender, Member, Status
from gonghui.reports.registry import metric, ratio

_FRACTIONS = {(1, 2): "二分之一", (2, 3): "三分之二", (3, 4): "四分之三", (1, 3): "三分之一"}


def fraction_label(numerator: int, denominator: int) -> str:
    return _FRACTIONS.get((numerator, denominator), f"{numerator}/{denominator}")


def representatives_on(congress: Congress, day) -> QuerySet:
    """The congress's representatives in office on `day`."""
    return Representative.objects.filter(congress=congress, elected_on__lte=day).filter(
        Q(left_on__isnull=True) | Q(left_on__gt=day)
    )


def quorum(session: CongressSession) -> dict:
    """Present, total, the number needed and whether it is reached, by the congress's rule."""
    congress = session.congress
    total = session.representatives_at_opening
    if session.state == SessionState.PLANNED or not total:
        total = representatives_on(congress, session.date).count()
    present = SessionAttendance.objects.filter(session=session).count()
    num, den = congress.quorum_numerator, congress.quorum_denominator
    needed = total * num // den + 1
    return {
        "total": total,
        "present": present,
        "absent": max(total - present, 0),
        "needed": needed,
        "reached": total > 0 and present * den > total * num,
        "rule": fraction_label(num, den),
        "percent": round(present * 100 / total, 1) if total else 0,
    }


def workforce_women_percent(union_id: int) -> float:
    members = Member.objects.filter(union_id=union_id, status=Status.ACTIVE)
    total = members.count()
    if not total:
        return 0.0
    return members.filter(gender=Gender.FEMALE).count() * 100 / total


def composition(congress: Congress, day=None) -> dict:
    """The term's make-up: counts and shares, per group against quotas, and what breaks."""
    reps = Representative.objects.filter(congress=congress, left_on__isnull=True)
    if day is not None:
        reps = representatives_on(congress, day)
    rows = list(reps.select_related("member", "group"))
    total = len(rows)

    def share(n):
        return round(n * 100 / total, 1) if total else 0.0

    front_line = sum(r.category == RepresentativeCategory.FRONT_LINE for r in rows)
    managers = sum(r.category == RepresentativeCategory.MANAGER for r in rows)
    women = sum(r.member.gender == Gender.FEMALE for r in rows)
    women_workforce = round(workforce_women_percent(congress.union_id), 1)
    problems = []
    if total and share(front_line) < congress.front_line_min_percent:
        problems.append(
            f"一线代表{front_line}人，占{share(front_line)}%，低于规定的{congress.front_line_min_percent}%"
        )
    if total and congress.women_at_least_workforce and share(women) < women_workforce:
        problems.append(
            f"女代表{women}人，占{share(women)}%，低于女职工在职工中的比例{women_workforce}%"
        )
    if total and share(managers) > congress.managers_max_percent:
        problems.append(
            f"中层及以上管理人员代表{managers}人，占{share(managers)}%，超过规定的{congress.managers_max_percent}%"
        )
    per_group = {}
    for r in rows:
        per_group.setdefault(r.group_id, {"group": r.group, "elected": 0, "seats": None})
        per_group[r.group_id]["elected"] += 1
    for quota in RepresentativeQuota.objects.filter(congress=congress).select_related("group"):
        entry = per_group.setdefault(
            quota.group_id, {"group": quota.group, "elected": 0, "seats": None}
        )
        entry["seats"] = quota.seats
    groups = sorted(per_group.values(), key=lambda e: e["group"].name if e["group"] else "")
    for entry in groups:
        if entry["seats"] is not None and entry["elected"] < entry["seats"]:
            problems.append(
                f"{entry['group'].name}应选代表{entry['seats']}名，已选{entry['elected']}名，尚缺{entry['seats'] - entry['elected']}名"
            )
    if not total:
        problems.append("本届还没有代表")
    return {
        "total": total,
        "front_line": front_line,
        "front_line_percent": share(front_line),
        "managers": managers,
        "managers_percent": share(managers),
        "women": women,
        "women_percent": share(women),
        "women_workforce_percent": women_workforce,
        "groups": groups,
        "problems": problems,
    }


def representative_of(member: Member) -> Representative | None:
    """The member's current representation in the latest congress term of their union."""
    return (
        Representative.objects.filter(member=member, left_on__isnull=True)
        .select_related("congress")
        .order_by("-congress__starts_on", "-id")
        .first()
    )


def current_session(congress: Congress) -> CongressSession | None:
    """The open session, else the next planned one, else the latest."""
    sessions = CongressSession.objects.filter(congress=congress)
    return (
        sessions.filter(state=SessionState.OPEN).first()
        or sessions.filter(state=SessionState.PLANNED).order_by("date", "id").first()
        or sessions.order_by("-date", "-id").first()
    )


def session_for_token(*, token: str, member: Member) -> CongressSession | None:
    from gonghui.democracy.models import SessionToken

    found = (
        SessionToken.objects.select_related("session", "session__congress")
        .filter(token=(token or "").strip(), union_id=member.union_id)
        .first()
    )
    return found.session if found else None


# Metrics ------------------------------------------------------------------------------


@metric("democracy.sessions_held", label="召开代表大会会议", unit="次")
def sessions_held(unions, period):
    return CongressSession.objects.filter(
        union__in=unions, date__range=period.bounds, state=SessionState.CLOSED
    ).select_related("congress")


@metric("democracy.representatives", label="在任代表", unit="人", breakdown="category")
def representatives(unions, period):
    return (
        Representative.objects.filter(union__in=unions, elected_on__lte=period.end)
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=period.end))
        .select_related("member", "congress", "group")
    )


@metric("democracy.resolutions_passed", label="通过决议", unit="项")
def resolutions_passed(unions, period):
    return Resolution.objects.filter(
        union__in=unions, session__date__range=period.bounds, state=ResolutionState.PASSED
    ).select_related("agenda_item", "session")


@metric("democracy.session_attendances", label="代表出席人次", unit="人次")
def session_attendances(unions, period):
    return SessionAttendance.objects.filter(
        union__in=unions, session__date__range=period.bounds, session__state=SessionState.CLOSED
    ).select_related("representative__member", "session")


def _seats_at_sessions(ids, period) -> dict[int, int]:
    """Each union's representatives at the opening of its closed sessions."""
    rows = (
        CongressSession.objects.filter(
            union_id__in=ids, date__range=period.bounds, state=SessionState.CLOSED
        )
        .values_list("union_id")
        .annotate(n=Sum("representatives_at_opening"))
        .order_by()
    )
    return {u: n for u, n in rows if n}


ratio(
    "democracy.attendance_rate",
    label="代表出席率",
    numerator="democracy.session_attendances",
    denominators=_seats_at_sessions,
    description="本期会议代表签到人次 ÷ 各次会议开幕时的代表总数之和",
)
