"""Open affairs (厂务公开/校务公开): posts published to members or to the
congress representatives, who read them in the portal (each member's first
read is recorded) and may ask a question or give feedback, answered by the
union publicly (shown to every reader) or privately (to the asker only).

A post may publish another record (a congress resolution, an election's
results, a fiscal year's budget): `source` links to it generically.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q

from gonghui.orgs.models import ScopedModel, Union


class Category(models.TextChoices):
    BUSINESS = "business", "生产经营目标"
    PAY = "pay", "工资福利"
    PLAN_BUDGET = "plan_budget", "工会计划与预算"
    FINANCE = "finance", "财务收支"
    RESOLUTIONS = "resolutions", "会议决议"
    HONORS = "honors", "评先评优"
    PERSONNEL = "personnel", "人事"
    OTHER = "other", "其他"


class Audience(models.TextChoices):
    ALL = "all", "全体会员"
    REPRESENTATIVES = "representatives", "职工代表"


class Post(ScopedModel):
    """One disclosed item. Visible to its audience from `publish_on` until
    the day before `withdraw_on`."""

    # orgs.Post (a union office) already takes Union.post_set.
    union = models.ForeignKey(
        Union,
        verbose_name="所属工会",
        on_delete=models.PROTECT,
        related_name="disclosure_posts",
    )

    category = models.CharField("公开类别", max_length=20, choices=Category.choices)
    title = models.CharField("标题", max_length=120)
    body = models.TextField("正文", help_text="发布时自动清理不安全的格式")
    audience = models.CharField(
        "公开范围", max_length=20, choices=Audience.choices, default=Audience.ALL
    )
    publish_on = models.DateField("发布日期")
    withdraw_on = models.DateField("撤下日期", null=True, blank=True)
    withdraw_reason = models.CharField("撤下原因", max_length=200, blank=True)
    source_type = models.ForeignKey(
        ContentType,
        verbose_name="来源记录类型",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    source_id = models.PositiveBigIntegerField("来源记录编号", null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发布人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "公开事项"
        verbose_name_plural = "公开事项"
        ordering = ["-publish_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(withdraw_on__isnull=True) | Q(withdraw_on__gte=models.F("publish_on")),
                name="disclosure_post_withdraw_after_publish",
            )
        ]
        indexes = [
            models.Index(fields=["union", "publish_on"], name="disclosure_post_union_on"),
            models.Index(fields=["source_type", "source_id"], name="disclosure_post_source"),
        ]

    def __str__(self):
        return self.title

    def is_visible_on(self, day) -> bool:
        return self.publish_on <= day and (self.withdraw_on is None or self.withdraw_on > day)


class Read(ScopedModel):
    """A member's first read of a post (later reads change nothing)."""

    # The unique (post, member) index serves lookups by post.
    post = models.ForeignKey(
        Post,
        verbose_name="公开事项",
        on_delete=models.CASCADE,
        related_name="reads",
        db_index=False,
    )
    member = models.ForeignKey(
        "members.Member", verbose_name="会员", on_delete=models.CASCADE, related_name="+"
    )
    first_read_at = models.DateTimeField("首次阅读时间")

    class Meta:
        verbose_name = "阅读记录"
        verbose_name_plural = "阅读记录"
        ordering = ["-first_read_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["post", "member"], name="disclosure_read_once")
        ]

    def __str__(self):
        return f"{self.member} 阅读 {self.post}"


class FeedbackKind(models.TextChoices):
    QUESTION = "question", "提问"
    FEEDBACK = "feedback", "意见反馈"


class Feedback(ScopedModel):
    """A member's question or feedback on a post, and the union's reply."""

    post = models.ForeignKey(
        Post, verbose_name="公开事项", on_delete=models.CASCADE, related_name="feedback"
    )
    member = models.ForeignKey(
        "members.Member", verbose_name="提问人", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(
        "类型", max_length=20, choices=FeedbackKind.choices, default=FeedbackKind.QUESTION
    )
    content = models.TextField("内容")
    asked_at = models.DateTimeField("提出时间")
    reply = models.TextField("答复", blank=True)
    reply_public = models.BooleanField(
        "公开答复",
        default=True,
        help_text="公开答复所有能看到该事项的会员都能看到；否则只有提问人能看到",
    )
    replied_at = models.DateTimeField("答复时间", null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="答复人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = "提问与反馈"
        verbose_name_plural = "提问与反馈"
        ordering = ["-asked_at", "-id"]
        indexes = [models.Index(fields=["union", "asked_at"], name="disclosure_fb_union_at")]

    def __str__(self):
        return f"{self.member}：{self.content[:20]}"

    @property
    def answered(self) -> bool:
        return self.replied_at is not None
