from decimal import Decimal

import pytest

from gonghui.reports import registry
from gonghui.upper import figures
from gonghui.upper.tests.subtree import PERIOD, bare_city, city

pytestmark = pytest.mark.django_db


@pytest.fixture
def c():
    return city()


def _all_keys():
    return [m.key for m in registry.all_metrics()]


def test_units_are_the_grassroots_unions_of_the_subtree_in_path_order(c):
    assert figures.units(c.city) == sorted(c.units, key=lambda u: u.path)
    assert figures.units(c.district_a) == [c.a1, c.a2]


def test_a_district_never_sees_the_units_of_its_sibling(c):
    ids = figures.unit_values(c.district_a, PERIOD, ["members.at_end"]).keys()
    assert set(ids) == {c.a1.pk, c.a2.pk}


def test_every_registered_metric_per_unit_agrees_with_the_registry(c):
    keys = _all_keys()
    values = figures.unit_values(c.city, PERIOD, keys)
    for unit in c.units:
        for key in keys:
            assert values[unit.pk][key] == registry.value(key, [unit.pk], PERIOD), key


def test_every_registered_metric_over_the_subtree_agrees_with_the_registry(c):
    keys = _all_keys()
    ids = [u.pk for u in c.units]
    totals = figures.subtree_totals(c.city, PERIOD, keys)
    for key in keys:
        assert totals[key] == registry.value(key, ids, PERIOD), key


def test_a_ratio_over_the_subtree_is_recomputed_not_averaged():
    # Members 3+2+4+1 against headcounts 10+20+30+40: 10%, where the average of
    # the units' rates (30, 10, 13.3, 2.5) would be 14%.
    c = bare_city()
    totals = figures.subtree_totals(c.city, PERIOD, ["members.membership_rate"])
    assert totals["members.membership_rate"] == Decimal("10.0")


def test_totals_reuse_unit_values_passed_in(django_assert_num_queries):
    c = bare_city()
    keys = ["members.at_end", "members.joined"]
    values = figures.unit_values(c.city, PERIOD, keys)
    with django_assert_num_queries(1):  # the units of the subtree, nothing else
        totals = figures.subtree_totals(c.city, PERIOD, keys, values=values)
    assert totals["members.at_end"] == 10


def test_an_unknown_metric_key_is_refused_in_chinese(c):
    with pytest.raises(KeyError, match="未登记的指标：members.nope"):
        figures.unit_values(c.city, PERIOD, ["members.nope"])


@pytest.fixture
def live_only(monkeypatch):
    monkeypatch.setattr(figures, "_stored", lambda ids, period, keys: None)


