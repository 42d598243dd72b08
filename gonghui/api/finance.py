"""The union's money: years, budget lines and adjustments, payments and income,
budget execution, and the attachments (vouchers, receipts) of a payment.

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
from gonghui.api.access import in_scope, require, union_or_404
from gonghui.api.guards import guard
from gonghui.finance import queries as finance_queries
from gonghui.finance import services
from gonghui.finance.models import BudgetLine, Category, FiscalYear, Income, Payment
from gonghui.orgs.roles import Perm

router = Router(tags=["经费管理"])

FiscalYearId = Path(..., ge=1, le=schemas.MAX_ID, description="预算年度编号")
LineId = Path(..., ge=1, le=schemas.MAX_ID, description="预算科目编号")
PaymentId = Path(..., ge=1, le=schemas.MAX_ID, description="支出编号")
IncomeId = Path(..., ge=1, le=schemas.MAX_ID, description="收入编号")
ERRORS = {400: schemas.ErrorOut, 403: schemas.ErrorOut, 404: schemas.ErrorOut}
NO_VIEW = "您没有查看经费收支的权限"


def _viewable(request) -> list[int]:
    union_ids = request.access.unions_with(Perm.VIEW_FINANCE)
    if not union_ids:
        raise HttpError(403, NO_VIEW)
    return union_ids


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
    try:
        union = union_or_404(request, union_id)
    except Http404:
        raise ValidationError({"union": "未找到该工会"}) from None
    require(request, Perm.CHANGE_FINANCE, union.id)
    return union


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
        {"type": entry.linked_type.model, "id": entry.linked_id} if entry.linked_type_id else None
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
