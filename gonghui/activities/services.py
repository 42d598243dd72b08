"""Every write to activities: creating them, signing up and cancelling (with a
waiting list), checking in by list or QR token, results and clubs.

Seats are counted in `Activity.admitted` and taken only by a conditional
UPDATE that must change exactly one row, so on SQLite and PostgreSQL alike
no more than `capacity` members are ever admitted, however many sign up at
once. The partial unique constraint on SignUp keeps one active sign-up per
member; the unique constraint on Attendance keeps one check-in.
"""

import secrets
from datetime import timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from gonghui.activities.models import (
    ACTIVE_SIGN_UP_STATES,
    Activity,
    ActivityType,
    Attendance,
    Audience,
    AwardLevel,
    CheckIn,
    CheckInToken,
    Club,
    Result,
    SignUp,
    SignUpState,
)
from gonghui.finance import services as finance
from gonghui.finance.models import BudgetLine, Kind
from gonghui.members.models import Gender, Member, Status
from gonghui.orgs.models import Group, Union

TOKEN_LIFETIME = timedelta(minutes=10)
# A QR page keeps showing a token while it has at least this long to live.
TOKEN_REUSE_MARGIN = timedelta(minutes=3)


def _check_money(value, field: str, label: str, errors: dict) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value))
    except ArithmeticError:
        errors[field] = f"{label}“{value}”不是有效金额"
        return None
    if not amount.is_finite():
        errors[field] = f"{label}“{value}”不是有效金额"
    elif amount < 0:
        errors[field] = f"{label}不能为负数"
    elif amount.as_tuple().exponent < -2:
        errors[field] = f"{label}最多保留两位小数"
    return amount


def clean_activity(*, union: Union, data: dict, instance: Activity | None = None) -> dict:
    """Check an activity's fields; raise ValidationError keyed by field. Writes nothing."""
    errors: dict[str, str] = {}
    out = dict(data)
    out["title"] = (data.get("title") or "").strip()
    if not out["title"]:
        errors["title"] = "活动名称不能为空"
    elif len(out["title"]) > 120:
        errors["title"] = "活动名称不能超过120个字"
    if data.get("type") not in ActivityType.values:
        errors["type"] = f"活动类型“{data.get('type') or ''}”不在可选范围内"
    audience = data.get("audience") or Audience.ALL
    if audience not in Audience.values:
        errors["audience"] = f"参加对象“{audience}”不在可选范围内"
    out["audience"] = audience
    starts, ends = data.get("starts_at"), data.get("ends_at")
    if not starts:
        errors["starts_at"] = "开始时间不能为空"
    if not ends:
        errors["ends_at"] = "结束时间不能为空"
    elif starts and ends < starts:
        errors["ends_at"] = "结束时间不能早于开始时间"
    opens, closes = data.get("signup_opens_at"), data.get("signup_closes_at")
    if closes and not opens:
        errors["signup_opens_at"] = "设置了报名截止时间，请同时填写报名开始时间"
    if opens and closes and closes < opens:
        errors["signup_closes_at"] = "报名截止时间不能早于报名开始时间"
    if opens and starts and opens > starts:
        errors["signup_opens_at"] = "报名开始时间不能晚于活动开始时间"
    capacity = data.get("capacity")
    if capacity is not None:
        if capacity < 1:
            errors["capacity"] = "名额至少为1人；不限名额请留空"
        elif instance is not None and capacity < instance.admitted:
            errors["capacity"] = (
                f"已有{instance.admitted}人报名成功，名额不能少于{instance.admitted}"
            )
    out["cost"] = _check_money(data.get("cost"), "cost", "费用", errors)
    groups = list(data.get("audience_groups") or [])
    if audience == Audience.GROUPS and not groups:
        errors["audience_groups"] = "参加对象为指定工会小组时，请至少选择一个小组"
    if any(g.union_id != union.id for g in groups):
        errors["audience_groups"] = "所选小组不属于本工会"
    out["audience_groups"] = groups if audience == Audience.GROUPS else []
    club = data.get("club")
    if club is not None and club.union_id != union.id:
        errors["club"] = "所选社团不属于本工会"
    line = data.get("budget_line")
    if line is not None:
        problem = _budget_line_error(line, union, starts)
        if problem:
            errors["budget_line"] = problem
    if errors:
        raise ValidationError(errors)
    return out


