"""Model workers: level, year, title, benefits, and care visits to them."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from gonghui.care import services as care
from gonghui.honors import queries, services
from gonghui.members.tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def _worker(member=None, **overrides):
    values = {
        "member": member or MemberFactory(),
        "level": "city",
        "title": "劳动模范",
        "year": 2020,
        "conferred_by": "市人民政府",
        "monthly_allowance": "200.00",
        "benefits": "每年疗休养一次、健康体检",
    }
    values.update(overrides)
    return services.record_model_worker(**values)


def test_a_model_worker_keeps_level_title_year_and_allowance():
    worker = _worker()
    assert worker.get_level_display() == "市级"
    assert worker.monthly_allowance == Decimal("200.00")
    assert str(worker).endswith("（2020年市级劳动模范）")


def test_the_same_title_in_the_same_year_is_recorded_once():
    worker = _worker()
    with pytest.raises(ValidationError) as e:
        _worker(member=worker.member)
    assert "已登记" in e.value.message_dict["title"][0]


def test_an_unknown_level_is_refused_in_chinese():
    with pytest.raises(ValidationError) as e:
        _worker(level="galactic")
    assert e.value.message_dict["level"] == ["级别“galactic”不在可选范围内"]


def test_a_negative_allowance_is_refused():
    with pytest.raises(ValidationError) as e:
        _worker(monthly_allowance="-5")
    assert "不是有效金额" in e.value.message_dict["monthly_allowance"][0]


def test_a_model_workers_care_visits_are_the_care_records_of_that_member():
    worker = _worker()
    care.record_visit(
        union=worker.union,
        kind="festival",
        on=date(2025, 1, 20),
        members=[worker.member],
        gift="春节慰问",
        idempotency_key="k1",
        actor=None,
    )
    care.record_visit(
        union=worker.union,
        kind="festival",
        on=date(2025, 1, 21),
        members=[MemberFactory(union=worker.union)],
        gift="春节慰问",
        idempotency_key="k2",
        actor=None,
    )
    visits = list(queries.care_visits_of(worker))
    assert [v.on for v in visits] == [date(2025, 1, 20)]
