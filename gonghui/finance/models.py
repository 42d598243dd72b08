"""The union's money: fiscal years, budget lines, adjustments, income and payments.

Amounts are Decimal with two places. Every write goes through
finance.services; a budget line's `budget` and `actual` columns are kept by
those services with conditional updates, so the over-budget rule holds when
two payments are recorded at once.
"""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q

from gonghui.orgs.models import ScopedModel

MONEY = {"max_digits": 14, "decimal_places": 2}
ZERO = Decimal("0.00")
# At this share of its budget a line is flagged as nearly used up.
WARNING_SHARE = Decimal("0.90")


class Kind(models.TextChoices):
    INCOME = "income", "收入"
    EXPENDITURE = "expenditure", "支出"


class Category(models.TextChoices):
    """The standard categories of a grassroots union's budget (工会会计制度)."""

    ACTIVITIES = "activities", "职工活动支出"
    RIGHTS = "rights", "维权支出"
    OPERATIONS = "operations", "业务支出"
    CAPITAL = "capital", "资本性支出"
    UNDERTAKINGS = "undertakings", "事业支出"
    OTHER_EXPENDITURE = "other_expenditure", "其他支出"
    DUES = "dues", "会费收入"
    ALLOCATION = "allocation", "拨缴经费收入"
    UPPER_SUBSIDY = "upper_subsidy", "上级补助收入"
    ADMINISTRATION_SUBSIDY = "administration_subsidy", "行政补助收入"
    AFFILIATES = "affiliates", "附属单位上缴收入"
    OTHER_INCOME = "other_income", "其他收入"


EXPENDITURE_CATEGORIES = (
    Category.ACTIVITIES,
    Category.RIGHTS,
    Category.OPERATIONS,
    Category.CAPITAL,
    Category.UNDERTAKINGS,
    Category.OTHER_EXPENDITURE,
)
INCOME_CATEGORIES = (
    Category.DUES,
    Category.ALLOCATION,
    Category.UPPER_SUBSIDY,
    Category.ADMINISTRATION_SUBSIDY,
    Category.AFFILIATES,
    Category.OTHER_INCOME,
)


def kind_of(category: str) -> str:
    return Kind.INCOME if category in INCOME_CATEGORIES else Kind.EXPENDITURE


class FiscalYear(ScopedModel):
    """A union's budget year (the calendar year). Once closed, nothing more is
    booked in it."""

    year = models.PositiveSmallIntegerField("年度")
    closed = models.BooleanField("已结账", default=False)
    closed_at = models.DateTimeField("结账时间", null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="结账人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("建立时间", auto_now_add=True)

    class Meta:
        verbose_name = "预算年度"
        verbose_name_plural = "预算年度"
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["union", "year"], name="fiscal_year_unique"),
        ]

    def __str__(self):
        return f"{self.year}年度"

    @property
    def starts_on(self) -> date:
        return date(self.year, 1, 1)

    @property
    def ends_on(self) -> date:
        return date(self.year, 12, 31)

    def contains(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on


class BudgetLine(ScopedModel):
    """One line of a year's budget. `budget` is the planned amount plus every
    adjustment; `actual` is what has been paid (or received, for an income
    line) against it."""

    fiscal_year = models.ForeignKey(
        FiscalYear, verbose_name="年度", on_delete=models.PROTECT, related_name="lines"
    )
    category = models.CharField("科目类别", max_length=30, choices=Category.choices)
    name = models.CharField("预算项目", max_length=80)
    planned = models.DecimalField("年初预算", **MONEY)
    budget = models.DecimalField("调整后预算", **MONEY)
    actual = models.DecimalField("已执行", default=ZERO, **MONEY)

    class Meta:
        verbose_name = "预算科目"
        verbose_name_plural = "预算科目"
        ordering = ["fiscal_year", "category", "name"]
        constraints = [
            models.UniqueConstraint(fields=["fiscal_year", "name"], name="budget_line_unique"),
            models.CheckConstraint(condition=Q(budget__gte=0), name="budget_line_not_negative"),
        ]

    def __str__(self):
        return f"{self.fiscal_year.year} · {self.get_category_display()} · {self.name}"

    @property
    def kind(self) -> str:
        return kind_of(self.category)


class BudgetAdjustment(ScopedModel):
    line = models.ForeignKey(
        BudgetLine, verbose_name="预算科目", on_delete=models.PROTECT, related_name="adjustments"
    )
    delta = models.DecimalField("调整金额", **MONEY, help_text="增加为正数，减少为负数")
    reason = models.CharField("调整理由", max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="调整人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("调整时间", auto_now_add=True)

    class Meta:
        verbose_name = "预算调整"
        verbose_name_plural = "预算调整"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.line.name} {self.delta:+}"


class Entry(ScopedModel):
    """What income and payments share: a dated, positive amount booked to a
    budget line, with its voucher and an optional link to the record it is for."""

    line = models.ForeignKey(
        BudgetLine, verbose_name="预算科目", on_delete=models.PROTECT, related_name="%(class)ss"
    )
    # Copied from the line, which cannot change category once created, so
    # category totals need no join.
    category = models.CharField("科目类别", max_length=30, choices=Category.choices)
    on = models.DateField("日期")
    amount = models.DecimalField("金额（元）", **MONEY)
    voucher = models.CharField("凭证号", max_length=40)
    note = models.CharField("摘要", max_length=200, blank=True)
    linked_type = models.ForeignKey(
        ContentType,
        verbose_name="关联记录类型",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    linked_id = models.PositiveBigIntegerField("关联记录编号", null=True, blank=True)
    # Created when the form is rendered: a second submit of the same form
    # finds the first entry instead of writing another.
    idempotency_key = models.CharField("防重复提交标识", max_length=64, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="经办人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["-on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["union", "idempotency_key"], name="%(class)s_idempotency_unique"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="%(class)s_amount_positive"),
        ]
        indexes = [
            models.Index(fields=["union", "category", "on"], name="%(class)s_category_on"),
            models.Index(fields=["linked_type", "linked_id"], name="%(class)s_linked"),
        ]


class Payment(Entry):
    payee = models.CharField("收款方", max_length=100)
    over_budget = models.BooleanField("超预算", default=False)
    over_budget_reason = models.CharField("超预算理由", max_length=200, blank=True)
    pays_for = GenericForeignKey("linked_type", "linked_id")

    class Meta(Entry.Meta):
        verbose_name = "支出"
        verbose_name_plural = "支出"

    def __str__(self):
        return f"{self.on:%Y-%m-%d} {self.payee} {self.amount}元"


class Income(Entry):
    payer = models.CharField("付款方", max_length=100)
    received_for = GenericForeignKey("linked_type", "linked_id")

    class Meta(Entry.Meta):
        verbose_name = "收入"
        verbose_name_plural = "收入"

    def __str__(self):
        return f"{self.on:%Y-%m-%d} {self.payer} {self.amount}元"
