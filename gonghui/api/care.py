"""Care: visits, hardship cases (filing, yearly review, closing), assistance
and its approval, donation campaigns with donations, the fund's contribution
and the handover, school aid, festival gifts and medical mutual aid.

Every write goes through care.services. Members, lines and groups named in a
body are looked up in the record's own union, so another union's id is simply
not found; ids in the path answer 404. Health details of a hardship case are
taken in but only ever leave masked.
"""

import ninja
from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import Path, Query, Router

from gonghui.api import errors, schemas
from gonghui.api import queries_care as queries
from gonghui.api import schemas_care as shapes
from gonghui.api.access import require, union_for_write, viewable_unions
from gonghui.api.guards import guard
from gonghui.api.schemas_finance import money_text
from gonghui.care import queries as care_queries
from gonghui.care import services
from gonghui.care.models import (
    ZERO,
    Assistance,
    Donation,
    DonationCampaign,
    FestivalDistribution,
    FundContribution,
    HardshipCase,
    SchoolAid,
    Visit,
)
from gonghui.finance.models import BudgetLine, Payment
from gonghui.members.models import Member
from gonghui.orgs.models import Group
from gonghui.orgs.roles import Perm

router = Router(tags=["关怀帮扶"])

CaseId = Path(..., ge=1, le=schemas.MAX_ID, description="困难档案编号")
AssistanceId = Path(..., ge=1, le=schemas.MAX_ID, description="帮扶编号")
CampaignId = Path(..., ge=1, le=schemas.MAX_ID, description="捐款活动编号")
SchoolAidId = Path(..., ge=1, le=schemas.MAX_ID, description="金秋助学申请编号")
ERRORS = {400: schemas.ErrorOut, 403: schemas.ErrorOut, 404: schemas.ErrorOut}
NO_VIEW = "您没有查看关怀帮扶记录的权限"

# Chinese names of this router's fields, for messages about malformed requests.
for _field, _label in {
    "members": "慰问对象",
    "visitors": "慰问人",
    "gift": "慰问品",
    "notes": "备注",
    "level": "困难类别",
    "causes": "致困原因",
    "household_size": "家庭人口",
    "income_per_capita": "家庭月人均收入",
    "above_threshold_reason": "建档理由",
    "health_details": "健康状况",
    "filed_on": "建档日期",
    "outcome": "复核结论",
    "new_level": "调整后类别",
    "source": "资金来源",
    "case": "困难档案",
    "approved": "已批准",
    "purpose": "捐款事由",
    "beneficiary": "受助会员",
    "beneficiary_name": "受助人",
    "opens_on": "开始日期",
    "closes_on": "截止日期",
    "open_on": "进行日期",
    "donor": "捐款会员",
    "donor_name": "捐款人",
    "anonymous": "匿名",
    "channel": "捐款方式",
    "show_amount": "同意公开金额",
    "delivered_by": "交付人",
    "child_name": "子女姓名",
    "school": "学校",
    "grade": "年级",
    "new_admission": "新入学",
    "applied_on": "申请日期",
    "state": "状态",
    "occasion": "节日",
    "amount_per_person": "每人标准",
    "groups": "工会小组",
    "birth_month": "生日月份",
    "joined_before": "入会日期早于",
    "over_cap_reason": "超限理由",
    "premium": "互助金",
    "enrolled_on": "参保日期",
}.items():
    errors.FIELD_LABELS.setdefault(_field, _label)


# Finding things -----------------------------------------------------------------------


def _viewable(request) -> list[int]:
    return viewable_unions(request, Perm.VIEW_CARE, NO_VIEW)


def _find(request, rows, pk: int, perm: str = Perm.VIEW_CARE):
    obj = rows.filter(pk=pk).first()
    if obj is None:
        raise Http404
    require(request, Perm.VIEW_CARE, obj.union_id)
    require(request, perm, obj.union_id)
    return obj


def _union_for_write(request, union_id: int):
    return union_for_write(request, union_id, Perm.CHANGE_CARE)


