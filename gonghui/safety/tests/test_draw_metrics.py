"""The quarterly draw re-runs to the same winners from its published seed and
list; the metrics count what the ledgers hold."""

import hashlib
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs.tests.factories import GroupFactory
from gonghui.periods import Period
from gonghui.reports import registry
from gonghui.safety import draw as drawing
from gonghui.safety import services
from gonghui.safety.models import Hazard
from gonghui.safety.tests.factories import Team, in_work, rectified, report, today

pytestmark = pytest.mark.django_db


def rerun(seed: str, eligible: list[int], count: int) -> list[int]:
    """The algorithm exactly as the draw's page writes it, independently coded."""
    tickets = sorted((hashlib.sha256(f"{seed}:{n}".encode()).hexdigest(), n) for n in eligible)
    return [n for _, n in tickets[:count]]


def quarter_now():
    return today().year, (today().month - 1) // 3 + 1


def test_re_running_the_published_draw_gives_the_same_winners():
    team = Team()
    MemberFactory.create_batch(12, union=team.union)
    year, quarter = quarter_now()
    draw = services.hold_draw(
        union=team.union,
        year=year,
        quarter=quarter,
        winners_wanted=3,
        prize="安全帽",
        actor=team.clerk,
    )
    assert draw.winners == rerun(draw.seed, draw.eligible, 3)
    assert (
        draw.eligible_digest
        == hashlib.sha256(",".join(map(str, draw.eligible)).encode()).hexdigest()
    )
    assert drawing.pick(draw.seed, list(reversed(draw.eligible)), 3) == draw.winners


def test_a_member_with_a_violation_in_the_quarter_is_not_eligible():
    team = Team()
    careless, careful = MemberFactory.create_batch(2, union=team.union)
    services.record_violation(
        member=careless, on=today(), description="未戴安全帽进入施工区", actor=team.clerk
    )
    year, quarter = quarter_now()
    draw = services.hold_draw(
        union=team.union, year=year, quarter=quarter, winners_wanted=1, prize="奖", actor=team.clerk
    )
    assert careless.pk not in draw.eligible
    assert careful.pk in draw.eligible


def test_a_quarter_is_drawn_only_once():
    team = Team()
    MemberFactory.create_batch(2, union=team.union)
    year, quarter = quarter_now()
    kwargs = dict(union=team.union, year=year, quarter=quarter, winners_wanted=1, prize="奖")
    services.hold_draw(actor=team.clerk, **kwargs)
    with pytest.raises(ValidationError) as e:
        services.hold_draw(actor=team.clerk, **kwargs)
    assert "已经抽过奖" in e.value.message_dict["quarter"][0]


def period():
    return Period(date(today().year - 1, 1, 1), today())


def value(key, team):
    return registry.value(key, [team.union.pk], period())


def test_hazard_metrics_count_reported_rectified_verified_and_the_median_days():
    team = Team()
    report(team)
    rectified(team, reported_on=today() - timedelta(days=2))
    last = rectified(team, reported_on=today() - timedelta(days=6))
    services.verify_hazard(hazard=last, accepted=True, actor=team.supervisor)
    assert value("safety.hazards_reported", team) == 3
    assert value("safety.hazards_rectified", team) == 2
    assert value("safety.hazards_verified", team) == 1
    assert value("safety.rectification_rate", team) == Decimal("66.7")
    assert value("safety.rectification_median_days", team) == Decimal("4.0")
    assert value("safety.hazards_reported.category.fire", team) == 3
    assert registry.get("safety.hazards_rectified_by_department").by([team.union.pk], period()) == [
        ("后勤处", 2)
    ]


def test_a_card_not_rectified_by_its_deadline_counts_as_overdue():
    team = Team()
    late = in_work(team)
    Hazard.objects.filter(pk=late.pk).update(deadline=today() - timedelta(days=3))
    in_work(team)
    assert value("safety.hazards_overdue", team) == 1


def test_inspection_drill_and_contest_figures():
    team = Team()
    done = services.plan_inspection(
        union=team.union,
        title="检查",
        scope="全校",
        planned_on=today(),
        checklist=["a"],
        actor=team.clerk,
    )
    services.record_inspection(inspection=done, done_on=today(), results={}, actor=team.clerk)
    services.plan_inspection(
        union=team.union,
        title="检查2",
        scope="全校",
        planned_on=today(),
        checklist=["a"],
        actor=team.clerk,
    )
    services.record_drill(
        union=team.union,
        kind="fire",
        title="灭火",
        held_on=today(),
        expected=40,
        participants=30,
        actor=team.clerk,
    )
    contest = services.record_contest(
        union=team.union, title="竞赛", held_on=today(), actor=team.clerk
    )
    group = GroupFactory(union=team.union)
    services.record_contest_results(
        contest=contest,
        rows=[
            {"group": group, "audience": 10, "participants": 8, "passed": 7, "average_score": 88}
        ],
        actor=team.clerk,
    )
    assert value("safety.inspection_completion", team) == Decimal("50.0")
    assert value("safety.drill_participants", team) == 30
    assert value("safety.drill_participation", team) == Decimal("75.0")
    assert value("safety.contest_coverage", team) == Decimal("80.0")


def test_the_benchmarks_raw_sql_gives_the_registrys_figures():
    import random

    from bench import issue5_safety
    from gonghui.demo import safety as demo
    from gonghui.orgs.tests.factories import DepartmentFactory

    team = Team()
    group = GroupFactory(union=team.union)
    DepartmentFactory(union=team.union)
    MemberFactory.create_batch(30, union=team.union, group=group)
    team.union.kind = "enterprise"
    demo.fill(union=team.union, rng=random.Random(5), today=today(), actor=team.clerk)
    report(team)
    rectified(team, reported_on=today() - timedelta(days=3))
    assert Hazard.objects.filter(union=team.union).count() > 3
    issue5_safety.check(team.union.pk, date(today().year - 1, 1, 1), today())
    issue5_safety.check(team.union.pk, date(today().year, 1, 1), today())
