"""Reads and registered metrics of 评先评优.

An award counts in the period its decision falls in; a model worker is on
record at the period's end when the title was conferred in or before that
year. A month's group scores count once the month is published, in the
period its month falls in.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Case, CharField, Count, Q, QuerySet, Sum, Value, When
from django_scopes import scopes_disabled

from gonghui.honors.models import (
    Assessment,
    AwardKind,
    GroupResult,
    Level,
    ModelWorker,
    Nomination,
    NominationState,
    Score,
)
from gonghui.members.models import Member
from gonghui.orgs.models import Group
from gonghui.reports.registry import Metric, metric, register

TENTH = Decimal("0.1")


def _ids(unions) -> list[int]:
    if isinstance(unions, QuerySet):
        with scopes_disabled():
            return list(unions.values_list("pk", flat=True))
    if isinstance(unions, int) or hasattr(unions, "pk"):
        unions = [unions]
    return [u if isinstance(u, int) else u.pk for u in unions]


@dataclass(frozen=True)
class Average(Metric):
    """A metric whose value is the mean of `average_field` over its records."""

    average_field: str = ""

    def value(self, unions, period):
        qs = self.records(_ids(unions), period)
        row = qs.aggregate(total=Sum(self.average_field), n=Count("pk"))
        return _mean(row["total"], row["n"])

    def values_by_union(self, ids, period):
        rows = (
            self.records(list(ids), period)
            .order_by()
            .values_list("union_id")
            .annotate(total=Sum(self.average_field), n=Count("pk"))
        )
        found = {uid: (total, n) for uid, total, n in rows}
        return {uid: _mean(*found.get(uid, (None, 0))) for uid in ids}


def _mean(total, n: int) -> Decimal:
    """Total ÷ records to one decimal (none: 0.0)."""
    if not n:
        return Decimal("0.0")
    return (Decimal(str(total)) / n).quantize(TENTH, rounding=ROUND_HALF_UP)


def _labelled(field: str, choices) -> Case:
    return Case(
        *[When(**{field: value}, then=Value(label)) for value, label in choices.choices],
        default=Value("其他"),
        output_field=CharField(),
    )


# Workflow reads -----------------------------------------------------------------------


def kinds_of(union) -> QuerySet:
    return AwardKind.objects.filter(union=union, active=True).order_by("id")


def pending_nominations(union) -> QuerySet:
    return Nomination.objects.filter(union=union, state=NominationState.NOMINATED).select_related(
        "kind", "member", "group"
    )


def unannounced_awards(union) -> QuerySet:
    return Nomination.objects.filter(
        union=union, state=NominationState.AWARDED, announcement__isnull=True
    ).select_related("kind", "member", "group")


def group_totals(assessment: Assessment) -> dict[int, Decimal]:
    rows = (
        Score.objects.filter(assessment=assessment)
        .values("group_id")
        .annotate(total=Sum("points"))
        .order_by()
    )
    return {r["group_id"]: Decimal(str(r["total"])).quantize(TENTH) for r in rows}


def unscored_groups(assessment: Assessment) -> list[Group]:
    """Groups of the union lacking a score on some item of the month's rule."""
    items = assessment.rule.items.count()
    complete = (
        Score.objects.filter(assessment=assessment)
        .values("group_id")
        .annotate(n=Count("pk"))
        .filter(n__gte=items)
        .values("group_id")
    )
    return list(
        Group.objects.filter(union_id=assessment.union_id).exclude(pk__in=complete).order_by("name")
    )


def ranking(assessment: Assessment) -> list[dict]:
    """Groups by total points, highest first; equal totals share a rank (1, 1, 3)."""
    totals = group_totals(assessment)
    groups = {g.pk: g for g in Group.objects.filter(pk__in=totals)}
    deductions: dict[int, list[str]] = {}
    for s in (
        Score.objects.filter(assessment=assessment)
        .exclude(deduction_reason="")
        .select_related("item")
        .order_by("item__position")
    ):
        deductions.setdefault(s.group_id, []).append(
            f"{s.item.name}扣{s.item.max_points - s.points}分：{s.deduction_reason}"
        )
    ordered = sorted(totals.items(), key=lambda kv: (-kv[1], groups[kv[0]].name))
    out, rank, previous = [], 0, None
    for position, (group_id, total) in enumerate(ordered, start=1):
        if total != previous:
            rank, previous = position, total
        out.append(
            {
                "rank": rank,
                "group": groups[group_id],
                "total": total,
                "deductions": deductions.get(group_id, []),
            }
        )
    return out


def trend(*, group: Group, months: int = 12) -> list[tuple]:
    """(month, total, rank) of the group's last published months, oldest first."""
    rows = GroupResult.objects.filter(group=group).order_by("-month")[:months]
    return [(r.month, r.total, r.rank) for r in reversed(list(rows))]


