"""Reads and registered metrics of 维权.

A contract is in force at the period's end when it was signed by then and
the day lies in its term. A round counts by the day it was held, a case by
the day it was received or closed, a consultation by the day it was asked, a
supervision check by the day it was made (a finding is resolved when put
right by the period's end).
"""

import statistics
from dataclasses import dataclass
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Case, CharField, Exists, OuterRef, Q, QuerySet, Value, When
from django_scopes import scopes_disabled

from gonghui.democracy.models import Resolution, ResolutionState
from gonghui.orgs.models import UPPER_KINDS, Union
from gonghui.reports.registry import Metric, field_values_by_union, metric, ratio, register
from gonghui.rights.models import (
    MEDIATION_LIMIT_DAYS,
    Consultation,
    ConsultationOutcome,
    Contract,
    ContractKind,
    DisputeCase,
    NegotiationRound,
    Outcome,
    SupervisionCheck,
)

TENTH = Decimal("0.1")
EXPIRY_ALERT_DAYS = 90


def _ids(unions) -> list[int]:
    if isinstance(unions, QuerySet):
        with scopes_disabled():
            return list(unions.values_list("pk", flat=True))
    if isinstance(unions, int) or hasattr(unions, "pk"):
        unions = [unions]
    return [u if isinstance(u, int) else u.pk for u in unions]


@dataclass(frozen=True)
class Computed(Metric):
    """A metric whose value is the mean or median of `field` over its records."""

    field: str = ""
    how: str = "mean"

    def value(self, unions, period):
        values = self.records(_ids(unions), period).values_list(self.field, flat=True)
        return self._of([v for v in values if v is not None])

    def values_by_union(self, ids, period):
        found = field_values_by_union(self.records(list(ids), period), self.field)
        return {uid: self._of(found.get(uid, [])) for uid in ids}

    def _of(self, raw: list) -> Decimal:
        values = [Decimal(str(v)) for v in raw]
        if not values:
            return Decimal("0.0")
        middle = statistics.median(values) if self.how == "median" else sum(values) / len(values)
        return Decimal(middle).quantize(TENTH, rounding=ROUND_HALF_UP)


def _labelled(field: str, choices) -> Case:
    return Case(
        *[When(**{field: value}, then=Value(label)) for value, label in choices.choices],
        default=Value("其他"),
        output_field=CharField(),
    )


def in_force_at(day) -> Q:
    return Q(signed_on__isnull=False, signed_on__lte=day, starts_on__lte=day, ends_on__gte=day)


# Workflow reads ---------------------------------------------------------------------------


def expiring(*, union_ids, today, days: int = EXPIRY_ALERT_DAYS) -> QuerySet:
    """Contracts in force today that end within `days`: time to renegotiate."""
    return Contract.objects.filter(
        in_force_at(today), union_id__in=union_ids, ends_on__lte=today + timedelta(days=days)
    ).order_by("ends_on", "id")


def has_successor() -> Exists:
    """A later contract of the same kind in the same union: the renewal is under way."""
    return Exists(
        Contract.objects.filter(
            union_id=OuterRef("union_id"),
            kind=OuterRef("kind"),
            starts_on__gt=OuterRef("starts_on"),
        )
    )


def lapsed(*, union_ids, today, within: int = 365) -> QuerySet:
    """Signed contracts that ended in the last `within` days with no successor of their kind."""
    return (
        Contract.objects.filter(
            union_id__in=union_ids,
            signed_on__isnull=False,
            ends_on__lt=today,
            ends_on__gte=today - timedelta(days=within),
        )
        .exclude(has_successor())
        .order_by("-ends_on", "id")
    )


