from decimal import Decimal

import pytest

from gonghui.demo import plans
from gonghui.demo.builder import ensure_upper
from gonghui.demo.upper import set_targets
from gonghui.upper.models import UnitTarget

pytestmark = pytest.mark.django_db


def test_the_demo_city_keeps_wage_bargaining_above_ninety_per_cent():
    for upper in (plans.CITY, plans.DISTRICT):
        ensure_upper(upper)
    assert set_targets() == 4
    target = UnitTarget.objects.get(
        union__code=plans.CITY.code, metric="rights.wage_contract_coverage"
    )
    assert (target.comparison, target.value) == ("gte", Decimal("90.00"))
    assert "90%" in target.note


def test_setting_the_demo_targets_twice_changes_nothing():
    ensure_upper(plans.CITY)
    set_targets()
    set_targets()
    assert UnitTarget.objects.count() == 2
