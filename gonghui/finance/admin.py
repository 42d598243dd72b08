"""Back-office screens for the union's money. Lists are limited to the unions
where the user holds finance.view; every write goes through finance.services.
Payments and income are never edited or deleted in place: they are vouchers."""

from django.contrib import admin
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html
from unfold.admin import ModelAdmin, TabularInline
from unfold.decorators import action

from gonghui.finance import views
from gonghui.finance.models import BudgetAdjustment, BudgetLine, FiscalYear, Income, Payment
from gonghui.orgs.roles import Perm


class FinanceAccess:
    """Access from request.access: view needs finance.view, writes finance.change,
    both in the record's own union. Records of other unions are 404."""

    def _unions(self, request, perm):
        access = getattr(request, "access", None)
        return access.unions_with(perm) if access is not None else []

    def get_queryset(self, request):
        return (
            super().get_queryset(request).filter(union__in=self._unions(request, Perm.VIEW_FINANCE))
        )

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404("没有找到该记录")
        return obj

    def has_module_permission(self, request):
        return bool(self._unions(request, Perm.VIEW_FINANCE))

    def has_view_permission(self, request, obj=None):
        if obj is None:
            return bool(self._unions(request, Perm.VIEW_FINANCE))
        return request.access.can(Perm.VIEW_FINANCE, obj.union_id)

    def has_add_permission(self, request, *args):
        return bool(self._unions(request, Perm.CHANGE_FINANCE))

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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
class PaymentAdmin(EntryAdmin):
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
class IncomeAdmin(EntryAdmin):
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
