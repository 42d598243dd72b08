"""The learning back-office screens: lists, adding through the services,
an exam's results per group; other unions' records are not found."""

import pytest

from gonghui.finance.tests.factories import staff
from gonghui.learning import services
from gonghui.learning.models import Question, TrainingSession
from gonghui.learning.tests.factories import exam, right_answers
from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs.tests.factories import GroupFactory, UnionFactory

pytestmark = pytest.mark.django_db

LISTS = [
    "course",
    "trainingsession",
    "questioncategory",
    "question",
    "dailyquestion",
    "exam",
    "attempt",
    "skillcontest",
    "qualification",
]


@pytest.mark.parametrize("model", LISTS)
def test_every_learning_list_opens_for_the_chair(client, model):
    client.force_login(staff(UnionFactory()))
    assert client.get(f"/admin/learning/{model}/").status_code == 200


@pytest.mark.parametrize("model", LISTS)
def test_every_learning_add_page_opens_for_the_chair(client, model):
    client.force_login(staff(UnionFactory()))
    expected = 403 if model == "attempt" else 200
    assert client.get(f"/admin/learning/{model}/add/").status_code == expected


def test_a_question_is_added_with_its_answer_in_letters(client):
    union = UnionFactory()
    client.force_login(staff(union))
    response = client.post(
        "/admin/learning/question/add/",
        {
            "union": union.pk,
            "kind": "multiple",
            "text": "工会的基本职责有哪些？",
            "choices": "维护职工权益\n组织文体活动\n决定企业利润分配",
            "answer": "AB",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Question.objects.get().answer == [0, 1]


def test_a_training_names_attendees_by_employee_number_and_refuses_unknown_ones(client):
    union = UnionFactory()
    MemberFactory(union=union, employee_number="A001")
    client.force_login(staff(union))
    data = {
        "union": union.pk,
        "topic": "消防培训",
        "kind": "safety",
        "on": "2025-03-01",
        "hours": "2",
        "attendees": "A001\n不存在的人",
    }
    response = client.post("/admin/learning/trainingsession/add/", data)
    assert "本工会中没有“不存在的人”" in response.content.decode()
    assert not TrainingSession.objects.exists()


def test_the_exam_results_page_shows_groups_and_rates(client):
    union = UnionFactory()
    group = GroupFactory(union=union, name="装配班")
    paper = exam(union)
    services.take_exam(
        exam=paper, member=MemberFactory(union=union, group=group), answers=right_answers(paper)
    )
    client.force_login(staff(union))
    page = client.get(f"/admin/learning/papers/{paper.pk}/results/").content.decode()
    assert "装配班" in page and "知晓率" in page and "100.0%" in page


def test_another_unions_exam_results_are_not_found(client):
    client.force_login(staff(UnionFactory()))
    assert (
        client.get(f"/admin/learning/papers/{exam(UnionFactory()).pk}/results/").status_code == 404
    )