def _member_for_write(request, pk: int) -> Member:
    """The member a record is about; the record belongs to the member's union."""
    member = Member.objects.select_related("union").filter(pk=pk).first()
    if member is None:
        raise ValidationError({"member": "未找到该会员"})
    require(request, Perm.CHANGE_CARE, member.union_id)
    return member


def _members_of(union_id: int, ids, field: str) -> list[Member]:
    ids = list(dict.fromkeys(ids or []))
    found = {m.pk: m for m in Member.objects.filter(pk__in=ids, union_id=union_id)}
    missing = [str(pk) for pk in ids if pk not in found]
    if missing:
        raise ValidationError({field: "本工会中未找到以下会员编号：" + "、".join(missing[:20])})
    return [found[pk] for pk in ids]


def _one_member(union_id: int, pk: int | None, field: str) -> Member | None:
    return None if pk is None else _members_of(union_id, [pk], field)[0]


def _line(union_id: int, pk: int | None) -> BudgetLine | None:
    if pk is None:
        return None
    line = BudgetLine.objects.filter(pk=pk, union_id=union_id).first()
    if line is None:
        raise ValidationError({"line": "本工会中未找到所选预算科目"})
    return line


# Shapes out ---------------------------------------------------------------------------


def _ref(member) -> dict | None:
    return {"id": member.pk, "name": member.name} if member is not None else None


def visit_out(visit: Visit) -> dict:
    return {
        "id": visit.id,
        "union": visit.union_id,
        "kind": visit.kind,
        "kind_label": visit.get_kind_display(),
        "on": visit.on,
        "members": [_ref(m) for m in visit.members.all()],
        "visitors": [_ref(m) for m in visit.visitors.all()],
        "gift": visit.gift,
        "amount": money_text(visit.amount),
        "line": visit.line_id,
        "notes": visit.notes,
        "created_at": visit.created_at,
    }


def case_out(case: HardshipCase) -> dict:
    return {
        "id": case.id,
        "union": case.union_id,
        "member": _ref(case.member),
        "level": case.level,
        "level_label": case.get_level_display(),
        "causes": list(case.causes or []),
        "cause_labels": case.cause_labels,
        "household_size": case.household_size,
        "income_per_capita": money_text(case.income_per_capita),
        "above_threshold_reason": case.above_threshold_reason,
        "health_details": case.health_details_masked,
        "filed_on": case.filed_on,
        "closed_on": case.closed_on,
        "close_reason": case.close_reason,
        "is_open": case.is_open,
    }


def case_detail(case: HardshipCase) -> dict:
    return {
        **case_out(case),
        "reviews": [
            {
                "id": r.id,
                "on": r.on,
                "outcome": r.outcome,
                "outcome_label": r.get_outcome_display(),
                "new_level": r.new_level,
                "note": r.note,
            }
            for r in case.reviews.all()
        ],
        "assistance_by_year": [
            {"year": year, "amount": money_text(total), "count": n}
            for year, total, n in care_queries.assistance_by_year(member=case.member)
        ],
    }


def assistance_out(item: Assistance) -> dict:
    return {
        "id": item.id,
        "union": item.union_id,
        "member": _ref(item.member),
        "case": item.case_id,
        "kind": item.kind,
        "kind_label": item.get_kind_display(),
        "source": item.source,
        "source_label": item.get_source_display(),
        "amount": money_text(item.amount),
        "on": item.on,
        "reason": item.reason,
        "line": item.line_id,
        "voucher": item.voucher,
        "approved": item.approved,
        "approved_at": item.approved_at,
    }


def campaign_out(campaign: DonationCampaign) -> dict:
    return {
        "id": campaign.id,
        "union": campaign.union_id,
        "purpose": campaign.purpose,
        "beneficiary": _ref(campaign.beneficiary),
        "beneficiary_label": campaign.beneficiary_label,
        "opens_on": campaign.opens_on,
        "closes_on": campaign.closes_on,
    }


def contribution_out(contribution: FundContribution) -> dict:
    return {
        "id": contribution.id,
        "campaign": contribution.campaign_id,
        "amount": money_text(contribution.amount),
        "on": contribution.on,
        "line": contribution.line_id,
    }