def _budget_line_error(line: BudgetLine, union: Union, starts) -> str | None:
    if line.union_id != union.id:
        return "所选预算科目不属于本工会"
    if line.kind != Kind.EXPENDITURE:
        return f"“{line.name}”不是支出科目，活动费用只能从支出科目列支"
    year = BudgetLine.objects.filter(pk=line.pk).values_list("fiscal_year__year", flat=True).get()
    if starts and timezone.localtime(starts).year != year:
        return (
            f"“{line.name}”是{year}年度的预算科目，"
            f"活动在{timezone.localtime(starts).year}年举办，请选择同一年度的科目"
        )
    return None


ACTIVITY_FIELDS = (
    "title",
    "type",
    "starts_at",
    "ends_at",
    "place",
    "organiser",
    "audience",
    "capacity",
    "signup_opens_at",
    "signup_closes_at",
    "description",
    "cost",
    "club",
    "budget_line",
)


def _values(data: dict) -> dict:
    return {
        k: "" if data.get(k) is None and k in _TEXT_FIELDS else data.get(k) for k in ACTIVITY_FIELDS
    }


_TEXT_FIELDS = {"place", "organiser", "description"}


@transaction.atomic
def create_activity(*, union: Union, actor=None, **fields) -> Activity:
    """Create an activity; raise ValidationError keyed by field."""
    data = clean_activity(union=union, data=fields)
    activity = Activity.objects.create(union=union, **_values(data))
    activity.audience_groups.set(data["audience_groups"])
    return activity


@transaction.atomic
def update_activity(*, activity: Activity, actor=None, **fields) -> Activity:
    """Change an activity; raising capacity admits waiting members in order."""
    current = Activity.objects.get(pk=activity.pk)
    merged = {key: getattr(current, key) for key in ACTIVITY_FIELDS}
    merged["audience_groups"] = list(current.audience_groups.all())
    merged.update(fields)
    data = clean_activity(union=current.union, data=merged, instance=current)
    values = _values(data)
    # Not a save(): the seat counter must stay as concurrent sign-ups left it,
    # and a smaller capacity applies only if it still holds everyone admitted.
    rows = Activity.objects.filter(pk=current.pk)
    if values["capacity"] is not None:
        rows = rows.filter(admitted__lte=values["capacity"])
    if not rows.update(**values):
        raise ValidationError({"capacity": "报名成功的人数已超过新的名额，请刷新后重试"})
    current.audience_groups.set(data["audience_groups"])
    _fill_free_seats(current.pk)
    current.refresh_from_db()
    return current


# Audience --------------------------------------------------------------------


def audience_error(*, activity: Activity, member: Member) -> str | None:
    """Why this member is outside the activity's audience, or None if inside."""
    audience = activity.audience
    if audience == Audience.RETIREES:
        return None if member.status == Status.RETIRED else "本活动仅面向退休会员，您不在参加范围内"
    if member.status != Status.ACTIVE:
        return None  # reported by the status check
    if audience == Audience.WOMEN and member.gender != Gender.FEMALE:
        return "本活动仅面向女会员，您不在参加范围内"
    if audience == Audience.GROUPS:
        group_ids = set(activity.audience_groups.values_list("pk", flat=True))
        if member.group_id not in group_ids:
            names = "、".join(
                Group.objects.filter(pk__in=group_ids)
                .order_by("name")
                .values_list("name", flat=True)
            )
            return f"本活动仅面向{names}，您不在参加范围内"
    return None


