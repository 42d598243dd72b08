"""Writes to the union tree, its departments, groups, terms and roles."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Concat, Substr
from django.dispatch import Signal

from gonghui import creditcode
from gonghui.orgs.models import (
    Department,
    Group,
    Post,
    RestructuringEvent,
    RestructuringKind,
    RoleAssignment,
    Term,
    Union,
    UnionKind,
)
from gonghui.orgs.roles import Perm, Role


@transaction.atomic
def create_union(
    *,
    code: str,
    name: str,
    kind: str,
    parent: Union | None = None,
    credit_code: str = "",
    headcount: int = 0,
    **details,
) -> Union:
    errors = {}
    if kind not in UnionKind.values:
        errors["kind"] = f"工会类型“{kind}”不在可选范围内"
    if not (name or "").strip():
        errors["name"] = "请填写工会名称"
    if credit_code and creditcode.error_in(credit_code):
        errors["credit_code"] = creditcode.error_in(credit_code)
    if Union.objects.filter(code=code).exists():
        errors["code"] = f"编码“{code}”已被使用"
    if headcount is not None and headcount < 0:
        errors["headcount"] = "职工总数不能为负数"
    if errors:
        raise ValidationError(errors)
    return Union.objects.create(
        code=code,
        name=name.strip(),
        kind=kind,
        parent=parent,
        credit_code=(credit_code or "").upper(),
        headcount=headcount or 0,
        **details,
    )


def create_department(*, union: Union, name: str) -> Department:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "请填写部门名称"})
    if Department.objects.filter(union=union, name=name).exists():
        raise ValidationError({"name": f"部门“{name}”已存在"})
    return Department.objects.create(union=union, name=name)


def create_group(
    *, union: Union, name: str, department: Department | None = None, leader=None, liaison=None
) -> Group:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "请填写小组名称"})
    if Group.objects.filter(union=union, name=name).exists():
        raise ValidationError({"name": f"小组“{name}”已存在"})
    for field, obj in (("department", department), ("leader", leader), ("liaison", liaison)):
        if obj is not None and obj.union_id != union.id:
            raise ValidationError({field: "所选对象不属于本工会"})
    return Group.objects.create(
        union=union, name=name, department=department, leader=leader, liaison=liaison
    )


def start_term(*, union: Union, number: int, starts_on, ends_on=None) -> Term:
    if Term.objects.filter(union=union, number=number).exists():
        raise ValidationError({"number": f"第{number}届已存在"})
    if ends_on and ends_on < starts_on:
        raise ValidationError({"ends_on": "结束日期不能早于开始日期"})
    return Term.objects.create(union=union, number=number, starts_on=starts_on, ends_on=ends_on)


def appoint(*, term: Term, member, kind: str) -> Post:
    if member.union_id != term.union_id:
        raise ValidationError({"member": "该会员不属于本工会"})
    post, _ = Post.objects.get_or_create(union=term.union, term=term, member=member, kind=kind)
    return post


def assign_role(*, user, union: Union, role: str) -> RoleAssignment:
    if role not in Role.values:
        raise ValidationError({"role": f"角色“{role}”不在可选范围内"})
    assignment, _ = RoleAssignment.objects.get_or_create(user=user, union=union, role=role)
    if hasattr(user, "_gonghui_access"):
        del user._gonghui_access
    if (
        role != Role.MEMBER
        and not user.is_staff
        and role
        in {Role.CHAIR, Role.COMMITTEE, Role.LIAISON, Role.AUDIT, Role.WOMEN, Role.UPPER_STAFF}
    ):
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    return assignment


def _save_checked(obj, fields: list[str]):
    """Save an edited row after its model validation (unique names, credit code)."""
    obj.full_clean(exclude=[f.name for f in obj._meta.fields if f.name not in fields])
    obj.save()
    return obj


UNION_DETAILS = [
    "name",
    "kind",
    "credit_code",
    "established_on",
    "headcount",
    "address",
    "contact_name",
    "contact_phone",
]


@transaction.atomic
def update_union(*, union: Union, **fields) -> Union:
    """Change a union's details. Its code and place in the tree are not changed here:
    moving a union rewrites its subtree's paths and is a restructuring of its own."""
    unknown = set(fields) - set(UNION_DETAILS)
    if unknown:
        raise ValidationError({sorted(unknown)[0]: "该项不能在此修改"})
    for key, value in fields.items():
        setattr(union, key, value)
    if union.credit_code:
        union.credit_code = union.credit_code.strip().upper()
    return _save_checked(union, UNION_DETAILS)


@transaction.atomic
def rename_department(*, department: Department, name: str) -> Department:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "请填写部门名称"})
    clash = Department.objects.filter(union=department.union, name=name).exclude(pk=department.pk)
    if clash.exists():
        raise ValidationError({"name": f"部门“{name}”已存在"})
    department.name = name
    department.save(update_fields=["name"])
    return department