def expiry_alert(contract: Contract, today) -> str:
    """The renewal reminder shown on a signed contract: due within 90 days, or ended."""
    if contract.signed_on is None:
        return ""
    if contract.ends_on < today:
        return f"已于{contract.ends_on:%Y-%m-%d}到期"
    left = (contract.ends_on - today).days
    if left <= EXPIRY_ALERT_DAYS:
        return f"{left}天后到期（{contract.ends_on:%Y-%m-%d}），请启动续签协商"
    return ""


def employer_of(union: Union) -> str:
    """The employer the union faces: party to its latest contract, else the
    union's name without 工会 (an enterprise union is named after it)."""
    latest = Contract.objects.filter(union_id=union.pk).order_by("-starts_on", "-id").first()
    if latest is not None:
        return latest.employer
    return union.name.removesuffix("工会").removesuffix("委员会") or union.name


def overdue_disputes(*, union_ids, today) -> QuerySet:
    """Open cases past the statutory 15 days of mediation."""
    return DisputeCase.objects.filter(
        union_id__in=union_ids,
        outcome=Outcome.OPEN,
        received_on__lt=today - timedelta(days=MEDIATION_LIMIT_DAYS),
    ).order_by("received_on", "id")


def vote_resolutions(contract: Contract) -> QuerySet:
    """Decided resolutions of the contract's union that its vote may be taken from."""
    return (
        Resolution.objects.filter(union_id=contract.union_id)
        .exclude(state=ResolutionState.PENDING)
        .select_related("session", "agenda_item")
        .order_by("-session__date", "-id")
    )


# Metrics ------------------------------------------------------------------------------------


def contracts_in_force_in(unions, period) -> QuerySet:
    return Contract.objects.filter(in_force_at(period.end), union__in=unions)


@metric(
    "rights.contracts_in_force",
    label="有效集体合同",
    unit="份",
    breakdown="kind_label",
    description="期末已签署且在期限内的集体合同和专项合同，按类别分",
)
def contracts_in_force(unions, period):
    return contracts_in_force_in(unions, period).annotate(
        kind_label=_labelled("kind", ContractKind)
    )


@metric(
    "rights.contracts_signed",
    label="新签集体合同",
    unit="份",
    description="本期签署的集体合同和专项合同",
)
def contracts_signed(unions, period):
    return Contract.objects.filter(union__in=unions, signed_on__range=period.bounds)


@metric(
    "rights.contracts_expiring",
    label="即将到期集体合同",
    unit="份",
    description="期末有效、且在期末后90天内到期的合同（需启动续签协商）",
)
def contracts_expiring(unions, period):
    return contracts_in_force_in(unions, period).filter(
        ends_on__lte=period.end + timedelta(days=EXPIRY_ALERT_DAYS)
    )


@metric("rights.rounds_held", label="集体协商会议", unit="轮", description="本期召开的协商会议")
def rounds_held(unions, period):
    return NegotiationRound.objects.filter(
        union__in=unions, held_on__range=period.bounds
    ).select_related("contract")


def _wage_contracts_signed(unions, period):
    return Contract.objects.filter(
        union__in=unions,
        signed_on__range=period.bounds,
        kind__in=(ContractKind.WAGE, ContractKind.COMPREHENSIVE),
        wage_increase__isnull=False,
    )


register(
    Computed(
        key="rights.wage_increase",
        label="约定工资增长幅度",
        unit="%",
        records=_wage_contracts_signed,
        area="rights",
        description="本期签署、约定了工资增长幅度的合同的平均增幅",
        field="wage_increase",
    )
)


@metric(
    "rights.unions_with_wage_contract",
    label="建立工资集体协商制度的工会",
    unit="家",
    description="期末有有效工资专项集体合同的基层工会",
)
def unions_with_wage_contract(unions, period):
    with scopes_disabled():
        wage = Contract.objects.filter(
            in_force_at(period.end), union_id=OuterRef("pk"), kind=ContractKind.WAGE
        )
        return (
            Union.objects.filter(pk__in=_ids(unions))
            .exclude(kind__in=UPPER_KINDS)
            .filter(Exists(wage))
        )


