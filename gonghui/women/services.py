"""Every write and workflow rule of 女职工工作.

Four-period records are read and written only by holders of women.reveal
(the women's committee role; not the chair) and read by the member herself;
every opening of one is written to the access log. The rule lives here, in
`may_see`, and every path (admin, portal, API) goes through it.

Insurance premiums are paid through finance.services.record_payment in the
same transaction as the enrolments they pay for, so a refused payment (over
budget without a reason, a closed year) enrols nobody.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from gonghui.finance import services as finance
from gonghui.finance.models import BudgetLine, Kind
from gonghui.members.models import Gender, Member, Status
from gonghui.members.queries import on_roll_at
from gonghui.orgs import services as orgs
from gonghui.orgs.access import access_for
from gonghui.orgs.models import AccessLog, Post, PostKind, Term, Union
from gonghui.orgs.roles import Perm
from gonghui.privacy.purposes import Category
from gonghui.privacy.services import require_consent
from gonghui.women.models import (
    Checkup,
    CheckupCampaign,
    CheckupKind,
    InsuranceEnrolment,
    InsurancePlan,
    ProtectionPeriod,
    ProtectionRecord,
)

CENT = Decimal("0.01")
COMMITTEE_KINDS = (PostKind.WOMEN_HEAD, PostKind.WOMEN_MEMBER)
NOT_ALLOWED = "四期保护记录仅限女职工委员会委员和本人查看，您没有查看权限"
_YEAR = timedelta(days=366)


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def _text(value, *, field: str, label: str, max_length: int, errors: dict, required=False) -> str:
    value = (value or "").strip()
    if required and not value:
        errors[field] = f"{label}不能为空"
    elif len(value) > max_length:
        errors[field] = f"{label}不能超过{max_length}个字"
    return value


def _date(value, *, field: str, label: str, errors: dict) -> bool:
    if not isinstance(value, date):
        errors[field] = f"{label}不能为空"
        return False
    return True


def _day(value: date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def _woman_on_roll(member: Member, *, field: str, errors: dict) -> None:
    if member.gender != Gender.FEMALE:
        errors[field] = f"{member.name}不是女职工"
    elif member.status != Status.ACTIVE:
        errors[field] = f"{member.name}的会籍状态为“{member.get_status_display()}”，已不在册"


# The women's committee ----------------------------------------------------------------------------


@transaction.atomic
def appoint(*, term: Term, member: Member, kind: str, actor=None) -> Post:
    """Put a woman member on the term's women's committee (one head per term)."""
    errors: dict = {}
    if kind not in COMMITTEE_KINDS:
        errors["kind"] = "女职委职务应为“女职委主任”或“女职委委员”"
    if member.union_id != term.union_id:
        errors["member"] = "该会员不属于本工会"
    else:
        _woman_on_roll(member, field="member", errors=errors)
    if (
        kind == PostKind.WOMEN_HEAD
        and Post.objects.filter(term=term, kind=PostKind.WOMEN_HEAD).exclude(member=member).exists()
    ):
        errors["kind"] = f"{term}已有女职委主任"
    if Post.objects.filter(term=term, member=member, kind__in=COMMITTEE_KINDS).exists():
        errors["member"] = f"{member.name}已在{term}的女职委中"
    _raise(errors)
    return orgs.appoint(term=term, member=member, kind=kind)


@transaction.atomic
def remove_from_committee(*, post: Post, actor=None) -> None:
    if post.kind not in COMMITTEE_KINDS:
        raise ValidationError({"post": "该职务不是女职委职务"})
    post.delete()


# Four-period protection ---------------------------------------------------------------------------


def may_see(user, record_or_member) -> bool:
    """The women's committee of the record's union, or the member herself."""
    if user is None or not user.is_authenticated:
        return False
    member = getattr(record_or_member, "member", record_or_member)
    if member.user_id is not None and member.user_id == user.pk:
        return True
    return access_for(user).can(Perm.REVEAL_WOMEN, member.union_id)


def may_manage(user, union_id: int) -> bool:
    return access_for(user).can(Perm.REVEAL_WOMEN, union_id)


def _must_manage(actor, union_id: int) -> None:
    if not may_manage(actor, union_id):
        raise PermissionDenied(NOT_ALLOWED)


def _log(*, record: ProtectionRecord, user, reason: str) -> None:
    AccessLog.objects.create(
        user=user,
        union_id=record.union_id,
        subject=record.member.name,
        object_type="protection_record",
        object_id=str(record.pk),
        field="四期保护记录",
        reason=reason[:200],
    )


def _protection_fields(*, period, starts_on, ends_on, arrangements, items, notes, errors):
    if period not in ProtectionPeriod.values:
        errors["period"] = f"四期类别“{period or ''}”不在可选范围内（经期、孕期、产期、哺乳期）"
    started = _date(starts_on, field="starts_on", label="开始日期", errors=errors)
    if ends_on is not None and started and ends_on < starts_on:
        errors["ends_on"] = "结束日期不能早于开始日期"
    return {
        "arrangements": _text(
            arrangements, field="arrangements", label="工作调整安排", max_length=2000, errors=errors
        ),
        "items": _text(items, field="items", label="发放防护用品", max_length=1000, errors=errors),
        "notes": _text(notes, field="notes", label="备注", max_length=2000, errors=errors),
    }


@transaction.atomic
def record_protection(
    *,
    member: Member,
    period: str,
    starts_on: date,
    ends_on: date | None = None,
    arrangements: str = "",
    items: str = "",
    notes: str = "",
    actor,
    today: date | None = None,
) -> ProtectionRecord:
    """Register a four-period case for a woman member; only the women's committee may."""
    _must_manage(actor, member.union_id)
    today = today or timezone.localdate()
    errors: dict = {}
    _woman_on_roll(member, field="member", errors=errors)
    texts = _protection_fields(
        period=period,
        starts_on=starts_on,
        ends_on=ends_on,
        arrangements=arrangements,
        items=items,
        notes=notes,
        errors=errors,
    )
    if "starts_on" not in errors and starts_on > today + _YEAR:
        errors["starts_on"] = "开始日期不能晚于一年以后"
    if "period" not in errors and "member" not in errors:
        for other in ProtectionRecord.objects.filter(member=member, ends_on__isnull=True):
            if other.period == period:
                errors["period"] = (
                    f"{member.name}已有未结束的{other.period_label}保护记录"
                    f"（{_day(other.starts_on)}起），请先结束该记录"
                )
    _raise(errors)
    require_consent(member, Category.FOUR_PERIOD)
    return ProtectionRecord.objects.create(
        union_id=member.union_id,
        member=member,
        period=period,
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=actor,
        **texts,
    )


