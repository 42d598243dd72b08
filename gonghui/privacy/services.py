"""Every write of the personal-information duties: separate consents, the
retention period, anonymising members who left, and the member's own copy.

Other apps call `require_consent(member, category)` before they store a
sensitive category, so a record without a current consent is refused with
the same message whichever screen, API or importer tried to write it.
"""

from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Max
from django.utils import timezone

from gonghui.encryption import EncryptedTextField
from gonghui.members import names
from gonghui.members.models import Application, Member, Status
from gonghui.orgs.access import access_for
from gonghui.orgs.models import AccessLog, Union
from gonghui.orgs.roles import Perm
from gonghui.privacy.models import Anonymisation, Channel, Consent, PrivacySettings
from gonghui.privacy.purposes import Category, purpose_of
from gonghui.privacy.relations import relations

ANONYMOUS = "已匿名会员{}"
HIDDEN = "（已匿名）"
# Access-log rows name the record they opened; these types are the member's.
_LOGGED_TYPES = {
    "hardship_case": "care.HardshipCase",
    "protection_record": "women.ProtectionRecord",
}


def _category(category: str) -> str:
    if category not in Category.values:
        raise ValidationError({"category": f"信息类别“{category or ''}”不在可选范围内"})
    return category


# Consent ----------------------------------------------------------------------------


def current_consent(member: Member, category: str) -> Consent | None:
    return Consent.objects.filter(member=member, category=category, withdrawn_at=None).first()


def require_consent(member: Member, category: str, *, field: str = "member") -> None:
    """Refuse to store `category` for `member` unless she has a current separate consent."""
    if current_consent(member, _category(category)) is None:
        label = Category(category).label
        raise ValidationError(
            {
                field: f"{member.name}尚未单独同意工会处理其{label}（或已撤回同意），不能保存。"
                f"请本人在会员服务“个人信息与授权”中同意，或由工会录入其签署的纸质同意书"
            }
        )


def _give(*, member: Member, category: str, channel: str, user, **extra) -> Consent:
    purpose = purpose_of(_category(category))
    try:
        with transaction.atomic():
            return Consent.objects.create(
                union_id=member.union_id,
                member=member,
                category=category,
                purpose_version=purpose.version,
                purpose_text=purpose.text,
                given_at=timezone.now(),
                channel=channel,
                recorded_by=user,
                **extra,
            )
    except IntegrityError as e:
        raise ValidationError(
            {"category": f"{member.name}已同意处理其{Category(category).label}，无需重复同意"}
        ) from e


@transaction.atomic
def give_consent(*, member: Member, category: str, user) -> Consent:
    """The member herself agrees in the portal, after reading the purpose text."""
    if member.user_id is None or member.user_id != getattr(user, "pk", None):
        raise PermissionDenied("只能由会员本人在会员服务中同意")
    if member.status != Status.ACTIVE:
        raise ValidationError({"member": f"{member.name}已不在册，不能再同意处理新的信息"})
    return _give(member=member, category=category, channel=Channel.PORTAL, user=user)


@transaction.atomic
def record_paper_consent(
    *, member: Member, category: str, paper_reference: str, signed_on: date, actor, today=None
) -> Consent:
    """A cadre records the consent form the member signed on paper."""
    if not access_for(actor).can(Perm.RECORD_CONSENT, member.union_id):
        raise PermissionDenied("您没有录入个人信息同意书的权限")
    today = today or timezone.localdate()
    errors: dict = {}
    reference = (paper_reference or "").strip()
    if not reference:
        errors["paper_reference"] = "请填写纸质同意书编号"
    elif len(reference) > 60:
        errors["paper_reference"] = "纸质同意书编号不能超过60个字"
    if not isinstance(signed_on, date):
        errors["signed_on"] = "请填写同意书签署日期"
    elif signed_on > today:
        errors["signed_on"] = "同意书签署日期不能晚于今天"
    elif signed_on < member.joined_on - timedelta(days=366):
        errors["signed_on"] = "同意书签署日期早于入会日期一年以上，请核对"
    if member.status != Status.ACTIVE:
        errors["member"] = f"{member.name}已不在册，不能再录入同意书"
    if errors:
        raise ValidationError(errors)
    return _give(
        member=member,
        category=category,
        channel=Channel.PAPER,
        user=actor,
        paper_reference=reference,
        signed_on=signed_on,
    )


