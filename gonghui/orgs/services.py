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
