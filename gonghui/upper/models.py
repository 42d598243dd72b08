"""Targets an upper union sets for the units below it (seed 五: "确保工资集体协商
建制率保持在建会企业的90%以上")."""

from decimal import Decimal

from django.conf import settings
from django.db import models

from gonghui.orgs.models import ScopedModel


class Comparison(models.TextChoices):
    AT_LEAST = "gte", "不低于"
    AT_MOST = "lte", "不高于"


class UnitTarget(ScopedModel):
    """A target on one figure, set by an upper union (`union`) for its subtree.

    `metric` is a registered metric key or a KPI key (gonghui.upper.figures.KPIS).
    A target applies to every unit below the union that set it and to the
    subtree's own figure; a lower upper union without its own target on the
    figure inherits the nearest ancestor's."""

    metric = models.CharField("指标", max_length=80)
    comparison = models.CharField(
        "比较", max_length=3, choices=Comparison.choices, default=Comparison.AT_LEAST
    )
    value = models.DecimalField("目标值", max_digits=14, decimal_places=2)
    note = models.CharField("依据或说明", max_length=200, blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="设定人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    set_at = models.DateTimeField("设定时间", auto_now=True)

    class Meta:
        verbose_name = "考核目标"
        verbose_name_plural = "考核目标"
        ordering = ["union", "metric"]
        constraints = [
            models.UniqueConstraint(fields=["union", "metric"], name="upper_target_unique")
        ]

    def __str__(self):
        return f"{self.metric} {self.get_comparison_display()} {self.value}"

    def met_by(self, value) -> bool:
        value = Decimal(value)
        if self.comparison == Comparison.AT_MOST:
            return value <= self.value
        return value >= self.value
