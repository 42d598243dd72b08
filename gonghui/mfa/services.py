"""Every write of the second sign-in step: enrolling an authenticator,
checking a code, using up a recovery code, counting wrong codes, resetting.

Codes are checked here, not by django-otp's `verify_token`, so that using a
code is one conditional update: the same authenticator code or recovery code
sent twice at the same moment is accepted once.
"""

import re
import secrets
import time
import unicodedata
from base64 import b32encode
from binascii import unhexlify
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from gonghui import encryption
from gonghui.mfa import queries
from gonghui.mfa.models import SEALED, Authenticator, AuthenticatorKey, CodeAttempts

RECOVERY_CODE_COUNT = 10
AUTHENTICATOR_NAME = "身份验证器"
RECOVERY_NAME = "恢复码"
TOTP_CODE = re.compile(r"^[0-9]{6}$")
RECOVERY_CODE = re.compile(r"^[a-z2-7]{8}$")

WRONG_CODE = "验证码不正确，请输入身份验证器上当前显示的6位数字，或一个未用过的恢复码。"
WRONG_FORMAT = "请输入6位数字验证码，或形如 abcd-2345 的8位恢复码。"


def normalise(code: str) -> str:
    """Digits or a recovery code as typed: full-width characters (a Chinese
    input method's １２３) made plain, spaces and hyphens dropped, lower case."""
    return re.sub(r"[\s\-]", "", unicodedata.normalize("NFKC", code or "")).lower()


def recovery_digest(code: str) -> str:
    """What is stored for a recovery code: a keyed digest, never the code itself
    (StaticToken.token holds 16 characters)."""
    return encryption.digest(normalise(code))[:16]


def format_recovery_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


def key_of(device: TOTPDevice) -> bytes | None:
    """The authenticator's key, decrypted from its sealed row; None if it has none
    (a device made outside these services), which then accepts no code."""
    sealed = AuthenticatorKey.objects.filter(device_id=device.pk).first()
    return unhexlify(sealed.key.encode()) if sealed is not None else None


def secret_of(device: TOTPDevice) -> str:
    """The authenticator's key in base32, as typed into an app by hand."""
    return b32encode(key_of(device) or b"").decode()


# Wrong-code counting -------------------------------------------------------


def _lock_message(until) -> str:
    local = timezone.localtime(until)
    return (
        f"验证码连续输错{settings.GONGHUI_MFA_FAILURE_LIMIT}次，为保护账号安全，"
        f"两步验证已锁定至 {local:%H:%M}。请稍后再试；如手机丢失，请联系本单位工会办公室重置。"
    )


def ensure_not_locked(*, user) -> None:
    """Raise with the unlock time if the account's second step is locked."""
    until = queries.locked_until(user)
    if until is not None:
        raise ValidationError({"code": _lock_message(until)}, code="locked")


def _record_failure(*, user) -> None:
    """Count one wrong code; the limit-th in a row locks the second step."""
    with transaction.atomic():
        CodeAttempts.objects.get_or_create(user=user)
        CodeAttempts.objects.filter(user=user).update(failures=F("failures") + 1)
        limit = settings.GONGHUI_MFA_FAILURE_LIMIT
        until = timezone.now() + timedelta(minutes=settings.GONGHUI_MFA_LOCKOUT_MINUTES)
        CodeAttempts.objects.filter(user=user, failures__gte=limit).update(
            failures=0, locked_until=until
        )


def _clear_failures(*, user) -> None:
    CodeAttempts.objects.filter(user=user).update(failures=0, locked_until=None)


def _refuse(*, user, message: str = WRONG_CODE):
    """Count the wrong code and raise; the raise names the lock if this one caused it."""
    _record_failure(user=user)
    ensure_not_locked(user=user)
    left = settings.GONGHUI_MFA_FAILURE_LIMIT - (
        CodeAttempts.objects.filter(user=user).values_list("failures", flat=True).first() or 0
    )
    raise ValidationError({"code": f"{message}（再输错{left}次将锁定）"}, code="wrong")


# Checking codes ----------------------------------------------------------


