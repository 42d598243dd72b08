"""上报与汇总 endpoints: an upper union's staff issue a collection request to
units of their subtree, follow the status board, remind and draft the
consolidated report; a unit's chair or committee submit the unit's return.
Every write goes through collection.services.

A request is read by the staff of the issuing union and of the unions above
it; issuing, reminding, extending (延期), withdrawing (撤回), sending a return
back (退回) and drafting, editing and locking the consolidated report need the
upper-staff role in the issuing union itself. A unit sees only its own returns.
"""

import unicodedata
from datetime import date
from functools import wraps
from typing import Annotated, Literal

import ninja
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from ninja import Field, Path, Router, Schema
from ninja.decorators import decorate_view
from ninja.errors import HttpError
from pydantic import AfterValidator

from gonghui.api import access, errors, schemas
from gonghui.api.access import union_for_write
from gonghui.api.guards import guard
from gonghui.api.schemas import ObjectId, Strict, text
from gonghui.collection import queries, services
from gonghui.collection.models import (
    KIND_CHOICES,
    CollectionRequest,
    ConsolidatedReport,
    ReturnedFigure,
    Submission,
)
from gonghui.orgs.roles import Perm
from gonghui.reports.officedoc import to_docx
from gonghui.tenancy import request_user

router = Router(tags=["上报与汇总"])

RequestId = Path(..., ge=1, le=schemas.MAX_ID, description="上报通知编号")
SubmissionId = Path(..., ge=1, le=schemas.MAX_ID, description="报送编号")
ReportId = Path(..., ge=1, le=schemas.MAX_ID, description="汇总报告编号")
ERRORS = {400: schemas.ErrorOut, 403: schemas.ErrorOut, 404: schemas.ErrorOut}
NO_VIEW = "您没有查看上报材料的权限"
NOT_ISSUER = "只有发文工会的工作人员可以发出上报通知、催报和起草汇总报告"
NOT_SUBMITTER = "只有本单位的工会主席和委员可以报送"

KindValue = Literal[tuple(v for v, _ in KIND_CHOICES)]  # type: ignore[valid-type]
Ids = Annotated[list[ObjectId], Field(max_length=5000)]

for _field, _label in {
    "kind": "报送内容",
    "start": "统计期间开始",
    "end": "统计期间结束",
    "deadline": "报送截止日期",
    "note": "说明",
    "units": "报送单位",
    "districts": "区县（产业）工会",
    "everyone": "全部所辖单位",
    "report": "工作总结",
    "state": "状态",
    "reason": "原因",
    "body": "正文",
}.items():
    errors.FIELD_LABELS.setdefault(_field, _label)
access.FORBIDDEN.setdefault(Perm.ISSUE_COLLECTION, NOT_ISSUER)
access.FORBIDDEN.setdefault(Perm.SUBMIT_COLLECTION, NOT_SUBMITTER)


# Shapes ----------------------------------------------------------------------------------


class RequestIn(Strict):
    union: ObjectId
    kind: KindValue
    start: date
    end: date
    deadline: date
    title: text(200) = ""
    note: text(2000) = ""
    everyone: bool = False
    units: Ids = []
    districts: Ids = []


class RemindIn(Strict):
    note: text(200) = ""
    units: Ids = []


class SubmitIn(Strict):
    pass


class WithdrawIn(Strict):
    reason: text(services.REASON_MAX)


class ExtendIn(Strict):
    deadline: date
    reason: text(services.REASON_MAX)


class SendBackIn(Strict):
    reason: text(services.REASON_MAX)


def _html_text(value: str) -> str:
    """An edited report's HTML: line breaks and tabs as an editor leaves them,
    no other control characters (the body is sanitised when saved)."""
    if any(unicodedata.category(ch) == "Cc" and ch not in "\n\r\t" for ch in value):
        raise ValueError("含有不可见的控制字符")
    return value


Html = Annotated[
    str,
    Field(max_length=200_000, description="正文（HTML；保存时只保留报告所需的标签）"),
    AfterValidator(_html_text),
]


class VersionIn(Strict):
    body: Html


class LockIn(Strict):
    pass


class DeadlineChangeOut(Schema):
    old_deadline: date
    new_deadline: date
    reason: str
    changed_at: str


class RequestOut(Schema):
    id: int
    union: int
    title: str
    kind: str
    kind_label: str
    start: date
    end: date
    deadline: date
    note: str
    state: str
    state_label: str
    withdrawn_reason: str
    deadline_changes: list[DeadlineChangeOut]
    counts: dict[str, int]


class RowOut(Schema):
    submission: int
    unit: int
    unit_name: str
    district: str | None
    status: str
    status_label: str
    submitted_at: str | None
    report: int | None
    reminders: int


class BoardOut(RequestOut):
    rows: list[RowOut]


