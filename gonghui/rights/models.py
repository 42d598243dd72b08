"""维权: collective contracts and their negotiation, congress vote, signing,
filing and execution checks; labour dispute mediation; legal aid and
consultations; labour-law supervision of the employer.

A contract is in force on a day when it has been signed and the day lies in
its term. The congress vote is stored on the contract (date, for, against,
abstain, passed); when the congress voted through the democracy app, the
contract links that resolution and copies its counts.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from gonghui.orgs.models import ScopedModel

MEDIATION_LIMIT_DAYS = 15  # 《劳动争议调解仲裁法》第十四条: 自受理之日起15日内结束


def _user(label: str):
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=label,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )


class ContractKind(models.TextChoices):
    COMPREHENSIVE = "comprehensive", "综合集体合同"
    WAGE = "wage", "工资专项集体合同"
    WOMEN = "women", "女职工权益保护专项集体合同"
    SAFETY = "safety", "劳动安全卫生专项集体合同"


class Contract(ScopedModel):
    kind = models.CharField("合同类别", max_length=20, choices=ContractKind.choices)
    title = models.CharField("合同名称", max_length=120)
    employer = models.CharField("用人单位（甲方）", max_length=120)
    union_chief = models.CharField("职工方首席代表", max_length=40)
    employer_chief = models.CharField("企业方首席代表", max_length=40)
    starts_on = models.DateField("期限起")
    ends_on = models.DateField("期限止")
    workers_covered = models.PositiveIntegerField("覆盖职工人数", default=0)
    wage_increase = models.DecimalField(
        "约定工资增长幅度（%）", max_digits=5, decimal_places=2, null=True, blank=True
    )
    vote_on = models.DateField("职代会表决日期", null=True, blank=True)
    votes_for = models.PositiveIntegerField("赞成票", null=True, blank=True)
    votes_against = models.PositiveIntegerField("反对票", null=True, blank=True)
    votes_abstain = models.PositiveIntegerField("弃权票", null=True, blank=True)
    vote_passed = models.BooleanField("表决通过", null=True, blank=True)
    resolution = models.ForeignKey(
        "democracy.Resolution",
        verbose_name="职代会决议表决",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    signed_on = models.DateField("签署日期", null=True, blank=True)
    filed_with = models.CharField("备案机关", max_length=80, blank=True)
    filed_on = models.DateField("备案日期", null=True, blank=True)
    created_by = _user("录入人")
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "集体合同"
        verbose_name_plural = "集体合同"
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                # Not strictly later: rights.services refuses an empty term with its message.
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="rights_contract_term_order",
            ),
            models.CheckConstraint(
                condition=Q(filed_on__isnull=True)
                | (Q(signed_on__isnull=False) & Q(filed_on__gte=models.F("signed_on"))),
                name="rights_filed_after_signing",
            ),
        ]
        indexes = [models.Index(fields=["union", "kind", "ends_on"], name="rights_contract_term")]

    def __str__(self):
        return self.title

    @property
    def stage(self) -> str:
        if self.filed_on:
            return "已备案"
        if self.signed_on:
            return "已签署待备案"
        if self.vote_passed:
            return "已表决通过待签署"
        if self.vote_passed is False:
            return "表决未通过"
        return "协商中"


class NegotiationRound(ScopedModel):
    contract = models.ForeignKey(
        Contract, verbose_name="集体合同", on_delete=models.CASCADE, related_name="rounds"
    )
    number = models.PositiveSmallIntegerField("轮次")
    held_on = models.DateField("协商日期")
    union_side = models.TextField("职工方参加人员")
    employer_side = models.TextField("企业方参加人员")
    issues = models.TextField("协商议题")
    minutes = models.TextField("会议纪要", blank=True)
    agreed = models.TextField("达成一致的事项", blank=True)
    created_by = _user("录入人")

    class Meta:
        verbose_name = "协商会议"
        verbose_name_plural = "协商会议"
        ordering = ["contract", "number"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "number"], name="rights_round_number")
        ]
        indexes = [models.Index(fields=["union", "held_on"], name="rights_round_union_held")]

    def __str__(self):
        return f"{self.contract}第{self.number}轮协商"


class Draft(ScopedModel):
    contract = models.ForeignKey(
        Contract, verbose_name="集体合同", on_delete=models.CASCADE, related_name="drafts"
    )
    version = models.PositiveSmallIntegerField("稿次")
    prepared_on = models.DateField("形成日期")
    text = models.TextField("草案文本")
    note = models.CharField("修改说明", max_length=300, blank=True)
    created_by = _user("录入人")

    class Meta:
        verbose_name = "合同草案"
        verbose_name_plural = "合同草案"
        ordering = ["contract", "version"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "version"], name="rights_draft_version")
        ]

    def __str__(self):
        return f"{self.contract}第{self.version}稿"


class ExecutionCheck(ScopedModel):
    contract = models.ForeignKey(
        Contract, verbose_name="集体合同", on_delete=models.CASCADE, related_name="checks"
    )
    year = models.PositiveSmallIntegerField("检查年度")
    checked_on = models.DateField("检查日期")
    clause = models.CharField("检查条款", max_length=200)
    finding = models.TextField("履行情况")
    fulfilled = models.BooleanField("已履行", default=True)
    follow_up = models.TextField("整改跟进", blank=True)
    created_by = _user("录入人")

    class Meta:
        verbose_name = "履约检查"
        verbose_name_plural = "履约检查"
        ordering = ["-checked_on", "-id"]

    def __str__(self):
        return f"{self.year}年 {self.clause}"


# Dispute mediation -------------------------------------------------------------------


class Claim(models.TextChoices):
    WAGES = "wages", "劳动报酬"
    HOURS = "hours", "工作时间和休息休假"
    SOCIAL_INSURANCE = "social_insurance", "社会保险"
    DISMISSAL = "dismissal", "解除或终止劳动合同"
    INJURY = "injury", "工伤"
    CONTRACT = "contract", "订立或履行劳动合同"
    WELFARE = "welfare", "福利待遇"
    OTHER = "other", "其他"


class Outcome(models.TextChoices):
    OPEN = "open", "调解中"
    SETTLED = "settled", "调解成功"
    FAILED = "failed", "调解不成"
    WITHDRAWN = "withdrawn", "申请人撤回"


class DisputeCase(ScopedModel):
    """劳动争议调解委员会 case, from intake to its outcome."""

    applicant = models.CharField("申请人", max_length=40)
    member = models.ForeignKey(
        "members.Member",
        verbose_name="申请人（会员）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dispute_cases",
    )
    respondent = models.CharField("被申请人", max_length=120)
    claims = models.JSONField("争议事项", default=list)
    claim_detail = models.TextField("请求事项和理由")
    amount_claimed = models.DecimalField(
        "请求金额（元）", max_digits=14, decimal_places=2, null=True, blank=True
    )
    received_on = models.DateField("受理日期")
    mediators = models.CharField("调解员", max_length=120, blank=True)
    outcome = models.CharField("结果", max_length=20, choices=Outcome.choices, default=Outcome.OPEN)
    closed_on = models.DateField("结案日期", null=True, blank=True)
    days_to_close = models.PositiveIntegerField("办结天数", null=True, blank=True)
    agreement = models.TextField("调解协议", blank=True)
    applicant_confirmed = models.BooleanField("申请人签字确认", default=False)
    respondent_confirmed = models.BooleanField("被申请人签字确认", default=False)
    arbitration_advised = models.BooleanField("已告知申请仲裁", default=False)
    close_note = models.CharField("结案说明", max_length=300, blank=True)
    created_by = _user("录入人")

    class Meta:
        verbose_name = "劳动争议调解"
        verbose_name_plural = "劳动争议调解"
        ordering = ["-received_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(outcome="settled")
                | (Q(applicant_confirmed=True) & Q(respondent_confirmed=True)),
                name="rights_settlement_confirmed_by_both",
            ),
            models.CheckConstraint(
                condition=Q(outcome="open", closed_on__isnull=True)
                | (~Q(outcome="open") & Q(closed_on__isnull=False)),
                name="rights_dispute_closed_when_decided",
            ),
        ]
        indexes = [
            models.Index(fields=["union", "received_on"], name="rights_dispute_received"),
            models.Index(fields=["union", "closed_on"], name="rights_dispute_closed"),
        ]

    def __str__(self):
        return f"{self.applicant}与{self.respondent}劳动争议（{self.received_on:%Y-%m-%d}受理）"

    @property
    def claim_labels(self) -> str:
        labels = dict(Claim.choices)
        return "、".join(labels.get(c, c) for c in self.claims or [])

    def days_open(self, today) -> int:
        return ((self.closed_on or today) - self.received_on).days

    def over_limit(self, today) -> bool:
        """Past the statutory 15 days: closed late, or still open after them."""
        return self.days_open(today) > MEDIATION_LIMIT_DAYS


class MediationSession(ScopedModel):
    case = models.ForeignKey(
        DisputeCase, verbose_name="调解案件", on_delete=models.CASCADE, related_name="sessions"
    )
    held_on = models.DateField("调解日期")
    attendees = models.CharField("参加人员", max_length=200, blank=True)
    notes = models.TextField("调解记录")
    created_by = _user("录入人")

    class Meta:
        verbose_name = "调解记录"
        verbose_name_plural = "调解记录"
        ordering = ["case", "held_on", "id"]

    def __str__(self):
        return f"{self.held_on:%Y-%m-%d} 调解"


# Legal aid and consultations -----------------------------------------------------------


class Topic(models.TextChoices):
    CONTRACT = "contract", "劳动合同"
    WAGES = "wages", "工资报酬"
    HOURS = "hours", "工时休假"
    SOCIAL_INSURANCE = "social_insurance", "社会保险"
    INJURY = "injury", "工伤"
    DISMISSAL = "dismissal", "解除劳动关系"
    WOMEN = "women", "女职工权益"
    OTHER = "other", "其他"


class ConsultationOutcome(models.TextChoices):
    ANSWERED = "answered", "已解答"
    REFERRED = "referred", "已转介"
    AID = "aid", "提供法律援助"
    PENDING = "pending", "待答复"


class Consultation(ScopedModel):
    asker = models.CharField("咨询人", max_length=40)
    member = models.ForeignKey(
        "members.Member",
        verbose_name="咨询人（会员）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="consultations",
    )
    asked_on = models.DateField("咨询日期")
    topic = models.CharField("咨询类别", max_length=20, choices=Topic.choices)
    question = models.TextField("咨询内容")
    answer = models.TextField("解答意见", blank=True)
    referred_to = models.CharField("转介机构", max_length=120, blank=True)
    outcome = models.CharField(
        "处理结果",
        max_length=20,
        choices=ConsultationOutcome.choices,
        default=ConsultationOutcome.PENDING,
    )
    handled_by = models.CharField("解答人", max_length=40, blank=True)
    created_by = _user("录入人")

    class Meta:
        verbose_name = "法律咨询与援助"
        verbose_name_plural = "法律咨询与援助"
        ordering = ["-asked_on", "-id"]
        indexes = [models.Index(fields=["union", "asked_on"], name="rights_consult_asked")]

    def __str__(self):
        return f"{self.asked_on:%Y-%m-%d} {self.asker}咨询{self.get_topic_display()}"


# Labour-law supervision -------------------------------------------------------------------


class SupervisionArea(models.TextChoices):
    WAGES_ON_TIME = "wages_on_time", "工资按时足额支付"
    HOURS = "hours", "工作时间和休息休假"
    SOCIAL_INSURANCE = "social_insurance", "社会保险缴纳"
    WOMEN = "women", "女职工特殊保护"
    MINORS = "minors", "未成年工保护"
    SAFETY = "safety", "劳动安全卫生"
    OTHER = "other", "其他"


class SupervisionCheck(ScopedModel):
    """劳动法律监督: a check of the employer, the union's 监督意见书 and the response."""

    area = models.CharField("监督事项", max_length=20, choices=SupervisionArea.choices)
    checked_on = models.DateField("检查日期")
    finding = models.TextField("检查情况")
    compliant = models.BooleanField("符合规定", default=True)
    recommendation = models.TextField("监督意见书", blank=True)
    recommended_on = models.DateField("意见书送达日期", null=True, blank=True)
    response = models.TextField("用人单位答复", blank=True)
    responded_on = models.DateField("答复日期", null=True, blank=True)
    resolved_on = models.DateField("问题解决日期", null=True, blank=True)
    created_by = _user("录入人")

    class Meta:
        verbose_name = "劳动法律监督"
        verbose_name_plural = "劳动法律监督"
        ordering = ["-checked_on", "-id"]
        indexes = [models.Index(fields=["union", "checked_on"], name="rights_supervision_on")]

    def __str__(self):
        verdict = "符合" if self.compliant else "发现问题"
        return f"{self.checked_on:%Y-%m-%d} {self.get_area_display()}（{verdict}）"
