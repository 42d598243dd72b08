"""Representative congresses (职代会/教代会): the congress of one term (届) with
its rules, representatives elected per group against quotas, its sessions
(次会议) with sign-in, agenda items and resolutions.

Rules are stored as integer fractions so "more than two thirds" is an exact
comparison on both databases: present × denominator > total × numerator.
"""

from django.conf import settings
from django.db import models

from gonghui.members.models import Member
from gonghui.orgs.models import Group, ScopedModel

__all__ = [
    "CongressKind",
    "PassBasis",
    "Congress",
    "RepresentativeCategory",
    "RepresentativeQuota",
    "Representative",
    "SessionState",
    "CongressSession",
    "SignInMethod",
    "SessionAttendance",
    "SessionToken",
    "AgendaKind",
    "AgendaItem",
    "VoteMode",
    "VoteChoice",
    "ResolutionState",
    "Resolution",
    "ResolutionVote",
]


class CongressKind(models.TextChoices):
    WORKERS = "workers", "职工代表大会"
    STAFF = "staff", "教职工代表大会"
    MEMBER_REPRESENTATIVES = "member_reps", "会员代表大会"
    MEMBERS = "members", "会员大会"


class PassBasis(models.TextChoices):
    ALL = "all", "全体代表"
    PRESENT = "present", "出席代表"
    CAST = "cast", "参加表决的代表"


class Congress(ScopedModel):
    """One term (届) of a union's congress, with the rules its sessions follow."""

    kind = models.CharField("大会类型", max_length=20, choices=CongressKind.choices)
    term = models.PositiveSmallIntegerField("届次")
    starts_on = models.DateField("本届开始日期")
    ends_on = models.DateField("本届结束日期", null=True, blank=True)
    # Composition rules (the usual ones by default).
    front_line_min_percent = models.PositiveSmallIntegerField("一线代表最低比例（%）", default=50)
    women_at_least_workforce = models.BooleanField("女代表比例不低于女职工比例", default=True)
    managers_max_percent = models.PositiveSmallIntegerField(
        "中层及以上管理人员最高比例（%）", default=20
    )
    # Quorum: present × quorum_denominator > representatives × quorum_numerator.
    quorum_numerator = models.PositiveSmallIntegerField("法定人数分子", default=2)
    quorum_denominator = models.PositiveSmallIntegerField("法定人数分母", default=3)
    # Passing: for × pass_denominator > basis × pass_numerator.
    pass_basis = models.CharField(
        "通过基数", max_length=10, choices=PassBasis.choices, default=PassBasis.ALL
    )
    pass_numerator = models.PositiveSmallIntegerField("通过比例分子", default=1)
    pass_denominator = models.PositiveSmallIntegerField("通过比例分母", default=2)
    # Proposals.
    co_signers_min = models.PositiveSmallIntegerField("提案最少附议人数", default=2)
    reopen_days = models.PositiveSmallIntegerField("不满意重新办理期限（天）", default=15)

    class Meta:
        verbose_name = "代表大会"
        verbose_name_plural = "代表大会"
        ordering = ["union_id", "-term"]
        constraints = [
            models.UniqueConstraint(
                fields=["union", "kind", "term"], name="democracy_congress_term_unique"
            )
        ]

    def __str__(self):
        return f"第{self.term}届{self.get_kind_display()}"


class RepresentativeCategory(models.TextChoices):
    FRONT_LINE = "front_line", "一线职工（教师）"
    TECHNICAL = "technical", "专业技术人员"
    MANAGER = "manager", "中层及以上管理人员"
    OTHER = "other", "其他"


class RepresentativeQuota(ScopedModel):
    """How many representatives a group (代表团/选区) elects in a term."""

    congress = models.ForeignKey(
        Congress, verbose_name="代表大会", on_delete=models.CASCADE, related_name="quotas"
    )
    group = models.ForeignKey(Group, verbose_name="选举单位", on_delete=models.PROTECT)
    seats = models.PositiveSmallIntegerField("名额")

    class Meta:
        verbose_name = "代表名额"
        verbose_name_plural = "代表名额"
        ordering = ["congress_id", "group__name"]
        constraints = [
            models.UniqueConstraint(fields=["congress", "group"], name="democracy_quota_unique")
        ]

    def __str__(self):
        return f"{self.group}：{self.seats}名"


