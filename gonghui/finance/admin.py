"""Back-office screens for the union's money. Lists are limited to the unions
where the user holds finance.view; every write goes through finance.services.
Payments and income are never edited or deleted in place: they are vouchers."""

from django.contrib import admin
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from unfold.admin import ModelAdmin, TabularInline
from unfold.decorators import action

from gonghui.attachments.admin import AttachmentsMixin
from gonghui.finance import dues, queries, services, views
from gonghui.finance.models import (
    Allocation,
    AuditReport,
    BudgetAdjustment,
    BudgetLine,
    DuesBase,
    DuesExemption,
    DuesImport,
    DuesPayment,
    FinanceSettings,
    FiscalYear,
    Income,
    Payment,
    UpwardTransfer,
)
from gonghui.orgs.records_admin import AreaAccess
from gonghui.orgs.roles import Perm


class FinanceAccess(AreaAccess):
    view_perm = Perm.VIEW_FINANCE
    change_perm = Perm.CHANGE_FINANCE


class YearFilter(admin.SimpleListFilter):
    title = "年度"
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = (
            FiscalYear.objects.filter(union__in=request.access.unions_with(Perm.VIEW_FINANCE))
            .order_by("-year")
            .values_list("year", flat=True)
            .distinct()
        )
        return [(str(y), f"{y}年") for y in years]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(on__year=int(self.value()))
        return queryset


class EntryAdmin(FinanceAccess, ModelAdmin):
    list_filter = [YearFilter, "category", ("line", admin.RelatedOnlyFieldListFilter)]
    date_hierarchy = "on"
    list_select_related = ["line", "line__fiscal_year", "created_by"]
    list_per_page = 50


@admin.register(Payment)
class PaymentAdmin(AttachmentsMixin, EntryAdmin):
    attachments_title = "凭证扫描件和附件"
    list_display = ["on", "voucher", "category", "line", "payee", "amount", "over_budget_flag"]
    search_fields = ["voucher", "payee", "note"]
    readonly_fields = ["pays_for_display"]
    fields = [
        "union",
        "line",
        "category",
        "on",
        "amount",
        "payee",
        "voucher",
        "note",
        "over_budget",
        "over_budget_reason",
        "pays_for_display",
        "created_by",
        "created_at",
    ]

    @admin.display(description="超预算", ordering="over_budget")
    def over_budget_flag(self, obj):
        if not obj.over_budget:
            return ""
        return format_html(
            '<span class="text-red-600 font-semibold" title="{}">超预算</span>',
            obj.over_budget_reason,
        )

    @admin.display(description="关联记录")
    def pays_for_display(self, obj):
        return str(obj.pays_for) if obj.linked_type_id else "—"

    def add_view(self, request, form_url="", extra_context=None):
        return views.add_payment(request)


@admin.register(Income)
class IncomeAdmin(AttachmentsMixin, EntryAdmin):
    attachments_title = "凭证扫描件和附件"
    list_display = ["on", "voucher", "category", "line", "payer", "amount"]
    search_fields = ["voucher", "payer", "note"]
    fields = [
        "union",
        "line",
        "category",
        "on",
        "amount",
        "payer",
        "voucher",
        "note",
        "created_by",
        "created_at",
    ]

    def add_view(self, request, form_url="", extra_context=None):
        return views.add_income(request)


class BudgetLineInline(TabularInline):
    model = BudgetLine
    fields = ["category", "name", "planned", "budget", "actual", "execution", "adjust"]
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return obj is None or request.access.can(Perm.VIEW_FINANCE, obj.union_id)

    @admin.display(description="执行率")
    def execution(self, line):
        if not line.budget:
            return "—"
        share = line.actual * 100 / line.budget
        if line.actual > line.budget:
            return format_html(
                '<span class="text-red-600 font-semibold">{}%（超预算）</span>', f"{share:.1f}"
            )
        if share >= 90:
            return format_html(
                '<span class="text-orange-600 font-semibold">{}%</span>', f"{share:.1f}"
            )
        return f"{share:.1f}%"

    @admin.display(description="操作")
    def adjust(self, line):
        if line.fiscal_year.closed:
            return "—"
        return format_html(
            '<a class="text-primary-600" href="{}">调整预算</a>',
            reverse("finance:adjust_line", args=[line.pk]),
        )


