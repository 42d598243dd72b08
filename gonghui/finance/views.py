"""The money screens that are more than a model list, inside the admin shell.

Each view finds its objects through the scoped managers, limited to the
unions where the user holds the finance permission, and calls one service.
"""

import tempfile
from dataclasses import asdict
from decimal import Decimal

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from gonghui.finance import deductions, dues, queries, services, statements
from gonghui.finance.forms import (
    AdjustmentForm,
    AllocationForm,
    AllocationReceiptForm,
    AuditReportForm,
    DeductionUploadForm,
    DuesBaseForm,
    DuesExemptionForm,
    DuesPaymentForm,
    FinanceSettingsForm,
    FiscalYearForm,
    IncomeForm,
    LineForm,
    PaymentForm,
    ServiceForm,
    UpwardTransferForm,
)
from gonghui.finance.models import Allocation, BudgetLine, FiscalYear, Kind
from gonghui.orgs.models import Group, Union
from gonghui.orgs.roles import Perm
from gonghui.periods import Period


def unions_with(request, perm: str):
    return Union.objects.filter(pk__in=request.access.unions_with(perm))


def _require(request, perm: str):
    unions = unions_with(request, perm)
    if not unions.exists():
        raise PermissionDenied("您没有经费管理的权限")
    return unions


def _chosen_union(request, perm: str) -> Union:
    """The union named in ?union=, or the first the user may act for; 404 for any other."""
    allowed = request.access.unions_with(perm)
    if not allowed:
        raise PermissionDenied("您没有经费管理的权限")
    wanted = request.GET.get("union")
    union_id = int(wanted) if wanted and wanted.isdigit() else allowed[0]
    if union_id not in allowed:
        raise Http404("没有找到该工会")
    return Union.objects.get(pk=union_id)


def _int_param(request, name: str, default: int | None) -> int | None:
    raw = request.GET.get(name, "")
    return int(raw) if raw.isdigit() else default


def _form_page(request, *, form, title: str, intro: str = "", submit: str = "保存"):
    context = {
        **admin.site.each_context(request),
        "title": title,
        "form": form,
        "intro": intro,
        "submit": submit,
    }
    return render(request, "finance/form.html", context)


# Entry forms (mounted as the admin's add views) -------------------------------------


def _entry(request, *, form_class, record, done_url: str, title: str):
    unions = _require(request, Perm.CHANGE_FINANCE)
    form = form_class(request.POST or None, unions=unions)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            entry = record(data, actor=request.user)
        except ValidationError as e:
            form.add_service_errors(e)
        else:
            messages.success(request, f"已记录：{entry}")
            return redirect(done_url)
    return _form_page(request, form=form, title=title)


def add_payment(request):
    def record(data, *, actor):
        return services.record_payment(
            union=data["union"],
            amount=data["amount"],
            line=data["line"],
            on=data["on"],
            payee=data["payee"],
            voucher=data["voucher"],
            note=data["note"],
            over_budget_reason=data["over_budget_reason"],
            idempotency_key=data["idempotency_key"],
            actor=actor,
        )

    return _entry(
        request,
        form_class=PaymentForm,
        record=record,
        done_url=reverse("admin:finance_payment_changelist"),
        title="记录支出",
    )


def add_income(request):
    def record(data, *, actor):
        return services.record_income(
            union=data["union"],
            amount=data["amount"],
            line=data["line"],
            on=data["on"],
            payer=data["payer"],
            voucher=data["voucher"],
            note=data["note"],
            idempotency_key=data["idempotency_key"],
            actor=actor,
        )

    return _entry(
        request,
        form_class=IncomeForm,
        record=record,
        done_url=reverse("admin:finance_income_changelist"),
        title="记录收入",
    )


def add_year(request):
    unions = _require(request, Perm.CHANGE_FINANCE)
    form = FiscalYearForm(request.POST or None, unions=unions)
    if request.method == "POST" and form.is_valid():
        try:
            year = services.open_year(
                union=form.cleaned_data["union"], year=form.cleaned_data["year"], actor=request.user
            )
        except ValidationError as e:
            form.add_service_errors(e)
        else:
            messages.success(request, f"已建立{year}，请添加预算项目")
            return redirect("admin:finance_fiscalyear_change", year.pk)
    return _form_page(request, form=form, title="建立预算年度")


# Budget lines ------------------------------------------------------------------


def _changeable_year(request, pk) -> FiscalYear:
    return get_object_or_404(
        FiscalYear.objects.filter(union__in=request.access.unions_with(Perm.CHANGE_FINANCE)),
        pk=pk,
    )


def _changeable_line(request, pk) -> BudgetLine:
    return get_object_or_404(
        BudgetLine.objects.filter(
            union__in=request.access.unions_with(Perm.CHANGE_FINANCE)
        ).select_related("fiscal_year"),
        pk=pk,
    )


