"""Safety: hazard cards through their whole path (report, assign, measures and
deadline, rectification with evidence, verification), the chair's overdue
list, inspections with checklists and findings, drills, contests with their
per-group results, violations and the quarterly draw.

Every write goes through safety.services; ids in the path answer 404 outside
the caller's unions; members, departments and groups named in a body are
looked up in the record's own union.
"""

import ninja
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from ninja import File, Form, Path, Query, Router
from ninja.files import UploadedFile

from gonghui.api import errors, schemas
from gonghui.api import schemas_safety as shapes
from gonghui.api.access import require, union_for_write, viewable_unions
from gonghui.api.guards import guard
from gonghui.api.queries_finance import page
from gonghui.attachments.queries import attachments_of
from gonghui.members.models import Member
from gonghui.orgs.models import Department, Group
from gonghui.orgs.roles import Perm
from gonghui.safety import draw as drawing
from gonghui.safety import queries, services
from gonghui.safety.models import (
    ChecklistItem,
    Contest,
    Draw,
    Drill,
    Hazard,
    Inspection,
    Violation,
)

router = Router(tags=["安全生产"])

HazardId = Path(..., ge=1, le=schemas.MAX_ID, description="隐患卡编号")
InspectionId = Path(..., ge=1, le=schemas.MAX_ID, description="安全检查编号")
ContestId = Path(..., ge=1, le=schemas.MAX_ID, description="竞赛编号")
DrawId = Path(..., ge=1, le=schemas.MAX_ID, description="抽奖编号")
ERRORS = {400: schemas.ErrorOut, 403: schemas.ErrorOut, 404: schemas.ErrorOut}
NO_VIEW = "您没有查看安全生产记录的权限"
Photos = File(None, description="现场照片，JPG 或 PNG，去除位置信息后保存")
Evidence = File(None, description="整改后的照片或证明材料，至少一个")
Rectification = Form("", max_length=2000, description="整改情况")

for _field, _label in {
    "description": "描述",
    "category": "类别",
    "severity": "等级",
    "reporter": "上报人",
    "reported_on": "上报日期",
    "photos": "照片",
    "measures": "整改措施",
    "deadline": "整改期限",
    "rectification": "整改情况",
    "evidence": "整改依据",
    "accepted": "验收结论",
    "scope": "检查范围",
    "planned_on": "计划日期",
    "checklist": "检查清单",
    "inspectors": "检查人员",
    "done_on": "完成日期",
    "summary": "检查小结",
    "results": "检查结果",
    "item": "检查项目",
    "held_on": "日期",
    "expected": "应参加人数",
    "participants": "参加人数",
    "attendees": "参加人员",
    "passed": "合格人数",
    "average_score": "平均分",
    "prize": "奖品",
    "winners_wanted": "中奖名额",
    "seed": "随机种子",
    "quarter": "季度",
    "year": "年度",
    "hazard": "隐患卡",
    "exam": "关联考试",
}.items():
    errors.FIELD_LABELS.setdefault(_field, _label)


def _viewable(request) -> list[int]:
    return viewable_unions(request, Perm.VIEW_SAFETY, NO_VIEW)


def _find(request, model, pk: int, perm: str = Perm.VIEW_SAFETY):
    obj = model.objects.filter(pk=pk).first()
    if obj is None or not request.access.can(Perm.VIEW_SAFETY, obj.union_id):
        raise Http404
    require(request, perm, obj.union_id)
    return obj


def _in_union(model, union_id: int, pk, field: str, missing: str):
    if pk is None:
        return None
    obj = model.objects.filter(pk=pk, union_id=union_id).first()
    if obj is None:
        raise ValidationError({field: missing})
    return obj


def _members(union_id: int, ids, field: str) -> list[Member]:
    ids = list(dict.fromkeys(ids or []))
    found = {m.pk: m for m in Member.objects.filter(pk__in=ids, union_id=union_id)}
    missing = [str(pk) for pk in ids if pk not in found]
    if missing:
        raise ValidationError({field: "本工会中未找到以下会员编号：" + "、".join(missing[:20])})
    return [found[pk] for pk in ids]


