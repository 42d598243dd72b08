"""Back-office screens for care. Lists show the unions where the user holds
care.view; every write needs care.change and goes through care.services via
the forms in views.py. Records are never edited in place: each change is a
step (review, close, approve, hand over) with its own page."""

from django.contrib import admin
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from unfold.admin import ModelAdmin
from unfold.decorators import action

from gonghui import backoffice
from gonghui.attachments.admin import AttachmentsMixin
from gonghui.care import queries, views
from gonghui.care.models import (
    Assistance,
    CareSettings,
    CaseReview,
    Donation,
    DonationCampaign,
    FestivalDistribution,
    FundContribution,
    GiftRecipient,
    Handover,
    HardshipCase,
    MutualAidEnrolment,
    SchoolAid,
    Visit,
)
from gonghui.finance.queries import payments_for
from gonghui.orgs.records_admin import AreaAccess
from gonghui.orgs.roles import Perm


class CareAccess(AreaAccess):
    view_perm = Perm.VIEW_CARE
    change_perm = Perm.CHANGE_CARE


class ReadOnlyInline(backoffice.ReadOnlyInline):
    view_perm = Perm.VIEW_CARE


def _payments(obj):
    rows = list(payments_for(obj).select_related("line"))
    if not rows:
        return "—"
    return format_html_join(
        "",
        '<div><a class="text-primary-600 underline" href="{}">{} {}元（{}）</a></div>',
        (
            (reverse("admin:finance_payment_change", args=[p.pk]), p.voucher, p.amount, p.line.name)
            for p in rows
        ),
    )


def _names(members) -> str:
    return "、".join(m.name for m in members) or "—"


@admin.register(CareSettings)
class CareSettingsAdmin(CareAccess, ModelAdmin):
    list_display = ["union", "hardship_income_threshold", "festival_gift_cap_per_year"]
    fields = ["union", "hardship_income_threshold", "festival_gift_cap_per_year"]

    def add_view(self, request, form_url="", extra_context=None):
        return views.settings_form(request)


