"""Yearly plans: goals bound to metrics, progress, and next year's plan."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from gonghui.care.tests.factories import visit
from gonghui.orgs.roles import Role
from gonghui.orgs.tests.factories import UnionFactory, user_with_role
from gonghui.reports import services
from gonghui.reports.models import Plan
from gonghui.reports.queries import goal_progress, plan_period

pytestmark = pytest.mark.django_db
YEAR_2025 = date(2025, 12, 31)


def a_plan(union=None, year=2025):
    union = union or UnionFactory()
    chair = user_with_role(union, Role.CHAIR)
    return services.create_plan(union=union, year=year, actor=chair), chair


def test_a_goal_is_met_when_the_metric_reaches_its_target():
    plan, chair = a_plan()
    visit(plan.union, on=date(2025, 3, 1))
    visit(plan.union, on=date(2025, 4, 1))
    services.add_goal(plan=plan, metric_key="care.visits", comparison="ge", target="2", actor=chair)
    (row,) = goal_progress(plan=plan, period=plan_period(plan, YEAR_2025))
    assert (row.value, row.on_track, row.target_text) == (2, True, "2次")


def test_an_at_most_goal_is_missed_when_the_value_is_above_the_target():
    plan, chair = a_plan()
    visit(plan.union, on=date(2025, 3, 1))
    services.add_goal(plan=plan, metric_key="care.visits", comparison="le", target="0", actor=chair)
    (row,) = goal_progress(plan=plan, period=plan_period(plan, YEAR_2025))
    assert row.on_track is False


def test_the_trend_compares_with_the_same_period_a_year_earlier():
    plan, chair = a_plan()
    visit(plan.union, on=date(2024, 3, 1))
    visit(plan.union, on=date(2025, 3, 1))
    visit(plan.union, on=date(2025, 5, 1))
    services.add_goal(plan=plan, metric_key="care.visits", comparison="ge", target="1", actor=chair)
    (row,) = goal_progress(plan=plan, period=plan_period(plan, YEAR_2025))
    assert row.trend == "上升"


def test_a_goal_on_an_unknown_metric_is_refused_in_chinese():
    plan, chair = a_plan()
    with pytest.raises(ValidationError) as e:
        services.add_goal(plan=plan, metric_key="nope.x", comparison="ge", target="1", actor=chair)
    assert "没有这个指标" in e.value.message_dict["metric_key"][0]


def test_a_target_that_is_not_a_number_is_refused():
    plan, chair = a_plan()
    with pytest.raises(ValidationError) as e:
        services.add_goal(
            plan=plan, metric_key="care.visits", comparison="ge", target="很多", actor=chair
        )
    assert "目标值应为数字" in e.value.message_dict["target"][0]


def test_a_union_has_one_plan_a_year():
    plan, chair = a_plan()
    with pytest.raises(ValidationError) as e:
        services.create_plan(union=plan.union, year=2025, actor=chair)
    assert "已有2025年工作计划" in e.value.message_dict["year"][0]


def test_next_years_plan_carries_sections_items_and_goals_marking_the_unmet():
    plan, chair = a_plan()
    section = services.add_section(plan=plan, title="关心职工生活", actor=chair)
    services.add_item(section=section, text="做好节日慰问", actor=chair)
    visit(plan.union, on=date(2025, 3, 1))
    services.add_goal(plan=plan, metric_key="care.visits", comparison="ge", target="1", actor=chair)
    services.add_goal(
        plan=plan, metric_key="care.donations_total", comparison="ge", target="500", actor=chair
    )
    following = services.carry_over(plan=plan, actor=chair, today=YEAR_2025)
    assert following.year == 2026 and following.carried_from == plan
    assert [i.text for s in following.sections.all() for i in s.items.all()] == ["做好节日慰问"]
    assert {g.metric_key: g.unmet_last_year for g in following.goals.all()} == {
        "care.visits": False,
        "care.donations_total": True,
    }


def test_the_progress_page_shows_each_goal_with_its_status(client):
    plan, chair = a_plan()
    services.add_goal(plan=plan, metric_key="care.visits", comparison="ge", target="3", actor=chair)
    client.force_login(chair)
    page = client.get(reverse("reports:plan", args=[plan.pk])).content.decode()
    assert "慰问次数" in page and "未达标" in page


def test_a_chair_adds_a_goal_through_the_page(client):
    plan, chair = a_plan()
    client.force_login(chair)
    client.post(
        reverse("reports:plan", args=[plan.pk]),
        {
            "what": "goal",
            "goal-metric_key": "care.visits",
            "goal-comparison": "ge",
            "goal-target": "5",
        },
    )
    assert [g.metric_key for g in plan.goals.all()] == ["care.visits"]


def test_another_unions_plan_is_not_found(client):
    plan, _ = a_plan()
    other = user_with_role(UnionFactory(), Role.CHAIR)
    client.force_login(other)
    response = client.get(reverse("reports:plan", args=[plan.pk]))
    assert response.status_code == 404
    assert plan.union.name not in response.content.decode()


def test_a_liaison_sees_plans_but_cannot_create_one(client):
    plan, _ = a_plan()
    liaison = user_with_role(plan.union, Role.LIAISON)
    client.force_login(liaison)
    assert client.get(reverse("reports:plan", args=[plan.pk])).status_code == 200
    assert client.post(reverse("reports:new_plan"), {"year": 2026}).status_code == 403
    assert Plan.objects.count() == 1