def _paged(rows_and_cursor, shape) -> dict:
    rows, next_cursor = rows_and_cursor
    return {"items": [shape(r) for r in rows], "next_cursor": next_cursor}


def _ref(obj) -> dict | None:
    return {"id": obj.pk, "name": obj.name} if obj is not None else None


# Shapes out -----------------------------------------------------------------------------


def hazard_out(h: Hazard) -> dict:
    return {
        "id": h.id,
        "number": h.number,
        "union": h.union_id,
        "reported_on": h.reported_on,
        "reporter": _ref(h.reporter),
        "place": h.place,
        "description": h.description,
        "category": h.category,
        "category_label": h.get_category_display(),
        "severity": h.severity,
        "severity_label": h.get_severity_display(),
        "state": h.state,
        "state_label": h.get_state_display(),
        "inspection": h.inspection_id,
        "department": _ref(h.department),
        "assigned_on": h.assigned_on,
        "measures": h.measures,
        "deadline": h.deadline,
        "rectification": h.rectification,
        "rectified_on": h.rectified_on,
        "days_to_rectify": h.days_to_rectify,
        "verified_on": h.verified_on,
        "returned": h.returned,
        "escalated_on": h.escalated_on,
    }


def hazard_detail(h: Hazard) -> dict:
    return {
        **hazard_out(h),
        "steps": [
            {
                "action": s.action,
                "action_label": s.get_action_display(),
                "on": s.on,
                "note": s.note,
                "actor": str(s.actor) if s.actor else None,
            }
            for s in h.steps.select_related("actor")
        ],
        "attachments": [
            {
                "id": a.id,
                "original_name": a.original_name,
                "mime_type": a.mime_type,
                "download_url": a.get_download_url(),
            }
            for a in attachments_of(h)
        ],
    }


def inspection_out(i: Inspection) -> dict:
    return {
        "id": i.id,
        "union": i.union_id,
        "title": i.title,
        "scope": i.scope,
        "planned_on": i.planned_on,
        "done_on": i.done_on,
        "summary": i.summary,
        "items": [
            {
                "id": it.id,
                "position": it.position,
                "text": it.text,
                "result": it.result,
                "note": it.note,
                "hazard": it.hazard_id,
            }
            for it in i.items.all()
        ],
    }


def drill_out(d: Drill) -> dict:
    return {
        "id": d.id,
        "union": d.union_id,
        "kind": d.kind,
        "kind_label": d.get_kind_display(),
        "title": d.title,
        "held_on": d.held_on,
        "place": d.place,
        "expected": d.expected,
        "participants": d.participants,
        "rate": d.rate,
    }


def contest_out(c: Contest) -> dict:
    return {
        "id": c.id,
        "union": c.union_id,
        "title": c.title,
        "held_on": c.held_on,
        "exam": c.exam_id,
        "results": [
            {
                "group": _ref(r.group),
                "audience": r.audience,
                "participants": r.participants,
                "passed": r.passed,
                "average_score": str(r.average_score),
                "rank": r.rank,
            }
            for r in c.results.select_related("group")
        ],
    }


def violation_out(v: Violation) -> dict:
    return {
        "id": v.id,
        "union": v.union_id,
        "member": _ref(v.member),
        "on": v.on,
        "description": v.description,
    }


def draw_out(d: Draw) -> dict:
    return {
        "id": d.id,
        "union": d.union_id,
        "year": d.year,
        "quarter": d.quarter,
        "prize": d.prize,
        "seed": d.seed,
        "drawn_on": d.drawn_on,
        "eligible": d.eligible,
        "eligible_digest": d.eligible_digest,
        "winners": d.winners,
        "algorithm": drawing.ALGORITHM,
        "created_at": d.created_at,
    }


# Hazard cards -----------------------------------------------------------------------------


