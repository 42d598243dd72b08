"""Every write to care records. Money the union pays out goes through
finance.services.record_payment in the same transaction as the record it
pays for, so a refused payment (over budget without a reason, a closed
year, a date outside the line's year) refuses the record too."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from gonghui.care import queries
from gonghui.care.models import (
    ZERO,
    AidState,
    Assistance,
    AssistanceKind,
    AssistanceSource,
    CareSettings,
    CaseReview,
    Channel,
    Donation,
    DonationCampaign,
    FestivalDistribution,
    FundContribution,
    GiftRecipient,
    Handover,
    HardshipCase,
    HardshipCause,
    HardshipLevel,
    MutualAidEnrolment,
    Occasion,
    ReviewOutcome,
    SchoolAid,
    Visit,
    VisitKind,
)
from gonghui.finance import services as finance
from gonghui.finance.models import BudgetLine, Kind, Payment
from gonghui.members.models import Member, Status
from gonghui.orgs.models import AccessLog, Union
from gonghui.privacy.purposes import Category
from gonghui.privacy.services import require_consent

CENT = Decimal("0.01")


# Shared checks ---------------------------------------------------------------------


def _money(value, *, field: str, label: str, errors: dict, allow_zero: bool = False):
    """The amount as Decimal with two places, or None with the problem in `errors`."""
    if isinstance(value, float):
        value = str(value)
    problem = finance.money_error(value, label=label, allow_negative=allow_zero)
    if problem is None and allow_zero and Decimal(value) < 0:
        problem = f"{label}不能为负数，“{value}”不符合"
    if problem:
        errors[field] = problem
        return None
    return Decimal(value).quantize(CENT)


def _choice(value, choices, *, field: str, label: str, errors: dict) -> None:
    if value not in choices.values:
        errors[field] = f"{label}“{value or ''}”不在可选范围内"


def _date(value, *, field: str, label: str, errors: dict) -> None:
    if not isinstance(value, date):
        errors[field] = f"{label}不能为空"


def _text(value, *, field: str, label: str, max_length: int, errors: dict) -> str:
    value = (value or "").strip()
    if len(value) > max_length:
        errors[field] = f"{label}不能超过{max_length}个字"
    return value


def _own_members(members, union: Union, *, field: str, errors: dict, label: str = "") -> list:
    members = list(members or [])
    outsiders = [m.name for m in members if m.union_id != union.pk]
    if outsiders:
        errors[field] = f"{label}以下人员不是本工会会员：" + "、".join(outsiders)
    return members


def _on_roll(member: Member, *, field: str, errors: dict) -> None:
    if member.status != Status.ACTIVE:
        errors[field] = (
            f"{member.name}的会籍状态为“{member.get_status_display()}”，已不在册，不能办理"
        )


def _line_error(line, union: Union, *, errors: dict, field: str = "line") -> None:
    if line is None:
        errors[field] = "有金额支出时请选择预算科目"
    elif line.union_id != union.pk:
        errors[field] = "所选预算科目不属于本工会"
    elif line.kind != Kind.EXPENDITURE:
        errors[field] = f"“{line.name}”不是支出科目"


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def _pay(
    *,
    union: Union,
    amount: Decimal,
    line: BudgetLine,
    on: date,
    payee: str,
    voucher: str,
    pays_for,
    key: str,
    over_budget_reason: str,
    note: str,
    actor,
) -> Payment:
    return finance.record_payment(
        union=union,
        amount=amount,
        line=line,
        on=on,
        payee=payee[:100],
        voucher=voucher,
        pays_for=pays_for,
        idempotency_key=key,
        over_budget_reason=over_budget_reason,
        note=note[:200],
        actor=actor,
    )


def _key_error(idempotency_key) -> None:
    if not idempotency_key or len(idempotency_key) > 64:
        raise ValidationError({"idempotency_key": "表单标识无效，请刷新页面后重新提交"})


# Settings ----------------------------------------------------------------------------


@transaction.atomic
def update_settings(
    *, union: Union, hardship_income_threshold, festival_gift_cap_per_year, actor=None
) -> CareSettings:
    """Set the union's hardship income line and yearly festival gift cap."""
    errors: dict = {}
    threshold = _money(
        hardship_income_threshold,
        field="hardship_income_threshold",
        label="困难认定收入线",
        errors=errors,
    )
    cap = _money(
        festival_gift_cap_per_year,
        field="festival_gift_cap_per_year",
        label="节日慰问年度限额",
        errors=errors,
    )
    _raise(errors)
    found = CareSettings.objects.filter(union=union).first() or CareSettings(union=union)
    found.hardship_income_threshold = threshold
    found.festival_gift_cap_per_year = cap
    found.save()
    return found