def add_line(request, year_id):
    return admin.site.admin_view(_add_line)(request, year_id)


def _add_line(request, year_id):
    fiscal_year = _changeable_year(request, year_id)
    form = LineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            line = services.add_line(
                fiscal_year=fiscal_year, actor=request.user, **form.cleaned_data
            )
        except ValidationError as e:
            form.add_service_errors(e)
        else:
            messages.success(request, f"已添加预算项目：{line}")
            return redirect("admin:finance_fiscalyear_change", fiscal_year.pk)
    return _form_page(request, form=form, title=f"{fiscal_year}：添加预算项目")


def adjust_line(request, line_id):
    return admin.site.admin_view(_adjust_line)(request, line_id)


def _adjust_line(request, line_id):
    line = _changeable_line(request, line_id)
    form = AdjustmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.adjust_budget(line=line, actor=request.user, **form.cleaned_data)
        except ValidationError as e:
            form.add_service_errors(e)
        else:
            messages.success(request, f"已调整“{line.name}”的预算，调整后为{line.budget}元")
            return redirect("admin:finance_fiscalyear_change", line.fiscal_year_id)
    intro = f"{line}：年初预算{line.planned}元，当前预算{line.budget}元，已执行{line.actual}元。"
    return _form_page(request, form=form, title="调整预算", intro=intro)


def close_year(request, year_id):
    return admin.site.admin_view(_close_year)(request, year_id)


def _close_year(request, year_id):
    fiscal_year = _changeable_year(request, year_id)
    form = ServiceForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            services.close_year(fiscal_year=fiscal_year, actor=request.user)
        except ValidationError as e:
            form.add_service_errors(e)
        else:
            messages.success(request, f"{fiscal_year.union} {fiscal_year}已结账")
            return redirect("admin:finance_fiscalyear_change", fiscal_year.pk)
    intro = (
        f"结账后，{fiscal_year.union} {fiscal_year}不能再记录收入、支出，"
        "也不能再添加预算项目或调整预算。确定结账吗？"
    )
    return _form_page(
        request, form=form, title=f"{fiscal_year}结账", intro=intro, submit="确认结账"
    )


# Budget execution ----------------------------------------------------------------


def execution(request):
    return admin.site.admin_view(_execution)(request)


def _execution(request):
    union = _chosen_union(request, Perm.VIEW_FINANCE)
    years = list(
        FiscalYear.objects.filter(union=union).order_by("-year").values_list("year", flat=True)
    )
    year = _int_param(request, "year", years[0] if years else timezone.localdate().year)
    sections = []
    for kind, title in ((Kind.EXPENDITURE, "支出预算执行"), (Kind.INCOME, "收入预算完成")):
        rows = queries.budget_execution(unions=[union.pk], year=year, kind=kind)
        budget = sum((r.budget for r in rows), queries.ZERO)
        actual = sum((r.actual for r in rows), queries.ZERO)
        total = queries.Execution(line=None, budget=budget, actual=actual)
        sections.append({"kind": kind, "title": title, "rows": rows, "total": total})
    context = {
        **admin.site.each_context(request),
        "title": f"{union.name} {year}年度预算执行情况",
        "union": union,
        "year": year,
        "years": years,
        "sections": sections,
        "unions": unions_with(request, Perm.VIEW_FINANCE),
        "can_change": request.access.can(Perm.CHANGE_FINANCE, union.pk),
    }
    return render(request, "finance/execution.html", context)


# Statements ------------------------------------------------------------------------


def _statement_period(request) -> tuple[Period, int, int | None]:
    year = _int_param(request, "year", timezone.localdate().year)
    month = _int_param(request, "month", None)
    if not 2000 <= year <= 2100 or (month is not None and not 1 <= month <= 12):
        raise Http404("没有这个期间")
    return statements.period_of(year, month), year, month


def statement(request):
    return admin.site.admin_view(_statement)(request)


def _statement(request):
    union = _chosen_union(request, Perm.VIEW_FINANCE)
    period, year, month = _statement_period(request)
    figures = queries.statement(unions=[union.pk], period=period)
    context = {
        **admin.site.each_context(request),
        "title": f"{union.name} {statements.period_label(year, month)}收支报表",
        "union": union,
        "year": year,
        "month": month,
        "months": range(1, 13),
        "period": period,
        "statement": figures,
        "rows": list(zip(figures["income"], figures["expenditure"], strict=True)),
        "balance": figures["income_total"] - figures["expenditure_total"],
        "unions": unions_with(request, Perm.VIEW_FINANCE),
    }
    return render(request, "finance/statement.html", context)


def statement_xlsx(request):
    return admin.site.admin_view(_statement_xlsx)(request)


