"""Personal-information duties (PIPL): separate consents for sensitive
categories, the union's retention period, and the record of each member
anonymised after it.

A consent is never edited: withdrawing it stamps `withdrawn_at`, and giving
it again adds a new row, so the history of what the member agreed to, when
and through which channel stays readable.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from gonghui.orgs.models import ScopedModel
from gonghui.privacy.purposes import Category


class Channel(models.TextChoices):
    PORTAL = "portal", "本人在会员服务中同意"
    PAPER = "paper", "纸质同意书（干部录入）"


def _user(label: str):
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=label,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )


class Consent(ScopedModel):
    """单独同意: one member's consent to one sensitive category, under the purpose
    text (and its version) she was shown."""

    member = models.ForeignKey(
        "members.Member", verbose_name="会员", on_delete=models.PROTECT, related_name="consents"
    )
    category = models.CharField("信息类别", max_length=20, choices=Category.choices)
    purpose_version = models.CharField("告知文本版本", max_length=20)
    purpose_text = models.TextField("告知的处理目的")
    given_at = models.DateTimeField("同意时间")
    channel = models.CharField("同意方式", max_length=10, choices=Channel.choices)
    paper_reference = models.CharField("纸质同意书编号", max_length=60, blank=True)
    signed_on = models.DateField("同意书签署日期", null=True, blank=True)
    recorded_by = _user("录入人")
    withdrawn_at = models.DateTimeField("撤回时间", null=True, blank=True)
    withdrawn_channel = models.CharField(
        "撤回方式", max_length=10, choices=Channel.choices, blank=True
    )
    withdrawn_by = _user("撤回录入人")

    class Meta:
        verbose_name = "个人信息单独同意"
        verbose_name_plural = "个人信息单独同意"
        ordering = ["-given_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "category"],
                condition=Q(withdrawn_at__isnull=True),
                name="privacy_one_current_consent",
            ),
            models.CheckConstraint(
                condition=~Q(channel="paper") | ~Q(paper_reference=""),
                name="privacy_paper_consent_has_reference",
            ),
        ]
        indexes = [models.Index(fields=["union", "category"], name="privacy_consent_union_cat")]

    def __str__(self):
        return f"{self.get_category_display()}单独同意 第{self.pk}号"

    @property
    def is_current(self) -> bool:
        return self.withdrawn_at is None


class PrivacySettings(ScopedModel):
    """How long the union keeps identifying data of members who left."""

    retention_years = models.PositiveSmallIntegerField(
        "离会后保存年限",
        default=5,
        help_text="会员离会（调出、退休、退会、去世）满此年限后，列入待匿名化名单",
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    updated_by = _user("更新人")

    class Meta:
        verbose_name = "个人信息保存期限"
        verbose_name_plural = "个人信息保存期限"
        constraints = [
            models.UniqueConstraint(fields=["union"], name="privacy_settings_one_per_union"),
            models.CheckConstraint(
                condition=Q(retention_years__gte=1) & Q(retention_years__lte=100),
                name="privacy_retention_years_range",
            ),
        ]

    def __str__(self):
        return f"离会后保存{self.retention_years}年"


class Anonymisation(ScopedModel):
    """That a member's identity was removed, by whom and when. Holds nothing
    that identifies the member: `number` is the N of 已匿名会员N."""

    member = models.OneToOneField(
        "members.Member",
        verbose_name="会员",
        on_delete=models.PROTECT,
        related_name="anonymisation",
    )
    number = models.PositiveIntegerField("匿名编号")
    left_on = models.DateField("离会日期")
    retention_years = models.PositiveSmallIntegerField("当时的保存年限")
    anonymised_at = models.DateTimeField("匿名化时间", auto_now_add=True)
    anonymised_by = _user("操作人")

    class Meta:
        verbose_name = "匿名化记录"
        verbose_name_plural = "匿名化记录"
        ordering = ["-anonymised_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["union", "number"], name="privacy_anon_number_unique")
        ]

    def __str__(self):
        return f"已匿名会员{self.number}"
