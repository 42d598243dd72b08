"""Report collection (上报): an upper union's request to the units below it,
each unit's return (its locked summary report and a frozen copy of its
statistics), reminders, and the consolidated report drafted over the subtree.

A request belongs to the issuing upper union; a return, its figures and the
reminders about it belong to the unit, so a unit reads only its own and an
upper union reads the returns of its subtree through the ordinary scope.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from gonghui.orgs.models import ScopedModel
from gonghui.reports.models import ReportKind

STATISTICS = "statistics"
KIND_CHOICES = [*ReportKind.choices, (STATISTICS, "统计报表（只报数据）")]


class CollectionRequest(ScopedModel):
    """上报通知: what to submit, for which period, by when; `union` is the issuer."""

    title = models.CharField("通知标题", max_length=200)
    kind = models.CharField("报送内容", max_length=20, choices=KIND_CHOICES)
    start = models.DateField("统计期间开始")
    end = models.DateField("统计期间结束")
    deadline = models.DateField("报送截止日期")
    note = models.TextField("通知说明", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("发出时间", auto_now_add=True)

    class Meta:
        verbose_name = "上报通知"
        verbose_name_plural = "上报通知"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=F("start")), name="collection_period_in_order"
            ),
            models.CheckConstraint(
                condition=Q(deadline__gte=F("end")), name="collection_deadline_after_period"
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def wants_report(self) -> bool:
        return self.kind != STATISTICS


class ReturnState(models.TextChoices):
    PENDING = "pending", "未报送"
    SUBMITTED = "submitted", "已报送"


class Submission(ScopedModel):
    """One unit's return for one request; `union` is the unit. Created pending
    when the request is issued, filled once when the unit submits."""

    request = models.ForeignKey(
        CollectionRequest, on_delete=models.CASCADE, related_name="submissions"
    )
    state = models.CharField(
        "状态", max_length=20, choices=ReturnState.choices, default=ReturnState.PENDING
    )
    report = models.ForeignKey(
        "reports.SummaryReport",
        verbose_name="报送的工作总结",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField("报送时间", null=True, blank=True)
    late = models.BooleanField("逾期报送", default=False)

    class Meta:
        verbose_name = "报送情况"
        verbose_name_plural = "报送情况"
        ordering = ["request", "union__path"]
        constraints = [
            models.UniqueConstraint(fields=["request", "union"], name="one_return_per_unit")
        ]

    def __str__(self):
        return f"{self.union} · {self.request}"

    @property
    def is_submitted(self) -> bool:
        return self.state == ReturnState.SUBMITTED


class ReturnedFigure(ScopedModel):
    """A metric's value for the request's period, frozen when the unit submitted."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="figures")
    order = models.PositiveIntegerField("序号", default=0)
    metric_key = models.CharField("指标", max_length=120)
    label = models.CharField("名称", max_length=120)
    unit = models.CharField("单位", max_length=20, blank=True)
    value = models.DecimalField("报送时的值", max_digits=16, decimal_places=2)

    class Meta:
        verbose_name = "报送数字"
        verbose_name_plural = "报送数字"
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "metric_key"], name="one_returned_figure_per_metric"
            )
        ]

    def __str__(self):
        return f"{self.label} {self.value}{self.unit}"


class Reminder(ScopedModel):
    """催报: shown on the unit's dashboard until the unit submits; `union` is the unit."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="reminders")
    note = models.CharField("催报说明", max_length=200, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField("催报时间", auto_now_add=True)

    class Meta:
        verbose_name = "催报"
        verbose_name_plural = "催报"
        ordering = ["-sent_at", "-pk"]

    def __str__(self):
        return f"催报 {self.submission}"


class ConsolidatedReport(ScopedModel):
    """汇总报告: drafted over the issuer's subtree for a request's period; `union` is the issuer."""

    request = models.ForeignKey(
        CollectionRequest, on_delete=models.PROTECT, related_name="consolidated"
    )
    title = models.CharField("标题", max_length=200)
    body = models.TextField("正文（HTML）")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("起草时间", auto_now_add=True)

    class Meta:
        verbose_name = "汇总报告"
        verbose_name_plural = "汇总报告"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.title


class FigureScope(models.TextChoices):
    SUBTREE = "subtree", "全部所辖单位合计"
    UNIT = "unit", "单个单位"
    UNITS_WITH = "units_with", "有记录的单位数"
    RETURNS = "returns", "报送情况"


class ConsolidatedFigure(ScopedModel):
    """One figure of a consolidated report as drafted, so it can be traced and re-checked."""

    report = models.ForeignKey(ConsolidatedReport, on_delete=models.CASCADE, related_name="figures")
    ref = models.CharField("编号", max_length=10)
    scope = models.CharField("范围", max_length=10, choices=FigureScope.choices)
    unit_union = models.ForeignKey(
        "orgs.Union",
        verbose_name="单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    metric_key = models.CharField("指标", max_length=120)
    label = models.CharField("名称", max_length=120)
    unit = models.CharField("单位", max_length=20, blank=True)
    start = models.DateField("开始日期")
    end = models.DateField("结束日期")
    value = models.DecimalField("起草时的值", max_digits=16, decimal_places=2)

    class Meta:
        verbose_name = "汇总报告数字"
        verbose_name_plural = "汇总报告数字"
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["report", "ref"], name="one_consolidated_figure_ref")
        ]

    def __str__(self):
        return f"{self.label} {self.value}{self.unit}"
