"""The union's money: years, budget lines and adjustments, payments and income,
budget execution, the attachments (vouchers, receipts) of a payment; dues
(bases, exemptions, payments, arrears, the union's settings), the employer's
allocation (received, passed upward) and the audit committee's reports.

Every write goes through finance.services. Money is text with two decimals.
"""

import ninja
from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import Path, Query, Router
from ninja.errors import HttpError
from ninja.files import UploadedFile

from gonghui.activities.models import Activity
from gonghui.api import queries_finance as queries
from gonghui.api import schemas
from gonghui.api import schemas_attachments as attachments
from gonghui.api import schemas_finance as shapes
from gonghui.api.access import (
    in_scope,
    member_or_404,
    require,
    union_for_write,
    union_or_404,
    viewable_unions,
)
from gonghui.api.guards import guard
from gonghui.finance import dues, services
from gonghui.finance import queries as finance_queries
from gonghui.finance.models import (
    Allocation,
    AuditReport,
    BudgetLine,
    Category,
    DuesPayment,
    DuesSource,
    FiscalYear,
    Income,
    Payment,
    UpwardTransfer,
)
from gonghui.members.models import Member
from gonghui.orgs.roles import Perm

router = Router(tags=["经费管理"])

FiscalYearId = Path(..., ge=1, le=schemas.MAX_ID, description="预算年度编号")
LineId = Path(..., ge=1, le=schemas.MAX_ID, description="预算科目编号")
PaymentId = Path(..., ge=1, le=schemas.MAX_ID, description="支出编号")
IncomeId = Path(..., ge=1, le=schemas.MAX_ID, description="收入编号")
ERRORS = {400: schemas.ErrorOut, 403: schemas.ErrorOut, 404: schemas.ErrorOut}
NO_VIEW = "您没有查看经费收支的权限"


def _viewable(request) -> list[int]:
    return viewable_unions(request, Perm.VIEW_FINANCE, NO_VIEW)


def _find(request, model, pk: int, perm: str = Perm.VIEW_FINANCE):
    rows = model.objects.filter(pk=pk)
    if model in (Payment, Income):
        rows = rows.select_related("line", "linked_type")
    obj = rows.first()
    if obj is None:
        raise Http404
    require(request, Perm.VIEW_FINANCE, obj.union_id)
    require(request, perm, obj.union_id)
    return obj


def _union_for_write(request, union_id: int):
    return union_for_write(request, union_id, Perm.CHANGE_FINANCE)


# Shapes out ---------------------------------------------------------------------------


def year_out(year) -> dict:
    return {"id": year.id, "union": year.union_id, "year": year.year, "closed": year.closed}


def line_out(line) -> dict:
    return {
        "id": line.id,
        "union": line.union_id,
        "fiscal_year": line.fiscal_year_id,
        "year": line.fiscal_year.year,
        "category": line.category,
        "category_label": line.get_category_display(),
        "kind": line.kind,
        "name": line.name,
        "planned": shapes.money_text(line.planned),
        "budget": shapes.money_text(line.budget),
        "actual": shapes.money_text(line.actual),
    }


def _entry_out(entry) -> dict:
    linked = (
        {"type": entry.linked_type.model, "id": entry.linked_id}
        # A half-set link (a type without a record) links to nothing, not a server error.
        if entry.linked_type_id and entry.linked_id is not None
        else None
    )
    return {
        "id": entry.id,
        "union": entry.union_id,
        "line": entry.line_id,
        "line_name": entry.line.name,
        "category": entry.category,
        "category_label": Category(entry.category).label,
        "on": entry.on,
        "amount": shapes.money_text(entry.amount),
        "voucher": entry.voucher,
        "note": entry.note,
        "linked": linked,
        "created_at": entry.created_at,
    }


def payment_out(payment) -> dict:
    return {
        **_entry_out(payment),
        "payee": payment.payee,
        "over_budget": payment.over_budget,
        "over_budget_reason": payment.over_budget_reason,
    }


def income_out(income) -> dict:
    return {**_entry_out(income), "payer": income.payer}


# Years and lines ------------------------------------------------------------------------


