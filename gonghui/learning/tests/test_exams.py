"""Exams: scored on the server from the answer key, taken once, only within
their window; results per member and per group."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from gonghui.learning import queries, services
from gonghui.learning.models import Attempt, QuestionKind
from gonghui.learning.tests.factories import (
    exam,
    question,
    right_answers,
    true_false,
    wrong_answers,
)
from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs.tests.factories import GroupFactory, UnionFactory

pytestmark = pytest.mark.django_db


def test_an_exam_is_scored_from_the_answer_key_out_of_100():
    paper = exam(UnionFactory(), pass_mark=60)
    member = MemberFactory(union=paper.union)
    attempt = services.take_exam(exam=paper, member=member, answers=right_answers(paper))
    assert (attempt.correct, attempt.total, attempt.score, attempt.passed) == (2, 2, 100, True)


def test_half_right_below_the_pass_mark_fails():
    paper = exam(UnionFactory(), pass_mark=60)
    first, second = paper.questions.order_by("pk")
    answers = {first.pk: first.answer, second.pk: [1 - second.answer[0]]}
    attempt = services.take_exam(
        exam=paper, member=MemberFactory(union=paper.union), answers=answers
    )
    assert attempt.score == 50
    assert not attempt.passed


def test_an_unanswered_question_counts_as_wrong():
    paper = exam(UnionFactory())
    attempt = services.take_exam(exam=paper, member=MemberFactory(union=paper.union), answers={})
    assert attempt.score == 0


def test_a_multiple_choice_question_needs_exactly_the_right_choices():
    union = UnionFactory()
    multi = question(union, kind=QuestionKind.MULTIPLE, answer=[0, 2])
    paper = exam(union, questions=[multi])
    partly = services.take_exam(
        exam=paper, member=MemberFactory(union=union), answers={multi.pk: [0]}
    )
    fully = services.take_exam(
        exam=paper, member=MemberFactory(union=union), answers={multi.pk: [2, 0]}
    )
    assert (partly.score, fully.score) == (0, 100)


def test_taking_an_exam_twice_is_refused_with_the_first_score():
    paper = exam(UnionFactory())
    member = MemberFactory(union=paper.union)
    services.take_exam(exam=paper, member=member, answers=right_answers(paper))
    with pytest.raises(ValidationError) as e:
        services.take_exam(exam=paper, member=member, answers=wrong_answers(paper))
    assert "您已参加过考试“工会知识竞赛”，得分100分，每人只能作答一次" in e.value.messages[0]
    assert Attempt.objects.filter(member=member).count() == 1


def test_taking_an_exam_after_its_window_is_refused():
    paper = exam(UnionFactory(), opens_in=timedelta(days=-10), lasts=timedelta(days=3))
    with pytest.raises(ValidationError) as e:
        services.take_exam(exam=paper, member=MemberFactory(union=paper.union), answers={})
    assert "已于" in e.value.messages[0] and "结束，不能再作答" in e.value.messages[0]
    assert not Attempt.objects.exists()


def test_taking_an_exam_before_it_opens_is_refused():
    paper = exam(UnionFactory(), opens_in=timedelta(days=2))
    with pytest.raises(ValidationError) as e:
        services.take_exam(exam=paper, member=MemberFactory(union=paper.union), answers={})
    assert "才开始" in e.value.messages[0]


def test_a_member_of_another_union_cannot_take_the_exam():
    paper = exam(UnionFactory())
    with pytest.raises(ValidationError) as e:
        services.take_exam(exam=paper, member=MemberFactory(), answers={})
    assert e.value.message_dict["exam"] == ["该考试不属于您所在的工会"]


def test_an_answer_to_a_question_not_in_the_exam_is_refused():
    union = UnionFactory()
    paper = exam(union)
    other = true_false(union, text="别的题")
    with pytest.raises(ValidationError) as e:
        services.take_exam(exam=paper, member=MemberFactory(union=union), answers={other.pk: [0]})
    assert "不是本次考试的试题" in e.value.messages[0]


def test_two_answers_to_a_single_choice_question_are_refused():
    union = UnionFactory()
    single = question(union)
    paper = exam(union, questions=[single])
    with pytest.raises(ValidationError) as e:
        services.take_exam(
            exam=paper, member=MemberFactory(union=union), answers={single.pk: [0, 1]}
        )
    assert e.value.message_dict["answers.1"] == ["单选题只能选择一个答案"]


def test_an_exam_for_some_groups_refuses_members_of_other_groups():
    union = UnionFactory()
    paper = exam(union, groups=[GroupFactory(union=union)])
    outsider = MemberFactory(union=union, group=GroupFactory(union=union))
    with pytest.raises(ValidationError) as e:
        services.take_exam(exam=paper, member=outsider, answers={})
    assert "不在参考范围内" in e.value.messages[0]


def test_an_exam_window_must_end_after_it_starts():
    union = UnionFactory()
    now = timezone.now()
    with pytest.raises(ValidationError) as e:
        services.create_exam(
            union=union, title="考试", opens_at=now, closes_at=now, questions=[question(union)]
        )
    assert e.value.message_dict["closes_at"] == ["结束时间应晚于开始时间"]


def test_exam_results_list_each_sitting_with_score_and_pass():
    paper = exam(UnionFactory())
    good, poor = MemberFactory(union=paper.union), MemberFactory(union=paper.union)
    services.take_exam(exam=paper, member=poor, answers=wrong_answers(paper))
    services.take_exam(exam=paper, member=good, answers=right_answers(paper))
    assert queries.exam_results(paper) == [(good, 100, True), (poor, 0, False)]


def test_group_participation_counts_audience_sittings_passes_and_awareness_per_group():
    union = UnionFactory()
    first, second = GroupFactory(union=union, name="一组"), GroupFactory(union=union, name="二组")
    a, b, _ = (MemberFactory(union=union, group=first) for _ in range(3))
    MemberFactory(union=union, group=second)
    paper = exam(union)
    services.take_exam(exam=paper, member=a, answers=right_answers(paper))
    services.take_exam(exam=paper, member=b, answers=wrong_answers(paper))
    rows = {r.name: r for r in queries.group_participation(paper)}
    assert tuple(rows["一组"]) == (3, 2, 1)
    assert rows["一组"].aware == 1
    assert rows["一组"].awareness_rate == 33.3
    assert rows["一组"].pass_rate == 50.0
    assert tuple(rows["二组"]) == (1, 0, 0)
