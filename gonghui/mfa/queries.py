"""Who must use a second factor, and what each account has set up."""

from django.conf import settings
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from gonghui.mfa.models import Authenticator, CodeAttempts
from gonghui.orgs.access import access_for


def second_factor_required(user) -> bool:
    """True when the account holds a role named in GONGHUI_MFA_ROLES (in any
    union), or is a superuser and superusers are covered."""
    if not user.is_authenticated:
        return False
    if user.is_superuser and settings.GONGHUI_MFA_REQUIRED_FOR_SUPERUSERS:
        return True
    roles = set(settings.GONGHUI_MFA_ROLES)
    # The roles the request's scoping reads anyway (cached on the user object),
    # so the check costs no query of its own.
    held = access_for(user).roles.values()
    return any(roles & union_roles for union_roles in held)


def authenticator(user) -> Authenticator | None:
    """The account's confirmed authenticator, if it has one."""
    return Authenticator.objects.filter(user=user, confirmed=True).order_by("-pk").first()


def has_authenticator(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def locked_until(user):
    """When the account's second step unlocks, or None if it is not locked."""
    until = (
        CodeAttempts.objects.filter(user=user, locked_until__gt=timezone.now())
        .values_list("locked_until", flat=True)
        .first()
    )
    return until
