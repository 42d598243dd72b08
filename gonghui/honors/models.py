"""评先评优: award kinds the union defines, nominations decided by the committee
and announced in open affairs, model workers (劳模), and the monthly group
assessment (班组考核) against the union's written rules.

An award is a nomination the committee decided to grant: the nomination row
carries the whole story (who, why, decided when, announced where).
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from gonghui.orgs.models import ScopedModel

POINTS = {"max_digits": 6, "decimal_places": 1}


def _user(label: str):
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=label,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )


class Scope(models.TextChoices):
    INDIVIDUAL = "individual", "个人"
    GROUP = "group", "班组/小组"
    TEAM = "team", "集体"


class Cadence(models.TextChoices):
    MONTHLY = "monthly", "每月"
    QUARTERLY = "quarterly", "每季度"
    YEARLY = "yearly", "每年"
    OCCASIONAL = "occasional", "不定期"


class AwardKind(ScopedModel):
    """One award the union gives, e.g. 岗位之星 (monthly, individual)."""

    name = models.CharField("荣誉名称", max_length=40)
    scope = models.CharField("评选对象", max_length=20, choices=Scope.choices)
    cadence = models.CharField("评选周期", max_length=20, choices=Cadence.choices)
    description = models.CharField("评选标准", max_length=300, blank=True)
    active = models.BooleanField("在用", default=True)

    class Meta:
        verbose_name = "荣誉类别"
        verbose_name_plural = "荣誉类别"
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["union", "name"], name="honors_kind_name_unique")
        ]

    def __str__(self):
        return self.name


class NominationState(models.TextChoices):
    NOMINATED = "nominated", "待评定"
    AWARDED = "awarded", "已授予"
    DECLINED = "declined", "未评上"


class Announcement(ScopedModel):
    """A published list of awards, posted to open affairs (category 评先评优)."""

    title = models.CharField("公示标题", max_length=120)
    body = models.TextField("公示内容")
    published_on = models.DateField("公示日期")
    published_by = _user("发布人")

    class Meta:
        verbose_name = "评选公示"
        verbose_name_plural = "评选公示"
        ordering = ["-published_on", "-id"]

    def __str__(self):
        return self.title


class Nomination(ScopedModel):
    """A nomination with its reasons; the committee grants or declines it."""

    kind = models.ForeignKey(
        AwardKind, verbose_name="荣誉类别", on_delete=models.PROTECT, related_name="nominations"
    )
    year = models.PositiveSmallIntegerField("评选年度")
    month = models.PositiveSmallIntegerField("评选月份", null=True, blank=True)
    member = models.ForeignKey(
        "members.Member",
        verbose_name="被推荐人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="nominations",
    )
    group = models.ForeignKey(
        "orgs.Group",
        verbose_name="被推荐班组",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    team_name = models.CharField("被推荐集体", max_length=80, blank=True)
    reasons = models.TextField("推荐理由（主要事迹）")
    nominated_on = models.DateField("推荐日期")
    nominated_by = models.CharField("推荐人/推荐部门", max_length=60, blank=True)
    state = models.CharField(
        "状态", max_length=20, choices=NominationState.choices, default=NominationState.NOMINATED
    )
    decided_on = models.DateField("评定日期", null=True, blank=True)
    decision_note = models.CharField("评定意见", max_length=200, blank=True)
    decided_by = _user("评定录入人")
    announcement = models.ForeignKey(
        Announcement,
        verbose_name="公示",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="nominations",
    )
    created_by = _user("录入人")
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "评选推荐"
        verbose_name_plural = "评选推荐"
        ordering = ["-nominated_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(month__isnull=True) | Q(month__gte=1, month__lte=12),
                name="honors_nomination_month_valid",
            )
        ]
        indexes = [
            models.Index(fields=["union", "decided_on"], name="honors_nom_union_decided"),
            models.Index(fields=["union", "nominated_on"], name="honors_nom_union_nominated"),
        ]

    def __str__(self):
        return f"{self.period_label}{self.kind.name}：{self.nominee_label}"

    @property
    def nominee_label(self) -> str:
        if self.member_id:
            return self.member.name
        if self.group_id:
            return self.group.name
        return self.team_name

    @property
    def period_label(self) -> str:
        return f"{self.year}年{self.month}月" if self.month else f"{self.year}年度"


class Level(models.TextChoices):
    NATIONAL = "national", "全国"
    PROVINCIAL = "provincial", "省部级"
    CITY = "city", "市级"
    COUNTY = "county", "区县级"


TITLE_SUGGESTIONS = (
    "劳动模范",
    "先进工作者",
    "五一劳动奖章",
    "工人先锋号",
    "三八红旗手",
    "技术能手",
)


class ModelWorker(ScopedModel):
    """劳模 and holders of equivalent honours, with the benefits due to them."""

    member = models.ForeignKey(
        "members.Member",
        verbose_name="会员",
        on_delete=models.PROTECT,
        related_name="model_worker_titles",
    )
    level = models.CharField("级别", max_length=20, choices=Level.choices)
    title = models.CharField("荣誉称号", max_length=40, help_text="如 劳动模范、五一劳动奖章")
    year = models.PositiveSmallIntegerField("授予年度")
    conferred_by = models.CharField("授予单位", max_length=80, blank=True)
    monthly_allowance = models.DecimalField(
        "劳模津贴（元/月）", max_digits=10, decimal_places=2, default=Decimal("0.00")
    )
    benefits = models.TextField(
        "应享待遇", blank=True, help_text="如 年度疗休养、健康体检、节日慰问"
    )
    notes = models.CharField("备注", max_length=200, blank=True)
    created_by = _user("录入人")

    class Meta:
        verbose_name = "劳模"
        verbose_name_plural = "劳模"
        ordering = ["-year", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "title", "year"], name="honors_model_worker_unique"
            ),
            models.CheckConstraint(
                condition=Q(monthly_allowance__gte=0), name="honors_allowance_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.member.name}（{self.year}年{self.get_level_display()}{self.title}）"


class AssessmentRule(ScopedModel):
    """班组考核细则: the union's written items, each with its maximum points."""

    name = models.CharField("细则名称", max_length=80)
    effective_from = models.DateField("施行日期")
    active = models.BooleanField("在用", default=True)
    created_by = _user("制定人")

    class Meta:
        verbose_name = "班组考核细则"
        verbose_name_plural = "班组考核细则"
        ordering = ["-effective_from", "-id"]

    def __str__(self):
        return self.name

    @property
    def total_points(self) -> Decimal:
        return sum((i.max_points for i in self.items.all()), Decimal("0.0"))


