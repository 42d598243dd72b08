"""女职工工作 endpoints: the women's committee, four-period protection,
check-up campaigns with their lists and coverage, and insurance enrolment
paid from a budget line. Every write goes through women.services.

Four-period records need women.reveal (the women's committee role; the chair
does not hold it): lists show them masked, and the full record leaves only
from `POST /women/protection/{id}/open` with a reason, which is logged; a
member reads her own at `/women/me`, logged too.
"""

import ninja
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone
from ninja import Path, Query, Router
from ninja.errors import HttpError

from gonghui.api import access, errors, schemas
from gonghui.api import queries_women as queries
from gonghui.api import schemas_women as shapes
from gonghui.api.access import require, union_for_write, union_or_404, viewable_unions
from gonghui.api.guards import guard
from gonghui.api.schemas_finance import money_text
from gonghui.finance.models import BudgetLine
from gonghui.members.models import Member
from gonghui.orgs.models import Term
from gonghui.orgs.roles import Perm
from gonghui.periods import Period
from gonghui.reports.registry import value
from gonghui.women import queries as women_queries
from gonghui.women import services
from gonghui.women.models import (
    HIDDEN,
    CheckupCampaign,
    InsuranceEnrolment,
    InsurancePlan,
    ProtectionRecord,
)

router = Router(tags=["女职工工作"])

RecordId = Path(..., ge=1, le=schemas.MAX_ID, description="四期保护记录编号")
CampaignId = Path(..., ge=1, le=schemas.MAX_ID, description="体检编号")
PlanId = Path(..., ge=1, le=schemas.MAX_ID, description="保险编号")
ERRORS = {400: schemas.ErrorOut, 403: schemas.ErrorOut, 404: schemas.ErrorOut}
NO_VIEW = "您没有查看女职工工作记录的权限"

for _field, _label in {
    "term": "届次",
    "period": "四期类别",
    "starts_on": "开始日期",
    "ends_on": "结束日期",
    "arrangements": "工作调整安排",
    "items": "发放防护用品",
    "min_age": "最低年龄",
    "provider": "体检机构",
    "done_on": "体检日期",
    "members": "人员",
    "premium": "每人保费",
    "insurer": "承保机构",
    "enrolled_on": "参保日期",
}.items():
    errors.FIELD_LABELS.setdefault(_field, _label)
for _perm, _refusal in {
    Perm.VIEW_WOMEN: NO_VIEW,
    Perm.CHANGE_WOMEN: "您没有修改该工会女职工工作记录的权限（上级工会为只读）",
    Perm.REVEAL_WOMEN: services.NOT_ALLOWED,
}.items():
    access.FORBIDDEN.setdefault(_perm, _refusal)


# Finding things ---------------------------------------------------------------------------


def _viewable(request) -> list[int]:
    return viewable_unions(request, Perm.VIEW_WOMEN, NO_VIEW)


def _find(request, rows, pk: int, perm: str = Perm.VIEW_WOMEN):
    obj = rows.filter(pk=pk).first()
    if obj is None:
        raise Http404
    require(request, Perm.VIEW_WOMEN, obj.union_id)
    require(request, perm, obj.union_id)
    return obj


def _must_reveal(request, union_id: int) -> None:
    if not request.access.can(Perm.REVEAL_WOMEN, union_id):
        raise HttpError(403, services.NOT_ALLOWED)


def _record(request, pk: int) -> ProtectionRecord:
    found = ProtectionRecord.objects.select_related("member").filter(pk=pk).first()
    if found is None:
        raise Http404
    _must_reveal(request, found.union_id)
    return found


def _members_of(union_id: int, ids, field: str) -> list[Member]:
    ids = list(dict.fromkeys(ids or []))
    found = {m.pk: m for m in Member.objects.filter(pk__in=ids, union_id=union_id)}
    missing = [str(pk) for pk in ids if pk not in found]
    if missing:
        raise ValidationError({field: "本工会中未找到以下会员编号：" + "、".join(missing[:20])})
    return [found[pk] for pk in ids]


def _refused(run):
    try:
        return run()
    except PermissionDenied as e:
        raise HttpError(403, str(e) or services.NOT_ALLOWED) from None


