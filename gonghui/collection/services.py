"""Every write of report collection: issuing a request, a unit's return,
reminders, and keeping a drafted consolidated report with its figures."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gonghui.collection import queries
from gonghui.collection.models import (
    KIND_CHOICES,
    STATISTICS,
    CollectionRequest,
    ConsolidatedFigure,
    ConsolidatedReport,
    ConsolidatedState,
    ConsolidatedVersion,
    DeadlineChange,
    Reminder,
    RequestState,
    ReturnedFigure,
    ReturnState,
    SentBackReturn,
    Submission,
)
from gonghui.periods import Period
from gonghui.reports import registry
from gonghui.reports.drafting.core import day_text
from gonghui.reports.drafting.writer import period_label
from gonghui.reports.models import ReportKind, SummaryReport
from gonghui.reports.services import sanitise

KIND_LABELS = dict(KIND_CHOICES)


def _ids(raw, field: str, what: str) -> list[int]:
    """Unit ids from a form or an API body; anything that is not a number is named."""
    ids, bad = [], []
    for value in raw or ():
        text = str(value).strip()
        if text.isdigit():
            ids.append(int(text))
        else:
            bad.append(text or "（空）")
    if bad:
        raise ValidationError({field: f"{what}编号应为数字：" + "、".join(bad[:10])})
    return list(dict.fromkeys(ids))


def _not_ours(ids, allowed, field: str, what: str) -> None:
    stray = [str(i) for i in ids if i not in allowed]
    if stray:
        raise ValidationError({field: f"编号为 {'、'.join(stray[:10])} 的单位不是本会所辖的{what}"})


REASON_MAX = 500


def _reason(reason, what: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": f"请填写{what}原因"})
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": f"{what}原因不能超过{REASON_MAX}个字"})
    return reason


def _require_open(request: CollectionRequest, doing: str, field: str = "state") -> None:
    """Only an open request takes returns, reminders, extensions and send-backs."""
    request.refresh_from_db(fields=["state"])
    if request.state == RequestState.WITHDRAWN:
        raise ValidationError({field: f"《{request.title}》已撤回，不能再{doing}"})
    if request.state == RequestState.CLOSED:
        raise ValidationError(
            {field: f"《{request.title}》已办结（汇总报告已定稿），不能再{doing}"}
        )


def request_title(*, kind: str, start: date, end: date) -> str:
    label = period_label(Period(start, end), kind if kind != STATISTICS else "annual")
    name = KIND_LABELS[kind].replace("（只报数据）", "")
    if kind in (ReportKind.ANNUAL, ReportKind.HALF_YEAR) and label.endswith(("年度", "半年")):
        name = "工作总结"  # 2026年度工作总结, not 2026年度年度工作总结
    return f"关于报送{label}{name}的通知"


@transaction.atomic
def issue_request(
    *,
    union,
    kind: str,
    start: date | None,
    end: date | None,
    deadline: date | None,
    note: str = "",
    title: str = "",
    everyone: bool = False,
    unit_ids=(),
    district_ids=(),
    actor,
    today: date | None = None,
) -> CollectionRequest:
    """Send a request to all or some units below `union`: one pending return each."""
    today = today or timezone.localdate()
    if kind not in KIND_LABELS:
        raise ValidationError({"kind": "请选择报送内容（工作总结的类型或统计报表）"})
    if start is None or end is None:
        raise ValidationError({"start": "请填写统计期间的开始和结束日期"})
    if start > end:
        raise ValidationError({"end": "统计期间的结束日期不能早于开始日期"})
    if deadline is None:
        raise ValidationError({"deadline": "请填写报送截止日期"})
    if deadline < end:
        raise ValidationError(
            {
                "deadline": f"报送截止日期（{day_text(deadline)}）不能早于统计期间的结束日期"
                f"（{day_text(end)}）"
            }
        )
    if deadline < today:
        raise ValidationError({"deadline": f"报送截止日期（{day_text(deadline)}）已经过去"})
    note = (note or "").strip()
    title = (title or "").strip() or request_title(kind=kind, start=start, end=end)
    if len(title) > 200:
        raise ValidationError({"title": "通知标题不能超过200个字"})
    below = queries.units(union)
    if not below:
        raise ValidationError({"units": f"{union.name}下没有基层工会，无法发出上报通知"})
    by_id = {u.pk: u for u in below}
    chosen: list = []
    if everyone:
        chosen = list(below)
    else:
        units = _ids(unit_ids, "units", "单位")
        _not_ours(units, by_id, "units", "基层工会")
        districts = _ids(district_ids, "districts", "区县（产业）工会")
        district_by_id = {d.pk: d for d in queries.districts(union)}
        _not_ours(districts, district_by_id, "districts", "区县（产业）工会")
        wanted = set(units)
        for d in districts:
            prefix = district_by_id[d].path
            wanted |= {u.pk for u in below if u.path.startswith(prefix)}
        chosen = [u for u in below if u.pk in wanted]
    if not chosen:
        raise ValidationError({"units": "请至少选择一个报送单位（可按区县选择，或勾选单位）"})
    request = CollectionRequest.objects.create(
        union=union,
        title=title,
        kind=kind,
        start=start,
        end=end,
        deadline=deadline,
        note=note,
        created_by=actor,
    )
    Submission.objects.bulk_create(Submission(union=u, request=request) for u in chosen)
    return request


def _check_report(request: CollectionRequest, submission: Submission, report) -> None:
    period = f"{day_text(request.start)}至{day_text(request.end)}"
    wanted = KIND_LABELS[request.kind]
    if report is None:
        raise ValidationError(
            {
                "report": f"没有找到本单位{period}的{wanted}。请先在“工作总结”中起草，"
                "核对后提交定稿，再来报送"
            }
        )
    if report.union_id != submission.union_id:
        raise ValidationError({"report": "只能报送本单位的工作总结"})
    if report.kind != request.kind:
        raise ValidationError(
            {"report": f"通知要求报送{wanted}，《{report.title}》是{report.get_kind_display()}"}
        )
    if (report.start, report.end) != (request.start, request.end):
        raise ValidationError(
            {
                "report": f"《{report.title}》的期间（{day_text(report.start)}至"
                f"{day_text(report.end)}）与通知要求的期间（{period}）不一致"
            }
        )
    if not report.is_locked:
        raise ValidationError(
            {
                "report": f"《{report.title}》尚未提交定稿。请先在工作总结页面点击“提交定稿”"
                "（定稿后锁定，不能再修改），再来报送"
            }
        )


@transaction.atomic
def submit_return(
    *, submission: Submission, actor, report: SummaryReport | None = None, now=None
) -> Submission:
    """The unit's return: its locked summary report (unless only statistics are
    asked for) and its statistics for the period, frozen as they are now.
    After the deadline the return is still taken, marked late (逾期)."""
    # The request as it is now (withdrawn, extended), read through the unit's own row.
    request = Submission.objects.select_related("request").get(pk=submission.pk).request
    submission.request = request
    _require_open(request, "报送")
    if submission.state == ReturnState.SUBMITTED:
        raise ValidationError({"state": "本单位已经报送过了，不能重复报送"})
    if request.wants_report:
        _check_report(request, submission, report)
    else:
        report = None
    now = now or timezone.now()
    late = timezone.localdate(now) > request.deadline
    changed = Submission.objects.filter(pk=submission.pk, state=ReturnState.PENDING).update(
        state=ReturnState.SUBMITTED, report=report, submitted_by=actor, submitted_at=now, late=late
    )
    if not changed:
        raise ValidationError({"state": "本单位已经报送过了，不能重复报送"})
    period = Period(request.start, request.end)
    rows = []
    with registry.evaluation():
        for order, key in enumerate(queries.returned_keys(), start=1):
            metric = registry.get(key)
            value = metric.value([submission.union_id], period)
            rows.append(
                ReturnedFigure(
                    union_id=submission.union_id,
                    submission=submission,
                    order=order,
                    metric_key=key,
                    label=metric.label,
                    unit=metric.unit,
                    value=Decimal(value).quantize(Decimal("0.01")),
                )
            )
    ReturnedFigure.objects.bulk_create(rows)
    submission.refresh_from_db()
    return submission


@transaction.atomic
def remind(*, request: CollectionRequest, actor, note: str = "", unit_ids=None) -> list[Reminder]:
    """催报: a reminder on the dashboard of each unit named (or of every unit
    that has not submitted)."""
    _require_open(request, "催报")
    note = (note or "").strip()
    if len(note) > 200:
        raise ValidationError({"note": "催报说明不能超过200个字"})
    pending = list(request.submissions.filter(state=ReturnState.PENDING).select_related("union"))
    if unit_ids:
        ids = _ids(unit_ids, "units", "单位")
        addressed = dict(request.submissions.values_list("union_id", "state"))
        stray = [str(i) for i in ids if i not in addressed]
        if stray:
            raise ValidationError(
                {"units": f"编号为 {'、'.join(stray[:10])} 的单位不在本通知的报送范围内"}
            )
        done = [
            s for s in request.submissions.filter(union_id__in=ids, state=ReturnState.SUBMITTED)
        ]
        if done:
            names = "、".join(s.union.name for s in done[:5])
            raise ValidationError({"units": f"{names}已经报送，无需催报"})
        pending = [s for s in pending if s.union_id in ids]
    if not pending:
        raise ValidationError({"units": "所有单位都已报送，无需催报"})
    return Reminder.objects.bulk_create(
        Reminder(union_id=s.union_id, submission=s, note=note, sent_by=actor) for s in pending
    )


@transaction.atomic
def withdraw_request(
    *, request: CollectionRequest, reason: str, actor, now=None
) -> CollectionRequest:
    """撤回: the request is no longer due. Returns already made stay readable;
    the units' reminders leave their dashboards with it."""
    refused = {
        RequestState.WITHDRAWN: f"《{request.title}》已经撤回，不能重复撤回",
        RequestState.CLOSED: f"《{request.title}》已办结（汇总报告已定稿），不能撤回",
    }
    current = CollectionRequest.objects.filter(pk=request.pk).values_list("state", flat=True)
    state = current.first()
    if state in refused:
        raise ValidationError({"state": refused[state]})
    reason = _reason(reason, "撤回")
    changed = CollectionRequest.objects.filter(pk=request.pk, state=RequestState.OPEN).update(
        state=RequestState.WITHDRAWN,
        withdrawn_reason=reason,
        withdrawn_by=actor,
        withdrawn_at=now or timezone.now(),
    )
    if not changed:
        raise ValidationError({"state": f"《{request.title}》已经撤回，不能重复撤回"})
    request.refresh_from_db()
    return request


