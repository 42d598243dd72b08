"""维权 endpoints. Every write goes through rights.services.

Ids in the path answer 404 when not visible and 403 without rights.change;
members named in a body are looked up in the record's own union.
"""

import ninja
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from ninja import Path, Query, Router

from gonghui.api import errors, schemas
from gonghui.api import schemas_rights as shapes
from gonghui.api.access import require, union_for_write, viewable_unions
from gonghui.api.guards import guard
from gonghui.api.queries_finance import page
from gonghui.democracy.models import Resolution
from gonghui.members.models import Member
from gonghui.orgs.roles import Perm
from gonghui.rights import queries, services
from gonghui.rights.models import Consultation, Contract, DisputeCase, SupervisionCheck

router = Router(tags=["维权"])

ContractId = Path(..., ge=1, le=schemas.MAX_ID, description="集体合同编号")
DisputeId = Path(..., ge=1, le=schemas.MAX_ID, description="调解案件编号")
ConsultationId = Path(..., ge=1, le=schemas.MAX_ID, description="咨询编号")
CheckId = Path(..., ge=1, le=schemas.MAX_ID, description="监督检查编号")
ERRORS = {400: schemas.ErrorOut, 403: schemas.ErrorOut, 404: schemas.ErrorOut}
NO_VIEW = "您没有查看维权记录的权限"

for _field, _label in {
    "employer": "用人单位",
    "union_chief": "职工方首席代表",
    "employer_chief": "企业方首席代表",
    "starts_on": "期限起",
    "ends_on": "期限止",
    "workers_covered": "覆盖职工人数",
    "wage_increase": "约定工资增长幅度",
    "held_on": "日期",
    "union_side": "职工方参加人员",
    "employer_side": "企业方参加人员",
    "issues": "协商议题",
    "minutes": "会议纪要",
    "agreed": "达成一致的事项",
    "prepared_on": "形成日期",
    "text": "草案文本",
    "votes_for": "赞成票",
    "votes_against": "反对票",
    "votes_abstain": "弃权票",
    "filed_with": "备案机关",
    "checked_on": "检查日期",
    "clause": "检查条款",
    "finding": "检查情况",
    "fulfilled": "已履行",
    "follow_up": "整改跟进",
    "applicant": "申请人",
    "respondent": "被申请人",
    "claims": "争议事项",
    "claim_detail": "请求事项和理由",
    "amount_claimed": "请求金额",
    "received_on": "受理日期",
    "mediators": "调解员",
    "attendees": "参加人员",
    "agreement": "调解协议",
    "applicant_confirmed": "申请人签字确认",
    "respondent_confirmed": "被申请人签字确认",
    "asker": "咨询人",
    "asked_on": "咨询日期",
    "topic": "咨询类别",
    "question": "咨询内容",
    "answer": "解答意见",
    "referred_to": "转介机构",
    "handled_by": "解答人",
    "area": "监督事项",
    "compliant": "符合规定",
    "recommendation": "监督意见书",
    "recommended_on": "意见书送达日期",
    "response": "用人单位答复",
    "responded_on": "答复日期",
    "resolved_on": "问题解决日期",
}.items():
    errors.FIELD_LABELS.setdefault(_field, _label)


def _viewable(request) -> list[int]:
    return viewable_unions(request, Perm.VIEW_RIGHTS, NO_VIEW)


def _find(request, rows, pk: int, perm: str = Perm.VIEW_RIGHTS):
    obj = rows.filter(pk=pk).first()
    if obj is None:
        raise Http404
    require(request, Perm.VIEW_RIGHTS, obj.union_id)
    require(request, perm, obj.union_id)
    return obj


def _rows(model, request, filters: dict):
    rows = model.objects.filter(union_id__in=_viewable(request))
    if filters.get("union") is not None:
        rows = rows.filter(union_id=filters["union"])
    return rows


def _paged(found, shape) -> dict:
    rows, next_cursor = found
    return {"items": [shape(r) for r in rows], "next_cursor": next_cursor}