# Shapes out ---------------------------------------------------------------------------------


def _ref(obj) -> dict:
    return {"id": obj.pk, "name": obj.name}


def masked_out(record: ProtectionRecord) -> dict:
    return {
        "id": record.id,
        "union": record.union_id,
        "member": _ref(record.member),
        "period": HIDDEN,
        "starts_on": record.starts_on,
        "ends_on": record.ends_on,
        "is_open": record.is_open,
    }


def protection_out(record: ProtectionRecord) -> dict:
    return {
        "id": record.id,
        "union": record.union_id,
        "member": _ref(record.member),
        "period": record.period,
        "period_label": record.period_label,
        "starts_on": record.starts_on,
        "ends_on": record.ends_on,
        "is_open": record.is_open,
        "arrangements": record.arrangements,
        "items": record.items,
        "notes": record.notes,
    }


def campaign_out(campaign: CheckupCampaign) -> dict:
    return {
        "id": campaign.id,
        "union": campaign.union_id,
        "year": campaign.year,
        "kind": campaign.kind,
        "kind_label": campaign.get_kind_display(),
        "title": campaign.title,
        "provider": campaign.provider,
        "min_age": campaign.min_age,
        "starts_on": campaign.starts_on,
        "ends_on": campaign.ends_on,
        **women_queries.campaign_totals(campaign),
    }


def campaign_detail(campaign: CheckupCampaign) -> dict:
    return {
        **campaign_out(campaign),
        "checkups": [
            {"member": _ref(c.member), "done_on": c.done_on}
            for c in women_queries.checkup_list(campaign)
        ],
    }


def plan_out(plan: InsurancePlan) -> dict:
    totals = women_queries.plan_totals(plan)
    return {
        "id": plan.id,
        "union": plan.union_id,
        "year": plan.year,
        "name": plan.name,
        "insurer": plan.insurer,
        "premium": money_text(plan.premium),
        "line": plan.line_id,
        "enrolled": totals["enrolled"],
        "premium_total": money_text(totals["premium_total"]),
    }


def enrolment_out(e: InsuranceEnrolment) -> dict:
    return {
        "id": e.id,
        "plan": e.plan_id,
        "member": _ref(e.member),
        "year": e.year,
        "premium": money_text(e.premium),
        "enrolled_on": e.enrolled_on,
    }


def _paged(rows_and_cursor, shape) -> dict:
    rows, next_cursor = rows_and_cursor
    return {"items": [shape(r) for r in rows], "next_cursor": next_cursor}


# Committee ------------------------------------------------------------------------------------


@router.get(
    "/women/committee",
    response={200: shapes.CommitteeOut, **ERRORS},
    summary="女职工委员会及女会员人数、占比",
)
def committee(request, filters: Query[shapes.CommitteeFilters]):
    union = union_or_404(request, filters.union)
    require(request, Perm.VIEW_WOMEN, union.id)
    day = filters.on or timezone.localdate()
    term = women_queries.current_term(union=union, day=day)
    posts = list(women_queries.committee(term=term)) if term else []
    period = Period(day, day)
    return {
        "union": union.id,
        "term": term.pk if term else None,
        "term_label": str(term) if term else "",
        "members": [
            {
                "id": p.pk,
                "term": p.term_id,
                "member": _ref(p.member),
                "kind": p.kind,
                "kind_label": p.get_kind_display(),
            }
            for p in posts
        ],
        "women_members": value("women.women_members", [union.id], period),
        "members_total": value("women.members", [union.id], period),
        "women_share": float(value("women.women_share", [union.id], period)),
    }


@router.post(
    "/women/committee", response={201: shapes.PostOut, **ERRORS}, summary="任命女职委主任或委员"
)
def appoint(request, payload: shapes.AppointIn):
    term = Term.objects.filter(pk=payload.term).first()
    if term is None:
        raise ValidationError({"term": "未找到该届次"})
    require(request, Perm.CHANGE_WOMEN, term.union_id)
    member = _members_of(term.union_id, [payload.member], "member")[0]
    post = services.appoint(term=term, member=member, kind=payload.kind, actor=request.auth)
    return ninja.Status(
        201,
        {
            "id": post.pk,
            "term": post.term_id,
            "member": _ref(member),
            "kind": post.kind,
            "kind_label": post.get_kind_display(),
        },
    )