def handover_out(handover) -> dict:
    return {
        "id": handover.id,
        "campaign": handover.campaign_id,
        "amount": money_text(handover.amount),
        "on": handover.on,
        "delivered_by": _ref(handover.delivered_by),
        "note": handover.note,
    }


def campaign_detail(campaign: DonationCampaign) -> dict:
    totals = care_queries.campaign_totals(campaign)
    return {
        **campaign_out(campaign),
        "totals": {
            **{k: money_text(totals[k]) for k in ("raised", "fund", "total", "delivered")},
            "available": money_text(totals["available"]),
            "donors": totals["donors"],
        },
        "contributions": [contribution_out(c) for c in campaign.contributions.all()],
        "handovers": [
            handover_out(h) for h in campaign.handovers.select_related("delivered_by").all()
        ],
    }


def donation_out(donation: Donation) -> dict:
    return {
        "id": donation.id,
        "campaign": donation.campaign_id,
        "donor": _ref(donation.donor),
        "donor_label": donation.donor_label,
        "anonymous": donation.anonymous,
        "amount": money_text(donation.amount),
        "on": donation.on,
        "channel": donation.channel,
        "channel_label": donation.get_channel_display(),
        "show_amount": donation.show_amount,
    }


def school_aid_out(aid: SchoolAid) -> dict:
    return {
        "id": aid.id,
        "union": aid.union_id,
        "member": _ref(aid.member),
        "child_name": aid.child_name,
        "school": aid.school,
        "grade": aid.grade,
        "new_admission": aid.new_admission,
        "applied_on": aid.applied_on,
        "state": aid.state,
        "state_label": aid.get_state_display(),
        "amount": money_text(aid.amount),
        "decline_reason": aid.decline_reason,
        "decided_on": aid.decided_on,
    }


def distribution_out(distribution, recipients: int | None = None) -> dict:
    if recipients is None:
        recipients = getattr(distribution, "recipient_count", None)
    if recipients is None:
        recipients = distribution.recipients.count()
    return {
        "id": distribution.id,
        "union": distribution.union_id,
        "occasion": distribution.occasion,
        "occasion_label": distribution.get_occasion_display(),
        "on": distribution.on,
        "description": distribution.description,
        "amount_per_person": money_text(distribution.amount_per_person),
        "total": money_text(distribution.total),
        "recipients": recipients,
        "line": distribution.line_id,
        "over_cap": distribution.over_cap,
        "over_cap_members": distribution.over_cap_members,
        "over_cap_reason": distribution.over_cap_reason,
    }


def enrolment_out(enrolment) -> dict:
    return {
        "id": enrolment.id,
        "union": enrolment.union_id,
        "member": _ref(enrolment.member),
        "year": enrolment.year,
        "premium": money_text(enrolment.premium),
        "enrolled_on": enrolment.enrolled_on,
    }


def _paged(rows_and_cursor, shape) -> dict:
    rows, next_cursor = rows_and_cursor
    return {"items": [shape(r) for r in rows], "next_cursor": next_cursor}


# Visits --------------------------------------------------------------------------------


@router.get("/care/visits", response={200: shapes.VisitPage, **ERRORS}, summary="慰问列表")
def list_visits(request, filters: Query[shapes.VisitFilters]):
    """Visits in id order, `limit` per page; pass `next_cursor` back as `cursor`."""
    found = queries.visits(union_ids=_viewable(request), **filters.dict())
    return _paged(found, visit_out)


@router.post(
    "/care/visits",
    response={200: shapes.VisitOut, 201: shapes.VisitOut, **ERRORS},
    summary="记录慰问（有金额时同时记支出；同一防重复提交标识只记录一次）",
)
def create_visit(request, payload: shapes.VisitIn):
    """201 with the new visit; 200 with the first one when the key was used before."""
    union = _union_for_write(request, payload.union)
    repeated = Visit.objects.filter(union=union, idempotency_key=payload.idempotency_key).first()
    if repeated is not None:
        return ninja.Status(200, visit_out(repeated))
    visit = services.record_visit(
        union=union,
        kind=payload.kind,
        on=payload.on,
        members=_members_of(union.id, payload.members, "members"),
        visitors=_members_of(union.id, payload.visitors, "visitors"),
        gift=payload.gift,
        amount=payload.amount if payload.amount is not None else ZERO,
        line=_line(union.id, payload.line),
        voucher=payload.voucher,
        over_budget_reason=payload.over_budget_reason,
        notes=payload.notes,
        idempotency_key=payload.idempotency_key,
        actor=request.auth,
    )
    return ninja.Status(201, visit_out(visit))


