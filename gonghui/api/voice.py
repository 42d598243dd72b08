"""职工意见 endpoints. Every write goes through voice.services.

Staff and liaisons (voice.view / voice.change) record opinions for members,
judge them, assign a handler and deadline, record implementation and reward
(paid through finance when a budget line is given). Departments, handlers
and budget lines named in a body are looked up in the opinion's own union,
so another union's id is simply not found. A member's own token submits and
follows their opinions (`/voice/my/...`).
"""

import ninja
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404
from django.utils import timezone
from ninja import Path, Query, Router

from gonghui.api import errors, schemas
from gonghui.api import schemas_voice as shapes
from gonghui.api.access import require, viewable_unions
from gonghui.api.guards import guard, own_guard
from gonghui.api.queries_finance import page
from gonghui.api.schemas_finance import money_text
from gonghui.finance.models import BudgetLine
from gonghui.finance.queries import payments_for
from gonghui.members.models import Member
from gonghui.orgs.models import Department
from gonghui.orgs.roles import Perm
from gonghui.voice import queries, services
from gonghui.voice.models import Opinion, State

router = Router(tags=["职工意见"])

OpinionId = Path(..., ge=1, le=schemas.MAX_ID, description="意见编号")
ERRORS = {400: schemas.ErrorOut, 403: schemas.ErrorOut, 404: schemas.ErrorOut}
NO_VIEW = "您没有查看职工意见的权限"

for _field, _label in {
    "content": "内容",
    "submitted_on": "提出日期",
    "valid": "认定结果",
    "handler_department": "承办部门",
    "handler": "承办人",
    "deadline": "办理期限",
    "implementation": "落实情况",
    "implemented_on": "落实日期",
    "voucher": "凭证号",
    "over_budget_reason": "超预算理由",
}.items():
    errors.FIELD_LABELS.setdefault(_field, _label)


def _viewable(request) -> list[int]:
    return viewable_unions(request, Perm.VIEW_VOICE, NO_VIEW)


def _rows():
    # Built per request, inside the request's scope (a module-level queryset
    # would carry no scope filter).
    return Opinion.objects.select_related(
        "member", "union", "handler", "handler_department", "recorded_by"
    )


def _find(request, pk: int, perm: str = Perm.VIEW_VOICE) -> Opinion:
    obj = _rows().filter(pk=pk).first()
    if obj is None:
        raise Http404
    require(request, Perm.VIEW_VOICE, obj.union_id)
    require(request, perm, obj.union_id)
    return obj


def _ref(obj) -> dict | None:
    return {"id": obj.pk, "name": obj.name} if obj is not None else None


def opinion_out(o: Opinion) -> dict:
    return {
        "id": o.pk,
        "union": o.union_id,
        "member": _ref(o.member),
        "kind": o.kind,
        "kind_label": o.get_kind_display(),
        "category": o.category,
        "category_label": o.get_category_display(),
        "title": o.title,
        "content": o.content,
        "submitted_on": o.submitted_on,
        "recorded_by": str(o.recorded_by) if o.recorded_by_id else None,
        "state": o.state,
        "state_label": o.get_state_display(),
        "judged_on": o.judged_on,
        "judgement_reason": o.judgement_reason,
        "handler_department": _ref(o.handler_department),
        "handler": _ref(o.handler),
        "deadline": o.deadline,
        "overdue": bool(
            o.state == State.HANDLING and o.deadline and o.deadline < timezone.localdate()
        ),
        "implemented_on": o.implemented_on,
        "implementation": o.implementation,
        "reward_amount": money_text(o.reward_amount),
        "rewarded_on": o.rewarded_on,
        "payments": list(payments_for(o).values_list("pk", flat=True)),
    }


def _in_union(model, union_id: int, pk: int | None, field: str, missing: str):
    if pk is None:
        return None
    obj = model.objects.filter(pk=pk, union_id=union_id).first()
    if obj is None:
        raise ValidationError({field: missing})
    return obj


