"""会员关系转移接续: every write of a member's transfer from one union to another.

A transfer is started by the union the member leaves (`transfer.union`, "A")
or requested by the union they go to (`transfer.to_union`, "B"); the other
side accepts or declines with a reason, and the side that started may cancel
it while it waits.

On acceptance, in one transaction:

- A's row of the member is closed on the transfer date (status 调出, left_on,
  `transferred_out`): it stays in A's roster as A's read-only history, with
  every record of A that points at it (dues, activities, care…);
- a new row opens in B from the same date (`joined_on` = the transfer date,
  `first_joined_on` = the day the member first joined, `transferred_in`), so
  on every day the member is on exactly one union's roll;
- the portal account moves to the new row (and its member role to B);
- the dues status travels: the last month paid in A and the months left
  unpaid there are written on the transfer, and B is exempt from dues for the
  months A already covers (the transfer month itself is A's, as the dues
  rule owes the month a member leaves), so no month is owed or paid twice.

Callers (admin, API) check that the user may change the roster of the union
they act for; the services check the workflow rules.
"""

from datetime import date

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_scopes import scopes_disabled

from gonghui import encryption, idcard
from gonghui.members import names
from gonghui.members.models import (
    Member,
    Status,
    StatusChange,
    Transfer,
    TransferSide,
    TransferState,
)
from gonghui.orgs.models import Department, Group, RoleAssignment, Union
from gonghui.orgs.roles import Role

COPIED_FIELDS = (
    "name",
    "gender",
    "birth_date",
    "id_number",
    "id_number_digest",
    "phone",
    "phone_digest",
    "education",
    "political_status",
    "ethnicity",
    "name_initials",
    "search_text",
)


def _all(model):
    return model.objects.with_scopes_disabled()


def _on_roll_problem(member: Member, union: Union) -> str | None:
    if member.union_id != union.id or member.status != Status.ACTIVE or member.left_on:
        state = Status(member.status).label if member.status in Status.values else member.status
        return f"会员{member.name}不在{union.name}的在册会员名册中（当前为“{state}”），不能转移"
    return None


def _pending_problem(member: Member, exclude: int | None = None) -> str | None:
    pending = _all(Transfer).filter(member=member, state=TransferState.PENDING)
    if exclude is not None:
        pending = pending.exclude(pk=exclude)
    found = pending.select_related("to_union").first()
    if found is not None:
        return (
            f"会员{member.name}已有一项待处理的转移（转入{found.to_union.name}，"
            f"{timezone.localtime(found.started_at):%Y-%m-%d}发起），请先处理或撤回"
        )
    return None


def _target_problem(member: Member, to_union: Union) -> str | None:
    if to_union.pk == member.union_id:
        return "转入工会不能是会员当前所在的工会"
    if to_union.is_archived:
        return f"{to_union.name}已于{to_union.archived_on:%Y-%m-%d}撤并，不能再转入会员"
    clash = _all(Member).filter(union=to_union, id_number_digest=member.id_number_digest).first()
    if clash is not None:
        if clash.status == Status.ACTIVE and not clash.left_on:
            return f"{member.name}已在{to_union.name}的在册会员名册中，无需转移"
        return (
            f"{to_union.name}的会员名册中已有{member.name}的历史记录（{clash.get_status_display()}），"
            "同一工会的名册中每个身份证号只能有一条记录，暂不能转入"
        )
    return None


def _date_problem(member: Member, on) -> str | None:
    if not isinstance(on, date):
        return "请填写转移日期"
    if on > timezone.localdate():
        return "转移日期不能晚于今天"
    if on <= member.joined_on:
        return f"转移日期须晚于会员在原工会的入会日期（{member.joined_on:%Y-%m-%d}）"
    if member.status_since and on < member.status_since:
        return f"转移日期不能早于会员最近一次会籍变动的日期（{member.status_since:%Y-%m-%d}）"
    return None


def _reason(reason: str, errors: dict, key: str = "reason", label: str = "转移原因") -> str:
    reason = (reason or "").strip()
    if not reason:
        errors[key] = f"请填写{label}"
    elif len(reason) > 200:
        errors[key] = f"{label}不能超过200个字"
    elif any(ord(ch) < 32 for ch in reason):
        errors[key] = f"{label}含有不可见的控制字符"
    return reason