class Representative(ScopedModel):
    """A member elected by a group as representative for the term."""

    congress = models.ForeignKey(
        Congress,
        verbose_name="代表大会",
        on_delete=models.CASCADE,
        related_name="representatives",
    )
    member = models.ForeignKey(
        Member, verbose_name="代表", on_delete=models.PROTECT, related_name="representations"
    )
    group = models.ForeignKey(
        Group, verbose_name="选举单位", null=True, blank=True, on_delete=models.PROTECT
    )
    category = models.CharField(
        "代表类别",
        max_length=20,
        choices=RepresentativeCategory.choices,
        default=RepresentativeCategory.FRONT_LINE,
    )
    elected_on = models.DateField("当选日期")
    # A representative who leaves (transfer, recall) stops counting from this day.
    left_on = models.DateField("离任日期", null=True, blank=True)

    class Meta:
        verbose_name = "代表"
        verbose_name_plural = "代表"
        ordering = ["congress_id", "group__name", "member__name_initials", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["congress", "member"], name="democracy_representative_unique"
            )
        ]
        indexes = [models.Index(fields=["union", "congress"], name="democracy_rep_congress")]

    def __str__(self):
        return self.member.name

    @property
    def active(self) -> bool:
        return self.left_on is None


class SessionState(models.TextChoices):
    PLANNED = "planned", "筹备中"
    OPEN = "open", "正在召开"
    CLOSED = "closed", "已闭幕"


class CongressSession(ScopedModel):
    """One session (第N次会议) of a congress term: the congress day."""

    congress = models.ForeignKey(
        Congress, verbose_name="代表大会", on_delete=models.CASCADE, related_name="sessions"
    )
    number = models.PositiveSmallIntegerField("会次")
    date = models.DateField("会议日期")
    place = models.CharField("会议地点", max_length=120)
    state = models.CharField(
        "状态", max_length=10, choices=SessionState.choices, default=SessionState.PLANNED
    )
    proposals_open_on = models.DateField("提案征集开始日期", null=True, blank=True)
    proposals_close_on = models.DateField("提案征集截止日期", null=True, blank=True)
    minutes = models.TextField("会议纪要", blank=True)
    published_at = models.DateTimeField("结果公开时间", null=True, blank=True)
    # Representatives counted for quorum and the passing basis, fixed at opening.
    representatives_at_opening = models.PositiveIntegerField("开幕时代表总数", default=0)

    class Meta:
        verbose_name = "大会会议"
        verbose_name_plural = "大会会议"
        ordering = ["-date", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["congress", "number"], name="democracy_session_unique")
        ]
        indexes = [models.Index(fields=["union", "date"], name="democracy_session_date")]

    def __str__(self):
        return f"{self.congress}第{self.number}次会议"


class SignInMethod(models.TextChoices):
    LIST = "list", "名单签到"
    QR = "qr", "扫码签到"


class SessionAttendance(ScopedModel):
    session = models.ForeignKey(
        CongressSession, verbose_name="会议", on_delete=models.CASCADE, related_name="attendances"
    )
    representative = models.ForeignKey(
        Representative, verbose_name="代表", on_delete=models.CASCADE, related_name="attendances"
    )
    how = models.CharField("签到方式", max_length=10, choices=SignInMethod.choices)
    at = models.DateTimeField("签到时间")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "会议签到"
        verbose_name_plural = "会议签到"
        ordering = ["session_id", "at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "representative"], name="democracy_attendance_unique"
            )
        ]

    def __str__(self):
        return f"{self.representative} 签到"


