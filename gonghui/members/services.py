"""Every write to the roster: creating, updating and changing the status of
members, revealing sensitive values, and joining online."""

from datetime import date

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_scopes import scopes_disabled

from gonghui import encryption, idcard, phone
from gonghui.members import names
from gonghui.members.models import (
    Application,
    ApplicationState,
    Education,
    Gender,
    Member,
    PoliticalStatus,
    Status,
    StatusChange,
)
from gonghui.orgs.models import AccessLog, Department, Group, RoleAssignment, Union
from gonghui.orgs.roles import Role

EDITABLE_FIELDS = (
    "name",
    "gender",
    "birth_date",
    "id_number",
    "phone",
    "employee_number",
    "department",
    "group",
    "position",
    "education",
    "political_status",
    "ethnicity",
    "joined_on",
)
LEAVING_STATUSES = {Status.TRANSFERRED, Status.RETIRED, Status.WITHDRAWN, Status.DECEASED}


def clean_member_fields(*, union: Union, data: dict, instance: Member | None = None) -> dict:
    """Normalise and check one member's fields; raise ValidationError keyed by field.

    Shared by the admin form, the importer, the API and the CLI so one rule
    decides what a valid member is.
    """
    errors: dict[str, str] = {}
    out = dict(data)
    out["name"] = (data.get("name") or "").strip()
    if names.error_in(out["name"]):
        errors["name"] = names.error_in(out["name"])

    raw_id = data.get("id_number") or ""
    try:
        number, birth, gender = idcard.parse(raw_id)
        out["id_number"] = number
        if data.get("birth_date") and data["birth_date"] != birth:
            errors["birth_date"] = f"出生日期与身份证号不一致（身份证为{birth:%Y-%m-%d}）"
        out["birth_date"] = birth
        if data.get("gender") and data["gender"] != gender:
            errors["gender"] = f"性别与身份证号不一致（身份证为{Gender(gender).label}）"
        out["gender"] = gender
    except idcard.IdNumberError as e:
        errors["id_number"] = str(e) if raw_id.strip() else "身份证号不能为空"

    mobile = phone.normalise(data.get("phone") or "")
    if mobile:
        problem = phone.error_in(mobile)
        if problem:
            errors["phone"] = problem
    out["phone"] = mobile

    for key, label in (
        ("employee_number", "工号"),
        ("position", "岗位/职务"),
        ("ethnicity", "民族"),
    ):
        value = (data.get(key) or "").strip()
        limit = Member._meta.get_field(key).max_length
        if len(value) > limit:
            errors[key] = f"{label}不能超过{limit}个字"
        elif any(ord(ch) < 32 for ch in value):
            errors[key] = f"{label}含有不可见的控制字符"
        if key in data:
            out[key] = value

    for key, choices, label in (
        ("education", Education, "学历"),
        ("political_status", PoliticalStatus, "政治面貌"),
    ):
        value = data.get(key) or ""
        if value and value not in choices.values:
            errors[key] = f"{label}“{value}”不在可选范围内"
        out[key] = value

    joined = data.get("joined_on")
    if not joined:
        errors["joined_on"] = "入会日期不能为空"
    elif joined > timezone.localdate():
        errors["joined_on"] = "入会日期不能晚于今天"
    elif "birth_date" in out and out.get("birth_date") and joined < out["birth_date"]:
        errors["joined_on"] = "入会日期不能早于出生日期"

    for key in ("group", "department"):
        obj = data.get(key)
        if obj is not None and obj.union_id != union.id:
            errors[key] = "所选小组或部门不属于本工会"

    if "id_number" in out and "id_number" not in errors:
        digest = encryption.digest(out["id_number"])
        with scopes_disabled():
            clash = Member.objects.filter(union=union, id_number_digest=digest)
            if instance is not None:
                clash = clash.exclude(pk=instance.pk)
            if clash.exists():
                errors["id_number"] = "该身份证号已在本工会会员名册中"
    if errors:
        raise ValidationError(errors)
    return out


def _apply(member: Member, data: dict) -> None:
    for key in EDITABLE_FIELDS:
        if key in data:
            value = data[key]
            if value is None and key not in ("department", "group"):
                value = ""
            setattr(member, key, value)
    member.id_number_digest = encryption.digest(member.id_number)
    member.phone_digest = encryption.digest(member.phone) if member.phone else ""
    member.name_initials = names.initials(member.name)
    member.search_text = names.search_text(member.name)


def archived_problem(union: Union) -> str | None:
    if union.archived_on is not None:
        return f"{union.name}已于{union.archived_on:%Y-%m-%d}撤并，不能再添加会员"
    return None