@admin.register(Visit)
class VisitAdmin(AttachmentsMixin, CareAccess, ModelAdmin):
    attachments_title = "慰问照片和附件"
    list_display = ["on", "kind", "visited", "gift", "amount", "line"]
    list_filter = ["kind"]
    search_fields = ["gift", "notes", "members__name"]
    date_hierarchy = "on"
    list_select_related = ["line", "line__fiscal_year"]
    list_per_page = 50
    fields = ["union", "kind", "on", "visited", "visitors_shown", "gift", "amount", "line"]
    readonly_fields = ["visited", "visitors_shown", "payments", "notes", "created_by"]

    def get_fields(self, request, obj=None):
        return [*self.fields, "payments", "notes", "created_by"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("members")

    @admin.display(description="慰问对象")
    def visited(self, obj):
        return _names(obj.members.all())

    @admin.display(description="慰问人")
    def visitors_shown(self, obj):
        return _names(obj.visitors.all())

    @admin.display(description="支出记录")
    def payments(self, obj):
        return _payments(obj)

    def add_view(self, request, form_url="", extra_context=None):
        return views.add_visit(request)


class ReviewInline(ReadOnlyInline):
    model = CaseReview
    fields = ["on", "outcome", "new_level", "note", "reviewed_by"]
    readonly_fields = fields
    verbose_name_plural = "复核记录"


class CaseAssistanceInline(ReadOnlyInline):
    model = Assistance
    fields = ["on", "kind", "source", "amount", "approved_at", "approved_by"]
    readonly_fields = fields
    verbose_name_plural = "帮扶记录"


@admin.register(HardshipCase)
class HardshipCaseAdmin(AttachmentsMixin, CareAccess, ModelAdmin):
    attachments_title = "证明材料（诊断书、收入证明等扫描件）"
    list_display = ["member", "level", "causes_shown", "income_per_capita", "filed_on", "state"]
    list_filter = ["level", ("closed_on", admin.EmptyFieldListFilter)]
    search_fields = ["member__name", "member__name_initials"]
    list_select_related = ["member"]
    date_hierarchy = "filed_on"
    list_per_page = 50
    shown = [
        "member",
        "level",
        "causes_shown",
        "household_size",
        "income_per_capita",
        "above_threshold_reason",
        "filed_on",
        "health_shown",
        "year_assistance",
        "state",
        "closed_on",
        "close_reason",
        "created_by",
    ]
    readonly_fields = [*shown, "health_shown_with_reveal"]
    inlines = [ReviewInline, CaseAssistanceInline]
    actions_detail = ["edit", "review", "assist", "close", "reveal"]

    @admin.display(description="致困原因")
    def causes_shown(self, obj):
        return obj.cause_labels or "—"

    @admin.display(description="状态")
    def state(self, obj):
        return "在档" if obj.is_open else f"已解除（{obj.closed_on:%Y-%m-%d}）"

    def get_fields(self, request, obj=None):
        if obj is not None and request.access.can(Perm.REVEAL_CARE, obj.union_id):
            return [f if f != "health_shown" else "health_shown_with_reveal" for f in self.shown]
        return self.shown

    @admin.display(description="健康状况")
    def health_shown(self, obj):
        return obj.health_details_masked or "—"

    @admin.display(description="健康状况")
    def health_shown_with_reveal(self, obj):
        if not obj.health_details:
            return "—"
        return format_html(
            '{} <a class="ml-3 text-primary-600 underline" href="{}" data-reveal="health">查看</a>',
            obj.health_details_masked,
            reverse("care:reveal", args=[obj.pk]),
        )

    @admin.display(description="本年度帮扶合计")
    def year_assistance(self, obj):
        year = timezone.localdate().year
        rows = queries.assistance_by_year(member=obj.member)
        this_year = queries.assistance_total(member=obj.member, year=year)
        earlier = "；".join(f"{y}年{t}元（{n}笔）" for y, t, n in rows if y != year)
        text = f"{year}年{this_year}元"
        return f"{text}；{earlier}" if earlier else text

    def add_view(self, request, form_url="", extra_context=None):
        return views.add_case(request)

    @action(description="修改档案", url_path="edit", icon="edit")
    def edit(self, request, object_id):
        return redirect("care:edit_case", self._changeable(request, object_id).pk)

    @action(description="复核", url_path="review", icon="fact_check")
    def review(self, request, object_id):
        return redirect("care:review_case", self._changeable(request, object_id).pk)

    @action(description="记录帮扶", url_path="assist", icon="volunteer_activism")
    def assist(self, request, object_id):
        case = self._changeable(request, object_id)
        return redirect(reverse("admin:care_assistance_add") + f"?case={case.pk}")

    @action(description="解除档案", url_path="close", icon="lock")
    def close(self, request, object_id):
        return redirect("care:close_case", self._changeable(request, object_id).pk)

    @action(description="查看健康状况", url_path="health", icon="visibility")
    def reveal(self, request, object_id):
        return redirect("care:reveal", self.get_object(request, object_id).pk)


@admin.register(Assistance)
class AssistanceAdmin(AttachmentsMixin, CareAccess, ModelAdmin):
    attachments_title = "帮扶材料（申请、签收单等扫描件）"
    list_display = ["on", "member", "kind", "source", "amount", "approval"]
    list_filter = ["kind", "source", ("approved_at", admin.EmptyFieldListFilter)]
    search_fields = ["member__name", "reason"]
    list_select_related = ["member", "approved_by"]
    date_hierarchy = "on"
    list_per_page = 50
    fields = [
        "member",
        "case",
        "kind",
        "source",
        "amount",
        "on",
        "reason",
        "line",
        "voucher",
        "approval",
        "payments",
        "created_by",
    ]
    readonly_fields = ["approval", "payments"]
    actions_detail = ["approve"]

    @admin.display(description="批准")
    def approval(self, obj):
        if not obj.approved:
            return "待批准"
        return f"{obj.approved_by} {obj.approved_at:%Y-%m-%d %H:%M}"

    @admin.display(description="支出记录")
    def payments(self, obj):
        return _payments(obj)

    def add_view(self, request, form_url="", extra_context=None):
        return views.add_assistance(request)

    @action(description="批准", url_path="approve", icon="task_alt")
    def approve(self, request, object_id):
        return redirect("care:approve_assistance", self._changeable(request, object_id).pk)


class DonationInline(ReadOnlyInline):
    model = Donation
    fields = ["on", "donor_shown", "amount", "channel", "show_amount"]
    readonly_fields = fields
    verbose_name_plural = "捐款明细"

    @admin.display(description="捐款人")
    def donor_shown(self, obj):
        return obj.donor_label


class ContributionInline(ReadOnlyInline):
    model = FundContribution
    fields = ["on", "amount", "line"]
    readonly_fields = fields
    verbose_name_plural = "工会经费资助"


class HandoverInline(ReadOnlyInline):
    model = Handover
    fields = ["on", "amount", "delivered_by", "note"]
    readonly_fields = fields
    verbose_name_plural = "交付记录"


@admin.register(DonationCampaign)
class DonationCampaignAdmin(AttachmentsMixin, CareAccess, ModelAdmin):
    attachments_title = "附件（交付回执照片、捐款凭证等）"
    list_display = ["purpose", "beneficiary_shown", "opens_on", "closes_on", "raised", "donors"]
    search_fields = ["purpose", "beneficiary_name", "beneficiary__name"]
    list_select_related = ["beneficiary"]
    list_per_page = 50
    fields = [
        "union",
        "purpose",
        "beneficiary_shown",
        "opens_on",
        "closes_on",
        "raised",
        "fund",
        "total",
        "delivered",
        "donors",
    ]
    readonly_fields = ["beneficiary_shown", "raised", "fund", "total", "delivered", "donors"]
    inlines = [DonationInline, ContributionInline, HandoverInline]
    actions_detail = ["donate", "fund_share", "hand_over"]

    def _totals(self, obj):
        cached = getattr(obj, "_totals", None)
        if cached is None:
            cached = obj._totals = queries.campaign_totals(obj)
        return cached

    @admin.display(description="受助人")
    def beneficiary_shown(self, obj):
        return obj.beneficiary_label

    @admin.display(description="募集（元）")
    def raised(self, obj):
        return self._totals(obj)["raised"]

    @admin.display(description="工会资助（元）")
    def fund(self, obj):
        return self._totals(obj)["fund"]

    @admin.display(description="合计（元）")
    def total(self, obj):
        return self._totals(obj)["total"]

    @admin.display(description="已交付（元）")
    def delivered(self, obj):
        return self._totals(obj)["delivered"]

    @admin.display(description="捐款人次")
    def donors(self, obj):
        return self._totals(obj)["donors"]

    def add_view(self, request, form_url="", extra_context=None):
        return views.add_campaign(request)

    @action(description="登记捐款", url_path="donate", icon="add")
    def donate(self, request, object_id):
        return redirect("care:add_donation", self._changeable(request, object_id).pk)

    @action(description="工会经费资助", url_path="fund", icon="account_balance")
    def fund_share(self, request, object_id):
        return redirect("care:add_fund", self._changeable(request, object_id).pk)

    @action(description="交付受助人", url_path="handover", icon="handshake")
    def hand_over(self, request, object_id):
        return redirect("care:add_handover", self._changeable(request, object_id).pk)


@admin.register(SchoolAid)
class SchoolAidAdmin(AttachmentsMixin, CareAccess, ModelAdmin):
    attachments_title = "助学材料（录取通知书、证明等扫描件）"
    list_display = ["applied_on", "member", "child_name", "school", "grade", "state", "amount"]
    list_filter = ["state", "new_admission"]
    search_fields = ["member__name", "child_name", "school"]
    list_select_related = ["member"]
    list_per_page = 50
    fields = [
        "member",
        "child_name",
        "school",
        "grade",
        "new_admission",
        "applied_on",
        "state",
        "amount",
        "decline_reason",
        "decided_on",
        "decided_by",
        "payments",
    ]
    readonly_fields = ["payments"]
    actions_detail = ["approve", "decline"]

    @admin.display(description="支出记录")
    def payments(self, obj):
        return _payments(obj)

    def add_view(self, request, form_url="", extra_context=None):
        return views.add_school_aid(request)

    @action(description="批准", url_path="approve", icon="task_alt")
    def approve(self, request, object_id):
        return redirect("care:approve_school_aid", self._changeable(request, object_id).pk)

    @action(description="不予批准", url_path="decline", icon="block")
    def decline(self, request, object_id):
        return redirect("care:decline_school_aid", self._changeable(request, object_id).pk)


class RecipientInline(ReadOnlyInline):
    model = GiftRecipient
    fields = ["member", "amount"]
    readonly_fields = fields
    verbose_name_plural = "领取人"


@admin.register(FestivalDistribution)
class FestivalDistributionAdmin(AttachmentsMixin, CareAccess, ModelAdmin):
    attachments_title = "发放照片和签收表"
    list_display = [
        "on",
        "occasion",
        "description",
        "amount_per_person",
        "headcount",
        "total",
        "cap",
    ]
    list_filter = ["occasion", "over_cap"]
    date_hierarchy = "on"
    list_per_page = 50
    fields = [
        "union",
        "occasion",
        "on",
        "description",
        "amount_per_person",
        "total",
        "line",
        "over_cap",
        "over_cap_members",
        "over_cap_reason",
        "payments",
    ]
    readonly_fields = ["payments"]
    inlines = [RecipientInline]

    @admin.display(description="人数")
    def headcount(self, obj):
        return obj.recipients.count()

    @admin.display(description="年度限额", ordering="over_cap")
    def cap(self, obj):
        if not obj.over_cap:
            return ""
        return format_html(
            '<span class="text-red-600 font-semibold" title="{}">有人超限</span>',
            obj.over_cap_reason,
        )

    @admin.display(description="支出记录")
    def payments(self, obj):
        return _payments(obj)

    def add_view(self, request, form_url="", extra_context=None):
        return views.add_gifts(request)


@admin.register(MutualAidEnrolment)
class MutualAidEnrolmentAdmin(CareAccess, ModelAdmin):
    list_display = ["year", "member", "premium", "enrolled_on"]
    list_filter = ["year"]
    search_fields = ["member__name"]
    list_select_related = ["member"]
    list_per_page = 50
    fields = ["member", "year", "premium", "enrolled_on", "created_by"]

    def add_view(self, request, form_url="", extra_context=None):
        return views.add_mutual_aid(request)
