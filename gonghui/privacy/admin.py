"""Back-office lists of consents and anonymisations. Both are written only
through privacy.services: adding a consent opens the paper-consent form, and
nothing is edited in place."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.html import format_html
from unfold.admin import ModelAdmin

from gonghui.orgs.records_admin import AreaAccess
from gonghui.orgs.roles import Perm
from gonghui.privacy import views
from gonghui.privacy.models import Anonymisation, Consent


class CurrentFilter(admin.SimpleListFilter):
    title = "状态"
    parameter_name = "current"

    def lookups(self, request, model_admin):
        return [("yes", "有效"), ("no", "已撤回")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(withdrawn_at__isnull=True)
        if self.value() == "no":
            return queryset.filter(withdrawn_at__isnull=False)
        return queryset


@admin.register(Consent)
class ConsentAdmin(AreaAccess, ModelAdmin):
    view_perm = Perm.RECORD_CONSENT
    change_perm = Perm.RECORD_CONSENT
    list_display = ["member", "category", "state", "channel", "given_at", "paper_reference"]
    list_filter = ["category", CurrentFilter, "channel"]
    search_fields = ["member__name", "member__employee_number", "paper_reference"]
    list_select_related = ["member"]
    fields = [
        "union",
        "member",
        "category",
        "state",
        "channel",
        "given_at",
        "paper_reference",
        "signed_on",
        "recorded_by",
        "purpose_version",
        "purpose_text",
        "withdrawn_at",
        "withdrawn_channel",
        "withdrawn_by",
        "steps",
    ]
    readonly_fields = ["state", "steps"]

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied("您没有录入个人信息同意书的权限")
        return views.paper_consent(request)

    @admin.display(description="状态")
    def state(self, obj):
        return "有效" if obj.is_current else "已撤回"

    @admin.display(description="操作")
    def steps(self, obj):
        if not obj.is_current:
            return "—"
        return format_html(
            '<a class="text-primary-600 underline" href="{}">录入书面撤回</a>',
            reverse("privacy:withdraw_consent", args=[obj.pk]),
        )


@admin.register(Anonymisation)
class AnonymisationAdmin(AreaAccess, ModelAdmin):
    view_perm = Perm.ANONYMISE
    change_perm = Perm.ANONYMISE
    list_display = ["__str__", "left_on", "retention_years", "anonymised_at", "anonymised_by"]
    fields = ["union", "number", "left_on", "retention_years", "anonymised_at", "anonymised_by"]
    readonly_fields = ["anonymised_at"]

    def has_add_permission(self, request, *args):
        return False