@transaction.atomic
def update_protection(
    *,
    record: ProtectionRecord,
    arrangements: str,
    items: str,
    notes: str = "",
    ends_on: date | None = None,
    actor,
) -> ProtectionRecord:
    """Change the arrangements, items issued, notes or end date of a case."""
    _must_manage(actor, record.union_id)
    errors: dict = {}
    texts = _protection_fields(
        period=record.period,
        starts_on=record.starts_on,
        ends_on=ends_on,
        arrangements=arrangements,
        items=items,
        notes=notes,
        errors=errors,
    )
    _raise(errors)
    require_consent(record.member, Category.FOUR_PERIOD)
    for name, value in texts.items():
        setattr(record, name, value)
    record.ends_on = ends_on
    record.save(update_fields=[*texts, "ends_on"])
    return record


@transaction.atomic
def close_protection(*, record: ProtectionRecord, ends_on: date, actor) -> ProtectionRecord:
    _must_manage(actor, record.union_id)
    errors: dict = {}
    if (
        _date(ends_on, field="ends_on", label="结束日期", errors=errors)
        and ends_on < record.starts_on
    ):
        errors["ends_on"] = f"结束日期不能早于开始日期{_day(record.starts_on)}"
    _raise(errors)
    changed = ProtectionRecord.objects.filter(pk=record.pk, ends_on__isnull=True).update(
        ends_on=ends_on
    )
    if changed != 1:
        raise ValidationError({"ends_on": "该记录已经结束"})
    record.refresh_from_db()
    return record


@transaction.atomic
def open_protection(*, record: ProtectionRecord, user, reason: str = "") -> ProtectionRecord:
    """Let `user` read a four-period record in full, and log that they did.

    The women's committee must give a reason; the member reading her own
    record is logged with the reason 本人查看."""
    if not may_see(user, record):
        raise PermissionDenied(NOT_ALLOWED)
    own = record.member.user_id == user.pk
    reason = (reason or "").strip() or ("本人查看" if own else "")
    if len(reason) < 2:
        raise ValidationError({"reason": "请填写查看理由（至少2个字）"})
    if len(reason) > 200:
        raise ValidationError({"reason": "查看理由不能超过200个字"})
    _log(record=record, user=user, reason=reason)
    return record