def _member(union_id: int, pk):
    if pk is None:
        return None
    member = Member.objects.filter(pk=pk, union_id=union_id).first()
    if member is None:
        raise ValidationError({"member": "本工会中未找到该会员"})
    return member


# Shapes out ------------------------------------------------------------------------------


def contract_out(c: Contract) -> dict:
    return {
        "id": c.id,
        "union": c.union_id,
        "kind": c.kind,
        "kind_label": c.get_kind_display(),
        "title": c.title,
        "employer": c.employer,
        "union_chief": c.union_chief,
        "employer_chief": c.employer_chief,
        "starts_on": c.starts_on,
        "ends_on": c.ends_on,
        "workers_covered": c.workers_covered,
        "wage_increase": None if c.wage_increase is None else f"{c.wage_increase:.2f}",
        "vote_on": c.vote_on,
        "votes_for": c.votes_for,
        "votes_against": c.votes_against,
        "votes_abstain": c.votes_abstain,
        "vote_passed": c.vote_passed,
        "resolution": c.resolution_id,
        "signed_on": c.signed_on,
        "filed_with": c.filed_with,
        "filed_on": c.filed_on,
        "stage": c.stage,
    }


def contract_detail(c: Contract) -> dict:
    return {
        **contract_out(c),
        "rounds": [
            {
                "id": r.id,
                "number": r.number,
                "held_on": r.held_on,
                "union_side": r.union_side,
                "employer_side": r.employer_side,
                "issues": r.issues,
                "minutes": r.minutes,
                "agreed": r.agreed,
            }
            for r in c.rounds.all()
        ],
        "drafts": [
            {"id": d.id, "version": d.version, "prepared_on": d.prepared_on, "note": d.note}
            for d in c.drafts.all()
        ],
        "checks": [
            {
                "id": k.id,
                "year": k.year,
                "checked_on": k.checked_on,
                "clause": k.clause,
                "finding": k.finding,
                "fulfilled": k.fulfilled,
                "follow_up": k.follow_up,
            }
            for k in c.checks.all()
        ],
    }


def dispute_out(d: DisputeCase) -> dict:
    today = timezone.localdate()
    return {
        "id": d.id,
        "union": d.union_id,
        "applicant": d.applicant,
        "member": d.member_id,
        "respondent": d.respondent,
        "claims": list(d.claims or []),
        "claim_labels": d.claim_labels,
        "claim_detail": d.claim_detail,
        "amount_claimed": None if d.amount_claimed is None else f"{d.amount_claimed:.2f}",
        "received_on": d.received_on,
        "mediators": d.mediators,
        "outcome": d.outcome,
        "outcome_label": d.get_outcome_display(),
        "closed_on": d.closed_on,
        "days_to_close": d.days_to_close,
        "days_open": d.days_open(today),
        "over_limit": d.over_limit(today),
        "agreement": d.agreement,
        "applicant_confirmed": d.applicant_confirmed,
        "respondent_confirmed": d.respondent_confirmed,
        "arbitration_advised": d.arbitration_advised,
        "close_note": d.close_note,
        "sessions": [
            {"id": s.id, "held_on": s.held_on, "attendees": s.attendees, "notes": s.notes}
            for s in d.sessions.all()
        ],
    }


def consultation_out(c: Consultation) -> dict:
    return {
        "id": c.id,
        "union": c.union_id,
        "asker": c.asker,
        "member": c.member_id,
        "asked_on": c.asked_on,
        "topic": c.topic,
        "topic_label": c.get_topic_display(),
        "question": c.question,
        "answer": c.answer,
        "referred_to": c.referred_to,
        "outcome": c.outcome,
        "outcome_label": c.get_outcome_display(),
        "handled_by": c.handled_by,
    }


