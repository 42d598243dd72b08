"""Back-office screens for learning. Lists show the unions where the user holds
learning.view; adding goes through learning.services via the forms in
views.py. Records are not edited in place."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.html import format_html
from unfold.admin import ModelAdmin

from gonghui import backoffice
from gonghui.learning import views
from gonghui.learning.models import (
    Attempt,
    Course,
    DailyQuestion,
    Exam,
    Qualification,
    Question,
    QuestionCategory,
    SkillContest,
    SkillResult,
    TrainingSession,
)
from gonghui.orgs.records_admin import AreaAccess
from gonghui.orgs.roles import Perm


class LearningAccess(AreaAccess):
    """Access from request.access, in the record's own union; others are 404."""

    view_perm = Perm.VIEW_LEARNING
    change_perm = Perm.CHANGE_LEARNING
    add = None  # the view that adds through the service; None: no add page

    def has_add_permission(self, request, *args):
        return self.add is not None and super().has_add_permission(request)

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied("您没有学习培训的管理权限")
        return type(self).add(request)


@admin.register(Course)
class CourseAdmin(LearningAccess, ModelAdmin):
    add = staticmethod(views.add_course)
    list_display = ["title", "kind", "union"]
    list_filter = ["kind"]
    search_fields = ["title"]


@admin.register(TrainingSession)
class TrainingSessionAdmin(LearningAccess, ModelAdmin):
    add = staticmethod(views.add_training)
    list_display = ["on", "topic", "kind", "hours", "trainer", "attendee_count"]
    list_filter = ["kind"]
    search_fields = ["topic", "trainer"]
    date_hierarchy = "on"
    fields = ["union", "course", "topic", "kind", "on", "hours", "place", "trainer", "names"]
    readonly_fields = ["names"]

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).annotate(n=Count("attendees"))

    @admin.display(description="参训人数", ordering="n")
    def attendee_count(self, obj):
        return obj.n

    @admin.display(description="参训人员")
    def names(self, obj):
        return "、".join(m.name for m in obj.attendees.all()[:500]) or "—"


@admin.register(QuestionCategory)
class QuestionCategoryAdmin(LearningAccess, ModelAdmin):
    add = staticmethod(views.add_category)
    list_display = ["name", "union"]


@admin.register(Question)
class QuestionAdmin(LearningAccess, ModelAdmin):
    add = staticmethod(views.add_question)
    list_display = ["id", "short_text", "kind", "category", "answer_letters", "active"]
    list_filter = ["kind", "category", "active"]
    search_fields = ["text"]
    fields = ["union", "category", "kind", "text", "lettered", "answer_letters", "explanation"]
    readonly_fields = ["lettered", "answer_letters"]

    @admin.display(description="题目")
    def short_text(self, obj):
        return obj.text[:50]

    @admin.display(description="选项")
    def lettered(self, obj):
        return "；".join(f"{letter}. {text}" for _, letter, text in obj.lettered_choices)


@admin.register(DailyQuestion)
class DailyQuestionAdmin(LearningAccess, ModelAdmin):
    add = staticmethod(views.set_daily)
    list_display = ["on", "question", "answered", "right"]
    date_hierarchy = "on"
    list_select_related = ["question"]

    def get_queryset(self, request):
        from django.db.models import Count, Q

        return (
            super()
            .get_queryset(request)
            .annotate(n=Count("answers"), r=Count("answers", filter=Q(answers__correct=True)))
        )

    @admin.display(description="作答人数", ordering="n")
    def answered(self, obj):
        return obj.n

    @admin.display(description="答对人数", ordering="r")
    def right(self, obj):
        return obj.r


@admin.register(Exam)
class ExamAdmin(LearningAccess, ModelAdmin):
    add = staticmethod(views.add_exam)
    list_display = ["title", "opens_at", "closes_at", "pass_mark", "results_link"]
    search_fields = ["title"]
    fields = ["union", "title", "opens_at", "closes_at", "pass_mark", "description", "results_link"]
    readonly_fields = ["results_link"]

    @admin.display(description="成绩统计")
    def results_link(self, obj):
        url = reverse("learning:exam_results", args=[obj.pk])
        return format_html('<a class="text-primary-600 underline" href="{}">查看</a>', url)


@admin.register(Attempt)
class AttemptAdmin(LearningAccess, ModelAdmin):
    list_display = ["exam", "member", "score", "passed", "submitted_at"]
    list_filter = ["passed"]
    search_fields = ["member__name", "exam__title"]
    list_select_related = ["exam", "member"]
    exclude = ["answers"]


class SkillResultInline(backoffice.ReadOnlyInline):
    model = SkillResult
    fields = ["member", "rank", "award", "score"]
    readonly_fields = fields
    view_perm = Perm.VIEW_LEARNING


@admin.register(SkillContest)
class SkillContestAdmin(LearningAccess, ModelAdmin):
    add = staticmethod(views.add_contest)
    list_display = ["on", "title", "trade", "level"]
    list_filter = ["level"]
    search_fields = ["title", "trade"]
    inlines = [SkillResultInline]


@admin.register(Qualification)
class QualificationAdmin(LearningAccess, ModelAdmin):
    add = staticmethod(views.add_qualification)
    list_display = ["member", "kind", "title", "obtained_on", "expires_on"]
    list_filter = ["kind"]
    search_fields = ["member__name", "title", "number"]
    list_select_related = ["member"]
