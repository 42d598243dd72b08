"""Learning metrics: trainings and hours, participants, 知晓率 and 合格率."""

from datetime import date
from decimal import Decimal

import pytest

from gonghui.learning import services
from gonghui.learning.models import TrainingKind
from gonghui.learning.tests.factories import exam, right_answers, true_false, wrong_answers
from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs.tests.factories import UnionFactory
from gonghui.periods import Period
from gonghui.reports.registry import value

pytestmark = pytest.mark.django_db
YEAR = Period.year(2025)


def test_trainings_hours_and_participants_count_the_periods_sessions():
    union = UnionFactory()
    a, b = MemberFactory(union=union), MemberFactory(union=union)
    for on, people in (
        (date(2025, 3, 1), [a, b]),
        (date(2025, 6, 1), [a]),
        (date(2024, 6, 1), [b]),
    ):
        services.record_training(
            union=union,
            topic="安全生产",
            kind=TrainingKind.SAFETY,
            on=on,
            hours="2.5",
            attendees=people,
            today=date(2025, 12, 31),
        )
    assert value("learning.trainings", [union], YEAR) == 2
    assert value("learning.training_hours", [union], YEAR) == Decimal("5.0")
    assert value("learning.attendances", [union], YEAR) == 3
    assert value("learning.participants", [union], YEAR) == 2


def test_awareness_counts_members_with_one_right_answer_over_those_on_the_roll():
    union = UnionFactory()
    right, wrong, _silent, _fourth = (MemberFactory(union=union) for _ in range(4))
    day = date(2025, 4, 1)
    today = services.set_daily_question(union=union, on=day, question=true_false(union))
    services.answer_daily(daily=today, member=right, chosen=[0], today=day)
    services.answer_daily(daily=today, member=wrong, chosen=[1], today=day)
    assert value("learning.members_aware", [union], YEAR) == 1
    assert value("learning.awareness_rate", [union], YEAR) == Decimal("25.0")


def test_pass_rate_is_passed_sittings_over_sittings():
    union = UnionFactory()
    paper = exam(union)
    services.take_exam(exam=paper, member=MemberFactory(union=union), answers=right_answers(paper))
    services.take_exam(exam=paper, member=MemberFactory(union=union), answers=wrong_answers(paper))
    services.take_exam(exam=paper, member=MemberFactory(union=union), answers=right_answers(paper))
    period = Period.year_to_date()
    assert value("learning.exam_sittings", [union], period) == 3
    assert value("learning.pass_rate", [union], period) == Decimal("66.7")