# Hardship cases ----------------------------------------------------------------------------


@router.get("/care/cases", response={200: shapes.CasePage, **ERRORS}, summary="困难职工档案列表")
def list_cases(request, filters: Query[shapes.CaseFilters]):
    """Cases in id order; health details only ever masked."""
    return _paged(queries.cases(union_ids=_viewable(request), **filters.dict()), case_out)


@router.post("/care/cases", response={201: shapes.CaseDetail, **ERRORS}, summary="建立困难职工档案")
def create_case(request, payload: shapes.CaseIn):
    member = _member_for_write(request, payload.member)
    case = services.file_case(
        member=member,
        level=payload.level,
        causes=payload.causes,
        household_size=payload.household_size,
        income_per_capita=payload.income_per_capita,
        filed_on=payload.filed_on,
        above_threshold_reason=payload.above_threshold_reason,
        health_details=payload.health_details,
        actor=request.auth,
    )
    return ninja.Status(201, case_detail(case))


@router.get(
    "/care/cases/{case_id}",
    response={200: shapes.CaseDetail, **ERRORS},
    summary="困难职工档案详情（含复核记录和历年帮扶合计）",
)
def get_case(request, case_id: int = CaseId):
    return case_detail(_find(request, HardshipCase.objects.select_related("member"), case_id))


@router.put(
    "/care/cases/{case_id}",
    response={200: shapes.CaseDetail, **ERRORS},
    summary="更正困难职工档案（级别须通过复核调整）",
)
@guard(Perm.CHANGE_CARE, case_id=HardshipCase)
def update_case(request, payload: shapes.CaseUpdateIn, case_id: int = CaseId):
    rows = HardshipCase.objects.select_related("member")
    case = _find(request, rows, case_id, Perm.CHANGE_CARE)
    services.update_case(case=case, actor=request.auth, **payload.dict())
    return case_detail(_find(request, rows, case_id))


@router.post(
    "/care/cases/{case_id}/reviews",
    response={201: shapes.CaseDetail, **ERRORS},
    summary="年度复核（调整级别或解除）",
)
@guard(Perm.CHANGE_CARE, case_id=HardshipCase)
def review_case(request, payload: shapes.ReviewIn, case_id: int = CaseId):
    rows = HardshipCase.objects.select_related("member")
    case = _find(request, rows, case_id, Perm.CHANGE_CARE)
    services.review_case(
        case=case,
        on=payload.on,
        outcome=payload.outcome,
        new_level=payload.new_level,
        note=payload.note,
        actor=request.auth,
    )
    return ninja.Status(201, case_detail(_find(request, rows, case_id)))


@router.post(
    "/care/cases/{case_id}/close",
    response={200: shapes.CaseDetail, **ERRORS},
    summary="解除困难职工档案",
)
@guard(Perm.CHANGE_CARE, case_id=HardshipCase)
def close_case(request, payload: shapes.CloseIn, case_id: int = CaseId):
    rows = HardshipCase.objects.select_related("member")
    case = _find(request, rows, case_id, Perm.CHANGE_CARE)
    services.close_case(case=case, on=payload.on, reason=payload.reason, actor=request.auth)
    return case_detail(_find(request, rows, case_id))


# Assistance ---------------------------------------------------------------------------------


@router.get("/care/assistance", response={200: shapes.AssistancePage, **ERRORS}, summary="帮扶列表")
def list_assistance(request, filters: Query[shapes.AssistanceFilters]):
    found = queries.assistance(union_ids=_viewable(request), **filters.dict())
    return _paged(found, assistance_out)