# Four-period protection -----------------------------------------------------------------------


@router.get(
    "/women/protection",
    response={200: shapes.ProtectionPage, **ERRORS},
    summary="四期保护记录（仅女职委；类别和安排已隐藏）",
)
def list_protection(request, filters: Query[shapes.ProtectionFilters]):
    union_ids = viewable_unions(request, Perm.REVEAL_WOMEN, services.NOT_ALLOWED)
    return _paged(queries.protection(union_ids=union_ids, **filters.dict()), masked_out)


@router.post(
    "/women/protection",
    response={201: shapes.ProtectionMaskedOut, **ERRORS},
    summary="登记四期保护（仅女职委）",
)
def create_protection(request, payload: shapes.ProtectionIn):
    member = Member.objects.filter(pk=payload.member).first()
    if member is None:
        raise ValidationError({"member": "未找到该会员"})
    _must_reveal(request, member.union_id)
    record = _refused(
        lambda: services.record_protection(
            actor=request.auth, member=member, **payload.dict(exclude={"member"})
        )
    )
    return ninja.Status(201, masked_out(record))


@router.post(
    "/women/protection/{record_id}/open",
    response={200: shapes.ProtectionOut, **ERRORS},
    summary="查看四期保护记录全文（须填写理由，查看将被记录）",
)
@guard(Perm.REVEAL_WOMEN, record_id=ProtectionRecord)
def open_protection(request, payload: shapes.OpenIn, record_id: int = RecordId):
    record = _record(request, record_id)
    opened = _refused(
        lambda: services.open_protection(record=record, user=request.auth, reason=payload.reason)
    )
    return protection_out(opened)


@router.put(
    "/women/protection/{record_id}",
    response={200: shapes.ProtectionMaskedOut, **ERRORS},
    summary="修改工作调整安排、防护用品（仅女职委）",
)
@guard(Perm.REVEAL_WOMEN, record_id=ProtectionRecord)
def update_protection(request, payload: shapes.ProtectionUpdateIn, record_id: int = RecordId):
    record = _record(request, record_id)
    _refused(
        lambda: services.update_protection(record=record, actor=request.auth, **payload.dict())
    )
    return masked_out(record)


@router.post(
    "/women/protection/{record_id}/close",
    response={200: shapes.ProtectionMaskedOut, **ERRORS},
    summary="结束四期保护",
)
@guard(Perm.REVEAL_WOMEN, record_id=ProtectionRecord)
def close_protection(request, payload: shapes.CloseIn, record_id: int = RecordId):
    record = _record(request, record_id)
    closed = _refused(
        lambda: services.close_protection(
            record=record, ends_on=payload.ends_on, actor=request.auth
        )
    )
    return masked_out(closed)


# Check-ups ------------------------------------------------------------------------------------


@router.get("/women/campaigns", response={200: shapes.CampaignPage, **ERRORS}, summary="女职工体检")
def list_campaigns(request, filters: Query[shapes.CampaignFilters]):
    return _paged(queries.campaigns(union_ids=_viewable(request), **filters.dict()), campaign_out)


@router.post(
    "/women/campaigns",
    response={201: shapes.CampaignDetail, **ERRORS},
    summary="新建年度体检（按最低年龄生成名单）",
)
def create_campaign(request, payload: shapes.CampaignIn):
    union = union_for_write(request, payload.union, Perm.CHANGE_WOMEN)
    campaign = services.create_campaign(
        union=union, actor=request.auth, **payload.dict(exclude={"union"})
    )
    return ninja.Status(201, campaign_detail(campaign))


@router.get(
    "/women/campaigns/{campaign_id}",
    response={200: shapes.CampaignDetail, **ERRORS},
    summary="体检名单和覆盖率",
)
@guard(Perm.VIEW_WOMEN, campaign_id=CheckupCampaign)
def get_campaign(request, campaign_id: int = CampaignId):
    return campaign_detail(_find(request, CheckupCampaign.objects.all(), campaign_id))


