"""Reads and metrics: democratic evaluation."""

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q

from gonghui.democracy.models.evaluation import (
    Evaluation,
    EvaluationRoll,
    EvaluationSheet,
    Evaluee,
    Grade,
)
from gonghui.reports.registry import metric, ratio


def _percent(part: int, whole: int) -> Decimal:
    if not whole:
        return Decimal("0.0")
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def results(evaluation: Evaluation) -> dict:
    """Counts and percentages per person (written at close), the comments, the turnout."""
    people = []
    for person in Evaluee.objects.filter(evaluation=evaluation):
        grades = [
            (label, getattr(person, value), _percent(getattr(person, value), person.ratings))
            for value, label in Grade.choices
        ]
        people.append({"person": person, "grades": grades})
    comments: dict[int, list[str]] = {}
    for answers in (
        EvaluationSheet.objects.filter(evaluation=evaluation)
        .order_by("id")
        .values_list("answers", flat=True)
    ):
        for pk, text in answers.get("m", {}).items():
            comments.setdefault(int(pk), []).append(text)
    for row in people:
        row["comments"] = sorted(comments.get(row["person"].pk, []))
    roll = EvaluationRoll.objects.filter(evaluation=evaluation).aggregate(
        total=Count("pk"), done=Count("pk", filter=Q(done=True))
    )
    return {
        "people": people,
        "roll": roll,
        "sheets": EvaluationSheet.objects.filter(evaluation=evaluation).count(),
        "turnout": _percent(roll["done"], roll["total"]),
    }


def evaluations_for_member(member):
    entries = EvaluationRoll.objects.filter(member=member).select_related("evaluation")
    return [
        (e.evaluation, e.done)
        for e in sorted(entries, key=lambda e: e.evaluation.opens_at, reverse=True)
    ]


def done(evaluation: Evaluation, member) -> bool | None:
    entry = EvaluationRoll.objects.filter(evaluation=evaluation, member=member).first()
    return None if entry is None else entry.done


# Metrics -------------------------------------------------------------------------------


def _closed(unions, period):
    return Evaluation.objects.filter(
        union__in=unions, closed=True, closes_at__date__range=period.bounds
    )


@metric("democracy.evaluations_held", label="民主评议", unit="次")
def evaluations_held(unions, period):
    return _closed(unions, period)


@metric(
    "democracy.evaluation_ratings",
    label="评议票数",
    unit="票",
    sum_field="ratings",
    description="本期结束的民主评议中，对每名被评议人的评议票合计",
)
def evaluation_ratings(unions, period):
    return Evaluee.objects.filter(evaluation__in=_closed(unions, period))


@metric(
    "democracy.evaluation_excellent",
    label="评议为优秀的票数",
    unit="票",
    sum_field="excellent",
)
def evaluation_excellent(unions, period):
    return Evaluee.objects.filter(evaluation__in=_closed(unions, period))


@metric(
    "democracy.evaluation_incompetent",
    label="评议为不称职的票数",
    unit="票",
    sum_field="incompetent",
)
def evaluation_incompetent(unions, period):
    return Evaluee.objects.filter(evaluation__in=_closed(unions, period))


ratio(
    "democracy.evaluation_excellent_rate",
    label="民主评议优秀率",
    numerator="democracy.evaluation_excellent",
    denominator="democracy.evaluation_ratings",
    description="本期结束的民主评议中，评为优秀的票 ÷ 全部评议票",
)


@metric("democracy.evaluation_raters", label="参加评议人次", unit="人次")
def evaluation_raters(unions, period):
    return EvaluationRoll.objects.filter(evaluation__in=_closed(unions, period), done=True)


@metric("democracy.evaluation_invited", label="应参加评议人次", unit="人次")
def evaluation_invited(unions, period):
    return EvaluationRoll.objects.filter(evaluation__in=_closed(unions, period))


ratio(
    "democracy.evaluation_participation",
    label="民主评议参评率",
    numerator="democracy.evaluation_raters",
    denominator="democracy.evaluation_invited",
)
