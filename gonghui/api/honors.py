"""评先评优 endpoints. Every write goes through honors.services.

Members, groups, kinds and items named in a body are looked up in the
record's own union, so another union's id is simply not found; ids in the
path answer 404 when not visible and 403 without honors.change.
"""

import ninja
from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import Path, Query, Router

from gonghui.api import errors, schemas
from gonghui.api import schemas_honors as shapes
from gonghui.api.access import require, union_for_write, viewable_unions
from gonghui.api.guards import guard
from gonghui.api.queries_finance import page
from gonghui.honors import queries, services
from gonghui.honors.models import (
    Announcement,
    Assessment,
    AssessmentRule,
    AwardKind,
    ModelWorker,
    Nomination,
)
from gonghui.members.models import Member
from gonghui.orgs.models import Group
from gonghui.orgs.roles import Perm

router = Router(tags=["评先评优"])

NominationId = Path(..., ge=1, le=schemas.MAX_ID, description="推荐编号")
KindId = Path(..., ge=1, le=schemas.MAX_ID, description="荣誉类别编号")
WorkerId = Path(..., ge=1, le=schemas.MAX_ID, description="劳模记录编号")
AssessmentId = Path(..., ge=1, le=schemas.MAX_ID, description="月度考核编号")
ERRORS = {400: schemas.ErrorOut, 403: schemas.ErrorOut, 404: schemas.ErrorOut}
NO_VIEW = "您没有查看评先评优记录的权限"

for _field, _label in {
    "kind": "荣誉类别",
    "scope": "评选对象",
    "cadence": "评选周期",
    "description": "评选标准",
    "year": "年度",
    "month": "月份",
    "team_name": "被推荐集体",
    "reasons": "推荐理由",
    "nominated_on": "推荐日期",
    "nominated_by": "推荐人/推荐部门",
    "granted": "是否授予",
    "note": "意见",
    "awards": "获奖记录",
    "intro": "公示说明",
    "level": "级别",
    "conferred_by": "授予单位",
    "monthly_allowance": "劳模津贴",
    "benefits": "应享待遇",
    "effective_from": "施行日期",
    "items": "考核项目",
    "max_points": "满分",
    "deduction_guide": "扣分标准",
    "rule": "考核细则",
    "scores": "得分",
    "points": "得分",
    "deduction_reason": "扣分理由",
    "item": "考核项目",
    "published": "已公布",
    "active": "在用",
}.items():
    errors.FIELD_LABELS.setdefault(_field, _label)


def _viewable(request) -> list[int]:
    return viewable_unions(request, Perm.VIEW_HONORS, NO_VIEW)


def _find(request, rows, pk: int, perm: str = Perm.VIEW_HONORS):
    obj = rows.filter(pk=pk).first()
    if obj is None:
        raise Http404
    require(request, Perm.VIEW_HONORS, obj.union_id)
    require(request, perm, obj.union_id)
    return obj


def _in(rows, union_ids, union):
    rows = rows.filter(union_id__in=union_ids)
    return rows.filter(union_id=union) if union is not None else rows


def _paged(found, shape) -> dict:
    rows, next_cursor = found
    return {"items": [shape(r) for r in rows], "next_cursor": next_cursor}


def _ref(obj) -> dict | None:
    return {"id": obj.pk, "name": obj.name} if obj is not None else None


def _own(model, union_id: int, pk, field: str, missing: str):
    if pk is None:
        return None
    obj = model.objects.filter(pk=pk, union_id=union_id).first()
    if obj is None:
        raise ValidationError({field: missing})
    return obj


# Shapes out -----------------------------------------------------------------------------


def kind_out(kind: AwardKind) -> dict:
    return {
        "id": kind.id,
        "union": kind.union_id,
        "name": kind.name,
        "scope": kind.scope,
        "cadence": kind.cadence,
        "description": kind.description,
        "active": kind.active,
    }


def nomination_out(n: Nomination) -> dict:
    return {
        "id": n.id,
        "union": n.union_id,
        "kind": n.kind_id,
        "kind_name": n.kind.name,
        "year": n.year,
        "month": n.month,
        "period_label": n.period_label,
        "member": _ref(n.member),
        "group": _ref(n.group),
        "team_name": n.team_name,
        "nominee_label": n.nominee_label,
        "reasons": n.reasons,
        "nominated_on": n.nominated_on,
        "nominated_by": n.nominated_by,
        "state": n.state,
        "state_label": n.get_state_display(),
        "decided_on": n.decided_on,
        "decision_note": n.decision_note,
        "announcement": n.announcement_id,
    }