@transaction.atomic
def withdraw_consent(*, consent: Consent, user) -> Consent:
    """Withdraw a consent: by the member herself, or recorded by a cadre from her
    written withdrawal. Records already stored stay; no new ones may be stored."""
    own = consent.member.user_id is not None and consent.member.user_id == user.pk
    if not own and not access_for(user).can(Perm.RECORD_CONSENT, consent.union_id):
        raise PermissionDenied("您没有撤回该同意的权限")
    changed = Consent.objects.filter(pk=consent.pk, withdrawn_at=None).update(
        withdrawn_at=timezone.now(),
        withdrawn_channel=Channel.PORTAL if own else Channel.PAPER,
        withdrawn_by=user,
    )
    if changed != 1:
        raise ValidationError({"consent": "该同意已经撤回"})
    consent.refresh_from_db()
    return consent


# Retention --------------------------------------------------------------------------


def settings_of(union: Union) -> PrivacySettings:
    found = PrivacySettings.objects.filter(union=union).first()
    return found or PrivacySettings(union=union)


@transaction.atomic
def set_retention(*, union: Union, years, actor) -> PrivacySettings:
    if not access_for(actor).can(Perm.ANONYMISE, union.pk):
        raise PermissionDenied("您没有设置个人信息保存期限的权限")
    if not isinstance(years, int) or isinstance(years, bool) or not 1 <= years <= 100:
        raise ValidationError({"retention_years": "离会后保存年限应为1至100之间的整数"})
    found, _ = PrivacySettings.objects.update_or_create(
        union=union, defaults={"retention_years": years, "updated_by": actor}
    )
    return found


def _years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, month=3, day=1)


def due_on(member: Member, years: int) -> date | None:
    """The first day `member`'s identity may be removed, or None while on the roll."""
    if member.status == Status.ACTIVE or member.left_on is None:
        return None
    return _years_after(member.left_on, years)


def due_members(*, union: Union, today: date):
    """Members of `union` who left more than the retention period ago and still
    carry their identity."""
    years = settings_of(union).retention_years
    latest = _years_after(today, -years)
    return (
        Member.objects.filter(union=union, left_on__lte=latest)
        .exclude(status=Status.ACTIVE)
        .filter(anonymisation__isnull=True)
        .select_related("group", "department")
        .order_by("left_on", "pk")
    )


# Anonymisation ----------------------------------------------------------------------


def _replace_name(value, old: str, new: str):
    return value.replace(old, new) if isinstance(value, str) and old and old in value else value


def _scrub_rows(member: Member, old: str, new: str) -> dict[str, list]:
    """Clear the encrypted free text of every row about the member and replace
    her name wherever a text column repeats it. Returns the primary keys per model."""
    touched: dict[str, list] = {}
    for relation in relations():
        model = relation.model
        if model is Anonymisation:
            continue
        secret = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, EncryptedTextField) and f.blank
        ]
        texts = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField)
            and not isinstance(f, EncryptedTextField)
            and not f.choices
        ]
        for row in relation.rows(member).only("pk", *texts):
            changed = {name: "" for name in secret}
            for name in texts:
                value = getattr(row, name)
                replaced = _replace_name(value, old, new)
                if replaced != value:
                    changed[name] = replaced
            if changed:
                model._base_manager.filter(pk=row.pk).update(**changed)
            touched.setdefault(model._meta.label, []).append(row.pk)
    return touched


