"""The school demo (scale s) carries the district federation's report collection."""

import pytest
from django.db import transaction
from django.test import override_settings
from django_scopes import scopes_disabled

from gonghui.collection import queries
from gonghui.collection.models import CollectionRequest, ConsolidatedFigure
from gonghui.demo import plans, scales
from gonghui.demo.tests.dates import SEED, TODAY
from gonghui.demo.tests.snapshot import built_or_restored
from gonghui.periods import Period
from gonghui.reports import registry


@pytest.fixture(scope="module")
def school(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), scopes_disabled():
        with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
            with transaction.atomic():
                # Built once per process, restored after (gonghui/demo/tests/snapshot.py).
                yield built_or_restored(
                    ("school", SEED, TODAY), lambda: scales.build_small(seed=SEED, today=TODAY)
                )
                transaction.set_rollback(True)


@pytest.mark.django_db
def test_the_district_collected_the_half_year_summary_and_awaits_the_annual_one(school):
    requests = CollectionRequest.objects.filter(union__code=plans.DISTRICT.code).order_by(
        "start", "end"
    )
    half, annual = list(requests)
    half_board = queries.board(half, today=TODAY)
    assert half_board.counts["submitted"] == 1
    assert half_board.rows[0].submission.report.is_locked
    annual_board = queries.board(annual, today=TODAY)
    assert annual_board.counts["waiting"] == 1 and annual_board.rows[0].reminders == 1
    figure = ConsolidatedFigure.objects.get(
        report__request=half, metric_key="members.at_end", scope="subtree"
    )
    assert figure.value == registry.value(
        "members.at_end", [school.pk], Period(half.start, half.end)
    )
