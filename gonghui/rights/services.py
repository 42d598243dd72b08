"""Every write and workflow rule of 维权.

A collective contract goes: negotiation rounds and draft versions → the
congress's vote on the draft → signing (only after a passing vote) → filing
with the labour authority (never dated before the signing) → yearly
execution checks. A mediation case closes once, as 调解成功 (an agreement
both parties confirmed), 调解不成 (the applicant is told to apply for
arbitration) or withdrawn; its days to close are kept on the case.
"""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from gonghui.democracy.models import ResolutionState
from gonghui.members.models import Member
from gonghui.orgs.models import Union
from gonghui.rights.models import (
    Claim,
    Consultation,
    ConsultationOutcome,
    Contract,
    ContractKind,
    DisputeCase,
    Draft,
    ExecutionCheck,
    MediationSession,
    NegotiationRound,
    Outcome,
    SupervisionArea,
    SupervisionCheck,
    Topic,
)


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def _text(value, *, field: str, label: str, max_length: int, errors: dict, required=False) -> str:
    value = (value or "").strip()
    if required and not value:
        errors[field] = f"请填写{label}"
    elif len(value) > max_length:
        errors[field] = f"{label}不能超过{max_length}个字"
    return value


def _day(value, *, field: str, label: str, errors: dict, not_future=True) -> bool:
    """True when `value` is a date (not after today when `not_future`)."""
    if not isinstance(value, date):
        errors[field] = f"请填写{label}"
        return False
    if not_future and value > timezone.localdate():
        errors[field] = f"{label}不能晚于今天"
        return False
    return True


def _choice(value, choices, *, field: str, label: str, errors: dict) -> None:
    if value not in choices.values:
        errors[field] = f"{label}“{value or ''}”不在可选范围内"


def _count(value, *, field: str, label: str, errors: dict) -> int:
    if value is None or value == "":
        errors[field] = f"请填写{label}"
        return 0
    if isinstance(value, bool) or not isinstance(value, int):
        try:
            value = int(str(value).strip())
        except ValueError:
            errors[field] = f"{label}“{value}”不是整数"
            return 0
    if value < 0:
        errors[field] = f"{label}不能为负数"
        return 0
    if value > 10_000_000:
        errors[field] = f"{label}“{value}”过大"
        return 0
    return value


def _decimal(value, *, field: str, label: str, places: int, ceiling, errors: dict):
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value).strip())
        if not number.is_finite():
            raise InvalidOperation
    except InvalidOperation:
        errors[field] = f"{label}“{value}”不是数字"
        return None
    if number < 0:
        errors[field] = f"{label}不能为负数"
        return None
    if number >= ceiling:
        errors[field] = f"{label}“{value}”过大"
        return None
    step = Decimal(1).scaleb(-places)
    if number != number.quantize(step):
        errors[field] = f"{label}最多保留{places}位小数"
        return None
    return number.quantize(step)


def _own_member(member, union_id: int, *, field: str, errors: dict):
    if member is not None and member.union_id != union_id:
        errors[field] = f"{member.name}不是本工会会员"


# Contracts -----------------------------------------------------------------------------


