"""Back-office screens for safety. Lists show the unions where the user holds
safety.view; every write needs safety.change (verification safety.verify)
and goes through safety.services via the pages in views.py. Records are
never edited in place: each change is a step with its own page."""

from django.contrib import admin
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from unfold.admin import ModelAdmin
from unfold.decorators import action

from gonghui import backoffice
from gonghui.attachments.admin import AttachmentsMixin
from gonghui.orgs.records_admin import AreaAccess
from gonghui.orgs.roles import Perm
from gonghui.safety import draw as drawing
from gonghui.safety import queries, views
from gonghui.safety.models import (
    ChecklistItem,
    Contest,
    ContestResult,
    Draw,
    Drill,
    Hazard,
    HazardStep,
    Inspection,
    Violation,
)


class SafetyAccess(AreaAccess):
    """Access from request.access, in the record's own union; others are 404."""

    view_perm = Perm.VIEW_SAFETY
    change_perm = Perm.CHANGE_SAFETY

    def _changeable(self, request, object_id, perm=Perm.CHANGE_SAFETY):
        obj = self.get_object(request, object_id)
        if not request.access.can(perm, obj.union_id):
            raise Http404("没有找到该记录")
        return obj


class ReadOnlyInline(backoffice.ReadOnlyInline):
    view_perm = Perm.VIEW_SAFETY


class StepInline(ReadOnlyInline):
    model = HazardStep
    fields = ["on", "action", "note", "actor"]
    readonly_fields = fields
    verbose_name_plural = "办理过程"


@admin.register(Hazard)
class HazardAdmin(AttachmentsMixin, SafetyAccess, ModelAdmin):
    attachments_title = "现场照片和整改依据"
    list_display = [
        "number_shown",
        "reported_on",
        "place",
        "category",
        "severity",
        "department",
        "deadline",
        "state",
    ]
    list_filter = ["state", "category", "severity", "department"]
    search_fields = ["place", "description"]
    list_select_related = ["department"]
    date_hierarchy = "reported_on"
    list_per_page = 50
    fields = [
        "union",
        "number_shown",
        "reported_on",
        "reporter",
        "place",
        "description",
        "category",
        "severity",
        "state",
        "inspection",
        "department",
        "assigned_on",
        "measures",
        "deadline",
        "rectification",
        "rectified_on",
        "rectified_by",
        "days_to_rectify",
        "verified_on",
        "verified_by",
        "returned",
        "escalated_on",
        "reported_by",
    ]
    readonly_fields = ["number_shown"]
    inlines = [StepInline]
    actions_detail = ["assign", "plan", "rectify", "verify", "print_card"]

    @admin.display(description="编号")
    def number_shown(self, obj):
        return obj.number

    def add_view(self, request, form_url="", extra_context=None):
        return views.add_hazard(request)

    @action(description="交办", url_path="assign", icon="assignment_ind")
    def assign(self, request, object_id):
        return redirect("safety:assign", self._changeable(request, object_id).pk)

    @action(description="措施和期限", url_path="plan", icon="event")
    def plan(self, request, object_id):
        return redirect("safety:plan", self._changeable(request, object_id).pk)

    @action(description="登记整改", url_path="rectify", icon="build")
    def rectify(self, request, object_id):
        return redirect("safety:rectify", self._changeable(request, object_id).pk)

    @action(description="验收", url_path="verify", icon="verified")
    def verify(self, request, object_id):
        return redirect(
            "safety:verify", self._changeable(request, object_id, Perm.VERIFY_SAFETY).pk
        )

    @action(description="打印隐患卡", url_path="print", icon="print")
    def print_card(self, request, object_id):
        return redirect("safety:print_card", self.get_object(request, object_id).pk)


class ItemInline(ReadOnlyInline):
    model = ChecklistItem
    fields = ["position", "text", "result", "note", "hazard"]
    readonly_fields = fields
    verbose_name_plural = "检查清单"


@admin.register(Inspection)
class InspectionAdmin(AttachmentsMixin, SafetyAccess, ModelAdmin):
    attachments_title = "检查照片和记录"
    list_display = ["planned_on", "title", "scope", "done_on", "findings"]
    list_filter = [("done_on", admin.EmptyFieldListFilter)]
    search_fields = ["title", "scope"]
    date_hierarchy = "planned_on"
    list_per_page = 50
    fields = ["union", "title", "scope", "planned_on", "inspectors_shown", "done_on", "summary"]
    readonly_fields = ["inspectors_shown"]
    inlines = [ItemInline]
    actions_detail = ["results", "finding"]

    @admin.display(description="检查人员")
    def inspectors_shown(self, obj):
        return "、".join(m.name for m in obj.inspectors.all()) or "—"

    @admin.display(description="发现隐患")
    def findings(self, obj):
        return obj.hazards.count()

    def add_view(self, request, form_url="", extra_context=None):
        return views.add_inspection(request)

    @action(description="记录检查结果", url_path="results", icon="fact_check")
    def results(self, request, object_id):
        return redirect("safety:record_results", self._changeable(request, object_id).pk)

    @action(description="发现问题生成隐患卡", url_path="finding", icon="report")
    def finding(self, request, object_id):
        return redirect("safety:add_finding", self._changeable(request, object_id).pk)


