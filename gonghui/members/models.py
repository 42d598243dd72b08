from django.conf import settings
from django.db import models
from django_scopes import ScopedManager

from gonghui.encryption import EncryptedTextField
from gonghui.masking import mask_id_number, mask_phone
from gonghui.orgs.models import Department, Group, ScopedModel


class Gender(models.TextChoices):
    MALE = "M", "男"
    FEMALE = "F", "女"


class Status(models.TextChoices):
    ACTIVE = "active", "在册"
    TRANSFERRED = "transferred", "调出"
    RETIRED = "retired", "退休"
    WITHDRAWN = "withdrawn", "退会"
    DECEASED = "deceased", "去世"


class Education(models.TextChoices):
    PRIMARY = "primary", "小学"
    JUNIOR = "junior", "初中"
    SENIOR = "senior", "高中/中专"
    COLLEGE = "college", "大专"
    BACHELOR = "bachelor", "本科"
    MASTER = "master", "硕士研究生"
    DOCTOR = "doctor", "博士研究生"


class PoliticalStatus(models.TextChoices):
    CPC = "cpc", "中共党员"
    PROBATIONARY = "probationary", "中共预备党员"
    LEAGUE = "league", "共青团员"
    DEMOCRATIC = "democratic", "民主党派"
    MASSES = "masses", "群众"


class Member(ScopedModel):
    name = models.CharField("姓名", max_length=40)
    # Lower-case pinyin initials ("zs" for 张三) and full pinyin, for search.
    name_initials = models.CharField(max_length=40, db_index=True, editable=False, default="")
    search_text = models.CharField(max_length=200, editable=False, default="")
    gender = models.CharField("性别", max_length=1, choices=Gender.choices)
    birth_date = models.DateField("出生日期")
    id_number = EncryptedTextField("身份证号")
    id_number_digest = models.CharField(max_length=64, editable=False)
    phone = EncryptedTextField("手机号码", blank=True)
    phone_digest = models.CharField(max_length=64, editable=False, blank=True, db_index=True)
    employee_number = models.CharField("工号", max_length=30, blank=True)
    department = models.ForeignKey(
        Department, verbose_name="部门", null=True, blank=True, on_delete=models.PROTECT
    )
    group = models.ForeignKey(
        Group,
        verbose_name="工会小组",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    position = models.CharField("岗位/职务", max_length=60, blank=True)
    education = models.CharField("学历", max_length=20, choices=Education.choices, blank=True)
    political_status = models.CharField(
        "政治面貌", max_length=20, choices=PoliticalStatus.choices, blank=True
    )
    ethnicity = models.CharField("民族", max_length=20, blank=True, default="汉族")
    joined_on = models.DateField("入会日期")
    status = models.CharField(
        "会籍状态", max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    status_since = models.DateField("状态变更日期", null=True, blank=True)
    # The date the member stopped being on the roll; null while active. Kept by
    # services.change_status so "members at a date" is a range test.
    left_on = models.DateField("离会日期", null=True, blank=True)
    # A member moved here from another union of the system (会员关系转移接续):
    # joined_on is the day they came onto this roll, first_joined_on the day
    # they first joined a union (会龄 runs from it). See members.transfers.
    first_joined_on = models.DateField("首次入会日期", null=True, blank=True)
    transferred_in = models.BooleanField("转入会员", default=False, editable=False)
    # Closed by an accepted transfer: the row stays as the old union's read-only
    # history up to the transfer date; the member continues in the new union.
    transferred_out = models.BooleanField("已转出", default=False, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="member",
        verbose_name="门户账号",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ScopedManager(union="union")

    class Meta:
        verbose_name = "会员"
        verbose_name_plural = "会员名册"
        ordering = ["union_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["union", "id_number_digest"], name="member_id_number_unique_per_union"
            ),
        ]
        indexes = [
            models.Index(fields=["union", "status", "id"], name="member_union_status"),
            # Who was on the roll on a day (audiences, members at a date) is answered
            # from this index alone, without reading 50,000 rows of the table.
            models.Index(
                fields=["union", "joined_on", "left_on", "gender", "status", "group"],
                name="member_union_roll",
            ),
            models.Index(fields=["union", "left_on"], name="member_union_left"),
            models.Index(fields=["union", "group"], name="member_union_group"),
            models.Index(fields=["id_number_digest"], name="member_id_digest"),
        ]

    def __str__(self):
        return self.name

    @property
    def id_number_masked(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)

    def age_on(self, day) -> int:
        years = day.year - self.birth_date.year
        if (day.month, day.day) < (self.birth_date.month, self.birth_date.day):
            years -= 1
        return years


class StatusChange(ScopedModel):
    """One dated change of a member's status, with the reason."""

    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="status_changes", verbose_name="会员"
    )
    from_status = models.CharField("原状态", max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField("新状态", max_length=20, choices=Status.choices)
    on = models.DateField("日期")
    reason = models.CharField("原因", max_length=200)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        verbose_name="操作人",
    )
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "会籍变动"
        verbose_name_plural = "会籍变动"
        ordering = ["member_id", "on", "id"]
        indexes = [models.Index(fields=["union", "on"], name="status_change_union_on")]

    def __str__(self):
        return f"{self.member} {self.get_to_status_display()} {self.on}"


class ApplicationState(models.TextChoices):
    PENDING = "pending", "待审核"
    APPROVED = "approved", "已批准"
    DECLINED = "declined", "未批准"


class Application(ScopedModel):
    """网上入会: an employee asks to join; the union approves or declines."""

    name = models.CharField("姓名", max_length=40)
    id_number = EncryptedTextField("身份证号")
    id_number_digest = models.CharField(max_length=64, editable=False)
    phone = EncryptedTextField("手机号码")
    phone_digest = models.CharField(max_length=64, editable=False)
    department = models.ForeignKey(
        Department, verbose_name="部门", null=True, blank=True, on_delete=models.SET_NULL
    )
    consent = models.BooleanField("同意个人信息使用", default=False)
    state = models.CharField(
        "状态", max_length=20, choices=ApplicationState.choices, default=ApplicationState.PENDING
    )
    submitted_at = models.DateTimeField("申请时间", auto_now_add=True)
    decided_at = models.DateTimeField("审核时间", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        verbose_name="审核人",
    )
    decline_reason = models.CharField("未批准原因", max_length=200, blank=True)
    member = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, verbose_name="生成的会员"
    )

    objects = ScopedManager(union="union")

    class Meta:
        verbose_name = "入会申请"
        verbose_name_plural = "入会申请"
        ordering = ["-submitted_at"]

    def __str__(self):
        return f"{self.name}的入会申请"

    @property
    def id_number_masked(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)


