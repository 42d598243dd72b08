"""Every write to members' opinions: submitting (by the member, by a liaison
for them, or from another area such as a proposal converted to an opinion),
judging, assigning a handler, recording implementation and rewarding. A
reward the union pays from its fund is booked through
finance.services.record_payment in the same transaction, linked to the
opinion (`pays_for`)."""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gonghui.finance import services as finance
from gonghui.finance.models import EXPENDITURE_CATEGORIES, BudgetLine
from gonghui.members.models import Member, Status
from gonghui.orgs.models import Department, Union
from gonghui.voice.models import Category, Kind, Opinion, State

TITLE_MAX = 120
CONTENT_MAX = 3000
REASON_MAX = 300
CENT = Decimal("0.01")


def _source_link(source) -> dict:
    if source is None:
        return {"source_type": None, "source_id": None}
    if source.pk is None:
        raise ValidationError({"source": "来源记录尚未保存"})
    return {"source_type": ContentType.objects.get_for_model(source), "source_id": source.pk}


@transaction.atomic
def submit_opinion(
    *,
    union: Union,
    member: Member,
    content: str,
    category: str = "other",
    title: str = "",
    recorded_by=None,
    source=None,
    actor=None,
    kind: str = Kind.OPINION,
    submitted_on: date | None = None,
) -> Opinion:
    """A member's opinion or suggestion. `recorded_by` is the liaison who
    wrote it down for the member; `source` the record it came from."""
    errors: dict = {}
    content = (content or "").strip()
    title = (title or "").strip()
    if not content:
        errors["content"] = "意见内容不能为空"
    elif len(content) > CONTENT_MAX:
        errors["content"] = f"意见内容不能超过{CONTENT_MAX}个字"
    if len(title) > TITLE_MAX:
        errors["title"] = f"标题不能超过{TITLE_MAX}个字"
    if category not in Category.values:
        errors["category"] = f"类别“{category or ''}”不在可选范围内"
    if kind not in Kind.values:
        errors["kind"] = f"类型“{kind or ''}”不在可选范围内"
    if member is None or member.union_id != union.pk:
        errors["member"] = "提出人不是本工会会员"
    elif member.status != Status.ACTIVE:
        errors["member"] = f"{member.name}不是在册会员，不能提出意见"
    today = timezone.localdate()
    submitted_on = submitted_on or today
    if submitted_on > today:
        errors["submitted_on"] = f"提出日期{submitted_on:%Y-%m-%d}不能晚于今天"
    if errors:
        raise ValidationError(errors)
    return Opinion.objects.create(
        union=union,
        member=member,
        kind=kind,
        category=category,
        title=title,
        content=content,
        submitted_on=submitted_on,
        recorded_by=recorded_by,
        **_source_link(source),
    )


@transaction.atomic
def judge(
    *,
    opinion: Opinion,
    valid: bool,
    reason: str = "",
    on: date | None = None,
    handler_department: Department | None = None,
    handler: Member | None = None,
    deadline: date | None = None,
    actor,
) -> Opinion:
    """认定: valid (then handled, optionally given a handler and deadline
    here) or not valid, which needs a reason the member will read. An opinion
    already implemented is not judged again."""
    on = on or timezone.localdate()
    reason = (reason or "").strip()
    errors: dict = {}
    if opinion.state == State.IMPLEMENTED:
        raise ValidationError({"valid": "该意见已落实，不能重新认定"})
    if not valid and not reason:
        errors["reason"] = "不予采纳须填写理由"
    if len(reason) > REASON_MAX:
        errors["reason"] = f"理由不能超过{REASON_MAX}个字"
    if on < opinion.submitted_on:
        errors["on"] = f"认定日期{on:%Y-%m-%d}不能早于提出日期{opinion.submitted_on:%Y-%m-%d}"
    if errors:
        raise ValidationError(errors)
    opinion.state = State.HANDLING if valid else State.INVALID
    opinion.judged_on, opinion.judgement_reason, opinion.judged_by = on, reason, actor
    opinion.save(update_fields=["state", "judged_on", "judgement_reason", "judged_by"])
    if valid and (handler_department or handler or deadline):
        assign(
            opinion=opinion,
            handler_department=handler_department,
            handler=handler,
            deadline=deadline,
            actor=actor,
        )
    return opinion


@transaction.atomic
def assign(
    *,
    opinion: Opinion,
    handler_department: Department | None = None,
    handler: Member | None = None,
    deadline: date | None = None,
    actor,
) -> Opinion:
    """Give a valid opinion its handling department or person and deadline."""
    errors: dict = {}
    if opinion.state != State.HANDLING:
        raise ValidationError({"handler": "只有认定为有效、尚未落实的意见才能交办"})
    if handler_department is None and handler is None:
        errors["handler"] = "请选择承办部门或承办人"
    if handler_department is not None and handler_department.union_id != opinion.union_id:
        errors["handler_department"] = "承办部门不属于本工会"
    if handler is not None and handler.union_id != opinion.union_id:
        errors["handler"] = "承办人不是本工会会员"
    if deadline is None:
        errors["deadline"] = "请填写办理期限"
    elif opinion.judged_on and deadline < opinion.judged_on:
        errors["deadline"] = (
            f"办理期限{deadline:%Y-%m-%d}不能早于认定日期{opinion.judged_on:%Y-%m-%d}"
        )
    if errors:
        raise ValidationError(errors)
    if handler_department is None and handler is not None:
        handler_department = handler.department
    opinion.handler_department, opinion.handler, opinion.deadline = (
        handler_department,
        handler,
        deadline,
    )
    opinion.save(update_fields=["handler_department", "handler", "deadline"])
    return opinion