@transaction.atomic
def extend_deadline(
    *, request: CollectionRequest, deadline: date | None, reason: str, actor, today=None
) -> DeadlineChange:
    """延期: a later deadline for every unit addressed, with the reason kept.
    Returns already made keep their on-time or late mark."""
    today = today or timezone.localdate()
    locked = CollectionRequest.objects.select_for_update().get(pk=request.pk)
    _require_open(locked, "延期")
    if deadline is None:
        raise ValidationError({"deadline": "请填写新的报送截止日期"})
    if deadline < today:
        raise ValidationError({"deadline": f"新的截止日期（{day_text(deadline)}）已经过去"})
    if deadline <= locked.deadline:
        raise ValidationError(
            {
                "deadline": f"新的截止日期（{day_text(deadline)}）应晚于原截止日期"
                f"（{day_text(locked.deadline)}）"
            }
        )
    reason = _reason(reason, "延期")
    change = DeadlineChange.objects.create(
        union_id=locked.union_id,
        request=locked,
        old_deadline=locked.deadline,
        new_deadline=deadline,
        reason=reason,
        changed_by=actor,
    )
    CollectionRequest.objects.filter(pk=locked.pk).update(deadline=deadline)
    request.refresh_from_db()
    return change


@transaction.atomic
def send_back(*, submission: Submission, reason: str, actor) -> SentBackReturn:
    """退回: the unit's return goes back to it to be submitted again. The return
    as it was (its report and frozen figures) is kept as an earlier return."""
    current = (
        Submission.objects.select_for_update(of=("self",))
        .select_related("request", "union")
        .get(pk=submission.pk)
    )
    _require_open(current.request, "退回报送")
    if current.state != ReturnState.SUBMITTED:
        raise ValidationError({"state": f"{current.union.name}尚未报送，无需退回"})
    reason = _reason(reason, "退回")
    earlier = SentBackReturn.objects.create(
        union_id=current.union_id,
        submission=current,
        number=current.sent_back.count() + 1,
        report_id=current.report_id,
        submitted_by_id=current.submitted_by_id,
        submitted_at=current.submitted_at,
        late=current.late,
        reason=reason,
        sent_back_by=actor,
    )
    current.all_figures.filter(earlier__isnull=True).update(earlier=earlier)
    Submission.objects.filter(pk=current.pk).update(
        state=ReturnState.PENDING, report=None, submitted_by=None, submitted_at=None, late=False
    )
    submission.refresh_from_db()
    return earlier


