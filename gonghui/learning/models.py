"""Learning (学习培训): training sessions and courses, the question bank, the
daily question (每日一题), exams taken once within their window, skill contests
and members' qualifications (e.g. the union chair's certificate).

A question's choices are a list of texts and its answer the sorted list of the
right choices' indexes (true/false questions have the choices 正确/错误).
Scores are out of 100 and computed by learning.services, never sent in.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from gonghui.orgs.models import ScopedModel

HOURS = {"max_digits": 6, "decimal_places": 1}


def _user(label: str):
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=label,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )


# Training ------------------------------------------------------------------------------


class TrainingKind(models.TextChoices):
    SKILLS = "skills", "业务技能"
    SAFETY = "safety", "安全生产"
    POLICY = "policy", "政治理论"
    LAW = "law", "法律法规"
    CADRE = "cadre", "工会干部培训"
    HEALTH = "health", "健康知识"
    OTHER = "other", "其他"


class Course(ScopedModel):
    """A course that runs as one or more sessions."""

    title = models.CharField("课程名称", max_length=120)
    kind = models.CharField("培训类别", max_length=20, choices=TrainingKind.choices)
    description = models.TextField("课程简介", blank=True)
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "培训课程"
        verbose_name_plural = "培训课程"
        ordering = ["-id"]

    def __str__(self):
        return self.title


class TrainingSession(ScopedModel):
    """One training: topic, date, hours and who attended."""

    course = models.ForeignKey(
        Course,
        verbose_name="所属课程",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sessions",
    )
    topic = models.CharField("培训主题", max_length=120)
    kind = models.CharField("培训类别", max_length=20, choices=TrainingKind.choices)
    on = models.DateField("培训日期")
    hours = models.DecimalField("学时", **HOURS)
    place = models.CharField("地点", max_length=120, blank=True)
    trainer = models.CharField("授课人", max_length=60, blank=True)
    attendees = models.ManyToManyField(
        "members.Member", verbose_name="参训人员", blank=True, related_name="trainings"
    )
    created_by = _user("录入人")
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "培训"
        verbose_name_plural = "培训"
        ordering = ["-on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0), name="learning_session_hours_positive")
        ]
        indexes = [models.Index(fields=["union", "on"], name="learning_session_union_on")]

    def __str__(self):
        return f"{self.on:%Y-%m-%d} {self.topic}"


# Question bank ----------------------------------------------------------------------------


class QuestionCategory(ScopedModel):
    name = models.CharField("分类名称", max_length=60)

    class Meta:
        verbose_name = "题库分类"
        verbose_name_plural = "题库分类"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["union", "name"], name="learning_category_unique")
        ]

    def __str__(self):
        return self.name


class QuestionKind(models.TextChoices):
    SINGLE = "single", "单选题"
    MULTIPLE = "multiple", "多选题"
    TRUE_FALSE = "true_false", "判断题"


TRUE_FALSE_CHOICES = ["正确", "错误"]


class Question(ScopedModel):
    category = models.ForeignKey(
        QuestionCategory,
        verbose_name="分类",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="questions",
    )
    kind = models.CharField("题型", max_length=20, choices=QuestionKind.choices)
    text = models.TextField("题目")
    choices = models.JSONField("选项", default=list)
    answer = models.JSONField("正确答案", default=list, help_text="正确选项的序号（从0开始）")
    explanation = models.TextField("答案解析", blank=True)
    active = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "题目"
        verbose_name_plural = "题库"
        ordering = ["id"]

    def __str__(self):
        return self.text[:40]

    @property
    def answer_letters(self) -> str:
        return "".join(chr(ord("A") + i) for i in self.answer or [])

    @property
    def lettered_choices(self) -> list[tuple[int, str, str]]:
        """(index, letter, text) for each choice, for forms and printing."""
        return [(i, chr(ord("A") + i), text) for i, text in enumerate(self.choices or [])]


class DailyQuestion(ScopedModel):
    """每日一题: the question of one day."""

    on = models.DateField("日期")
    question = models.ForeignKey(
        Question, verbose_name="题目", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "每日一题"
        verbose_name_plural = "每日一题"
        ordering = ["-on"]
        constraints = [
            models.UniqueConstraint(fields=["union", "on"], name="learning_daily_unique")
        ]

    def __str__(self):
        return f"{self.on:%Y-%m-%d} 每日一题"


class DailyAnswer(ScopedModel):
    """A member's one answer to one day's question."""

    daily = models.ForeignKey(
        DailyQuestion, verbose_name="每日一题", on_delete=models.CASCADE, related_name="answers"
    )
    member = models.ForeignKey(
        "members.Member", verbose_name="会员", on_delete=models.CASCADE, related_name="+"
    )
    on = models.DateField("作答日期")
    chosen = models.JSONField("所选", default=list)
    correct = models.BooleanField("答对")

    class Meta:
        verbose_name = "每日一题作答"
        verbose_name_plural = "每日一题作答"
        ordering = ["-on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["daily", "member"], name="learning_daily_answer_once")
        ]
        indexes = [models.Index(fields=["union", "on"], name="learning_daily_ans_union_on")]

    def __str__(self):
        return f"{self.member} {self.on:%Y-%m-%d}"


# Exams --------------------------------------------------------------------------------------


class Exam(ScopedModel):
    """An exam or knowledge contest: taken once per member within its window."""

    title = models.CharField("考试名称", max_length=120)
    opens_at = models.DateTimeField("开始时间")
    closes_at = models.DateTimeField("结束时间")
    pass_mark = models.PositiveSmallIntegerField("合格分数", default=60, help_text="满分100分")
    questions = models.ManyToManyField(Question, verbose_name="试题", related_name="exams")
    groups = models.ManyToManyField(
        "orgs.Group",
        verbose_name="参考小组",
        blank=True,
        related_name="+",
        help_text="不选则全体在册会员参考",
    )
    description = models.TextField("说明", blank=True)
    created_by = _user("创建人")
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "考试"
        verbose_name_plural = "考试"
        ordering = ["-opens_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="learning_exam_window"
            ),
            models.CheckConstraint(condition=Q(pass_mark__lte=100), name="learning_exam_pass_mark"),
        ]
        indexes = [models.Index(fields=["union", "closes_at"], name="learning_exam_union_closes")]

    def __str__(self):
        return self.title


class Attempt(ScopedModel):
    """A member's one sitting of an exam, scored on submission."""

    exam = models.ForeignKey(
        Exam, verbose_name="考试", on_delete=models.CASCADE, related_name="attempts"
    )
    member = models.ForeignKey(
        "members.Member", verbose_name="会员", on_delete=models.CASCADE, related_name="+"
    )
    submitted_at = models.DateTimeField("交卷时间")
    on = models.DateField("考试日期")
    answers = models.JSONField("作答", default=dict)
    correct = models.PositiveSmallIntegerField("答对题数")
    total = models.PositiveSmallIntegerField("题数")
    score = models.PositiveSmallIntegerField("得分")
    passed = models.BooleanField("合格")

    class Meta:
        verbose_name = "答卷"
        verbose_name_plural = "答卷"
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["exam", "member"], name="learning_attempt_once")
        ]
        indexes = [models.Index(fields=["union", "on"], name="learning_attempt_union_on")]

    def __str__(self):
        return f"{self.member} {self.exam} {self.score}分"


