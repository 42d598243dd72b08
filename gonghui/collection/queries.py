"""Reads for report collection: who may issue and submit, the units below an
upper union, each unit's status, the status board, and the figures a unit
returns.

Per-unit and subtree figures come from the upper-union workspace's data layer
(`gonghui.upper.figures`), which answers what the metrics registry answers.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import connection
from django.utils import timezone

from gonghui.collection.models import (
    CollectionRequest,
    Reminder,
    RequestState,
    ReturnState,
    Submission,
)
from gonghui.orgs.models import UPPER_KINDS, Union
from gonghui.orgs.roles import Perm, Role
from gonghui.periods import Period
from gonghui.reports import registry
from gonghui.reports.models import ReportState, SummaryReport
from gonghui.upper import figures

# Who may do what ---------------------------------------------------------------------


def issuing_unions(access) -> list[int]:
    """Unions whose staff the user is in person: an upper union's requests are
    issued by its own staff, never by the staff of a union above it."""
    return [
        u for u in access.unions_with(Perm.ISSUE_COLLECTION) if access.has_role(Role.UPPER_STAFF, u)
    ]


def reading_unions(access) -> list[int]:
    """Unions whose requests and boards the user may read (the issuer's staff and those above)."""
    return access.unions_with(Perm.VIEW_DASHBOARD)


def submitting_unions(access) -> list[int]:
    return access.unions_with(Perm.SUBMIT_COLLECTION)


# The tree below an upper union ----------------------------------------------------------


def units(upper: Union) -> list[Union]:
    """The grassroots unions in `upper`'s subtree, by path (the upper workspace's definition)."""
    return figures.units(upper)


def districts(upper: Union) -> list[Union]:
    """The upper unions directly or further below `upper` that have units (区县、产业工会)."""
    below = (
        Union.objects.filter(path__startswith=upper.path, kind__in=UPPER_KINDS)
        .exclude(pk=upper.pk)
        .order_by("path")
    )
    unit_paths = [u.path for u in units(upper)]
    return [d for d in below if any(p.startswith(d.path) for p in unit_paths)]


def district_of(unit: Union, upper: Union) -> Union | None:
    """The nearest upper union between `unit` and `upper` (the unit's district), if any."""
    codes = unit.path.strip("/").split("/")
    depth = upper.path.strip("/").count("/") + 1
    if len(codes) <= depth + 1:
        return None
    return Union.objects.filter(code=codes[depth]).first()


# Figures --------------------------------------------------------------------------------


def installed_keys(keys) -> list[str]:
    """The keys whose metric is registered and whose area's tables are migrated."""
    tables = set(connection.introspection.table_names())
    known = {m.key for m in registry.all_metrics()}
    found = []
    for key in keys:
        if key not in known:
            continue
        model = registry.get(key).records_for([0], Period.year(2000)).model
        if model._meta.db_table in tables:
            found.append(key)
    return found


def returned_keys() -> list[str]:
    """The statistics a unit returns: the key figures of its dashboard, every area."""
    from gonghui.reports.views import AREAS

    return installed_keys(k for _, _, keys in AREAS for k in keys)


def unit_values(upper: Union, period: Period, keys: list[str]) -> dict[int, dict]:
    """{unit_id: {key: value}} for every unit below `upper`."""
    return figures.unit_values(upper, period, keys)


def subtree_totals(upper: Union, period: Period, keys: list[str], values=None) -> dict:
    """Each metric over all units below `upper` (ratios from the summed parts)."""
    return figures.subtree_totals(upper, period, keys, values)


# Status ----------------------------------------------------------------------------------

SUBMITTED, LATE, MISSING, WAITING = "submitted", "late", "missing", "waiting"
SENT_BACK, NOT_DUE = "sent_back", "not_due"
STATUS_LABELS = {
    SUBMITTED: "已报送",
    LATE: "逾期报送",
    MISSING: "逾期未报",
    WAITING: "待报送",
    SENT_BACK: "退回重报",
    NOT_DUE: "未报（通知已撤回或办结）",
}
# Statuses of a unit that still owes its return.
OUTSTANDING = (MISSING, WAITING, SENT_BACK)


def status(submission: Submission, today: date | None = None) -> str:
    """已报送 / 逾期报送 (逾期) / 退回重报 (sent back, to submit again) / 逾期未报
    (past the deadline) / 待报送 (not yet due); a return never made to a request
    withdrawn or closed is no longer due."""
    if submission.state == ReturnState.SUBMITTED:
        return LATE if submission.late else SUBMITTED
    if submission.request.state != RequestState.OPEN:
        return NOT_DUE
    if submission.sent_back.all():
        return SENT_BACK
    today = today or timezone.localdate()
    return MISSING if today > submission.request.deadline else WAITING


@dataclass
class BoardRow:
    submission: Submission
    status: str
    district: Union | None
    reminders: int
    last_reminded: object

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


@dataclass
class Board:
    request: CollectionRequest
    rows: list[BoardRow]
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def returned(self) -> int:
        return self.counts[SUBMITTED] + self.counts[LATE]

    @property
    def outstanding(self) -> int:
        return sum(self.counts[k] for k in OUTSTANDING)


def board(request: CollectionRequest, *, today: date | None = None, only: str = "") -> Board:
    """Every addressed unit with its status, its district and its reminders."""
    rows = []
    submissions = (
        request.submissions.select_related("union", "report", "submitted_by", "request")
        .prefetch_related("reminders", "sent_back")
        .order_by("union__path")
    )
    issuer = request.union
    district_by_code = {
        d.code: d for d in Union.objects.filter(path__startswith=issuer.path, kind__in=UPPER_KINDS)
    }
    depth = issuer.path.strip("/").count("/") + 1
    counts = dict.fromkeys(STATUS_LABELS, 0)
    for s in submissions:
        st = status(s, today)
        counts[st] += 1
        codes = s.union.path.strip("/").split("/")
        district = district_by_code.get(codes[depth]) if len(codes) > depth + 1 else None
        reminders = list(s.reminders.all())
        if only and st != only:
            continue
        rows.append(
            BoardRow(
                submission=s,
                status=st,
                district=district,
                reminders=len(reminders),
                last_reminded=reminders[0].sent_at if reminders else None,
            )
        )
    return Board(request=request, rows=rows, counts=counts)


def requests_for(access) -> list[CollectionRequest]:
    """The requests the user may follow: those issued by unions they read as upper staff."""
    return list(
        CollectionRequest.objects.filter(union__in=reading_unions(access)).select_related("union")
    )


def open_returns(union_id: int) -> list[Submission]:
    """A unit's returns still to submit, with their reminders, the earliest deadline first."""
    return list(
        Submission.objects.filter(
            union_id=union_id, state=ReturnState.PENDING, request__state=RequestState.OPEN
        )
        .select_related("request", "request__union")
        .prefetch_related("reminders", "sent_back")
        .order_by("request__deadline", "pk")
    )


def recent_returns(union_id: int, *, limit: int = 3) -> list[Submission]:
    return list(
        Submission.objects.filter(union_id=union_id, state=ReturnState.SUBMITTED)
        .select_related("request", "request__union")
        .order_by("-submitted_at")[:limit]
    )


def reminders_for(union_id: int) -> list[Reminder]:
    return list(
        Reminder.objects.filter(
            union_id=union_id,
            submission__state=ReturnState.PENDING,
            submission__request__state=RequestState.OPEN,
        )
        .select_related("submission__request__union", "sent_by")
        .order_by("-sent_at")
    )


def report_for(submission: Submission) -> SummaryReport | None:
    """The unit's summary report the request asks for: same type and period,
    a locked one before a draft, the latest first."""
    request = submission.request
    if not request.wants_report:
        return None
    return (
        SummaryReport.objects.filter(
            union_id=submission.union_id, kind=request.kind, start=request.start, end=request.end
        )
        .order_by(_locked_first(), "-created_at", "-pk")
        .first()
    )


def _locked_first():
    from django.db.models import Case, IntegerField, Value, When

    return Case(
        When(state=ReportState.SUBMITTED, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )


def value_text(value, unit: str = "") -> str:
    from gonghui.reports.drafting.core import number_text

    if isinstance(value, Decimal) and unit == "元":
        return f"{value.quantize(Decimal('0.01')):,}"
    return number_text(value)