class FigureOut(Schema):
    key: str
    label: str
    unit: str
    value: float


class EarlierReturnOut(Schema):
    number: int
    submitted_at: str
    late: bool
    report: int | None
    reason: str
    sent_back_at: str
    figures: list[FigureOut]


class SubmissionOut(Schema):
    id: int
    request: int
    request_title: str
    unit: int
    unit_name: str
    status: str
    status_label: str
    deadline: date
    submitted_at: str | None
    late: bool
    report: int | None
    report_title: str | None
    figures: list[FigureOut]
    sent_back: list[EarlierReturnOut]


class ConsolidatedFigureOut(Schema):
    ref: str
    scope: str
    key: str
    label: str
    unit: str
    value: float
    unit_union: int | None


class VersionOut(Schema):
    number: int
    created_at: str


class ConsolidatedOut(Schema):
    id: int
    request: int
    title: str
    state: str
    state_label: str
    version: int
    body: str
    versions: list[VersionOut]
    figures: list[ConsolidatedFigureOut]


# Finding things ------------------------------------------------------------------------


def _reading(request) -> list[int]:
    return access.viewable_unions(request, Perm.VIEW_DASHBOARD, NO_VIEW)


def _request(request, pk: int) -> CollectionRequest:
    found = (
        CollectionRequest.objects.filter(pk=pk, union__in=_reading(request))
        .select_related("union")
        .first()
    )
    if found is None:
        raise Http404
    return found


def _require_issuer(request, union_id: int) -> None:
    if union_id not in queries.issuing_unions(request.access):
        raise HttpError(403, NOT_ISSUER)


def _submission(request, pk: int) -> Submission:
    found = (
        Submission.objects.filter(pk=pk, union__in=_reading(request))
        .select_related("union", "request", "report")
        .first()
    )
    if found is None:
        raise Http404
    return found


def _request_out(r: CollectionRequest, board=None) -> dict:
    board = board or queries.board(r)
    return {
        "id": r.pk,
        "union": r.union_id,
        "title": r.title,
        "kind": r.kind,
        "kind_label": r.get_kind_display(),
        "start": r.start,
        "end": r.end,
        "deadline": r.deadline,
        "note": r.note,
        "state": r.state,
        "state_label": r.get_state_display(),
        "withdrawn_reason": r.withdrawn_reason,
        "deadline_changes": [
            {
                "old_deadline": c.old_deadline,
                "new_deadline": c.new_deadline,
                "reason": c.reason,
                "changed_at": c.changed_at.isoformat(),
            }
            for c in r.deadline_changes.all()
        ],
        "counts": board.counts,
    }


def _board_out(r: CollectionRequest) -> dict:
    board = queries.board(r)
    return {
        **_request_out(r, board),
        "rows": [
            {
                "submission": row.submission.pk,
                "unit": row.submission.union_id,
                "unit_name": row.submission.union.name,
                "district": row.district.name if row.district else None,
                "status": row.status,
                "status_label": row.status_label,
                "submitted_at": row.submission.submitted_at.isoformat()
                if row.submission.submitted_at
                else None,
                "report": row.submission.report_id,
                "reminders": row.reminders,
            }
            for row in board.rows
        ],
    }


def _submission_out(s: Submission) -> dict:
    earlier = list(s.sent_back.all())
    earlier_figures: dict[int, list] = {}
    for f in ReturnedFigure.objects.filter(earlier__in=earlier):
        earlier_figures.setdefault(f.earlier_id, []).append(f)
    return {
        "id": s.pk,
        "request": s.request_id,
        "request_title": s.request.title,
        "unit": s.union_id,
        "unit_name": s.union.name,
        "status": queries.status(s),
        "status_label": queries.STATUS_LABELS[queries.status(s)],
        "deadline": s.request.deadline,
        "submitted_at": s.submitted_at.isoformat() if s.submitted_at else None,
        "late": s.late,
        "report": s.report_id,
        "report_title": s.report.title if s.report_id else None,
        "figures": [_figure_out(f) for f in s.figures],
        "sent_back": [
            {
                "number": e.number,
                "submitted_at": e.submitted_at.isoformat(),
                "late": e.late,
                "report": e.report_id,
                "reason": e.reason,
                "sent_back_at": e.sent_back_at.isoformat(),
                "figures": [_figure_out(f) for f in earlier_figures.get(e.pk, [])],
            }
            for e in earlier
        ],
    }


def _figure_out(f: ReturnedFigure) -> dict:
    return {"key": f.metric_key, "label": f.label, "unit": f.unit, "value": float(f.value)}