def supervision_out(s: SupervisionCheck) -> dict:
    return {
        "id": s.id,
        "union": s.union_id,
        "area": s.area,
        "area_label": s.get_area_display(),
        "checked_on": s.checked_on,
        "finding": s.finding,
        "compliant": s.compliant,
        "recommendation": s.recommendation,
        "recommended_on": s.recommended_on,
        "response": s.response,
        "responded_on": s.responded_on,
        "resolved_on": s.resolved_on,
    }


# Contracts ---------------------------------------------------------------------------------


@router.get("/rights/contracts", response={200: shapes.ContractPage, **ERRORS}, summary="集体合同")
def list_contracts(request, filters: Query[shapes.ContractFilters]):
    f = filters.dict()
    rows = _rows(Contract, request, f)
    if f["kind"]:
        rows = rows.filter(kind=f["kind"])
    return _paged(page(rows, cursor=f["cursor"], limit=f["limit"]), contract_out)


@router.get(
    "/rights/contracts/expiring",
    response={200: list[shapes.ContractOut], **ERRORS},
    summary="90天内到期的有效合同（需启动续签协商）",
)
def expiring(request):
    rows = queries.expiring(union_ids=_viewable(request), today=timezone.localdate())
    return [contract_out(c) for c in rows[:500]]


@router.post(
    "/rights/contracts", response={201: shapes.ContractDetail, **ERRORS}, summary="新建集体合同"
)
def create_contract(request, payload: shapes.ContractIn):
    union = union_for_write(request, payload.union, Perm.CHANGE_RIGHTS)
    found = services.create_contract(
        union=union, actor=request.auth, **payload.dict(exclude={"union"})
    )
    return ninja.Status(201, contract_detail(found))


@router.get(
    "/rights/contracts/{contract_id}",
    response={200: shapes.ContractDetail, **ERRORS},
    summary="集体合同详情（协商会议、草案、履约检查）",
)
def get_contract(request, contract_id: int = ContractId):
    return contract_detail(_find(request, Contract.objects.all(), contract_id))


def _contract_step(request, contract_id, step, **data):
    found = _find(request, Contract.objects.all(), contract_id, Perm.CHANGE_RIGHTS)
    step(contract=found, actor=request.auth, **data)
    return contract_detail(_find(request, Contract.objects.all(), contract_id))


@router.post(
    "/rights/contracts/{contract_id}/rounds",
    response={201: shapes.ContractDetail, **ERRORS},
    summary="记录一轮集体协商",
)
@guard(Perm.CHANGE_RIGHTS, contract_id=Contract)
def hold_round(request, payload: shapes.RoundIn, contract_id: int = ContractId):
    return ninja.Status(
        201, _contract_step(request, contract_id, services.hold_round, **payload.dict())
    )


@router.post(
    "/rights/contracts/{contract_id}/drafts",
    response={201: shapes.ContractDetail, **ERRORS},
    summary="新增合同草案稿次",
)
@guard(Perm.CHANGE_RIGHTS, contract_id=Contract)
def add_draft(request, payload: shapes.DraftIn, contract_id: int = ContractId):
    return ninja.Status(
        201, _contract_step(request, contract_id, services.add_draft, **payload.dict())
    )


@router.post(
    "/rights/contracts/{contract_id}/vote",
    response={200: shapes.ContractDetail, **ERRORS},
    summary="记录职代会对草案的表决结果",
)
@guard(Perm.CHANGE_RIGHTS, contract_id=Contract)
def record_vote(request, payload: shapes.VoteIn, contract_id: int = ContractId):
    return _contract_step(request, contract_id, services.record_vote, **payload.dict())


@router.post(
    "/rights/contracts/{contract_id}/vote/resolution",
    response={200: shapes.ContractDetail, **ERRORS},
    summary="表决结果取自职代会的决议表决（民主管理）",
)
@guard(Perm.CHANGE_RIGHTS, contract_id=Contract)
def link_resolution(request, payload: shapes.ResolutionLinkIn, contract_id: int = ContractId):
    found = _find(request, Contract.objects.all(), contract_id, Perm.CHANGE_RIGHTS)
    resolution = Resolution.objects.filter(pk=payload.resolution, union_id=found.union_id).first()
    if resolution is None:
        raise ValidationError({"resolution": "本工会职代会中未找到该决议"})
    services.link_resolution(contract=found, resolution=resolution, actor=request.auth)
    return contract_detail(_find(request, Contract.objects.all(), contract_id))