@transaction.atomic
def draft_consolidated(*, request: CollectionRequest, actor, today: date | None = None):
    """Draft the consolidated report over the issuer's subtree and keep it with
    every figure as drafted; its text is version 1."""
    from gonghui.collection import consolidated

    request.refresh_from_db(fields=["state"])
    if request.is_withdrawn:
        raise ValidationError({"state": f"《{request.title}》已撤回，不能起草汇总报告"})
    if request.state == RequestState.CLOSED:
        raise ValidationError({"state": f"《{request.title}》已办结，汇总报告已定稿，不能再起草"})
    d = consolidated.draft(request=request, today=today)
    report = ConsolidatedReport.objects.create(
        union_id=request.union_id, request=request, title=d.title, created_by=actor
    )
    ConsolidatedFigure.objects.bulk_create(
        ConsolidatedFigure(
            union_id=request.union_id,
            report=report,
            ref=f.ref,
            scope=f.scope,
            unit_union=f.unit_union,
            metric_key=f.key,
            label=f.label,
            unit=f.unit,
            start=f.period.start,
            end=f.period.end,
            value=Decimal(f.value).quantize(Decimal("0.01")),
        )
        for f in d.figures
    )
    ConsolidatedVersion.objects.create(
        union_id=request.union_id,
        report=report,
        number=1,
        body=sanitise(consolidated.to_html(d, report=report)),
        created_by=actor,
    )
    return report


