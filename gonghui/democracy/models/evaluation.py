"""Democratic evaluation (民主评议) of leaders, anonymous like a ballot.

`EvaluationRoll` says who has rated; `EvaluationSheet` holds what was rated,
with a random key, no rater, no timestamp, listed in key order, kept out of
the audit log. Both are written in one transaction by
democracy.services.evaluation. Evaluation itself holds no member or account,
so nothing reachable from a sheet leads to a rater.
"""

import uuid

from django.db import models
from django.db.models import Q

from gonghui.orgs.models import ScopedModel

__all__ = ["Evaluation", "EvaluationRoll", "EvaluationSheet", "Evaluee", "Grade"]


class Grade(models.TextChoices):
    EXCELLENT = "excellent", "优秀"
    COMPETENT = "competent", "称职"
    BASIC = "basic", "基本称职"
    INCOMPETENT = "incompetent", "不称职"


class Evaluation(ScopedModel):
    title = models.CharField("评议名称", max_length=120)
    year = models.PositiveSmallIntegerField("年度")
    opens_at = models.DateTimeField("开始时间")
    closes_at = models.DateTimeField("截止时间")
    closed = models.BooleanField("已结束", default=False)
    notes = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "民主评议"
        verbose_name_plural = "民主评议"
        ordering = ["-opens_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="evaluation_window_ordered"
            )
        ]

    def __str__(self):
        return self.title


class Evaluee(ScopedModel):
    """A person being evaluated: the union chair, a school or company leader."""

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="evaluees", verbose_name="民主评议"
    )
    name = models.CharField("姓名", max_length=40)
    role = models.CharField("职务", max_length=60)
    position = models.PositiveSmallIntegerField("顺序", default=0)
    # Written when the evaluation closes (services.evaluation.close_evaluation).
    ratings = models.PositiveIntegerField("评议票数", default=0)
    excellent = models.PositiveIntegerField("优秀", default=0)
    competent = models.PositiveIntegerField("称职", default=0)
    basic = models.PositiveIntegerField("基本称职", default=0)
    incompetent = models.PositiveIntegerField("不称职", default=0)

    class Meta:
        verbose_name = "被评议人"
        verbose_name_plural = "被评议人"
        ordering = ["evaluation_id", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "name"], name="evaluee_name_unique")
        ]

    def __str__(self):
        return f"{self.role} {self.name}"


class EvaluationRoll(ScopedModel):
    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="roll", verbose_name="民主评议"
    )
    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="+", verbose_name="会员"
    )
    done = models.BooleanField("已评议", default=False)

    class Meta:
        verbose_name = "参评人名单"
        verbose_name_plural = "参评人名单"
        ordering = ["evaluation_id", "member_id"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "member"], name="evaluation_roll_unique")
        ]

    def __str__(self):
        return f"{self.member}（{'已评议' if self.done else '未评议'}）"


def _sheet_key():
    return uuid.uuid4()


class EvaluationSheet(ScopedModel):
    """One rater's sheet: {"g": {"<evaluee id>": grade}, "m": {"<evaluee id>": comment}}."""

    id = models.UUIDField(primary_key=True, default=_sheet_key, editable=False)
    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.PROTECT, related_name="sheets", verbose_name="民主评议"
    )
    answers = models.JSONField("评议内容", default=dict)

    class Meta:
        verbose_name = "评议表"
        verbose_name_plural = "评议表"
        ordering = ["id"]

    def __str__(self):
        return "评议表"