def closed_by_transfer(member: Member) -> str | None:
    """Why a member's row may not be changed: it was closed by a transfer and is
    the old union's read-only history."""
    if member.transferred_out:
        return (
            f"会员{member.name}已于{member.left_on:%Y-%m-%d}转移至其他工会，"
            "本工会的记录只作为历史保留，不能修改"
        )
    return None


@transaction.atomic
def create_member(*, union: Union, actor=None, **fields) -> Member:
    """Add a member to the roster, active from the date they joined."""
    if archived_problem(union):
        raise ValidationError({"union": archived_problem(union)})
    data = clean_member_fields(union=union, data=fields)
    member = Member(union=union, status=Status.ACTIVE, status_since=data["joined_on"])
    for key in ("department", "group"):
        data.setdefault(key, None)
    _apply(member, data)
    try:
        with transaction.atomic():
            member.save()
    except IntegrityError as e:
        raise ValidationError({"id_number": "该身份证号已在本工会会员名册中"}) from e
    StatusChange.objects.create(
        union=union,
        member=member,
        from_status="",
        to_status=Status.ACTIVE,
        on=data["joined_on"],
        reason="入会",
        actor=actor,
    )
    return member


@transaction.atomic
def update_member(*, member: Member, actor=None, **fields) -> Member:
    """Change a member's roster fields (not the status: see change_status)."""
    if closed_by_transfer(member):
        raise ValidationError({"member": closed_by_transfer(member)})
    current = {k: getattr(member, k) for k in EDITABLE_FIELDS}
    current.update(fields)
    data = clean_member_fields(union=member.union, data=current, instance=member)
    _apply(member, data)
    member.save()
    return member


@transaction.atomic
def change_status(*, member: Member, to: str, on: date, reason: str, actor=None) -> StatusChange:
    """Record a dated status change (调出, 退休, 退会, 去世, or back to 在册) with its reason.

    调出 here is a member leaving for a union outside the system; a move to a
    union of the system is a transfer (members.transfers)."""
    if closed_by_transfer(member):
        raise ValidationError({"to": closed_by_transfer(member)})
    errors = {}
    if to not in Status.values:
        errors["to"] = f"状态“{to}”不在可选范围内"
    elif to == member.status:
        errors["to"] = f"会员当前已是“{Status(to).label}”状态"
    if not (reason or "").strip():
        errors["reason"] = "请填写变动原因"
    elif len(reason.strip()) > 200:
        errors["reason"] = "变动原因不能超过200个字"
    if on is None:
        errors["on"] = "请填写变动日期"
    elif on > timezone.localdate():
        errors["on"] = "变动日期不能晚于今天"
    elif on < member.joined_on:
        errors["on"] = "变动日期不能早于入会日期"
    if errors:
        raise ValidationError(errors)
    change = StatusChange.objects.create(
        union=member.union,
        member=member,
        from_status=member.status,
        to_status=to,
        on=on,
        reason=reason.strip(),
        actor=actor,
    )
    member.status = to
    member.status_since = on
    member.left_on = on if to in LEAVING_STATUSES else None
    member.save(update_fields=["status", "status_since", "left_on", "updated_at"])
    if member.user_id and to in LEAVING_STATUSES:
        get_user_model().objects.filter(pk=member.user_id).update(is_active=False)
    return change


SENSITIVE_FIELDS = {"id_number": "身份证号", "phone": "手机号码"}


@transaction.atomic
def reveal(*, member: Member, field: str, reason: str, user) -> str:
    """Return the plain value of a sensitive field and log who saw it and why.

    The caller must have checked the reveal permission (orgs.access)."""
    if field not in SENSITIVE_FIELDS:
        raise ValidationError({"field": "该字段不可查看"})
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise ValidationError({"reason": "请填写查看理由（至少2个字）"})
    if len(reason) > 200:
        raise ValidationError({"reason": "查看理由不能超过200个字"})
    AccessLog.objects.create(
        user=user,
        union=member.union,
        subject=member.name,
        object_type="member",
        object_id=str(member.pk),
        field=SENSITIVE_FIELDS[field],
        reason=reason,
    )
    return getattr(member, field)


def find_by_id_number(*, union: Union, id_number: str) -> Member | None:
    digest = encryption.digest(idcard.normalise(id_number))
    return Member.objects.filter(union=union, id_number_digest=digest).first()


# Joining online ------------------------------------------------------------


