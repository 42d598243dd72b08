"""The members' learning pages: today's question, exams, their own record."""

from datetime import timedelta

import pytest
from django.utils import timezone

from gonghui.learning import services
from gonghui.learning.models import Attempt, DailyAnswer
from gonghui.learning.tests.factories import exam, true_false
from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs.roles import Role
from gonghui.orgs.tests.factories import UnionFactory, user_with_role

pytestmark = pytest.mark.django_db


def member_client(client, union=None):
    union = union or UnionFactory()
    user = user_with_role(union, Role.MEMBER, password=None)
    member = MemberFactory(union=union, user=user)
    client.force_login(user)
    return member


def test_todays_question_is_shown_without_its_answer_until_answered(client):
    member = member_client(client)
    services.set_daily_question(
        union=member.union,
        on=timezone.localdate(),
        question=true_false(member.union, text="今日题目内容"),
    )
    page = client.get("/learning/").content.decode()
    assert "今日题目内容" in page and "正确答案" not in page


def test_answering_todays_question_shows_whether_it_was_right(client):
    member = member_client(client)
    services.set_daily_question(
        union=member.union, on=timezone.localdate(), question=true_false(member.union)
    )
    page = client.post("/learning/daily/", {"chosen": "0"}, follow=True).content.decode()
    assert "回答正确" in page
    assert DailyAnswer.objects.get(member=member).correct


def test_an_exam_is_taken_in_the_portal_and_scored(client):
    member = member_client(client)
    paper = exam(member.union)
    data = {f"q{q.pk}": [str(i) for i in q.answer] for q in paper.questions.all()}
    page = client.post(f"/learning/exams/{paper.pk}/", data, follow=True).content.decode()
    assert "100 分" in page and "合格" in page
    assert Attempt.objects.get(member=member).score == 100


def test_submitting_an_exam_again_in_the_portal_is_refused_in_chinese(client):
    member = member_client(client)
    paper = exam(member.union)
    client.post(f"/learning/exams/{paper.pk}/", {})
    response = client.post(f"/learning/exams/{paper.pk}/", {})
    assert response.status_code == 400
    assert "每人只能作答一次" in response.content.decode()
    assert Attempt.objects.count() == 1


def test_an_exam_whose_window_has_closed_shows_it_has_ended(client):
    member = member_client(client)
    paper = exam(member.union, opens_in=timedelta(days=-5), lasts=timedelta(days=1))
    response = client.post(f"/learning/exams/{paper.pk}/", {})
    assert "结束，不能再作答" in response.content.decode()
    assert not Attempt.objects.exists()


def test_another_unions_exam_is_not_found(client):
    member_client(client)
    assert client.get(f"/learning/exams/{exam(UnionFactory()).pk}/").status_code == 404


def test_my_record_lists_my_trainings(client):
    member = member_client(client)
    services.record_training(
        union=member.union,
        topic="工会法学习",
        kind="law",
        on=timezone.localdate(),
        hours="2",
        attendees=[member],
    )
    assert "工会法学习" in client.get("/learning/record/").content.decode()


def test_the_answer_key_is_not_shown_while_the_exam_is_still_open(client):
    member = member_client(client)
    paper = exam(member.union)
    page = client.post(f"/learning/exams/{paper.pk}/", {}, follow=True).content.decode()
    assert "· 正确答案" not in page and "考试结束后公布正确答案" in page