def _statement_xlsx(request):
    union = _chosen_union(request, Perm.VIEW_FINANCE)
    _period, year, month = _statement_period(request)
    content = statements.workbook(union=union, year=year, month=month)
    name = f"statement-{union.code}-{year}{f'-{month:02d}' if month else ''}.xlsx"
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# Dues ---------------------------------------------------------------------------------------


def _fraction(percent) -> Decimal | None:
    """A rate typed as a percentage (0.5 for 0.5%) as the fraction services expect."""
    return None if percent in (None, "") else Decimal(percent) / 100


def add_dues_payment(request):
    unions = _require(request, Perm.CHANGE_FINANCE)
    form = DuesPaymentForm(request.POST or None, unions=unions)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            payment = services.record_dues_payment(
                member=data["member"],
                month=data["month"],
                amount=data["amount"],
                paid_on=data["paid_on"],
                source=data["source"],
                voucher=data["voucher"],
                idempotency_key=data["idempotency_key"],
                actor=request.user,
            )
        except ValidationError as e:
            form.add_service_errors(e)
        else:
            messages.success(request, f"已记录：{payment}，并记入会费收入")
            return redirect("admin:finance_duespayment_changelist")
    return _form_page(request, form=form, title="记录会费缴纳")


def set_dues_base(request):
    unions = _require(request, Perm.CHANGE_FINANCE)
    form = DuesBaseForm(request.POST or None, unions=unions)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            base = services.set_dues_base(
                member=data["member"],
                base=data["base"],
                since=data["since"],
                rate=_fraction(data["rate"]),
                actor=request.user,
            )
        except ValidationError as e:
            form.add_service_errors(e)
        else:
            messages.success(request, f"已设置会费基数：{base}")
            return redirect("admin:finance_duesbase_changelist")
    return _form_page(request, form=form, title="设置会费基数")