def _check_start(member: Member, from_union: Union, to_union: Union, on, reason: str) -> str:
    errors: dict[str, str] = {}
    problem = _on_roll_problem(member, from_union)
    if problem:
        errors["member"] = problem
    else:
        problem = _pending_problem(member)
        if problem:
            errors["member"] = problem
    if to_union is None:
        errors["to_union"] = "请选择转入工会"
    else:
        problem = _target_problem(member, to_union)
        if problem:
            errors["to_union"] = problem
    problem = _date_problem(member, on)
    if problem:
        errors["on"] = problem
    reason = _reason(reason, errors)
    if errors:
        raise ValidationError(errors)
    return reason


def _create(**fields) -> Transfer:
    try:
        with transaction.atomic():
            return Transfer.objects.create(**fields)
    except IntegrityError as e:
        # Two starts at once: the partial unique index keeps one pending transfer.
        member = fields["member"]
        raise ValidationError(
            {"member": _pending_problem(member) or "该会员已有待处理的转移"}
        ) from e


@transaction.atomic
def start_transfer(*, member: Member, to_union: Union, on, reason: str, actor=None) -> Transfer:
    """The member's union (A) starts a transfer to `to_union` (B); B accepts."""
    with scopes_disabled():
        member = _all(Member).select_for_update().select_related("union").get(pk=member.pk)
        reason = _check_start(member, member.union, to_union, on, reason)
        return _create(
            union=member.union,
            member=member,
            to_union=to_union,
            on=on,
            reason=reason,
            started_by=TransferSide.SOURCE,
            started_by_user=actor if getattr(actor, "pk", None) else None,
        )


@transaction.atomic
def request_transfer(
    *, to_union: Union, from_union: Union, id_number: str, name: str, on, reason: str, actor=None
) -> Transfer:
    """The union the member goes to (B) asks A for the member, named by ID number
    and name (B cannot read A's roster); A accepts."""
    errors: dict[str, str] = {}
    if from_union is None:
        errors["from_union"] = "请选择转出工会"
    elif from_union.pk == to_union.pk:
        errors["from_union"] = "转出工会不能是本工会"
    name = (name or "").strip()
    if not name:
        errors["name"] = "请填写会员姓名"
    try:
        number = idcard.parse(id_number or "")[0]
    except idcard.IdNumberError as e:
        errors["id_number"] = str(e) if (id_number or "").strip() else "身份证号不能为空"
        number = ""
    if errors:
        raise ValidationError(errors)
    with scopes_disabled():
        member = (
            _all(Member)
            .select_for_update()
            .select_related("union")
            .filter(
                union=from_union,
                id_number_digest=encryption.digest(number),
                status=Status.ACTIVE,
                left_on__isnull=True,
            )
            .first()
        )
        if member is None or member.name != name:
            raise ValidationError(
                {"id_number": f"{from_union.name}的在册会员中没有身份证号与姓名“{name}”相符的会员"}
            )
        reason = _check_start(member, from_union, to_union, on, reason)
        return _create(
            union=from_union,
            member=member,
            to_union=to_union,
            on=on,
            reason=reason,
            started_by=TransferSide.TARGET,
            started_by_user=actor if getattr(actor, "pk", None) else None,
        )


def _lock_pending(transfer: Transfer) -> Transfer:
    """The transfer, locked, if it still waits; else a refusal naming what happened."""
    locked = (
        _all(Transfer)
        .select_for_update()
        .select_related("union", "to_union", "member")
        .get(pk=transfer.pk)
    )
    if locked.state != TransferState.PENDING:
        when = (
            f"于{timezone.localtime(locked.decided_at):%Y-%m-%d %H:%M}" if locked.decided_at else ""
        )
        raise ValidationError({"state": f"该转移{when}{locked.get_state_display()}，不能重复处理"})
    return locked


def _refresh_caller(transfer: Transfer, locked: Transfer) -> Transfer:
    for f in Transfer._meta.concrete_fields:
        setattr(transfer, f.attname, getattr(locked, f.attname))
    return transfer


