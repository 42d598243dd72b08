"""Unions, departments and groups."""

from ninja import Path, Router, Status

from gonghui.api import queries, schemas
from gonghui.api.access import in_scope, require, union_or_404
from gonghui.orgs import services
from gonghui.orgs.models import Department
from gonghui.orgs.roles import Perm

router = Router(tags=["组织机构"])

UnionId = Path(..., ge=1, le=schemas.MAX_ID, description="工会编号")


def _union_out(union) -> dict:
    return {
        "id": union.id,
        "code": union.code,
        "name": union.name,
        "kind": union.kind,
        "kind_label": union.get_kind_display(),
        "parent_code": union.parent.code if union.parent_id else None,
        "members_count": union.members_count,
    }


def _department_out(department) -> dict:
    return {"id": department.id, "union": department.union_id, "name": department.name}


def _group_out(group, members_count: int = 0) -> dict:
    return {
        "id": group.id,
        "union": group.union_id,
        "name": group.name,
        "department": group.department_id,
        "members_count": getattr(group, "members_count", members_count),
    }


@router.get("/unions", response=list[schemas.UnionOut], summary="可查看的工会")
def list_unions(request):
    return [_union_out(u) for u in queries.readable_unions(request.access)]


@router.get(
    "/unions/{union_id}/departments",
    response={200: list[schemas.DepartmentOut], 404: schemas.ErrorOut},
    summary="工会的部门",
)
def list_departments(request, union_id: int = UnionId):
    union = union_or_404(request, union_id)
    return [_department_out(d) for d in queries.departments_of(union)]


@router.post(
    "/unions/{union_id}/departments",
    response={201: schemas.DepartmentOut, 400: schemas.ErrorOut, 403: schemas.ErrorOut},
    summary="新建部门",
)
def create_department(request, payload: schemas.DepartmentIn, union_id: int = UnionId):
    union = union_or_404(request, union_id)
    require(request, Perm.MANAGE_ORGS, union.id)
    department = services.create_department(union=union, name=payload.name)
    return Status(201, _department_out(department))


@router.get(
    "/unions/{union_id}/groups",
    response={200: list[schemas.GroupOut], 404: schemas.ErrorOut},
    summary="工会的小组",
)
def list_groups(request, union_id: int = UnionId):
    union = union_or_404(request, union_id)
    return [_group_out(g) for g in queries.groups_of(union)]


@router.post(
    "/unions/{union_id}/groups",
    response={201: schemas.GroupOut, 400: schemas.ErrorOut, 403: schemas.ErrorOut},
    summary="新建工会小组",
)
def create_group(request, payload: schemas.GroupIn, union_id: int = UnionId):
    union = union_or_404(request, union_id)
    require(request, Perm.MANAGE_ORGS, union.id)
    department = in_scope(Department, payload.department, "department", "未找到所选部门")
    group = services.create_group(union=union, name=payload.name, department=department)
    return Status(201, _group_out(group))