@admin.register(FiscalYear)
class FiscalYearAdmin(FinanceAccess, ModelAdmin):
    list_display = ["__str__", "union", "line_count", "closed", "closed_at"]
    list_filter = ["closed"]
    fields = ["union", "year", "closed", "closed_at", "closed_by"]
    readonly_fields = fields
    inlines = [BudgetLineInline]
    actions_detail = ["add_line", "execution", "close_year"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(line_total=Count("lines"))

    @admin.display(description="预算项目数")
    def line_count(self, obj):
        return obj.line_total

    def add_view(self, request, form_url="", extra_context=None):
        return views.add_year(request)

    def _changeable(self, request, object_id) -> FiscalYear:
        fiscal_year = self.get_object(request, object_id)
        if not request.access.can(Perm.CHANGE_FINANCE, fiscal_year.union_id):
            raise Http404("没有找到该记录")
        return fiscal_year

    @action(description="添加预算项目", url_path="add-line", icon="add")
    def add_line(self, request, object_id):
        fiscal_year = self._changeable(request, object_id)
        return redirect("finance:add_line", fiscal_year.pk)

    @action(description="预算执行情况", url_path="execution", icon="monitoring")
    def execution(self, request, object_id):
        fiscal_year = self.get_object(request, object_id)
        return redirect(
            reverse("finance:execution") + f"?union={fiscal_year.union_id}&year={fiscal_year.year}"
        )

    @action(description="结账", url_path="close", icon="lock")
    def close_year(self, request, object_id):
        fiscal_year = self._changeable(request, object_id)
        return redirect("finance:close_year", fiscal_year.pk)


@admin.register(BudgetAdjustment)
class BudgetAdjustmentAdmin(FinanceAccess, ModelAdmin):
    list_display = ["created_at", "line", "delta", "reason", "created_by"]
    list_select_related = ["line", "line__fiscal_year", "created_by"]
    search_fields = ["reason", "line__name"]
    fields = ["union", "line", "delta", "reason", "created_by", "created_at"]

    def has_add_permission(self, request, *args):
        return False


# Dues ---------------------------------------------------------------------------------------


class MonthYearFilter(admin.SimpleListFilter):
    title = "年度"
    parameter_name = "year"
    field = "month"

    def lookups(self, request, model_admin):
        return [
            (str(y), f"{y}年")
            for y in range(timezone.localdate().year, timezone.localdate().year - 5, -1)
        ]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(**{f"{self.field}__year": int(self.value())})
        return queryset


@admin.register(DuesPayment)
class DuesPaymentAdmin(FinanceAccess, ModelAdmin):
    list_display = ["month_display", "member", "amount", "paid_on", "source", "batch"]
    list_filter = [MonthYearFilter, "source"]
    list_select_related = ["member", "batch"]
    search_fields = ["member__name", "member__employee_number"]
    fields = [
        "union",
        "member",
        "month",
        "amount",
        "paid_on",
        "source",
        "batch",
        "income",
        "created_by",
        "created_at",
    ]
    list_per_page = 50

    @admin.display(description="所属月份", ordering="month")
    def month_display(self, obj):
        return f"{obj.month:%Y-%m}"

    def add_view(self, request, form_url="", extra_context=None):
        return views.add_dues_payment(request)


@admin.register(DuesBase)
class DuesBaseAdmin(FinanceAccess, ModelAdmin):
    list_display = ["member", "since_display", "base", "rate_display", "created_at"]
    list_select_related = ["member"]
    search_fields = ["member__name", "member__employee_number"]
    fields = ["union", "member", "since", "base", "rate", "created_by", "created_at"]

    @admin.display(description="起始月份", ordering="since")
    def since_display(self, obj):
        return f"{obj.since:%Y-%m}"

    @admin.display(description="会费比例")
    def rate_display(self, obj):
        return dues.percent(obj.rate) if obj.rate is not None else "按本会比例"

    def add_view(self, request, form_url="", extra_context=None):
        return views.set_dues_base(request)


@admin.register(DuesExemption)
class DuesExemptionAdmin(FinanceAccess, ModelAdmin):
    list_display = ["member", "starts_on", "ends_on", "reason", "created_at"]
    list_select_related = ["member"]
    search_fields = ["member__name", "reason"]
    fields = ["union", "member", "starts_on", "ends_on", "reason", "created_by", "created_at"]

    def add_view(self, request, form_url="", extra_context=None):
        return views.add_exemption(request)


@admin.register(DuesImport)
class DuesImportAdmin(FinanceAccess, ModelAdmin):
    list_display = ["month", "original_name", "rows", "total", "paid_on", "created_by"]
    list_select_related = ["created_by"]
    fields = [
        "union",
        "month",
        "paid_on",
        "original_name",
        "rows",
        "total",
        "income",
        "created_by",
        "created_at",
    ]

    def add_view(self, request, form_url="", extra_context=None):
        return redirect("finance:deductions_import")


@admin.register(FinanceSettings)
class FinanceSettingsAdmin(FinanceAccess, ModelAdmin):
    list_display = ["union", "dues_rate", "rounding", "allocation_rate", "upward_share"]
    fields = ["union", "dues_rate", "rounding", "allocation_rate", "upward_share", "updated_at"]

    def add_view(self, request, form_url="", extra_context=None):
        return redirect("finance:settings")


# The employer's allocation -------------------------------------------------------------------


class UpwardTransferInline(TabularInline):
    model = UpwardTransfer
    fields = ["on", "amount", "recipient", "voucher", "created_by"]
    readonly_fields = fields
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
        return obj is None or request.access.can(Perm.VIEW_FINANCE, obj.union_id)


@admin.register(Allocation)
class AllocationAdmin(FinanceAccess, ModelAdmin):
    list_display = [
        "__str__",
        "payroll_total",
        "rate_display",
        "amount_due",
        "received",
        "transferred",
    ]
    fields = [
        "union",
        "starts_on",
        "ends_on",
        "payroll_total",
        "rate",
        "amount_due",
        "received",
        "upward_share",
        "transferred",
        "upward_outstanding",
        "note",
        "created_by",
        "created_at",
    ]
    readonly_fields = ["received", "transferred", "upward_outstanding"]
    inlines = [UpwardTransferInline]
    actions_detail = ["receive", "transfer"]

    @admin.display(description="拨缴比例")
    def rate_display(self, obj):
        return dues.percent(obj.rate)

    @admin.display(description="已到账（元）")
    def received(self, obj):
        return services.allocation_received(obj)

    @admin.display(description="已上解（元）")
    def transferred(self, obj):
        return services.allocation_transferred(obj)

    @admin.display(description="尚未上解（元）")
    def upward_outstanding(self, obj):
        return services.upward_due(obj)

    def add_view(self, request, form_url="", extra_context=None):
        return views.add_allocation(request)

    def _changeable(self, request, object_id) -> Allocation:
        allocation = self.get_object(request, object_id)
        if not request.access.can(Perm.CHANGE_FINANCE, allocation.union_id):
            raise Http404("没有找到该记录")
        return allocation

    @action(description="记录到账", url_path="receive", icon="savings")
    def receive(self, request, object_id):
        return redirect("finance:receive_allocation", self._changeable(request, object_id).pk)

    @action(description="上解上级", url_path="transfer", icon="upload")
    def transfer(self, request, object_id):
        return redirect("finance:transfer_upward", self._changeable(request, object_id).pk)


@admin.register(UpwardTransfer)
class UpwardTransferAdmin(FinanceAccess, ModelAdmin):
    list_display = ["on", "allocation", "amount", "recipient", "voucher"]
    list_select_related = ["allocation"]
    fields = ["union", "allocation", "amount", "on", "recipient", "voucher", "created_by"]

    def has_add_permission(self, request, *args):
        return False


# Audit committee ------------------------------------------------------------------------------


@admin.register(AuditReport)
class AuditReportAdmin(ModelAdmin):
    """Read and filed by audit committee members and chairs of the report's union only."""

    list_display = ["title", "starts_on", "ends_on", "filed_by", "filed_on"]
    list_select_related = ["filed_by"]
    search_fields = ["title", "findings", "conclusion"]
    fields = [
        "union",
        "title",
        "starts_on",
        "ends_on",
        "findings",
        "conclusion",
        "filed_by",
        "filed_on",
        "created_by",
        "created_at",
    ]

    def _unions(self, request):
        access = getattr(request, "access", None)
        return queries.audit_unions(access) if access is not None else []

    def get_queryset(self, request):
        return super().get_queryset(request).filter(union__in=self._unions(request))

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404("没有找到该记录")
        return obj

    def has_module_permission(self, request):
        return bool(self._unions(request))

    def has_view_permission(self, request, obj=None):
        unions = self._unions(request)
        return bool(unions) if obj is None else obj.union_id in unions

    def has_add_permission(self, request, *args):
        return bool(self._unions(request))

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def add_view(self, request, form_url="", extra_context=None):
        return views.add_audit_report(request)