def worker_out(w: ModelWorker) -> dict:
    return {
        "id": w.id,
        "union": w.union_id,
        "member": _ref(w.member),
        "level": w.level,
        "level_label": w.get_level_display(),
        "title": w.title,
        "year": w.year,
        "conferred_by": w.conferred_by,
        "monthly_allowance": f"{w.monthly_allowance:.2f}",
        "benefits": w.benefits,
        "notes": w.notes,
    }


def worker_detail(w: ModelWorker) -> dict:
    visits = [
        {"id": v.id, "on": v.on, "kind_label": v.get_kind_display(), "gift": v.gift}
        for v in queries.care_visits_of(w)[:100]
    ]
    return {**worker_out(w), "care_visits": visits}


def rule_out(rule: AssessmentRule) -> dict:
    return {
        "id": rule.id,
        "union": rule.union_id,
        "name": rule.name,
        "effective_from": rule.effective_from,
        "active": rule.active,
        "items": [
            {
                "id": i.id,
                "position": i.position,
                "name": i.name,
                "max_points": str(i.max_points),
                "deduction_guide": i.deduction_guide,
            }
            for i in rule.items.all()
        ],
    }


def assessment_out(a: Assessment) -> dict:
    if a.is_published:
        ranking = [
            {"rank": r.rank, "group": _ref(r.group), "total": str(r.total), "deductions": []}
            for r in queries.published_ranking(a)
        ]
        missing = []
    else:
        ranking = [
            {**r, "group": _ref(r["group"]), "total": str(r["total"])} for r in queries.ranking(a)
        ]
        missing = [_ref(g) for g in queries.unscored_groups(a)]
    return {
        "id": a.id,
        "union": a.union_id,
        "rule": a.rule_id,
        "month": a.month,
        "published_on": a.published_on,
        "unscored_groups": missing,
        "ranking": ranking,
    }


# Award kinds ---------------------------------------------------------------------------


@router.get("/honors/kinds", response={200: list[shapes.KindOut], **ERRORS}, summary="荣誉类别")
def list_kinds(request, union: int | None = None):
    rows = _in(AwardKind.objects.all(), _viewable(request), union).order_by("union_id", "id")
    return [kind_out(k) for k in rows[:1000]]


@router.post(
    "/honors/kinds", response={201: shapes.KindOut, **ERRORS}, summary="新增本工会的荣誉类别"
)
def create_kind(request, payload: shapes.KindIn):
    union = union_for_write(request, payload.union, Perm.CHANGE_HONORS)
    data = payload.dict(exclude={"union"})
    return ninja.Status(
        201, kind_out(services.define_kind(union=union, actor=request.auth, **data))
    )


# Registered before /honors/kinds/{kind_id}, which would otherwise take this path.
@router.post(
    "/honors/kinds/defaults",
    response={200: list[shapes.KindOut], **ERRORS},
    summary="补齐默认荣誉类别（岗位之星、优秀班级、工人先锋号等）",
)
def default_kinds(request, payload: shapes.UnionIn):
    union = union_for_write(request, payload.union, Perm.CHANGE_HONORS)
    return [kind_out(k) for k in services.ensure_default_kinds(union=union)]


@router.put(
    "/honors/kinds/{kind_id}",
    response={200: shapes.KindOut, **ERRORS},
    summary="修改荣誉类别（已有推荐的不能改评选对象和周期）",
)
@guard(Perm.CHANGE_HONORS, kind_id=AwardKind)
def update_kind(request, payload: shapes.KindUpdate, kind_id: int = KindId):
    kind = _find(request, AwardKind.objects.all(), kind_id, Perm.CHANGE_HONORS)
    return kind_out(services.update_kind(kind=kind, actor=request.auth, **payload.dict()))


# Nominations -----------------------------------------------------------------------------


def _nominations():
    return Nomination.objects.select_related("kind", "member", "group")


@router.get(
    "/honors/nominations", response={200: shapes.NominationPage, **ERRORS}, summary="评选推荐列表"
)
def list_nominations(request, filters: Query[shapes.NominationFilters]):
    f = filters.dict()
    rows = _in(_nominations(), _viewable(request), f.pop("union"))
    for name in ("state", "year"):
        if f.get(name) is not None:
            rows = rows.filter(**{name: f.pop(name)})
    if f.get("kind") is not None:
        rows = rows.filter(kind_id=f.pop("kind"))
    if f.get("member") is not None:
        rows = rows.filter(member_id=f.pop("member"))
    return _paged(page(rows, cursor=f["cursor"], limit=f["limit"]), nomination_out)


