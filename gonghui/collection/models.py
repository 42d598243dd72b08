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


class RequestState(models.TextChoices):
    OPEN = "open", "报送中"
    CLOSED = "closed", "已办结"
    WITHDRAWN = "withdrawn", "已撤回"


class CollectionRequest(ScopedModel):
    """上报通知: what to submit, for which period, by when; `union` is the issuer."""

    title = models.CharField("通知标题", max_length=200)
    kind = models.CharField("报送内容", max_length=20, choices=KIND_CHOICES)
    start = models.DateField("统计期间开始")
    end = models.DateField("统计期间结束")
    deadline = models.DateField("报送截止日期")
    note = models.TextField("通知说明", blank=True)
    state = models.CharField(
        "状态", max_length=20, choices=RequestState.choices, default=RequestState.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("发出时间", auto_now_add=True)
    withdrawn_reason = models.CharField("撤回原因", max_length=500, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_at = models.DateTimeField("撤回时间", null=True, blank=True)

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

    @property
    def is_open(self) -> bool:
        return self.state == RequestState.OPEN

    @property
    def is_withdrawn(self) -> bool:
        return self.state == RequestState.WITHDRAWN


class DeadlineChange(ScopedModel):
    """延期: the deadline before and after, and why; `union` is the issuer."""

    request = models.ForeignKey(
        CollectionRequest, on_delete=models.CASCADE, related_name="deadline_changes"
    )
    old_deadline = models.DateField("原截止日期")
    new_deadline = models.DateField("新截止日期")
    reason = models.CharField("延期原因", max_length=500)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField("延期时间", auto_now_add=True)

    class Meta:
        verbose_name = "报送延期"
        verbose_name_plural = "报送延期"
        ordering = ["-changed_at", "-pk"]
        # Never earlier; strictly later (and not in the past) is the service's rule.
        constraints = [
            models.CheckConstraint(
                condition=Q(new_deadline__gte=F("old_deadline")),
                name="collection_extension_not_earlier",
            )
        ]

    def __str__(self):
        return f"{self.request} 延期至 {self.new_deadline}"


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

    @property
    def figures(self):
        """The figures of the current return (not of returns sent back)."""
        return self.all_figures.filter(earlier__isnull=True)


class SentBackReturn(ScopedModel):
    """退回: an earlier return of the unit, sent back by the issuer with a reason,
    kept as it was submitted (its report and its frozen figures); `union` is the unit."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="sent_back")
    number = models.PositiveIntegerField("第几次报送")
    report = models.ForeignKey(
        "reports.SummaryReport",
        verbose_name="当时报送的工作总结",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField("报送时间")
    late = models.BooleanField("逾期报送", default=False)
    reason = models.CharField("退回原因", max_length=500)
    sent_back_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    sent_back_at = models.DateTimeField("退回时间", auto_now_add=True)

    class Meta:
        verbose_name = "退回的报送"
        verbose_name_plural = "退回的报送"
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "number"], name="one_sent_back_return_number"
            )
        ]

    def __str__(self):
        return f"{self.submission}（第{self.number}次报送，已退回）"


class ReturnedFigure(ScopedModel):
    """A metric's value for the request's period, frozen when the unit submitted.
    Figures of a return that was sent back stay, tied to that earlier return."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="all_figures")
    earlier = models.ForeignKey(
        SentBackReturn,
        verbose_name="所属的退回报送",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="figures",
    )
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
                fields=["submission", "metric_key"],
                condition=Q(earlier__isnull=True),
                name="one_returned_figure_per_metric",
            ),
            models.UniqueConstraint(
                fields=["earlier", "metric_key"], name="one_sent_back_figure_per_metric"
            ),
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


class ConsolidatedState(models.TextChoices):
    DRAFT = "draft", "草稿"
    LOCKED = "locked", "已定稿"


class ConsolidatedReport(ScopedModel):
    """汇总报告: drafted over the issuer's subtree for a request's period; `union`
    is the issuer. Its text lives in versions (as a unit's summary report's
    does); once locked it is read-only and its figures stay as drafted."""

    request = models.ForeignKey(
        CollectionRequest, on_delete=models.PROTECT, related_name="consolidated"
    )
    title = models.CharField("标题", max_length=200)
    state = models.CharField(
        "状态", max_length=20, choices=ConsolidatedState.choices, default=ConsolidatedState.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("起草时间", auto_now_add=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    locked_at = models.DateTimeField("定稿时间", null=True, blank=True)

    class Meta:
        verbose_name = "汇总报告"
        verbose_name_plural = "汇总报告"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.title

    @property
    def is_locked(self) -> bool:
        return self.state == ConsolidatedState.LOCKED

    def latest_version(self):
        return self.versions.order_by("-number").first()


class ConsolidatedVersion(ScopedModel):
    """One saved text of a consolidated report: 1 as drafted, then each edit."""

    report = models.ForeignKey(
        ConsolidatedReport, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField("版本号")
    body = models.TextField("正文（HTML）")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("保存时间", auto_now_add=True)

    class Meta:
        verbose_name = "汇总报告版本"
        verbose_name_plural = "汇总报告版本"
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "number"], name="one_consolidated_version_number"
            )
        ]

    def __str__(self):
        return f"第{self.number}版"


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
