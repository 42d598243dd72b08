import secrets

from django.conf import settings
from django.db import models


class ApiToken(models.Model):
    """A bearer token. Only its keyed digest is stored; the key is shown once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name="账号",
    )
    name = models.CharField("用途", max_length=60)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField("前缀", max_length=8, editable=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)

    class Meta:
        verbose_name = "接口令牌"
        verbose_name_plural = "接口令牌"

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def new_key() -> str:
        return secrets.token_urlsafe(32)