def _issuer_guard(model, kwarg: str, issuer: str):
    """Before the body is read: an object the caller cannot see answers 404, one
    whose issuing union they are not staff of answers 403 (upper-staff
    permissions spread over the subtree, so the plain `guard` would let a
    city's staff reach a district's request and learn the body's shape).
    `issuer` is the path from the object to the issuing union's id."""

    def decorator(run):
        @wraps(run)
        def checked(request, *args, **kwargs):
            user = request_user(request)
            if user is not None and user.is_authenticated:
                try:
                    pk = int(kwargs.get(kwarg))
                except (TypeError, ValueError):
                    return run(request, *args, **kwargs)  # malformed: ninja answers 422
                from gonghui.api.v1 import api

                found = model.objects.filter(pk=pk).values("union_id", issuer).first()
                if found is None or found["union_id"] not in request.access.read:
                    return api.on_exception(request, Http404())
                if found[issuer] not in queries.issuing_unions(request.access):
                    return api.on_exception(request, HttpError(403, NOT_ISSUER))
            return run(request, *args, **kwargs)

        return checked

    return decorator


issuer_guard = _issuer_guard(CollectionRequest, "request_id", "union_id")
submission_issuer_guard = _issuer_guard(Submission, "submission_id", "request__union_id")
report_issuer_guard = _issuer_guard(ConsolidatedReport, "report_id", "union_id")


# Requests and the board --------------------------------------------------------------------


@router.get("/collection/requests", response={200: list[RequestOut], **ERRORS}, summary="上报通知")
def list_requests(request):
    _reading(request)
    return [_request_out(r) for r in queries.requests_for(request.access) if r.union.is_upper]


@router.post(
    "/collection/requests",
    response={201: BoardOut, **ERRORS},
    summary="发出上报通知（全部、按区县或逐个选择所辖单位）",
)
def issue_request(request, payload: RequestIn):
    union = union_for_write(request, payload.union, Perm.VIEW_DASHBOARD)
    _require_issuer(request, union.id)
    created = services.issue_request(
        union=union,
        kind=payload.kind,
        start=payload.start,
        end=payload.end,
        deadline=payload.deadline,
        title=payload.title,
        note=payload.note,
        everyone=payload.everyone,
        unit_ids=payload.units,
        district_ids=payload.districts,
        actor=request.auth,
    )
    return ninja.Status(201, _board_out(created))


@router.get(
    "/collection/requests/{request_id}",
    response={200: BoardOut, **ERRORS},
    summary="报送情况（已报送、逾期报送、逾期未报、待报送）",
)
def get_board(request, request_id: int = RequestId):
    return _board_out(_request(request, request_id))


@router.post(
    "/collection/requests/{request_id}/remind",
    response={200: BoardOut, **ERRORS},
    summary="催报（不指定单位则向全部未报送单位催报）",
)
@decorate_view(issuer_guard)
def remind(request, payload: RemindIn, request_id: int = RequestId):
    found = _request(request, request_id)
    _require_issuer(request, found.union_id)
    services.remind(request=found, actor=request.auth, note=payload.note, unit_ids=payload.units)
    return _board_out(found)


@router.post(
    "/collection/requests/{request_id}/consolidated",
    response={201: ConsolidatedOut, **ERRORS},
    summary="起草汇总报告",
)
@decorate_view(issuer_guard)
def consolidate(request, request_id: int = RequestId):
    found = _request(request, request_id)
    _require_issuer(request, found.union_id)
    report = services.draft_consolidated(request=found, actor=request.auth)
    return ninja.Status(201, _consolidated_out(report))


def _consolidated_out(report: ConsolidatedReport) -> dict:
    latest = report.latest_version()
    return {
        "id": report.pk,
        "request": report.request_id,
        "title": report.title,
        "state": report.state,
        "state_label": report.get_state_display(),
        "version": latest.number,
        "body": latest.body,
        "versions": [
            {"number": v.number, "created_at": v.created_at.isoformat()}
            for v in report.versions.all()
        ],
        "figures": [
            {
                "ref": f.ref,
                "scope": f.scope,
                "key": f.metric_key,
                "label": f.label,
                "unit": f.unit,
                "value": float(f.value),
                "unit_union": f.unit_union_id,
            }
            for f in report.figures.all()
        ],
    }


@router.post(
    "/collection/requests/{request_id}/withdraw",
    response={200: BoardOut, **ERRORS},
    summary="撤回上报通知（须说明原因；已报送的材料保留）",
)
@decorate_view(issuer_guard)
def withdraw(request, payload: WithdrawIn, request_id: int = RequestId):
    found = _request(request, request_id)
    _require_issuer(request, found.union_id)
    services.withdraw_request(request=found, reason=payload.reason, actor=request.auth)
    return _board_out(found)


@router.post(
    "/collection/requests/{request_id}/extend",
    response={200: BoardOut, **ERRORS},
    summary="延期（延后报送截止日期，须说明原因）",
)
@decorate_view(issuer_guard)
def extend(request, payload: ExtendIn, request_id: int = RequestId):
    found = _request(request, request_id)
    _require_issuer(request, found.union_id)
    services.extend_deadline(
        request=found, deadline=payload.deadline, reason=payload.reason, actor=request.auth
    )
    return _board_out(found)