@transaction.atomic
def submit_application(
    *,
    union: Union,
    name: str,
    id_number: str,
    phone_number: str,
    department: Department | None,
    consent: bool,
) -> Application:
    """An employee asks to join; duplicates of members or pending applications are refused."""
    if archived_problem(union):
        raise ValidationError({"union": archived_problem(union)})
    errors = {}
    name = (name or "").strip()
    if names.error_in(name):
        errors["name"] = names.error_in(name)
    try:
        number, _, _ = idcard.parse(id_number)
    except idcard.IdNumberError as e:
        errors["id_number"] = str(e)
        number = ""
    mobile = phone.normalise(phone_number)
    if phone.error_in(mobile):
        errors["phone"] = phone.error_in(mobile)
    if not consent:
        errors["consent"] = "请阅读并同意个人信息使用说明"
    if department is not None and department.union_id != union.id:
        errors["department"] = "部门不属于该工会"
    digest = encryption.digest(number) if number else ""
    if number and "id_number" not in errors:
        with scopes_disabled():
            if Member.objects.filter(
                union=union, id_number_digest=digest, status=Status.ACTIVE
            ).exists():
                errors["id_number"] = "该身份证号已是本工会会员，无需重复申请"
            elif Application.objects.filter(
                union=union, id_number_digest=digest, state=ApplicationState.PENDING
            ).exists():
                errors["id_number"] = "该身份证号已有待审核的申请"
    if errors:
        raise ValidationError(errors)
    return Application.objects.create(
        union=union,
        name=name,
        id_number=number,
        id_number_digest=digest,
        phone=mobile,
        phone_digest=encryption.digest(mobile),
        department=department,
        consent=True,
    )


def _decide(application: Application, state: str, actor, reason: str = "") -> None:
    updated = Application.objects.filter(pk=application.pk, state=ApplicationState.PENDING).update(
        state=state, decided_by=actor, decided_at=timezone.now(), decline_reason=reason
    )
    if updated != 1:
        raise ValidationError({"state": "该申请已被处理"})
    application.refresh_from_db()


@transaction.atomic
def approve_application(
    *, application: Application, actor, group: Group | None = None, password: str | None = None
) -> Member:
    """Approve: create the member and their portal account (sign-in by phone)."""
    _decide(application, ApplicationState.APPROVED, actor)
    member = create_member(
        union=application.union,
        actor=actor,
        name=application.name,
        id_number=application.id_number,
        phone=application.phone,
        department=application.department,
        group=group,
        joined_on=timezone.localdate(),
    )
    create_portal_account(member=member, password=password)
    application.member = member
    application.save(update_fields=["member"])
    return member


@transaction.atomic
def decline_application(*, application: Application, actor, reason: str) -> Application:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"decline_reason": "请填写未批准的原因"})
    _decide(application, ApplicationState.DECLINED, actor, reason)
    return application


# Portal accounts -------------------------------------------------------------


@transaction.atomic
def create_portal_account(*, member: Member, password: str | None = None):
    """Give a member a portal account; without a password the account cannot sign
    in until an administrator sets one."""
    if member.user_id:
        return member.user
    if not member.phone:
        raise ValidationError({"phone": "会员没有登记手机号码，无法开通门户账号"})
    User = get_user_model()
    user = User(username=f"member-{member.pk}", display_name=member.name)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    RoleAssignment.objects.create(user=user, union=member.union, role=Role.MEMBER)
    member.user = user
    member.save(update_fields=["user", "updated_at"])
    return user


def set_password(*, user, password: str, actor=None) -> None:
    """A union administrator resets a password (and lifts any lockout)."""
    from axes.utils import reset as axes_reset
    from django.contrib.auth.password_validation import validate_password

    try:
        validate_password(password, user)
    except ValidationError as e:
        raise ValidationError({"password": list(e.messages)}) from e
    user.set_password(password)
    user.save(update_fields=["password"])
    # Back-office failures count under the username, portal ones under the phone.
    axes_reset(username=user.username)
    member = Member.objects.with_scopes_disabled().filter(user=user).first()
    if member is not None and member.phone:
        axes_reset(username=member.phone)


def log_roster_export(*, queryset, user, reason: str) -> None:
    """Record an export with full ID numbers and phones: one access-log row per union.

    The caller must have checked the reveal permission in every union exported."""
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise ValidationError({"reason": "导出完整号码时请填写理由（至少2个字）"})
    counts = {}
    for union_id in queryset.values_list("union_id", flat=True):
        counts[union_id] = counts.get(union_id, 0) + 1
    for union_id, count in counts.items():
        AccessLog.objects.create(
            user=user,
            union_id=union_id,
            subject=f"导出会员名册（{count}人）",
            object_type="member_export",
            object_id="",
            field="身份证号、手机号码",
            reason=reason[:200],
        )
