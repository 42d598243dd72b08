"""Safety and labour protection (安全生产、劳动保护).

A hazard card (隐患卡) moves through explicit states: reported by a member or
a safety supervisor → assigned to a department by the reception point (群监站)
→ measures and a deadline recorded by the department → rectified with evidence
→ verified by a safety supervisor, who accepts it or sends it back (it is then
in work again). Every step is a HazardStep, so the card's history is its log.

Inspections are planned month by month with a checklist; a problem found
becomes a hazard card in one step. Drills, safety knowledge contests (per group
results, optionally taken from a learning exam), violations and the quarterly
safety draw complete the area.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q

from gonghui.orgs.models import ScopedModel


def _user(label: str, *, null: bool = True):
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=label,
        null=null,
        blank=null,
        on_delete=models.PROTECT,
        related_name="+",
    )


class Category(models.TextChoices):
    EQUIPMENT = "equipment", "设备设施"
    ELECTRICAL = "electrical", "用电安全"
    FIRE = "fire", "消防安全"
    ENVIRONMENT = "environment", "作业环境"
    CHEMICAL = "chemical", "危险化学品"
    PROTECTIVE = "protective", "劳动防护"
    TRAFFIC = "traffic", "交通安全"
    BUILDING = "building", "建筑房屋"
    FOOD = "food", "食品卫生"
    OTHER = "other", "其他"


class Severity(models.TextChoices):
    MINOR = "minor", "一般隐患"
    SERIOUS = "serious", "较大隐患"
    MAJOR = "major", "重大隐患"


class State(models.TextChoices):
    REPORTED = "reported", "已上报，待交办"
    ASSIGNED = "assigned", "已交办，待制定措施"
    IN_WORK = "in_work", "整改中"
    RECTIFIED = "rectified", "已整改，待验收"
    VERIFIED = "verified", "已验收"


# States in which the card still waits for the department's rectification.
OPEN_STATES = (State.REPORTED, State.ASSIGNED, State.IN_WORK)


class Hazard(ScopedModel):
    """隐患卡."""

    reported_on = models.DateField("上报日期")
    reporter = models.ForeignKey(
        "members.Member",
        verbose_name="上报人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hazards_reported",
    )
    place = models.CharField("地点", max_length=100)
    description = models.TextField("隐患描述", max_length=2000)
    category = models.CharField("类别", max_length=20, choices=Category.choices)
    severity = models.CharField("等级", max_length=20, choices=Severity.choices)
    state = models.CharField("状态", max_length=20, choices=State.choices, default=State.REPORTED)
    inspection = models.ForeignKey(
        "Inspection",
        verbose_name="检查发现",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hazards",
    )
    department = models.ForeignKey(
        "orgs.Department",
        verbose_name="责任部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    assigned_on = models.DateField("交办日期", null=True, blank=True)
    measures = models.TextField("整改措施", blank=True)
    deadline = models.DateField("整改期限", null=True, blank=True)
    rectification = models.TextField("整改情况", blank=True)
    rectified_on = models.DateField("整改完成日期", null=True, blank=True)
    rectified_by = _user("整改登记人")
    # rectified_on - reported_on, kept with the rectification so the median is one column.
    days_to_rectify = models.PositiveIntegerField("整改用时（天）", null=True, blank=True)
    verified_on = models.DateField("验收日期", null=True, blank=True)
    verified_by = _user("验收人")
    returned = models.PositiveSmallIntegerField("退回次数", default=0)
    escalated_on = models.DateField("逾期督办日期", null=True, blank=True)
    reported_by = _user("录入人")
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "隐患卡"
        verbose_name_plural = "隐患卡"
        ordering = ["-reported_on", "-id"]
        indexes = [
            models.Index(fields=["union", "reported_on"], name="safety_hazard_reported"),
            models.Index(fields=["union", "rectified_on"], name="safety_hazard_rectified"),
            models.Index(fields=["union", "verified_on"], name="safety_hazard_verified"),
            models.Index(fields=["union", "state", "deadline"], name="safety_hazard_deadline"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(rectified_on__isnull=True)
                | Q(rectified_on__gte=models.F("reported_on")),
                name="safety_hazard_rectified_after_report",
            ),
        ]

    def __str__(self):
        return f"隐患卡第{self.number}号：{self.place}"

    @property
    def number(self) -> str:
        return f"{self.reported_on:%Y}-{self.pk:05d}" if self.pk else "（未保存）"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    def is_overdue(self, today) -> bool:
        return self.is_open and self.deadline is not None and self.deadline < today


class Action(models.TextChoices):
    REPORT = "report", "上报"
    ASSIGN = "assign", "交办"
    PLAN = "plan", "制定措施和期限"
    RECTIFY = "rectify", "整改完成"
    ACCEPT = "accept", "验收通过"
    RETURN = "return", "退回重改"
    ESCALATE = "escalate", "逾期督办"


class HazardStep(ScopedModel):
    """One step of a card's history."""

    hazard = models.ForeignKey(
        Hazard, verbose_name="隐患卡", on_delete=models.CASCADE, related_name="steps"
    )
    action = models.CharField("环节", max_length=20, choices=Action.choices)
    on = models.DateField("日期")
    note = models.CharField("说明", max_length=500, blank=True)
    actor = _user("办理人")
    at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "隐患卡办理记录"
        verbose_name_plural = "隐患卡办理记录"
        ordering = ["hazard_id", "at", "id"]

    def __str__(self):
        return f"{self.on:%Y-%m-%d} {self.get_action_display()}"


