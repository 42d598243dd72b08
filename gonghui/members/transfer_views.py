"""Back-office screens of 会员关系转移接续: start one from a member's page,
request one from the transfers list, accept, decline or cancel one.

Each view finds its object through the admin's scoped queryset (a transfer of
unions the user cannot read is a 404), asks members.transfers.acting_side
what the user may do on which side, and calls one service.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from gonghui.members import transfers
from gonghui.members.admin_views import _get, _render
from gonghui.members.forms import (
    TransferAcceptForm,
    TransferReasonForm,
    TransferRequestForm,
    TransferStartForm,
    add_service_errors,
)
from gonghui.members.models import TransferSide
from gonghui.orgs.roles import Perm

FORM = "admin/gonghui/form_page.html"
LEAD = "admin/members/transfer/decide.html"


def start_view(request, pk, model_admin):
    """A's cadre starts moving a member of A's roll to another union."""
    member = _get(model_admin, request, pk)
    if not request.access.can(Perm.CHANGE_ROSTER, member.union_id):
        raise PermissionDenied("您没有修改本工会会员名册的权限")
    form = TransferStartForm(
        request.POST or None, member=member, initial={"on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            transfer = transfers.start_transfer(
                member=member,
                to_union=form.cleaned_data["to_union"],
                on=form.cleaned_data["on"],
                reason=form.cleaned_data["reason"],
                actor=request.user,
            )
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(
                request, f"已发起{member.name}的会员关系转移，等待{transfer.to_union.name}接收"
            )
            return redirect("admin:members_transfer_change", transfer.pk)
    return _render(
        model_admin,
        request,
        "admin/members/transfer/start.html",
        f"转移{member.name}的会员关系",
        member=member,
        form=form,
        submit_label="发起转移",
        back_url=reverse("admin:members_member_change", args=[member.pk]),
    )


def request_view(request, model_admin):
    """B's cadre asks another union for a member who came to work at B."""
    own = request.access.unions_with(Perm.CHANGE_ROSTER)
    if not own:
        raise PermissionDenied("您没有修改会员名册的权限")
    form = TransferRequestForm(
        request.POST or None,
        own_unions=own,
        initial={"on": timezone.localdate(), "to_union": own[0] if len(own) == 1 else None},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            transfer = transfers.request_transfer(
                to_union=data["to_union"],
                from_union=data["from_union"],
                id_number=data["id_number"],
                name=data["name"],
                on=data["on"],
                reason=data["reason"],
                actor=request.user,
            )
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(
                request, f"已申请转入{transfer.member.name}，等待{transfer.union.name}同意"
            )
            return redirect("admin:members_transfer_change", transfer.pk)
    return _render(
        model_admin,
        request,
        FORM,
        "申请转入会员",
        form=form,
        submit_label="提交申请",
        back_url=reverse("admin:members_transfer_changelist"),
    )


def _allowed(model_admin, request, pk, action):
    transfer = _get(model_admin, request, pk)
    if not transfers.acting_side(transfer, request.access, Perm.CHANGE_ROSTER)[action]:
        raise PermissionDenied("该转移不需要您所在的工会处理")
    return transfer


def accept_view(request, pk, model_admin):
    transfer = _allowed(model_admin, request, pk, "accept")
    as_target = transfer.awaiting_side == TransferSide.TARGET
    form = TransferAcceptForm(request.POST or None, union=transfer.to_union)
    if not as_target:
        # A accepts B's request: where the member goes inside B is B's business.
        for name in list(form.fields):
            del form.fields[name]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            transfers.accept_transfer(
                transfer=transfer,
                actor=request.user,
                department=data.get("department"),
                group=data.get("group"),
                employee_number=data.get("employee_number", ""),
            )
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(
                request,
                f"{transfer.member.name}已自{transfer.on:%Y-%m-%d}起转入{transfer.to_union.name}",
            )
            return redirect("admin:members_transfer_change", transfer.pk)
    return _render(
        model_admin,
        request,
        LEAD,
        f"接收{transfer.member.name}的会员关系转移",
        transfer=transfer,
        form=form,
        submit_label="确认接收",
        back_url=reverse("admin:members_transfer_change", args=[transfer.pk]),
    )


def _close_view(request, pk, model_admin, action):
    transfer = _allowed(model_admin, request, pk, action)
    service, verb = {
        "decline": (transfers.decline_transfer, "拒绝"),
        "cancel": (transfers.cancel_transfer, "撤回"),
    }[action]
    form = TransferReasonForm(request.POST or None)
    form.fields["reason"].label = f"{verb}原因"
    if request.method == "POST" and form.is_valid():
        try:
            service(transfer=transfer, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, f"已{verb}{transfer.member.name}的会员关系转移")
            return redirect("admin:members_transfer_change", transfer.pk)
    return _render(
        model_admin,
        request,
        LEAD,
        f"{verb}{transfer.member.name}的会员关系转移",
        transfer=transfer,
        form=form,
        submit_label=f"确认{verb}",
        back_url=reverse("admin:members_transfer_change", args=[transfer.pk]),
    )


def decline_view(request, pk, model_admin):
    return _close_view(request, pk, model_admin, "decline")


def cancel_view(request, pk, model_admin):
    return _close_view(request, pk, model_admin, "cancel")
