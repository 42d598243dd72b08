"""Back-office screens for women workers. Check-ups and insurance show to
holders of women.view; four-period records only to holders of women.reveal
(the women's committee), and even there the list and the record page show
them masked: the full record is opened through a logged step."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from unfold.admin import ModelAdmin

from gonghui.finance.queries import payments_for
from gonghui.orgs.records_admin import AreaAccess
from gonghui.orgs.roles import Perm
from gonghui.women import views
from gonghui.women.models import (
    HIDDEN,
    CheckupCampaign,
    InsuranceEnrolment,
    InsurancePlan,
    ProtectionRecord,
)

ENCRYPTED = ("period", "arrangements", "items", "notes")


class WomenAccess(AreaAccess):
    view_perm = Perm.VIEW_WOMEN
    change_perm = Perm.CHANGE_WOMEN
    add = None  # the view that adds through the service; None: no add page

    def has_add_permission(self, request, *args):
        return self.add is not None and super().has_add_permission(request)

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied("您没有女职工工作的管理权限")
        return type(self).add(request)


def _link(url: str, text: str):
    return format_html('<a class="text-primary-600 underline" href="{}">{}</a>', url, text)


@admin.register(ProtectionRecord)
class ProtectionRecordAdmin(WomenAccess, ModelAdmin):
    view_perm = Perm.REVEAL_WOMEN
    change_perm = Perm.REVEAL_WOMEN
    add = staticmethod(views.add_protection)
    list_display = ["member", "period_masked", "starts_on", "ends_on", "state"]
    search_fields = ["member__name"]
    list_select_related = ["member"]
    fields = ["union", "member", "period_masked", "starts_on", "ends_on", "details", "steps"]
    readonly_fields = ["period_masked", "details", "steps"]

    def get_queryset(self, request):
        # The encrypted columns are never read for a masked screen.
        return super().get_queryset(request).defer(*ENCRYPTED)

    @admin.display(description="四期类别")
    def period_masked(self, obj):
        return HIDDEN

    @admin.display(description="安排与防护用品")
    def details(self, obj):
        return HIDDEN

    @admin.display(description="状态", boolean=False)
    def state(self, obj):
        return "进行中" if obj.is_open else "已结束"

    @admin.display(description="操作")
    def steps(self, obj):
        links = [(reverse("women:reveal", args=[obj.pk]), "查看全文（记录查看）")]
        if obj.is_open:
            links.append((reverse("women:close", args=[obj.pk]), "结束"))
        return format_html_join(
            " · ", '<a class="text-primary-600 underline" href="{}">{}</a>', links
        )


@admin.register(CheckupCampaign)
class CheckupCampaignAdmin(WomenAccess, ModelAdmin):
    add = staticmethod(views.add_campaign)
    list_display = [
        "title",
        "year",
        "kind",
        "min_age",
        "starts_on",
        "ends_on",
        "eligible",
        "done",
        "coverage",
    ]
    list_filter = ["kind", "year"]
    fields = [
        "union",
        "title",
        "year",
        "kind",
        "provider",
        "min_age",
        "starts_on",
        "ends_on",
        "eligible",
        "done",
        "coverage",
        "steps",
        "listing",
    ]
    readonly_fields = ["eligible", "done", "coverage", "steps", "listing"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                n=Count("checkups"), d=Count("checkups", filter=Q(checkups__done_on__isnull=False))
            )
        )

    @admin.display(description="名单人数", ordering="n")
    def eligible(self, obj):
        return obj.n

    @admin.display(description="已体检", ordering="d")
    def done(self, obj):
        return obj.d

    @admin.display(description="覆盖率")
    def coverage(self, obj):
        return f"{obj.d * 100 / obj.n:.1f}%" if obj.n else "—"

    @admin.display(description="操作")
    def steps(self, obj):
        return _link(reverse("women:record_checkups", args=[obj.pk]), "登记已体检人员")

    @admin.display(description="体检名单")
    def listing(self, obj):
        from gonghui.women.queries import checkup_list

        rows = checkup_list(obj)[:1000]
        return format_html_join(
            "、",
            "{}{}",
            ((c.member.name, f"（{c.done_on:%m-%d}）" if c.done_on else "（未检）") for c in rows),
        )


@admin.register(InsurancePlan)
class InsurancePlanAdmin(WomenAccess, ModelAdmin):
    add = staticmethod(views.add_plan)
    list_display = ["name", "year", "insurer", "premium", "enrolled"]
    list_filter = ["year"]
    fields = [
        "union",
        "year",
        "name",
        "insurer",
        "premium",
        "line",
        "enrolled",
        "payments",
        "steps",
    ]
    readonly_fields = ["enrolled", "payments", "steps"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n=Count("enrolments"))

    @admin.display(description="参保人数", ordering="n")
    def enrolled(self, obj):
        return obj.n

    @admin.display(description="保费支出")
    def payments(self, obj):
        rows = list(payments_for(obj))
        if not rows:
            return "—"
        return format_html_join(
            "",
            "<div>{} {} {}元</div>",
            ((p.on, p.voucher, p.amount) for p in rows),
        )

    @admin.display(description="操作")
    def steps(self, obj):
        return _link(reverse("women:enrol", args=[obj.pk]), "办理参保并支付保费")


@admin.register(InsuranceEnrolment)
class InsuranceEnrolmentAdmin(WomenAccess, ModelAdmin):
    list_display = ["member", "plan", "year", "premium", "enrolled_on"]
    list_filter = ["year"]
    search_fields = ["member__name"]
    list_select_related = ["member", "plan"]