def trend_table(union, *, months: int = 12) -> dict:
    """The union's last `months` published months side by side: one row per
    group with its (total, rank) each month and its move since the month
    before (positive = up the ranking), groups in the latest month's order."""
    shown = list(
        Assessment.objects.filter(union=union, published_on__isnull=False)
        .order_by("-month")
        .values_list("month", flat=True)[:months]
    )
    shown.reverse()
    results = GroupResult.objects.filter(union=union, month__in=shown).select_related("group")
    cells: dict[int, dict] = {}
    groups = {}
    for r in results:
        groups[r.group_id] = r.group
        cells.setdefault(r.group_id, {})[r.month] = r
    latest = shown[-1] if shown else None

    def order(group_id):
        last = cells[group_id].get(latest)
        return (last is None, last.rank if last else 0, groups[group_id].name)

    rows = []
    for group_id in sorted(cells, key=order):
        line, previous = [], None
        for month in shown:
            r = cells[group_id].get(month)
            move = None
            if r is not None and previous is not None:
                move = previous.rank - r.rank
            line.append({"month": month, "result": r, "move": move})
            previous = r
        totals = [c["result"].total for c in line if c["result"] is not None]
        rows.append(
            {
                "group": groups[group_id],
                "cells": line,
                "average": (sum(totals) / len(totals)).quantize(TENTH, rounding=ROUND_HALF_UP),
                "firsts": sum(1 for c in line if c["result"] and c["result"].rank == 1),
            }
        )
    return {"months": shown, "rows": rows}


def published_ranking(assessment: Assessment) -> QuerySet:
    return (
        GroupResult.objects.filter(assessment=assessment)
        .select_related("group")
        .order_by("rank", "group__name")
    )


def latest_published(union) -> Assessment | None:
    return (
        Assessment.objects.filter(union=union, published_on__isnull=False)
        .select_related("rule")
        .order_by("-month")
        .first()
    )


def awards_of(member: Member) -> QuerySet:
    """Awards granted to the member, or to the member's group."""
    mine = Q(member=member)
    if member.group_id:
        mine |= Q(group_id=member.group_id)
    return (
        Nomination.objects.filter(mine, union_id=member.union_id, state=NominationState.AWARDED)
        .select_related("kind", "group", "member")
        .order_by("-decided_on", "-id")
    )


def titles_of(member: Member) -> QuerySet:
    return ModelWorker.objects.filter(member=member).order_by("-year", "id")


def care_visits_of(worker: ModelWorker) -> QuerySet:
    """The care app's visits to the model worker, newest first."""
    from gonghui.care.models import Visit

    return Visit.objects.filter(members=worker.member_id).order_by("-on", "-id")


# Metrics --------------------------------------------------------------------------------


def awards_in(unions, period) -> QuerySet:
    return Nomination.objects.filter(
        union__in=unions, state=NominationState.AWARDED, decided_on__range=period.bounds
    )


@metric(
    "honors.awards",
    label="评先评优获奖",
    unit="项",
    breakdown="kind__name",
    description="本期评定授予的荣誉，按荣誉类别分",
)
def awards(unions, period):
    return awards_in(unions, period).select_related("kind", "member", "group")


@metric(
    "honors.individual_awards",
    label="获奖个人",
    unit="人次",
    description="本期授予个人的荣誉",
)
def individual_awards(unions, period):
    return awards_in(unions, period).filter(member__isnull=False).select_related("kind", "member")


@metric("honors.nominations", label="评选推荐", unit="项", description="本期推荐的人选和集体")
def nominations(unions, period):
    return Nomination.objects.filter(
        union__in=unions, nominated_on__range=period.bounds
    ).select_related("kind", "member", "group")


@metric(
    "honors.model_workers",
    label="劳模",
    unit="人次",
    breakdown="level_label",
    description="期末在册的劳模及同等荣誉称号（授予年度不晚于期末），按级别分",
)
def model_workers(unions, period):
    return (
        ModelWorker.objects.filter(union__in=unions, year__lte=period.end.year)
        .annotate(level_label=_labelled("level", Level))
        .select_related("member")
    )


@metric(
    "honors.model_workers_new",
    label="新获劳模称号",
    unit="人次",
    description="本期所涉年度新授予的劳模及同等荣誉称号",
)
def model_workers_new(unions, period):
    return ModelWorker.objects.filter(
        union__in=unions, year__range=(period.start.year, period.end.year)
    ).select_related("member")


def published_in(unions, period) -> QuerySet:
    return Assessment.objects.filter(
        union__in=unions, published_on__isnull=False, month__range=period.bounds
    )


@metric(
    "honors.assessments_published",
    label="班组考核公布",
    unit="月次",
    description="本期月份中已公布结果的班组考核",
)
def assessments_published(unions, period):
    return published_in(unions, period)


def results_in(unions, period) -> QuerySet:
    return GroupResult.objects.filter(union__in=unions, month__range=period.bounds)


@metric(
    "honors.groups_assessed",
    label="参加考核班组",
    unit="组次",
    description="本期已公布的月度考核结果（每组每月计一次）",
)
def groups_assessed(unions, period):
    return results_in(unions, period).select_related("group")


@metric(
    "honors.groups_ranked_first",
    label="考核第一名",
    unit="组次",
    breakdown="group__name",
    description="本期已公布的月度考核中名列第一的班组，按班组分",
)
def groups_ranked_first(unions, period):
    return results_in(unions, period).filter(rank=1).select_related("group")


register(
    Average(
        key="honors.group_score_average",
        label="班组考核平均得分",
        unit="分",
        records=lambda unions, period: results_in(unions, period).select_related("group"),
        area="honors",
        description="本期已公布的月度考核中各班组总分的平均：总分合计 ÷ 组次",
        average_field="total",
    )
)