def _status_error(activity: Activity, member: Member) -> str | None:
    if member.status == Status.ACTIVE:
        return None
    if member.status == Status.RETIRED:
        if activity.audience == Audience.RETIREES:
            return None
        return "您已退休，本活动面向在册在职会员，不能报名"
    return f"您的会籍状态为“{member.get_status_display()}”，不能报名参加活动"


def _member_error(activity: Activity, member: Member) -> str | None:
    if member.union_id != activity.union_id:
        return "您不是本工会会员，不能参加本活动"
    return _status_error(activity, member) or audience_error(activity=activity, member=member)


# Seats -----------------------------------------------------------------------


def _take_seat(activity_id: int) -> bool:
    """Take one seat if one is free: exactly one row changes, or none."""
    return bool(
        Activity.objects.filter(pk=activity_id)
        .filter(Q(capacity__isnull=True) | Q(admitted__lt=F("capacity")))
        .update(admitted=F("admitted") + 1)
    )


def _release_seat(activity_id: int) -> None:
    Activity.objects.filter(pk=activity_id, admitted__gt=0).update(admitted=F("admitted") - 1)


def _next_position(activity_id: int) -> int:
    # The UPDATE holds the activity row until commit, so positions are handed
    # out one at a time and read back unchanged by anyone else.
    Activity.objects.filter(pk=activity_id).update(next_position=F("next_position") + 1)
    return Activity.objects.filter(pk=activity_id).values_list("next_position", flat=True).get()


def _fill_free_seats(activity_id: int) -> list[SignUp]:
    """Admit waiting members, first come first served, while seats are free."""
    promoted = []
    while True:
        first = SignUp.objects.filter(activity_id=activity_id).waiting().first()
        if first is None or not _take_seat(activity_id):
            return promoted
        flipped = SignUp.objects.filter(pk=first.pk, state=SignUpState.WAITING).update(
            state=SignUpState.ADMITTED, promoted_at=timezone.now()
        )
        if not flipped:  # someone else promoted or cancelled it meanwhile
            _release_seat(activity_id)
            continue
        first.refresh_from_db()
        promoted.append(first)


# Sign-up -----------------------------------------------------------------------


@transaction.atomic
def sign_up(*, activity: Activity, member: Member, now=None) -> SignUp:
    """Sign a member up: admitted while seats last, else on the waiting list."""
    now = now or timezone.now()
    activity = Activity.objects.get(pk=activity.pk)
    if not activity.needs_sign_up:
        raise ValidationError({"activity": "本活动无需报名，请按时参加"})
    if now < activity.signup_opens_at:
        raise ValidationError(
            {
                "activity": "报名尚未开始，报名时间为"
                + timezone.localtime(activity.signup_opens_at).strftime("%Y年%m月%d日 %H:%M")
                + "起"
            }
        )
    closes = activity.signup_closes_at or activity.starts_at
    if now > closes:
        raise ValidationError({"activity": "报名已截止（截止时间" + _when(closes) + "）"})
    problem = _member_error(activity, member)
    if problem:
        raise ValidationError({"member": problem})
    if SignUp.objects.filter(activity=activity, member=member).active().exists():
        raise ValidationError({"member": "您已报名本活动，无需重复报名"})

    if _take_seat(activity.pk):
        state, position = SignUpState.ADMITTED, None
    else:
        state, position = SignUpState.WAITING, _next_position(activity.pk)
    try:
        with transaction.atomic():
            return SignUp.objects.create(
                union_id=activity.union_id,
                activity=activity,
                member=member,
                state=state,
                position=position,
            )
    except IntegrityError as e:
        raise ValidationError({"member": "您已报名本活动，无需重复报名"}) from e


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%Y年%m月%d日 %H:%M")