# Inspections ------------------------------------------------------------------------------


class Inspection(ScopedModel):
    """A planned inspection of the month (劳动保护监督检查), with its checklist."""

    title = models.CharField("检查名称", max_length=100)
    scope = models.CharField("检查范围", max_length=100)
    planned_on = models.DateField("计划日期")
    inspectors = models.ManyToManyField(
        "members.Member", verbose_name="检查人员", blank=True, related_name="safety_inspections"
    )
    done_on = models.DateField("完成日期", null=True, blank=True)
    summary = models.TextField("检查小结", blank=True)
    created_by = _user("制定人")
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "安全检查"
        verbose_name_plural = "安全检查"
        ordering = ["-planned_on", "-id"]
        indexes = [models.Index(fields=["union", "planned_on"], name="safety_inspection_planned")]

    def __str__(self):
        return f"{self.planned_on:%Y年%m月} {self.title}"

    @property
    def is_done(self) -> bool:
        return self.done_on is not None


class ItemResult(models.TextChoices):
    PENDING = "pending", "未检查"
    OK = "ok", "符合"
    PROBLEM = "problem", "发现问题"


class ChecklistItem(ScopedModel):
    inspection = models.ForeignKey(
        Inspection, verbose_name="安全检查", on_delete=models.CASCADE, related_name="items"
    )
    position = models.PositiveSmallIntegerField("序号")
    text = models.CharField("检查内容", max_length=200)
    result = models.CharField(
        "检查结果", max_length=20, choices=ItemResult.choices, default=ItemResult.PENDING
    )
    note = models.CharField("情况说明", max_length=300, blank=True)
    hazard = models.OneToOneField(
        Hazard,
        verbose_name="生成的隐患卡",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="checklist_item",
    )

    class Meta:
        verbose_name = "检查项目"
        verbose_name_plural = "检查项目"
        ordering = ["inspection_id", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "position"], name="safety_checklist_position_unique"
            )
        ]

    def __str__(self):
        return f"{self.position}. {self.text}"


# Drills -------------------------------------------------------------------------------------


class DrillKind(models.TextChoices):
    FIRE = "fire", "灭火演练"
    EVACUATION = "evacuation", "疏散演练"
    FIRST_AID = "first_aid", "急救演练"
    LEAK = "leak", "防泄漏演练"
    EARTHQUAKE = "earthquake", "防震减灾演练"
    ELECTRIC = "electric", "触电急救演练"
    OTHER = "other", "其他演练"


class Drill(ScopedModel):
    """安全演练: who was expected and how many took part."""

    kind = models.CharField("演练类型", max_length=20, choices=DrillKind.choices)
    title = models.CharField("演练名称", max_length=100)
    held_on = models.DateField("演练日期")
    place = models.CharField("地点", max_length=100, blank=True)
    expected = models.PositiveIntegerField("应参加人数")
    participants = models.PositiveIntegerField("实际参加人数")
    attendees = models.ManyToManyField(
        "members.Member", verbose_name="参加人员", blank=True, related_name="safety_drills"
    )
    notes = models.TextField("演练情况", blank=True)
    created_by = _user("录入人")
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "安全演练"
        verbose_name_plural = "安全演练"
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["union", "held_on"], name="safety_drill_held")]
        constraints = [
            models.CheckConstraint(
                condition=Q(participants__lte=models.F("expected")),
                name="safety_drill_participants_within_expected",
            )
        ]

    def __str__(self):
        return f"{self.held_on:%Y-%m-%d} {self.title}"

    @property
    def rate(self) -> float:
        return round(self.participants * 100 / self.expected, 1) if self.expected else 0.0


