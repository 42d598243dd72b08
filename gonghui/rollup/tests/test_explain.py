"""The (union, date) paths the subtree figures take use indexes on PostgreSQL.

The test database is tiny, so the planner would scan anyway; with sequential
scans disabled, a plan that still has one shows there is no usable index.
"""

from datetime import date

import pytest
from django.db import connection

from gonghui.members.models import Member
from gonghui.periods import Period
from gonghui.rollup.models import MetricMonth

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="EXPLAIN plans are checked on PostgreSQL"
)


def _plan(qs) -> str:
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_reading_a_subtrees_figures_for_a_period_uses_an_index_of_the_summary_table(db):
    qs = MetricMonth.objects.filter(
        union_id__in=[1, 2, 3], metric_key__in=["members.joined"], month=date(2026, 1, 1), months=12
    ).values_list("union_id", "metric_key", "value", "places")
    plan = _plan(qs)
    assert "rollup_one_figure" in plan or "rollup_metric_period" in plan
    assert "Seq Scan" not in plan


def test_refreshing_a_period_of_all_unions_uses_the_metric_period_index(db):
    qs = MetricMonth.objects.filter(metric_key="members.joined", month=date(2026, 1, 1), months=1)
    plan = _plan(qs)
    assert "Seq Scan" not in plan


def test_one_units_records_for_a_period_are_found_through_the_union_index(db):
    period = Period.year(2026)
    qs = Member.objects.filter(union_id=7, joined_on__range=period.bounds)
    plan = _plan(qs)
    assert "Seq Scan" not in plan
    assert "union_id" in plan
