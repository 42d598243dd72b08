"""Wrong-code counting and the sealed authenticator keys of the second step.

The authenticator (TOTP) and recovery codes are django-otp's devices. django-otp
keeps an authenticator's key in the clear in `otp_totp_totpdevice.key`, where a
database administrator or a dump could read it and generate codes; here the
key lives encrypted (`AuthenticatorKey`, the project's field encryption) and
the django-otp column holds only `SEALED`, which is not a key at all: any code
path that reads it as one fails instead of checking codes against it.
`CodeAttempts` counts wrong codes per account so a stolen password cannot be
followed by guessing six digits.
"""

from binascii import unhexlify

from django.conf import settings
from django.db import models
from django_otp.plugins.otp_totp.models import TOTPDevice

from gonghui.encryption import EncryptedTextField

# What django-otp's key column holds for a sealed key: not hexadecimal, so
# django-otp's own `bin_key` raises rather than yielding a usable key.
SEALED = "sealed:mfa_authenticatorkey"


class CodeAttempts(models.Model):
    """Wrong codes in a row for one account, and until when it is locked."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="mfa_attempts",
        verbose_name="账号",
    )
    failures = models.PositiveSmallIntegerField("连续输错次数", default=0)
    locked_until = models.DateTimeField("锁定至", null=True, blank=True)

    class Meta:
        verbose_name = "验证码输错记录"
        verbose_name_plural = "验证码输错记录"

    def __str__(self):
        return f"{self.user} {self.failures}"


class AuthenticatorKey(models.Model):
    """An authenticator's TOTP key (hexadecimal, as django-otp writes it),
    stored encrypted with FIELD_ENCRYPTION_KEYS."""

    device = models.OneToOneField(
        TOTPDevice,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="sealed_key",
        verbose_name="身份验证器",
    )
    key = EncryptedTextField("密钥（加密保存）")

    class Meta:
        verbose_name = "身份验证器密钥"
        verbose_name_plural = "身份验证器密钥"

    def __str__(self):
        return f"{self.device_id}"


class Authenticator(TOTPDevice):
    """django-otp's TOTP device, reading its key from `AuthenticatorKey`.

    Everything django-otp derives from the key (`config_url` for the QR code,
    `verify_token`) goes through `bin_key`, so it works on this class and fails
    on the plain `TOTPDevice`, whose column holds `SEALED`."""

    class Meta:
        proxy = True
        verbose_name = "身份验证器"
        verbose_name_plural = "身份验证器"

    @property
    def bin_key(self) -> bytes:
        try:
            sealed = self.sealed_key
        except AuthenticatorKey.DoesNotExist as missing:
            raise LookupError(f"身份验证器 {self.pk} 没有加密保存的密钥") from missing
        return unhexlify(sealed.key.encode())