@router.get("/safety/hazards", response={200: shapes.HazardPage, **ERRORS}, summary="隐患卡列表")
def list_hazards(request, filters: Query[shapes.HazardFilters]):
    f = filters.dict()
    rows = Hazard.objects.filter(union_id__in=_viewable(request)).select_related(
        "department", "reporter"
    )
    for key, lookup in (
        ("union", "union_id"),
        ("state", "state"),
        ("category", "category"),
        ("department", "department_id"),
        ("reported_from", "reported_on__gte"),
        ("reported_until", "reported_on__lte"),
    ):
        if f.get(key) is not None:
            rows = rows.filter(**{lookup: f[key]})
    return _paged(page(rows, cursor=f["cursor"], limit=f["limit"]), hazard_out)


@router.post(
    "/safety/hazards", response={201: shapes.HazardDetail, **ERRORS}, summary="上报隐患（可带照片）"
)
def report_hazard(
    request,
    payload: Form[shapes.HazardIn],
    photos: list[UploadedFile] = Photos,
):
    union = union_for_write(request, payload.union, Perm.CHANGE_SAFETY)
    hazard = services.report_hazard(
        union=union,
        place=payload.place,
        description=payload.description,
        category=payload.category,
        severity=payload.severity,
        reporter=_in_union(Member, union.id, payload.reporter, "reporter", "本工会中未找到该会员"),
        reported_on=payload.reported_on,
        photos=photos or [],
        actor=request.auth,
    )
    return ninja.Status(201, hazard_detail(hazard))


@router.get(
    "/safety/hazards/{hazard_id}",
    response={200: shapes.HazardDetail, **ERRORS},
    summary="隐患卡详情（含办理过程和照片）",
)
def get_hazard(request, hazard_id: int = HazardId):
    return hazard_detail(_find(request, Hazard, hazard_id))


@router.post(
    "/safety/hazards/{hazard_id}/assign",
    response={200: shapes.HazardDetail, **ERRORS},
    summary="交办责任部门",
)
@guard(Perm.CHANGE_SAFETY, hazard_id=Hazard)
def assign_hazard(request, payload: shapes.AssignIn, hazard_id: int = HazardId):
    hazard = _find(request, Hazard, hazard_id, Perm.CHANGE_SAFETY)
    department = _in_union(
        Department, hazard.union_id, payload.department, "department", "请选择本工会的责任部门"
    )
    services.assign_hazard(
        hazard=hazard, department=department, note=payload.note, actor=request.auth
    )
    return hazard_detail(hazard)


@router.post(
    "/safety/hazards/{hazard_id}/plan",
    response={200: shapes.HazardDetail, **ERRORS},
    summary="记录整改措施和期限（期限不能早于今天）",
)
@guard(Perm.CHANGE_SAFETY, hazard_id=Hazard)
def plan_rectification(request, payload: shapes.PlanIn, hazard_id: int = HazardId):
    hazard = _find(request, Hazard, hazard_id, Perm.CHANGE_SAFETY)
    services.plan_rectification(
        hazard=hazard, measures=payload.measures, deadline=payload.deadline, actor=request.auth
    )
    return hazard_detail(hazard)


@router.post(
    "/safety/hazards/{hazard_id}/rectify",
    response={200: shapes.HazardDetail, **ERRORS},
    summary="登记整改完成（必须上传整改依据）",
)
@guard(Perm.CHANGE_SAFETY, hazard_id=Hazard)
def rectify_hazard(
    request,
    hazard_id: int = HazardId,
    rectification: str = Rectification,
    evidence: list[UploadedFile] = Evidence,
):
    hazard = _find(request, Hazard, hazard_id, Perm.CHANGE_SAFETY)
    services.rectify_hazard(
        hazard=hazard, rectification=rectification, evidence=evidence or [], actor=request.auth
    )
    return hazard_detail(hazard)


@router.post(
    "/safety/hazards/{hazard_id}/verify",
    response={200: shapes.HazardDetail, **ERRORS},
    summary="验收（通过，或写明原因退回重改；不能验收自己登记的整改）",
)
@guard(Perm.VERIFY_SAFETY, hazard_id=Hazard)
def verify_hazard(request, payload: shapes.VerifyIn, hazard_id: int = HazardId):
    hazard = _find(request, Hazard, hazard_id, Perm.VERIFY_SAFETY)
    services.verify_hazard(
        hazard=hazard, accepted=payload.accepted, note=payload.note, actor=request.auth
    )
    return hazard_detail(hazard)