@transaction.atomic
def create_contract(
    *,
    union: Union,
    kind: str,
    title: str,
    employer: str,
    union_chief: str,
    employer_chief: str,
    starts_on: date,
    ends_on: date,
    workers_covered=0,
    wage_increase=None,
    actor=None,
) -> Contract:
    """A contract being negotiated: kind, term, parties and chief representatives."""
    errors: dict = {}
    _choice(kind, ContractKind, field="kind", label="合同类别", errors=errors)
    title = _text(
        title, field="title", label="合同名称", max_length=120, errors=errors, required=True
    )
    employer = _text(
        employer, field="employer", label="用人单位", max_length=120, errors=errors, required=True
    )
    union_chief = _text(
        union_chief,
        field="union_chief",
        label="职工方首席代表",
        max_length=40,
        errors=errors,
        required=True,
    )
    employer_chief = _text(
        employer_chief,
        field="employer_chief",
        label="企业方首席代表",
        max_length=40,
        errors=errors,
        required=True,
    )
    has_start = _day(starts_on, field="starts_on", label="期限起", errors=errors, not_future=False)
    has_end = _day(ends_on, field="ends_on", label="期限止", errors=errors, not_future=False)
    if has_start and has_end:
        if ends_on <= starts_on:
            errors["ends_on"] = "合同期限止须晚于期限起"
        elif (ends_on - starts_on).days > 366 * 3 + 1:
            errors["ends_on"] = "集体合同期限为一至三年，不能超过三年"
    workers_covered = _count(
        workers_covered, field="workers_covered", label="覆盖职工人数", errors=errors
    )
    increase = _decimal(
        wage_increase,
        field="wage_increase",
        label="约定工资增长幅度",
        places=2,
        ceiling=Decimal("1000"),
        errors=errors,
    )
    if increase is not None and kind not in (ContractKind.WAGE, ContractKind.COMPREHENSIVE):
        errors["wage_increase"] = "只有工资专项集体合同或综合集体合同约定工资增长幅度"
    _raise(errors)
    return Contract.objects.create(
        union=union,
        kind=kind,
        title=title,
        employer=employer,
        union_chief=union_chief,
        employer_chief=employer_chief,
        starts_on=starts_on,
        ends_on=ends_on,
        workers_covered=workers_covered,
        wage_increase=increase,
        created_by=actor,
    )


def _still_negotiating(contract: Contract, errors: dict) -> None:
    if contract.signed_on is not None:
        errors["contract"] = (
            f"“{contract}”已于{contract.signed_on:%Y-%m-%d}签署，不能再修改协商过程"
        )


def _before_passing_vote(contract: Contract, errors: dict) -> None:
    """Once the congress passed a draft, that text is what gets signed: no more
    rounds or drafts (a failed vote sends the parties back to the table)."""
    _still_negotiating(contract, errors)
    if contract.vote_passed and "contract" not in errors:
        errors["contract"] = (
            f"“{contract}”的草案已于{contract.vote_on:%Y-%m-%d}经职代会表决通过，"
            "协商已经结束，请登记签署"
        )


@transaction.atomic
def hold_round(
    *,
    contract: Contract,
    held_on: date,
    union_side: str,
    employer_side: str,
    issues: str,
    minutes: str = "",
    agreed: str = "",
    actor=None,
) -> NegotiationRound:
    """A negotiation round, numbered after the contract's previous ones."""
    errors: dict = {}
    _before_passing_vote(contract, errors)
    _day(held_on, field="held_on", label="协商日期", errors=errors)
    union_side = _text(
        union_side,
        field="union_side",
        label="职工方参加人员",
        max_length=1000,
        errors=errors,
        required=True,
    )
    employer_side = _text(
        employer_side,
        field="employer_side",
        label="企业方参加人员",
        max_length=1000,
        errors=errors,
        required=True,
    )
    issues = _text(
        issues, field="issues", label="协商议题", max_length=4000, errors=errors, required=True
    )
    minutes = _text(minutes, field="minutes", label="会议纪要", max_length=20000, errors=errors)
    agreed = _text(agreed, field="agreed", label="达成一致的事项", max_length=4000, errors=errors)
    if isinstance(held_on, date) and "held_on" not in errors:
        last = contract.rounds.order_by("-number").first()
        if last is not None and held_on < last.held_on:
            errors["held_on"] = (
                f"协商日期不能早于上一轮（第{last.number}轮，{last.held_on:%Y-%m-%d}）"
            )
    _raise(errors)
    number = (contract.rounds.aggregate(n=Max("number"))["n"] or 0) + 1
    return NegotiationRound.objects.create(
        union_id=contract.union_id,
        contract=contract,
        number=number,
        held_on=held_on,
        union_side=union_side,
        employer_side=employer_side,
        issues=issues,
        minutes=minutes,
        agreed=agreed,
        created_by=actor,
    )


