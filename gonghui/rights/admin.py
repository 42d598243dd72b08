"""Back-office screens of 维权 for the unions where the user holds rights.view.
Records are never edited in place: every step (rounds, drafts, the congress
vote, signing, filing, execution checks, mediation sessions and closing,
answering consultations, the employer's response) has its own page in
views.py that calls rights.services and needs rights.change. A contract's and
a mediation case's page shows its whole history; the lists flag contracts
due for renewal and cases past the 15-day limit."""

from datetime import timedelta

from django.contrib import admin
from django.db.models import Q
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.html import format_html
from unfold.admin import ModelAdmin
from unfold.decorators import action

from gonghui.orgs.records_admin import AreaAccess
from gonghui.orgs.roles import Perm
from gonghui.rights import queries, views
from gonghui.rights.models import (
    MEDIATION_LIMIT_DAYS,
    Consultation,
    ConsultationOutcome,
    Contract,
    DisputeCase,
    NegotiationRound,
    Outcome,
    SupervisionCheck,
)


class RightsAccess(AreaAccess):
    """Lists and pages in the record's own union; steps need rights.change there."""

    view_perm = Perm.VIEW_RIGHTS
    change_perm = Perm.CHANGE_RIGHTS

    def _may_change(self, request, object_id, ready) -> bool:
        obj = self.get_queryset(request).filter(pk=object_id).first()
        return obj is not None and request.access.can(self.change_perm, obj.union_id) and ready(obj)


@admin.register(Contract)
class ContractAdmin(RightsAccess, ModelAdmin):
    list_display = [
        "title",
        "kind",
        "employer",
        "starts_on",
        "ends_on",
        "rounds_held",
        "stage_shown",
        "expiry_alert",
    ]
    list_filter = ["kind"]
    search_fields = ["title", "employer", "union_chief", "employer_chief"]
    date_hierarchy = "starts_on"
    list_per_page = 50

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("rounds")

    @admin.display(description="协商轮次")
    def rounds_held(self, obj):
        return len(obj.rounds.all())

    @admin.display(description="进度")
    def stage_shown(self, obj):
        return obj.stage

    @admin.display(description="到期提醒")
    def expiry_alert(self, obj):
        alert = queries.expiry_alert(obj, timezone.localdate())
        if not alert:
            return "—"
        return format_html('<span class="text-red-600 font-semibold">{}</span>', alert)

    def add_view(self, request, form_url="", extra_context=None):
        return views.add_contract(request)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return views.contract_page(request, self.get_object(request, object_id))


@admin.register(NegotiationRound)
class NegotiationRoundAdmin(RightsAccess, ModelAdmin):
    """Every round across contracts; a round is recorded from its contract's page."""

    list_display = ["contract", "number", "held_on", "issues_short"]
    list_select_related = ["contract"]
    search_fields = ["contract__title", "issues", "agreed"]
    date_hierarchy = "held_on"
    list_per_page = 50
    fields = [
        "union",
        "contract",
        "number",
        "held_on",
        "union_side",
        "employer_side",
        "issues",
        "minutes",
        "agreed",
    ]
    readonly_fields = fields

    def has_add_permission(self, request, *args):
        return False

    @admin.display(description="协商议题")
    def issues_short(self, obj):
        return obj.issues if len(obj.issues) <= 40 else obj.issues[:40] + "…"


class LimitFilter(admin.SimpleListFilter):
    title = f"{MEDIATION_LIMIT_DAYS}日调解期限"
    parameter_name = "limit"

    def lookups(self, request, model_admin):
        return [("over", f"超过{MEDIATION_LIMIT_DAYS}日"), ("open_over", "在办且已超期")]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        open_late = Q(outcome=Outcome.OPEN, received_on__lt=today - timedelta(MEDIATION_LIMIT_DAYS))
        if self.value() == "open_over":
            return queryset.filter(open_late)
        if self.value() == "over":
            return queryset.filter(open_late | Q(days_to_close__gt=MEDIATION_LIMIT_DAYS))
        return queryset


