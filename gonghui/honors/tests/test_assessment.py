"""Group assessment: rules, monthly scoring of every group, ranking, publication."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from gonghui.disclosure.models import Post
from gonghui.honors import queries, services
from gonghui.honors.models import GroupResult, Score
from gonghui.honors.tests.factories import full_marks, month_with_groups, rule
from gonghui.orgs.tests.factories import GroupFactory

pytestmark = pytest.mark.django_db


def test_a_rule_keeps_its_items_in_order_with_their_maximum():
    written = rule()
    assert [(i.name, i.max_points) for i in written.items.all()] == [
        ("安全生产", Decimal("30.0")),
        ("劳动纪律", Decimal("30.0")),
        ("工会活动", Decimal("40.0")),
    ]
    assert written.total_points == Decimal("100.0")


def test_a_rule_item_with_zero_maximum_is_refused_with_its_row():
    with pytest.raises(ValidationError) as e:
        rule(items=[{"name": "卫生", "max_points": "0"}])
    assert e.value.message_dict["items"] == ["第1项（卫生）：满分必须大于0"]


def test_a_score_above_the_items_maximum_is_refused():
    assessment, groups = month_with_groups()
    points = full_marks(assessment, less={"安全生产": "35"})
    with pytest.raises(ValidationError) as e:
        services.score_group(assessment=assessment, group=groups[0], points=points)
    (message,) = [m for ms in e.value.message_dict.values() for m in ms]
    assert message == "第1组“安全生产”得分 35.0 分超过该项满分 30.0 分"
    assert Score.objects.count() == 0


def test_a_deduction_without_its_reason_is_refused():
    assessment, groups = month_with_groups()
    points = full_marks(assessment, less={"劳动纪律": "28"})
    with pytest.raises(ValidationError) as e:
        services.score_group(assessment=assessment, group=groups[0], points=points)
    assert "请填写扣分理由" in str(e.value)


def test_every_item_must_be_scored():
    assessment, groups = month_with_groups()
    points = full_marks(assessment)
    points.popitem()
    with pytest.raises(ValidationError) as e:
        services.score_group(assessment=assessment, group=groups[0], points=points)
    assert "请填写第1组“工会活动”得分" in str(e.value)


def test_rescoring_a_group_replaces_its_scores():
    assessment, groups = month_with_groups()
    services.score_group(assessment=assessment, group=groups[0], points=full_marks(assessment))
    services.score_group(
        assessment=assessment,
        group=groups[0],
        points=full_marks(assessment, less={"工会活动": ("36", "缺席两次活动")}),
    )
    assert queries.group_totals(assessment) == {groups[0].pk: Decimal("96.0")}


def test_a_month_cannot_be_published_until_every_group_is_scored():
    assessment, groups = month_with_groups()
    services.score_group(assessment=assessment, group=groups[0], points=full_marks(assessment))
    with pytest.raises(ValidationError) as e:
        services.publish_assessment(assessment=assessment, actor=None)
    assert e.value.message_dict["assessment"] == ["以下班组尚未打分：第2组、第3组"]


def test_the_published_ranking_orders_groups_by_total_and_shares_equal_ranks():
    assessment, (first, second, third) = month_with_groups()
    services.score_group(assessment=assessment, group=first, points=full_marks(assessment))
    services.score_group(
        assessment=assessment,
        group=second,
        points=full_marks(assessment, less={"安全生产": ("25", "违章作业一次")}),
    )
    services.score_group(
        assessment=assessment,
        group=third,
        points=full_marks(assessment, less={"劳动纪律": ("25", "迟到五次")}),
    )
    services.publish_assessment(assessment=assessment, on=date(2025, 4, 3), actor=None)
    ranked = [(r.group.name, r.total, r.rank) for r in queries.published_ranking(assessment)]
    assert ranked == [
        ("第1组", Decimal("100.0"), 1),
        ("第2组", Decimal("95.0"), 2),
        ("第3组", Decimal("95.0"), 2),
    ]
    post = Post.objects.get(union=assessment.union)
    assert post.category == "honors" and "违章作业一次" in post.body


def test_scores_of_a_published_month_cannot_change():
    assessment, groups = month_with_groups(n_groups=1)
    services.score_group(assessment=assessment, group=groups[0], points=full_marks(assessment))
    services.publish_assessment(assessment=assessment, actor=None)
    with pytest.raises(ValidationError) as e:
        services.score_group(assessment=assessment, group=groups[0], points=full_marks(assessment))
    assert "已公布" in e.value.message_dict["assessment"][0]


def test_a_groups_trend_lists_its_published_months_oldest_first():
    march, (group,) = month_with_groups(n_groups=1)
    services.score_group(assessment=march, group=group, points=full_marks(march))
    services.publish_assessment(assessment=march, actor=None)
    april = services.open_month(rule=march.rule, month=date(2025, 4, 1))
    services.score_group(
        assessment=april, group=group, points=full_marks(april, less={"工会活动": ("30", "缺席")})
    )
    services.publish_assessment(assessment=april, actor=None)
    assert [(m.month, total) for m, total, _ in queries.trend(group=group)] == [
        (3, Decimal("100.0")),
        (4, Decimal("90.0")),
    ]
    assert GroupResult.objects.count() == 2


def test_a_month_is_opened_once():
    assessment, _ = month_with_groups()
    with pytest.raises(ValidationError) as e:
        services.open_month(rule=assessment.rule, month=date(2025, 3, 15))
    assert "已建立" in e.value.message_dict["month"][0]


def test_a_group_of_another_union_cannot_be_scored():
    assessment, _ = month_with_groups()
    with pytest.raises(ValidationError) as e:
        services.score_group(
            assessment=assessment, group=GroupFactory(), points=full_marks(assessment)
        )
    assert e.value.message_dict["group"] == ["所选班组不属于本工会"]