@transaction.atomic
def open_own_records(*, member: Member, user) -> list[ProtectionRecord]:
    """A member's own four-period records, each opening logged."""
    if member.user_id != user.pk:
        raise PermissionDenied(NOT_ALLOWED)
    records = list(
        ProtectionRecord.objects.filter(member=member)
        .select_related("member")
        .order_by("-starts_on", "-id")
    )
    AccessLog.objects.bulk_create(
        AccessLog(
            user=user,
            union_id=r.union_id,
            subject=member.name,
            object_type="protection_record",
            object_id=str(r.pk),
            field="四期保护记录",
            reason="本人查看",
        )
        for r in records
    )
    return records


# Check-ups ---------------------------------------------------------------------------------------


def eligible_members(*, union: Union, on: date, min_age: int):
    """Women on the roll at `on` aged at least `min_age` that day."""
    members = on_roll_at([union.pk], on).filter(gender=Gender.FEMALE)
    if min_age:
        try:
            born_by = on.replace(year=on.year - min_age)
        except ValueError:  # 29 February
            born_by = on.replace(year=on.year - min_age, day=28)
        members = members.filter(birth_date__lte=born_by)
    return members


@transaction.atomic
def create_campaign(
    *,
    union: Union,
    year: int,
    kind: str,
    title: str,
    starts_on: date,
    ends_on: date,
    min_age: int = 0,
    provider: str = "",
    actor=None,
) -> CheckupCampaign:
    """A year's check-up; its eligible list is drawn now from the roll."""
    errors: dict = {}
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        errors["year"] = f"年度“{year}”无效，应为2000至2100之间的年份"
    if kind not in CheckupKind.values:
        errors["kind"] = f"检查类别“{kind or ''}”不在可选范围内"
    title = _text(title, field="title", label="名称", max_length=120, errors=errors, required=True)
    provider = _text(provider, field="provider", label="体检机构", max_length=120, errors=errors)
    if not isinstance(min_age, int) or not 0 <= min_age <= 70:
        errors["min_age"] = f"最低年龄应在0至70之间，“{min_age}”不符合"
    starts = _date(starts_on, field="starts_on", label="开始日期", errors=errors)
    ends = _date(ends_on, field="ends_on", label="结束日期", errors=errors)
    if starts and ends and ends_on < starts_on:
        errors["ends_on"] = "结束日期不能早于开始日期"
    if starts and "year" not in errors and starts_on.year != year:
        errors["starts_on"] = f"开始日期应在{year}年内"
    _raise(errors)
    campaign = CheckupCampaign.objects.create(
        union=union,
        year=year,
        kind=kind,
        title=title,
        provider=provider,
        min_age=min_age,
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=actor,
    )
    ids = eligible_members(union=union, on=starts_on, min_age=min_age).values_list("pk", flat=True)
    Checkup.objects.bulk_create(
        (Checkup(union=union, campaign=campaign, member_id=pk) for pk in ids), batch_size=1000
    )
    return campaign


@transaction.atomic
def add_to_campaign(*, campaign: CheckupCampaign, member: Member, actor=None) -> Checkup:
    """Put a woman who was not drawn (joined later, younger but referred) on the list."""
    errors: dict = {}
    if member.union_id != campaign.union_id:
        errors["member"] = "该会员不属于本工会"
    else:
        _woman_on_roll(member, field="member", errors=errors)
    if Checkup.objects.filter(campaign=campaign, member=member).exists():
        errors["member"] = f"{member.name}已在“{campaign.title}”名单中"
    _raise(errors)
    return Checkup.objects.create(union_id=campaign.union_id, campaign=campaign, member=member)


@transaction.atomic
def record_checkups(
    *, campaign: CheckupCampaign, members, done_on: date, actor=None, today: date | None = None
) -> int:
    """Mark members of the list as examined on `done_on`; returns how many were marked."""
    today = today or timezone.localdate()
    errors: dict = {}
    members = list(dict.fromkeys(members or []))
    if not members:
        errors["members"] = "请选择已体检的人员"
    if _date(done_on, field="done_on", label="体检日期", errors=errors):
        if done_on > today:
            errors["done_on"] = f"体检日期{_day(done_on)}还没到"
        elif not campaign.starts_on <= done_on <= campaign.ends_on:
            errors["done_on"] = (
                f"体检日期应在{_day(campaign.starts_on)}至{_day(campaign.ends_on)}之间"
            )
    listed = set(
        Checkup.objects.filter(campaign=campaign, member__in=members).values_list(
            "member_id", flat=True
        )
    )
    missing = [m.name for m in members if m.pk not in listed]
    if missing:
        errors["members"] = "以下人员不在本次体检名单中：" + "、".join(missing[:20])
    _raise(errors)
    return Checkup.objects.filter(
        campaign=campaign, member__in=members, done_on__isnull=True
    ).update(done_on=done_on)