@router.get(
    "/fiscal-years",
    response={200: list[shapes.FiscalYearOut], 403: schemas.ErrorOut},
    summary="预算年度",
)
def list_years(request, filters: Query[shapes.YearFilters]):
    rows = queries.years(union_ids=_viewable(request), union=filters.union)
    return [year_out(y) for y in rows]


@router.get(
    "/budget-lines",
    response={200: list[shapes.LineOut], 403: schemas.ErrorOut},
    summary="预算科目",
)
def list_lines(request, filters: Query[shapes.LineFilters]):
    rows = queries.lines(union_ids=_viewable(request), **filters.dict())
    return [line_out(line) for line in rows]


@router.post(
    "/fiscal-years/{fiscal_year_id}/lines",
    response={201: shapes.LineOut, **ERRORS},
    summary="新增预算科目",
)
@guard(Perm.CHANGE_FINANCE, fiscal_year_id=FiscalYear)
def create_line(request, payload: shapes.LineIn, fiscal_year_id: int = FiscalYearId):
    year = _find(request, FiscalYear, fiscal_year_id, Perm.CHANGE_FINANCE)
    line = services.add_line(
        fiscal_year=year,
        category=payload.category,
        name=payload.name,
        planned=payload.planned,
        actor=request.auth,
    )
    return ninja.Status(201, line_out(line))


@router.post(
    "/budget-lines/{line_id}/adjustments",
    response={201: shapes.AdjustmentOut, **ERRORS},
    summary="调整预算（增加为正数，减少为负数）",
)
@guard(Perm.CHANGE_FINANCE, line_id=BudgetLine)
def adjust_budget(request, payload: shapes.AdjustmentIn, line_id: int = LineId):
    line = _find(request, BudgetLine, line_id, Perm.CHANGE_FINANCE)
    adjustment = services.adjust_budget(
        line=line, delta=payload.delta, reason=payload.reason, actor=request.auth
    )
    line = BudgetLine.objects.select_related("fiscal_year").get(pk=line.pk)
    body = {
        "id": adjustment.id,
        "line": line_out(line),
        "delta": shapes.money_text(adjustment.delta),
        "reason": adjustment.reason,
        "created_at": adjustment.created_at,
    }
    return ninja.Status(201, body)


@router.get(
    "/budget-execution",
    response={200: list[shapes.ExecutionOut], **ERRORS},
    summary="预算执行情况（按科目）",
)
def budget_execution(request, filters: Query[shapes.ExecutionFilters]):
    union = union_or_404(request, filters.union)
    require(request, Perm.VIEW_FINANCE, union.id)
    rows = finance_queries.budget_execution(unions=[union], year=filters.year, kind=filters.kind)
    return [
        {
            "line": row.line.id,
            "union": row.line.union_id,
            "category": row.line.category,
            "category_label": row.line.get_category_display(),
            "name": row.line.name,
            "budget": shapes.money_text(row.budget),
            "actual": shapes.money_text(row.actual),
            "remaining": shapes.money_text(row.remaining),
            "share": None if row.share is None else f"{row.share:f}",
            "level": row.level,
        }
        for row in rows
    ]


# Payments and income ---------------------------------------------------------------------


def _entry_arguments(request, payload: shapes.EntryIn) -> dict:
    union = _union_for_write(request, payload.union)
    line = in_scope(BudgetLine, payload.line, "line", "未找到所选预算科目")
    activity = None
    if payload.activity is not None:
        activity = Activity.objects.filter(pk=payload.activity, union=union).first()
        if activity is None:
            raise ValidationError({"activity": "未找到所选活动"})
    return {
        "union": union,
        "line": line,
        "amount": payload.amount,
        "on": payload.on,
        "voucher": payload.voucher,
        "note": payload.note,
        "idempotency_key": payload.idempotency_key,
        "activity": activity,
    }


@router.get("/payments", response={200: shapes.PaymentPage, **ERRORS}, summary="支出列表")
def list_payments(request, filters: Query[shapes.EntryFilters]):
    """Payments in id order, `limit` per page; pass `next_cursor` back as `cursor`."""
    rows, next_cursor = queries.entries(Payment, union_ids=_viewable(request), **filters.dict())
    return {"items": [payment_out(p) for p in rows], "next_cursor": next_cursor}