@transaction.atomic
def update_group(*, group: Group, name: str, department=None, leader=None, liaison=None) -> Group:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "请填写小组名称"})
    if Group.objects.filter(union=group.union, name=name).exclude(pk=group.pk).exists():
        raise ValidationError({"name": f"小组“{name}”已存在"})
    for field, obj in (("department", department), ("leader", leader), ("liaison", liaison)):
        if obj is not None and obj.union_id != group.union_id:
            raise ValidationError({field: "所选对象不属于本工会"})
    group.name, group.department, group.leader, group.liaison = name, department, leader, liaison
    group.save()
    return group


@transaction.atomic
def update_term(*, term: Term, starts_on, ends_on=None) -> Term:
    if ends_on and ends_on < starts_on:
        raise ValidationError({"ends_on": "结束日期不能早于开始日期"})
    term.starts_on, term.ends_on = starts_on, ends_on
    term.save(update_fields=["starts_on", "ends_on"])
    return term


@transaction.atomic
def create_account(*, username: str, display_name: str, password: str, union: Union, role: str):
    """A back-office account with its first role. The password is checked before
    anything is written, so a refused password leaves no half-made account."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.password_validation import validate_password

    User = get_user_model()
    username = (username or "").strip()
    errors = {}
    if not username:
        errors["username"] = "请填写用户名"
    elif User.objects.filter(username=username).exists():
        errors["username"] = f"用户名“{username}”已被使用"
    if role not in Role.values:
        errors["role"] = f"角色“{role}”不在可选范围内"
    candidate = User(username=username, display_name=display_name)
    try:
        validate_password(password, candidate)
    except ValidationError as e:
        errors["password1"] = "；".join(e.messages)
    if errors:
        raise ValidationError(errors)
    candidate.set_password(password)
    candidate.save()
    assign_role(user=candidate, union=union, role=role)
    return candidate


# Restructuring the tree ------------------------------------------------------------
#
# An upper union reorganises the unions below it: it moves a union (with its
# own subtree) under another parent, or merges one union into another. Both
# are recorded as a RestructuringEvent. Rows keep their union: a moved union's
# records stay its own, a merged union's records stay its history (it is
# archived, never deleted). docs/architecture.md ("Restructuring") says what
# each keeps and what it does not.

# Sent inside merge_unions' transaction after the members have moved, so an area
# can move its own open records to the target: receivers get `source`,
# `target`, `on`, `event` and `actor`.
union_merged = Signal()


def _restructuring_errors(*, by: Union, access, union: Union, on, reason: str) -> dict:
    from django.utils import timezone

    errors = {}
    if by is None or not by.is_upper:
        errors["by"] = "只有上级工会可以调整下级工会的组织关系"
    elif access is not None and not access.can(Perm.RESTRUCTURE, by.pk):
        errors["by"] = f"您没有调整{by.name}所属工会组织关系的权限"
    elif not union.path.startswith(by.path) or union.pk == by.pk:
        errors["union"] = f"{union.name}不在{by.name}的下级工会中"
    if union.is_archived:
        errors["union"] = f"{union.name}已于{union.archived_on:%Y-%m-%d}撤并"
    if not isinstance(on, date):
        errors["on"] = "请填写生效日期"
    elif on > timezone.localdate():
        errors["on"] = "生效日期不能晚于今天"
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = "请填写调整的原因或依据（如上级文件文号）"
    elif len(reason) > 200:
        errors["reason"] = "原因或依据不能超过200个字"
    return errors


@transaction.atomic
def move_union(
    *, union: Union, new_parent: Union, by: Union, on, reason: str, actor=None, access=None
) -> RestructuringEvent:
    """Move `union` and its subtree under `new_parent`, both inside `by`'s subtree.

    The materialised paths of the whole subtree are rewritten in one statement;
    each union's own records are untouched."""
    union = Union.objects.select_for_update().get(pk=union.pk)
    errors = _restructuring_errors(by=by, access=access, union=union, on=on, reason=reason)
    if new_parent is None:
        errors["new_parent"] = "请选择新的上级工会"
    elif "by" not in errors:
        new_parent = Union.objects.get(pk=new_parent.pk)
        if not new_parent.path.startswith(by.path):
            errors["new_parent"] = f"{new_parent.name}不在{by.name}的下级工会中"
        elif new_parent.path.startswith(union.path):
            errors["new_parent"] = "不能把工会调整到它自己或它的下级工会之下"
        elif new_parent.pk == union.parent_id:
            errors["new_parent"] = f"{union.name}已经隶属于{new_parent.name}"
        elif new_parent.is_archived:
            errors["new_parent"] = f"{new_parent.name}已撤并，不能作为上级工会"
        elif not new_parent.is_upper:
            errors["new_parent"] = f"{new_parent.name}是基层工会，不能作为上级工会"
    if errors:
        raise ValidationError(errors)
    old_parent, old_path = union.parent, union.path
    new_path = f"{new_parent.path}{union.code}/"
    Union.objects.filter(path__startswith=old_path).update(
        path=Concat(Value(new_path), Substr("path", len(old_path) + 1))
    )
    Union.objects.filter(pk=union.pk).update(parent=new_parent)
    union.refresh_from_db()
    return RestructuringEvent.objects.create(
        union=union,
        kind=RestructuringKind.MOVE,
        on=on,
        reason=reason.strip(),
        from_parent=old_parent,
        to_parent=new_parent,
        by_union=by,
        old_path=old_path,
        new_path=new_path,
        actor=actor if getattr(actor, "pk", None) else None,
    )