@transaction.atomic
def save_consolidated_version(
    *, report: ConsolidatedReport, body: str, actor
) -> ConsolidatedVersion:
    """Keep the edited text as a new version; a locked report is read-only."""
    clean = sanitise(body)
    if not clean.strip():
        raise ValidationError({"body": "正文不能为空"})
    if not ConsolidatedReport.objects.filter(pk=report.pk, state=ConsolidatedState.DRAFT).update(
        state=ConsolidatedState.DRAFT
    ):
        raise ValidationError({"body": "汇总报告已定稿，不能再修改"})
    latest = report.versions.order_by("-number").values_list("number", flat=True).first()
    return ConsolidatedVersion.objects.create(
        union_id=report.union_id,
        report=report,
        number=(latest or 0) + 1,
        body=clean,
        created_by=actor,
    )


@transaction.atomic
def lock_consolidated(*, report: ConsolidatedReport, actor, now=None) -> ConsolidatedReport:
    """定稿: the latest version is final and the report read-only, its figures
    as drafted. The request is closed (办结): no more returns, reminders or
    send-backs that would make the final figures disagree with the returns."""
    request = CollectionRequest.objects.select_for_update().get(pk=report.request_id)
    if request.is_withdrawn:
        raise ValidationError({"state": f"《{request.title}》已撤回，汇总报告不能定稿"})
    changed = ConsolidatedReport.objects.filter(pk=report.pk, state=ConsolidatedState.DRAFT).update(
        state=ConsolidatedState.LOCKED, locked_by=actor, locked_at=now or timezone.now()
    )
    if not changed:
        raise ValidationError({"state": "汇总报告已经定稿了"})
    if request.state == RequestState.CLOSED:
        raise ValidationError({"state": f"《{request.title}》已有定稿的汇总报告，请在该报告上继续"})
    CollectionRequest.objects.filter(pk=request.pk).update(state=RequestState.CLOSED)
    report.refresh_from_db()
    return report