def _accept_totp(*, device: TOTPDevice, code: str) -> bool:
    """True if code is the device's current code and was not used before."""
    key = key_of(device)
    if key is None:
        return False
    totp = TOTP(key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if not totp.verify(int(code), device.tolerance, device.last_t + 1):
        return False
    step = totp.t()
    # Conditional update: a code already used (or a later one) changes nothing.
    return (
        TOTPDevice.objects.filter(pk=device.pk, last_t__lt=step).update(
            last_t=step, drift=totp.drift, last_used_at=timezone.now()
        )
        == 1
    )


def _accept_recovery(*, user, code: str) -> StaticDevice | None:
    token = (
        StaticToken.objects.filter(
            device__user=user, device__confirmed=True, token=recovery_digest(code)
        )
        .select_related("device")
        .first()
    )
    if token is None:
        return None
    # Only the request that deletes the row may use it.
    if StaticToken.objects.filter(pk=token.pk).delete()[0] != 1:
        return None
    StaticDevice.objects.filter(pk=token.device_id).update(last_used_at=timezone.now())
    return token.device


def verify(*, user, code: str):
    """The device that accepts `code` (authenticator code or recovery code,
    which is then used up), or ValidationError keyed `code` with a Chinese message.

    Wrong codes count towards the lock; a right code clears the count.
    """
    ensure_not_locked(user=user)
    code = normalise(code)
    device = None
    if TOTP_CODE.match(code):
        authenticator = queries.authenticator(user)
        if authenticator is not None and _accept_totp(device=authenticator, code=code):
            device = authenticator
    elif RECOVERY_CODE.match(code):
        device = _accept_recovery(user=user, code=code)
    else:
        _refuse(user=user, message=WRONG_FORMAT)
    if device is None:
        _refuse(user=user)
    _clear_failures(user=user)
    return device


# Enrolment -----------------------------------------------------------------


@transaction.atomic
def begin_enrolment(*, user) -> Authenticator:
    """An unconfirmed authenticator for the user to scan; the same one on every
    visit until it is confirmed, so reloading the page does not change the QR code.

    Its key is stored encrypted (`AuthenticatorKey`); django-otp's own key
    column holds only the `SEALED` marker."""
    pending = (
        Authenticator.objects.filter(user=user, confirmed=False, sealed_key__isnull=False)
        .order_by("-pk")
        .first()
    )
    if pending is not None:
        return pending
    device = Authenticator.objects.create(
        user=user, name=AUTHENTICATOR_NAME, confirmed=False, key=SEALED
    )
    AuthenticatorKey.objects.create(device=device, key=random_hex(20))
    return device


def _new_recovery_codes(*, user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [b32encode(secrets.token_bytes(5)).decode().lower() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(
        StaticToken(device=device, token=recovery_digest(code)) for code in codes
    )
    return [format_recovery_code(code) for code in codes]


def confirm_enrolment(*, user, device: TOTPDevice, code: str) -> list[str]:
    """Confirm the pending authenticator with its current code; it replaces any
    earlier one. Returns fresh recovery codes (shown once, stored as digests)."""
    ensure_not_locked(user=user)
    if device.user_id != user.pk or device.confirmed:
        raise ValidationError({"code": "这个绑定请求已失效，请刷新页面重新扫码。"})
    code = normalise(code)
    if not TOTP_CODE.match(code):
        _refuse(user=user, message="请输入身份验证器上显示的6位数字。")
    if not _accept_totp(device=device, code=code):
        _refuse(
            user=user,
            message="验证码不正确。请确认已扫描本页的二维码，手机时间准确，并输入当前显示的6位数字。",
        )
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True)
        codes = _new_recovery_codes(user=user)
    _clear_failures(user=user)
    device.refresh_from_db()
    return codes


@transaction.atomic
def regenerate_recovery_codes(*, user) -> list[str]:
    """Replace the user's recovery codes; the old ones stop working."""
    if not queries.has_authenticator(user):
        raise ValidationError("尚未绑定身份验证器，不能生成恢复码。")
    return _new_recovery_codes(user=user)


@transaction.atomic
def reset(*, user) -> int:
    """Remove the user's authenticator and recovery codes (a lost phone); the
    next sign-in asks them to enrol again. Returns how many devices were removed."""
    removed = TOTPDevice.objects.filter(user=user).delete()[1].get(TOTPDevice._meta.label, 0)
    removed += StaticDevice.objects.filter(user=user).delete()[1].get(StaticDevice._meta.label, 0)
    CodeAttempts.objects.filter(user=user).delete()
    return removed