@transaction.atomic
def add_draft(
    *, contract: Contract, prepared_on: date, text: str, note: str = "", actor=None
) -> Draft:
    errors: dict = {}
    _before_passing_vote(contract, errors)
    _day(prepared_on, field="prepared_on", label="形成日期", errors=errors)
    text = _text(
        text, field="text", label="草案文本", max_length=100_000, errors=errors, required=True
    )
    note = _text(note, field="note", label="修改说明", max_length=300, errors=errors)
    _raise(errors)
    version = (contract.drafts.aggregate(n=Max("version"))["n"] or 0) + 1
    return Draft.objects.create(
        union_id=contract.union_id,
        contract=contract,
        version=version,
        prepared_on=prepared_on,
        text=text,
        note=note,
        created_by=actor,
    )


def _votable(contract: Contract, on, errors: dict) -> None:
    """A vote may be recorded while negotiating, after a draft, not twice passed."""
    _still_negotiating(contract, errors)
    if contract.vote_passed:
        errors["contract"] = f"“{contract}”的草案已于{contract.vote_on:%Y-%m-%d}表决通过"
    latest = contract.drafts.order_by("-version").first()
    if latest is None:
        errors["contract"] = "还没有合同草案，不能提交职代会表决"
    elif isinstance(on, date) and on < latest.prepared_on and "on" not in errors:
        errors["on"] = (
            f"表决日期不能早于草案第{latest.version}稿形成日期（{latest.prepared_on:%Y-%m-%d}）"
        )


def _store_vote(contract: Contract, on: date, counts: tuple, passed: bool, resolution=None):
    contract.vote_on = on
    contract.votes_for, contract.votes_against, contract.votes_abstain = counts
    contract.vote_passed = passed
    contract.resolution = resolution
    contract.save(
        update_fields=[
            "vote_on",
            "votes_for",
            "votes_against",
            "votes_abstain",
            "vote_passed",
            "resolution",
        ]
    )
    return contract


@transaction.atomic
def record_vote(
    *, contract: Contract, on: date, votes_for, votes_against, votes_abstain, actor=None
) -> Contract:
    """The congress's vote on the latest draft: passed when more than half of the
    votes cast are for it. A failed vote may be retaken on a later draft."""
    errors: dict = {}
    _day(on, field="on", label="表决日期", errors=errors)
    yes = _count(votes_for, field="votes_for", label="赞成票", errors=errors)
    no = _count(votes_against, field="votes_against", label="反对票", errors=errors)
    abstain = _count(votes_abstain, field="votes_abstain", label="弃权票", errors=errors)
    if not errors and yes + no + abstain == 0:
        errors["votes_for"] = "表决票数合计不能为0"
    _votable(contract, on, errors)
    _raise(errors)
    return _store_vote(contract, on, (yes, no, abstain), yes * 2 > yes + no + abstain)


@transaction.atomic
def link_resolution(*, contract: Contract, resolution, actor=None) -> Contract:
    """Take the congress's vote from the democracy app's resolution on the draft:
    its session's date, its counts and its result (decided by the congress's own
    pass rule), and keep the link so the contract page leads to the vote."""
    errors: dict = {}
    on = None
    if resolution is None:
        errors["resolution"] = "请选择职代会决议表决"
    elif resolution.union_id != contract.union_id:
        errors["resolution"] = "该决议不是本工会职代会的决议"
    elif resolution.state == ResolutionState.PENDING:
        errors["resolution"] = f"决议“{resolution}”尚未表决"
    else:
        on = resolution.session.date
        if on > timezone.localdate():
            errors["resolution"] = f"决议“{resolution}”的会议日期晚于今天"
    _votable(contract, on, errors)
    if "on" in errors:
        errors["resolution"] = errors.pop("on").replace("表决日期", f"决议“{resolution}”的表决日期")
    _raise(errors)
    counts = (resolution.votes_for, resolution.votes_against, resolution.votes_abstain)
    passed = resolution.state == ResolutionState.PASSED
    return _store_vote(contract, on, counts, passed, resolution)