def test_a_plain_count_takes_one_query_for_all_units(c, live_only, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        figures.unit_values(c.city, PERIOD, ["members.joined"])


def test_stored_values_answer_first(c, monkeypatch):
    calls = []

    def stored(ids, period, keys):
        calls.append((list(ids), period, list(keys)))
        return {uid: {"members.at_end": 7} for uid in ids}

    monkeypatch.setattr(figures, "_stored", stored)
    values = figures.unit_values(c.city, PERIOD, ["members.at_end", "members.joined"])
    assert calls and calls[0][2] == ["members.at_end", "members.joined"]
    assert {v["members.at_end"] for v in values.values()} == {7}
    # What the tables could not answer is computed live.
    assert values[c.a1.pk]["members.joined"] == registry.value("members.joined", [c.a1], PERIOD)


def test_live_values_are_computed_when_the_tables_cannot_answer(monkeypatch):
    c = bare_city()
    monkeypatch.setattr(figures, "_stored", lambda ids, period, keys: None)
    values = figures.unit_values(c.city, PERIOD, ["members.at_end"])
    assert [values[u.pk]["members.at_end"] for u in c.units] == [3, 2, 4, 1]


def _kpi(kpis, key):
    return next(k for k in kpis if k.key == key)


def test_membership_rate_kpi_divides_members_by_headcount():
    c = bare_city()
    k = _kpi(figures.kpis(c.city, PERIOD), "members.membership_rate")
    assert (k.label, k.numerator, k.denominator, k.value) == ("入会率", 10, 100, Decimal("10.0"))


def test_congress_rate_is_the_share_of_units_that_held_a_session(c):
    k = _kpi(figures.kpis(c.city, PERIOD), "upper.congress_rate")
    assert (k.numerator, k.denominator, k.value) == (1, 4, Decimal("25.0"))
    assert set(k.lacking) == {c.a1.pk, c.b1.pk, c.b2.pk}


def test_wage_contract_rate_is_the_share_of_units_with_a_contract_in_force(c):
    k = _kpi(figures.kpis(c.city, PERIOD), "rights.wage_contract_coverage")
    assert (k.label, k.numerator, k.denominator, k.value) == (
        "工资集体协商建制率",
        2,
        4,
        Decimal("50.0"),
    )


def test_open_affairs_rate_is_the_share_of_units_that_published(c):
    k = _kpi(figures.kpis(c.city, PERIOD), "upper.disclosure_rate")
    assert (k.numerator, k.denominator, k.value) == (3, 4, Decimal("75.0"))
    assert k.lacking == (c.b2.pk,)


def test_hardship_review_coverage_counts_open_cases_reviewed_in_the_period(c):
    k = _kpi(figures.kpis(c.city, PERIOD), "care.hardship_review_coverage")
    assert (k.numerator, k.denominator, k.value) == (1, 2, Decimal("50.0"))


def test_a_districts_kpis_cover_only_its_units(c):
    k = _kpi(figures.kpis(c.district_b, PERIOD), "rights.wage_contract_coverage")
    assert (k.numerator, k.denominator) == (1, 2)


def test_kpis_of_a_subtree_without_records_are_zero_not_an_error():
    empty = bare_city()
    for k in figures.kpis(empty.city, PERIOD):
        if k.key != "members.membership_rate":
            assert k.numerator == 0 and k.value == Decimal("0.0"), k.key


def test_a_unit_alone_counts_fully_or_not_at_all_in_a_share_kpi(c):
    per_unit = figures.unit_kpi_values([u.pk for u in c.units], PERIOD)
    assert per_unit[c.a2.pk]["upper.congress_rate"] == Decimal("100.0")
    assert per_unit[c.a1.pk]["upper.congress_rate"] == Decimal("0.0")


def test_units_by_child_groups_the_units_under_each_district(c):
    assert figures.units_by_child(c.city) == {
        c.district_a.pk: [c.a1.pk, c.a2.pk],
        c.district_b.pk: [c.b1.pk, c.b2.pk],
    }


@pytest.mark.parametrize(
    "key", sorted(m.key for m in registry.all_metrics() if m.denominators is not None)
)
def test_each_units_denominator_asked_together_is_what_it_is_alone(c, key):
    m = registry.get(key)
    ids = [u.pk for u in c.units] + [c.district_a.pk]
    together = m.denominators_of(ids, PERIOD)
    assert together == {uid: m.denominator_value([uid], PERIOD) for uid in ids}


def test_the_membership_rate_of_every_unit_takes_a_fixed_number_of_queries(
    c, live_only, django_assert_max_num_queries
):
    with django_assert_max_num_queries(4):
        figures.unit_values(c.city, PERIOD, ["members.membership_rate"])


def test_a_ratio_per_unit_divides_the_stored_numerator(c, monkeypatch):
    monkeypatch.setattr(
        figures, "_stored", lambda ids, period, keys: {uid: {"members.at_end": 50} for uid in ids}
    )
    values = figures.unit_values(c.city, PERIOD, ["members.membership_rate"])
    assert values[c.a1.pk]["members.membership_rate"] == Decimal("500.0")  # 50 of 10
    assert values[c.b2.pk]["members.membership_rate"] == Decimal("125.0")  # 50 of 40