@router.post(
    "/payments",
    response={200: shapes.PaymentOut, 201: shapes.PaymentOut, **ERRORS},
    summary="记录支出（同一防重复提交标识只记录一次）",
)
def create_payment(request, payload: shapes.PaymentIn):
    """201 with the new payment; 200 with the first one when the key was used before."""
    arguments = _entry_arguments(request, payload)
    repeated = Payment.objects.filter(
        union=arguments["union"], idempotency_key=payload.idempotency_key
    ).exists()
    payment = services.record_payment(
        **{k: v for k, v in arguments.items() if k != "activity"},
        pays_for=arguments["activity"],
        payee=payload.payee,
        over_budget_reason=payload.over_budget_reason,
        actor=request.auth,
    )
    payment = Payment.objects.select_related("line", "linked_type").get(pk=payment.pk)
    return ninja.Status(200 if repeated else 201, payment_out(payment))


@router.get(
    "/payments/{payment_id}", response={200: shapes.PaymentOut, **ERRORS}, summary="支出详情"
)
def get_payment(request, payment_id: int = PaymentId):
    return payment_out(_find(request, Payment, payment_id))


@router.get("/income", response={200: shapes.IncomePage, **ERRORS}, summary="收入列表")
def list_income(request, filters: Query[shapes.EntryFilters]):
    """Income in id order, `limit` per page; pass `next_cursor` back as `cursor`."""
    rows, next_cursor = queries.entries(Income, union_ids=_viewable(request), **filters.dict())
    return {"items": [income_out(i) for i in rows], "next_cursor": next_cursor}


@router.post(
    "/income",
    response={200: shapes.IncomeOut, 201: shapes.IncomeOut, **ERRORS},
    summary="记录收入（同一防重复提交标识只记录一次）",
)
def create_income(request, payload: shapes.IncomeIn):
    """201 with the new income; 200 with the first one when the key was used before."""
    arguments = _entry_arguments(request, payload)
    repeated = Income.objects.filter(
        union=arguments["union"], idempotency_key=payload.idempotency_key
    ).exists()
    income = services.record_income(
        **{k: v for k, v in arguments.items() if k != "activity"},
        received_for=arguments["activity"],
        payer=payload.payer,
        actor=request.auth,
    )
    income = Income.objects.select_related("line", "linked_type").get(pk=income.pk)
    return ninja.Status(200 if repeated else 201, income_out(income))


@router.get("/income/{income_id}", response={200: shapes.IncomeOut, **ERRORS}, summary="收入详情")
def get_income(request, income_id: int = IncomeId):
    return income_out(_find(request, Income, income_id))


# Attachments of a payment ------------------------------------------------------------------


@router.get(
    "/payments/{payment_id}/attachments",
    response={200: list[attachments.AttachmentOut], **ERRORS},
    summary="支出的附件",
)
def list_payment_attachments(request, payment_id: int = PaymentId):
    return attachments.list_for(_find(request, Payment, payment_id))


@router.post(
    "/payments/{payment_id}/attachments",
    response={201: attachments.AttachmentOut, **ERRORS},
    summary="上传支出的附件（发票、收据的照片或扫描件）",
)
@guard(Perm.CHANGE_FINANCE, payment_id=Payment)
def upload_payment_attachment(
    request, payment_id: int = PaymentId, file: UploadedFile = attachments.UploadFile
):
    payment = _find(request, Payment, payment_id, Perm.CHANGE_FINANCE)
    return attachments.upload_to(request, payment, file)


# Dues -------------------------------------------------------------------------------------

MemberId = Path(..., ge=1, le=schemas.MAX_ID, description="会员编号")
AllocationId = Path(..., ge=1, le=schemas.MAX_ID, description="拨缴经费编号")
NO_AUDIT = "只有经审委员和工会主席可以查看和提交经审报告"


def _member_for_write(request, member_id: int, field: str = "member") -> Member:
    member = in_scope(Member, member_id, field, "未找到所选会员")
    require(request, Perm.CHANGE_FINANCE, member.union_id)
    return member


