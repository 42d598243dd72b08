"""Wrong-code counting for the second sign-in step.

The authenticator (TOTP) and recovery codes are django-otp's devices; this
table only counts wrong codes per account so a stolen password cannot be
followed by guessing six digits.
"""

from django.conf import settings
from django.db import models


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