class ImportState(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "校验中"
    WRITING = "writing", "写入中"
    DONE = "done", "已完成"
    FAILED = "failed", "未导入"
    INTERRUPTED = "interrupted", "已中断"


class ImportJob(ScopedModel):
    """One roster upload: its options, progress and outcome.

    The rows are written in one transaction, so a job that stops half-way
    (the server restarted) has written nothing and is shown as interrupted.
    """

    original_name = models.CharField("文件名", max_length=255)
    stored_path = models.CharField("存储路径", max_length=500, blank=True)
    options = models.JSONField("选项", default=dict)
    state = models.CharField(
        "状态", max_length=20, choices=ImportState.choices, default=ImportState.QUEUED
    )
    total = models.PositiveIntegerField("总行数", default=0)
    processed = models.PositiveIntegerField("已处理行数", default=0)
    created_count = models.PositiveIntegerField("新增会员数", default=0)
    updated_count = models.PositiveIntegerField("更新会员数", default=0)
    skipped_count = models.PositiveIntegerField("跳过行数", default=0)
    # Each error: {"row", "column", "header", "value", "message"}; sensitive
    # values are stored masked.
    errors = models.JSONField("错误", default=list)
    message = models.CharField("说明", max_length=500, blank=True)
    worker = models.CharField(max_length=80, blank=True, editable=False)
    heartbeat_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        verbose_name="操作人",
        related_name="+",
    )
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    objects = ScopedManager(union="union")

    class Meta:
        verbose_name = "名册导入任务"
        verbose_name_plural = "名册导入任务"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["union", "created_at"], name="import_job_union_created")]

    def __str__(self):
        return f"{self.original_name}（{self.get_state_display()}）"