@transaction.atomic
def sign(*, contract: Contract, on: date, actor=None) -> Contract:
    errors: dict = {}
    if contract.signed_on is not None:
        errors["contract"] = f"“{contract}”已于{contract.signed_on:%Y-%m-%d}签署"
    elif not contract.vote_passed:
        errors["contract"] = "合同草案须经职代会表决通过后才能签署"
    if _day(on, field="on", label="签署日期", errors=errors) and contract.vote_on:
        if on < contract.vote_on:
            errors["on"] = f"签署日期不能早于职代会表决日期（{contract.vote_on:%Y-%m-%d}）"
    _raise(errors)
    changed = Contract.objects.filter(pk=contract.pk, signed_on__isnull=True).update(signed_on=on)
    if changed != 1:
        raise ValidationError({"contract": "该合同刚刚已被签署"})
    contract.refresh_from_db()
    return contract


@transaction.atomic
def file(*, contract: Contract, filed_with: str, on: date, actor=None) -> Contract:
    """备案 with the labour authority, on or after the signing date."""
    errors: dict = {}
    filed_with = _text(
        filed_with,
        field="filed_with",
        label="备案机关",
        max_length=80,
        errors=errors,
        required=True,
    )
    if contract.filed_on is not None:
        errors["contract"] = f"“{contract}”已于{contract.filed_on:%Y-%m-%d}备案"
    elif contract.signed_on is None:
        errors["contract"] = "合同尚未签署，不能备案"
    if _day(on, field="on", label="备案日期", errors=errors) and contract.signed_on:
        if on < contract.signed_on:
            errors["on"] = (
                f"备案日期 {on:%Y-%m-%d} 早于签署日期 {contract.signed_on:%Y-%m-%d}，"
                "合同须签署后才能报送备案"
            )
    _raise(errors)
    changed = Contract.objects.filter(pk=contract.pk, filed_on__isnull=True).update(
        filed_on=on, filed_with=filed_with
    )
    if changed != 1:
        raise ValidationError({"contract": "该合同刚刚已被备案"})
    contract.refresh_from_db()
    return contract


@transaction.atomic
def check_execution(
    *,
    contract: Contract,
    checked_on: date,
    clause: str,
    finding: str,
    fulfilled: bool = True,
    follow_up: str = "",
    actor=None,
) -> ExecutionCheck:
    """A yearly check of one clause; an unfulfilled clause needs its follow-up."""
    errors: dict = {}
    if contract.signed_on is None:
        errors["contract"] = "合同尚未签署，不能检查履约情况"
    if _day(checked_on, field="checked_on", label="检查日期", errors=errors):
        if contract.signed_on and checked_on < contract.signed_on:
            errors["checked_on"] = "检查日期不能早于合同签署日期"
    clause = _text(
        clause, field="clause", label="检查条款", max_length=200, errors=errors, required=True
    )
    finding = _text(
        finding, field="finding", label="履行情况", max_length=4000, errors=errors, required=True
    )
    follow_up = _text(
        follow_up, field="follow_up", label="整改跟进", max_length=4000, errors=errors
    )
    if not fulfilled and not follow_up:
        errors["follow_up"] = "条款未履行时请填写整改跟进措施"
    _raise(errors)
    return ExecutionCheck.objects.create(
        union_id=contract.union_id,
        contract=contract,
        year=checked_on.year,
        checked_on=checked_on,
        clause=clause,
        finding=finding,
        fulfilled=bool(fulfilled),
        follow_up=follow_up,
        created_by=actor,
    )


# Dispute mediation ------------------------------------------------------------------------


