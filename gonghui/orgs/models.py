from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django_scopes import ScopedManager

from gonghui import creditcode
from gonghui.orgs.roles import Role


class UnionKind(models.TextChoices):
    FEDERATION = "federation", "总工会"
    INDUSTRY = "industry", "产业/行业工会"
    GROUP_COMPANY = "group", "集团工会"
    ENTERPRISE = "enterprise", "企业"
    SCHOOL = "school", "学校"
    KINDERGARTEN = "kindergarten", "幼儿园"
    INSTITUTION = "institution", "机关事业单位"
    COMMUNITY = "community", "社区"
    JOINT = "joint", "联合工会"
    OTHER = "other", "其他"


UPPER_KINDS = {UnionKind.FEDERATION, UnionKind.INDUSTRY, UnionKind.GROUP_COMPANY}


class Union(models.Model):
    """A union in the tree. `path` is the materialised path: the codes of all
    ancestors and this union joined by '/', ending in '/', so a subtree is one
    indexed prefix query."""

    code = models.SlugField("编码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=120)
    kind = models.CharField("类型", max_length=20, choices=UnionKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级工会",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField("路径", max_length=1000, db_index=True, editable=False)
    credit_code = models.CharField("统一社会信用代码", max_length=18, blank=True)
    established_on = models.DateField("成立日期", null=True, blank=True)
    headcount = models.PositiveIntegerField("职工总数", default=0, help_text="用于计算入会率")
    address = models.CharField("地址", max_length=200, blank=True)
    contact_name = models.CharField("联系人", max_length=40, blank=True)
    contact_phone = models.CharField("联系电话", max_length=30, blank=True)
    # A union merged into another is closed, never deleted: its records stay as
    # its history. See orgs.services.merge_unions.
    archived_on = models.DateField("撤并日期", null=True, blank=True, editable=False)
    merged_into = models.ForeignKey(
        "self",
        verbose_name="并入工会",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_from",
        editable=False,
    )

    class Meta:
        verbose_name = "工会"
        verbose_name_plural = "工会"
        ordering = ["path"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # The path is derived from the parent; restructuring goes through
        # orgs.services, which rewrites the subtree's paths in one statement.
        self.path = (self.parent.path if self.parent_id else "/") + f"{self.code}/"
        super().save(*args, **kwargs)

    def clean(self):
        if self.credit_code:
            error = creditcode.error_in(self.credit_code)
            if error:
                raise ValidationError({"credit_code": error})

    @property
    def depth(self) -> int:
        return self.path.count("/") - 1

    @property
    def is_upper(self) -> bool:
        return self.kind in UPPER_KINDS

    def subtree(self):
        return Union.objects.filter(path__startswith=self.path)

    @property
    def is_archived(self) -> bool:
        return self.archived_on is not None


class ScopedModel(models.Model):
    """Abstract base for union-owned rows: the tenant key is `union_id`, and the
    default manager refuses to run outside a scope (django-scopes)."""

    union = models.ForeignKey(Union, verbose_name="所属工会", on_delete=models.PROTECT)

    objects = ScopedManager(union="union")

    class Meta:
        abstract = True


class RestructuringKind(models.TextChoices):
    MOVE = "move", "调整隶属关系"
    MERGE = "merge", "撤并"


class RestructuringEvent(ScopedModel):
    """One restructuring of the union tree, as it happened: a union moved under
    another parent, or merged into another union. `union` is the union moved or
    merged (closed); nothing here is edited afterwards."""

    kind = models.CharField("类型", max_length=20, choices=RestructuringKind.choices)
    on = models.DateField("生效日期")
    reason = models.CharField("原因或依据", max_length=200)
    from_parent = models.ForeignKey(
        Union,
        verbose_name="原上级工会",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    to_parent = models.ForeignKey(
        Union,
        verbose_name="新上级工会",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    target = models.ForeignKey(
        Union,
        verbose_name="并入工会",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    by_union = models.ForeignKey(
        Union, verbose_name="决定的上级工会", on_delete=models.PROTECT, related_name="+"
    )
    old_path = models.CharField("原路径", max_length=1000, blank=True)
    new_path = models.CharField("新路径", max_length=1000, blank=True)
    # What moved with a merge: {"members": n, "departments": n, "groups": n,
    # "applications": n, "transfers_cancelled": n}.
    moved = models.JSONField("随同转移", default=dict, blank=True)
    actor = models.ForeignKey(
        "orgs.User", verbose_name="操作人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "组织调整记录"
        verbose_name_plural = "组织调整记录"
        ordering = ["-on", "-id"]
        indexes = [models.Index(fields=["union", "on"], name="restructuring_union_on")]

    def __str__(self):
        if self.kind == RestructuringKind.MERGE:
            return f"{self.union}并入{self.target}（{self.on:%Y-%m-%d}）"
        return f"{self.union}由{self.from_parent}调整到{self.to_parent}下（{self.on:%Y-%m-%d}）"


class Department(ScopedModel):
    name = models.CharField("部门名称", max_length=80)

    class Meta:
        verbose_name = "部门"
        verbose_name_plural = "部门"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["union", "name"], name="department_name_unique")
        ]

    def __str__(self):
        return self.name


class Group(ScopedModel):
    """工会小组."""

    name = models.CharField("小组名称", max_length=80)
    department = models.ForeignKey(
        Department, verbose_name="部门", null=True, blank=True, on_delete=models.SET_NULL
    )
    leader = models.ForeignKey(
        "members.Member",
        verbose_name="组长",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    liaison = models.ForeignKey(
        "members.Member",
        verbose_name="联络员",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "工会小组"
        verbose_name_plural = "工会小组"
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["union", "name"], name="group_name_unique")]

    def __str__(self):
        return self.name


class Term(ScopedModel):
    """A committee term (届)."""

    number = models.PositiveSmallIntegerField("届次")
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期", null=True, blank=True)

    class Meta:
        verbose_name = "委员会届次"
        verbose_name_plural = "委员会届次"
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["union", "number"], name="term_unique")]

    def __str__(self):
        return f"第{self.number}届委员会"

    def clean(self):
        if self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "结束日期不能早于开始日期"})


class PostKind(models.TextChoices):
    CHAIR = "chair", "主席"
    VICE_CHAIR = "vice_chair", "副主席"
    COMMITTEE = "committee", "委员"
    AUDIT_HEAD = "audit_head", "经审委员会主任"
    AUDIT_MEMBER = "audit_member", "经审委员"
    WOMEN_HEAD = "women_head", "女职委主任"
    WOMEN_MEMBER = "women_member", "女职委委员"


class Post(ScopedModel):
    term = models.ForeignKey(
        Term, verbose_name="届次", on_delete=models.CASCADE, related_name="posts"
    )
    member = models.ForeignKey("members.Member", verbose_name="会员", on_delete=models.PROTECT)
    kind = models.CharField("职务", max_length=20, choices=PostKind.choices)

    class Meta:
        verbose_name = "委员会职务"
        verbose_name_plural = "委员会职务"
        constraints = [
            models.UniqueConstraint(fields=["term", "member", "kind"], name="post_unique")
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.member}"


class User(AbstractUser):
    """An account. Staff sign in with a username; members sign in to the portal
    with their phone number, matched through the member's phone digest."""

    display_name = models.CharField("姓名", max_length=40, blank=True)

    class Meta:
        verbose_name = "账号"
        verbose_name_plural = "账号"

    def __str__(self):
        return self.display_name or self.username


class RoleAssignment(models.Model):
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="roles", verbose_name="账号"
    )
    union = models.ForeignKey(Union, on_delete=models.CASCADE, verbose_name="工会")
    role = models.CharField("角色", max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = "角色"
        verbose_name_plural = "角色"
        constraints = [
            models.UniqueConstraint(fields=["user", "union", "role"], name="role_unique")
        ]

    def __str__(self):
        return f"{self.union} {self.get_role_display()}"


class AccessLog(models.Model):
    """Every reveal of a sensitive value: who, when, whose, which field, why."""

    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    user = models.ForeignKey(User, on_delete=models.PROTECT, verbose_name="查看人")
    union = models.ForeignKey(Union, on_delete=models.PROTECT, verbose_name="工会")
    subject = models.CharField("对象", max_length=120)
    object_type = models.CharField("类型", max_length=60)
    object_id = models.CharField("记录编号", max_length=40)
    field = models.CharField("字段", max_length=60)
    reason = models.CharField("理由", max_length=200)

    objects = ScopedManager(union="union")

    class Meta:
        verbose_name = "敏感信息查看记录"
        verbose_name_plural = "敏感信息查看记录"
        ordering = ["-at"]

    def __str__(self):
        return f"{self.user} {self.at:%Y-%m-%d %H:%M} {self.subject} {self.field}"