@router.post(
    "/care/assistance",
    response={201: shapes.AssistanceOut, **ERRORS},
    summary="登记帮扶（待委员会批准）",
)
def create_assistance(request, payload: shapes.AssistanceIn):
    member = _member_for_write(request, payload.member)
    case = None
    if payload.case is not None:
        case = HardshipCase.objects.filter(pk=payload.case, union_id=member.union_id).first()
        if case is None:
            raise ValidationError({"case": "本工会中未找到所选困难档案"})
    item = services.record_assistance(
        member=member,
        kind=payload.kind,
        source=payload.source,
        amount=payload.amount,
        on=payload.on,
        case=case,
        reason=payload.reason,
        line=_line(member.union_id, payload.line),
        voucher=payload.voucher,
        actor=request.auth,
    )
    return ninja.Status(201, assistance_out(item))


@router.post(
    "/care/assistance/{assistance_id}/approve",
    response={200: shapes.AssistanceOut, **ERRORS},
    summary="批准帮扶（本会经费的同时记支出）",
)
@guard(Perm.CHANGE_CARE, assistance_id=Assistance)
def approve_assistance(request, payload: shapes.ApproveIn, assistance_id: int = AssistanceId):
    rows = Assistance.objects.select_related("member", "union", "line")
    item = _find(request, rows, assistance_id, Perm.CHANGE_CARE)
    services.approve_assistance(
        assistance=item, actor=request.auth, over_budget_reason=payload.over_budget_reason
    )
    return assistance_out(_find(request, rows, assistance_id))


# Donation campaigns ----------------------------------------------------------------------------


def _campaign(request, pk: int, perm: str = Perm.VIEW_CARE) -> DonationCampaign:
    rows = DonationCampaign.objects.select_related("beneficiary", "union")
    return _find(request, rows, pk, perm)


@router.get(
    "/care/campaigns", response={200: shapes.CampaignPage, **ERRORS}, summary="爱心捐款活动列表"
)
def list_campaigns(request, filters: Query[shapes.CampaignFilters]):
    found = queries.campaigns(union_ids=_viewable(request), **filters.dict())
    return _paged(found, campaign_out)


@router.post(
    "/care/campaigns", response={201: shapes.CampaignDetail, **ERRORS}, summary="发起爱心捐款"
)
def create_campaign(request, payload: shapes.CampaignIn):
    union = _union_for_write(request, payload.union)
    campaign = services.open_campaign(
        union=union,
        purpose=payload.purpose,
        opens_on=payload.opens_on,
        closes_on=payload.closes_on,
        beneficiary=_one_member(union.id, payload.beneficiary, "beneficiary"),
        beneficiary_name=payload.beneficiary_name,
        actor=request.auth,
    )
    return ninja.Status(201, campaign_detail(_campaign(request, campaign.pk)))


@router.get(
    "/care/campaigns/{campaign_id}",
    response={200: shapes.CampaignDetail, **ERRORS},
    summary="爱心捐款详情（募集、工会资助、交付合计）",
)
def get_campaign(request, campaign_id: int = CampaignId):
    return campaign_detail(_campaign(request, campaign_id))


@router.get(
    "/care/campaigns/{campaign_id}/donations",
    response={200: list[shapes.DonationOut], **ERRORS},
    summary="捐款明细",
)
def list_donations(request, campaign_id: int = CampaignId):
    campaign = _campaign(request, campaign_id)
    return [donation_out(d) for d in campaign.donations.select_related("donor")]


@router.post(
    "/care/campaigns/{campaign_id}/donations",
    response={200: shapes.DonationOut, 201: shapes.DonationOut, **ERRORS},
    summary="登记捐款（同一防重复提交标识只记录一次）",
)
@guard(Perm.CHANGE_CARE, campaign_id=DonationCampaign)
def create_donation(request, payload: shapes.DonationIn, campaign_id: int = CampaignId):
    """201 with the new donation; 200 with the first one when the key was used before."""
    campaign = _campaign(request, campaign_id, Perm.CHANGE_CARE)
    repeated = Donation.objects.filter(
        union_id=campaign.union_id, idempotency_key=payload.idempotency_key
    ).exists()
    donation = services.record_donation(
        campaign=campaign,
        amount=payload.amount,
        on=payload.on,
        channel=payload.channel,
        donor=_one_member(campaign.union_id, payload.donor, "donor"),
        donor_name=payload.donor_name,
        anonymous=payload.anonymous,
        show_amount=payload.show_amount,
        idempotency_key=payload.idempotency_key,
        actor=request.auth,
    )
    if donation.campaign_id != campaign.pk:
        raise ValidationError({"idempotency_key": "该防重复提交标识已用于另一次捐款活动的捐款"})
    return ninja.Status(200 if repeated else 201, donation_out(donation))