@transaction.atomic
def cancel_sign_up(*, signup: SignUp, now=None) -> list[SignUp]:
    """Cancel a sign-up; a freed seat goes to the first member waiting.

    Returns the sign-ups promoted from the waiting list.
    """
    now = now or timezone.now()
    activity = Activity.objects.get(pk=signup.activity_id)
    if now >= activity.starts_at:
        raise ValidationError({"signup": "活动已开始，不能取消报名"})
    was = (
        SignUp.objects.filter(pk=signup.pk, state__in=ACTIVE_SIGN_UP_STATES)
        .values_list("state", flat=True)
        .first()
    )
    changed = SignUp.objects.filter(pk=signup.pk, state=was).update(
        state=SignUpState.CANCELLED, cancelled_at=now
    )
    if was is None or not changed:
        raise ValidationError({"signup": "该报名已取消"})
    signup.refresh_from_db()
    if was != SignUpState.ADMITTED:
        return []
    _release_seat(activity.pk)
    return _fill_free_seats(activity.pk)


# Attendance ------------------------------------------------------------------


def _record_attendance(activity: Activity, member: Member, how: str, at, actor) -> Attendance:
    try:
        with transaction.atomic():
            return Attendance.objects.create(
                union_id=activity.union_id,
                activity=activity,
                member=member,
                how=how,
                at=at,
                recorded_by=actor,
            )
    except IntegrityError as e:
        raise ValidationError({"member": f"{member.name}已签到，无需重复签到"}) from e


@transaction.atomic
def issue_check_in_token(*, activity: Activity, now=None) -> CheckInToken:
    """The token to show at the venue: the current one, or a fresh one near expiry."""
    now = now or timezone.now()
    current = (
        CheckInToken.objects.filter(activity=activity, expires_at__gt=now + TOKEN_REUSE_MARGIN)
        .order_by("-expires_at")
        .first()
    )
    if current is not None:
        return current
    return CheckInToken.objects.create(
        union_id=activity.union_id,
        activity=activity,
        token=secrets.token_urlsafe(16),
        expires_at=now + TOKEN_LIFETIME,
    )


@transaction.atomic
def check_in_by_token(*, token: str, member: Member, now=None) -> Attendance:
    """A member scans the venue's QR code: check them in once."""
    now = now or timezone.now()
    found = (
        CheckInToken.objects.select_related("activity").filter(token=(token or "").strip()).first()
    )
    if found is None or found.union_id != member.union_id:
        raise ValidationError({"token": "签到码无效，请重新扫描现场二维码"})
    activity = found.activity
    if now > activity.ends_at:
        raise ValidationError({"token": "活动已结束，不能签到"})
    if found.expires_at <= now:
        raise ValidationError({"token": "签到码已过期，请扫描现场最新的二维码"})
    problem = _member_error(activity, member)
    if problem:
        raise ValidationError({"member": problem.replace("报名", "签到")})
    if Attendance.objects.filter(activity=activity, member=member).exists():
        raise ValidationError({"member": "您已签到，无需重复签到"})
    if (
        activity.needs_sign_up
        and not SignUp.objects.filter(activity=activity, member=member).admitted().exists()
    ):
        raise ValidationError({"member": "您没有报名成功本活动（未报名或仍在候补），不能签到"})
    return _record_attendance(activity, member, CheckIn.QR, now, None)


@transaction.atomic
def mark_attendance(*, activity: Activity, members, actor=None, now=None) -> list[Attendance]:
    """Staff tick a list: record each member present who was not yet checked in.

    All or nothing: one member who cannot attend rejects the whole list.
    """
    now = now or timezone.now()
    members = list(members)
    errors = []
    for member in members:
        problem = _member_error(activity, member)
        if problem:
            errors.append(f"{member.name}：{problem.replace('您', '该会员')}")
    if errors:
        raise ValidationError({"members": errors})
    already = set(
        Attendance.objects.filter(activity=activity, member__in=members).values_list(
            "member_id", flat=True
        )
    )
    return [
        _record_attendance(activity, m, CheckIn.LIST, now, actor)
        for m in members
        if m.pk not in already
    ]


@transaction.atomic
def unmark_attendance(*, activity: Activity, members) -> int:
    """Staff untick members recorded by mistake; returns how many were removed."""
    deleted, _ = Attendance.objects.filter(activity=activity, member__in=list(members)).delete()
    return deleted


