"""会员关系转移接续 over the API: list, read, start, request, accept, decline, cancel.

A transfer is seen by both of its unions and by the upper unions above either;
the union that did not start it accepts or declines, the one that did may
cancel. Every write goes through members.transfers.
"""

from datetime import date
from typing import Literal

import ninja
from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import Path, Query, Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from gonghui.api import schemas
from gonghui.api.access import in_scope, member_or_404, require
from gonghui.api.strict import TextFields
from gonghui.members import queries, transfers
from gonghui.members.models import Transfer, TransferSide, TransferState
from gonghui.orgs.models import Department, Group, Union
from gonghui.orgs.roles import Perm

router = Router(tags=["会员关系转移"])

TransferId = Path(..., ge=1, le=schemas.MAX_ID, description="转移编号")
ERRORS = {400: schemas.ErrorOut, 403: schemas.ErrorOut, 404: schemas.ErrorOut}
StateValue = Literal[tuple(TransferState.values)]  # type: ignore[valid-type]


class UnionRef(Schema):
    id: int
    code: str
    name: str


class TransferOut(Schema):
    id: int
    member_name: str
    from_union: UnionRef
    to_union: UnionRef
    on: date
    reason: str
    state: str
    state_label: str
    started_by: str
    started_by_label: str
    awaiting_union: int | None
    decline_reason: str
    new_member: int | None = Field(None, description="转入后的会员编号（仅转入工会可读）")
    dues_paid_through: date | None
    dues_unpaid_months: int


class TransferPage(Schema):
    items: list[TransferOut]


class TransferFilters(TextFields):
    """Query string: text, read as text."""

    state: StateValue | None = None
    union: schemas.ObjectId | None = Field(None, description="只列出该工会转出或转入的")


class StartIn(schemas.Strict):
    member: schemas.ObjectId
    to_union: schemas.ObjectId
    on: date
    reason: schemas.text(200)


class RequestIn(schemas.Strict):
    to_union: schemas.ObjectId = Field(description="本工会（转入工会）")
    from_union: schemas.ObjectId
    id_number: schemas.text(30)
    name: schemas.text(40)
    on: date
    reason: schemas.text(200)


class AcceptIn(schemas.Strict):
    department: schemas.ObjectId | None = None
    group: schemas.ObjectId | None = None
    employee_number: schemas.text(30) = ""


class ReasonIn(schemas.Strict):
    reason: schemas.text(200)


def _ref(union: Union) -> dict:
    return {"id": union.id, "code": union.code, "name": union.name}


def transfer_out(request, transfer: Transfer) -> dict:
    readable_new = transfer.new_member_id and request.access.can(
        Perm.VIEW_ROSTER, transfer.to_union_id
    )
    return {
        "id": transfer.id,
        "member_name": transfer.member.name,
        "from_union": _ref(transfer.union),
        "to_union": _ref(transfer.to_union),
        "on": transfer.on,
        "reason": transfer.reason,
        "state": transfer.state,
        "state_label": transfer.get_state_display(),
        "started_by": transfer.started_by,
        "started_by_label": transfer.get_started_by_display(),
        "awaiting_union": transfer.awaiting_union_id
        if transfer.state == TransferState.PENDING and transfer.started_by != TransferSide.UPPER
        else None,
        "decline_reason": transfer.decline_reason,
        "new_member": transfer.new_member_id if readable_new else None,
        "dues_paid_through": transfer.dues_paid_through,
        "dues_unpaid_months": transfer.dues_unpaid_months,
    }


def _visible(request):
    unions = request.access.unions_with(Perm.VIEW_ROSTER)
    if not unions:
        raise HttpError(403, "您没有查看会员关系转移的权限")
    return unions


def _transfer_or_404(request, transfer_id: int) -> Transfer:
    unions = _visible(request)
    found = (
        queries.transfers_for(unions).filter(pk=transfer_id).first()
        if transfer_id <= schemas.MAX_ID
        else None
    )
    if found is None:
        raise Http404
    return found


def _union_field(request, union_id: int, field: str) -> Union:
    """Any union of the tree may be named as the other side (B cannot read A)."""
    union = Union.objects.filter(pk=union_id).first()
    if union is None:
        raise ValidationError({field: "未找到该工会"})
    return union