def _copy_named(model, source: Union, target: Union) -> dict[int, object]:
    """Each department (or group) of `source` as a row of `target` with the same
    name, or the source's name before it where the target already has one."""
    mapping = {}
    taken = set(model.objects.filter(union=target).values_list("name", flat=True))
    for row in model.objects.filter(union=source).order_by("id"):
        name = row.name
        if name in taken:
            name = f"{source.name}·{row.name}"[:80]
        copy = model.objects.filter(union=target, name=name).first()
        if copy is None:
            copy = model.objects.create(union=target, name=name)
        taken.add(name)
        mapping[row.pk] = copy
    return mapping


@transaction.atomic
def merge_unions(
    *, source: Union, target: Union, by: Union, on, reason: str, actor=None, access=None
) -> RestructuringEvent:
    """Merge `source` into `target` (撤并), both inside `by`'s subtree.

    Every member on the source's roll moves to the target on `on` through the
    transfer workflow (closed in the source, opened in the target); its
    departments and groups are recreated in the target, its waiting join
    applications move there, its waiting transfers are withdrawn. The source
    is archived, not deleted: its records and closed rows stay its history."""
    from django_scopes import scopes_disabled

    from gonghui.members import transfers
    from gonghui.members.models import Application, ApplicationState

    with scopes_disabled():
        source = Union.objects.select_for_update().get(pk=source.pk)
        errors = _restructuring_errors(by=by, access=access, union=source, on=on, reason=reason)
        if target is None:
            errors["target"] = "请选择并入的工会"
        elif "by" not in errors:
            target = Union.objects.select_for_update().get(pk=target.pk)
            if target.pk == source.pk:
                errors["target"] = "不能把工会并入它自己"
            elif not target.path.startswith(by.path):
                errors["target"] = f"{target.name}不在{by.name}的下级工会中"
            elif target.is_archived:
                errors["target"] = f"{target.name}已于{target.archived_on:%Y-%m-%d}撤并"
            elif Union.objects.filter(parent=source, archived_on__isnull=True).exists():
                errors["union"] = f"{source.name}还有下级工会，请先把它们调整到其他上级工会之下"
        if errors:
            raise ValidationError(errors)
        problems = transfers.merge_problems(source=source, target=target, on=on)
        if problems:
            shown = "；".join(problems[:5])
            more = f"等{len(problems)}处" if len(problems) > 5 else ""
            raise ValidationError({"target": f"以下会员不能并入：{shown}{more}"})
        reason = reason.strip()
        actor = actor if getattr(actor, "pk", None) else None
        cancelled = transfers.cancel_open(
            union=source, actor=actor, reason=f"{source.name}并入{target.name}，转移自动撤回"
        )
        departments = _copy_named(Department, source, target)
        groups = _copy_named(Group, source, target)
        for old in Group.objects.filter(union=source, department__isnull=False):
            copy = groups[old.pk]
            if copy.department_id is None:
                copy.department = departments.get(old.department_id)
                copy.save(update_fields=["department"])
        moved_members = transfers.move_all(
            source=source,
            target=target,
            on=on,
            reason=f"{source.name}并入{target.name}：{reason}"[:200],
            actor=actor,
            departments=departments,
            groups=groups,
        )
        applications = Application.objects.filter(
            union=source, state=ApplicationState.PENDING
        ).update(union=target, department=None)
        Union.objects.filter(pk=source.pk).update(archived_on=on, merged_into=target)
        source.refresh_from_db()
        event = RestructuringEvent.objects.create(
            union=source,
            kind=RestructuringKind.MERGE,
            on=on,
            reason=reason,
            from_parent=source.parent,
            target=target,
            by_union=by,
            old_path=source.path,
            moved={
                "members": moved_members,
                "departments": len(departments),
                "groups": len(groups),
                "applications": applications,
                "transfers_cancelled": cancelled,
            },
            actor=actor,
        )
        union_merged.send(
            sender=Union, source=source, target=target, on=on, event=event, actor=actor
        )
    return event
