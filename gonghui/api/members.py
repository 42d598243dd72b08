"""The roster: list, read, add, change, and record status changes.

Every write goes through members.services; sensitive values leave only masked.
"""

import ninja
from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import Path, Query, Router
from ninja.errors import HttpError

from gonghui.api import queries, schemas
from gonghui.api.access import in_scope, member_or_404, require, union_or_404
from gonghui.members import services
from gonghui.members.models import Gender, Status
from gonghui.orgs.models import Department, Group
from gonghui.orgs.roles import Perm

router = Router(tags=["会员名册"])

MemberId = Path(..., ge=1, le=schemas.MAX_ID, description="会员编号")
ERRORS = {400: schemas.ErrorOut, 403: schemas.ErrorOut, 404: schemas.ErrorOut}


def member_out(member) -> dict:
    return {
        "id": member.id,
        "union": member.union_id,
        "union_code": member.union.code,
        "name": member.name,
        "gender": member.gender,
        "gender_label": Gender(member.gender).label if member.gender in Gender.values else "",
        "birth_date": member.birth_date,
        "id_number_masked": member.id_number_masked,
        "phone_masked": member.phone_masked,
        "employee_number": member.employee_number,
        "department": (
            {"id": member.department_id, "name": member.department.name}
            if member.department_id
            else None
        ),
        "group": {"id": member.group_id, "name": member.group.name} if member.group_id else None,
        "position": member.position,
        "education": member.education,
        "political_status": member.political_status,
        "ethnicity": member.ethnicity,
        "joined_on": member.joined_on,
        "status": member.status,
        "status_label": Status(member.status).label if member.status in Status.values else "",
        "status_since": member.status_since,
        "left_on": member.left_on,
    }


def _references(data: dict) -> dict:
    """Swap department/group ids for objects found through the scoped managers."""
    if "department" in data:
        data["department"] = in_scope(
            Department, data["department"], "department", "未找到所选部门"
        )
    if "group" in data:
        data["group"] = in_scope(Group, data["group"], "group", "未找到所选工会小组")
    return data


@router.get(
    "/members", response={200: schemas.MemberPage, 403: schemas.ErrorOut}, summary="会员列表"
)
def list_members(request, filters: Query[schemas.MemberFilters]):
    """Members in id order, `limit` per page; pass `next_cursor` back as `cursor`."""
    union_ids = request.access.unions_with(Perm.VIEW_ROSTER)
    if not union_ids:
        raise HttpError(403, "您没有查看会员名册的权限")
    rows, next_cursor = queries.member_page(union_ids=union_ids, **filters.dict())
    return {"items": [member_out(m) for m in rows], "next_cursor": next_cursor}


@router.post("/members", response={201: schemas.MemberOut, **ERRORS}, summary="新增会员")
def create_member(request, payload: schemas.MemberIn):
    data = payload.dict(exclude_unset=True)
    union = _union_for_write(request, data.pop("union"))
    require(request, Perm.CHANGE_ROSTER, union.id)
    member = services.create_member(union=union, actor=request.auth, **_references(data))
    return ninja.Status(201, member_out(member))


def _union_for_write(request, union_id: int):
    try:
        return union_or_404(request, union_id)
    except Http404:
        raise ValidationError({"union": "未找到该工会"}) from None


@router.get("/members/{member_id}", response={200: schemas.MemberOut, **ERRORS}, summary="会员详情")
def get_member(request, member_id: int = MemberId):
    return member_out(member_or_404(request, member_id, Perm.VIEW_ROSTER))


@router.patch(
    "/members/{member_id}", response={200: schemas.MemberOut, **ERRORS}, summary="修改会员信息"
)
def update_member(request, payload: schemas.MemberPatch, member_id: int = MemberId):
    member = member_or_404(request, member_id, Perm.VIEW_ROSTER)
    require(request, Perm.CHANGE_ROSTER, member.union_id)
    data = _references(payload.dict(exclude_unset=True))
    member = services.update_member(member=member, actor=request.auth, **data)
    return member_out(member)


@router.post(
    "/members/{member_id}/status",
    response={201: schemas.StatusChangeOut, **ERRORS},
    summary="会籍变动（调出、退休、退会、去世、恢复在册）",
)
def change_status(request, payload: schemas.StatusIn, member_id: int = MemberId):
    member = member_or_404(request, member_id, Perm.VIEW_ROSTER)
    require(request, Perm.CHANGE_ROSTER, member.union_id)
    change = services.change_status(
        member=member, to=payload.to, on=payload.on, reason=payload.reason, actor=request.auth
    )
    body = {
        "id": change.id,
        "member": member.id,
        "from_status": change.from_status,
        "to_status": change.to_status,
        "on": change.on,
        "reason": change.reason,
    }
    return ninja.Status(201, body)