# Contests ------------------------------------------------------------------------------------


class Contest(ScopedModel):
    """安全知识竞赛. Its per-group results are recorded directly or taken from
    the learning exam it is linked to (a generic link: learning owns exams)."""

    title = models.CharField("竞赛名称", max_length=100)
    held_on = models.DateField("竞赛日期")
    exam_type = models.ForeignKey(
        ContentType,
        verbose_name="关联考试类型",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    exam_id = models.PositiveBigIntegerField("关联考试编号", null=True, blank=True)
    exam = GenericForeignKey("exam_type", "exam_id")
    notes = models.TextField("说明", blank=True)
    created_by = _user("录入人")
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "安全知识竞赛"
        verbose_name_plural = "安全知识竞赛"
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["union", "held_on"], name="safety_contest_held")]

    def __str__(self):
        return f"{self.held_on:%Y-%m-%d} {self.title}"


class ContestResult(ScopedModel):
    """One group's result in a contest."""

    contest = models.ForeignKey(
        Contest, verbose_name="竞赛", on_delete=models.CASCADE, related_name="results"
    )
    group = models.ForeignKey(
        "orgs.Group", verbose_name="工会小组", on_delete=models.PROTECT, related_name="+"
    )
    audience = models.PositiveIntegerField("应参赛人数")
    participants = models.PositiveIntegerField("参赛人数")
    passed = models.PositiveIntegerField("合格人数", default=0)
    average_score = models.DecimalField("平均分", max_digits=5, decimal_places=1)
    rank = models.PositiveSmallIntegerField("名次", null=True, blank=True)

    class Meta:
        verbose_name = "竞赛小组成绩"
        verbose_name_plural = "竞赛小组成绩"
        ordering = ["contest_id", "rank", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["contest", "group"], name="safety_contest_group_unique"
            ),
            models.CheckConstraint(
                condition=Q(participants__lte=models.F("audience")),
                name="safety_contest_participants_within_audience",
            ),
        ]

    def __str__(self):
        return f"{self.group}：{self.participants}/{self.audience}人，平均{self.average_score}分"


# Violations and the quarterly draw -------------------------------------------------------------


class Violation(ScopedModel):
    """违章记录: a member with one in a quarter is not in that quarter's draw."""

    member = models.ForeignKey(
        "members.Member",
        verbose_name="会员",
        on_delete=models.PROTECT,
        related_name="safety_violations",
    )
    on = models.DateField("违章日期")
    description = models.CharField("违章情况", max_length=300)
    recorded_by = _user("登记人")
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "违章记录"
        verbose_name_plural = "违章记录"
        ordering = ["-on", "-id"]
        indexes = [models.Index(fields=["union", "on"], name="safety_violation_on")]

    def __str__(self):
        return f"{self.on:%Y-%m-%d} {self.member}"


class Draw(ScopedModel):
    """安全摸大奖: one draw per quarter. The eligible list (member ids, ascending)
    and the seed are kept and published, so anyone can re-run the draw."""

    year = models.PositiveSmallIntegerField("年度")
    quarter = models.PositiveSmallIntegerField("季度")
    prize = models.CharField("奖品", max_length=100)
    winners_wanted = models.PositiveSmallIntegerField("中奖名额")
    seed = models.CharField("公开随机种子", max_length=64)
    eligible = models.JSONField("符合条件的会员编号", default=list)
    eligible_digest = models.CharField("名单校验码（SHA-256）", max_length=64)
    winners = models.JSONField("中奖会员编号", default=list)
    drawn_on = models.DateField("抽奖日期")
    drawn_by = _user("抽奖人")
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "安全摸大奖"
        verbose_name_plural = "安全摸大奖"
        ordering = ["-year", "-quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["union", "year", "quarter"], name="safety_draw_one_per_quarter"
            )
        ]

    def __str__(self):
        return f"{self.year}年第{self.quarter}季度安全摸大奖"