@transaction.atomic
def open_dispute(
    *,
    union: Union,
    applicant: str,
    respondent: str,
    claims: list,
    claim_detail: str,
    received_on: date,
    member: Member | None = None,
    amount_claimed=None,
    mediators: str = "",
    actor=None,
) -> DisputeCase:
    errors: dict = {}
    applicant = _text(
        applicant or (member.name if member else ""),
        field="applicant",
        label="申请人",
        max_length=40,
        errors=errors,
        required=True,
    )
    _own_member(member, union.pk, field="member", errors=errors)
    respondent = _text(
        respondent,
        field="respondent",
        label="被申请人",
        max_length=120,
        errors=errors,
        required=True,
    )
    claims = list(dict.fromkeys(claims or []))
    if not claims:
        errors["claims"] = "请至少选择一项争议事项"
    else:
        wrong = [str(c) for c in claims if c not in Claim.values]
        if wrong:
            errors["claims"] = "争议事项“" + "、".join(wrong) + "”不在可选范围内"
    claim_detail = _text(
        claim_detail,
        field="claim_detail",
        label="请求事项和理由",
        max_length=4000,
        errors=errors,
        required=True,
    )
    amount = _decimal(
        amount_claimed,
        field="amount_claimed",
        label="请求金额",
        places=2,
        ceiling=Decimal("1e12"),
        errors=errors,
    )
    _day(received_on, field="received_on", label="受理日期", errors=errors)
    mediators = _text(mediators, field="mediators", label="调解员", max_length=120, errors=errors)
    _raise(errors)
    return DisputeCase.objects.create(
        union=union,
        applicant=applicant,
        member=member,
        respondent=respondent,
        claims=claims,
        claim_detail=claim_detail,
        amount_claimed=amount,
        received_on=received_on,
        mediators=mediators,
        created_by=actor,
    )


def _open_case(case: DisputeCase, errors: dict) -> None:
    if case.outcome != Outcome.OPEN:
        errors["case"] = f"该案件已于{case.closed_on:%Y-%m-%d}结案（{case.get_outcome_display()}）"


@transaction.atomic
def record_session(
    *, case: DisputeCase, held_on: date, notes: str, attendees: str = "", actor=None
) -> MediationSession:
    errors: dict = {}
    _open_case(case, errors)
    if _day(held_on, field="held_on", label="调解日期", errors=errors):
        if held_on < case.received_on:
            errors["held_on"] = f"调解日期不能早于受理日期（{case.received_on:%Y-%m-%d}）"
    notes = _text(
        notes, field="notes", label="调解记录", max_length=10000, errors=errors, required=True
    )
    attendees = _text(attendees, field="attendees", label="参加人员", max_length=200, errors=errors)
    _raise(errors)
    return MediationSession.objects.create(
        union_id=case.union_id,
        case=case,
        held_on=held_on,
        attendees=attendees,
        notes=notes,
        created_by=actor,
    )


@transaction.atomic
def close_dispute(
    *,
    case: DisputeCase,
    outcome: str,
    on: date,
    agreement: str = "",
    applicant_confirmed: bool = False,
    respondent_confirmed: bool = False,
    note: str = "",
    actor=None,
) -> DisputeCase:
    """Close the case once. 调解成功 needs the agreement confirmed by both parties;
    调解不成 records that the applicant was told to apply for arbitration."""
    errors: dict = {}
    _open_case(case, errors)
    if outcome not in (Outcome.SETTLED, Outcome.FAILED, Outcome.WITHDRAWN):
        errors["outcome"] = f"结案结果“{outcome or ''}”不在可选范围内"
    if _day(on, field="on", label="结案日期", errors=errors) and on < case.received_on:
        errors["on"] = f"结案日期不能早于受理日期（{case.received_on:%Y-%m-%d}）"
    agreement = _text(
        agreement, field="agreement", label="调解协议", max_length=10000, errors=errors
    )
    note = _text(note, field="note", label="结案说明", max_length=300, errors=errors)
    if outcome == Outcome.SETTLED:
        if not agreement:
            errors["agreement"] = "调解成功须填写调解协议内容"
        missing = [
            who
            for who, confirmed in (
                ("申请人", applicant_confirmed),
                ("被申请人", respondent_confirmed),
            )
            if not confirmed
        ]
        if missing:
            errors["applicant_confirmed" if not applicant_confirmed else "respondent_confirmed"] = (
                "调解协议须经双方当事人签字确认，" + "、".join(missing) + "尚未确认"
            )
    elif outcome == Outcome.WITHDRAWN and not note:
        errors["note"] = "申请人撤回时请填写结案说明"
    _raise(errors)
    settled = outcome == Outcome.SETTLED
    changed = DisputeCase.objects.filter(pk=case.pk, outcome=Outcome.OPEN).update(
        outcome=outcome,
        closed_on=on,
        days_to_close=(on - case.received_on).days,
        agreement=agreement if settled else "",
        applicant_confirmed=bool(applicant_confirmed) if settled else False,
        respondent_confirmed=bool(respondent_confirmed) if settled else False,
        arbitration_advised=outcome == Outcome.FAILED,
        close_note=note,
    )
    if changed != 1:
        raise ValidationError({"case": "该案件刚刚已结案"})
    case.refresh_from_db()
    return case