@router.get("/voice/opinions", response={200: shapes.OpinionPage, **ERRORS}, summary="意见建议列表")
def list_opinions(request, filters: Query[shapes.OpinionFilters]):
    """Opinions in id order, `limit` per page; pass `next_cursor` back as `cursor`."""
    f = filters
    rows = _rows().filter(union_id__in=_viewable(request))
    if f.union is not None:
        rows = rows.filter(union_id=f.union)
    if f.member is not None:
        rows = rows.filter(member_id=f.member)
    for name in ("state", "kind", "category"):
        if getattr(f, name):
            rows = rows.filter(**{name: getattr(f, name)})
    if f.overdue is True:
        rows = rows.filter(state=State.HANDLING, deadline__lt=timezone.localdate())
    if f.submitted_from is not None:
        rows = rows.filter(submitted_on__gte=f.submitted_from)
    if f.submitted_until is not None:
        rows = rows.filter(submitted_on__lte=f.submitted_until)
    found, next_cursor = page(rows, cursor=f.cursor, limit=f.limit)
    return {"items": [opinion_out(o) for o in found], "next_cursor": next_cursor}


@router.post(
    "/voice/opinions",
    response={201: shapes.OpinionOut, **ERRORS},
    summary="代会员录入意见建议（工会小组长/联络员）",
)
def create_opinion(request, payload: shapes.OpinionIn):
    member = Member.objects.select_related("union").filter(pk=payload.member).first()
    if member is None:
        raise ValidationError({"member": "未找到该会员"})
    require(request, Perm.CHANGE_VOICE, member.union_id)
    opinion = services.submit_opinion(
        union=member.union,
        member=member,
        content=payload.content,
        category=payload.category,
        title=payload.title,
        kind=payload.kind,
        submitted_on=payload.submitted_on,
        recorded_by=request.auth,
        actor=request.auth,
    )
    return ninja.Status(201, opinion_out(_find(request, opinion.pk)))


@router.get(
    "/voice/opinions/{opinion_id}", response={200: shapes.OpinionOut, **ERRORS}, summary="意见详情"
)
def get_opinion(request, opinion_id: int = OpinionId):
    return opinion_out(_find(request, opinion_id))


@router.post(
    "/voice/opinions/{opinion_id}/judge",
    response={200: shapes.OpinionOut, **ERRORS},
    summary="认定意见（有效可同时交办；不予采纳须说明理由）",
)
@guard(Perm.CHANGE_VOICE, opinion_id=Opinion)
def judge(request, payload: shapes.JudgeIn, opinion_id: int = OpinionId):
    opinion = _find(request, opinion_id, Perm.CHANGE_VOICE)
    services.judge(
        opinion=opinion,
        valid=payload.valid,
        reason=payload.reason,
        on=payload.on,
        handler_department=_in_union(
            Department,
            opinion.union_id,
            payload.handler_department,
            "handler_department",
            "本工会中未找到该部门",
        ),
        handler=_in_union(
            Member, opinion.union_id, payload.handler, "handler", "本工会中未找到该会员"
        ),
        deadline=payload.deadline,
        actor=request.auth,
    )
    return opinion_out(_find(request, opinion_id))


@router.post(
    "/voice/opinions/{opinion_id}/assign",
    response={200: shapes.OpinionOut, **ERRORS},
    summary="交办意见（承办部门或承办人，办理期限）",
)
@guard(Perm.CHANGE_VOICE, opinion_id=Opinion)
def assign(request, payload: shapes.AssignIn, opinion_id: int = OpinionId):
    opinion = _find(request, opinion_id, Perm.CHANGE_VOICE)
    services.assign(
        opinion=opinion,
        handler_department=_in_union(
            Department,
            opinion.union_id,
            payload.handler_department,
            "handler_department",
            "本工会中未找到该部门",
        ),
        handler=_in_union(
            Member, opinion.union_id, payload.handler, "handler", "本工会中未找到该会员"
        ),
        deadline=payload.deadline,
        actor=request.auth,
    )
    return opinion_out(_find(request, opinion_id))


@router.post(
    "/voice/opinions/{opinion_id}/implement",
    response={200: shapes.OpinionOut, **ERRORS},
    summary="登记落实（日期和落实情况；佐证材料作为附件上传）",
)
@guard(Perm.CHANGE_VOICE, opinion_id=Opinion)
def implement(request, payload: shapes.ImplementIn, opinion_id: int = OpinionId):
    opinion = _find(request, opinion_id, Perm.CHANGE_VOICE)
    services.implement(
        opinion=opinion, on=payload.on, implementation=payload.implementation, actor=request.auth
    )
    return opinion_out(_find(request, opinion_id))