@transaction.atomic
def accept_transfer(
    *,
    transfer: Transfer,
    actor=None,
    department: Department | None = None,
    group: Group | None = None,
    employee_number: str = "",
) -> Transfer:
    """The waiting side accepts: the member moves from A to B on the transfer date.

    When B accepts it may place the member in one of its departments and groups."""
    with scopes_disabled():
        locked = _lock_pending(transfer)
        errors = {}
        for key, obj in (("department", department), ("group", group)):
            if obj is not None and obj.union_id != locked.to_union_id:
                errors[key] = f"所选部门或小组不属于{locked.to_union.name}"
        employee_number = (employee_number or "").strip()
        if len(employee_number) > 30:
            errors["employee_number"] = "工号不能超过30个字"
        if errors:
            raise ValidationError(errors)
        _complete(
            locked,
            actor=actor,
            department=department,
            group=group,
            employee_number=employee_number,
        )
    return _refresh_caller(transfer, locked)


def _complete(locked: Transfer, *, actor, department=None, group=None, employee_number=""):
    """Move the member; `locked` is a pending transfer locked for update."""
    member = _all(Member).select_for_update().get(pk=locked.member_id)
    errors = {}
    problem = _on_roll_problem(member, locked.union)
    if problem:
        errors["member"] = problem
    problem = _target_problem(member, locked.to_union)
    if problem:
        errors["to_union"] = problem
    problem = _date_problem(member, locked.on)
    if problem:
        errors["on"] = problem
    if errors:
        raise ValidationError(errors)
    on, old, new_union = locked.on, locked.union, locked.to_union
    actor = actor if getattr(actor, "pk", None) else None

    user_id = member.user_id
    StatusChange.objects.create(
        union=old,
        member=member,
        from_status=member.status,
        to_status=Status.TRANSFERRED,
        on=on,
        reason=f"会员关系转移至{new_union.name}：{locked.reason}"[:200],
        actor=actor,
    )
    member.status, member.status_since, member.left_on = Status.TRANSFERRED, on, on
    member.transferred_out = True
    member.user = None
    member.save(
        update_fields=["status", "status_since", "left_on", "transferred_out", "user", "updated_at"]
    )

    moved = Member(
        union=new_union,
        status=Status.ACTIVE,
        status_since=on,
        joined_on=on,
        first_joined_on=member.first_joined_on or member.joined_on,
        transferred_in=True,
        department=department,
        group=group,
        employee_number=employee_number,
        user_id=user_id,
        **{f: getattr(member, f) for f in COPIED_FIELDS},
    )
    moved.name_initials = names.initials(moved.name)
    moved.search_text = names.search_text(moved.name)
    try:
        with transaction.atomic():
            moved.save()
    except IntegrityError as e:
        raise ValidationError({"to_union": f"{member.name}已在{new_union.name}的会员名册中"}) from e
    StatusChange.objects.create(
        union=new_union,
        member=moved,
        from_status="",
        to_status=Status.ACTIVE,
        on=on,
        reason=f"由{old.name}转入：{locked.reason}"[:200],
        actor=actor,
    )
    if user_id:
        _move_portal_role(user_id, old, new_union)

    paid_through, unpaid = _carry_dues(member, moved, actor)
    locked.state = TransferState.ACCEPTED
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    locked.new_member = moved
    locked.dues_paid_through = paid_through
    locked.dues_unpaid_months = unpaid
    locked.save(
        update_fields=[
            "state",
            "decided_by",
            "decided_at",
            "new_member",
            "dues_paid_through",
            "dues_unpaid_months",
        ]
    )
    return moved


def _move_portal_role(user_id: int, old: Union, new: Union) -> None:
    """The member's portal role follows them; staff roles held in A stay."""
    RoleAssignment.objects.filter(user_id=user_id, union=old, role=Role.MEMBER).delete()
    RoleAssignment.objects.get_or_create(user_id=user_id, union=new, role=Role.MEMBER)
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is not None and hasattr(user, "_gonghui_access"):
        del user._gonghui_access


def _carry_dues(closed: Member, moved: Member, actor) -> tuple[date | None, int]:
    """The dues status the member takes along: (last month paid in A, months A
    is still owed). B is exempt for the months A covers, from the transfer month
    (owed to A, who had the member on its roll that month) to the last one paid."""
    from gonghui.finance import dues
    from gonghui.finance import services as finance
    from gonghui.finance.models import DuesPayment

    paid_through = (
        _all(DuesPayment)
        .filter(member=closed)
        .order_by("-month")
        .values_list("month", flat=True)
        .first()
    )
    book = dues.DuesBook.load(unions=[closed.union_id], members=[closed.pk])
    unpaid = len(book.unpaid_months(closed, closed.joined_on, closed.left_on))
    first = dues.month_of(moved.joined_on)
    last = max(first, paid_through) if paid_through else first
    until = dues.month_label(last)
    finance.exempt_from_dues(
        member=moved,
        starts_on=first,
        ends_on=last,
        reason=f"会员关系转移：{until}及以前的会费由原工会（{closed.union.name}）收缴"[:200],
        actor=actor,
    )
    return paid_through, unpaid