# Insurance ----------------------------------------------------------------------------------------


def _premium(value, errors: dict) -> Decimal | None:
    if isinstance(value, float):
        value = str(value)
    problem = finance.money_error(value, label="每人保费")
    if problem:
        errors["premium"] = problem
        return None
    return Decimal(value).quantize(CENT)


@transaction.atomic
def create_plan(
    *,
    union: Union,
    year: int,
    name: str,
    premium,
    line: BudgetLine,
    insurer: str = "",
    actor=None,
) -> InsurancePlan:
    errors: dict = {}
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        errors["year"] = f"年度“{year}”无效，应为2000至2100之间的年份"
    name = _text(name, field="name", label="保险名称", max_length=120, errors=errors, required=True)
    insurer = _text(insurer, field="insurer", label="承保机构", max_length=120, errors=errors)
    premium = _premium(premium, errors)
    if line is None:
        errors["line"] = "请选择支付保费的预算科目"
    elif line.union_id != union.pk:
        errors["line"] = "所选预算科目不属于本工会"
    elif line.kind != Kind.EXPENDITURE:
        errors["line"] = f"“{line.name}”不是支出科目"
    if not errors and InsurancePlan.objects.filter(union=union, year=year, name=name).exists():
        errors["name"] = f"{year}年已有“{name}”"
    _raise(errors)
    return InsurancePlan.objects.create(
        union=union,
        year=year,
        name=name,
        insurer=insurer,
        premium=premium,
        line=line,
        created_by=actor,
    )


@transaction.atomic
def enrol(
    *,
    plan: InsurancePlan,
    members,
    enrolled_on: date,
    idempotency_key: str,
    voucher: str = "",
    over_budget_reason: str = "",
    actor,
) -> list[InsuranceEnrolment]:
    """Enrol women members in a year's insurance and pay their premiums from the
    plan's budget line as one payment. The same key a second time returns the
    first batch and pays nothing more."""
    if not idempotency_key or len(idempotency_key) > 64:
        raise ValidationError({"idempotency_key": "表单标识无效，请刷新页面后重新提交"})
    done = list(InsuranceEnrolment.objects.filter(plan=plan, batch_key=idempotency_key))
    if done:
        return done
    errors: dict = {}
    members = list(dict.fromkeys(members or []))
    if not members:
        errors["members"] = "请选择参保人员"
    outsiders = [m.name for m in members if m.union_id != plan.union_id]
    if outsiders:
        errors["members"] = "以下人员不是本工会会员：" + "、".join(outsiders[:20])
    not_women = [m.name for m in members if m.gender != Gender.FEMALE]
    if not errors and not_women:
        errors["members"] = "女职工保险只为女职工办理，以下人员不符合：" + "、".join(not_women[:20])
    off_roll = [m.name for m in members if m.status != Status.ACTIVE]
    if not errors and off_roll:
        errors["members"] = "以下人员已不在册：" + "、".join(off_roll[:20])
    if _date(enrolled_on, field="enrolled_on", label="参保日期", errors=errors):
        if enrolled_on.year != plan.year:
            errors["enrolled_on"] = f"参保日期应在{plan.year}年内"
    if not errors:
        taken = set(
            InsuranceEnrolment.objects.filter(plan=plan, member__in=members).values_list(
                "member__name", flat=True
            )
        )
        if taken:
            errors["members"] = f"以下人员已参加{plan}，不能重复参保：" + "、".join(
                sorted(taken)[:20]
            )
    _raise(errors)
    rows = InsuranceEnrolment.objects.bulk_create(
        InsuranceEnrolment(
            union_id=plan.union_id,
            plan=plan,
            member=m,
            year=plan.year,
            premium=plan.premium,
            enrolled_on=enrolled_on,
            batch_key=idempotency_key,
        )
        for m in members
    )
    finance.record_payment(
        union=plan.union,
        amount=plan.premium * len(members),
        line=plan.line,
        on=enrolled_on,
        payee=(plan.insurer or plan.name)[:100],
        voucher=voucher,
        pays_for=plan,
        idempotency_key=idempotency_key,
        over_budget_reason=over_budget_reason,
        note=f"{plan}保费，{len(members)}人",
        actor=actor,
    )
    return rows
