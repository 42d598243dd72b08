"""The back-office safety pages: each step's page calls its service and
shows its Chinese message; another union's records are not found."""

from datetime import timedelta
from decimal import Decimal

import pytest

from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs.roles import Role
from gonghui.orgs.tests.factories import GroupFactory, UnionFactory, user_with_role
from gonghui.safety import services
from gonghui.safety.models import Contest, ContestResult, Draw, Drill, Hazard, Inspection, State
from gonghui.safety.tests.factories import Team, assigned, in_work, photo, rectified, report, today

pytestmark = pytest.mark.django_db


def test_the_reception_point_assigns_a_card_on_its_page(client):
    team = Team()
    hazard = report(team)
    client.force_login(team.clerk)
    response = client.post(
        f"/admin/safety/cards/{hazard.pk}/assign/", {"department": team.department.pk}
    )
    assert response.status_code == 302
    hazard.refresh_from_db()
    assert hazard.state == State.ASSIGNED


def test_a_card_is_registered_in_the_back_office_with_a_photo(client):
    team = Team()
    client.force_login(team.supervisor)
    response = client.post(
        "/admin/safety/hazard/add/",
        {
            "union": team.union.pk,
            "place": "配电房",
            "description": "电缆裸露",
            "category": "electrical",
            "severity": "serious",
            "reported_on": today().isoformat(),
            "photos": [photo()],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Hazard.objects.get().place == "配电房"


def test_the_verify_page_refuses_the_supervisor_who_recorded_the_rectification(client):
    team = Team()
    hazard = in_work(team)
    services.rectify_hazard(
        hazard=hazard, rectification="已修复", evidence=[photo()], actor=team.supervisor
    )
    client.force_login(team.supervisor)
    response = client.post(f"/admin/safety/cards/{hazard.pk}/verify/", {"accepted": "yes"})
    assert response.status_code == 200
    assert "不能验收自己登记的整改" in response.content.decode()


def test_a_committee_member_without_the_verify_permission_cannot_open_verification(client):
    team = Team()
    hazard = rectified(team)
    client.force_login(team.clerk)
    assert client.get(f"/admin/safety/cards/{hazard.pk}/verify/").status_code in (403, 404)


def test_the_printable_card_is_laid_out_for_a5_paper(client):
    team = Team()
    hazard = rectified(team)
    client.force_login(team.clerk)
    page = client.get(f"/admin/safety/cards/{hazard.pk}/print/").content.decode()
    assert "size: A5" in page
    assert hazard.place in page
    assert "已更换两具灭火器" in page


def test_another_unions_card_is_not_found_anywhere(client):
    team = Team()
    hazard = report(team)
    stranger = user_with_role(UnionFactory(), Role.CHAIR)
    client.force_login(stranger)
    for url in (
        f"/admin/safety/cards/{hazard.pk}/assign/",
        f"/admin/safety/cards/{hazard.pk}/print/",
        f"/admin/safety/hazard/{hazard.pk}/change/",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert hazard.place not in response.content.decode()


def test_the_chairs_list_shows_overdue_cards_only(client):
    team = Team()
    late = in_work(team, place="锅炉房")
    Hazard.objects.filter(pk=late.pk).update(deadline=today() - timedelta(days=4))
    in_work(team, place="仓库")
    client.force_login(user_with_role(team.union, Role.CHAIR))
    page = client.get("/admin/safety/overdue/").content.decode()
    assert "锅炉房" in page
    assert "仓库" not in page


def test_an_inspection_is_planned_with_its_checklist_and_a_finding_becomes_an_assigned_card(
    client,
):
    team = Team()
    client.force_login(team.supervisor)
    response = client.post(
        "/admin/safety/inspection/add/",
        {
            "union": team.union.pk,
            "title": "五月消防检查",
            "scope": "教学楼",
            "planned_on": today().isoformat(),
            "checklist": "消防通道畅通\n灭火器在有效期内\n",
        },
    )
    assert response.status_code == 302
    inspection = Inspection.objects.get()
    assert inspection.items.count() == 2
    item = inspection.items.get(position=2)
    response = client.post(
        f"/admin/safety/checks/{inspection.pk}/finding/",
        {
            "item": item.pk,
            "place": "教学楼三楼",
            "description": "灭火器过期",
            "category": "fire",
            "severity": "minor",
            "department": team.department.pk,
        },
    )
    assert response.status_code == 302
    hazard = Hazard.objects.get()
    assert hazard.inspection == inspection
    assert hazard.state == State.ASSIGNED
    item.refresh_from_db()
    assert item.hazard == hazard


def test_a_drill_with_more_participants_than_expected_is_refused(client):
    team = Team()
    client.force_login(team.supervisor)
    response = client.post(
        "/admin/safety/drill/add/",
        {
            "union": team.union.pk,
            "kind": "fire",
            "title": "灭火演练",
            "held_on": today().isoformat(),
            "expected": 50,
            "participants": 60,
        },
    )
    assert "超过应参加人数50人" in response.content.decode()
    assert not Drill.objects.exists()


def test_contest_results_are_recorded_per_group_and_ranked_by_score(client):
    team = Team()
    first, second = (
        GroupFactory(union=team.union, name="一组"),
        GroupFactory(union=team.union, name="二组"),
    )
    contest = services.record_contest(
        union=team.union, title="安全知识竞赛", held_on=today(), actor=team.clerk
    )
    client.force_login(team.clerk)
    response = client.post(
        f"/admin/safety/quiz/{contest.pk}/results/",
        {
            f"audience_{first.pk}": 20,
            f"participants_{first.pk}": 18,
            f"passed_{first.pk}": 17,
            f"score_{first.pk}": "86.5",
            f"audience_{second.pk}": 10,
            f"participants_{second.pk}": 10,
            f"passed_{second.pk}": 10,
            f"score_{second.pk}": "92",
        },
    )
    assert response.status_code == 302
    ranks = dict(ContestResult.objects.values_list("group__name", "rank"))
    assert ranks == {"二组": 1, "一组": 2}


def _contest_sat_as_an_exam(team):
    """A contest linked to a learning exam: 一组 two sittings (one passed), 二组 one (passed)."""
    from gonghui.learning import services as learning
    from gonghui.learning.tests.factories import exam, right_answers, wrong_answers

    first, second = (
        GroupFactory(union=team.union, name="一组"),
        GroupFactory(union=team.union, name="二组"),
    )
    paper = exam(team.union, title="安全生产月知识竞赛")
    for group, answers in ((first, right_answers), (first, wrong_answers), (second, right_answers)):
        member = MemberFactory(union=team.union, group=group)
        learning.take_exam(exam=paper, member=member, answers=answers(paper))
    contest = services.record_contest(
        union=team.union, title="安全知识竞赛", held_on=today(), exam=paper, actor=team.clerk
    )
    return contest, paper


def test_a_contest_sat_as_a_learning_exam_takes_each_groups_result_from_it(client):
    team = Team()
    contest, _ = _contest_sat_as_an_exam(team)
    client.force_login(team.clerk)
    response = client.post(f"/admin/safety/quiz/{contest.pk}/from-exam/")
    assert response.status_code == 302
    rows = {
        r.group.name: (r.audience, r.participants, r.passed, r.average_score, r.rank)
        for r in ContestResult.objects.filter(contest=contest).select_related("group")
    }
    assert rows == {
        "二组": (1, 1, 1, Decimal("100.0"), 1),
        "一组": (2, 2, 1, Decimal("50.0"), 2),
    }


def test_a_contest_is_linked_to_an_exam_when_it_is_recorded(client):
    from gonghui.learning.tests.factories import exam

    team = Team()
    paper = exam(team.union, title="安全生产月知识竞赛")
    client.force_login(team.clerk)
    response = client.post(
        "/admin/safety/contest/add/",
        {
            "union": team.union.pk,
            "title": "安全知识竞赛",
            "held_on": today().isoformat(),
            "exam": paper.pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Contest.objects.get().exam == paper


def test_a_contest_without_an_exam_says_to_fill_in_the_results(client):
    team = Team()
    contest = services.record_contest(
        union=team.union, title="安全知识竞赛", held_on=today(), actor=team.clerk
    )
    client.force_login(team.clerk)
    response = client.post(f"/admin/safety/quiz/{contest.pk}/from-exam/", follow=True)
    assert "这次竞赛没有关联学习考试，请直接填写各小组成绩" in response.content.decode()
    assert not ContestResult.objects.exists()


def test_another_unions_contest_cannot_take_results(client):
    contest, _ = _contest_sat_as_an_exam(Team())
    client.force_login(Team().clerk)
    assert client.post(f"/admin/safety/quiz/{contest.pk}/from-exam/").status_code == 404
    assert not ContestResult.objects.exists()


def test_the_draw_page_shows_the_seed_the_list_and_the_method(client):
    team = Team()
    MemberFactory.create_batch(3, union=team.union)
    client.force_login(team.clerk)
    quarter = (today().month - 1) // 3 + 1
    response = client.post(
        "/admin/safety/draw/add/",
        {
            "union": team.union.pk,
            "year": today().year,
            "quarter": quarter,
            "prize": "安全帽",
            "winners_wanted": 2,
            "seed": "20250401",
        },
    )
    assert response.status_code == 302
    draw = Draw.objects.get()
    page = client.get(f"/admin/safety/draw/{draw.pk}/change/").content.decode()
    assert "20250401" in page
    assert "SHA-256" in page


def test_assigning_is_recorded_on_the_card_page(client):
    team = Team()
    hazard = assigned(team)
    client.force_login(team.clerk)
    page = client.get(f"/admin/safety/hazard/{hazard.pk}/change/").content.decode()
    assert "交后勤处整改" in page
