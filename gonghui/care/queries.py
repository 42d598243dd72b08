"""Reads of care records and their registered metrics.

Dated records belong to the period their date falls in: a visit by its
date, assistance by its date (approved ones only), a donation by the day it
was given, school aid by the day it was decided. A hardship case is open at a
date when it was filed on or before it and not closed by then.
"""

from decimal import Decimal

from django.db.models import Case, CharField, Count, Exists, OuterRef, Q, QuerySet, Sum, Value, When

from gonghui.care.models import (
    ZERO,
    AidState,
    Assistance,
    AssistanceKind,
    AssistanceSource,
    CareSettings,
    CaseReview,
    Donation,
    DonationCampaign,
    FestivalDistribution,
    FundContribution,
    GiftRecipient,
    Handover,
    HardshipCase,
    MutualAidEnrolment,
    SchoolAid,
    Visit,
    VisitKind,
)
from gonghui.members.models import Gender, Member, Status
from gonghui.reports.registry import metric, ratio


def settings_of(union) -> CareSettings:
    """The union's care settings, or the defaults when it has not set any (unsaved)."""
    union_id = union if isinstance(union, int) else union.pk
    return CareSettings.objects.filter(union_id=union_id).first() or CareSettings(union_id=union_id)


def _total(qs, field: str = "amount") -> Decimal:
    value = qs.aggregate(total=Sum(field))["total"]
    # SQLite sums decimals without their scale; show cents everywhere.
    return (value if value is not None else ZERO).quantize(ZERO)


def campaign_totals(campaign: DonationCampaign) -> dict:
    """Raised, fund contribution, delivered, donors and what may still be delivered."""
    raised = _total(Donation.objects.filter(campaign=campaign))
    fund = _total(FundContribution.objects.filter(campaign=campaign))
    delivered = _total(Handover.objects.filter(campaign=campaign))
    return {
        "raised": raised,
        "fund": fund,
        "total": raised + fund,
        "delivered": delivered,
        "available": raised + fund - delivered,
        "donors": Donation.objects.filter(campaign=campaign).count(),
    }


def assistance_total(*, member: Member, year: int) -> Decimal:
    """What a member was given as approved assistance in a year."""
    return _total(
        Assistance.objects.filter(member=member, on__year=year, approved_at__isnull=False)
    )


def gifts_received(*, member: Member, year: int) -> Decimal:
    return _total(GiftRecipient.objects.filter(member=member, distribution__on__year=year))


def festival_candidates(
    *,
    union,
    groups=None,
    gender: str = "",
    birth_month: int | None = None,
    joined_before=None,
) -> QuerySet:
    """Members on the roll, narrowed by the roster filters a distribution uses."""
    members = Member.objects.filter(union=union, status=Status.ACTIVE)
    if groups:
        members = members.filter(group__in=list(groups))
    if gender in Gender.values:
        members = members.filter(gender=gender)
    if birth_month:
        members = members.filter(birth_date__month=birth_month)
    if joined_before:
        members = members.filter(joined_on__lte=joined_before)
    return members.order_by("group__name", "name_initials", "id")


def _labelled(field: str, choices) -> Case:
    return Case(
        *[When(**{field: value}, then=Value(label)) for value, label in choices.choices],
        default=Value("其他"),
        output_field=CharField(),
    )


def _open_at(day) -> Q:
    return Q(filed_on__lte=day) & (Q(closed_on__isnull=True) | Q(closed_on__gt=day))


# Metrics -------------------------------------------------------------------------------


def visits_in(unions, period) -> QuerySet:
    return Visit.objects.filter(union__in=unions, on__range=period.bounds)


@metric(
    "care.visits",
    label="慰问次数",
    unit="次",
    breakdown="kind_label",
    description="本期慰问记录，按慰问类型分",
)
def visits(unions, period):
    return visits_in(unions, period).annotate(kind_label=_labelled("kind", VisitKind))


@metric("care.members_visited", label="慰问会员", unit="人", description="本期被慰问的会员（去重）")
def members_visited(unions, period):
    # An IN over the visited ids, not a correlated EXISTS per member: the planner
    # then reads the period's visits once instead of probing them for every member.
    visited = Visit.members.through.objects.filter(
        visit__union__in=unions, visit__on__range=period.bounds
    ).values("member_id")
    return Member.objects.filter(union__in=unions, pk__in=visited)


@metric("care.visit_amount", label="慰问金额", unit="元", sum_field="amount")
def visit_amount(unions, period):
    return visits_in(unions, period)


@metric(
    "care.hardship_open",
    label="在档困难职工",
    unit="户",
    description="期末未解除的困难职工档案",
)
def hardship_open(unions, period):
    return HardshipCase.objects.filter(_open_at(period.end), union__in=unions)


@metric("care.hardship_new", label="新建困难档案", unit="户")
def hardship_new(unions, period):
    return HardshipCase.objects.filter(union__in=unions, filed_on__range=period.bounds)


@metric("care.hardship_closed", label="解除困难档案", unit="户")
def hardship_closed(unions, period):
    return HardshipCase.objects.filter(union__in=unions, closed_on__range=period.bounds)


@metric(
    "care.hardship_reviewed",
    label="已复核困难档案",
    unit="户",
    description="期末在档、且本期内复核过的困难档案",
)
def hardship_reviewed(unions, period):
    reviewed = CaseReview.objects.filter(case_id=OuterRef("pk"), on__range=period.bounds)
    return hardship_open(unions, period).filter(Exists(reviewed))


