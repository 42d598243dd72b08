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


# Dues, the employer's allocation and the audit committee ------------------------------

RATE = {"max_digits": 6, "decimal_places": 4}
DEFAULT_DUES_RATE = Decimal("0.0050")
DEFAULT_ALLOCATION_RATE = Decimal("0.0200")
DEFAULT_UPWARD_SHARE = Decimal("0.4000")


class Rounding(models.TextChoices):
    """How a month's dues (base × rate) is rounded; the union chooses."""

    FEN = "fen", "四舍五入到分"
    JIAO = "jiao", "四舍五入到角（0.1元）"
    YUAN_UP = "yuan_up", "进位到元"


class FinanceSettings(ScopedModel):
    """A union's own dues and allocation rules. A union without a row uses the defaults."""

    dues_rate = models.DecimalField(
        "会费比例", default=DEFAULT_DUES_RATE, help_text="如 0.0050 即 0.5%", **RATE
    )
    rounding = models.CharField(
        "会费取整规则", max_length=10, choices=Rounding.choices, default=Rounding.FEN
    )
    allocation_rate = models.DecimalField(
        "拨缴经费比例", default=DEFAULT_ALLOCATION_RATE, help_text="如 0.0200 即 2%", **RATE
    )
    upward_share = models.DecimalField(
        "上解上级比例", default=DEFAULT_UPWARD_SHARE, help_text="如 0.4000 即 40%", **RATE
    )
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "经费设置"
        verbose_name_plural = "经费设置"
        constraints = [models.UniqueConstraint(fields=["union"], name="finance_settings_unique")]

    def __str__(self):
        return f"{self.union}经费设置"


class DuesBase(ScopedModel):
    """A member's dues base (monthly wage) from a month on; the latest row whose
    month is not after a given month applies to it. `rate` empty = the union's rate."""

    member = models.ForeignKey(
        "members.Member", verbose_name="会员", on_delete=models.PROTECT, related_name="dues_bases"
    )
    since = models.DateField("起始月份", help_text="自该月起按此基数计缴")
    base = models.DecimalField("会费基数（月工资，元）", **MONEY)
    rate = models.DecimalField("会费比例", null=True, blank=True, **RATE)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="设置人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("设置时间", auto_now_add=True)

    class Meta:
        verbose_name = "会费基数"
        verbose_name_plural = "会费基数"
        ordering = ["member_id", "-since"]
        constraints = [
            models.UniqueConstraint(fields=["member", "since"], name="dues_base_unique"),
        ]

    def __str__(self):
        return f"{self.member} {self.since:%Y-%m}起 {self.base}元"