# Visits ------------------------------------------------------------------------------


@transaction.atomic
def record_visit(
    *,
    union: Union,
    kind: str,
    on: date,
    members,
    visitors=(),
    gift: str = "",
    amount=ZERO,
    line: BudgetLine | None = None,
    voucher: str = "",
    over_budget_reason: str = "",
    notes: str = "",
    idempotency_key: str,
    actor,
) -> Visit:
    """Record a visit; a gift with an amount is paid from `line` in the same
    transaction. A second call with the same key returns the first visit."""
    _key_error(idempotency_key)
    existing = Visit.objects.filter(union=union, idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing
    errors: dict = {}
    _choice(kind, VisitKind, field="kind", label="慰问类型", errors=errors)
    _date(on, field="on", label="慰问日期", errors=errors)
    members = _own_members(members, union, field="members", errors=errors, label="慰问对象中")
    if not members and "members" not in errors:
        errors["members"] = "请至少选择一名慰问对象"
    visitors = _own_members(visitors, union, field="visitors", errors=errors, label="慰问人中")
    gift = _text(gift, field="gift", label="慰问品说明", max_length=200, errors=errors)
    amount = _money(
        ZERO if amount in (None, "") else amount,
        field="amount",
        label="金额",
        errors=errors,
        allow_zero=True,
    )
    if amount:
        _line_error(line, union, errors=errors)
        if not (voucher or "").strip():
            errors["voucher"] = "有金额支出时请填写凭证号"
    _raise(errors)
    try:
        with transaction.atomic():
            visit = Visit.objects.create(
                union=union,
                kind=kind,
                on=on,
                gift=gift,
                amount=amount,
                line=line if amount else None,
                notes=(notes or "").strip(),
                idempotency_key=idempotency_key,
                created_by=actor,
            )
    except IntegrityError:
        return Visit.objects.get(union=union, idempotency_key=idempotency_key)
    visit.members.set(members)
    visit.visitors.set(visitors)
    if amount:
        _pay(
            union=union,
            amount=amount,
            line=line,
            on=on,
            payee="、".join(m.name for m in members),
            voucher=voucher,
            pays_for=visit,
            key=f"care.visit.{visit.pk}",
            over_budget_reason=over_budget_reason,
            note=f"{VisitKind(kind).label}慰问 {gift}".strip(),
            actor=actor,
        )
    return visit


# Hardship cases ------------------------------------------------------------------------


def _open_case_error(member: Member) -> str | None:
    case = HardshipCase.objects.filter(member=member, closed_on__isnull=True).first()
    if case is None:
        return None
    return f"{member.name}已有未解除的困难档案（{case.filed_on:%Y-%m-%d}建档），不能重复建档"


@transaction.atomic
def file_case(
    *,
    member: Member,
    level: str,
    causes,
    household_size: int,
    income_per_capita,
    filed_on: date,
    above_threshold_reason: str = "",
    health_details: str = "",
    actor=None,
) -> HardshipCase:
    """Open a hardship case; one open case per member, and an income above the
    union's line needs a reason."""
    errors: dict = {}
    _on_roll(member, field="member", errors=errors)
    problem = _open_case_error(member)
    if problem:
        errors["member"] = problem
    _choice(level, HardshipLevel, field="level", label="困难类别", errors=errors)
    causes, income, reason = _case_facts(
        union=member.union,
        causes=causes,
        household_size=household_size,
        income_per_capita=income_per_capita,
        above_threshold_reason=above_threshold_reason,
        errors=errors,
    )
    _date(filed_on, field="filed_on", label="建档日期", errors=errors)
    _raise(errors)
    _require_consents(member, health_details)
    try:
        with transaction.atomic():
            return HardshipCase.objects.create(
                union_id=member.union_id,
                member=member,
                level=level,
                causes=causes,
                household_size=household_size,
                income_per_capita=income,
                above_threshold_reason=reason,
                health_details=(health_details or "").strip(),
                filed_on=filed_on,
                created_by=actor,
            )
    except IntegrityError as e:
        raise ValidationError({"member": _open_case_error(member) or "该会员已有困难档案"}) from e


def _require_consents(member: Member, health_details) -> None:
    """Hardship facts need the member's separate consent, health details another (PIPL)."""
    require_consent(member, Category.HARDSHIP)
    if (health_details or "").strip():
        require_consent(member, Category.HEALTH, field="health_details")


def _case_facts(
    *, union, causes, household_size, income_per_capita, above_threshold_reason, errors: dict
):
    """Causes, household size, income and the above-the-line reason of a case,
    checked alike when it is filed and when it is corrected."""
    causes = list(causes or [])
    unknown = [c for c in causes if c not in HardshipCause.values]
    if unknown:
        errors["causes"] = f"致困原因“{'、'.join(map(str, unknown))}”不在可选范围内"
    elif not causes:
        errors["causes"] = "请至少选择一项致困原因"
    if not isinstance(household_size, int) or household_size < 1:
        errors["household_size"] = "家庭人口至少为1人"
    income = _money(
        income_per_capita,
        field="income_per_capita",
        label="家庭月人均收入",
        errors=errors,
        allow_zero=True,
    )
    reason = _text(
        above_threshold_reason,
        field="above_threshold_reason",
        label="建档理由",
        max_length=200,
        errors=errors,
    )
    threshold = queries.settings_of(union).hardship_income_threshold
    if income is not None and income > threshold and not reason:
        errors["above_threshold_reason"] = (
            f"家庭月人均收入{income}元高于本会困难认定收入线{threshold}元，请填写建档理由"
        )
    return [c for c in HardshipCause.values if c in causes], income, reason


@transaction.atomic
def update_case(
    *,
    case: HardshipCase,
    causes,
    household_size: int,
    income_per_capita,
    filed_on: date,
    above_threshold_reason: str = "",
    health_details: str = "",
    actor=None,
) -> HardshipCase:
    """Correct an open case's facts. The level changes only through a review, so
    its history stays in the reviews; empty health details keep the ones on file."""
    errors: dict = {}
    _open(case, errors)
    causes, income, reason = _case_facts(
        union=case.union,
        causes=causes,
        household_size=household_size,
        income_per_capita=income_per_capita,
        above_threshold_reason=above_threshold_reason,
        errors=errors,
    )
    _date(filed_on, field="filed_on", label="建档日期", errors=errors)
    first_review = case.reviews.order_by("on").first()
    if isinstance(filed_on, date) and first_review is not None and filed_on > first_review.on:
        errors["filed_on"] = f"建档日期不能晚于首次复核日期{first_review.on:%Y-%m-%d}"
    _raise(errors)
    _require_consents(case.member, health_details)
    case.causes = causes
    case.household_size = household_size
    case.income_per_capita = income
    case.above_threshold_reason = reason
    case.filed_on = filed_on
    fields = ["causes", "household_size", "income_per_capita", "above_threshold_reason", "filed_on"]
    health_details = (health_details or "").strip()
    if health_details:
        case.health_details = health_details
        fields.append("health_details")
    case.save(update_fields=fields)
    return case


def _open(case: HardshipCase, errors: dict) -> None:
    case.refresh_from_db(fields=["closed_on"])
    if not case.is_open:
        errors["case"] = f"该档案已于{case.closed_on:%Y-%m-%d}解除，不能再操作"


@transaction.atomic
def review_case(
    *,
    case: HardshipCase,
    on: date,
    outcome: str,
    new_level: str = "",
    note: str = "",
    actor=None,
) -> CaseReview:
    """Record a yearly review; 调整级别 changes the level, 解除 closes the case."""
    errors: dict = {}
    _open(case, errors)
    _date(on, field="on", label="复核日期", errors=errors)
    if isinstance(on, date) and on < case.filed_on:
        errors["on"] = f"复核日期不能早于建档日期{case.filed_on:%Y-%m-%d}"
    _choice(outcome, ReviewOutcome, field="outcome", label="复核结论", errors=errors)
    note = _text(note, field="note", label="说明", max_length=200, errors=errors)
    if outcome == ReviewOutcome.ADJUST:
        if new_level not in HardshipLevel.values:
            errors["new_level"] = "复核结论为调整级别时，请选择调整后的困难类别"
        elif new_level == case.level:
            errors["new_level"] = f"调整后的类别与现有类别“{case.get_level_display()}”相同"
    if outcome == ReviewOutcome.RELEASE and not note:
        errors["note"] = "复核结论为解除时，请在说明中填写解除理由"
    _raise(errors)
    review = CaseReview.objects.create(
        union_id=case.union_id,
        case=case,
        on=on,
        outcome=outcome,
        new_level=new_level if outcome == ReviewOutcome.ADJUST else "",
        note=note,
        reviewed_by=actor,
    )
    if outcome == ReviewOutcome.ADJUST:
        HardshipCase.objects.filter(pk=case.pk).update(level=new_level)
    elif outcome == ReviewOutcome.RELEASE:
        HardshipCase.objects.filter(pk=case.pk).update(closed_on=on, close_reason=note)
    case.refresh_from_db()
    return review


@transaction.atomic
def close_case(*, case: HardshipCase, on: date, reason: str, actor=None) -> HardshipCase:
    """Close a case with the date and reason."""
    errors: dict = {}
    _open(case, errors)
    _date(on, field="on", label="解除日期", errors=errors)
    if isinstance(on, date) and on < case.filed_on:
        errors["on"] = f"解除日期不能早于建档日期{case.filed_on:%Y-%m-%d}"
    reason = _text(reason, field="reason", label="解除理由", max_length=200, errors=errors)
    if not reason and "reason" not in errors:
        errors["reason"] = "请填写解除理由"
    _raise(errors)
    changed = HardshipCase.objects.filter(pk=case.pk, closed_on__isnull=True).update(
        closed_on=on, close_reason=reason
    )
    if changed != 1:
        raise ValidationError({"case": "该档案已经解除"})
    case.refresh_from_db()
    return case


@transaction.atomic
def reveal_health_details(*, case: HardshipCase, reason: str, user) -> str:
    """Return a case's health details and log who saw them and why.

    The caller must have checked care.reveal (orgs.access)."""
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise ValidationError({"reason": "请填写查看理由（至少2个字）"})
    if len(reason) > 200:
        raise ValidationError({"reason": "查看理由不能超过200个字"})
    AccessLog.objects.create(
        user=user,
        union_id=case.union_id,
        subject=case.member.name,
        object_type="hardship_case",
        object_id=str(case.pk),
        field="健康状况",
        reason=reason,
    )
    return case.health_details


# Assistance ----------------------------------------------------------------------------


@transaction.atomic
def record_assistance(
    *,
    member: Member,
    kind: str,
    source: str,
    amount,
    on: date,
    case: HardshipCase | None = None,
    reason: str = "",
    line: BudgetLine | None = None,
    voucher: str = "",
    actor=None,
) -> Assistance:
    """Record assistance awaiting the committee's approval."""
    errors: dict = {}
    union = member.union
    _on_roll(member, field="member", errors=errors)
    if case is not None:
        if case.member_id != member.pk:
            errors["case"] = "所选困难档案不是该会员的"
        elif not case.is_open:
            errors["case"] = "所选困难档案已解除"
    _choice(kind, AssistanceKind, field="kind", label="帮扶类型", errors=errors)
    _choice(source, AssistanceSource, field="source", label="资金来源", errors=errors)
    amount = _money(amount, field="amount", label="帮扶金额", errors=errors)
    _date(on, field="on", label="帮扶日期", errors=errors)
    reason = _text(reason, field="reason", label="事由", max_length=200, errors=errors)
    voucher = _text(voucher, field="voucher", label="凭证号", max_length=40, errors=errors)
    if source == AssistanceSource.FUND:
        _line_error(line, union, errors=errors)
        if not voucher:
            errors["voucher"] = "资金来源为本会经费时请填写凭证号"
    _raise(errors)
    return Assistance.objects.create(
        union=union,
        case=case,
        member=member,
        kind=kind,
        source=source,
        amount=amount,
        on=on,
        reason=reason,
        line=line if source == AssistanceSource.FUND else None,
        voucher=voucher,
        created_by=actor,
    )


@transaction.atomic
def approve_assistance(
    *, assistance: Assistance, actor, over_budget_reason: str = ""
) -> Assistance:
    """The committee approves; assistance from the union's fund is paid now."""
    errors: dict = {}
    changed = Assistance.objects.filter(pk=assistance.pk, approved_at__isnull=True).update(
        approved_by=actor, approved_at=timezone.now()
    )
    if changed != 1:
        errors["assistance"] = "该帮扶已经批准，无需重复批准"
    member = Member.objects.get(pk=assistance.member_id)
    _on_roll(member, field="member", errors=errors)
    _raise(errors)
    assistance.refresh_from_db()
    if assistance.source == AssistanceSource.FUND:
        _pay(
            union=assistance.union,
            amount=assistance.amount,
            line=assistance.line,
            on=assistance.on,
            payee=member.name,
            voucher=assistance.voucher,
            pays_for=assistance,
            key=f"care.assistance.{assistance.pk}",
            over_budget_reason=over_budget_reason,
            note=f"{assistance.get_kind_display()} {assistance.reason}".strip(),
            actor=actor,
        )
    return assistance


# Donation campaigns --------------------------------------------------------------------


@transaction.atomic
def open_campaign(
    *,
    union: Union,
    purpose: str,
    opens_on: date,
    closes_on: date,
    beneficiary: Member | None = None,
    beneficiary_name: str = "",
    actor=None,
) -> DonationCampaign:
    errors: dict = {}
    purpose = _text(purpose, field="purpose", label="捐款事由", max_length=120, errors=errors)
    if not purpose and "purpose" not in errors:
        errors["purpose"] = "捐款事由不能为空"
    name = _text(
        beneficiary_name, field="beneficiary_name", label="受助人", max_length=60, errors=errors
    )
    if beneficiary is not None and name:
        errors["beneficiary_name"] = "受助人为本会会员时，不用再填写非会员受助人"
    elif beneficiary is None and not name and "beneficiary_name" not in errors:
        errors["beneficiary"] = "请选择受助会员，或填写非会员受助人姓名"
    elif beneficiary is not None and beneficiary.union_id != union.pk:
        errors["beneficiary"] = "所选受助人不是本工会会员"
    _date(opens_on, field="opens_on", label="开始日期", errors=errors)
    _date(closes_on, field="closes_on", label="截止日期", errors=errors)
    if isinstance(opens_on, date) and isinstance(closes_on, date) and closes_on < opens_on:
        errors["closes_on"] = "截止日期不能早于开始日期"
    _raise(errors)
    return DonationCampaign.objects.create(
        union=union,
        purpose=purpose,
        beneficiary=beneficiary,
        beneficiary_name=name,
        opens_on=opens_on,
        closes_on=closes_on,
        created_by=actor,
    )


@transaction.atomic
def record_donation(
    *,
    campaign: DonationCampaign,
    amount,
    on: date,
    channel: str,
    donor: Member | None = None,
    donor_name: str = "",
    anonymous: bool = False,
    show_amount: bool = False,
    idempotency_key: str,
    actor=None,
) -> Donation:
    """Record one donation within the campaign's dates; a second call with the
    same key returns the first donation."""
    _key_error(idempotency_key)
    union = campaign.union
    existing = Donation.objects.filter(union=union, idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing
    errors: dict = {}
    amount = _money(amount, field="amount", label="捐款金额", errors=errors)
    _date(on, field="on", label="捐款日期", errors=errors)
    if isinstance(on, date) and not campaign.opens_on <= on <= campaign.closes_on:
        errors["on"] = (
            f"捐款日期{on:%Y-%m-%d}不在捐款活动期间"
            f"（{campaign.opens_on:%Y-%m-%d}至{campaign.closes_on:%Y-%m-%d}）内"
        )
    _choice(channel, Channel, field="channel", label="捐款方式", errors=errors)
    name = _text(donor_name, field="donor_name", label="捐款人", max_length=60, errors=errors)
    if donor is not None and name:
        errors["donor_name"] = "捐款人为本会会员时，不用再填写非会员姓名"
    elif donor is not None and donor.union_id != union.pk:
        errors["donor"] = "所选捐款人不是本工会会员"
    elif donor is None and not name and not anonymous and "donor_name" not in errors:
        errors["donor"] = "请选择捐款会员、填写非会员姓名，或勾选匿名"
    _raise(errors)
    try:
        with transaction.atomic():
            return Donation.objects.create(
                union=union,
                campaign=campaign,
                donor=donor,
                donor_name=name,
                anonymous=bool(anonymous),
                amount=amount,
                on=on,
                channel=channel,
                show_amount=bool(show_amount),
                idempotency_key=idempotency_key,
                created_by=actor,
            )
    except IntegrityError:
        return Donation.objects.get(union=union, idempotency_key=idempotency_key)


@transaction.atomic
def contribute_from_fund(
    *,
    campaign: DonationCampaign,
    amount,
    on: date,
    line: BudgetLine,
    voucher: str,
    idempotency_key: str,
    over_budget_reason: str = "",
    actor,
) -> FundContribution:
    """The union fund's contribution to a campaign, paid through finance."""
    _key_error(idempotency_key)
    union = campaign.union
    paid = Payment.objects.filter(union=union, idempotency_key=idempotency_key).first()
    if paid is not None and isinstance(paid.pays_for, FundContribution):
        return paid.pays_for
    errors: dict = {}
    amount = _money(amount, field="amount", label="资助金额", errors=errors)
    _date(on, field="on", label="日期", errors=errors)
    _line_error(line, union, errors=errors)
    _raise(errors)
    contribution = FundContribution.objects.create(
        union=union, campaign=campaign, amount=amount, on=on, line=line, created_by=actor
    )
    _pay(
        union=union,
        amount=amount,
        line=line,
        on=on,
        payee=campaign.beneficiary_label or campaign.purpose,
        voucher=voucher,
        pays_for=contribution,
        key=idempotency_key,
        over_budget_reason=over_budget_reason,
        note=f"爱心捐款：{campaign.purpose}",
        actor=actor,
    )
    return contribution


@transaction.atomic
def hand_over(
    *,
    campaign: DonationCampaign,
    amount,
    on: date,
    delivered_by: Member | None = None,
    note: str = "",
    actor=None,
) -> Handover:
    """Record money delivered to the beneficiary; never more than was raised
    plus the fund's contribution, less what was already delivered."""
    errors: dict = {}
    amount = _money(amount, field="amount", label="交付金额", errors=errors)
    _date(on, field="on", label="交付日期", errors=errors)
    if isinstance(on, date) and on < campaign.opens_on:
        errors["on"] = f"交付日期不能早于捐款开始日期{campaign.opens_on:%Y-%m-%d}"
    if delivered_by is not None and delivered_by.union_id != campaign.union_id:
        errors["delivered_by"] = "交付人不是本工会会员"
    note = _text(note, field="note", label="说明", max_length=200, errors=errors)
    totals = queries.campaign_totals(campaign)
    if amount is not None and amount > totals["available"]:
        errors["amount"] = (
            f"交付金额{amount}元超过可交付金额{totals['available']}元"
            f"（募集{totals['raised']}元＋工会资助{totals['fund']}元，"
            f"已交付{totals['delivered']}元）"
        )
    _raise(errors)
    return Handover.objects.create(
        union_id=campaign.union_id,
        campaign=campaign,
        amount=amount,
        on=on,
        delivered_by=delivered_by,
        note=note,
        created_by=actor,
    )


# School aid ----------------------------------------------------------------------------


@transaction.atomic
def apply_school_aid(
    *,
    member: Member,
    child_name: str,
    school: str,
    grade: str,
    new_admission: bool,
    applied_on: date,
    actor=None,
) -> SchoolAid:
    errors: dict = {}
    _on_roll(member, field="member", errors=errors)
    values = {}
    for field, label, limit, value in (
        ("child_name", "子女姓名", 40, child_name),
        ("school", "学校", 80, school),
        ("grade", "年级", 40, grade),
    ):
        values[field] = _text(value, field=field, label=label, max_length=limit, errors=errors)
        if not values[field] and field not in errors:
            errors[field] = f"{label}不能为空"
    _date(applied_on, field="applied_on", label="申请日期", errors=errors)
    _raise(errors)
    return SchoolAid.objects.create(
        union_id=member.union_id,
        member=member,
        new_admission=bool(new_admission),
        applied_on=applied_on,
        **values,
    )


def _pending(aid: SchoolAid, errors: dict) -> None:
    aid.refresh_from_db(fields=["state"])
    if aid.state != AidState.PENDING:
        errors["aid"] = f"该申请已{aid.get_state_display()}，不能再审批"


@transaction.atomic
def approve_school_aid(
    *,
    aid: SchoolAid,
    amount,
    on: date,
    line: BudgetLine,
    voucher: str,
    over_budget_reason: str = "",
    actor,
) -> SchoolAid:
    """Approve an application and pay the amount through finance."""
    errors: dict = {}
    _pending(aid, errors)
    _on_roll(aid.member, field="member", errors=errors)
    amount = _money(amount, field="amount", label="资助金额", errors=errors)
    _date(on, field="on", label="审批日期", errors=errors)
    _line_error(line, aid.union, errors=errors)
    _raise(errors)
    changed = SchoolAid.objects.filter(pk=aid.pk, state=AidState.PENDING).update(
        state=AidState.APPROVED, amount=amount, decided_on=on, decided_by=actor, line=line
    )
    if changed != 1:
        raise ValidationError({"aid": "该申请已经审批"})
    aid.refresh_from_db()
    _pay(
        union=aid.union,
        amount=amount,
        line=line,
        on=on,
        payee=aid.member.name,
        voucher=voucher,
        pays_for=aid,
        key=f"care.school_aid.{aid.pk}",
        over_budget_reason=over_budget_reason,
        note=f"金秋助学：{aid.child_name}（{aid.school}）",
        actor=actor,
    )
    return aid


@transaction.atomic
def decline_school_aid(*, aid: SchoolAid, on: date, reason: str, actor) -> SchoolAid:
    errors: dict = {}
    _pending(aid, errors)
    _date(on, field="on", label="审批日期", errors=errors)
    reason = _text(reason, field="reason", label="未批准理由", max_length=200, errors=errors)
    if not reason and "reason" not in errors:
        errors["reason"] = "请填写未批准的理由"
    _raise(errors)
    SchoolAid.objects.filter(pk=aid.pk, state=AidState.PENDING).update(
        state=AidState.DECLINED, decline_reason=reason, decided_on=on, decided_by=actor
    )
    aid.refresh_from_db()
    return aid


# Festival gifts ---------------------------------------------------------------------------


@transaction.atomic
def distribute_gifts(
    *,
    union: Union,
    occasion: str,
    on: date,
    amount_per_person,
    members,
    description: str = "",
    line: BudgetLine | None = None,
    voucher: str = "",
    over_cap_reason: str = "",
    over_budget_reason: str = "",
    idempotency_key: str = "",
    actor=None,
) -> FestivalDistribution:
    """Give each member the same amount. Anyone taken over the union's yearly
    cap is listed on the distribution, which then needs a recorded reason.
    A second call with the same idempotency key returns the first distribution
    and writes nothing (callers without a form may leave the key blank)."""
    if idempotency_key:
        _key_error(idempotency_key)
        existing = FestivalDistribution.objects.filter(
            union=union, idempotency_key=idempotency_key
        ).first()
        if existing is not None:
            return existing
    errors: dict = {}
    _choice(occasion, Occasion, field="occasion", label="节日", errors=errors)
    _date(on, field="on", label="发放日期", errors=errors)
    amount = _money(amount_per_person, field="amount_per_person", label="每人标准", errors=errors)
    members = _own_members(members, union, field="members", errors=errors, label="发放对象中")
    members = list({m.pk: m for m in members}.values())
    if not members and "members" not in errors:
        errors["members"] = "发放对象为空，请调整筛选条件"
    gone = [m.name for m in members if m.status != Status.ACTIVE]
    if gone and "members" not in errors:
        errors["members"] = "以下人员已不在册，不能发放：" + "、".join(gone)
    description = _text(
        description, field="description", label="慰问品", max_length=200, errors=errors
    )
    reason = _text(
        over_cap_reason, field="over_cap_reason", label="超限理由", max_length=200, errors=errors
    )
    if line is not None:
        _line_error(line, union, errors=errors)
        if not (voucher or "").strip():
            errors["voucher"] = "选择了预算科目时请填写凭证号"
    _raise(errors)
    cap = queries.settings_of(union).festival_gift_cap_per_year
    received = dict(
        GiftRecipient.objects.filter(member__in=members, distribution__on__year=on.year)
        .values_list("member_id")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    over = [
        f"{m.name}（已发{(received.get(m.pk) or ZERO).quantize(CENT)}元，"
        f"本次后{((received.get(m.pk) or ZERO) + amount).quantize(CENT)}元）"
        for m in members
        if (received.get(m.pk) or ZERO) + amount > cap
    ]
    if over and not reason:
        raise ValidationError(
            {
                "over_cap_reason": (
                    f"以下会员{on.year}年节日慰问将超过本会年度限额{cap}元，请填写超限理由："
                    + "；".join(over)
                )
            }
        )
    try:
        with transaction.atomic():
            distribution = FestivalDistribution.objects.create(
                union=union,
                occasion=occasion,
                on=on,
                description=description,
                amount_per_person=amount,
                total=amount * len(members),
                line=line,
                over_cap=bool(over),
                over_cap_members="；".join(over),
                over_cap_reason=reason if over else "",
                idempotency_key=idempotency_key,
                created_by=actor,
            )
    except IntegrityError:
        # Another submit of the same form won the race; it is the distribution.
        return FestivalDistribution.objects.get(union=union, idempotency_key=idempotency_key)
    GiftRecipient.objects.bulk_create(
        [
            GiftRecipient(union=union, distribution=distribution, member=m, amount=amount)
            for m in members
        ]
    )
    if line is not None:
        _pay(
            union=union,
            amount=distribution.total,
            line=line,
            on=on,
            payee=f"{Occasion(occasion).label}慰问{len(members)}人",
            voucher=voucher,
            pays_for=distribution,
            key=f"care.gift.{distribution.pk}",
            over_budget_reason=over_budget_reason,
            note=f"{Occasion(occasion).label}慰问 {description}".strip(),
            actor=actor,
        )
    return distribution


# Medical mutual aid ----------------------------------------------------------------------


@transaction.atomic
def enrol_mutual_aid(
    *, member: Member, year: int, premium, enrolled_on: date, actor=None
) -> MutualAidEnrolment:
    """Enrol a member in a year's medical mutual aid, once per year."""
    errors: dict = {}
    _on_roll(member, field="member", errors=errors)
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        errors["year"] = f"年度“{year}”无效，应为2000至2100之间的年份"
    premium = _money(premium, field="premium", label="互助金", errors=errors)
    _date(enrolled_on, field="enrolled_on", label="参保日期", errors=errors)
    taken = f"{member.name}已参加{year}年度医疗互助，不能重复参保"
    if MutualAidEnrolment.objects.filter(member=member, year=year).exists():
        errors["year"] = taken
    _raise(errors)
    try:
        with transaction.atomic():
            return MutualAidEnrolment.objects.create(
                union_id=member.union_id,
                member=member,
                year=year,
                premium=premium,
                enrolled_on=enrolled_on,
                created_by=actor,
            )
    except IntegrityError as e:
        raise ValidationError({"year": taken}) from e


# The members' portal ------------------------------------------------------------------


def _day(value: date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


@transaction.atomic
def donate_online(
    *,
    campaign: DonationCampaign,
    member: Member,
    amount,
    channel: str,
    show_amount: bool = False,
    anonymous: bool = False,
    idempotency_key: str,
    actor=None,
    today: date | None = None,
) -> Donation:
    """A member's own donation from the portal, dated today. Only a campaign of
    the member's union that is open today takes it; a second submit of the same
    form (same key) returns the first donation."""
    _key_error(idempotency_key)
    existing = Donation.objects.filter(
        union_id=campaign.union_id, idempotency_key=idempotency_key
    ).first()
    if existing is not None:
        return existing
    today = today or timezone.localdate()
    errors: dict = {}
    if member.union_id != campaign.union_id:
        errors["campaign"] = "该捐款活动不属于您所在的工会"
    elif today < campaign.opens_on:
        errors["campaign"] = f"本次捐款{_day(campaign.opens_on)}才开始，请届时再捐"
    elif today > campaign.closes_on:
        errors["campaign"] = f"本次捐款已于{_day(campaign.closes_on)}截止，不再接受捐款"
    _on_roll(member, field="member", errors=errors)
    _raise(errors)
    return record_donation(
        campaign=campaign,
        amount=amount,
        on=today,
        channel=channel,
        donor=member,
        anonymous=anonymous,
        show_amount=show_amount,
        idempotency_key=idempotency_key,
        actor=actor,
    )


@transaction.atomic
def apply_school_aid_online(
    *,
    member: Member,
    child_name: str,
    school: str,
    grade: str,
    new_admission: bool,
    actor=None,
    today: date | None = None,
) -> SchoolAid:
    """A member's own application from the portal, dated today; a child with an
    application still awaiting the committee is not applied for twice."""
    name = (child_name or "").strip()
    waiting = SchoolAid.objects.filter(
        member=member, child_name=name, state=AidState.PENDING
    ).first()
    if name and waiting is not None:
        raise ValidationError(
            {
                "child_name": (
                    f"{name}的助学申请（{_day(waiting.applied_on)}提交）正在等待审批，请勿重复申请"
                )
            }
        )
    return apply_school_aid(
        member=member,
        child_name=child_name,
        school=school,
        grade=grade,
        new_admission=new_admission,
        applied_on=today or timezone.localdate(),
        actor=actor,
    )