def _scrub_logs(
    member: Member, old: str, new: str, touched: dict[str, list], user_id: int | None
) -> None:
    from auditlog.models import LogEntry

    refs = [("member", [member.pk])] + [
        (kind, touched.get(label, [])) for kind, label in _LOGGED_TYPES.items()
    ]
    for kind, pks in refs:
        if pks:
            AccessLog.objects.filter(
                union_id=member.union_id, object_type=kind, object_id__in=[str(p) for p in pks]
            ).update(subject=new)
    own = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Member), object_pk=str(member.pk)
    )
    if user_id is not None:
        own = own | LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(get_user_model()),
            object_pk=str(user_id),
        )
    for entry in own:
        changes = entry.changes if isinstance(entry.changes, dict) else {}
        entry.changes = {key: [HIDDEN, HIDDEN] for key in changes}
        LogEntry.objects.filter(pk=entry.pk).update(
            changes=entry.changes, changes_text="", serialized_data=None, object_repr=new
        )
    for label, pks in touched.items():
        model = next(r.model for r in relations() if r.model._meta.label == label)
        entries = LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(model),
            object_pk__in=[str(p) for p in pks],
        )
        for entry in entries:
            repr_ = _replace_name(entry.object_repr, old, new)
            text = entry.changes if isinstance(entry.changes, dict) else {}
            scrubbed = {
                k: [_replace_name(v, old, new) for v in values]
                if isinstance(values, list)
                else values
                for k, values in text.items()
            }
            if repr_ != entry.object_repr or scrubbed != text or entry.serialized_data:
                LogEntry.objects.filter(pk=entry.pk).update(
                    object_repr=repr_, changes=scrubbed, serialized_data=None
                )


@transaction.atomic
def anonymise(*, member: Member, actor, today: date | None = None) -> Anonymisation:
    """Remove a former member's identity once the union's retention period has
    passed, keeping what statistics count: gender, birth year and month, join
    and leave dates, status, group and department, dues and every other record."""
    if not access_for(actor).can(Perm.ANONYMISE, member.union_id):
        raise PermissionDenied("您没有匿名化会员信息的权限")
    today = today or timezone.localdate()
    member = Member.objects.select_for_update().get(pk=member.pk)
    if Anonymisation.objects.filter(member=member).exists():
        raise ValidationError({"member": f"{member.name}已经匿名化"})
    years = settings_of(member.union).retention_years
    due = due_on(member, years)
    if due is None:
        raise ValidationError(
            {"member": f"{member.name}仍在册（{member.get_status_display()}），不能匿名化"}
        )
    if due > today:
        raise ValidationError(
            {
                "member": f"{member.name}于{member.left_on:%Y年%m月%d日}离会，未满本会规定的"
                f"{years}年保存期限，{due:%Y年%m月%d日}起方可匿名化"
            }
        )
    number = (
        Anonymisation.objects.filter(union_id=member.union_id).aggregate(n=Max("number"))["n"] or 0
    ) + 1
    old, new = member.name, ANONYMOUS.format(number)
    touched = _scrub_rows(member, old, new)
    Application.objects.filter(member=member).update(
        name=new, id_number="", id_number_digest="", phone="", phone_digest=""
    )
    user_id = member.user_id
    # update(), not save(): the audit log must not record the old values once more.
    Member.objects.filter(pk=member.pk).update(
        name=new,
        name_initials=names.initials(new),
        search_text=names.search_text(new),
        id_number="",
        id_number_digest=f"anonymised-{member.pk}",
        phone="",
        phone_digest="",
        employee_number="",
        position="",
        birth_date=member.birth_date.replace(day=1),
        user=None,
    )
    if user_id is not None:
        get_user_model()._base_manager.filter(pk=user_id).update(
            username=f"anonymised-{member.pk}",
            is_active=False,
            password=make_password(None),
            display_name="",
            first_name="",
            last_name="",
            email="",
        )
    _scrub_logs(member, old, new, touched, user_id)
    return Anonymisation.objects.create(
        union_id=member.union_id,
        member=member,
        number=number,
        left_on=member.left_on,
        retention_years=years,
        anonymised_by=actor,
    )