class DuesExemption(ScopedModel):
    """Months a member owes no dues (a retiree, long sick leave…), with the reason."""

    member = models.ForeignKey(
        "members.Member",
        verbose_name="会员",
        on_delete=models.PROTECT,
        related_name="dues_exemptions",
    )
    starts_on = models.DateField("免缴起始月份")
    ends_on = models.DateField("免缴截止月份", null=True, blank=True, help_text="空表示长期免缴")
    reason = models.CharField("免缴理由", max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "会费免缴"
        verbose_name_plural = "会费免缴"
        ordering = ["member_id", "-starts_on"]

    def __str__(self):
        until = f"{self.ends_on:%Y-%m}" if self.ends_on else "长期"
        return f"{self.member} {self.starts_on:%Y-%m}至{until} 免缴"

    def covers(self, month: date) -> bool:
        return self.starts_on <= month and (self.ends_on is None or month <= self.ends_on)


class DuesSource(models.TextChoices):
    PAYROLL = "payroll", "工资代扣"
    CASH = "cash", "现金"
    TRANSFER = "transfer", "转账"


class DuesImport(ScopedModel):
    """One month's payroll deductions imported from a workbook; its income is booked once."""

    month = models.DateField("月份")
    paid_on = models.DateField("代扣日期")
    original_name = models.CharField("文件名", max_length=255)
    rows = models.PositiveIntegerField("笔数", default=0)
    total = models.DecimalField("合计（元）", default=ZERO, **MONEY)
    income = models.ForeignKey(
        Income,
        verbose_name="收入凭证",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    idempotency_key = models.CharField("防重复提交标识", max_length=64, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="导入人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("导入时间", auto_now_add=True)

    class Meta:
        verbose_name = "会费代扣导入"
        verbose_name_plural = "会费代扣导入"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["union", "idempotency_key"], name="dues_import_idempotency_unique"
            ),
        ]

    def __str__(self):
        return f"{self.month:%Y年%m月}工资代扣会费 {self.rows}笔 {self.total}元"


class DuesPayment(ScopedModel):
    """Dues received from one member for one month. A month is paid once."""

    member = models.ForeignKey(
        "members.Member",
        verbose_name="会员",
        on_delete=models.PROTECT,
        related_name="dues_payments",
    )
    month = models.DateField("所属月份")
    amount = models.DecimalField("金额（元）", **MONEY)
    paid_on = models.DateField("缴纳日期")
    source = models.CharField("缴纳方式", max_length=20, choices=DuesSource.choices)
    batch = models.ForeignKey(
        DuesImport,
        verbose_name="代扣导入批次",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="payments",
    )
    income = models.ForeignKey(
        Income,
        verbose_name="收入凭证",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    idempotency_key = models.CharField("防重复提交标识", max_length=64, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="经办人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "会费缴纳"
        verbose_name_plural = "会费缴纳"
        ordering = ["-month", "member_id"]
        constraints = [
            models.UniqueConstraint(fields=["member", "month"], name="dues_payment_month_unique"),
            models.UniqueConstraint(
                fields=["union", "idempotency_key"], name="dues_payment_idempotency_unique"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="dues_payment_amount_positive"),
        ]
        indexes = [
            models.Index(fields=["union", "month"], name="dues_payment_union_month"),
            # A unit's payments page by page in entry order (the drill-down
            # behind a figure): without it PostgreSQL walks the whole table's
            # primary key for the first 50 of one union.
            models.Index(fields=["union", "id"], name="dues_payment_union_entry"),
        ]

    def __str__(self):
        return f"{self.member} {self.month:%Y年%m月}会费 {self.amount}元"


class Allocation(ScopedModel):
    """The employer's allocation (拨缴经费) for a period: a share of its payroll.
    Money received is booked as income linked to this record; the part passed
    to the upper union is an UpwardTransfer."""

    starts_on = models.DateField("期间开始")
    ends_on = models.DateField("期间结束")
    payroll_total = models.DecimalField("工资总额（元）", **MONEY)
    rate = models.DecimalField("拨缴比例", default=DEFAULT_ALLOCATION_RATE, **RATE)
    amount_due = models.DecimalField("应拨缴金额（元）", **MONEY)
    upward_share = models.DecimalField("上解上级比例", default=DEFAULT_UPWARD_SHARE, **RATE)
    note = models.CharField("备注", max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "拨缴经费"
        verbose_name_plural = "拨缴经费"
        ordering = ["-starts_on"]

    def __str__(self):
        return f"{self.starts_on:%Y-%m-%d}至{self.ends_on:%Y-%m-%d}拨缴经费"


class UpwardTransfer(ScopedModel):
    """The share of an allocation passed on to the upper union (上解经费)."""

    allocation = models.ForeignKey(
        Allocation, verbose_name="拨缴经费", on_delete=models.PROTECT, related_name="transfers"
    )
    amount = models.DecimalField("上解金额（元）", **MONEY)
    on = models.DateField("上解日期")
    recipient = models.CharField("接收单位", max_length=100)
    voucher = models.CharField("凭证号", max_length=40)
    idempotency_key = models.CharField("防重复提交标识", max_length=64, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="经办人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "上解上级经费"
        verbose_name_plural = "上解上级经费"
        ordering = ["-on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["union", "idempotency_key"], name="upward_transfer_idempotency_unique"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="upward_transfer_positive"),
        ]

    def __str__(self):
        return f"{self.on:%Y-%m-%d} 上解{self.recipient} {self.amount}元"


class AuditReport(ScopedModel):
    """A report of the audit committee (经审委员会) on a period's finances."""

    title = models.CharField("标题", max_length=100)
    starts_on = models.DateField("审查期间开始")
    ends_on = models.DateField("审查期间结束")
    findings = models.TextField("审查发现")
    conclusion = models.TextField("审查结论")
    filed_by = models.ForeignKey(
        "members.Member",
        verbose_name="报告人（经审委员）",
        on_delete=models.PROTECT,
        related_name="+",
    )
    filed_on = models.DateField("报告日期")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="录入人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "经审报告"
        verbose_name_plural = "经审报告"
        ordering = ["-filed_on", "-pk"]

    def __str__(self):
        return self.title