class SessionToken(ScopedModel):
    """A short-lived random code shown as a QR code in the hall."""

    session = models.ForeignKey(
        CongressSession, verbose_name="会议", on_delete=models.CASCADE, related_name="tokens"
    )
    token = models.CharField("签到码", max_length=64, unique=True)
    expires_at = models.DateTimeField("失效时间")

    class Meta:
        verbose_name = "会议签到码"
        verbose_name_plural = "会议签到码"
        ordering = ["-expires_at"]

    def __str__(self):
        return f"{self.session} 签到码"


class AgendaKind(models.TextChoices):
    WORK_REPORT = "work_report", "工作报告"
    FINANCE_REPORT = "finance_report", "财务报告"
    AUDIT_REPORT = "audit_report", "经审报告"
    AFFAIRS_PLAN = "affairs_plan", "校务/园务/厂务工作计划"
    MOTION = "motion", "表决事项"
    OTHER = "other", "其他议程"


class AgendaItem(ScopedModel):
    session = models.ForeignKey(
        CongressSession, verbose_name="会议", on_delete=models.CASCADE, related_name="agenda"
    )
    order = models.PositiveSmallIntegerField("顺序")
    kind = models.CharField("议程类型", max_length=20, choices=AgendaKind.choices)
    title = models.CharField("议题", max_length=200)
    presenter = models.CharField("报告人", max_length=60, blank=True)
    document = models.TextField("文件内容", blank=True)

    class Meta:
        verbose_name = "议程"
        verbose_name_plural = "议程"
        ordering = ["session_id", "order", "id"]

    def __str__(self):
        return self.title


class VoteMode(models.TextChoices):
    OPEN = "open", "公开表决（举手/记名）"
    SECRET = "secret", "无记名投票"


class VoteChoice(models.TextChoices):
    FOR = "for", "赞成"
    AGAINST = "against", "反对"
    ABSTAIN = "abstain", "弃权"


class ResolutionState(models.TextChoices):
    PENDING = "pending", "待表决"
    PASSED = "passed", "通过"
    FAILED = "failed", "未通过"


class Resolution(ScopedModel):
    """A motion put to the vote. Secret votes keep only the tellers' counts."""

    agenda_item = models.OneToOneField(
        AgendaItem, verbose_name="议程", on_delete=models.CASCADE, related_name="resolution"
    )
    session = models.ForeignKey(
        CongressSession,
        verbose_name="会议",
        on_delete=models.CASCADE,
        related_name="resolutions",
    )
    text = models.TextField("决议内容")
    mode = models.CharField("表决方式", max_length=10, choices=VoteMode.choices)
    state = models.CharField(
        "结果", max_length=10, choices=ResolutionState.choices, default=ResolutionState.PENDING
    )
    votes_for = models.PositiveIntegerField("赞成票", default=0)
    votes_against = models.PositiveIntegerField("反对票", default=0)
    votes_abstain = models.PositiveIntegerField("弃权票", default=0)
    present = models.PositiveIntegerField("表决时出席人数", default=0)
    basis = models.PositiveIntegerField("通过基数人数", default=0)
    tellers = models.CharField("计票人", max_length=120, blank=True)
    decided_at = models.DateTimeField("表决时间", null=True, blank=True)

    class Meta:
        verbose_name = "决议表决"
        verbose_name_plural = "决议表决"
        ordering = ["session_id", "agenda_item__order", "id"]
        indexes = [models.Index(fields=["union", "state"], name="democracy_resolution_state")]

    def __str__(self):
        return self.agenda_item.title


class ResolutionVote(ScopedModel):
    """One representative's vote on an open (named) resolution vote."""

    resolution = models.ForeignKey(
        Resolution, verbose_name="决议", on_delete=models.CASCADE, related_name="open_votes"
    )
    representative = models.ForeignKey(
        Representative, verbose_name="代表", on_delete=models.CASCADE, related_name="+"
    )
    choice = models.CharField("表决意见", max_length=10, choices=VoteChoice.choices)

    class Meta:
        verbose_name = "公开表决记录"
        verbose_name_plural = "公开表决记录"
        constraints = [
            models.UniqueConstraint(
                fields=["resolution", "representative"], name="democracy_open_vote_unique"
            )
        ]

    def __str__(self):
        return f"{self.representative} {self.get_choice_display()}"