@router.get(
    "/safety/overdue",
    response={200: list[shapes.HazardOut], **ERRORS},
    summary="逾期未整改隐患（主席督办清单）",
)
def list_overdue(request):
    rows = queries.overdue(unions=_viewable(request), today=timezone.localdate())
    return [hazard_out(h) for h in rows[:1000]]


# Inspections ------------------------------------------------------------------------------


@router.get(
    "/safety/inspections", response={200: shapes.InspectionPage, **ERRORS}, summary="安全检查列表"
)
def list_inspections(request, filters: Query[shapes.Page]):
    rows = Inspection.objects.filter(union_id__in=_viewable(request)).prefetch_related("items")
    return _paged(page(rows, cursor=filters.cursor, limit=filters.limit), inspection_out)


@router.post(
    "/safety/inspections",
    response={201: shapes.InspectionOut, **ERRORS},
    summary="制定安全检查计划（含检查清单）",
)
def plan_inspection(request, payload: shapes.InspectionIn):
    union = union_for_write(request, payload.union, Perm.CHANGE_SAFETY)
    inspection = services.plan_inspection(
        union=union,
        title=payload.title,
        scope=payload.scope,
        planned_on=payload.planned_on,
        checklist=payload.checklist,
        inspectors=_members(union.id, payload.inspectors, "inspectors"),
        actor=request.auth,
    )
    return ninja.Status(201, inspection_out(inspection))


@router.post(
    "/safety/inspections/{inspection_id}/results",
    response={200: shapes.InspectionOut, **ERRORS},
    summary="记录检查结果并完成检查",
)
@guard(Perm.CHANGE_SAFETY, inspection_id=Inspection)
def record_results(request, payload: shapes.ResultsIn, inspection_id: int = InspectionId):
    inspection = _find(request, Inspection, inspection_id, Perm.CHANGE_SAFETY)
    services.record_inspection(
        inspection=inspection,
        done_on=payload.done_on,
        summary=payload.summary,
        results={r.item: (r.result, r.note) for r in payload.results},
        actor=request.auth,
    )
    return inspection_out(inspection)


@router.post(
    "/safety/inspections/{inspection_id}/findings",
    response={201: shapes.HazardDetail, **ERRORS},
    summary="检查发现问题，一步生成隐患卡",
)
@guard(Perm.CHANGE_SAFETY, inspection_id=Inspection)
def raise_finding(request, payload: shapes.FindingIn, inspection_id: int = InspectionId):
    inspection = _find(request, Inspection, inspection_id, Perm.CHANGE_SAFETY)
    hazard = services.raise_finding(
        inspection=inspection,
        item=_in_union(
            ChecklistItem, inspection.union_id, payload.item, "item", "未找到该检查项目"
        ),
        place=payload.place,
        description=payload.description,
        category=payload.category,
        severity=payload.severity,
        department=_in_union(
            Department,
            inspection.union_id,
            payload.department,
            "department",
            "请选择本工会的责任部门",
        ),
        actor=request.auth,
    )
    return ninja.Status(201, hazard_detail(hazard))


# Drills, contests, violations, draws --------------------------------------------------------


@router.get("/safety/drills", response={200: shapes.DrillPage, **ERRORS}, summary="安全演练列表")
def list_drills(request, filters: Query[shapes.Page]):
    rows = Drill.objects.filter(union_id__in=_viewable(request))
    return _paged(page(rows, cursor=filters.cursor, limit=filters.limit), drill_out)


@router.post("/safety/drills", response={201: shapes.DrillOut, **ERRORS}, summary="记录安全演练")
def record_drill(request, payload: shapes.DrillIn):
    union = union_for_write(request, payload.union, Perm.CHANGE_SAFETY)
    drill = services.record_drill(
        union=union,
        kind=payload.kind,
        title=payload.title,
        held_on=payload.held_on,
        place=payload.place,
        expected=payload.expected,
        participants=payload.participants,
        attendees=_members(union.id, payload.attendees, "attendees"),
        notes=payload.notes,
        actor=request.auth,
    )
    return ninja.Status(201, drill_out(drill))


