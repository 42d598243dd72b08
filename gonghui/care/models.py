"""Care (关怀帮扶): visits, hardship cases and their reviews, assistance,
donation campaigns, school aid, festival gifts and medical mutual aid.

Amounts are Decimal with two places. Money the union itself pays out is a
finance.Payment linked to the record it pays for (`pays_for`), booked by
care.services in the same transaction as the record.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from gonghui.encryption import EncryptedTextField
from gonghui.orgs.models import ScopedModel

MONEY = {"max_digits": 14, "decimal_places": 2}
ZERO = Decimal("0.00")


def _user(label: str, *, null: bool = False):
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=label,
        null=null,
        blank=null,
        on_delete=models.PROTECT,
        related_name="+",
    )


def _line():
    return models.ForeignKey(
        "finance.BudgetLine",
        verbose_name="预算科目",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )


class CareSettings(ScopedModel):
    """The union's own care rules."""

    hardship_income_threshold = models.DecimalField(
        "困难认定收入线（元/人·月）",
        default=Decimal("1500.00"),
        help_text="家庭月人均收入高于此线的建档须说明理由",
        **MONEY,
    )
    festival_gift_cap_per_year = models.DecimalField(
        "节日慰问年度限额（元/人）",
        default=Decimal("2000.00"),
        help_text="每名会员每年节日慰问品合计不超过此数，超出须记录理由",
        **MONEY,
    )

    class Meta:
        verbose_name = "关怀帮扶设置"
        verbose_name_plural = "关怀帮扶设置"
        constraints = [
            models.UniqueConstraint(fields=["union"], name="care_settings_one_per_union")
        ]

    def __str__(self):
        return f"{self.union}的关怀帮扶设置"


# Visits ---------------------------------------------------------------------------


class VisitKind(models.TextChoices):
    ILLNESS = "illness", "生病住院"
    BIRTH = "birth", "生育"
    MARRIAGE = "marriage", "结婚"
    BEREAVEMENT = "bereavement", "丧事"
    RETIREMENT = "retirement", "退休"
    FESTIVAL = "festival", "节日"
    HARDSHIP = "hardship", "困难"
    OTHER = "other", "其他"


class Visit(ScopedModel):
    """慰问: committee members visit one or more members, often with a gift."""

    kind = models.CharField("慰问类型", max_length=20, choices=VisitKind.choices)
    on = models.DateField("慰问日期")
    members = models.ManyToManyField(
        "members.Member", verbose_name="慰问对象", related_name="care_visits"
    )
    visitors = models.ManyToManyField(
        "members.Member", verbose_name="慰问人", blank=True, related_name="care_visits_made"
    )
    gift = models.CharField("慰问品/慰问金说明", max_length=200, blank=True)
    amount = models.DecimalField("金额（元）", default=ZERO, **MONEY)
    line = _line()
    notes = models.TextField("备注", blank=True)
    idempotency_key = models.CharField("防重复提交标识", max_length=64, editable=False)
    created_by = _user("录入人", null=True)
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "慰问"
        verbose_name_plural = "慰问"
        ordering = ["-on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0), name="care_visit_amount_not_negative"
            ),
            models.UniqueConstraint(
                fields=["union", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="care_visit_idempotency_unique",
            ),
        ]
        indexes = [models.Index(fields=["union", "on"], name="care_visit_union_on")]

    def __str__(self):
        return f"{self.on:%Y-%m-%d} {self.get_kind_display()}慰问"


# Hardship cases ----------------------------------------------------------------------


class HardshipLevel(models.TextChoices):
    DEEP = "deep", "深度困难"
    RELATIVE = "relative", "相对困难"
    ACCIDENT = "accident", "意外致困"


class HardshipCause(models.TextChoices):
    ILLNESS = "illness", "大病"
    DISABILITY = "disability", "残疾"
    SCHOOLING = "schooling", "子女就学"
    SINGLE_PARENT = "single_parent", "单亲"
    DISASTER = "disaster", "灾害"
    UNEMPLOYED_FAMILY = "unemployed_family", "失业家属"
    OTHER = "other", "其他"