# Consultations and legal aid ----------------------------------------------------------------


def _consultation_fields(*, answer, referred_to, outcome, errors: dict) -> tuple[str, str]:
    _choice(outcome, ConsultationOutcome, field="outcome", label="处理结果", errors=errors)
    answer = _text(answer, field="answer", label="解答意见", max_length=10000, errors=errors)
    referred_to = _text(
        referred_to, field="referred_to", label="转介机构", max_length=120, errors=errors
    )
    if outcome == ConsultationOutcome.ANSWERED and not answer:
        errors["answer"] = "已解答时请填写解答意见"
    if outcome == ConsultationOutcome.REFERRED and not referred_to:
        errors["referred_to"] = "已转介时请填写转介机构"
    return answer, referred_to


@transaction.atomic
def record_consultation(
    *,
    union: Union,
    asker: str,
    asked_on: date,
    topic: str,
    question: str,
    member: Member | None = None,
    answer: str = "",
    referred_to: str = "",
    outcome: str = ConsultationOutcome.PENDING,
    handled_by: str = "",
    actor=None,
) -> Consultation:
    errors: dict = {}
    asker = _text(
        asker or (member.name if member else ""),
        field="asker",
        label="咨询人",
        max_length=40,
        errors=errors,
        required=True,
    )
    _own_member(member, union.pk, field="member", errors=errors)
    _day(asked_on, field="asked_on", label="咨询日期", errors=errors)
    _choice(topic, Topic, field="topic", label="咨询类别", errors=errors)
    question = _text(
        question, field="question", label="咨询内容", max_length=4000, errors=errors, required=True
    )
    answer, referred_to = _consultation_fields(
        answer=answer, referred_to=referred_to, outcome=outcome, errors=errors
    )
    handled_by = _text(handled_by, field="handled_by", label="解答人", max_length=40, errors=errors)
    _raise(errors)
    return Consultation.objects.create(
        union=union,
        asker=asker,
        member=member,
        asked_on=asked_on,
        topic=topic,
        question=question,
        answer=answer,
        referred_to=referred_to,
        outcome=outcome,
        handled_by=handled_by,
        created_by=actor,
    )


@transaction.atomic
def answer_consultation(
    *,
    consultation: Consultation,
    outcome: str,
    answer: str = "",
    referred_to: str = "",
    handled_by: str = "",
    actor=None,
) -> Consultation:
    errors: dict = {}
    if consultation.outcome != ConsultationOutcome.PENDING:
        errors["outcome"] = f"该咨询已处理（{consultation.get_outcome_display()}）"
    elif outcome == ConsultationOutcome.PENDING:
        errors["outcome"] = "请选择处理结果"
    answer, referred_to = _consultation_fields(
        answer=answer, referred_to=referred_to, outcome=outcome, errors=errors
    )
    handled_by = _text(handled_by, field="handled_by", label="解答人", max_length=40, errors=errors)
    _raise(errors)
    consultation.outcome, consultation.answer, consultation.referred_to = (
        outcome,
        answer,
        referred_to,
    )
    consultation.handled_by = handled_by or consultation.handled_by
    consultation.save(update_fields=["outcome", "answer", "referred_to", "handled_by"])
    return consultation