def _consolidated(request, pk: int) -> ConsolidatedReport:
    found = (
        ConsolidatedReport.objects.filter(pk=pk, union__in=_reading(request))
        .select_related("request")
        .first()
    )
    if found is None:
        raise Http404
    return found


@router.get(
    "/collection/consolidated/{report_id}",
    response={200: ConsolidatedOut, **ERRORS},
    summary="汇总报告（最新版本、版本记录和文中数字）",
)
def get_consolidated(request, report_id: int = ReportId):
    return _consolidated_out(_consolidated(request, report_id))


@router.post(
    "/collection/consolidated/{report_id}/versions",
    response={201: ConsolidatedOut, **ERRORS},
    summary="保存汇总报告的修改（每次保存为一个新版本；定稿后不能修改）",
)
@decorate_view(report_issuer_guard)
def save_consolidated(request, payload: VersionIn, report_id: int = ReportId):
    report = _consolidated(request, report_id)
    _require_issuer(request, report.union_id)
    services.save_consolidated_version(report=report, body=payload.body, actor=request.auth)
    return ninja.Status(201, _consolidated_out(report))


@router.post(
    "/collection/consolidated/{report_id}/lock",
    response={200: ConsolidatedOut, **ERRORS},
    summary="汇总报告定稿（锁定，同时办结本次上报）",
)
@decorate_view(report_issuer_guard)
def lock_consolidated(request, payload: LockIn, report_id: int = ReportId):
    report = _consolidated(request, report_id)
    _require_issuer(request, report.union_id)
    services.lock_consolidated(report=report, actor=request.auth)
    return _consolidated_out(report)


@router.get(
    "/collection/consolidated/{report_id}/export.docx",
    response={200: None, **ERRORS},
    summary="导出汇总报告（Word，公文格式）",
)
def consolidated_docx(request, report_id: int = ReportId):
    report = _consolidated(request, report_id)
    response = HttpResponse(
        to_docx(report.latest_version().body),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = f'attachment; filename="consolidated-{report.pk}.docx"'
    return response


# A unit's returns -------------------------------------------------------------------------


@router.get(
    "/collection/submissions",
    response={200: list[SubmissionOut], **ERRORS},
    summary="本单位的报送",
)
def list_submissions(request):
    own = queries.submitting_unions(request.access)
    if not own:
        raise HttpError(403, NOT_SUBMITTER)
    rows = Submission.objects.filter(union__in=own).select_related("union", "request", "report")
    return [_submission_out(s) for s in rows.order_by("-request__deadline", "pk")]


@router.get(
    "/collection/submissions/{submission_id}",
    response={200: SubmissionOut, **ERRORS},
    summary="一个单位的报送（报告和报送时固定的统计数据）",
)
def get_submission(request, submission_id: int = SubmissionId):
    return _submission_out(_submission(request, submission_id))


@router.post(
    "/collection/submissions/{submission_id}/submit",
    response={200: SubmissionOut, **ERRORS},
    summary="一键报送（已定稿的工作总结和本期统计数据；截止后报送标记为逾期）",
)
@guard(Perm.SUBMIT_COLLECTION, submission_id=Submission)
def submit(request, payload: SubmitIn, submission_id: int = SubmissionId):
    s = _submission(request, submission_id)
    if s.union_id not in queries.submitting_unions(request.access):
        raise HttpError(403, NOT_SUBMITTER)
    done = services.submit_return(submission=s, report=queries.report_for(s), actor=request.auth)
    return _submission_out(done)


@router.post(
    "/collection/submissions/{submission_id}/send-back",
    response={200: SubmissionOut, **ERRORS},
    summary="退回报送（须说明原因；该单位重新报送，原报送保留）",
)
@decorate_view(submission_issuer_guard)
def send_back(request, payload: SendBackIn, submission_id: int = SubmissionId):
    s = _submission(request, submission_id)
    if s.request.union_id not in queries.issuing_unions(request.access):
        raise HttpError(403, NOT_ISSUER)
    services.send_back(submission=s, reason=payload.reason, actor=request.auth)
    return _submission_out(s)


@router.get(
    "/collection/submissions/{submission_id}/report.docx",
    response={200: None, **ERRORS},
    summary="下载报送的工作总结（Word）",
)
def submission_docx(request, submission_id: int = SubmissionId):
    s = _submission(request, submission_id)
    if not s.is_submitted or s.report_id is None:
        raise ValidationError({"report": "该单位没有报送工作总结"})
    response = HttpResponse(
        to_docx(s.report.latest_version().body),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = f'attachment; filename="submission-{s.pk}.docx"'
    return response
