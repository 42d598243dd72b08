"""Democratic evaluation: anonymous grades per leader, counted at close."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from gonghui.democracy.models import EvaluationRoll, EvaluationSheet, Evaluee
from gonghui.democracy.queries import evaluation as queries
from gonghui.democracy.services import evaluation as services
from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs.tests.factories import UnionFactory
from gonghui.periods import Period

pytestmark = pytest.mark.django_db


def evaluation(voters=3, **kwargs):
    union = UnionFactory()
    members = MemberFactory.create_batch(voters, union=union)
    now = timezone.now()
    made = services.create_evaluation(
        union=union,
        title="2025年度民主评议领导班子",
        year=2025,
        opens_at=kwargs.pop("opens_at", now - timedelta(hours=1)),
        closes_at=kwargs.pop("closes_at", now + timedelta(hours=1)),
        evaluees=[("王校长", "校长"), ("李主席", "工会主席")],
    )
    return made, members


def sheet(made, *grades, comment=""):
    people = list(Evaluee.objects.filter(evaluation=made).order_by("position"))
    answers = {"g": {str(p.pk): g for p, g in zip(people, grades, strict=True)}, "m": {}}
    if comment:
        answers["m"][str(people[0].pk)] = comment
    return answers


def test_a_rating_is_written_without_the_rater_and_marks_them_done():
    made, members = evaluation()

    services.submit_sheet(
        evaluation=made, member=members[0], answers=sheet(made, "excellent", "competent")
    )

    assert EvaluationRoll.objects.get(evaluation=made, member=members[0]).done
    assert EvaluationSheet.objects.filter(evaluation=made).count() == 1


def test_rating_twice_is_refused():
    made, members = evaluation()
    services.submit_sheet(
        evaluation=made, member=members[0], answers=sheet(made, "excellent", "basic")
    )

    with pytest.raises(ValidationError, match="您已经参加过本次评议"):
        services.submit_sheet(
            evaluation=made, member=members[0], answers=sheet(made, "incompetent", "basic")
        )


def test_a_sheet_missing_a_grade_names_the_person_to_grade():
    made, members = evaluation()
    answers = sheet(made, "excellent", "basic")
    answers["g"].pop(next(iter(answers["g"])))

    with pytest.raises(ValidationError, match="请为校长王校长选择评议等次"):
        services.submit_sheet(evaluation=made, member=members[0], answers=answers)


def test_rating_after_the_deadline_is_refused():
    made, members = evaluation()

    with pytest.raises(ValidationError, match="评议已经截止"):
        services.submit_sheet(
            evaluation=made,
            member=members[0],
            answers=sheet(made, "excellent", "basic"),
            now=made.closes_at,
        )


def test_closing_gives_counts_percentages_and_comments_per_person():
    made, members = evaluation(voters=4)
    grades = [("excellent", "excellent"), ("excellent", "competent"), ("competent", "basic")]
    for member, pair in zip(members, grades, strict=False):
        services.submit_sheet(
            evaluation=made, member=member, answers=sheet(made, *pair, comment="工作扎实")
        )

    services.close_evaluation(evaluation=made)
    r = queries.results(made)

    head, chair = r["people"]
    assert head["grades"][0][:2] == ("优秀", 2)
    assert str(head["grades"][0][2]) == "66.7"
    assert chair["person"].ratings == 3 and chair["person"].basic == 1
    assert head["comments"] == ["工作扎实"] * 3
    assert r["roll"] == {"total": 4, "done": 3}


def test_the_excellent_rate_metric_counts_closed_evaluations_of_the_period():
    from gonghui.reports import registry

    made, members = evaluation(voters=2)
    for member in members:
        services.submit_sheet(
            evaluation=made, member=member, answers=sheet(made, "excellent", "competent")
        )
    services.close_evaluation(evaluation=made)
    period = Period.year(timezone.localdate().year)

    assert (
        str(registry.value("democracy.evaluation_excellent_rate", [made.union_id], period))
        == "50.0"
    )


def test_an_evaluation_can_be_limited_to_given_raters():
    union = UnionFactory()
    members = MemberFactory.create_batch(3, union=union)
    now = timezone.now()

    made = services.create_evaluation(
        union=union,
        title="代表评议",
        year=2025,
        opens_at=now,
        closes_at=now + timedelta(hours=1),
        evaluees=[("王明", "校长")],
        raters=[members[0].pk, members[2].pk],
    )

    on_roll = set(
        EvaluationRoll.objects.filter(evaluation=made).values_list("member_id", flat=True)
    )
    assert on_roll == {members[0].pk, members[2].pk}