# Skill contests -------------------------------------------------------------------------------


class ContestLevel(models.TextChoices):
    INTERNAL = "internal", "本单位"
    DISTRICT = "district", "区县级"
    CITY = "city", "市级"
    PROVINCE = "province", "省部级"
    NATIONAL = "national", "全国"


class SkillContest(ScopedModel):
    """A skill contest (技能竞赛/岗位练兵) and its results."""

    title = models.CharField("竞赛名称", max_length=120)
    trade = models.CharField("工种/项目", max_length=60)
    level = models.CharField("级别", max_length=20, choices=ContestLevel.choices)
    on = models.DateField("比赛日期")
    organiser = models.CharField("主办单位", max_length=120, blank=True)
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "技能竞赛"
        verbose_name_plural = "技能竞赛"
        ordering = ["-on", "-id"]

    def __str__(self):
        return self.title


class SkillResult(ScopedModel):
    contest = models.ForeignKey(
        SkillContest, verbose_name="竞赛", on_delete=models.CASCADE, related_name="results"
    )
    member = models.ForeignKey(
        "members.Member", verbose_name="会员", on_delete=models.PROTECT, related_name="+"
    )
    score = models.DecimalField("成绩", max_digits=6, decimal_places=2, null=True, blank=True)
    rank = models.PositiveSmallIntegerField("名次", null=True, blank=True)
    award = models.CharField("奖项", max_length=40, blank=True)

    class Meta:
        verbose_name = "竞赛成绩"
        verbose_name_plural = "竞赛成绩"
        ordering = ["contest_id", "rank", "id"]
        constraints = [
            models.UniqueConstraint(fields=["contest", "member"], name="learning_result_once")
        ]

    def __str__(self):
        return f"{self.member} {self.award or ''}"


# Qualifications ---------------------------------------------------------------------------------


class QualificationKind(models.TextChoices):
    CHAIR = "chair", "工会主席任职资格证书"
    CADRE = "cadre", "工会干部培训合格证书"
    SKILL = "skill", "职业技能等级证书"
    TITLE = "title", "专业技术职称"
    OTHER = "other", "其他"


class Qualification(ScopedModel):
    """A certificate on a member's record."""

    member = models.ForeignKey(
        "members.Member",
        verbose_name="会员",
        on_delete=models.PROTECT,
        related_name="qualifications",
    )
    kind = models.CharField("证书类别", max_length=20, choices=QualificationKind.choices)
    title = models.CharField("证书名称", max_length=120)
    issuer = models.CharField("发证机关", max_length=120, blank=True)
    number = models.CharField("证书编号", max_length=60, blank=True)
    obtained_on = models.DateField("取得日期")
    expires_on = models.DateField("有效期至", null=True, blank=True)
    session = models.ForeignKey(
        TrainingSession,
        verbose_name="对应培训",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "资格证书"
        verbose_name_plural = "资格证书"
        ordering = ["-obtained_on", "-id"]
        indexes = [models.Index(fields=["union", "obtained_on"], name="learning_qual_union_on")]

    def __str__(self):
        return f"{self.member} {self.title}"