class TransferState(models.TextChoices):
    PENDING = "pending", "待接收"
    ACCEPTED = "accepted", "已转移"
    DECLINED = "declined", "已拒绝"
    CANCELLED = "cancelled", "已撤回"


class TransferSide(models.TextChoices):
    SOURCE = "source", "转出工会"
    TARGET = "target", "转入工会"
    UPPER = "upper", "上级工会（撤并）"


class TransferManager(models.Manager):
    """Scoped like every union-owned table, but a transfer belongs to both of its
    unions: it is seen inside a scope holding either the union it leaves
    (`union`) or the union it goes to (`to_union`)."""

    def get_queryset(self):
        from django_scopes.manager import DisabledQuerySet
        from django_scopes.state import get_scope

        current = getattr(self, "_override_scope", None) or get_scope()
        if not current.get("_enabled", True):
            return super().get_queryset()
        if "union" not in current:
            return DisabledQuerySet(self.model, using=self._db, missing_scopes={"union"})
        value = current["union"]
        if not isinstance(value, (list, tuple, set)):
            value = [value]
        return (
            super().get_queryset().filter(models.Q(union__in=value) | models.Q(to_union__in=value))
        )

    def with_scopes_disabled(self):
        import copy

        cloned = copy.copy(self)
        cloned._override_scope = {"_enabled": False}
        return cloned


class Transfer(ScopedModel):
    """会员关系转移接续: one member moving from one union (`union`, the tenant
    key) to another (`to_union`) on a date.

    Started by either side; the other side accepts or declines with a reason.
    On acceptance the member's row in the old union is closed on `on` (its
    history stays there, read-only) and a new row opens in the new union from
    `on`, so every day counts the member in exactly one union.
    """

    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="transfers_out", verbose_name="会员"
    )
    to_union = models.ForeignKey(
        "orgs.Union", on_delete=models.PROTECT, related_name="transfers_in", verbose_name="转入工会"
    )
    on = models.DateField("转移日期")
    reason = models.CharField("转移原因", max_length=200)
    state = models.CharField(
        "状态", max_length=20, choices=TransferState.choices, default=TransferState.PENDING
    )
    started_by = models.CharField("发起方", max_length=20, choices=TransferSide.choices)
    started_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="发起人",
    )
    started_at = models.DateTimeField("发起时间", auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="处理人",
    )
    decided_at = models.DateTimeField("处理时间", null=True, blank=True)
    decline_reason = models.CharField("拒绝或撤回原因", max_length=200, blank=True)
    new_member = models.OneToOneField(
        Member,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="transfer_in",
        verbose_name="转入后的会员记录",
    )
    # Dues status carried to the new union: the last month paid in the old one
    # and the unpaid months left there (they stay owed to the old union).
    dues_paid_through = models.DateField("原工会会费缴至", null=True, blank=True)
    dues_unpaid_months = models.PositiveIntegerField("原工会欠缴月数", default=0)

    objects = TransferManager()

    class Meta:
        verbose_name = "会员关系转移"
        verbose_name_plural = "会员关系转移"
        ordering = ["-started_at", "-id"]
        constraints = [
            # One open transfer per member: the second start is refused by the
            # service, and by the database when two start at once.
            models.UniqueConstraint(
                fields=["member"],
                condition=models.Q(state="pending"),
                name="transfer_one_pending_per_member",
            ),
        ]
        indexes = [
            models.Index(fields=["union", "state"], name="transfer_union_state"),
            models.Index(fields=["to_union", "state"], name="transfer_to_union_state"),
        ]

    def __str__(self):
        return f"{self.member.name}：{self.union} → {self.to_union}"

    @property
    def awaiting_side(self) -> str:
        """The side that accepts or declines: the one that did not start it."""
        return (
            TransferSide.TARGET if self.started_by == TransferSide.SOURCE else TransferSide.SOURCE
        )

    @property
    def awaiting_union_id(self) -> int:
        return self.to_union_id if self.awaiting_side == TransferSide.TARGET else self.union_id
