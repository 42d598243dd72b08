"""The learning endpoints: training, questions, exams and their results; a
member takes an exam once within its window; refusals in Chinese."""

from datetime import date, timedelta

import pytest

from gonghui.api.tests.calls import call, token_for
from gonghui.finance.tests.factories import staff
from gonghui.learning.models import Attempt, TrainingSession
from gonghui.learning.tests.factories import exam, question, right_answers
from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs.roles import Role
from gonghui.orgs.tests.factories import GroupFactory, UnionFactory, user_with_role

pytestmark = pytest.mark.django_db


def member_token(union):
    user = user_with_role(union, Role.MEMBER, password=None)
    member = MemberFactory(union=union, user=user)
    return member, token_for(user)


def test_the_chair_records_a_training_with_its_attendees():
    union = UnionFactory()
    people = [MemberFactory(union=union) for _ in range(2)]
    response = call(
        "post",
        "learning/trainings",
        token_for(staff(union)),
        {
            "union": union.pk,
            "topic": "安全生产法解读",
            "kind": "safety",
            "on": str(date.today()),
            "hours": "2.5",
            "attendees": [m.pk for m in people],
        },
    )
    assert response.status_code == 201, response.content
    assert TrainingSession.objects.get().attendees.count() == 2


def test_a_training_with_zero_hours_is_refused_in_chinese():
    union = UnionFactory()
    response = call(
        "post",
        "learning/trainings",
        token_for(staff(union)),
        {"union": union.pk, "topic": "培训", "kind": "skills", "on": "2025-03-01", "hours": "0"},
    )
    assert response.status_code == 400
    assert "学时应大于0" in response.json()["detail"]


def test_a_question_and_an_exam_are_created_and_a_member_takes_it_once():
    union = UnionFactory()
    key = token_for(staff(union))
    made = call(
        "post",
        "learning/questions",
        key,
        {
            "union": union.pk,
            "kind": "true_false",
            "text": "会员有权监督工会经费使用。",
            "answer": [0],
        },
    ).json()
    now = date.today()
    created = call(
        "post",
        "learning/exams",
        key,
        {
            "union": union.pk,
            "title": "工会法知识测试",
            "opens_at": f"{now - timedelta(days=1)}T08:00:00+08:00",
            "closes_at": f"{now + timedelta(days=2)}T20:00:00+08:00",
            "questions": [made["id"]],
        },
    )
    assert created.status_code == 201, created.content
    member, own = member_token(union)
    path = f"learning/me/exams/{created.json()['id']}"
    paper = call("get", path, own).json()
    assert "answer" not in paper["questions"][0]
    first = call("post", f"{path}/attempt", own, {"answers": {str(made["id"]): [0]}})
    assert first.json()["score"] == 100
    again = call("post", f"{path}/attempt", own, {"answers": {}})
    assert again.status_code == 400
    assert "每人只能作答一次" in again.json()["detail"]
    assert Attempt.objects.filter(member=member).count() == 1


def test_an_exam_after_its_window_is_refused_through_the_api():
    union = UnionFactory()
    paper = exam(union, opens_in=timedelta(days=-9), lasts=timedelta(days=2))
    _, own = member_token(union)
    response = call("post", f"learning/me/exams/{paper.pk}/attempt", own, {"answers": {}})
    assert response.status_code == 400
    assert "结束，不能再作答" in response.json()["detail"]


def test_exam_results_give_awareness_and_pass_rates_per_group():
    union = UnionFactory()
    group = GroupFactory(union=union, name="机修班")
    paper = exam(union)
    taker = MemberFactory(union=union, group=group)
    MemberFactory(union=union, group=group)
    from gonghui.learning import services

    services.take_exam(exam=paper, member=taker, answers=right_answers(paper))
    body = call("get", f"learning/exams/{paper.pk}/results", token_for(staff(union))).json()
    row = next(r for r in body["groups"] if r["group"] and r["group"]["name"] == "机修班")
    assert (row["audience"], row["took"], row["passed"]) == (2, 1, 1)
    assert (row["awareness_rate"], row["pass_rate"]) == (50.0, 100.0)


def test_another_unions_exam_results_are_not_found():
    paper = exam(UnionFactory())
    response = call("get", f"learning/exams/{paper.pk}/results", token_for(staff(UnionFactory())))
    assert response.status_code == 404


def test_a_member_without_learning_rights_cannot_list_questions():
    union = UnionFactory()
    question(union)
    _, own = member_token(union)
    assert call("get", "learning/questions", own).status_code == 403
