"""Reads of 女职工工作 and its registered metrics.

A check-up campaign belongs to the period its start date falls in; its
coverage is the examined over the eligible list. Insurance counts by the
plan's year, like care's mutual aid. A four-period case is open at a date
when it started on or before it and had not ended by then; its metric is a
count only (its records name nobody: see ProtectionRecord.__str__).
"""

from datetime import date

from django.db.models import Count, Q, QuerySet

from gonghui.members.models import Gender, Member
from gonghui.members.queries import on_roll_at
from gonghui.members.rolls import ALL, WOMEN, on_roll_per_union
from gonghui.orgs.models import Post, PostKind, Term
from gonghui.reports.registry import metric, ratio
from gonghui.women.models import (
    Checkup,
    CheckupCampaign,
    InsuranceEnrolment,
    InsurancePlan,
    ProtectionRecord,
)

COMMITTEE_KINDS = (PostKind.WOMEN_HEAD, PostKind.WOMEN_MEMBER)


def current_term(*, union, day: date) -> Term | None:
    union_id = union if isinstance(union, int) else union.pk
    return (
        Term.objects.filter(union_id=union_id, starts_on__lte=day)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))
        .order_by("-number")
        .first()
    )


def committee(*, term: Term) -> QuerySet:
    """The women's committee of a term: head first."""
    return (
        Post.objects.filter(term=term, kind__in=COMMITTEE_KINDS)
        .select_related("member")
        .order_by("-kind", "member__name_initials")
    )


def campaign_totals(campaign: CheckupCampaign) -> dict:
    row = Checkup.objects.filter(campaign=campaign).aggregate(
        eligible=Count("pk"), done=Count("pk", filter=Q(done_on__isnull=False))
    )
    eligible, done = row["eligible"], row["done"]
    return {
        "eligible": eligible,
        "done": done,
        "coverage": round(done * 100 / eligible, 1) if eligible else 0.0,
    }


def checkup_list(campaign: CheckupCampaign) -> QuerySet:
    return (
        Checkup.objects.filter(campaign=campaign)
        .select_related("member", "member__group")
        .order_by("done_on", "member__name_initials", "pk")
    )


def plan_totals(plan: InsurancePlan) -> dict:
    rows = InsuranceEnrolment.objects.filter(plan=plan)
    n = rows.count()
    return {"enrolled": n, "premium_total": plan.premium * n}


def protection_open_at(unions, day: date) -> QuerySet:
    return ProtectionRecord.objects.filter(union__in=unions, starts_on__lte=day).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gt=day)
    )


# What a member sees about herself ------------------------------------------------------------


def checkups_of(*, member: Member) -> QuerySet:
    return (
        Checkup.objects.filter(member=member)
        .select_related("campaign")
        .order_by("-campaign__starts_on", "-id")
    )


def insurance_of(*, member: Member) -> QuerySet:
    return (
        InsuranceEnrolment.objects.filter(member=member)
        .select_related("plan")
        .order_by("-year", "-id")
    )


# Metrics --------------------------------------------------------------------------------------


@metric(
    "women.women_members",
    label="女会员",
    unit="人",
    description="期末在册女会员",
    per_union=on_roll_per_union(WOMEN),
)
def women_members(unions, period):
    return on_roll_at(unions, period.end).filter(gender=Gender.FEMALE)


@metric(
    "women.members",
    label="期末会员",
    unit="人",
    description="期末在册会员（女会员占比的分母）",
    per_union=on_roll_per_union(ALL),
)
def members(unions, period):
    return on_roll_at(unions, period.end)


ratio(
    "women.women_share",
    label="女会员占比",
    numerator="women.women_members",
    denominator="women.members",
    description="期末在册女会员 ÷ 期末在册会员",
)


def _checkups(unions, period) -> QuerySet:
    return Checkup.objects.filter(
        union__in=unions, campaign__starts_on__range=period.bounds
    ).select_related("member", "campaign")


@metric(
    "women.checkup_eligible",
    label="应检女职工",
    unit="人次",
    breakdown="campaign__kind",
    description="本期开始的体检的名单人数",
)
def checkup_eligible(unions, period):
    return _checkups(unions, period)


@metric(
    "women.checkups_done",
    label="已体检女职工",
    unit="人次",
    breakdown="campaign__kind",
    description="本期开始的体检中已体检的人数",
)
def checkups_done(unions, period):
    return _checkups(unions, period).filter(done_on__isnull=False)


ratio(
    "women.checkup_coverage",
    label="女职工体检覆盖率",
    numerator="women.checkups_done",
    denominator="women.checkup_eligible",
    description="已体检 ÷ 体检名单人数（本期开始的体检）",
)


def _enrolments(unions, period) -> QuerySet:
    return InsuranceEnrolment.objects.filter(
        union__in=unions, year__range=(period.start.year, period.end.year)
    )


@metric(
    "women.insured",
    label="参保女职工",
    unit="人",
    description="本期所涉年度参加女职工保险的会员（去重）",
)
def insured(unions, period):
    return Member.objects.filter(
        union__in=unions, pk__in=_enrolments(unions, period).values("member_id")
    )


@metric("women.insurance_premium", label="女职工保险保费", unit="元", sum_field="premium")
def insurance_premium(unions, period):
    return _enrolments(unions, period).select_related("member", "plan")


@metric(
    "women.protection_open",
    label="在册四期保护",
    unit="件",
    description="期末尚未结束的四期保护记录（只计数，不显示姓名和类别）",
)
def protection_open(unions, period):
    return protection_open_at(unions, period.end)