class HardshipCase(ScopedModel):
    """困难职工档案. A member has at most one open case."""

    member = models.ForeignKey(
        "members.Member",
        verbose_name="会员",
        on_delete=models.PROTECT,
        related_name="hardship_cases",
    )
    level = models.CharField("困难类别", max_length=20, choices=HardshipLevel.choices)
    causes = models.JSONField("致困原因", default=list, blank=True)
    household_size = models.PositiveSmallIntegerField("家庭人口", default=1)
    income_per_capita = models.DecimalField("家庭月人均收入（元）", default=ZERO, **MONEY)
    above_threshold_reason = models.CharField("高于收入线的建档理由", max_length=200, blank=True)
    health_details = EncryptedTextField("健康状况", blank=True)
    filed_on = models.DateField("建档日期")
    closed_on = models.DateField("解除日期", null=True, blank=True)
    close_reason = models.CharField("解除理由", max_length=200, blank=True)
    created_by = _user("建档人", null=True)
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "困难职工档案"
        verbose_name_plural = "困难职工档案"
        ordering = ["-filed_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(closed_on__isnull=True),
                name="care_one_open_case_per_member",
            )
        ]
        indexes = [models.Index(fields=["union", "filed_on"], name="care_case_union_filed")]

    def __str__(self):
        return f"{self.member.name}（{self.get_level_display()}）"

    @property
    def is_open(self) -> bool:
        return self.closed_on is None

    @property
    def cause_labels(self) -> str:
        labels = dict(HardshipCause.choices)
        return "、".join(labels.get(c, c) for c in self.causes or [])

    @property
    def health_details_masked(self) -> str:
        return "已记录（已隐藏）" if self.health_details else ""


class ReviewOutcome(models.TextChoices):
    CONTINUE = "continue", "继续帮扶"
    ADJUST = "adjust", "调整级别"
    RELEASE = "release", "解除"


class CaseReview(ScopedModel):
    """复核: the yearly check that a case still stands."""

    case = models.ForeignKey(
        HardshipCase, verbose_name="档案", on_delete=models.CASCADE, related_name="reviews"
    )
    on = models.DateField("复核日期")
    outcome = models.CharField("复核结论", max_length=20, choices=ReviewOutcome.choices)
    new_level = models.CharField(
        "调整后类别", max_length=20, choices=HardshipLevel.choices, blank=True
    )
    note = models.CharField("说明", max_length=200, blank=True)
    reviewed_by = _user("复核人", null=True)
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "困难档案复核"
        verbose_name_plural = "困难档案复核"
        ordering = ["-on", "-id"]

    def __str__(self):
        return f"{self.on:%Y-%m-%d} {self.get_outcome_display()}"


# Assistance -----------------------------------------------------------------------------


class AssistanceKind(models.TextChoices):
    LIVING = "living", "生活救助"
    MEDICAL = "medical", "医疗救助"
    SCHOOLING = "schooling", "助学"
    FESTIVAL = "festival", "节日慰问"


class AssistanceSource(models.TextChoices):
    FUND = "fund", "本会经费"
    UPPER = "upper", "上级工会"
    DONATION = "donation", "捐款"
    OTHER = "other", "其他"


class Assistance(ScopedModel):
    """帮扶: money given to a member, with or without an open case; approved by
    the committee, then paid through finance when it comes from the union's fund."""

    case = models.ForeignKey(
        HardshipCase,
        verbose_name="困难档案",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assistance",
    )
    member = models.ForeignKey(
        "members.Member", verbose_name="会员", on_delete=models.PROTECT, related_name="assistance"
    )
    kind = models.CharField("帮扶类型", max_length=20, choices=AssistanceKind.choices)
    source = models.CharField("资金来源", max_length=20, choices=AssistanceSource.choices)
    amount = models.DecimalField("金额（元）", **MONEY)
    on = models.DateField("帮扶日期")
    reason = models.CharField("事由", max_length=200, blank=True)
    line = _line()
    voucher = models.CharField("凭证号", max_length=40, blank=True)
    approved_by = _user("批准人", null=True)
    approved_at = models.DateTimeField("批准时间", null=True, blank=True)
    created_by = _user("录入人", null=True)
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "帮扶"
        verbose_name_plural = "帮扶"
        ordering = ["-on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="care_assistance_amount_positive"
            )
        ]
        indexes = [models.Index(fields=["union", "on"], name="care_assistance_union_on")]

    def __str__(self):
        return f"{self.member.name} {self.get_kind_display()} {self.amount}元"

    @property
    def approved(self) -> bool:
        return self.approved_at is not None


# Donation campaigns ---------------------------------------------------------------------