def _close(transfer: Transfer, state: str, actor, reason: str) -> Transfer:
    locked = _lock_pending(transfer)
    locked.state = state
    locked.decided_by = actor if getattr(actor, "pk", None) else None
    locked.decided_at = timezone.now()
    locked.decline_reason = reason
    locked.save(update_fields=["state", "decided_by", "decided_at", "decline_reason"])
    return _refresh_caller(transfer, locked)


@transaction.atomic
def decline_transfer(*, transfer: Transfer, actor=None, reason: str) -> Transfer:
    """The waiting side declines, saying why; the member stays where they are."""
    errors: dict[str, str] = {}
    reason = _reason(reason, errors, "reason", "拒绝原因")
    if errors:
        raise ValidationError(errors)
    with scopes_disabled():
        return _close(transfer, TransferState.DECLINED, actor, reason)


@transaction.atomic
def cancel_transfer(*, transfer: Transfer, actor=None, reason: str) -> Transfer:
    """The side that started a transfer withdraws it while it waits."""
    errors: dict[str, str] = {}
    reason = _reason(reason, errors, "reason", "撤回原因")
    if errors:
        raise ValidationError(errors)
    with scopes_disabled():
        return _close(transfer, TransferState.CANCELLED, actor, reason)


def acting_side(transfer: Transfer, access, perm: str) -> dict[str, bool]:
    """What the user behind `access` may do with a transfer, on which side."""
    pending = transfer.state == TransferState.PENDING
    awaiting = transfer.awaiting_union_id
    starter = transfer.to_union_id if awaiting == transfer.union_id else transfer.union_id
    if transfer.started_by == TransferSide.UPPER:
        return {"accept": False, "decline": False, "cancel": False}
    return {
        "accept": pending and access.can(perm, awaiting),
        "decline": pending and access.can(perm, awaiting),
        "cancel": pending and access.can(perm, starter),
    }


def move_all(
    *, source: Union, target: Union, on, reason: str, actor=None, departments=None, groups=None
) -> int:
    """Every member on `source`'s roll moves to `target` on `on` (a merge).

    Called inside orgs.services.merge_unions' transaction; `departments` and
    `groups` map the source's ids to the target's rows. Returns how many moved."""
    departments, groups = departments or {}, groups or {}
    count = 0
    with scopes_disabled():
        members = list(
            _all(Member)
            .select_for_update()
            .filter(union=source, status=Status.ACTIVE, left_on__isnull=True)
            .order_by("id")
        )
        for member in members:
            transfer = Transfer.objects.create(
                union=source,
                member=member,
                to_union=target,
                on=on,
                reason=reason,
                started_by=TransferSide.UPPER,
                started_by_user=actor if getattr(actor, "pk", None) else None,
            )
            _complete(
                transfer,
                actor=actor,
                department=departments.get(member.department_id),
                group=groups.get(member.group_id),
                employee_number=member.employee_number,
            )
            count += 1
    return count


def merge_problems(*, source: Union, target: Union, on) -> list[str]:
    """Why the members of `source` cannot all move to `target` on `on`."""
    problems = []
    with scopes_disabled():
        members = _all(Member).filter(union=source, status=Status.ACTIVE, left_on__isnull=True)
        for member in members.order_by("id"):
            problem = _target_problem(member, target) or _date_problem(member, on)
            if problem:
                problems.append(problem)
    return problems


def cancel_open(*, union: Union, actor, reason: str) -> int:
    """Withdraw every waiting transfer from or to `union` (it is being closed)."""
    with scopes_disabled():
        pending = _all(Transfer).filter(state=TransferState.PENDING)
        ids = list(pending.filter(union=union).values_list("pk", flat=True)) + list(
            pending.filter(to_union=union).values_list("pk", flat=True)
        )
        for pk in ids:
            _close(Transfer(pk=pk), TransferState.CANCELLED, actor, reason[:200])
    return len(ids)