@router.get(
    "/transfers",
    response={200: TransferPage, 403: schemas.ErrorOut, 400: schemas.ErrorOut},
    summary="会员关系转移列表",
)
def list_transfers(request, filters: Query[TransferFilters]):
    """Transfers from or to the unions whose roster the caller may read, newest first."""
    unions = _visible(request)
    if filters.union is not None:
        if filters.union not in unions:
            raise ValidationError({"union": "未找到该工会"})
        unions = [filters.union]
    rows = queries.transfers_for(unions)
    if filters.state:
        rows = rows.filter(state=filters.state)
    return {"items": [transfer_out(request, t) for t in rows[:200]]}


@router.get("/transfers/{transfer_id}", response={200: TransferOut, **ERRORS}, summary="转移详情")
def get_transfer(request, transfer_id: int = TransferId):
    return transfer_out(request, _transfer_or_404(request, transfer_id))


@router.post("/transfers", response={201: TransferOut, **ERRORS}, summary="转出工会发起转移")
def start_transfer(request, payload: StartIn):
    member = member_or_404(request, payload.member, Perm.VIEW_ROSTER)
    require(request, Perm.CHANGE_ROSTER, member.union_id)
    transfer = transfers.start_transfer(
        member=member,
        to_union=_union_field(request, payload.to_union, "to_union"),
        on=payload.on,
        reason=payload.reason,
        actor=request.auth,
    )
    return ninja.Status(201, transfer_out(request, _transfer_or_404(request, transfer.pk)))


@router.post(
    "/transfer-requests", response={201: TransferOut, **ERRORS}, summary="转入工会申请转入会员"
)
def request_transfer(request, payload: RequestIn):
    if not request.access.can(Perm.CHANGE_ROSTER, payload.to_union):
        if payload.to_union in request.access.read:
            raise HttpError(403, "您没有修改该工会会员名册的权限（上级工会为只读）")
        raise ValidationError({"to_union": "未找到该工会"})
    transfer = transfers.request_transfer(
        to_union=Union.objects.get(pk=payload.to_union),
        from_union=_union_field(request, payload.from_union, "from_union"),
        id_number=payload.id_number,
        name=payload.name,
        on=payload.on,
        reason=payload.reason,
        actor=request.auth,
    )
    return ninja.Status(201, transfer_out(request, _transfer_or_404(request, transfer.pk)))


def _may(request, transfer: Transfer, action: str) -> None:
    allowed = transfers.acting_side(transfer, request.access, Perm.CHANGE_ROSTER)
    if allowed[action]:
        return
    if transfer.state != TransferState.PENDING:
        raise ValidationError({"state": f"该转移已{transfer.get_state_display()}，不能重复处理"})
    if action == "cancel":
        raise HttpError(403, "只有发起转移的工会可以撤回")
    raise HttpError(403, "该转移应由另一方工会接收或拒绝")


@router.post(
    "/transfers/{transfer_id}/accept", response={200: TransferOut, **ERRORS}, summary="接收转移"
)
def accept_transfer(request, payload: AcceptIn, transfer_id: int = TransferId):
    transfer = _transfer_or_404(request, transfer_id)
    _may(request, transfer, "accept")
    department = in_scope(Department, payload.department, "department", "未找到所选部门")
    group = in_scope(Group, payload.group, "group", "未找到所选工会小组")
    transfers.accept_transfer(
        transfer=transfer,
        actor=request.auth,
        department=department,
        group=group,
        employee_number=payload.employee_number,
    )
    return transfer_out(request, _transfer_or_404(request, transfer.pk))


@router.post(
    "/transfers/{transfer_id}/decline", response={200: TransferOut, **ERRORS}, summary="拒绝转移"
)
def decline_transfer(request, payload: ReasonIn, transfer_id: int = TransferId):
    transfer = _transfer_or_404(request, transfer_id)
    _may(request, transfer, "decline")
    transfers.decline_transfer(transfer=transfer, actor=request.auth, reason=payload.reason)
    return transfer_out(request, _transfer_or_404(request, transfer.pk))


@router.post(
    "/transfers/{transfer_id}/cancel", response={200: TransferOut, **ERRORS}, summary="撤回转移"
)
def cancel_transfer(request, payload: ReasonIn, transfer_id: int = TransferId):
    transfer = _transfer_or_404(request, transfer_id)
    _may(request, transfer, "cancel")
    transfers.cancel_transfer(transfer=transfer, actor=request.auth, reason=payload.reason)
    return transfer_out(request, _transfer_or_404(request, transfer.pk))