def settings_out(found) -> dict:
    return {
        "union": found.union_id,
        "dues_rate": shapes.rate_text(found.dues_rate),
        "rounding": found.rounding,
        "rounding_label": found.get_rounding_display(),
        "allocation_rate": shapes.rate_text(found.allocation_rate),
        "upward_share": shapes.rate_text(found.upward_share),
        "saved": found.pk is not None,
    }


def exemption_out(exemption) -> dict:
    return {
        "id": exemption.id,
        "union": exemption.union_id,
        "member": exemption.member_id,
        "member_name": exemption.member.name,
        "starts_on": shapes.month_text(exemption.starts_on),
        "ends_on": shapes.month_text(exemption.ends_on) if exemption.ends_on else None,
        "reason": exemption.reason,
        "created_at": exemption.created_at,
    }


def dues_payment_out(payment) -> dict:
    return {
        "id": payment.id,
        "union": payment.union_id,
        "member": payment.member_id,
        "member_name": payment.member.name,
        "month": shapes.month_text(payment.month),
        "amount": shapes.money_text(payment.amount),
        "paid_on": payment.paid_on,
        "source": payment.source,
        "source_label": DuesSource(payment.source).label,
        "income": payment.income_id,
        "created_at": payment.created_at,
    }


@router.get(
    "/finance-settings", response={200: shapes.SettingsOut, **ERRORS}, summary="工会经费设置"
)
def get_settings(request, filters: Query[shapes.SettingsFilters]):
    union = union_or_404(request, filters.union)
    require(request, Perm.VIEW_FINANCE, union.id)
    return settings_out(dues.settings_for(union.id))


@router.put(
    "/finance-settings",
    response={200: shapes.SettingsOut, **ERRORS},
    summary="修改工会经费设置（会费比例、取整规则、拨缴比例、上解比例）",
)
def update_settings(request, payload: shapes.SettingsIn):
    union = _union_for_write(request, payload.union)
    found = services.update_finance_settings(
        union=union,
        dues_rate=payload.dues_rate,
        rounding=payload.rounding,
        allocation_rate=payload.allocation_rate,
        upward_share=payload.upward_share,
        actor=request.auth,
    )
    return settings_out(found)


@router.put(
    "/members/{member_id}/dues-base",
    response={200: shapes.DuesBaseOut, **ERRORS},
    summary="设置会员的会费基数（同一起始月份再次设置即更正）",
)
@guard(Perm.CHANGE_FINANCE, member_id=Member)
def set_dues_base(request, payload: shapes.DuesBaseIn, member_id: int = MemberId):
    member = member_or_404(request, member_id, Perm.VIEW_FINANCE)
    require(request, Perm.CHANGE_FINANCE, member.union_id)
    base = services.set_dues_base(
        member=member,
        base=payload.base,
        since=payload.since,
        rate=payload.rate,
        actor=request.auth,
    )
    return {
        "id": base.id,
        "union": base.union_id,
        "member": base.member_id,
        "since": shapes.month_text(base.since),
        "base": shapes.money_text(base.base),
        "rate": shapes.rate_text(base.rate),
    }


@router.get(
    "/dues-exemptions", response={200: shapes.ExemptionPage, **ERRORS}, summary="会费免缴列表"
)
def list_exemptions(request, filters: Query[shapes.ExemptionFilters]):
    """Exemptions in id order, `limit` per page; pass `next_cursor` back as `cursor`."""
    rows, next_cursor = queries.exemptions(union_ids=_viewable(request), **filters.dict())
    return {"items": [exemption_out(e) for e in rows], "next_cursor": next_cursor}


@router.post(
    "/dues-exemptions", response={201: shapes.ExemptionOut, **ERRORS}, summary="登记会费免缴"
)
def create_exemption(request, payload: shapes.ExemptionIn):
    member = _member_for_write(request, payload.member)
    exemption = services.exempt_from_dues(
        member=member,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        reason=payload.reason,
        actor=request.auth,
    )
    return ninja.Status(201, exemption_out(exemption))


@router.get(
    "/dues-payments", response={200: shapes.DuesPaymentPage, **ERRORS}, summary="会费缴纳列表"
)
def list_dues_payments(request, filters: Query[shapes.DuesPaymentFilters]):
    """Dues payments in id order, `limit` per page; pass `next_cursor` back as `cursor`."""
    rows, next_cursor = queries.dues_payments(union_ids=_viewable(request), **filters.dict())
    return {"items": [dues_payment_out(p) for p in rows], "next_cursor": next_cursor}


