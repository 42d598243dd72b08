"""Writes to the union tree, its departments, groups, terms and roles."""

from django.core.exceptions import ValidationError
from django.db import transaction

from gonghui import creditcode
from gonghui.orgs.models import (
    Department,
    Group,
    Post,
    RoleAssignment,
    Term,
    Union,
    UnionKind,
)
from gonghui.orgs.roles import Role


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
