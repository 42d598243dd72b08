"""Women workers (女职工工作): four-period protection records, check-up
campaigns with their eligible lists, and special illness insurance.

The women's committee itself is the union's committee term (orgs.Term) with
posts of the kinds 女职委主任 and 女职委委员 (orgs.Post); see
women.services.appoint and women.queries.committee.

Four-period records are the most private rows of the product: which period,
the arrangements and the items issued are encrypted at rest; only the dates
stay plain, so open cases can be counted without decrypting anything. Their
string form names neither the member nor the period.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from gonghui.encryption import EncryptedTextField
from gonghui.orgs.models import ScopedModel

MONEY = {"max_digits": 14, "decimal_places": 2}
ZERO = Decimal("0.00")
HIDDEN = "已记录（已隐藏）"


def _user(label: str):
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=label,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )


# Four-period protection ---------------------------------------------------------------------


class ProtectionPeriod(models.TextChoices):
    MENSTRUAL = "menstrual", "经期"
    PREGNANCY = "pregnancy", "孕期"
    MATERNITY = "maternity", "产期"
    NURSING = "nursing", "哺乳期"


class ProtectionRecord(ScopedModel):
    """四期保护: one period of one member, with the arrangements made for it."""

    member = models.ForeignKey(
        "members.Member",
        verbose_name="女职工",
        on_delete=models.PROTECT,
        related_name="protection_records",
    )
    period = EncryptedTextField("四期类别")
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期", null=True, blank=True)
    arrangements = EncryptedTextField("工作调整安排", blank=True)
    items = EncryptedTextField("发放防护用品", blank=True)
    notes = EncryptedTextField("备注", blank=True)
    created_by = _user("登记人")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "四期保护记录"
        verbose_name_plural = "四期保护记录"
        ordering = ["-starts_on", "-id"]
        indexes = [
            models.Index(fields=["union", "starts_on"], name="women_protect_union_start"),
            models.Index(fields=["union", "ends_on"], name="women_protect_union_end"),
        ]

    def __str__(self):
        return f"四期保护记录 第{self.pk}号"

    @property
    def period_label(self) -> str:
        return dict(ProtectionPeriod.choices).get(self.period, "")

    @property
    def is_open(self) -> bool:
        return self.ends_on is None


# Check-ups -------------------------------------------------------------------------------------


class CheckupKind(models.TextChoices):
    GENERAL = "general", "健康体检"
    GYNAECOLOGICAL = "gynaecological", "妇科检查"
    SCREENING = "screening", "两癌筛查"


class CheckupCampaign(ScopedModel):
    """A year's check-up for women members; its eligible list is fixed when it
    is created (women on the roll at the start date, of at least `min_age`)."""

    year = models.PositiveSmallIntegerField("年度")
    kind = models.CharField("检查类别", max_length=20, choices=CheckupKind.choices)
    title = models.CharField("名称", max_length=120)
    provider = models.CharField("体检机构", max_length=120, blank=True)
    min_age = models.PositiveSmallIntegerField(
        "最低年龄", default=0, help_text="年满此年龄的女会员列入名单；0为全体女会员"
    )
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期")
    created_by = _user("创建人")
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "女职工体检"
        verbose_name_plural = "女职工体检"
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="women_campaign_dates"
            )
        ]
        indexes = [models.Index(fields=["union", "starts_on"], name="women_campaign_union_start")]

    def __str__(self):
        return self.title


class Checkup(ScopedModel):
    """One eligible member of a campaign; `done_on` once she was examined."""

    campaign = models.ForeignKey(
        CheckupCampaign, verbose_name="体检", on_delete=models.CASCADE, related_name="checkups"
    )
    member = models.ForeignKey(
        "members.Member", verbose_name="女职工", on_delete=models.PROTECT, related_name="+"
    )
    done_on = models.DateField("体检日期", null=True, blank=True)

    class Meta:
        verbose_name = "体检名单"
        verbose_name_plural = "体检名单"
        ordering = ["campaign_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "member"], name="women_checkup_once")
        ]

    def __str__(self):
        return f"{self.member} {self.campaign}"


# Insurance ---------------------------------------------------------------------------------------


class InsurancePlan(ScopedModel):
    """A year's women's special illness insurance (女职工特殊疾病保险/安康保险),
    its premium per person and the budget line that pays it."""

    year = models.PositiveSmallIntegerField("年度")
    name = models.CharField("保险名称", max_length=120)
    insurer = models.CharField("承保机构", max_length=120, blank=True)
    premium = models.DecimalField("每人保费（元）", **MONEY)
    line = models.ForeignKey(
        "finance.BudgetLine",
        verbose_name="支出预算科目",
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = _user("创建人")
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "女职工保险"
        verbose_name_plural = "女职工保险"
        ordering = ["-year", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["union", "year", "name"], name="women_plan_unique"),
            models.CheckConstraint(condition=Q(premium__gt=0), name="women_plan_premium_positive"),
        ]

    def __str__(self):
        return f"{self.year}年{self.name}"


class InsuranceEnrolment(ScopedModel):
    plan = models.ForeignKey(
        InsurancePlan, verbose_name="保险", on_delete=models.PROTECT, related_name="enrolments"
    )
    member = models.ForeignKey(
        "members.Member", verbose_name="参保女职工", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField("年度")
    premium = models.DecimalField("保费（元）", **MONEY)
    enrolled_on = models.DateField("参保日期")
    batch_key = models.CharField("缴费批次", max_length=64, editable=False)

    class Meta:
        verbose_name = "女职工参保"
        verbose_name_plural = "女职工参保"
        ordering = ["-enrolled_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["plan", "member"], name="women_enrol_once")]
        indexes = [models.Index(fields=["union", "year"], name="women_enrol_union_year")]

    def __str__(self):
        return f"{self.member} {self.year}年参保"