@router.post(
    "/rights/contracts/{contract_id}/sign",
    response={200: shapes.ContractDetail, **ERRORS},
    summary="签署（须职代会表决通过）",
)
@guard(Perm.CHANGE_RIGHTS, contract_id=Contract)
def sign(request, payload: shapes.SignIn, contract_id: int = ContractId):
    return _contract_step(request, contract_id, services.sign, **payload.dict())


@router.post(
    "/rights/contracts/{contract_id}/filing",
    response={200: shapes.ContractDetail, **ERRORS},
    summary="报送劳动行政部门备案（备案日期不得早于签署日期）",
)
@guard(Perm.CHANGE_RIGHTS, contract_id=Contract)
def file(request, payload: shapes.FilingIn, contract_id: int = ContractId):
    return _contract_step(request, contract_id, services.file, **payload.dict())


@router.post(
    "/rights/contracts/{contract_id}/checks",
    response={201: shapes.ContractDetail, **ERRORS},
    summary="年度履约检查",
)
@guard(Perm.CHANGE_RIGHTS, contract_id=Contract)
def check_execution(request, payload: shapes.ExecutionCheckIn, contract_id: int = ContractId):
    return ninja.Status(
        201, _contract_step(request, contract_id, services.check_execution, **payload.dict())
    )


# Disputes ------------------------------------------------------------------------------------


def _disputes():
    return DisputeCase.objects.prefetch_related("sessions")


@router.get(
    "/rights/disputes", response={200: shapes.DisputePage, **ERRORS}, summary="劳动争议调解"
)
def list_disputes(request, filters: Query[shapes.DisputeFilters]):
    f = filters.dict()
    rows = _rows(DisputeCase, request, f).prefetch_related("sessions")
    if f["outcome"]:
        rows = rows.filter(outcome=f["outcome"])
    return _paged(page(rows, cursor=f["cursor"], limit=f["limit"]), dispute_out)


@router.post(
    "/rights/disputes", response={201: shapes.DisputeOut, **ERRORS}, summary="受理劳动争议调解申请"
)
def open_dispute(request, payload: shapes.DisputeIn):
    union = union_for_write(request, payload.union, Perm.CHANGE_RIGHTS)
    data = payload.dict(exclude={"union", "member"})
    case = services.open_dispute(
        union=union, member=_member(union.pk, payload.member), actor=request.auth, **data
    )
    return ninja.Status(201, dispute_out(case))


@router.get(
    "/rights/disputes/{case_id}", response={200: shapes.DisputeOut, **ERRORS}, summary="调解案件"
)
def get_dispute(request, case_id: int = DisputeId):
    return dispute_out(_find(request, _disputes(), case_id))


@router.post(
    "/rights/disputes/{case_id}/sessions",
    response={201: shapes.DisputeOut, **ERRORS},
    summary="记录一次调解",
)
@guard(Perm.CHANGE_RIGHTS, case_id=DisputeCase)
def record_session(request, payload: shapes.SessionIn, case_id: int = DisputeId):
    case = _find(request, _disputes(), case_id, Perm.CHANGE_RIGHTS)
    services.record_session(case=case, actor=request.auth, **payload.dict())
    return ninja.Status(201, dispute_out(_find(request, _disputes(), case_id)))