@router.post(
    "/honors/nominations",
    response={201: shapes.NominationOut, **ERRORS},
    summary="推荐人选或集体（附推荐理由）",
)
def create_nomination(request, payload: shapes.NominationIn):
    kind = AwardKind.objects.filter(pk=payload.kind, union_id__in=request.access.read).first()
    if kind is None:
        raise ValidationError({"kind": "未找到该荣誉类别"})
    require(request, Perm.CHANGE_HONORS, kind.union_id)
    nomination = services.nominate(
        kind=kind,
        year=payload.year,
        month=payload.month,
        member=_own(Member, kind.union_id, payload.member, "member", "本工会中未找到该会员"),
        group=_own(Group, kind.union_id, payload.group, "group", "本工会中未找到该班组"),
        team_name=payload.team_name,
        reasons=payload.reasons,
        nominated_on=payload.nominated_on,
        nominated_by=payload.nominated_by,
        actor=request.auth,
    )
    return ninja.Status(201, nomination_out(nomination))


@router.post(
    "/honors/nominations/{nomination_id}/decision",
    response={200: shapes.NominationOut, **ERRORS},
    summary="委员会评定（授予或未评上）",
)
@guard(Perm.CHANGE_HONORS, nomination_id=Nomination)
def decide(request, payload: shapes.DecisionIn, nomination_id: int = NominationId):
    nomination = _find(request, _nominations(), nomination_id, Perm.CHANGE_HONORS)
    services.decide(nomination=nomination, actor=request.auth, **payload.dict())
    return nomination_out(_find(request, _nominations(), nomination_id))


@router.post(
    "/honors/announcements",
    response={201: shapes.AnnouncementOut, **ERRORS},
    summary="公示获奖名单（发布到厂务公开“评先评优”栏目）",
)
def announce(request, payload: shapes.AnnouncementIn):
    union = union_for_write(request, payload.union, Perm.CHANGE_HONORS)
    ids = list(dict.fromkeys(payload.awards))
    found = {n.pk: n for n in _nominations().filter(pk__in=ids, union=union)}
    missing = [str(pk) for pk in ids if pk not in found]
    if missing:
        raise ValidationError({"awards": "本工会中未找到以下推荐编号：" + "、".join(missing[:20])})
    announcement = services.announce(
        union=union,
        awards=[found[pk] for pk in ids],
        title=payload.title,
        intro=payload.intro,
        actor=request.auth,
    )
    return ninja.Status(201, _announcement_out(announcement))


def _announcement_out(a: Announcement) -> dict:
    return {
        "id": a.id,
        "union": a.union_id,
        "title": a.title,
        "body": a.body,
        "published_on": a.published_on,
        "awards": list(a.nominations.values_list("pk", flat=True)),
    }


# Model workers -----------------------------------------------------------------------------


@router.get(
    "/honors/model-workers", response={200: shapes.ModelWorkerPage, **ERRORS}, summary="劳模名录"
)
def list_model_workers(request, filters: Query[shapes.ModelWorkerFilters]):
    f = filters.dict()
    rows = _in(ModelWorker.objects.select_related("member"), _viewable(request), f["union"])
    if f["level"]:
        rows = rows.filter(level=f["level"])
    if f["member"] is not None:
        rows = rows.filter(member_id=f["member"])
    return _paged(page(rows, cursor=f["cursor"], limit=f["limit"]), worker_out)


@router.post(
    "/honors/model-workers",
    response={201: shapes.ModelWorkerDetail, **ERRORS},
    summary="登记劳模及荣誉称号",
)
def create_model_worker(request, payload: shapes.ModelWorkerIn):
    member = Member.objects.filter(pk=payload.member, union_id__in=request.access.read).first()
    if member is None:
        raise ValidationError({"member": "未找到该会员"})
    require(request, Perm.CHANGE_HONORS, member.union_id)
    worker = services.record_model_worker(
        member=member, actor=request.auth, **payload.dict(exclude={"member"})
    )
    return ninja.Status(201, worker_detail(worker))


@router.get(
    "/honors/model-workers/{worker_id}",
    response={200: shapes.ModelWorkerDetail, **ERRORS},
    summary="劳模详情（含关怀慰问记录）",
)
def get_model_worker(request, worker_id: int = WorkerId):
    return worker_detail(_find(request, ModelWorker.objects.select_related("member"), worker_id))


