"""Back-office list of proposals: every state, overdue ones highlighted. The
committee's decision is a step page (congress_views.decide); drafts, co-signing,
replies and ratings happen in the portal."""

from django.contrib import admin
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from unfold.admin import ModelAdmin
from unfold.decorators import action

from gonghui.democracy.admin.congress import DemocracyAccess, ReadOnlyInline
from gonghui.democracy.models import CoSignature, Proposal, ProposalReply
from gonghui.democracy.models.proposals import PENDING_REPLY


class OverdueFilter(admin.SimpleListFilter):
    title = "是否逾期"
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", "逾期未答复")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(state__in=PENDING_REPLY, deadline__lt=timezone.localdate())
        return queryset


class CoSignatureInline(ReadOnlyInline):
    model = CoSignature
    fields = ["representative", "at"]
    readonly_fields = fields
    verbose_name_plural = "附议代表"


class ReplyInline(ReadOnlyInline):
    model = ProposalReply
    fields = ["round", "department", "handler", "replied_on", "on_time", "body", "rating"]
    readonly_fields = [*fields, "rating_comment"]
    verbose_name_plural = "答复与评价"


@admin.register(Proposal)
class ProposalAdmin(DemocracyAccess, ModelAdmin):
    list_display = [
        "number",
        "title",
        "proposer",
        "category",
        "state_shown",
        "lead_department",
        "deadline",
        "session",
    ]
    list_filter = ["state", OverdueFilter, "category", "session"]
    search_fields = ["title", "proposer__member__name"]
    list_select_related = ["proposer__member", "lead_department", "session__congress"]
    list_per_page = 50
    readonly_fields = [
        "session",
        "number",
        "proposer",
        "title",
        "reason",
        "measures",
        "category",
        "state",
        "submitted_on",
        "decided_on",
        "decision_reason",
        "lead_department",
        "deadline",
        "completed_on",
    ]
    fields = readonly_fields
    inlines = [CoSignatureInline, ReplyInline]
    actions_detail = ["decide"]

    def has_add_permission(self, request, *args):
        return False  # representatives draft in the portal

    @admin.display(description="状态", ordering="state")
    def state_shown(self, obj):
        if obj.state in PENDING_REPLY and obj.deadline and obj.deadline < timezone.localdate():
            return format_html(
                '<span class="text-red-600 font-semibold" data-overdue="1">逾期（{}）</span>',
                obj.get_state_display(),
            )
        return obj.get_state_display()

    @action(description="审查（立案/转意见/不立案）", url_path="decide", icon="gavel")
    def decide(self, request, object_id):
        return redirect(reverse("democracy:decide", args=[self.get_object(request, object_id).pk]))