@router.post(
    "/rights/disputes/{case_id}/close",
    response={200: shapes.DisputeOut, **ERRORS},
    summary="结案：调解成功（须双方签字确认）、调解不成（告知申请仲裁）或撤回",
)
@guard(Perm.CHANGE_RIGHTS, case_id=DisputeCase)
def close_dispute(request, payload: shapes.CloseIn, case_id: int = DisputeId):
    case = _find(request, _disputes(), case_id, Perm.CHANGE_RIGHTS)
    services.close_dispute(case=case, actor=request.auth, **payload.dict())
    return dispute_out(_find(request, _disputes(), case_id))


# Consultations -----------------------------------------------------------------------------------


@router.get(
    "/rights/consultations",
    response={200: shapes.ConsultationPage, **ERRORS},
    summary="法律咨询与援助",
)
def list_consultations(request, filters: Query[shapes.Page]):
    f = filters.dict()
    rows = _rows(Consultation, request, f)
    return _paged(page(rows, cursor=f["cursor"], limit=f["limit"]), consultation_out)


@router.post(
    "/rights/consultations",
    response={201: shapes.ConsultationOut, **ERRORS},
    summary="登记法律咨询",
)
def create_consultation(request, payload: shapes.ConsultationIn):
    union = union_for_write(request, payload.union, Perm.CHANGE_RIGHTS)
    data = payload.dict(exclude={"union", "member"})
    found = services.record_consultation(
        union=union, member=_member(union.pk, payload.member), actor=request.auth, **data
    )
    return ninja.Status(201, consultation_out(found))


@router.post(
    "/rights/consultations/{consultation_id}/answer",
    response={200: shapes.ConsultationOut, **ERRORS},
    summary="答复、转介或提供法律援助",
)
@guard(Perm.CHANGE_RIGHTS, consultation_id=Consultation)
def answer(request, payload: shapes.AnswerIn, consultation_id: int = ConsultationId):
    found = _find(request, Consultation.objects.all(), consultation_id, Perm.CHANGE_RIGHTS)
    return consultation_out(
        services.answer_consultation(consultation=found, actor=request.auth, **payload.dict())
    )


# Supervision ------------------------------------------------------------------------------------


@router.get(
    "/rights/supervision",
    response={200: shapes.SupervisionPage, **ERRORS},
    summary="劳动法律监督检查",
)
def list_supervision(request, filters: Query[shapes.Page]):
    f = filters.dict()
    rows = _rows(SupervisionCheck, request, f)
    return _paged(page(rows, cursor=f["cursor"], limit=f["limit"]), supervision_out)


@router.post(
    "/rights/supervision",
    response={201: shapes.SupervisionOut, **ERRORS},
    summary="记录监督检查（发现问题须附工会监督意见书）",
)
def create_supervision(request, payload: shapes.SupervisionIn):
    union = union_for_write(request, payload.union, Perm.CHANGE_RIGHTS)
    found = services.record_supervision(
        union=union, actor=request.auth, **payload.dict(exclude={"union"})
    )
    return ninja.Status(201, supervision_out(found))


@router.post(
    "/rights/supervision/{check_id}/response",
    response={200: shapes.SupervisionOut, **ERRORS},
    summary="记录用人单位对监督意见书的答复",
)
@guard(Perm.CHANGE_RIGHTS, check_id=SupervisionCheck)
def record_response(request, payload: shapes.ResponseIn, check_id: int = CheckId):
    found = _find(request, SupervisionCheck.objects.all(), check_id, Perm.CHANGE_RIGHTS)
    return supervision_out(
        services.record_response(check=found, actor=request.auth, **payload.dict())
    )


@router.post(
    "/rights/supervision/{check_id}/resolved",
    response={200: shapes.SupervisionOut, **ERRORS},
    summary="标记监督发现的问题已解决",
)
@guard(Perm.CHANGE_RIGHTS, check_id=SupervisionCheck)
def mark_resolved(request, payload: shapes.ResolvedIn, check_id: int = CheckId):
    found = _find(request, SupervisionCheck.objects.all(), check_id, Perm.CHANGE_RIGHTS)
    return supervision_out(
        services.mark_resolved(check=found, actor=request.auth, **payload.dict())
    )