@transaction.atomic
def implement(*, opinion: Opinion, on: date, implementation: str, actor) -> Opinion:
    """落实: the date and what was done. Evidence is attached to the opinion."""
    implementation = (implementation or "").strip()
    errors: dict = {}
    if opinion.state != State.HANDLING:
        label = State(opinion.state).label
        raise ValidationError({"implemented_on": f"该意见当前为“{label}”，不能登记落实"})
    if not isinstance(on, date):
        errors["implemented_on"] = "落实日期不能为空"
    elif on > timezone.localdate():
        errors["implemented_on"] = f"落实日期{on:%Y-%m-%d}不能晚于今天"
    elif opinion.judged_on and on < opinion.judged_on:
        errors["implemented_on"] = (
            f"落实日期{on:%Y-%m-%d}不能早于认定日期{opinion.judged_on:%Y-%m-%d}"
        )
    if not implementation:
        errors["implementation"] = "请填写落实情况"
    elif len(implementation) > CONTENT_MAX:
        errors["implementation"] = f"落实情况不能超过{CONTENT_MAX}个字"
    if errors:
        raise ValidationError(errors)
    opinion.state, opinion.implemented_on, opinion.implementation = (
        State.IMPLEMENTED,
        on,
        implementation,
    )
    opinion.save(update_fields=["state", "implemented_on", "implementation"])
    return opinion


@transaction.atomic
def reward(
    *,
    opinion: Opinion,
    amount,
    on: date,
    line: BudgetLine | None = None,
    voucher: str = "",
    over_budget_reason: str = "",
    actor,
):
    """奖励 a valid opinion. With a budget line the union pays it: a
    finance payment linked to the opinion, booked in this transaction (a
    refused payment refuses the reward). Without one, the reward is recorded
    only (paid by the company, for instance). An opinion is rewarded once."""
    errors: dict = {}
    if opinion.state not in (State.HANDLING, State.IMPLEMENTED):
        raise ValidationError({"amount": "只有有效意见才能奖励"})
    if opinion.rewarded_on is not None:
        raise ValidationError(
            {"amount": f"该意见已于{opinion.rewarded_on:%Y-%m-%d}奖励{opinion.reward_amount}元"}
        )
    if isinstance(amount, float):
        amount = str(amount)
    try:
        value = Decimal(str(amount).strip())
    except (InvalidOperation, ValueError):
        value = None
    if value is None or not value.is_finite():
        errors["amount"] = f"奖励金额“{amount}”不是有效的数字"
    elif value <= 0:
        errors["amount"] = "奖励金额必须大于0"
    elif value != value.quantize(CENT):
        errors["amount"] = "奖励金额最多保留两位小数"
    if not isinstance(on, date):
        errors["on"] = "奖励日期不能为空"
    elif on > timezone.localdate():
        errors["on"] = f"奖励日期{on:%Y-%m-%d}不能晚于今天"
    elif on < opinion.submitted_on:
        errors["on"] = f"奖励日期{on:%Y-%m-%d}不能早于提出日期{opinion.submitted_on:%Y-%m-%d}"
    if line is not None:
        if line.union_id != opinion.union_id:
            errors["line"] = "预算科目不属于本工会"
        if not (voucher or "").strip():
            errors["voucher"] = "由工会经费支付须填写凭证号"
    if errors:
        raise ValidationError(errors)
    value = value.quantize(CENT)
    opinion.reward_amount, opinion.rewarded_on = value, on
    opinion.save(update_fields=["reward_amount", "rewarded_on"])
    payment = None
    if line is not None:
        payment = finance.record_payment(
            union=opinion.union,
            amount=value,
            line=line,
            on=on,
            payee=opinion.member.name,
            voucher=voucher,
            pays_for=opinion,
            idempotency_key=f"voice-reward-{opinion.pk}",
            over_budget_reason=over_budget_reason,
            note=f"合理化建议奖励：{opinion.headline}"[:200],
            actor=actor,
        )
    return payment


def expenditure_lines(union: Union, year: int):
    """The budget lines a reward may be paid from."""
    return BudgetLine.objects.filter(
        union=union, fiscal_year__year=year, category__in=EXPENDITURE_CATEGORIES
    ).order_by("category", "name")


def handles(opinion: Opinion, member: Member) -> bool:
    """The member is the opinion's handler, or a 职能部门承办人 (Role.HANDLER)
    of its handling department."""
    from gonghui.voice.queries import is_handler

    if opinion.union_id != member.union_id:
        return False
    if opinion.handler_id == member.pk:
        return True
    return (
        opinion.handler_department_id is not None
        and opinion.handler_department_id == member.department_id
        and is_handler(member)
    )


@transaction.atomic
def implement_by_handler(*, opinion: Opinion, member: Member, on: date, implementation: str):
    """The handler records implementation in the portal."""
    if not handles(opinion, member):
        raise ValidationError(
            {"implemented_on": "该意见不是交给您或您所在部门办理的，不能登记落实"}
        )
    return implement(opinion=opinion, on=on, implementation=implementation, actor=member.user)
