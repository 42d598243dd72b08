"""Honors metrics: awards by kind, model workers by level, group scores."""

from datetime import date
from decimal import Decimal

import pytest

from gonghui.honors import services
from gonghui.honors.tests.factories import full_marks, month_with_groups, star_nomination
from gonghui.members.tests.factories import MemberFactory
from gonghui.periods import Period
from gonghui.reports import registry

pytestmark = pytest.mark.django_db
YEAR = Period.year(2025)


def test_awards_count_granted_nominations_by_kind_in_the_period_of_the_decision():
    granted = star_nomination()
    services.decide(nomination=granted, granted=True, on=date(2025, 4, 2))
    declined = star_nomination(union=granted.union)
    services.decide(nomination=declined, granted=False, on=date(2025, 4, 2), note="名额有限")
    m = registry.get("honors.awards")
    assert m.value([granted.union], YEAR) == 1
    assert m.by([granted.union], YEAR) == [("岗位之星", 1)]
    assert m.value([granted.union], Period.year(2024)) == 0


def test_model_workers_are_counted_by_level_up_to_the_periods_year():
    member = MemberFactory()
    services.record_model_worker(member=member, level="national", title="五一劳动奖章", year=2019)
    services.record_model_worker(member=member, level="city", title="劳动模范", year=2026 - 1)
    m = registry.get("honors.model_workers")
    assert m.value([member.union], Period.year(2024)) == 1
    assert sorted(m.by([member.union], YEAR)) == [("全国", 1), ("市级", 1)]


def test_the_average_group_score_is_over_published_group_months():
    assessment, (first, second) = month_with_groups(n_groups=2)
    services.score_group(assessment=assessment, group=first, points=full_marks(assessment))
    services.score_group(
        assessment=assessment,
        group=second,
        points=full_marks(assessment, less={"工会活动": ("35", "缺席")}),
    )
    assert registry.value("honors.group_score_average", [assessment.union], YEAR) == Decimal("0.0")
    services.publish_assessment(assessment=assessment, actor=None)
    assert registry.value("honors.groups_assessed", [assessment.union], YEAR) == 2
    assert registry.value("honors.group_score_average", [assessment.union], YEAR) == Decimal("97.5")
    assert registry.get("honors.groups_ranked_first").by([assessment.union], YEAR) == [("第1组", 1)]