@router.post(
    "/dues-payments",
    response={200: shapes.DuesPaymentOut, 201: shapes.DuesPaymentOut, **ERRORS},
    summary="记录会费缴纳（同一防重复提交标识只记录一次）",
)
def create_dues_payment(request, payload: shapes.DuesPaymentIn):
    """201 with the new payment; 200 with the first one when the key was used before."""
    member = _member_for_write(request, payload.member)
    repeated = DuesPayment.objects.filter(
        union_id=member.union_id, idempotency_key=payload.idempotency_key
    ).exists()
    payment = services.record_dues_payment(
        member=member,
        month=payload.month,
        amount=payload.amount,
        paid_on=payload.paid_on,
        source=payload.source,
        voucher=payload.voucher,
        idempotency_key=payload.idempotency_key,
        actor=request.auth,
    )
    payment = DuesPayment.objects.select_related("member").get(pk=payment.pk)
    return ninja.Status(200 if repeated else 201, dues_payment_out(payment))


@router.get(
    "/dues-arrears",
    response={200: list[shapes.ArrearsGroupOut], **ERRORS},
    summary="欠缴会费名单（按工会小组，截至所选月份）",
)
def list_arrears(request, filters: Query[shapes.ArrearsFilters]):
    union = union_or_404(request, filters.union)
    require(request, Perm.VIEW_FINANCE, union.id)
    return [
        {
            "group": group["group"],
            "group_name": group["group_name"],
            "total": shapes.money_text(group["total"]),
            "members": [
                {
                    "member": row.member.pk,
                    "name": row.member.name,
                    "total": shapes.money_text(row.total),
                    "months": [
                        {"month": shapes.month_text(m), "amount": shapes.money_text(a)}
                        for m, a in row.months
                    ],
                }
                for row in group["rows"]
            ],
        }
        for group in queries.arrears_by_group(union=union, month=filters.month)
    ]


# The employer's allocation -------------------------------------------------------------------


def allocation_out(allocation) -> dict:
    return {
        "id": allocation.id,
        "union": allocation.union_id,
        "starts_on": allocation.starts_on,
        "ends_on": allocation.ends_on,
        "payroll_total": shapes.money_text(allocation.payroll_total),
        "rate": shapes.rate_text(allocation.rate),
        "amount_due": shapes.money_text(allocation.amount_due),
        "upward_share": shapes.rate_text(allocation.upward_share),
        "received": shapes.money_text(services.allocation_received(allocation)),
        "transferred": shapes.money_text(services.allocation_transferred(allocation)),
        "upward_due": shapes.money_text(services.upward_due(allocation)),
        "note": allocation.note,
        "created_at": allocation.created_at,
    }


@router.get("/allocations", response={200: shapes.AllocationPage, **ERRORS}, summary="拨缴经费列表")
def list_allocations(request, filters: Query[shapes.AllocationFilters]):
    """Allocations in id order, `limit` per page; pass `next_cursor` back as `cursor`."""
    rows, next_cursor = queries.allocations(union_ids=_viewable(request), **filters.dict())
    return {"items": [allocation_out(a) for a in rows], "next_cursor": next_cursor}


@router.post(
    "/allocations",
    response={201: shapes.AllocationOut, **ERRORS},
    summary="登记拨缴经费（工资总额 × 拨缴比例）",
)
def create_allocation(request, payload: shapes.AllocationIn):
    union = _union_for_write(request, payload.union)
    allocation = services.record_allocation(
        union=union,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        payroll_total=payload.payroll_total,
        rate=payload.rate,
        upward_share=payload.upward_share,
        note=payload.note,
        actor=request.auth,
    )
    return ninja.Status(201, allocation_out(allocation))