@router.post(
    "/voice/opinions/{opinion_id}/reward",
    response={200: shapes.OpinionOut, **ERRORS},
    summary="奖励意见建议（填预算科目则由工会经费支付并同时记支出）",
)
@guard(Perm.CHANGE_VOICE, opinion_id=Opinion)
def reward(request, payload: shapes.RewardIn, opinion_id: int = OpinionId):
    opinion = _find(request, opinion_id, Perm.CHANGE_VOICE)
    line = None
    if payload.line is not None:
        line = (
            BudgetLine.objects.select_related("fiscal_year")
            .filter(pk=payload.line, union_id=opinion.union_id)
            .first()
        )
        if line is None:
            raise ValidationError({"line": "本工会中未找到该预算科目"})
    services.reward(
        opinion=opinion,
        amount=payload.amount,
        on=payload.on,
        line=line,
        voucher=payload.voucher,
        over_budget_reason=payload.over_budget_reason,
        actor=request.auth,
    )
    return opinion_out(_find(request, opinion_id))


# The member's own side ---------------------------------------------------------------------


def _me(request) -> Member:
    try:
        return request.auth.member
    except (ObjectDoesNotExist, AttributeError):
        raise Http404 from None


def my_out(o: Opinion) -> dict:
    return {
        "id": o.pk,
        "kind": o.kind,
        "kind_label": o.get_kind_display(),
        "category": o.category,
        "category_label": o.get_category_display(),
        "title": o.title,
        "content": o.content,
        "submitted_on": o.submitted_on,
        "state": o.state,
        "state_label": o.get_state_display(),
        "judged_on": o.judged_on,
        "judgement_reason": o.judgement_reason,
        "handler_department": o.handler_department.name if o.handler_department_id else None,
        "deadline": o.deadline,
        "implemented_on": o.implemented_on,
        "implementation": o.implementation,
        "reward_amount": money_text(o.reward_amount),
        "rewarded_on": o.rewarded_on,
    }


@router.get(
    "/voice/my/opinions",
    response={200: shapes.MyOpinionPage, **ERRORS},
    summary="我提出的意见建议（会员本人）",
)
def my_opinions(request, filters: Query[shapes.Page]):
    found, next_cursor = page(
        queries.my_opinions(_me(request)), cursor=filters.cursor, limit=filters.limit
    )
    return {"items": [my_out(o) for o in found], "next_cursor": next_cursor}


@router.post(
    "/voice/my/opinions",
    response={201: shapes.MyOpinionOut, **ERRORS},
    summary="提意见建议（会员本人）",
)
def submit_mine(request, payload: shapes.MyOpinionIn):
    member = _me(request)
    opinion = services.submit_opinion(
        union=member.union, member=member, actor=request.auth, **payload.dict()
    )
    return ninja.Status(201, my_out(opinion))


@router.get(
    "/voice/my/opinions/{opinion_id}",
    response={200: shapes.MyOpinionOut, **ERRORS},
    summary="我的意见办理进展（会员本人）",
)
def my_opinion(request, opinion_id: int = OpinionId):
    found = queries.my_opinions(_me(request)).filter(pk=opinion_id).first()
    if found is None:
        raise Http404
    return my_out(found)


@router.get(
    "/voice/my/handling",
    response={200: shapes.OpinionPage, **ERRORS},
    summary="交我或我所在部门办理的意见（承办人本人）",
)
def my_handling(request, filters: Query[shapes.Page]):
    found, next_cursor = page(
        queries.assigned_to(_me(request)), cursor=filters.cursor, limit=filters.limit
    )
    return {"items": [opinion_out(o) for o in found], "next_cursor": next_cursor}


def _assigned(request, pk: int):
    """An opinion assigned to the calling handler (or their department), else 404."""
    found = queries.assigned_to(_me(request)).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


@router.post(
    "/voice/my/handling/{opinion_id}/implement",
    response={200: shapes.OpinionOut, **ERRORS},
    summary="承办人登记落实（承办人本人）",
)
@own_guard(lambda request, opinion_id, **_: _assigned(request, int(opinion_id)))
def implement_mine(request, payload: shapes.ImplementIn, opinion_id: int = OpinionId):
    member = _me(request)
    found = _assigned(request, opinion_id)
    services.implement_by_handler(
        opinion=found, member=member, on=payload.on, implementation=payload.implementation
    )
    found.refresh_from_db()
    return opinion_out(found)
