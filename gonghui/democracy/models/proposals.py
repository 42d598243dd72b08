"""Representatives' proposals (提案): drafted and co-signed in the portal,
submitted within a session's window, decided by the proposal committee,
answered by the lead department's handler and rated by the proposer."""

from django.conf import settings
from django.db import models

from gonghui.democracy.models.congress import CongressSession, Representative
from gonghui.orgs.models import Department, ScopedModel

__all__ = [
    "ProposalCategory",
    "ProposalState",
    "Proposal",
    "CoSignature",
    "Rating",
    "ProposalReply",
]


class ProposalCategory(models.TextChoices):
    OPERATIONS = "operations", "生产经营与教育教学"
    PAY = "pay", "工资福利"
    SAFETY = "safety", "劳动保护与安全"
    LIVING = "living", "生活后勤"
    DEMOCRACY = "democracy", "民主管理"
    TRAINING = "training", "培训与发展"
    OTHER = "other", "其他"


class ProposalState(models.TextChoices):
    DRAFT = "draft", "草稿（征集附议）"
    SUBMITTED = "submitted", "已提交，待审查"
    ACCEPTED = "accepted", "已立案，办理中"
    CONVERTED = "converted", "转为意见建议"
    REJECTED = "rejected", "不予立案"
    REPLIED = "replied", "已答复，待评价"
    REOPENED = "reopened", "不满意，重新办理"
    COMPLETED = "completed", "已办结"


# States in which the lead department still owes a reply.
PENDING_REPLY = (ProposalState.ACCEPTED, ProposalState.REOPENED)


class Proposal(ScopedModel):
    session = models.ForeignKey(
        CongressSession, verbose_name="会议", on_delete=models.PROTECT, related_name="proposals"
    )
    number = models.PositiveIntegerField("提案编号", null=True, blank=True)
    proposer = models.ForeignKey(
        Representative, verbose_name="提案人", on_delete=models.PROTECT, related_name="proposals"
    )
    title = models.CharField("案由", max_length=200)
    reason = models.TextField("理由")
    measures = models.TextField("建议措施")
    category = models.CharField(
        "类别", max_length=20, choices=ProposalCategory.choices, default=ProposalCategory.OTHER
    )
    state = models.CharField(
        "状态", max_length=20, choices=ProposalState.choices, default=ProposalState.DRAFT
    )
    created_at = models.DateTimeField("起草时间", auto_now_add=True)
    submitted_on = models.DateField("提交日期", null=True, blank=True)
    decided_on = models.DateField("审查日期", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审查人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decision_reason = models.CharField("审查意见/不立案理由", max_length=300, blank=True)
    lead_department = models.ForeignKey(
        Department,
        verbose_name="主办部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_proposals",
    )
    helper_departments = models.ManyToManyField(
        Department, verbose_name="协办部门", blank=True, related_name="helped_proposals"
    )
    deadline = models.DateField("办理期限", null=True, blank=True)
    reopened = models.BooleanField("已重新办理", default=False)
    completed_on = models.DateField("办结日期", null=True, blank=True)

    class Meta:
        verbose_name = "提案"
        verbose_name_plural = "提案"
        ordering = ["session_id", "number", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "number"], name="democracy_proposal_number_unique"
            )
        ]
        indexes = [
            models.Index(fields=["union", "submitted_on"], name="democracy_proposal_submitted"),
            models.Index(fields=["union", "state"], name="democracy_proposal_state"),
        ]

    def __str__(self):
        return f"{self.number}号提案 {self.title}" if self.number else f"（草稿）{self.title}"


class CoSignature(ScopedModel):
    """附议: a representative of the same congress supports a draft."""

    proposal = models.ForeignKey(
        Proposal, verbose_name="提案", on_delete=models.CASCADE, related_name="co_signatures"
    )
    representative = models.ForeignKey(
        Representative, verbose_name="附议代表", on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField("附议时间", auto_now_add=True)

    class Meta:
        verbose_name = "附议"
        verbose_name_plural = "附议"
        ordering = ["proposal_id", "at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "representative"], name="democracy_cosign_unique"
            )
        ]

    def __str__(self):
        return f"{self.representative} 附议"


class Rating(models.TextChoices):
    SATISFIED = "satisfied", "满意"
    BASICALLY = "basically", "基本满意"
    UNSATISFIED = "unsatisfied", "不满意"


class ProposalReply(ScopedModel):
    """逐一答复: the lead department's written reply, round 1 or (after 不满意) 2,
    with the proposer's rating."""

    proposal = models.ForeignKey(
        Proposal, verbose_name="提案", on_delete=models.CASCADE, related_name="replies"
    )
    round = models.PositiveSmallIntegerField("答复轮次", default=1)
    department = models.ForeignKey(Department, verbose_name="答复部门", on_delete=models.PROTECT)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="承办人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = models.TextField("答复内容")
    replied_on = models.DateField("答复日期")
    on_time = models.BooleanField("按期答复", default=True)
    rating = models.CharField("提案人评价", max_length=20, choices=Rating.choices, blank=True)
    rating_comment = models.CharField("评价意见", max_length=300, blank=True)
    rated_on = models.DateField("评价日期", null=True, blank=True)

    class Meta:
        verbose_name = "提案答复"
        verbose_name_plural = "提案答复"
        ordering = ["proposal_id", "round"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "round"], name="democracy_reply_round")
        ]
        indexes = [models.Index(fields=["union", "replied_on"], name="democracy_reply_on")]

    def __str__(self):
        return f"{self.proposal} 第{self.round}次答复"