@admin.register(Drill)
class DrillAdmin(AttachmentsMixin, SafetyAccess, ModelAdmin):
    attachments_title = "演练照片和方案"
    list_display = ["held_on", "kind", "title", "expected", "participants", "rate_shown"]
    list_filter = ["kind"]
    search_fields = ["title", "place"]
    date_hierarchy = "held_on"
    list_per_page = 50
    fields = ["union", "kind", "title", "held_on", "place", "expected", "participants", "notes"]

    @admin.display(description="参与率")
    def rate_shown(self, obj):
        return f"{obj.rate}%"

    def add_view(self, request, form_url="", extra_context=None):
        return views.add_drill(request)


class ResultInline(ReadOnlyInline):
    model = ContestResult
    fields = ["rank", "group", "audience", "participants", "passed", "average_score"]
    readonly_fields = fields
    verbose_name_plural = "各小组成绩"


@admin.register(Contest)
class ContestAdmin(SafetyAccess, ModelAdmin):
    list_display = ["held_on", "title", "coverage"]
    search_fields = ["title"]
    date_hierarchy = "held_on"
    list_per_page = 50
    fields = ["union", "title", "held_on", "exam_shown", "notes", "coverage"]
    readonly_fields = ["coverage", "exam_shown"]
    inlines = [ResultInline]
    actions_detail = ["results", "from_exam"]

    @admin.display(description="关联学习考试")
    def exam_shown(self, obj):
        exam = obj.exam
        if exam is None:
            return "—（各小组成绩直接填写）"
        return format_html(
            '<a class="text-primary-600 underline" href="{}">{}</a>',
            reverse("admin:learning_exam_change", args=[exam.pk]),
            exam,
        )

    @admin.display(description="参赛/应参赛")
    def coverage(self, obj):
        rows = list(obj.results.all())
        took = sum(r.participants for r in rows)
        audience = sum(r.audience for r in rows)
        share = f"{took * 100 / audience:.1f}%" if audience else "—"
        return f"{took}/{audience}人（{share}）"

    def add_view(self, request, form_url="", extra_context=None):
        return views.add_contest(request)

    @action(description="填写各小组成绩", url_path="results", icon="leaderboard")
    def results(self, request, object_id):
        return redirect("safety:contest_results", self._changeable(request, object_id).pk)

    @action(description="从关联考试取成绩", url_path="from-exam", icon="quiz")
    def from_exam(self, request, object_id):
        return redirect("safety:contest_from_exam", self._changeable(request, object_id).pk)


@admin.register(Violation)
class ViolationAdmin(SafetyAccess, ModelAdmin):
    list_display = ["on", "member", "description", "recorded_by"]
    search_fields = ["member__name", "description"]
    list_select_related = ["member", "recorded_by"]
    date_hierarchy = "on"
    list_per_page = 50
    fields = ["member", "on", "description", "recorded_by"]

    def add_view(self, request, form_url="", extra_context=None):
        return views.add_violation(request)


@admin.register(Draw)
class DrawAdmin(SafetyAccess, ModelAdmin):
    list_display = ["__str__", "prize", "winners_wanted", "eligible_count", "drawn_on", "seed"]
    list_per_page = 50
    fields = [
        "union",
        "year",
        "quarter",
        "prize",
        "drawn_on",
        "seed",
        "winners_shown",
        "eligible_count",
        "eligible_digest",
        "eligible_shown",
        "algorithm",
    ]
    readonly_fields = ["winners_shown", "eligible_count", "eligible_shown", "algorithm"]

    @admin.display(description="符合条件人数")
    def eligible_count(self, obj):
        return len(obj.eligible)

    @admin.display(description="中奖会员（抽中顺序）")
    def winners_shown(self, obj):
        people = queries.draw_people(obj)
        return format_html_join(
            "",
            "<div>{}. {}（会员编号 {}，{}）</div>",
            (
                (
                    i,
                    getattr(people.get(n), "name", "—"),
                    n,
                    getattr(getattr(people.get(n), "group", None), "name", "—"),
                )
                for i, n in enumerate(obj.winners, start=1)
            ),
        )

    @admin.display(description="符合条件的会员编号（按编号排序）")
    def eligible_shown(self, obj):
        return format_html(
            '<div id="eligible" class="text-xs break-all">{}</div>',
            ",".join(str(n) for n in obj.eligible),
        )

    @admin.display(description="抽奖方法（任何人可按此重算）")
    def algorithm(self, obj):
        return format_html(
            '<div id="algorithm" class="whitespace-pre-line">{}</div>'
            '<pre class="mt-2 p-2 bg-base-50 text-xs">{}</pre>',
            "1. 名单：季度末在册、本季度没有违章记录的会员，按会员编号从小到大排列；"
            "名单校验码 = SHA-256（会员编号用英文逗号连接，无空格）。\n"
            f"2. 每人的抽签码 = SHA-256（UTF-8 文本“种子:会员编号”，如“{obj.seed}:{obj.eligible[0] if obj.eligible else 1}”）的十六进制小写。\n"
            "3. 按抽签码从小到大排序，取前 N 名为中奖者。",
            drawing.python_snippet(obj.seed, obj.winners_wanted),
        )

    def add_view(self, request, form_url="", extra_context=None):
        return views.add_draw(request)