@router.get(
    "/safety/contests", response={200: shapes.ContestPage, **ERRORS}, summary="安全知识竞赛列表"
)
def list_contests(request, filters: Query[shapes.Page]):
    rows = Contest.objects.filter(union_id__in=_viewable(request))
    return _paged(page(rows, cursor=filters.cursor, limit=filters.limit), contest_out)


@router.post(
    "/safety/contests", response={201: shapes.ContestOut, **ERRORS}, summary="记录安全知识竞赛"
)
def record_contest(request, payload: shapes.ContestIn):
    union = union_for_write(request, payload.union, Perm.CHANGE_SAFETY)
    contest = services.record_contest(
        union=union,
        title=payload.title,
        held_on=payload.held_on,
        notes=payload.notes,
        actor=request.auth,
    )
    return ninja.Status(201, contest_out(contest))


@router.put(
    "/safety/contests/{contest_id}/results",
    response={200: shapes.ContestOut, **ERRORS},
    summary="填写（替换）各小组参赛人数和成绩",
)
@guard(Perm.CHANGE_SAFETY, contest_id=Contest)
def record_contest_results(request, payload: shapes.ContestResultsIn, contest_id: int = ContestId):
    contest = _find(request, Contest, contest_id, Perm.CHANGE_SAFETY)
    rows = [
        {
            "group": _in_union(
                Group, contest.union_id, r.group, "results", f"本工会中未找到工会小组{r.group}"
            ),
            "audience": r.audience,
            "participants": r.participants,
            "passed": r.passed,
            "average_score": r.average_score,
        }
        for r in payload.results
    ]
    services.record_contest_results(contest=contest, rows=rows, actor=request.auth)
    return contest_out(contest)


@router.get(
    "/safety/violations", response={200: shapes.ViolationPage, **ERRORS}, summary="违章记录列表"
)
def list_violations(request, filters: Query[shapes.Page]):
    rows = Violation.objects.filter(union_id__in=_viewable(request)).select_related("member")
    return _paged(page(rows, cursor=filters.cursor, limit=filters.limit), violation_out)


@router.post(
    "/safety/violations", response={201: shapes.ViolationOut, **ERRORS}, summary="登记违章"
)
def record_violation(request, payload: shapes.ViolationIn):
    member = Member.objects.filter(pk=payload.member).first()
    if member is None or not request.access.can(Perm.VIEW_SAFETY, member.union_id):
        raise ValidationError({"member": "未找到该会员"})
    require(request, Perm.CHANGE_SAFETY, member.union_id)
    violation = services.record_violation(
        member=member, on=payload.on, description=payload.description, actor=request.auth
    )
    return ninja.Status(201, violation_out(violation))


@router.get("/safety/draws", response={200: list[shapes.DrawOut], **ERRORS}, summary="安全摸大奖")
def list_draws(request):
    return [draw_out(d) for d in Draw.objects.filter(union_id__in=_viewable(request))[:200]]


@router.post(
    "/safety/draws",
    response={201: shapes.DrawOut, **ERRORS},
    summary="季度安全摸大奖抽奖（结果可由种子和名单复算）",
)
def hold_draw(request, payload: shapes.DrawIn):
    union = union_for_write(request, payload.union, Perm.CHANGE_SAFETY)
    draw = services.hold_draw(
        union=union,
        year=payload.year,
        quarter=payload.quarter,
        prize=payload.prize,
        winners_wanted=payload.winners_wanted,
        seed=payload.seed,
        actor=request.auth,
    )
    return ninja.Status(201, draw_out(draw))


@router.get(
    "/safety/draws/{draw_id}",
    response={200: shapes.DrawOut, **ERRORS},
    summary="抽奖详情和复算方法",
)
def get_draw(request, draw_id: int = DrawId):
    return draw_out(_find(request, Draw, draw_id))
