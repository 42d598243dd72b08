"""Learning records made through the services, for tests."""

from datetime import timedelta

from django.utils import timezone

from gonghui.learning import services
from gonghui.learning.models import QuestionKind


def question(
    union, *, kind=QuestionKind.SINGLE, text="工会会员的权利包括哪一项？", answer=(0,), **kwargs
):
    choices = kwargs.pop("choices", ["选举权和被选举权", "免交会费", "不受纪律约束", "以上都不是"])
    return services.add_question(
        union=union, kind=kind, text=text, choices=choices, answer=answer, **kwargs
    )


def true_false(union, *, text="职工代表大会每年至少召开一次。", right=True):
    return services.add_question(
        union=union, kind=QuestionKind.TRUE_FALSE, text=text, answer=[0 if right else 1]
    )


def exam(union, *, questions=None, opens_in=timedelta(hours=-1), lasts=timedelta(days=7), **kwargs):
    if questions is None:
        questions = [question(union), true_false(union)]
    opens = timezone.now() + opens_in
    kwargs.setdefault("title", "工会知识竞赛")
    return services.create_exam(
        union=union, opens_at=opens, closes_at=opens + lasts, questions=questions, **kwargs
    )


def right_answers(exam):
    return {q.pk: list(q.answer) for q in exam.questions.all()}


def wrong_answers(exam):
    return {q.pk: [len(q.choices) - 1 - q.answer[0]] for q in exam.questions.all()}
