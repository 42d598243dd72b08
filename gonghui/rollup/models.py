"""Per-union summary tables of the registered metrics.

`MetricMonth` holds one figure of one union for one standard period starting
on `month`: the month itself (`months=1`), the quarter (3) or the calendar
year (12). Stock figures (members on the roll at the end of the period) are
not sums of months, so every standard period is stored as computed, never
derived from another unless the metric was proved additive (see `plans`).

`Coverage` says a union's figures for a year were computed at `computed_at`
with the registry as it was then (`definitions`, a digest of the rolled-up
keys and their plans), which tables each figure read (`sources`) and which
change marks the computation had seen (`marks_seen`). `Change` is a mark: a
table of a union's records was written at `changed_at`. A figure is stale
while a mark it has not seen names a table it read (or names every table,
"*"); stale figures are not served.
"""

from django.db import models
from django_scopes import ScopedManager

from gonghui.orgs.models import Union


class MetricMonth(models.Model):
    union = models.ForeignKey(Union, verbose_name="所属工会", on_delete=models.CASCADE)
    metric_key = models.CharField("指标", max_length=80)
    month = models.DateField("起始月份", help_text="统计期第一天（月初）")
    months = models.PositiveSmallIntegerField("统计期月数", help_text="1 月、3 季、12 年")
    value = models.DecimalField("数值", max_digits=24, decimal_places=4)
    places = models.SmallIntegerField(
        "小数位数", null=True, blank=True, help_text="原值的小数位数；空为整数"
    )
    computed_at = models.DateTimeField("计算时间")

    objects = ScopedManager(union="union")

    class Meta:
        verbose_name = "指标月度汇总"
        verbose_name_plural = verbose_name
        constraints = [
            models.UniqueConstraint(
                fields=["union", "metric_key", "month", "months"], name="rollup_one_figure"
            ),
            models.CheckConstraint(
                condition=models.Q(months__in=[1, 3, 12]), name="rollup_standard_period"
            ),
        ]
        indexes = [
            models.Index(fields=["metric_key", "month", "months"], name="rollup_metric_period"),
        ]

    def __str__(self):
        return f"{self.metric_key} {self.month:%Y-%m}+{self.months}"


class Coverage(models.Model):
    union = models.ForeignKey(Union, verbose_name="所属工会", on_delete=models.CASCADE)
    year = models.PositiveSmallIntegerField("年度")
    computed_at = models.DateTimeField("计算时间", help_text="本次计算开始的时间")
    definitions = models.CharField("指标定义摘要", max_length=64)
    sources = models.JSONField(
        "指标读取的数据表",
        null=True,
        blank=True,
        help_text="{指标: [数据表…]}：计算时实际查询过的表；空为未知（任何变动都使其过期）",
    )
    marks_seen = models.JSONField(
        "已计入的变动",
        default=dict,
        blank=True,
        help_text="{数据表: 变动时间}：计算开始前已看到、已计入本次结果的变动标记",
    )

    objects = ScopedManager(union="union")

    class Meta:
        verbose_name = "汇总覆盖"
        verbose_name_plural = verbose_name
        constraints = [
            models.UniqueConstraint(fields=["union", "year"], name="rollup_one_coverage"),
        ]

    def __str__(self):
        return f"{self.union_id} {self.year} @ {self.computed_at:%Y-%m-%d %H:%M}"


ALL_SOURCES = "*"


class Change(models.Model):
    union = models.ForeignKey(Union, verbose_name="所属工会", on_delete=models.CASCADE)
    source = models.CharField(
        "变动的数据表", max_length=80, help_text="写入的数据表名；“*”为全部（批量迁移等）"
    )
    changed_at = models.DateTimeField("最近变动时间")

    objects = ScopedManager(union="union")

    class Meta:
        verbose_name = "记录变动"
        verbose_name_plural = verbose_name
        constraints = [
            models.UniqueConstraint(fields=["union", "source"], name="rollup_one_change_mark"),
        ]

    def __str__(self):
        return f"{self.union_id} {self.source} changed {self.changed_at:%Y-%m-%d %H:%M:%S}"