@router.post(
    "/allocations/{allocation_id}/receipts",
    response={200: shapes.IncomeOut, 201: shapes.IncomeOut, **ERRORS},
    summary="拨缴经费到账（记为拨缴经费收入；同一防重复提交标识只记录一次）",
)
@guard(Perm.CHANGE_FINANCE, allocation_id=Allocation)
def receive_allocation(request, payload: shapes.ReceiptIn, allocation_id: int = AllocationId):
    allocation = _find(request, Allocation, allocation_id, Perm.CHANGE_FINANCE)
    repeated = Income.objects.filter(
        union_id=allocation.union_id, idempotency_key=payload.idempotency_key
    ).exists()
    income = services.receive_allocation(
        allocation=allocation,
        amount=payload.amount,
        on=payload.on,
        voucher=payload.voucher,
        payer=payload.payer,
        idempotency_key=payload.idempotency_key,
        actor=request.auth,
    )
    income = Income.objects.select_related("line", "linked_type").get(pk=income.pk)
    return ninja.Status(200 if repeated else 201, income_out(income))


@router.post(
    "/allocations/{allocation_id}/transfers",
    response={200: shapes.TransferOut, 201: shapes.TransferOut, **ERRORS},
    summary="上解上级经费（同一防重复提交标识只记录一次）",
)
@guard(Perm.CHANGE_FINANCE, allocation_id=Allocation)
def transfer_upward(request, payload: shapes.TransferIn, allocation_id: int = AllocationId):
    allocation = _find(request, Allocation, allocation_id, Perm.CHANGE_FINANCE)
    repeated = UpwardTransfer.objects.filter(
        union_id=allocation.union_id, idempotency_key=payload.idempotency_key
    ).exists()
    transfer = services.transfer_upward(
        allocation=allocation,
        amount=payload.amount,
        on=payload.on,
        recipient=payload.recipient,
        voucher=payload.voucher,
        idempotency_key=payload.idempotency_key,
        actor=request.auth,
    )
    body = {
        "id": transfer.id,
        "union": transfer.union_id,
        "allocation": transfer.allocation_id,
        "amount": shapes.money_text(transfer.amount),
        "on": transfer.on,
        "recipient": transfer.recipient,
        "voucher": transfer.voucher,
        "created_at": transfer.created_at,
    }
    return ninja.Status(200 if repeated else 201, body)


# Audit committee -------------------------------------------------------------------------------


def _audit_unions(request) -> list[int]:
    readable = set(request.access.read)
    union_ids = [u for u in finance_queries.audit_unions(request.access) if u in readable]
    if not union_ids:
        raise HttpError(403, NO_AUDIT)
    return union_ids


def audit_report_out(report) -> dict:
    return {
        "id": report.id,
        "union": report.union_id,
        "title": report.title,
        "starts_on": report.starts_on,
        "ends_on": report.ends_on,
        "findings": report.findings,
        "conclusion": report.conclusion,
        "filed_by": report.filed_by_id,
        "filed_by_name": report.filed_by.name,
        "filed_on": report.filed_on,
        "created_at": report.created_at,
    }


@router.get(
    "/audit-reports", response={200: shapes.AuditReportPage, **ERRORS}, summary="经审报告列表"
)
def list_audit_reports(request, filters: Query[shapes.AuditFilters]):
    """Reports of the unions where the caller is on the audit committee or chair."""
    rows, next_cursor = queries.audit_reports(union_ids=_audit_unions(request), **filters.dict())
    return {"items": [audit_report_out(r) for r in rows], "next_cursor": next_cursor}


@router.post(
    "/audit-reports",
    response={201: shapes.AuditReportOut, **ERRORS},
    summary="提交经审报告（报告人须为本工会经审委员）",
)
def create_audit_report(request, payload: shapes.AuditReportIn):
    allowed = _audit_unions(request)
    try:
        union = union_or_404(request, payload.union)
    except Http404:
        raise ValidationError({"union": "未找到该工会"}) from None
    if union.id not in allowed:
        raise HttpError(403, NO_AUDIT)
    filed_by = in_scope(Member, payload.filed_by, "filed_by", "未找到所选报告人")
    report = services.file_audit_report(
        union=union,
        title=payload.title,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        findings=payload.findings,
        conclusion=payload.conclusion,
        filed_by=filed_by,
        filed_on=payload.filed_on,
        actor=request.auth,
    )
    report = AuditReport.objects.select_related("filed_by").get(pk=report.pk)
    return ninja.Status(201, audit_report_out(report))
