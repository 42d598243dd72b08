"""Report collection inside the admin shell: requests and the status board for
an upper union's staff, the return for a unit's chair and committee, and the
consolidated report. Objects are found through the scoped managers among the
unions the user reads (another union's are 404); each write calls one service.
"""

from datetime import date
from functools import wraps

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from gonghui.collection import queries, services
from gonghui.collection.forms import RequestForm, add_service_errors
from gonghui.collection.models import (
    CollectionRequest,
    ConsolidatedFigure,
    ConsolidatedReport,
    FigureScope,
    ReturnedFigure,
    Submission,
)
from gonghui.orgs.models import Union
from gonghui.periods import Period
from gonghui.reports.officedoc import to_docx
from gonghui.reports.render import figure_url

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
NOT_ISSUER = "只有上级工会的工作人员可以发出上报通知、催报和起草汇总报告"
NOT_SUBMITTER = "只有本单位的工会主席和委员可以报送"
# Cards the board always shows; the others only when some unit is in them.
ALWAYS_SHOWN = (queries.SUBMITTED, queries.LATE, queries.MISSING, queries.WAITING)


def in_admin(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        return admin.site.admin_view(view)(request, *args, **kwargs)

    return wrapped


def _render(request, template, title, **context):
    return render(
        request, template, {**admin.site.each_context(request), "title": title, **context}
    )


def _reading(request) -> list[int]:
    allowed = queries.reading_unions(request.access)
    if not allowed:
        raise PermissionDenied("您没有查看上报材料的权限")
    return allowed


def _request(request, pk) -> CollectionRequest:
    return get_object_or_404(
        CollectionRequest.objects.filter(union__in=_reading(request)).select_related("union"),
        pk=pk,
    )


def _submission(request, pk) -> Submission:
    return get_object_or_404(
        Submission.objects.filter(union__in=_reading(request)).select_related(
            "union", "request", "request__union", "report", "submitted_by"
        ),
        pk=pk,
    )


def _require_issuer(request, union_id: int) -> None:
    if union_id not in queries.issuing_unions(request.access):
        raise PermissionDenied(NOT_ISSUER)


def _download(content, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response


# Lists ---------------------------------------------------------------------------------


@in_admin
def index(request):
    """Requests the user follows as upper staff, and the user's own units' returns."""
    _reading(request)
    issuing = queries.issuing_unions(request.access)
    rows = [(r, queries.board(r)) for r in queries.requests_for(request.access) if r.union.is_upper]
    own = queries.submitting_unions(request.access)
    returns = (
        Submission.objects.filter(union__in=own)
        .select_related("union", "request", "request__union")
        .order_by("-request__deadline", "union__path")
    )
    return _render(
        request,
        "collection/index.html",
        "上报与汇总",
        rows=rows,
        can_issue=bool(issuing),
        returns=[(s, queries.STATUS_LABELS[queries.status(s)]) for s in returns],
    )


@in_admin
def new_request(request):
    issuing = queries.issuing_unions(request.access)
    if not issuing:
        raise PermissionDenied(NOT_ISSUER)
    unions = Union.objects.filter(pk__in=issuing).order_by("path")
    chosen = unions.filter(pk=request.POST.get("union") or request.GET.get("union")).first()
    issuer = chosen or unions.first()
    form = RequestForm(
        request.POST or None,
        unions=unions,
        districts=queries.districts(issuer),
        units=queries.units(issuer),
        initial={"union": issuer},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.issue_request(
                union=data["union"],
                kind=data["kind"],
                start=data["start"],
                end=data["end"],
                deadline=data["deadline"],
                title=data["title"],
                note=data["note"],
                everyone=data["everyone"],
                unit_ids=data["units"],
                district_ids=data["districts"],
                actor=request.user,
            )
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(
                request, f"已向{created.submissions.count()}家单位发出上报通知：{created.title}"
            )
            return redirect("collection:board", pk=created.pk)
    return _render(
        request,
        "collection/request_form.html",
        "发出上报通知",
        form=form,
        issuer=issuer,
        others=[u for u in unions if u.pk != issuer.pk],
    )


# The status board ------------------------------------------------------------------------


@in_admin
def board(request, pk):
    collection = _request(request, pk)
    only = request.GET.get("status", "")
    if only not in queries.STATUS_LABELS:
        only = ""
    b = queries.board(collection, only=only)
    return _render(
        request,
        "collection/board.html",
        collection.title,
        collection=collection,
        board=b,
        shown_status=only,
        cards=[
            (k, label, b.counts[k])
            for k, label in queries.STATUS_LABELS.items()
            if k in ALWAYS_SHOWN or b.counts[k]
        ],
        can_issue=collection.union_id in queries.issuing_unions(request.access),
        consolidated=collection.consolidated.order_by("-created_at")[:5],
        extensions=collection.deadline_changes.select_related("changed_by"),
        today=timezone.localdate(),
    )


def _issuer_write(request, pk, write, done: str):
    """Run one of the issuer's writes on a request, with its message, back to the board."""
    collection = _request(request, pk)
    _require_issuer(request, collection.union_id)
    try:
        write(collection)
    except ValidationError as e:
        messages.error(request, "；".join(e.messages))
    else:
        messages.success(request, done)
    return redirect("collection:board", pk=collection.pk)


@in_admin
@require_POST
def withdraw(request, pk):
    return _issuer_write(
        request,
        pk,
        lambda c: services.withdraw_request(
            request=c, reason=request.POST.get("reason", ""), actor=request.user
        ),
        "通知已撤回，各单位不再需要报送；已报送的材料仍可查看",
    )


def _date(raw: str) -> date | None:
    try:
        return date.fromisoformat((raw or "").strip())
    except ValueError:
        raise ValidationError({"deadline": "新的截止日期格式不正确（应为“年-月-日”）"}) from None


@in_admin
@require_POST
def extend(request, pk):
    def write(c):
        raw = request.POST.get("deadline", "")
        return services.extend_deadline(
            request=c,
            deadline=_date(raw) if raw.strip() else None,
            reason=request.POST.get("reason", ""),
            actor=request.user,
        )

    return _issuer_write(request, pk, write, "截止日期已延后，各单位将看到新的截止日期")


@in_admin
@require_POST
def remind(request, pk):
    collection = _request(request, pk)
    _require_issuer(request, collection.union_id)
    units = request.POST.getlist("units")
    try:
        sent = services.remind(
            request=collection,
            actor=request.user,
            note=request.POST.get("note", ""),
            unit_ids=units,
        )
    except ValidationError as e:
        messages.error(request, "；".join(e.messages))
    else:
        messages.success(request, f"已向{len(sent)}家单位发出催报")
    return redirect("collection:board", pk=collection.pk)


@in_admin
@require_POST
def consolidate(request, pk):
    collection = _request(request, pk)
    _require_issuer(request, collection.union_id)
    try:
        report = services.draft_consolidated(request=collection, actor=request.user)
    except ValidationError as e:
        messages.error(request, "；".join(e.messages))
        return redirect("collection:board", pk=collection.pk)
    messages.success(request, "已根据所辖单位的台账记录起草汇总报告，请核对修改")
    return redirect("collection:consolidated", pk=report.pk)


# A unit's return --------------------------------------------------------------------------


@in_admin
def submission(request, pk):
    s = _submission(request, pk)
    is_open = s.request.is_open
    can_submit = (
        s.union_id in queries.submitting_unions(request.access) and not s.is_submitted and is_open
    )
    version = s.report.latest_version() if s.report_id else None
    earlier = list(s.sent_back.select_related("report", "submitted_by", "sent_back_by"))
    figures_of = {}
    for f in ReturnedFigure.objects.filter(earlier__in=earlier):
        figures_of.setdefault(f.earlier_id, []).append((f, queries.value_text(f.value, f.unit)))
    return _render(
        request,
        "collection/submission.html",
        f"{s.union.name} · {s.request.title}",
        submission=s,
        status=queries.STATUS_LABELS[queries.status(s)],
        version=version,
        figures=[(f, queries.value_text(f.value, f.unit)) for f in s.figures],
        can_submit=can_submit,
        can_send_back=(
            s.is_submitted
            and is_open
            and s.request.union_id in queries.issuing_unions(request.access)
        ),
        candidate=queries.report_for(s) if can_submit else None,
        reminders=s.reminders.select_related("sent_by") if is_open else (),
        earlier=[(e, figures_of.get(e.pk, [])) for e in earlier],
    )


@in_admin
@require_POST
def send_back(request, pk):
    s = _submission(request, pk)
    _require_issuer(request, s.request.union_id)
    try:
        services.send_back(submission=s, reason=request.POST.get("reason", ""), actor=request.user)
    except ValidationError as e:
        messages.error(request, "；".join(e.messages))
    else:
        messages.success(request, f"已退回{s.union.name}的报送，该单位需重新报送")
    return redirect("collection:submission", pk=s.pk)


@in_admin
@require_POST
def submit(request, pk):
    s = _submission(request, pk)
    if s.union_id not in queries.submitting_unions(request.access):
        raise PermissionDenied(NOT_SUBMITTER)
    try:
        done = services.submit_return(
            submission=s, report=queries.report_for(s), actor=request.user
        )
    except ValidationError as e:
        messages.error(request, "；".join(e.messages))
        return _back(request, s)
    messages.success(
        request,
        f"已报送：{done.request.title}" + ("（已过截止日期，标记为逾期报送）" if done.late else ""),
    )
    return _back(request, s)


def _back(request, s: Submission):
    """To the page the one-click button was on (the dashboard), else to the return."""
    back = request.POST.get("next", "")
    if back.startswith("/admin/") and url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}
    ):
        return redirect(back)
    return redirect("collection:submission", pk=s.pk)


@in_admin
def submission_docx(request, pk):
    s = _submission(request, pk)
    if not s.is_submitted or s.report_id is None:
        raise Http404("该单位没有报送工作总结")
    return _download(
        to_docx(s.report.latest_version().body),
        f"{s.union.code}-{s.request.start:%Y%m%d}-{s.request.end:%Y%m%d}.docx",
        DOCX,
    )


# The consolidated report -------------------------------------------------------------------


def _consolidated(request, pk) -> ConsolidatedReport:
    return get_object_or_404(
        ConsolidatedReport.objects.filter(union__in=_reading(request)).select_related(
            "request", "union"
        ),
        pk=pk,
    )


def old_version(shown, latest) -> bool:
    return shown.pk != latest.pk


def _version_number(raw) -> int | None:
    return int(raw) if raw and str(raw).isdigit() else None


@in_admin
def consolidated(request, pk):
    """Read, edit (each save a version), and view an earlier version (?version=N)."""
    report = _consolidated(request, pk)
    can_write = report.union_id in queries.issuing_unions(request.access)
    error = None
    if request.method == "POST":
        _require_issuer(request, report.union_id)
        try:
            version = services.save_consolidated_version(
                report=report, body=request.POST.get("body", ""), actor=request.user
            )
        except ValidationError as e:
            error = "；".join(e.messages)
        else:
            messages.success(request, f"已保存为{version}")
            return redirect("collection:consolidated", pk=report.pk)
    latest = report.latest_version()
    wanted = _version_number(request.GET.get("version"))
    shown = latest
    if wanted is not None and wanted != latest.number:
        shown = get_object_or_404(report.versions, number=wanted)
    from gonghui.collection.consolidated import stale_figures

    stale = stale_figures(report) if not old_version(shown, latest) else []
    return _render(
        request,
        "collection/consolidated.html",
        report.title,
        report=report,
        stale=stale,
        stale_refs=" ".join(sorted({s.figure.ref for s in stale})),
        version=shown,
        latest=latest,
        old=shown.pk != latest.pk,
        versions=report.versions.select_related("created_by"),
        can_write=can_write and not report.is_locked and shown.pk == latest.pk,
        can_lock=can_write and not report.is_locked and report.request.is_open,
        error=error,
    )


@in_admin
@require_POST
def lock_consolidated(request, pk):
    report = _consolidated(request, pk)
    _require_issuer(request, report.union_id)
    try:
        services.lock_consolidated(report=report, actor=request.user)
    except ValidationError as e:
        messages.error(request, "；".join(e.messages))
    else:
        messages.success(request, "汇总报告已定稿，不能再修改；本次上报已办结")
    return redirect("collection:consolidated", pk=report.pk)


@in_admin
def consolidated_docx(request, pk):
    """The latest version (or ?version=N) in the official-document format."""
    report = _consolidated(request, pk)
    wanted = _version_number(request.GET.get("version"))
    version = (
        get_object_or_404(report.versions, number=wanted) if wanted else report.latest_version()
    )
    suffix = f"-v{version.number}" if wanted else ""
    return _download(to_docx(version.body), f"consolidated-{report.pk}{suffix}.docx", DOCX)


@in_admin
def consolidated_figure(request, pk, ref):
    """One figure of a consolidated report: as drafted, now, and per unit down to the records."""
    report = _consolidated(request, pk)
    figure = get_object_or_404(ConsolidatedFigure.objects.filter(report=report), ref=ref)
    collection = report.request
    rows, now = [], None
    if figure.scope == FigureScope.RETURNS:
        b = queries.board(collection)
        rows = [
            {"name": r.submission.union.name, "value": r.status_label, "url": None, "row": r}
            for r in b.rows
        ]
    elif figure.metric_key != "collection.units":
        period = Period(figure.start, figure.end)
        per_unit = queries.unit_values(report.union, period, [figure.metric_key])
        now = queries.subtree_totals(report.union, period, [figure.metric_key])[figure.metric_key]
        if figure.scope == FigureScope.UNITS_WITH:
            now = sum(1 for v in per_unit.values() if v.get(figure.metric_key))
        for unit in queries.units(report.union):
            value = per_unit.get(unit.pk, {}).get(figure.metric_key, 0)
            rows.append(
                {
                    "name": unit.name,
                    "value": queries.value_text(value, figure.unit),
                    "url": figure_url(figure.metric_key, unit.pk, figure.start, figure.end),
                    "positive": bool(value),
                }
            )
    else:
        rows = [{"name": u.name, "value": "", "url": None} for u in queries.units(report.union)]
    return _render(
        request,
        "collection/figure.html",
        f"{figure.label}：来源",
        report=report,
        figure=figure,
        drafted=queries.value_text(figure.value, figure.unit),
        now=None if now is None else queries.value_text(now, figure.unit),
        rows=rows,
        today=timezone.localdate(),
    )