@router.post(
    "/care/campaigns/{campaign_id}/contributions",
    response={200: shapes.ContributionOut, 201: shapes.ContributionOut, **ERRORS},
    summary="工会经费资助（同时记支出；同一防重复提交标识只记录一次）",
)
@guard(Perm.CHANGE_CARE, campaign_id=DonationCampaign)
def create_contribution(request, payload: shapes.ContributionIn, campaign_id: int = CampaignId):
    campaign = _campaign(request, campaign_id, Perm.CHANGE_CARE)
    repeated = Payment.objects.filter(
        union_id=campaign.union_id, idempotency_key=payload.idempotency_key
    ).first()
    if repeated is not None and not isinstance(repeated.pays_for, FundContribution):
        raise ValidationError({"idempotency_key": "该防重复提交标识已用于另一笔支出"})
    line = _line(campaign.union_id, payload.line)
    if line is None:
        raise ValidationError({"line": "请选择预算科目"})
    contribution = services.contribute_from_fund(
        campaign=campaign,
        amount=payload.amount,
        on=payload.on,
        line=line,
        voucher=payload.voucher,
        idempotency_key=payload.idempotency_key,
        over_budget_reason=payload.over_budget_reason,
        actor=request.auth,
    )
    return ninja.Status(200 if repeated else 201, contribution_out(contribution))


@router.post(
    "/care/campaigns/{campaign_id}/handovers",
    response={201: shapes.HandoverOut, **ERRORS},
    summary="交付受助人（不能超过可交付金额）",
)
@guard(Perm.CHANGE_CARE, campaign_id=DonationCampaign)
def create_handover(request, payload: shapes.HandoverIn, campaign_id: int = CampaignId):
    campaign = _campaign(request, campaign_id, Perm.CHANGE_CARE)
    handover = services.hand_over(
        campaign=campaign,
        amount=payload.amount,
        on=payload.on,
        delivered_by=_one_member(campaign.union_id, payload.delivered_by, "delivered_by"),
        note=payload.note,
        actor=request.auth,
    )
    return ninja.Status(201, handover_out(handover))


# School aid ------------------------------------------------------------------------------------


def _aid(request, pk: int, perm: str = Perm.VIEW_CARE) -> SchoolAid:
    return _find(request, SchoolAid.objects.select_related("member", "union"), pk, perm)


@router.get(
    "/care/school-aid", response={200: shapes.SchoolAidPage, **ERRORS}, summary="金秋助学申请列表"
)
def list_school_aid(request, filters: Query[shapes.SchoolAidFilters]):
    found = queries.school_aid(union_ids=_viewable(request), **filters.dict())
    return _paged(found, school_aid_out)


@router.post(
    "/care/school-aid",
    response={201: shapes.SchoolAidOut, **ERRORS},
    summary="代会员提交金秋助学申请",
)
def apply_school_aid(request, payload: shapes.SchoolAidIn):
    member = _member_for_write(request, payload.member)
    aid = services.apply_school_aid(
        member=member,
        child_name=payload.child_name,
        school=payload.school,
        grade=payload.grade,
        new_admission=payload.new_admission,
        applied_on=payload.applied_on,
        actor=request.auth,
    )
    return ninja.Status(201, school_aid_out(aid))


@router.post(
    "/care/school-aid/{school_aid_id}/approve",
    response={200: shapes.SchoolAidOut, **ERRORS},
    summary="批准金秋助学（同时记支出）",
)
@guard(Perm.CHANGE_CARE, school_aid_id=SchoolAid)
def approve_school_aid(request, payload: shapes.AidApproveIn, school_aid_id: int = SchoolAidId):
    aid = _aid(request, school_aid_id, Perm.CHANGE_CARE)
    line = _line(aid.union_id, payload.line)
    services.approve_school_aid(
        aid=aid,
        amount=payload.amount,
        on=payload.on,
        line=line,
        voucher=payload.voucher,
        over_budget_reason=payload.over_budget_reason,
        actor=request.auth,
    )
    return school_aid_out(_aid(request, school_aid_id))