def add_exemption(request):
    unions = _require(request, Perm.CHANGE_FINANCE)
    form = DuesExemptionForm(request.POST or None, unions=unions)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            exemption = services.exempt_from_dues(
                member=data["member"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                reason=data["reason"],
                actor=request.user,
            )
        except ValidationError as e:
            form.add_service_errors(e)
        else:
            messages.success(request, f"已登记：{exemption}")
            return redirect("admin:finance_duesexemption_changelist")
    return _form_page(request, form=form, title="登记会费免缴")


def finance_settings(request):
    return admin.site.admin_view(_finance_settings)(request)


def _finance_settings(request):
    union = _chosen_union(request, Perm.CHANGE_FINANCE)
    current = dues.settings_for(union.pk)
    initial = {
        "dues_rate": current.dues_rate * 100,
        "rounding": current.rounding,
        "allocation_rate": current.allocation_rate * 100,
        "upward_share": current.upward_share * 100,
    }
    form = FinanceSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_finance_settings(
                union=union,
                dues_rate=_fraction(data["dues_rate"]),
                rounding=data["rounding"],
                allocation_rate=_fraction(data["allocation_rate"]),
                upward_share=_fraction(data["upward_share"]),
                actor=request.user,
            )
        except ValidationError as e:
            form.add_service_errors(e)
        else:
            messages.success(request, f"已保存{union.name}的会费与拨缴经费设置")
            return redirect(reverse("finance:settings") + f"?union={union.pk}")
    return _form_page(request, form=form, title=f"{union.name}：会费与拨缴经费设置")


def deductions_import(request):
    return admin.site.admin_view(_deductions_import)(request)


def _deductions_import(request):
    unions = _require(request, Perm.CHANGE_FINANCE)
    form = DeductionUploadForm(request.POST or None, request.FILES or None, unions=unions)
    outcome = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data["file"]
        with tempfile.NamedTemporaryFile(suffix=".xlsx") as stored:
            for chunk in upload.chunks():
                stored.write(chunk)
            stored.flush()
            outcome = deductions.import_deductions(
                union=data["union"],
                path=stored.name,
                month=data["month"],
                paid_on=data["paid_on"],
                voucher=data["voucher"],
                original_name=upload.name,
                idempotency_key=data["idempotency_key"],
                actor=request.user,
            )
        if outcome.written:
            batch = outcome.batch
            messages.success(
                request,
                f"已导入{dues.month_label(batch.month)}工资代扣会费{batch.rows}笔，"
                f"合计{batch.total}元，已记入会费收入",
            )
            return redirect("admin:finance_duesimport_changelist")
    context = {
        **admin.site.each_context(request),
        "title": "导入工资代扣会费",
        "form": form,
        "outcome": outcome,
        "errors": [asdict(e) for e in outcome.errors] if outcome else [],
        "max_mb": settings.MEMBER_IMPORT_MAX_BYTES // 1048576,
    }
    return render(request, "finance/deductions_import.html", context)


def arrears_list(request):
    return admin.site.admin_view(_arrears_list)(request)


def _arrears_list(request):
    union = _chosen_union(request, Perm.VIEW_FINANCE)
    groups = list(Group.objects.filter(union=union).order_by("name"))
    group_id = _int_param(request, "group", None)
    group = next((g for g in groups if g.pk == group_id), None)
    if group_id is not None and group is None:
        raise Http404("没有找到该小组")
    on = timezone.localdate()
    rows = queries.arrears(unions=[union.pk], on=on, group=group)
    names = {g.pk: g.name for g in groups}
    by_group: dict[str, list] = {}
    for row in sorted(rows, key=lambda r: (names.get(r.member.group_id, "~"), r.member.name)):
        by_group.setdefault(names.get(row.member.group_id, "未分组"), []).append(row)
    context = {
        **admin.site.each_context(request),
        "title": f"{union.name} 会费欠缴名单",
        "union": union,
        "unions": unions_with(request, Perm.VIEW_FINANCE),
        "groups": groups,
        "group": group,
        "on": on,
        "by_group": by_group,
        "count": len(rows),
        "total": sum((r.total for r in rows), queries.ZERO),
    }
    return render(request, "finance/arrears.html", context)


# The employer's allocation ---------------------------------------------------------------


def add_allocation(request):
    unions = _require(request, Perm.CHANGE_FINANCE)
    form = AllocationForm(request.POST or None, unions=unions)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            allocation = services.record_allocation(
                union=data["union"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                payroll_total=data["payroll_total"],
                rate=_fraction(data["rate"]),
                upward_share=_fraction(data["upward_share"]),
                note=data["note"],
                actor=request.user,
            )
        except ValidationError as e:
            form.add_service_errors(e)
        else:
            messages.success(request, f"已登记{allocation}，应拨缴{allocation.amount_due}元")
            return redirect("admin:finance_allocation_change", allocation.pk)
    return _form_page(request, form=form, title="登记拨缴经费")


def _changeable_allocation(request, pk) -> Allocation:
    return get_object_or_404(
        Allocation.objects.filter(union__in=request.access.unions_with(Perm.CHANGE_FINANCE)),
        pk=pk,
    )


def receive_allocation(request, allocation_id):
    return admin.site.admin_view(_receive_allocation)(request, allocation_id)


def _receive_allocation(request, allocation_id):
    allocation = _changeable_allocation(request, allocation_id)
    form = AllocationReceiptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            income = services.receive_allocation(
                allocation=allocation, actor=request.user, **form.cleaned_data
            )
        except ValidationError as e:
            form.add_service_errors(e)
        else:
            messages.success(request, f"已记入拨缴经费收入：{income}")
            return redirect("admin:finance_allocation_change", allocation.pk)
    received = services.allocation_received(allocation)
    intro = (
        f"{allocation}：工资总额{allocation.payroll_total}元，应拨缴{allocation.amount_due}元，"
        f"已到账{received}元。"
    )
    return _form_page(request, form=form, title="记录拨缴经费到账", intro=intro)


def transfer_upward(request, allocation_id):
    return admin.site.admin_view(_transfer_upward)(request, allocation_id)


def _transfer_upward(request, allocation_id):
    allocation = _changeable_allocation(request, allocation_id)
    due = services.upward_due(allocation)
    form = UpwardTransferForm(request.POST or None, initial={"amount": due})
    if request.method == "POST" and form.is_valid():
        try:
            transfer = services.transfer_upward(
                allocation=allocation, actor=request.user, **form.cleaned_data
            )
        except ValidationError as e:
            form.add_service_errors(e)
        else:
            messages.success(request, f"已记录：{transfer}")
            return redirect("admin:finance_allocation_change", allocation.pk)
    intro = (
        f"{allocation}：已到账{services.allocation_received(allocation)}元，"
        f"按{dues.percent(allocation.upward_share)}应上解，尚余{due}元未上解。"
    )
    return _form_page(request, form=form, title="上解上级经费", intro=intro)


# Audit committee -------------------------------------------------------------------------------


def add_audit_report(request):
    allowed = queries.audit_unions(request.access)
    if not allowed:
        raise PermissionDenied("只有经审委员和工会主席可以填报经审报告")
    unions = Union.objects.filter(pk__in=allowed)
    form = AuditReportForm(request.POST or None, unions=unions, auditors=queries.auditors(allowed))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            report = services.file_audit_report(actor=request.user, **data)
        except ValidationError as e:
            form.add_service_errors(e)
        else:
            messages.success(request, f"已提交经审报告：{report}")
            return redirect("admin:finance_auditreport_changelist")
    return _form_page(request, form=form, title="填报经审报告")