class DonationCampaign(ScopedModel):
    """爱心捐款: money raised for a member or someone outside the union."""

    purpose = models.CharField("捐款事由", max_length=120)
    beneficiary = models.ForeignKey(
        "members.Member",
        verbose_name="受助会员",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    beneficiary_name = models.CharField(
        "受助人（非会员）", max_length=60, blank=True, help_text="受助人不是本会会员时填写"
    )
    opens_on = models.DateField("开始日期")
    closes_on = models.DateField("截止日期")
    created_by = _user("发起人", null=True)
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "爱心捐款"
        verbose_name_plural = "爱心捐款"
        ordering = ["-opens_on", "-id"]

    def __str__(self):
        return self.purpose

    @property
    def beneficiary_label(self) -> str:
        return self.beneficiary.name if self.beneficiary_id else self.beneficiary_name


class Channel(models.TextChoices):
    CASH = "cash", "现金"
    WECHAT = "wechat", "微信"
    ALIPAY = "alipay", "支付宝"
    BANK = "bank", "银行转账"
    OTHER = "other", "其他"


class Donation(ScopedModel):
    campaign = models.ForeignKey(
        DonationCampaign,
        verbose_name="捐款活动",
        on_delete=models.PROTECT,
        related_name="donations",
    )
    donor = models.ForeignKey(
        "members.Member",
        verbose_name="捐款会员",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="donations",
    )
    donor_name = models.CharField("捐款人（非会员）", max_length=60, blank=True)
    anonymous = models.BooleanField("匿名", default=False)
    amount = models.DecimalField("金额（元）", **MONEY)
    on = models.DateField("捐款日期")
    channel = models.CharField("方式", max_length=20, choices=Channel.choices)
    show_amount = models.BooleanField("同意公开金额", default=False)
    idempotency_key = models.CharField("防重复提交标识", max_length=64, editable=False)
    created_by = _user("录入人", null=True)
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "捐款"
        verbose_name_plural = "捐款"
        ordering = ["on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="care_donation_amount_positive"),
            models.UniqueConstraint(
                fields=["union", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="care_donation_idempotency_unique",
            ),
        ]
        indexes = [models.Index(fields=["union", "on"], name="care_donation_union_on")]

    def __str__(self):
        return f"{self.donor_label} {self.amount}元"

    @property
    def donor_label(self) -> str:
        if self.anonymous:
            return "匿名"
        return self.donor.name if self.donor_id else self.donor_name


class FundContribution(ScopedModel):
    """The union fund's share of a campaign: a finance payment links here."""

    campaign = models.ForeignKey(
        DonationCampaign,
        verbose_name="捐款活动",
        on_delete=models.PROTECT,
        related_name="contributions",
    )
    amount = models.DecimalField("金额（元）", **MONEY)
    on = models.DateField("日期")
    line = _line()
    created_by = _user("录入人", null=True)
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "工会经费资助"
        verbose_name_plural = "工会经费资助"
        ordering = ["on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="care_contribution_positive")
        ]

    def __str__(self):
        return f"{self.campaign} 工会资助{self.amount}元"


class Handover(ScopedModel):
    """The money handed to the beneficiary."""

    campaign = models.ForeignKey(
        DonationCampaign,
        verbose_name="捐款活动",
        on_delete=models.PROTECT,
        related_name="handovers",
    )
    amount = models.DecimalField("交付金额（元）", **MONEY)
    on = models.DateField("交付日期")
    delivered_by = models.ForeignKey(
        "members.Member",
        verbose_name="交付人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.CharField("说明", max_length=200, blank=True)
    created_by = _user("录入人", null=True)
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "捐款交付"
        verbose_name_plural = "捐款交付"
        ordering = ["on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="care_handover_positive")
        ]

    def __str__(self):
        return f"{self.campaign} 交付{self.amount}元"


# School aid ------------------------------------------------------------------------------


class AidState(models.TextChoices):
    PENDING = "pending", "待审批"
    APPROVED = "approved", "已批准"
    DECLINED = "declined", "未批准"


class SchoolAid(ScopedModel):
    """金秋助学: a member applies for a child; the committee decides."""

    member = models.ForeignKey(
        "members.Member",
        verbose_name="申请会员",
        on_delete=models.PROTECT,
        related_name="school_aid",
    )
    child_name = models.CharField("子女姓名", max_length=40)
    school = models.CharField("学校", max_length=80)
    grade = models.CharField("年级", max_length=40)
    new_admission = models.BooleanField("新入学", default=False)
    applied_on = models.DateField("申请日期")
    state = models.CharField(
        "状态", max_length=20, choices=AidState.choices, default=AidState.PENDING
    )
    amount = models.DecimalField("资助金额（元）", null=True, blank=True, **MONEY)
    decline_reason = models.CharField("未批准理由", max_length=200, blank=True)
    decided_on = models.DateField("审批日期", null=True, blank=True)
    decided_by = _user("审批人", null=True)
    line = _line()
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "金秋助学"
        verbose_name_plural = "金秋助学"
        ordering = ["-applied_on", "-id"]

    def __str__(self):
        return f"{self.member.name}之子女{self.child_name}（{self.school}）"


# Festival gifts -----------------------------------------------------------------------


class Occasion(models.TextChoices):
    SPRING = "spring", "春节"
    LANTERN = "lantern", "元宵"
    WOMENS_DAY = "womens_day", "三八"
    LABOUR_DAY = "labour_day", "五一"
    DRAGON_BOAT = "dragon_boat", "端午"
    CHILDRENS_DAY = "childrens_day", "六一"
    MID_AUTUMN = "mid_autumn", "中秋"
    NATIONAL_DAY = "national_day", "国庆"
    BIRTHDAY = "birthday", "生日"
    OTHER = "other", "其他"


class FestivalDistribution(ScopedModel):
    """节日慰问/福利发放: the same amount to each recipient."""

    occasion = models.CharField("节日", max_length=20, choices=Occasion.choices)
    on = models.DateField("发放日期")
    description = models.CharField("慰问品", max_length=200, blank=True)
    amount_per_person = models.DecimalField("每人标准（元）", **MONEY)
    total = models.DecimalField("合计（元）", default=ZERO, **MONEY)
    line = _line()
    over_cap = models.BooleanField("超出年度限额", default=False)
    over_cap_members = models.TextField("超限人员", blank=True)
    over_cap_reason = models.CharField("超限理由", max_length=200, blank=True)
    # Created when the form is rendered: a second submit of the same form finds
    # the first distribution instead of writing another. Blank for callers
    # without a form (bulk and API writes), which are not deduplicated.
    idempotency_key = models.CharField(
        "防重复提交标识", max_length=64, blank=True, default="", editable=False
    )
    created_by = _user("录入人", null=True)
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "节日慰问发放"
        verbose_name_plural = "节日慰问发放"
        ordering = ["-on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_per_person__gt=0), name="care_gift_amount_positive"
            ),
            models.UniqueConstraint(
                fields=["union", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="care_gift_idempotency_unique",
            ),
        ]
        indexes = [models.Index(fields=["union", "on"], name="care_gift_union_on")]

    def __str__(self):
        return f"{self.on:%Y-%m-%d} {self.get_occasion_display()}慰问"


class GiftRecipient(ScopedModel):
    distribution = models.ForeignKey(
        FestivalDistribution,
        verbose_name="发放",
        on_delete=models.CASCADE,
        related_name="recipients",
    )
    member = models.ForeignKey(
        "members.Member", verbose_name="会员", on_delete=models.PROTECT, related_name="gifts"
    )
    amount = models.DecimalField("金额（元）", **MONEY)

    class Meta:
        verbose_name = "节日慰问领取"
        verbose_name_plural = "节日慰问领取"
        ordering = ["distribution_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["distribution", "member"], name="care_gift_once_per_member"
            )
        ]

    def __str__(self):
        return f"{self.member.name} {self.amount}元"


# Medical mutual aid ---------------------------------------------------------------------


class MutualAidEnrolment(ScopedModel):
    """职工医疗互助: one enrolment per member per year."""

    member = models.ForeignKey(
        "members.Member",
        verbose_name="会员",
        on_delete=models.PROTECT,
        related_name="mutual_aid_enrolments",
    )
    year = models.PositiveSmallIntegerField("年度")
    premium = models.DecimalField("互助金（元）", **MONEY)
    enrolled_on = models.DateField("参保日期")
    created_by = _user("录入人", null=True)
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "医疗互助参保"
        verbose_name_plural = "医疗互助参保"
        ordering = ["-year", "id"]
        constraints = [
            models.UniqueConstraint(fields=["member", "year"], name="care_mutual_aid_once_a_year"),
            models.CheckConstraint(condition=Q(premium__gt=0), name="care_mutual_aid_premium"),
        ]

    def __str__(self):
        return f"{self.member.name} {self.year}年医疗互助"