class AssessmentItem(ScopedModel):
    rule = models.ForeignKey(
        AssessmentRule, verbose_name="细则", on_delete=models.CASCADE, related_name="items"
    )
    position = models.PositiveSmallIntegerField("序号", default=1)
    name = models.CharField("考核项目", max_length=60)
    max_points = models.DecimalField("满分", **POINTS)
    deduction_guide = models.CharField(
        "扣分标准", max_length=300, blank=True, help_text="如 迟到一次扣1分"
    )

    class Meta:
        verbose_name = "考核项目"
        verbose_name_plural = "考核项目"
        ordering = ["rule", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["rule", "name"], name="honors_item_name_unique"),
            models.CheckConstraint(condition=Q(max_points__gt=0), name="honors_item_max_positive"),
        ]

    def __str__(self):
        return f"{self.name}（{self.max_points}分）"


class Assessment(ScopedModel):
    """One month's scoring of every group under a rule; published once complete."""

    rule = models.ForeignKey(
        AssessmentRule, verbose_name="细则", on_delete=models.PROTECT, related_name="assessments"
    )
    month = models.DateField("考核月份", help_text="该月第一天")
    published_on = models.DateField("公布日期", null=True, blank=True)
    announcement = models.ForeignKey(
        Announcement,
        verbose_name="公示",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = _user("录入人")

    class Meta:
        verbose_name = "月度班组考核"
        verbose_name_plural = "月度班组考核"
        ordering = ["-month", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["union", "month"], name="honors_assessment_one_a_month")
        ]

    def __str__(self):
        return f"{self.month.year}年{self.month.month}月班组考核"

    @property
    def is_published(self) -> bool:
        return self.published_on is not None


class Score(ScopedModel):
    """A group's points on one item in one month; below the maximum needs a reason."""

    assessment = models.ForeignKey(
        Assessment, verbose_name="月度考核", on_delete=models.CASCADE, related_name="scores"
    )
    group = models.ForeignKey(
        "orgs.Group", verbose_name="班组", on_delete=models.PROTECT, related_name="+"
    )
    item = models.ForeignKey(
        AssessmentItem, verbose_name="考核项目", on_delete=models.PROTECT, related_name="scores"
    )
    points = models.DecimalField("得分", **POINTS)
    deduction_reason = models.CharField("扣分理由", max_length=200, blank=True)
    scored_by = _user("打分人")

    class Meta:
        verbose_name = "考核得分"
        verbose_name_plural = "考核得分"
        ordering = ["assessment", "group", "item"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "group", "item"], name="honors_score_once"
            ),
            models.CheckConstraint(condition=Q(points__gte=0), name="honors_points_not_negative"),
        ]

    def __str__(self):
        return f"{self.group}·{self.item.name}：{self.points}"


class GroupResult(ScopedModel):
    """A group's total and rank in a published month, frozen at publication."""

    assessment = models.ForeignKey(
        Assessment, verbose_name="月度考核", on_delete=models.CASCADE, related_name="results"
    )
    group = models.ForeignKey(
        "orgs.Group", verbose_name="班组", on_delete=models.PROTECT, related_name="+"
    )
    month = models.DateField("考核月份")
    total = models.DecimalField("总分", **POINTS)
    rank = models.PositiveIntegerField("名次")

    class Meta:
        verbose_name = "班组考核结果"
        verbose_name_plural = "班组考核结果"
        ordering = ["-month", "rank", "id"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "group"], name="honors_result_once")
        ]
        indexes = [models.Index(fields=["union", "month"], name="honors_result_union_month")]

    def __str__(self):
        return (
            f"{self.month.year}年{self.month.month}月 {self.group}：{self.total}分，第{self.rank}名"
        )
