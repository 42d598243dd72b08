"""Back-office screens for members' opinions. Lists show the unions where the
user holds voice.view; every step (record for a member, judge, assign,
implement, reward) needs voice.change and goes through voice.services via
the pages in views.py. Evidence of implementation is attached to the opinion."""

from django.contrib import admin
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html_join
from unfold.admin import ModelAdmin
from unfold.decorators import action

from gonghui.attachments.admin import AttachmentsMixin
from gonghui.finance.queries import payments_for
from gonghui.orgs.roles import Perm
from gonghui.voice import views
from gonghui.voice.models import Opinion, State


class OverdueFilter(admin.SimpleListFilter):
    title = "办理期限"
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", "已逾期未落实")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(state=State.HANDLING, deadline__lt=timezone.localdate())
        return queryset


@admin.register(Opinion)
class OpinionAdmin(AttachmentsMixin, ModelAdmin):
    attachments_title = "落实佐证材料（照片、文件）"
    list_display = [
        "submitted_on",
        "member",
        "kind",
        "category",
        "headline",
        "state",
        "deadline_shown",
        "reward_amount",
    ]
    list_filter = ["state", "kind", "category", OverdueFilter]
    search_fields = ["title", "content", "member__name", "member__name_initials"]
    list_select_related = ["member"]
    date_hierarchy = "submitted_on"
    list_per_page = 50
    fields = [
        "union",
        "member",
        "kind",
        "category",
        "title",
        "content",
        "submitted_on",
        "recorded_by",
        "source_shown",
        "state",
        "judged_on",
        "judgement_reason",
        "judged_by",
        "handler_department",
        "handler",
        "deadline",
        "implemented_on",
        "implementation",
        "reward_amount",
        "rewarded_on",
        "payments",
    ]
    readonly_fields = fields
    actions_detail = ["judge", "assign", "implement", "reward"]

    # Access: the record's own union; others are 404.
    def _unions(self, request, perm):
        access = getattr(request, "access", None)
        return access.unions_with(perm) if access is not None else []

    def get_queryset(self, request):
        return (
            super().get_queryset(request).filter(union__in=self._unions(request, Perm.VIEW_VOICE))
        )

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404("没有找到该记录")
        return obj

    def has_module_permission(self, request):
        return bool(self._unions(request, Perm.VIEW_VOICE))

    def has_view_permission(self, request, obj=None):
        if obj is None:
            return bool(self._unions(request, Perm.VIEW_VOICE))
        return request.access.can(Perm.VIEW_VOICE, obj.union_id)

    def has_add_permission(self, request, *args):
        return bool(self._unions(request, Perm.CHANGE_VOICE))

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def _changeable(self, request, object_id):
        obj = self.get_object(request, object_id)
        if not request.access.can(Perm.CHANGE_VOICE, obj.union_id):
            raise Http404("没有找到该记录")
        return obj

    @admin.display(description="意见")
    def headline(self, obj):
        return obj.headline

    @admin.display(description="办理期限")
    def deadline_shown(self, obj):
        if obj.deadline is None:
            return "—"
        if obj.state == State.HANDLING and obj.deadline < timezone.localdate():
            return f"{obj.deadline:%Y-%m-%d}（已逾期）"
        return f"{obj.deadline:%Y-%m-%d}"

    @admin.display(description="来源")
    def source_shown(self, obj):
        if obj.source_type_id is None:
            return "—"
        return f"{obj.source_type.name}：{obj.source}"

    @admin.display(description="奖励支出记录")
    def payments(self, obj):
        rows = list(payments_for(obj).select_related("line"))
        if not rows:
            return "—"
        return format_html_join(
            "",
            '<div><a class="text-primary-600 underline" href="{}">{} {}元（{}）</a></div>',
            (
                (
                    reverse("admin:finance_payment_change", args=[p.pk]),
                    p.voucher,
                    p.amount,
                    p.line.name,
                )
                for p in rows
            ),
        )

    def add_view(self, request, form_url="", extra_context=None):
        return views.add_opinion(request)

    @action(description="认定", url_path="judge", icon="gavel")
    def judge(self, request, object_id):
        return redirect("voice:judge", self._changeable(request, object_id).pk)

    @action(description="交办", url_path="assign", icon="assignment_ind")
    def assign(self, request, object_id):
        return redirect("voice:assign", self._changeable(request, object_id).pk)

    @action(description="登记落实", url_path="implement", icon="task_alt")
    def implement(self, request, object_id):
        return redirect("voice:implement", self._changeable(request, object_id).pk)

    @action(description="奖励", url_path="reward", icon="redeem")
    def reward(self, request, object_id):
        return redirect("voice:reward", self._changeable(request, object_id).pk)
