"""Collected, valid, implemented and rewarded, as the seed reports them."""

from datetime import timedelta

import pytest
from django.utils import timezone

from gonghui.finance.tests.factories import staff
from gonghui.periods import Period
from gonghui.reports.registry import value
from gonghui.voice import services
from gonghui.voice.tests.factories import opinion, valid

pytestmark = pytest.mark.django_db


def test_collected_valid_implemented_and_rewarded_count_the_periods_opinions():
    union = opinion().union
    first = valid(union)
    valid(union)
    services.implement(
        opinion=first, on=timezone.localdate(), implementation="已办", actor=staff(union)
    )
    services.reward(opinion=first, amount="300", on=timezone.localdate(), actor=staff(union))
    dropped = opinion(union)
    services.judge(opinion=dropped, valid=False, reason="不属工会职责", actor=staff(union))
    today = timezone.localdate()
    period = Period(today - timedelta(days=60), today)
    assert value("voice.collected", [union], period) == 4
    assert value("voice.valid", [union], period) == 2
    assert value("voice.implemented", [union], period) == 1
    assert value("voice.rewarded", [union], period) == 1
    assert str(value("voice.valid_rate", [union], period)) == "50.0"
    assert str(value("voice.implementation_rate", [union], period)) == "50.0"