# Results and clubs -------------------------------------------------------------


@transaction.atomic
def record_result(
    *,
    activity: Activity,
    award_level: str,
    group: Group | None = None,
    member: Member | None = None,
    rank: int | None = None,
    prize: str = "",
    cost=None,
    voucher: str = "",
    over_budget_reason: str = "",
    actor=None,
) -> Result:
    """Record a team's or a member's placing in a contest. A prize cost is paid
    from the activity's budget line in the same transaction: a payment the
    finance rules refuse (over budget without a reason, closed year) refuses
    the result too."""
    errors: dict[str, str] = {}
    if (group is None) == (member is None):
        errors["group"] = "请选择获奖的工会小组或获奖个人（二者选一）"
    elif group is not None and group.union_id != activity.union_id:
        errors["group"] = "所选小组不属于本工会"
    elif member is not None and member.union_id != activity.union_id:
        errors["member"] = "所选会员不属于本工会"
    if award_level not in AwardLevel.values:
        errors["award_level"] = f"奖项等级“{award_level or ''}”不在可选范围内"
    if rank is not None and rank < 1:
        errors["rank"] = "名次须为正整数"
    amount = _check_money(cost, "cost", "奖品费用", errors)
    prize = (prize or "").strip()
    if len(prize) > 120:
        errors["prize"] = "奖品说明不能超过120个字"
    line = Activity.objects.filter(pk=activity.pk).values_list("budget_line", flat=True).get()
    line = BudgetLine.objects.get(pk=line) if line is not None else None
    pays = line is not None and amount is not None and amount > 0
    if pays and not (voucher or "").strip() and "cost" not in errors:
        errors["voucher"] = "奖品费用将从活动的预算科目列支，请填写凭证号"
    if errors:
        raise ValidationError(errors)
    result = Result.objects.create(
        union_id=activity.union_id,
        activity=activity,
        group=group,
        member=member,
        rank=rank,
        award_level=award_level,
        prize=prize,
        cost=amount if amount is not None else Decimal("0.00"),
    )
    if pays:
        finance.record_payment(
            union=activity.union,
            amount=amount,
            line=line,
            on=timezone.localtime(activity.starts_at).date(),
            payee=str(result.winner)[:100],
            voucher=voucher,
            pays_for=result,
            idempotency_key=f"activities.result.{result.pk}",
            over_budget_reason=over_budget_reason,
            note=f"{activity.title} {result.get_award_level_display()} {prize}".strip()[:200],
            actor=actor,
        )
    return result


@transaction.atomic
def save_club(
    *,
    union: Union,
    name: str,
    description: str = "",
    leader: Member | None = None,
    members=(),
    club: Club | None = None,
) -> Club:
    """Create or change a club and set its members."""
    name = (name or "").strip()
    members = list(members)
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = "社团名称不能为空"
    elif Club.objects.filter(union=union, name=name).exclude(pk=club.pk if club else None).exists():
        errors["name"] = f"本工会已有名为“{name}”的社团"
    if leader is not None and leader.union_id != union.id:
        errors["leader"] = "负责人不是本工会会员"
    outsiders = [m.name for m in members if m.union_id != union.id]
    if outsiders:
        errors["members"] = "以下人员不是本工会会员：" + "、".join(outsiders)
    if errors:
        raise ValidationError(errors)
    club = club or Club(union=union)
    club.name, club.description, club.leader = name, description or "", leader
    club.save()
    club.members.set(members)
    return club


@transaction.atomic
def tick_attendance_list(*, activity: Activity, present, absent, actor=None, now=None):
    """Save a ticked list: record those present, remove those unticked.

    Returns (attendances added, number removed); all or nothing.
    """
    added = mark_attendance(activity=activity, members=present, actor=actor, now=now)
    removed = unmark_attendance(activity=activity, members=absent)
    return added, removed
