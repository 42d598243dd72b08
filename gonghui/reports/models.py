"""Plans with goals bound to metrics, and drafted summary reports whose figures
are stored as drafted so a later change in the records can be flagged."""

from django.conf import settings
from django.db import models

from gonghui.orgs.models import ScopedModel


class Plan(ScopedModel):
    """A union's yearly work plan (工作计划)."""

    year = models.PositiveIntegerField("年度")
    title = models.CharField("标题", max_length=120)
    carried_from = models.ForeignKey(
        "self",
        verbose_name="由上年计划延续",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="carried_to",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "工作计划"
        verbose_name_plural = "工作计划"
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["union", "year"], name="one_plan_a_year")]

    def __str__(self):
        return self.title


class PlanSection(ScopedModel):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveIntegerField("序号", default=0)
    title = models.CharField("部分标题", max_length=120)

    class Meta:
        verbose_name = "计划部分"
        verbose_name_plural = "计划部分"
        ordering = ["order", "pk"]

    def __str__(self):
        return self.title

    @property
    def numeral(self) -> str:
        from gonghui.reports.drafting.core import chinese_number

        position = list(self.plan.sections.values_list("pk", flat=True)).index(self.pk) + 1
        return chinese_number(position)


class PlanItem(ScopedModel):
    section = models.ForeignKey(PlanSection, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveIntegerField("序号", default=0)
    text = models.TextField("工作事项")

    class Meta:
        verbose_name = "计划事项"
        verbose_name_plural = "计划事项"
        ordering = ["order", "pk"]

    def __str__(self):
        return self.text[:40]


class Comparison(models.TextChoices):
    AT_LEAST = "ge", "≥"
    AT_MOST = "le", "≤"
    EQUAL = "eq", "="


class Goal(ScopedModel):
    """A measurable goal: a registered metric compared with a target."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="goals")
    order = models.PositiveIntegerField("序号", default=0)
    metric_key = models.CharField("指标", max_length=120)
    comparison = models.CharField("比较", max_length=2, choices=Comparison.choices)
    target = models.DecimalField("目标值", max_digits=14, decimal_places=2)
    note = models.CharField("说明", max_length=200, blank=True)
    unmet_last_year = models.BooleanField("上年未完成", default=False)

    class Meta:
        verbose_name = "工作目标"
        verbose_name_plural = "工作目标"
        ordering = ["order", "pk"]

    def __str__(self):
        return f"{self.metric_key} {self.get_comparison_display()} {self.target}"


class ReportKind(models.TextChoices):
    ANNUAL = "annual", "年度工作总结"
    HALF_YEAR = "half", "半年工作总结"
    TERM = "term", "学期工作总结"
    WOMEN = "women", "女职委工作总结"
    CONGRESS = "congress", "职代会工作报告"


class ReportState(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已提交"


class SummaryReport(ScopedModel):
    """A drafted work summary; its text lives in versions, its figures below."""

    kind = models.CharField("报告类型", max_length=20, choices=ReportKind.choices)
    start = models.DateField("开始日期")
    end = models.DateField("结束日期")
    title = models.CharField("标题", max_length=200)
    state = models.CharField(
        "状态", max_length=20, choices=ReportState.choices, default=ReportState.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("起草时间", auto_now_add=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)

    class Meta:
        verbose_name = "工作总结报告"
        verbose_name_plural = "工作总结报告"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.title

    @property
    def is_locked(self) -> bool:
        return self.state == ReportState.SUBMITTED

    def latest_version(self):
        return self.versions.order_by("-number").first()


class ReportVersion(ScopedModel):
    report = models.ForeignKey(SummaryReport, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField("版本号")
    body = models.TextField("正文（HTML）")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("保存时间", auto_now_add=True)

    class Meta:
        verbose_name = "报告版本"
        verbose_name_plural = "报告版本"
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="one_version_number")
        ]

    def __str__(self):
        return f"第{self.number}版"


class ReportFigure(ScopedModel):
    """One figure as drafted: metric, period, the value and record count at the time."""

    report = models.ForeignKey(SummaryReport, on_delete=models.CASCADE, related_name="figures")
    ref = models.CharField("编号", max_length=10)
    metric_key = models.CharField("指标", max_length=120)
    label = models.CharField("名称", max_length=120)
    unit = models.CharField("单位", max_length=20, blank=True)
    start = models.DateField("开始日期")
    end = models.DateField("结束日期")
    value = models.DecimalField("起草时的值", max_digits=16, decimal_places=2)
    records = models.PositiveIntegerField("起草时的记录数")

    class Meta:
        verbose_name = "报告数字"
        verbose_name_plural = "报告数字"
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["report", "ref"], name="one_figure_ref")]

    def __str__(self):
        return f"{self.label} {self.value}{self.unit}"


# Newsletters (工会简报) ------------------------------------------------------------


class NewsletterState(models.TextChoices):
    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "已发布"


class Newsletter(ScopedModel):
    """A union's monthly newsletter: a lead and the month's notable records as items."""

    month = models.DateField("月份", help_text="该月的第一天")
    number = models.PositiveIntegerField("期号")
    title = models.CharField("标题", max_length=120)
    lead = models.TextField("导语（HTML）", blank=True)
    state = models.CharField(
        "状态", max_length=20, choices=NewsletterState.choices, default=NewsletterState.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("生成时间", auto_now_add=True)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    edited_at = models.DateTimeField("最后修改时间", null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField("发布时间", null=True, blank=True)

    class Meta:
        verbose_name = "工会简报"
        verbose_name_plural = "工会简报"
        ordering = ["-month", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["union", "month"], name="one_newsletter_a_month"),
            models.UniqueConstraint(fields=["union", "number"], name="one_newsletter_number"),
        ]

    def __str__(self):
        return f"第{self.number}期 {self.title}"

    @property
    def is_published(self) -> bool:
        return self.state == NewsletterState.PUBLISHED

    @property
    def month_label(self) -> str:
        return f"{self.month.year}年{self.month.month}月"


class NewsletterItem(ScopedModel):
    """One notable record (or a few of one kind) of the month: a headline and a paragraph."""

    newsletter = models.ForeignKey(Newsletter, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveIntegerField("序号", default=0)
    area = models.CharField("工作领域", max_length=20, blank=True)
    headline = models.CharField("标题", max_length=120)
    body = models.TextField("正文（HTML）")
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    edited_at = models.DateTimeField("最后修改时间", null=True, blank=True)

    class Meta:
        verbose_name = "简报条目"
        verbose_name_plural = "简报条目"
        ordering = ["order", "pk"]

    def __str__(self):
        return self.headline


class NewsletterPhoto(ScopedModel):
    """A photo kept beside one of the item's records, shown with the item."""

    item = models.ForeignKey(NewsletterItem, on_delete=models.CASCADE, related_name="photos")
    attachment = models.ForeignKey(
        "attachments.Attachment", on_delete=models.CASCADE, related_name="+"
    )
    caption = models.CharField("图片说明", max_length=120, blank=True)
    order = models.PositiveIntegerField("序号", default=0)

    class Meta:
        verbose_name = "简报图片"
        verbose_name_plural = "简报图片"
        ordering = ["order", "pk"]

    def __str__(self):
        return self.caption or f"图片{self.pk}"


class NewsletterFigure(ScopedModel):
    """One figure as generated, like ReportFigure, so later changes can be flagged."""

    newsletter = models.ForeignKey(Newsletter, on_delete=models.CASCADE, related_name="figures")
    ref = models.CharField("编号", max_length=10)
    metric_key = models.CharField("指标", max_length=120)
    label = models.CharField("名称", max_length=120)
    unit = models.CharField("单位", max_length=20, blank=True)
    start = models.DateField("开始日期")
    end = models.DateField("结束日期")
    value = models.DecimalField("生成时的值", max_digits=16, decimal_places=2)
    records = models.PositiveIntegerField("生成时的记录数")

    class Meta:
        verbose_name = "简报数字"
        verbose_name_plural = "简报数字"
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["newsletter", "ref"], name="one_newsletter_figure_ref")
        ]

    def __str__(self):
        return f"{self.label} {self.value}{self.unit}"


class TableMark(models.Model):
    """A database table's change mark: a new token each time a transaction that
    wrote the table commits. Figures kept by `figure_cache` are served only while
    the marks of every table they read are unchanged. Not union data: one row per
    table, shared by every union."""

    table = models.CharField("数据表", max_length=100, primary_key=True)
    token = models.CharField("变动标记", max_length=32)

    class Meta:
        verbose_name = "数据表变动标记"
        verbose_name_plural = verbose_name

    def __str__(self):
        return f"{self.table} @ {self.token[:8]}"