@router.post(
    "/care/school-aid/{school_aid_id}/decline",
    response={200: shapes.SchoolAidOut, **ERRORS},
    summary="不批准金秋助学（须填写理由）",
)
@guard(Perm.CHANGE_CARE, school_aid_id=SchoolAid)
def decline_school_aid(request, payload: shapes.AidDeclineIn, school_aid_id: int = SchoolAidId):
    aid = _aid(request, school_aid_id, Perm.CHANGE_CARE)
    services.decline_school_aid(aid=aid, on=payload.on, reason=payload.reason, actor=request.auth)
    return school_aid_out(_aid(request, school_aid_id))


# Festival gifts ----------------------------------------------------------------------------------


@router.get(
    "/care/festival-distributions",
    response={200: shapes.DistributionPage, **ERRORS},
    summary="节日慰问发放列表",
)
def list_distributions(request, filters: Query[shapes.DistributionFilters]):
    found = queries.distributions(union_ids=_viewable(request), **filters.dict())
    return _paged(found, distribution_out)


@router.post(
    "/care/festival-distributions",
    response={200: shapes.DistributionOut, 201: shapes.DistributionOut, **ERRORS},
    summary="节日慰问发放（同一防重复提交标识只发放一次；指定会员，或按小组、性别、生日月份、入会日期从名册筛选）",
)
def create_distribution(request, payload: shapes.DistributionIn):
    """201 with the new distribution; 200 with the first one when the key was used before."""
    union = _union_for_write(request, payload.union)
    repeated = FestivalDistribution.objects.filter(
        union=union, idempotency_key=payload.idempotency_key
    ).first()
    if repeated is not None:
        return ninja.Status(200, distribution_out(repeated, recipients=repeated.recipients.count()))
    if payload.members is not None:
        members = _members_of(union.id, payload.members, "members")
    else:
        groups = None
        if payload.groups:
            ids = list(dict.fromkeys(payload.groups))
            groups = list(Group.objects.filter(pk__in=ids, union_id=union.id))
            if len(groups) != len(ids):
                raise ValidationError({"groups": "本工会中未找到所选工会小组"})
        members = list(
            care_queries.festival_candidates(
                union=union,
                groups=groups,
                gender=payload.gender or "",
                birth_month=payload.birth_month,
                joined_before=payload.joined_before,
            )
        )
    distribution = services.distribute_gifts(
        union=union,
        occasion=payload.occasion,
        on=payload.on,
        amount_per_person=payload.amount_per_person,
        members=members,
        description=payload.description,
        line=_line(union.id, payload.line),
        voucher=payload.voucher,
        over_cap_reason=payload.over_cap_reason,
        over_budget_reason=payload.over_budget_reason,
        idempotency_key=payload.idempotency_key,
        actor=request.auth,
    )
    return ninja.Status(201, distribution_out(distribution, recipients=len(members)))


# Medical mutual aid -----------------------------------------------------------------------------


@router.get(
    "/care/mutual-aid",
    response={200: shapes.EnrolmentPage, **ERRORS},
    summary="职工医疗互助参保列表",
)
def list_enrolments(request, filters: Query[shapes.EnrolmentFilters]):
    found = queries.enrolments(union_ids=_viewable(request), **filters.dict())
    return _paged(found, enrolment_out)


@router.post(
    "/care/mutual-aid",
    response={201: shapes.EnrolmentOut, **ERRORS},
    summary="医疗互助参保（每人每年一次）",
)
def enrol_mutual_aid(request, payload: shapes.EnrolmentIn):
    member = _member_for_write(request, payload.member)
    enrolment = services.enrol_mutual_aid(
        member=member,
        year=payload.year,
        premium=payload.premium,
        enrolled_on=payload.enrolled_on,
        actor=request.auth,
    )
    return ninja.Status(201, enrolment_out(enrolment))
