"""Members' opinions (职工意见), rationalisation suggestions (合理化建议) and
golden ideas (金点子).

Life of an opinion: submitted by the member in the portal (or recorded by a
liaison for them) → judged valid or not, with a reason → a valid one gets a
handler and a deadline → implemented, with the date, what was done and
evidence (attachments) → optionally rewarded; a reward the union pays is a
finance.Payment linked to the opinion (`pays_for`).
"""

from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q

from gonghui.orgs.models import ScopedModel

MONEY = {"max_digits": 14, "decimal_places": 2}
ZERO = Decimal("0.00")


class Kind(models.TextChoices):
    OPINION = "opinion", "职工意见"
    SUGGESTION = "suggestion", "合理化建议"
    IDEA = "idea", "金点子"


class Category(models.TextChoices):
    PRODUCTION = "production", "生产经营"
    TEACHING = "teaching", "教育教学"
    MANAGEMENT = "management", "管理制度"
    PAY = "pay", "工资福利"
    SAFETY = "safety", "安全生产"
    LIVING = "living", "生活后勤"
    CULTURE = "culture", "文体活动"
    OTHER = "other", "其他"


class State(models.TextChoices):
    SUBMITTED = "submitted", "待认定"
    INVALID = "invalid", "不予采纳"
    HANDLING = "handling", "办理中"
    IMPLEMENTED = "implemented", "已落实"


def _user(label: str):
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=label,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )


class Opinion(ScopedModel):
    member = models.ForeignKey(
        "members.Member", verbose_name="提出人", on_delete=models.PROTECT, related_name="opinions"
    )
    kind = models.CharField("类型", max_length=20, choices=Kind.choices, default=Kind.OPINION)
    category = models.CharField(
        "类别", max_length=20, choices=Category.choices, default=Category.OTHER
    )
    title = models.CharField("标题", max_length=120, blank=True)
    content = models.TextField("内容")
    submitted_on = models.DateField("提出日期")
    recorded_by = _user("代为录入人")
    source_type = models.ForeignKey(
        ContentType,
        verbose_name="来源记录类型",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    source_id = models.PositiveBigIntegerField("来源记录编号", null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    state = models.CharField("状态", max_length=20, choices=State.choices, default=State.SUBMITTED)
    # Judgement.
    judged_on = models.DateField("认定日期", null=True, blank=True)
    judgement_reason = models.CharField("认定理由", max_length=300, blank=True)
    judged_by = _user("认定人")
    # Handling.
    handler_department = models.ForeignKey(
        "orgs.Department",
        verbose_name="承办部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    handler = models.ForeignKey(
        "members.Member",
        verbose_name="承办人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="opinions_handled",
    )
    deadline = models.DateField("办理期限", null=True, blank=True)
    # Implementation.
    implemented_on = models.DateField("落实日期", null=True, blank=True)
    implementation = models.TextField("落实情况", blank=True)
    # Reward.
    reward_amount = models.DecimalField("奖励金额（元）", default=ZERO, **MONEY)
    rewarded_on = models.DateField("奖励日期", null=True, blank=True)
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "职工意见"
        verbose_name_plural = "职工意见"
        ordering = ["-submitted_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(reward_amount__gte=0), name="voice_opinion_reward_not_negative"
            ),
        ]
        indexes = [
            models.Index(fields=["union", "submitted_on"], name="voice_opinion_union_on"),
            models.Index(fields=["union", "state"], name="voice_opinion_union_state"),
            models.Index(fields=["source_type", "source_id"], name="voice_opinion_source"),
        ]

    def __str__(self):
        return self.title or self.content[:30]

    @property
    def headline(self) -> str:
        return self.title or (self.content[:30] + ("…" if len(self.content) > 30 else ""))

    @property
    def is_valid(self) -> bool | None:
        if self.state == State.SUBMITTED:
            return None
        return self.state != State.INVALID