@router.post(
    "/women/campaigns/{campaign_id}/checkups",
    response={200: shapes.CampaignDetail, **ERRORS},
    summary="登记已体检人员",
)
@guard(Perm.CHANGE_WOMEN, campaign_id=CheckupCampaign)
def record_checkups(request, payload: shapes.CheckupsIn, campaign_id: int = CampaignId):
    campaign = _find(request, CheckupCampaign.objects.all(), campaign_id, Perm.CHANGE_WOMEN)
    services.record_checkups(
        campaign=campaign,
        members=_members_of(campaign.union_id, payload.members, "members"),
        done_on=payload.done_on,
        actor=request.auth,
    )
    return campaign_detail(campaign)


@router.post(
    "/women/campaigns/{campaign_id}/list",
    response={200: shapes.CampaignDetail, **ERRORS},
    summary="把未列入的女职工加入体检名单",
)
@guard(Perm.CHANGE_WOMEN, campaign_id=CheckupCampaign)
def add_to_list(request, payload: shapes.AddToListIn, campaign_id: int = CampaignId):
    campaign = _find(request, CheckupCampaign.objects.all(), campaign_id, Perm.CHANGE_WOMEN)
    member = _members_of(campaign.union_id, [payload.member], "member")[0]
    services.add_to_campaign(campaign=campaign, member=member, actor=request.auth)
    return campaign_detail(campaign)


# Insurance --------------------------------------------------------------------------------------


@router.get("/women/plans", response={200: shapes.PlanPage, **ERRORS}, summary="女职工保险")
def list_plans(request, filters: Query[shapes.PlanFilters]):
    return _paged(queries.plans(union_ids=_viewable(request), **filters.dict()), plan_out)


@router.post("/women/plans", response={201: shapes.PlanOut, **ERRORS}, summary="新建年度女职工保险")
def create_plan(request, payload: shapes.PlanIn):
    union = union_for_write(request, payload.union, Perm.CHANGE_WOMEN)
    line = BudgetLine.objects.filter(pk=payload.line, union_id=union.id).first()
    if line is None:
        raise ValidationError({"line": "本工会中未找到所选预算科目"})
    plan = services.create_plan(
        union=union,
        year=payload.year,
        name=payload.name,
        premium=payload.premium,
        line=line,
        insurer=payload.insurer,
        actor=request.auth,
    )
    return ninja.Status(201, plan_out(plan))


@router.post(
    "/women/plans/{plan_id}/enrolments",
    response={200: shapes.EnrolOut, 201: shapes.EnrolOut, **ERRORS},
    summary="女职工参保并从预算科目支付保费（同一防重复提交标识只支付一次）",
)
@guard(Perm.CHANGE_WOMEN, plan_id=InsurancePlan)
def enrol(request, payload: shapes.EnrolIn, plan_id: int = PlanId):
    plan = _find(
        request, InsurancePlan.objects.select_related("union", "line"), plan_id, Perm.CHANGE_WOMEN
    )
    repeated = InsuranceEnrolment.objects.filter(
        plan=plan, batch_key=payload.idempotency_key
    ).exists()
    rows = services.enrol(
        plan=plan,
        members=_members_of(plan.union_id, payload.members, "members"),
        enrolled_on=payload.enrolled_on,
        idempotency_key=payload.idempotency_key,
        voucher=payload.voucher,
        over_budget_reason=payload.over_budget_reason,
        actor=request.auth,
    )
    body = {"plan": plan_out(plan), "enrolled": [enrolment_out(e) for e in rows]}
    return ninja.Status(200 if repeated else 201, body)


# A member's own records -------------------------------------------------------------------------


@router.get(
    "/women/me",
    response={200: shapes.MyRecordsOut, **ERRORS},
    summary="我的体检、保险和四期保护记录（本人查看将被记录）",
)
def my_records(request):
    try:
        member = request.auth.member
    except (ObjectDoesNotExist, AttributeError):
        raise Http404 from None
    records = services.open_own_records(member=member, user=request.auth)
    return {
        "checkups": [
            {"member": _ref(member), "done_on": c.done_on, "campaign": c.campaign.title}
            for c in women_queries.checkups_of(member=member)
        ],
        "insurance": [enrolment_out(e) for e in women_queries.insurance_of(member=member)],
        "protection": [protection_out(r) for r in records],
    }
