"""Back-office lists of 维权 for the unions where the user holds rights.view.
Every step (rounds, drafts, vote, signing, filing, checks, mediation,
consultations, supervision) goes through rights.services via the API; the
lists flag contracts due for renewal and cases past the 15-day limit."""

from django.contrib import admin
from django.utils import timezone
from unfold.admin import ModelAdmin, TabularInline

from gonghui.orgs.records_admin import AreaAccess
from gonghui.orgs.roles import Perm
from gonghui.rights.models import (
    Consultation,
    Contract,
    DisputeCase,
    Draft,
    ExecutionCheck,
    MediationSession,
    NegotiationRound,
    SupervisionCheck,
)
from gonghui.rights.queries import EXPIRY_ALERT_DAYS


class RightsAccess(AreaAccess):
    view_perm = Perm.VIEW_RIGHTS
    change_perm = Perm.CHANGE_RIGHTS

    def has_add_permission(self, request, *args):
        return False


class ReadOnlyInline(TabularInline):
    extra = 0
    max_num = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return obj is None or request.access.can(Perm.VIEW_RIGHTS, obj.union_id)


class RoundInline(ReadOnlyInline):
    model = NegotiationRound
    fields = ["number", "held_on", "union_side", "employer_side", "issues", "agreed"]
    readonly_fields = fields


class DraftInline(ReadOnlyInline):
    model = Draft
    fields = ["version", "prepared_on", "note"]
    readonly_fields = fields


class CheckInline(ReadOnlyInline):
    model = ExecutionCheck
    fields = ["year", "checked_on", "clause", "finding", "fulfilled", "follow_up"]
    readonly_fields = fields


@admin.register(Contract)
class ContractAdmin(RightsAccess, ModelAdmin):
    list_display = ["title", "kind", "starts_on", "ends_on", "stage_shown", "expiry_alert"]
    list_filter = ["kind"]
    search_fields = ["title", "employer"]
    date_hierarchy = "starts_on"
    fields = [
        "union",
        "kind",
        "title",
        "employer",
        "union_chief",
        "employer_chief",
        "starts_on",
        "ends_on",
        "workers_covered",
        "wage_increase",
        "vote_on",
        "votes_for",
        "votes_against",
        "votes_abstain",
        "vote_passed",
        "signed_on",
        "filed_with",
        "filed_on",
    ]
    readonly_fields = fields
    inlines = [RoundInline, DraftInline, CheckInline]

    @admin.display(description="进度")
    def stage_shown(self, obj):
        return obj.stage

    @admin.display(description="到期提醒")
    def expiry_alert(self, obj):
        today = timezone.localdate()
        if obj.signed_on is None or obj.ends_on < today:
            return "已到期" if obj.signed_on and obj.ends_on < today else "—"
        left = (obj.ends_on - today).days
        return f"{left}天后到期，请启动续签协商" if left <= EXPIRY_ALERT_DAYS else "—"


@admin.register(NegotiationRound)
class NegotiationRoundAdmin(RightsAccess, ModelAdmin):
    list_display = ["contract", "number", "held_on"]
    list_select_related = ["contract"]
    date_hierarchy = "held_on"
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


class SessionInline(ReadOnlyInline):
    model = MediationSession
    fields = ["held_on", "attendees", "notes"]
    readonly_fields = fields


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
    list_filter = ["outcome"]
    search_fields = ["applicant", "respondent", "claim_detail"]
    date_hierarchy = "received_on"
    fields = [
        "union",
        "applicant",
        "member",
        "respondent",
        "claims_shown",
        "claim_detail",
        "amount_claimed",
        "received_on",
        "mediators",
        "outcome",
        "closed_on",
        "days_shown",
        "agreement",
        "applicant_confirmed",
        "respondent_confirmed",
        "arbitration_advised",
        "close_note",
    ]
    readonly_fields = fields
    inlines = [SessionInline]

    @admin.display(description="争议事项")
    def claims_shown(self, obj):
        return obj.claim_labels

    @admin.display(description="办理天数")
    def days_shown(self, obj):
        days = obj.days_open(timezone.localdate())
        late = "（超过15日调解期限）" if obj.over_limit(timezone.localdate()) else ""
        return f"{days}天{late}"


@admin.register(Consultation)
class ConsultationAdmin(RightsAccess, ModelAdmin):
    list_display = ["asked_on", "asker", "topic", "outcome", "referred_to"]
    list_filter = ["topic", "outcome"]
    search_fields = ["asker", "question"]
    date_hierarchy = "asked_on"
    fields = [
        "union",
        "asker",
        "member",
        "asked_on",
        "topic",
        "question",
        "answer",
        "referred_to",
        "outcome",
        "handled_by",
    ]
    readonly_fields = fields


@admin.register(SupervisionCheck)
class SupervisionCheckAdmin(RightsAccess, ModelAdmin):
    list_display = [
        "checked_on",
        "area",
        "compliant",
        "recommended_on",
        "responded_on",
        "resolved_on",
    ]
    list_filter = ["area", "compliant"]
    date_hierarchy = "checked_on"
    fields = [
        "union",
        "area",
        "checked_on",
        "finding",
        "compliant",
        "recommendation",
        "recommended_on",
        "response",
        "responded_on",
        "resolved_on",
    ]
    readonly_fields = fields
