"""The question bank and the daily question."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from gonghui.learning import services
from gonghui.learning.models import DailyAnswer, QuestionKind
from gonghui.learning.tests.factories import question, true_false
from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs.tests.factories import UnionFactory

pytestmark = pytest.mark.django_db
TODAY = date(2025, 5, 12)


def test_a_true_false_question_gets_the_two_fixed_choices():
    q = true_false(UnionFactory())
    assert q.choices == ["正确", "错误"]
    assert q.answer_letters == "A"


def test_a_multiple_choice_question_needs_two_right_choices():
    with pytest.raises(ValidationError) as e:
        question(UnionFactory(), kind=QuestionKind.MULTIPLE, answer=[1])
    assert e.value.message_dict["answer"] == ["多选题至少应有两个正确答案"]


def test_an_answer_outside_the_choices_is_refused():
    with pytest.raises(ValidationError) as e:
        question(UnionFactory(), answer=[7])
    assert e.value.message_dict["answer"] == ["正确答案不在选项范围内"]


def test_a_choice_question_needs_two_choices():
    with pytest.raises(ValidationError) as e:
        question(UnionFactory(), choices=["只有一个"])
    assert e.value.message_dict["choices"] == ["选择题至少需要两个选项"]


def daily(union, *, right=True, on=TODAY):
    return services.set_daily_question(union=union, on=on, question=true_false(union, right=right))


def test_a_right_daily_answer_is_recorded_as_correct():
    today = daily(UnionFactory())
    answer = services.answer_daily(
        daily=today, member=MemberFactory(union=today.union), chosen=[0], today=TODAY
    )
    assert answer.correct


def test_the_daily_question_is_answered_once_a_day():
    today = daily(UnionFactory())
    member = MemberFactory(union=today.union)
    services.answer_daily(daily=today, member=member, chosen=[1], today=TODAY)
    with pytest.raises(ValidationError) as e:
        services.answer_daily(daily=today, member=member, chosen=[0], today=TODAY)
    assert e.value.messages == ["今天的每日一题您已经答过了，明天再来吧"]
    assert DailyAnswer.objects.get(member=member).correct is False


def test_yesterdays_daily_question_can_no_longer_be_answered():
    yesterday = daily(UnionFactory(), on=TODAY - timedelta(days=1))
    with pytest.raises(ValidationError) as e:
        services.answer_daily(
            daily=yesterday, member=MemberFactory(union=yesterday.union), chosen=[0], today=TODAY
        )
    assert e.value.messages == ["这是2025年5月11日的每日一题，只能在当天作答"]


def test_an_answered_daily_question_cannot_be_swapped():
    today = daily(UnionFactory())
    services.answer_daily(
        daily=today, member=MemberFactory(union=today.union), chosen=[0], today=TODAY
    )
    with pytest.raises(ValidationError) as e:
        services.set_daily_question(union=today.union, on=TODAY, question=true_false(today.union))
    assert "已有人作答，不能更换" in e.value.messages[0]