# Labour-law supervision -----------------------------------------------------------------------


@transaction.atomic
def record_supervision(
    *,
    union: Union,
    area: str,
    checked_on: date,
    finding: str,
    compliant: bool,
    recommendation: str = "",
    recommended_on: date | None = None,
    actor=None,
) -> SupervisionCheck:
    """A check of the employer; a finding of non-compliance needs the union's
    written recommendation (监督意见书) and the day it was delivered."""
    errors: dict = {}
    _choice(area, SupervisionArea, field="area", label="监督事项", errors=errors)
    has_day = _day(checked_on, field="checked_on", label="检查日期", errors=errors)
    finding = _text(
        finding, field="finding", label="检查情况", max_length=4000, errors=errors, required=True
    )
    recommendation = _text(
        recommendation, field="recommendation", label="监督意见书", max_length=10000, errors=errors
    )
    if not compliant:
        if not recommendation:
            errors["recommendation"] = "发现问题时请填写工会监督意见书"
        if recommended_on is None:
            errors["recommended_on"] = "发现问题时请填写意见书送达日期"
    if recommended_on is not None:
        if _day(recommended_on, field="recommended_on", label="意见书送达日期", errors=errors):
            if has_day and recommended_on < checked_on:
                errors["recommended_on"] = "意见书送达日期不能早于检查日期"
    _raise(errors)
    return SupervisionCheck.objects.create(
        union=union,
        area=area,
        checked_on=checked_on,
        finding=finding,
        compliant=bool(compliant),
        recommendation=recommendation,
        recommended_on=recommended_on,
        created_by=actor,
    )


@transaction.atomic
def record_response(
    *,
    check: SupervisionCheck,
    response: str,
    responded_on: date,
    resolved_on: date | None = None,
    actor=None,
) -> SupervisionCheck:
    """The employer's answer to the 监督意见书, and when the problem was put right."""
    errors: dict = {}
    if check.compliant:
        errors["check"] = "该次检查未发现问题，无需用人单位答复"
    elif check.responded_on is not None:
        errors["check"] = f"用人单位已于{check.responded_on:%Y-%m-%d}答复"
    response = _text(
        response,
        field="response",
        label="用人单位答复",
        max_length=10000,
        errors=errors,
        required=True,
    )
    if _day(responded_on, field="responded_on", label="答复日期", errors=errors):
        if check.recommended_on and responded_on < check.recommended_on:
            errors["responded_on"] = (
                f"答复日期不能早于意见书送达日期（{check.recommended_on:%Y-%m-%d}）"
            )
    if resolved_on is not None:
        if _day(resolved_on, field="resolved_on", label="问题解决日期", errors=errors):
            if resolved_on < check.checked_on:
                errors["resolved_on"] = "问题解决日期不能早于检查日期"
    _raise(errors)
    check.response, check.responded_on, check.resolved_on = response, responded_on, resolved_on
    check.save(update_fields=["response", "responded_on", "resolved_on"])
    return check


@transaction.atomic
def mark_resolved(*, check: SupervisionCheck, on: date, actor=None) -> SupervisionCheck:
    errors: dict = {}
    if check.compliant:
        errors["check"] = "该次检查未发现问题"
    elif check.resolved_on is not None:
        errors["check"] = f"问题已于{check.resolved_on:%Y-%m-%d}解决"
    if _day(on, field="on", label="问题解决日期", errors=errors) and on < check.checked_on:
        errors["on"] = "问题解决日期不能早于检查日期"
    _raise(errors)
    check.resolved_on = on
    check.save(update_fields=["resolved_on"])
    return check
