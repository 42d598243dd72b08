"""Activities (文体活动、主题活动): sign-ups with a waiting list, attendance by list
or QR code, contest results, and clubs whose sessions are activities."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django_scopes import ScopedManager

from gonghui.orgs.models import Group, ScopedModel


class ActivityType(models.TextChoices):
    SPORTS_ARTS = "sports_arts", "文体"
    STUDY_VISIT = "study_visit", "参观学习"
    CONTEST = "contest", "竞赛"
    SPEECH = "speech", "演讲"
    THEME_EDUCATION = "theme_education", "主题教育"
    VOLUNTEERING = "volunteering", "志愿服务"
    CLUB = "club", "社团活动"
    OTHER = "other", "其他"


class Audience(models.TextChoices):
    ALL = "all", "全体在册会员"
    GROUPS = "groups", "指定工会小组"
    WOMEN = "women", "女会员"
    RETIREES = "retirees", "退休会员"


class Club(ScopedModel):
    """社团 (e.g. 品读社, 健身社): its members, and sessions that are activities."""

    name = models.CharField("社团名称", max_length=60)
    description = models.TextField("简介", blank=True)
    leader = models.ForeignKey(
        "members.Member",
        verbose_name="负责人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    members = models.ManyToManyField(
        "members.Member", verbose_name="社团成员", blank=True, related_name="clubs"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "社团"
        verbose_name_plural = "社团"
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["union", "name"], name="club_name_unique")]

    def __str__(self):
        return self.name


class Activity(ScopedModel):
    title = models.CharField("活动名称", max_length=120)
    type = models.CharField("活动类型", max_length=20, choices=ActivityType.choices)
    starts_at = models.DateTimeField("开始时间")
    ends_at = models.DateTimeField("结束时间")
    place = models.CharField("地点", max_length=120, blank=True)
    organiser = models.CharField("组织者", max_length=80, blank=True)
    audience = models.CharField(
        "参加对象", max_length=20, choices=Audience.choices, default=Audience.ALL
    )
    audience_groups = models.ManyToManyField(
        Group, verbose_name="参加的工会小组", blank=True, related_name="+"
    )
    capacity = models.PositiveIntegerField("名额", null=True, blank=True, help_text="不填为不限")
    # Seats taken. Changed only by conditional UPDATEs in services, so two
    # sign-ups at once can never both take the last seat (on either database).
    admitted = models.PositiveIntegerField("已录取人数", default=0, editable=False)
    # Hands out waiting-list positions in order of arrival.
    next_position = models.PositiveIntegerField(default=0, editable=False)
    signup_opens_at = models.DateTimeField(
        "报名开始", null=True, blank=True, help_text="不填则无需报名"
    )
    signup_closes_at = models.DateTimeField("报名截止", null=True, blank=True)
    description = models.TextField("活动内容", blank=True)
    cost = models.DecimalField("费用（元）", max_digits=12, decimal_places=2, null=True, blank=True)
    # The expenditure line it is paid from; prize costs of its contest results
    # are booked against it (activities.services.record_result).
    budget_line = models.ForeignKey(
        "finance.BudgetLine",
        verbose_name="预算科目",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities",
        help_text="奖品等费用从此支出科目列支",
    )
    club = models.ForeignKey(
        Club,
        verbose_name="所属社团",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sessions",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "活动"
        verbose_name_plural = "活动"
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["union", "starts_at"], name="activity_union_starts")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=F("starts_at")), name="activity_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(admitted__lte=F("capacity")),
                name="activity_admitted_within_capacity",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def needs_sign_up(self) -> bool:
        return self.signup_opens_at is not None

    @property
    def seats_left(self) -> int | None:
        return None if self.capacity is None else max(self.capacity - self.admitted, 0)


class SignUpState(models.TextChoices):
    ADMITTED = "admitted", "已报名"
    WAITING = "waiting", "候补"
    CANCELLED = "cancelled", "已取消"


ACTIVE_SIGN_UP_STATES = (SignUpState.ADMITTED, SignUpState.WAITING)


class SignUpQuerySet(models.QuerySet):
    def admitted(self):
        return self.filter(state=SignUpState.ADMITTED)

    def waiting(self):
        return self.filter(state=SignUpState.WAITING).order_by("position", "id")

    def active(self):
        return self.filter(state__in=ACTIVE_SIGN_UP_STATES)


class SignUp(ScopedModel):
    activity = models.ForeignKey(
        Activity, verbose_name="活动", on_delete=models.CASCADE, related_name="signups"
    )
    member = models.ForeignKey(
        "members.Member", verbose_name="会员", on_delete=models.PROTECT, related_name="signups"
    )
    state = models.CharField("状态", max_length=20, choices=SignUpState.choices)
    # Order of arrival on the waiting list; the smallest is promoted first.
    position = models.PositiveIntegerField("候补顺序", null=True, blank=True)
    created_at = models.DateTimeField("报名时间", auto_now_add=True)
    promoted_at = models.DateTimeField("递补时间", null=True, blank=True)
    cancelled_at = models.DateTimeField("取消时间", null=True, blank=True)

    objects = ScopedManager(models.Manager.from_queryset(SignUpQuerySet), union="union")

    class Meta:
        verbose_name = "报名"
        verbose_name_plural = "报名"
        ordering = ["activity_id", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "member"],
                condition=Q(state__in=["admitted", "waiting"]),
                name="signup_one_active_per_member",
            ),
            models.UniqueConstraint(fields=["activity", "position"], name="signup_position_unique"),
        ]
        indexes = [models.Index(fields=["activity", "state"], name="signup_activity_state")]

    def __str__(self):
        return f"{self.member} {self.get_state_display()}"


class CheckIn(models.TextChoices):
    LIST = "list", "工作人员点名"
    QR = "qr", "扫码签到"


class Attendance(ScopedModel):
    activity = models.ForeignKey(
        Activity, verbose_name="活动", on_delete=models.CASCADE, related_name="attendances"
    )
    member = models.ForeignKey(
        "members.Member",
        verbose_name="会员",
        on_delete=models.PROTECT,
        related_name="attendances",
    )
    how = models.CharField("签到方式", max_length=10, choices=CheckIn.choices)
    at = models.DateTimeField("签到时间")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="记录人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "出席"
        verbose_name_plural = "出席"
        ordering = ["activity_id", "at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "member"], name="attendance_once")
        ]
        indexes = [models.Index(fields=["union", "at"], name="attendance_union_at")]

    def __str__(self):
        return f"{self.member} {self.activity}"


class CheckInToken(ScopedModel):
    """A short-lived random code shown as a QR code at the venue."""

    activity = models.ForeignKey(
        Activity, verbose_name="活动", on_delete=models.CASCADE, related_name="tokens"
    )
    token = models.CharField("签到码", max_length=64, unique=True)
    created_at = models.DateTimeField("生成时间", auto_now_add=True)
    expires_at = models.DateTimeField("失效时间")

    class Meta:
        verbose_name = "签到码"
        verbose_name_plural = "签到码"
        ordering = ["-expires_at"]

    def __str__(self):
        return f"{self.activity} 签到码"


class AwardLevel(models.TextChoices):
    FIRST_PRIZE = "first_prize", "一等奖"
    SECOND_PRIZE = "second_prize", "二等奖"
    THIRD_PRIZE = "third_prize", "三等奖"
    MERIT = "merit", "优秀奖"
    FIRST_PLACE = "first_place", "第一名"
    SECOND_PLACE = "second_place", "第二名"
    THIRD_PLACE = "third_place", "第三名"
    PLACED = "placed", "名次奖"
    PARTICIPATION = "participation", "参与奖"
    OTHER = "other", "其他奖项"


class Result(ScopedModel):
    """A contest result: a team (工会小组) or one member, with rank and award."""

    activity = models.ForeignKey(
        Activity, verbose_name="活动", on_delete=models.CASCADE, related_name="results"
    )
    group = models.ForeignKey(
        Group, verbose_name="获奖小组", null=True, blank=True, on_delete=models.PROTECT
    )
    member = models.ForeignKey(
        "members.Member",
        verbose_name="获奖个人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activity_results",
    )
    rank = models.PositiveSmallIntegerField("名次", null=True, blank=True)
    award_level = models.CharField("奖项等级", max_length=20, choices=AwardLevel.choices)
    prize = models.CharField("奖品", max_length=120, blank=True)
    cost = models.DecimalField("奖品费用（元）", max_digits=12, decimal_places=2, default=0)
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "比赛结果"
        verbose_name_plural = "比赛结果"
        ordering = ["activity_id", "rank", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(group__isnull=False) & Q(member__isnull=True))
                | (Q(group__isnull=True) & Q(member__isnull=False)),
                name="result_group_or_member",
            )
        ]

    def __str__(self):
        winner = self.group or self.member
        return f"{self.activity} {winner} {self.get_award_level_display()}"

    @property
    def winner(self):
        return self.group or self.member