def grassroots_unions(ids, period) -> dict[int, int]:
    """1 for each grassroots union of `ids` (an upper union counts none)."""
    with scopes_disabled():
        return dict.fromkeys(
            Union.objects.filter(pk__in=ids)
            .exclude(kind__in=UPPER_KINDS)
            .values_list("pk", flat=True),
            1,
        )


ratio(
    "rights.wage_contract_coverage",
    label="工资集体协商建制率",
    numerator="rights.unions_with_wage_contract",
    denominators=grassroots_unions,
    description="有有效工资专项集体合同的基层工会 ÷ 基层工会数（上级工会看其下属）",
)


@metric("rights.disputes_received", label="受理劳动争议", unit="件")
def disputes_received(unions, period):
    return DisputeCase.objects.filter(union__in=unions, received_on__range=period.bounds)


def closed_in(unions, period) -> QuerySet:
    return DisputeCase.objects.filter(union__in=unions, closed_on__range=period.bounds)


@metric(
    "rights.disputes_closed",
    label="办结劳动争议",
    unit="件",
    breakdown="outcome_label",
    description="本期结案的调解案件，按结果分",
)
def disputes_closed(unions, period):
    return closed_in(unions, period).annotate(outcome_label=_labelled("outcome", Outcome))


@metric("rights.disputes_settled", label="调解成功", unit="件", description="本期调解成功结案")
def disputes_settled(unions, period):
    return closed_in(unions, period).filter(outcome=Outcome.SETTLED)


ratio(
    "rights.dispute_success_rate",
    label="调解成功率",
    numerator="rights.disputes_settled",
    denominator="rights.disputes_closed",
    description="本期调解成功结案 ÷ 本期结案",
)

register(
    Computed(
        key="rights.dispute_median_days",
        label="调解办结天数（中位数）",
        unit="天",
        records=closed_in,
        area="rights",
        description="本期结案案件自受理到结案天数的中位数",
        field="days_to_close",
        how="median",
    )
)


@metric(
    "rights.disputes_over_limit",
    label="超过15日调解期限",
    unit="件",
    description="本期结案但办结超过15日的案件",
)
def disputes_over_limit(unions, period):
    return closed_in(unions, period).filter(days_to_close__gt=MEDIATION_LIMIT_DAYS)


@metric(
    "rights.consultations",
    label="法律咨询",
    unit="人次",
    breakdown="topic_label",
    description="本期法律咨询（含法律援助），按类别分",
)
def consultations(unions, period):
    from gonghui.rights.models import Topic

    return Consultation.objects.filter(union__in=unions, asked_on__range=period.bounds).annotate(
        topic_label=_labelled("topic", Topic)
    )


@metric("rights.legal_aid", label="法律援助", unit="件", description="本期提供法律援助的咨询")
def legal_aid(unions, period):
    return Consultation.objects.filter(
        union__in=unions, asked_on__range=period.bounds, outcome=ConsultationOutcome.AID
    )


@metric("rights.supervision_checks", label="劳动法律监督检查", unit="次")
def supervision_checks(unions, period):
    return SupervisionCheck.objects.filter(union__in=unions, checked_on__range=period.bounds)


@metric(
    "rights.supervision_findings",
    label="监督发现问题",
    unit="项",
    description="本期检查发现不符合规定、发出监督意见书的",
)
def supervision_findings(unions, period):
    return supervision_checks(unions, period).filter(compliant=False)


@metric(
    "rights.supervision_resolved",
    label="监督问题已解决",
    unit="项",
    description="本期发现的问题中期末前已解决的",
)
def supervision_resolved(unions, period):
    return supervision_findings(unions, period).filter(resolved_on__lte=period.end)


ratio(
    "rights.supervision_resolution_rate",
    label="监督问题解决率",
    numerator="rights.supervision_resolved",
    denominator="rights.supervision_findings",
)
