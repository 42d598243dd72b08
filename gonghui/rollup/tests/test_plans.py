"""The classification decides correctness: each rule is proved on a metric
written to break it."""

from django.db.models import Q

from gonghui.activities.models import SignUp
from gonghui.members.models import Member, StatusChange
from gonghui.reports.registry import Metric
from gonghui.rollup.plans import plan


def _metric(records, **kwargs):
    return Metric(key="test.metric", label="测试", unit="人", records=records, **kwargs)


def test_records_filtered_by_their_own_union_are_grouped_by_it():
    p = plan(_metric(lambda unions, period: Member.objects.filter(union__in=unions)))
    assert p.grouped_by == "union_id"


def test_records_reached_through_a_forward_key_are_grouped_by_that_union():
    p = plan(_metric(lambda unions, period: SignUp.objects.filter(activity__union__in=unions)))
    assert p.grouped_by in {"activity__union_id", "union_id"}


def test_records_filtered_through_a_reverse_relation_are_computed_one_union_at_a_time():
    p = plan(
        _metric(lambda unions, period: Member.objects.filter(status_changes__union__in=unions))
    )
    assert p.grouped_by is None


def test_a_union_filter_inside_a_subquery_is_computed_one_union_at_a_time():
    def records(unions, period):
        return Member.objects.filter(
            pk__in=StatusChange.objects.filter(union__in=unions).values("member_id")
        )

    assert plan(_metric(records)).grouped_by is None


def test_a_union_filter_under_an_or_is_computed_one_union_at_a_time():
    def records(unions, period):
        return Member.objects.filter(Q(union__in=unions) | Q(gender="F"))

    assert plan(_metric(records)).grouped_by is None


def test_a_query_shaped_by_the_number_of_unions_is_computed_one_union_at_a_time():
    def records(unions, period):
        qs = Member.objects.filter(union__in=unions)
        return qs.filter(gender="F") if len(unions) == 1 else qs

    assert plan(_metric(records)).grouped_by is None


def test_a_date_range_on_the_records_own_date_is_additive():
    def records(unions, period):
        return Member.objects.filter(union__in=unions, joined_on__range=period.bounds)

    assert plan(_metric(records)).additive


def test_a_stock_at_the_end_of_the_period_is_not_additive():
    def records(unions, period):
        return Member.objects.filter(union__in=unions, joined_on__lte=period.end)

    assert not plan(_metric(records)).additive


def test_a_date_range_on_a_timestamp_is_not_additive():
    def records(unions, period):
        return Member.objects.filter(union__in=unions, created_at__range=period.bounds)

    assert not plan(_metric(records)).additive


def test_a_period_used_twice_is_not_additive():
    def records(unions, period):
        return Member.objects.filter(
            union__in=unions, joined_on__range=period.bounds, left_on__gt=period.end
        )

    assert not plan(_metric(records)).additive


def test_a_distinct_sum_is_not_grouped():
    def records(unions, period):
        return Member.objects.filter(union__in=unions).distinct()

    assert plan(_metric(records, sum_field="id")).grouped_by is None