@admin.register(DisputeCase)
class DisputeCaseAdmin(RightsAccess, ModelAdmin):
    list_display = [
        "applicant",
        "respondent",
        "claims_shown",
        "received_on",
        "outcome",
        "days_shown",
    ]
    list_filter = ["outcome", LimitFilter]
    search_fields = ["applicant", "respondent", "claim_detail"]
    date_hierarchy = "received_on"
    list_per_page = 50

    @admin.display(description="争议事项")
    def claims_shown(self, obj):
        return obj.claim_labels

    @admin.display(description="办理天数")
    def days_shown(self, obj):
        today = timezone.localdate()
        days = obj.days_open(today)
        if not obj.over_limit(today):
            return f"{days}天" if obj.closed_on else f"{days}天（在办）"
        late = f"超过{MEDIATION_LIMIT_DAYS}日调解期限"
        late = late if obj.closed_on else f"在办，已{late}"
        return format_html('<span class="text-red-600 font-semibold">{}天（{}）</span>', days, late)

    def add_view(self, request, form_url="", extra_context=None):
        return views.add_dispute(request)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return views.dispute_page(request, self.get_object(request, object_id))


@admin.register(Consultation)
class ConsultationAdmin(RightsAccess, ModelAdmin):
    list_display = ["asked_on", "asker", "topic", "outcome", "referred_to", "handled_by"]
    list_filter = ["topic", "outcome"]
    search_fields = ["asker", "question"]
    date_hierarchy = "asked_on"
    list_per_page = 50
    fields = [
        "union",
        "asker",
        "member",
        "asked_on",
        "topic",
        "question",
        "outcome",
        "answer",
        "referred_to",
        "handled_by",
    ]
    readonly_fields = fields
    actions_detail = ["answer"]

    def add_view(self, request, form_url="", extra_context=None):
        return views.add_consultation(request)

    def has_answer_permission(self, request, object_id=None):
        if object_id is None:
            return bool(self._unions(request, self.change_perm))
        return self._may_change(
            request, object_id, lambda c: c.outcome == ConsultationOutcome.PENDING
        )

    @action(description="答复或转介", url_path="answer", icon="reply", permissions=["answer"])
    def answer(self, request, object_id):
        return redirect("rights:answer", self._changeable(request, object_id).pk)


@admin.register(SupervisionCheck)
class SupervisionCheckAdmin(RightsAccess, ModelAdmin):
    list_display = [
        "checked_on",
        "area",
        "compliant",
        "recommended_on",
        "responded_on",
        "resolved_on",
        "status",
    ]
    list_filter = ["area", "compliant"]
    search_fields = ["finding", "recommendation", "response"]
    date_hierarchy = "checked_on"
    list_per_page = 50
    fields = [
        "union",
        "area",
        "checked_on",
        "compliant",
        "finding",
        "recommendation",
        "recommended_on",
        "response",
        "responded_on",
        "resolved_on",
    ]
    readonly_fields = fields
    actions_detail = ["letter", "respond", "resolve"]

    @admin.display(description="处理情况")
    def status(self, obj):
        if obj.compliant:
            return "—"
        if obj.resolved_on:
            return "问题已解决"
        if obj.responded_on:
            return "已答复，待整改"
        return format_html('<span class="text-red-600">{}</span>', "待用人单位答复")

    def add_view(self, request, form_url="", extra_context=None):
        return views.add_supervision(request)

    def has_respond_permission(self, request, object_id=None):
        if object_id is None:
            return bool(self._unions(request, self.change_perm))
        return self._may_change(
            request, object_id, lambda c: not c.compliant and c.responded_on is None
        )

    def has_resolve_permission(self, request, object_id=None):
        if object_id is None:
            return bool(self._unions(request, self.change_perm))
        return self._may_change(
            request, object_id, lambda c: not c.compliant and c.resolved_on is None
        )

    def has_letter_permission(self, request, object_id=None):
        if object_id is None:
            return True
        found = self.get_queryset(request).filter(pk=object_id).first()
        return found is not None and not found.compliant and bool(found.recommendation)

    @action(description="打印监督意见书", url_path="letter", icon="print", permissions=["letter"])
    def letter(self, request, object_id):
        return redirect("rights:print_letter", self.get_object(request, object_id).pk)

    @action(
        description="登记用人单位答复", url_path="respond", icon="mail", permissions=["respond"]
    )
    def respond(self, request, object_id):
        return redirect("rights:record_response", self._changeable(request, object_id).pk)

    @action(
        description="标记问题已解决", url_path="resolve", icon="task_alt", permissions=["resolve"]
    )
    def resolve(self, request, object_id):
        return redirect("rights:mark_resolved", self._changeable(request, object_id).pk)