ratio(
    "care.hardship_review_coverage",
    label="困难档案复核率",
    numerator="care.hardship_reviewed",
    denominator="care.hardship_open",
    description="期末在档档案中本期复核过的 ÷ 期末在档档案",
)


def assistance_in(unions, period) -> QuerySet:
    return Assistance.objects.filter(
        union__in=unions, on__range=period.bounds, approved_at__isnull=False
    )


@metric(
    "care.assistance_amount",
    label="帮扶金额",
    unit="元",
    sum_field="amount",
    description="本期已批准的帮扶金额",
)
def assistance_amount(unions, period):
    return assistance_in(unions, period)


def _register_assistance(prefix: str, field: str, choice) -> None:
    def records(unions, period):
        return assistance_in(unions, period).filter(**{field: choice.value})

    records.__name__ = f"assistance_{field}_{choice.value}"
    metric(
        f"care.assistance_amount.{prefix}.{choice.value}",
        label=f"帮扶金额（{choice.label}）",
        unit="元",
        sum_field="amount",
    )(records)


for _kind in AssistanceKind:
    _register_assistance("kind", "kind", _kind)
for _source in AssistanceSource:
    _register_assistance("source", "source", _source)


@metric("care.donations_total", label="爱心捐款", unit="元", sum_field="amount")
def donations_total(unions, period):
    return Donation.objects.filter(union__in=unions, on__range=period.bounds)


@metric(
    "care.donors",
    label="捐款人次",
    unit="人次",
    description="本期捐款笔数（每笔一位捐款人，含匿名）",
)
def donors(unions, period):
    return Donation.objects.filter(union__in=unions, on__range=period.bounds)


@metric("care.fund_contribution", label="工会经费资助捐款", unit="元", sum_field="amount")
def fund_contribution(unions, period):
    return FundContribution.objects.filter(union__in=unions, on__range=period.bounds)


@metric("care.delivered", label="捐款交付", unit="元", sum_field="amount")
def delivered(unions, period):
    return Handover.objects.filter(union__in=unions, on__range=period.bounds)


def school_aid_in(unions, period) -> QuerySet:
    return SchoolAid.objects.filter(
        union__in=unions, state=AidState.APPROVED, decided_on__range=period.bounds
    )


@metric("care.school_aid_granted", label="金秋助学", unit="人", description="本期批准的助学申请")
def school_aid_granted(unions, period):
    return school_aid_in(unions, period)


@metric("care.school_aid_amount", label="金秋助学金额", unit="元", sum_field="amount")
def school_aid_amount(unions, period):
    return school_aid_in(unions, period)


@metric("care.gifts_total", label="节日慰问金额", unit="元", sum_field="total")
def gifts_total(unions, period):
    return FestivalDistribution.objects.filter(union__in=unions, on__range=period.bounds)


@metric(
    "care.gift_recipients",
    label="节日慰问人次",
    unit="人次",
    breakdown="distribution__occasion",
)
def gift_recipients(unions, period):
    return GiftRecipient.objects.filter(
        union__in=unions, distribution__on__range=period.bounds
    ).select_related("member")


@metric(
    "care.mutual_aid_enrolled",
    label="医疗互助参保",
    unit="人",
    description="本期所涉年度的医疗互助参保",
)
def mutual_aid_enrolled(unions, period):
    return MutualAidEnrolment.objects.filter(
        union__in=unions, year__range=(period.start.year, period.end.year)
    )


def assistance_by_year(*, member: Member) -> list[tuple[int, Decimal, int]]:
    """(year, approved amount, count) for a member, newest year first."""
    rows = (
        Assistance.objects.filter(member=member, approved_at__isnull=False)
        .values_list("on__year")
        .annotate(total=Sum("amount"), n=Count("pk"))
        .order_by("-on__year")
    )
    return [(year, (total or ZERO).quantize(ZERO), n) for year, total, n in rows]


# What a member sees in the portal -------------------------------------------------------


def open_campaigns(*, union, today) -> QuerySet:
    """The union's campaigns taking donations on `today`, closing soonest first."""
    return DonationCampaign.objects.filter(
        union=union, opens_on__lte=today, closes_on__gte=today
    ).order_by("closes_on", "id")


def shown_donations(campaign: DonationCampaign) -> QuerySet:
    """Donations whose donors agreed to show the amount (anonymous ones stay unnamed)."""
    return Donation.objects.filter(campaign=campaign, show_amount=True).select_related("donor")


def donations_of(*, member: Member) -> QuerySet:
    return Donation.objects.filter(donor=member).select_related("campaign").order_by("-on", "-id")


def visits_of(*, member: Member) -> QuerySet:
    return Visit.objects.filter(members=member).order_by("-on", "-id")


def assistance_received(*, member: Member) -> QuerySet:
    """Approved assistance given to the member."""
    return Assistance.objects.filter(member=member, approved_at__isnull=False).order_by(
        "-on", "-id"
    )


def gifts_of(*, member: Member) -> QuerySet:
    return (
        GiftRecipient.objects.filter(member=member)
        .select_related("distribution")
        .order_by("-distribution__on", "-id")
    )


def school_aid_of(*, member: Member) -> QuerySet:
    return SchoolAid.objects.filter(member=member).order_by("-applied_on", "-id")