@router.put(
    "/honors/model-workers/{worker_id}",
    response={200: shapes.ModelWorkerDetail, **ERRORS},
    summary="修改劳模记录（级别、称号、年度、应享待遇）",
)
@guard(Perm.CHANGE_HONORS, worker_id=ModelWorker)
def update_model_worker(request, payload: shapes.ModelWorkerUpdate, worker_id: int = WorkerId):
    worker = _find(
        request, ModelWorker.objects.select_related("member"), worker_id, Perm.CHANGE_HONORS
    )
    worker = services.update_model_worker(worker=worker, actor=request.auth, **payload.dict())
    return worker_detail(worker)


# Group assessment ----------------------------------------------------------------------------


@router.get("/honors/rules", response={200: list[shapes.RuleOut], **ERRORS}, summary="班组考核细则")
def list_rules(request, union: int | None = None):
    rows = _in(AssessmentRule.objects.prefetch_related("items"), _viewable(request), union)
    return [rule_out(r) for r in rows.order_by("union_id", "-effective_from")[:200]]


@router.post(
    "/honors/rules",
    response={201: shapes.RuleOut, **ERRORS},
    summary="制定班组考核细则（考核项目、满分、扣分标准）",
)
def create_rule(request, payload: shapes.RuleIn):
    union = union_for_write(request, payload.union, Perm.CHANGE_HONORS)
    rule = services.write_rule(
        union=union,
        name=payload.name,
        effective_from=payload.effective_from,
        items=[i.dict() for i in payload.items],
        actor=request.auth,
    )
    return ninja.Status(201, rule_out(rule))


def _assessments():
    return Assessment.objects.select_related("rule")


@router.get(
    "/honors/assessments",
    response={200: shapes.AssessmentPage, **ERRORS},
    summary="月度班组考核（含排名）",
)
def list_assessments(request, filters: Query[shapes.AssessmentFilters]):
    f = filters.dict()
    rows = _in(_assessments(), _viewable(request), f["union"])
    if f["published"] is not None:
        rows = rows.filter(published_on__isnull=not f["published"])
    return _paged(page(rows, cursor=f["cursor"], limit=f["limit"]), assessment_out)


@router.post(
    "/honors/assessments",
    response={201: shapes.AssessmentOut, **ERRORS},
    summary="建立某月的班组考核",
)
def open_month(request, payload: shapes.MonthIn):
    rule = AssessmentRule.objects.filter(pk=payload.rule, union_id__in=request.access.read).first()
    if rule is None:
        raise ValidationError({"rule": "未找到该考核细则"})
    require(request, Perm.CHANGE_HONORS, rule.union_id)
    assessment = services.open_month(rule=rule, month=payload.month, actor=request.auth)
    return ninja.Status(201, assessment_out(assessment))


@router.get(
    "/honors/assessments/{assessment_id}",
    response={200: shapes.AssessmentOut, **ERRORS},
    summary="月度班组考核的排名和未打分班组",
)
def get_assessment(request, assessment_id: int = AssessmentId):
    return assessment_out(_find(request, _assessments(), assessment_id))


@router.post(
    "/honors/assessments/{assessment_id}/scores",
    response={200: shapes.AssessmentOut, **ERRORS},
    summary="为一个班组打分（各项不得超过满分，扣分须写理由）",
)
@guard(Perm.CHANGE_HONORS, assessment_id=Assessment)
def score_group(request, payload: shapes.GroupScoresIn, assessment_id: int = AssessmentId):
    assessment = _find(request, _assessments(), assessment_id, Perm.CHANGE_HONORS)
    group = _own(Group, assessment.union_id, payload.group, "group", "本工会中未找到该班组")
    services.score_group(
        assessment=assessment,
        group=group,
        points={s.item: (s.points, s.deduction_reason) for s in payload.scores},
        actor=request.auth,
    )
    return assessment_out(assessment)


@router.post(
    "/honors/assessments/{assessment_id}/publish",
    response={200: shapes.AssessmentOut, **ERRORS},
    summary="公布本月考核结果（须所有班组已打分；同时发布到厂务公开）",
)
@guard(Perm.CHANGE_HONORS, assessment_id=Assessment)
def publish(request, assessment_id: int = AssessmentId):
    assessment = _find(request, _assessments(), assessment_id, Perm.CHANGE_HONORS)
    services.publish_assessment(assessment=assessment, actor=request.auth)
    return assessment_out(_find(request, _assessments(), assessment_id))
