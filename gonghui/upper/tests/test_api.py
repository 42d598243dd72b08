"""The upper-union API: figures per unit and KPIs, and every bad input refused in Chinese."""

import pytest
from django.test import Client

from gonghui.api.tokens import issue_token
from gonghui.orgs.roles import Role
from gonghui.orgs.tests.factories import user_with_role
from gonghui.upper import figures
from gonghui.upper.tests.subtree import PERIOD, city

pytestmark = pytest.mark.django_db

YEAR = {"from": "2026-01-01", "to": "2026-12-31"}


@pytest.fixture
def c():
    return city()


def _client(union, role=Role.UPPER_STAFF):
    key = issue_token(user=user_with_role(union, role), name="测试")
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


def test_the_overview_lists_each_units_figures_and_the_total(c):
    response = _client(c.city).get(
        "/api/v1/upper/overview",
        {"union": c.city.pk, **YEAR, "metric": ["members.at_end", "members.membership_rate"]},
    )
    assert response.status_code == 200
    body = response.json()
    assert [u["name"] for u in body["units"]] == [u.name for u in c.units]
    assert [u["values"]["members.at_end"] for u in body["units"]] == [4, 5, 4, 2]
    assert body["totals"] == {"members.at_end": 15, "members.membership_rate": "15.0"}
    assert body["metrics"][1] == {"key": "members.membership_rate", "label": "入会率", "unit": "%"}


def test_the_overview_without_metrics_answers_the_kpis_figures(c):
    body = _client(c.city).get("/api/v1/upper/overview", {"union": c.city.pk, **YEAR}).json()
    assert [m["key"] for m in body["metrics"]] == figures.kpi_keys()


def test_the_kpis_carry_numerator_and_denominator(c):
    response = _client(c.city).get("/api/v1/upper/kpis", {"union": c.city.pk, **YEAR})
    assert response.status_code == 200
    kpis = {k["key"]: k for k in response.json()["kpis"]}
    wage = kpis["rights.wage_contract_coverage"]
    assert (wage["label"], wage["value"], wage["numerator"], wage["denominator"]) == (
        "工资集体协商建制率",
        "50.0",
        2,
        4,
    )
    assert kpis["upper.congress_rate"]["lacking"] == [c.a1.pk, c.b1.pk, c.b2.pk]


def test_a_district_sees_only_its_own_units(c):
    body = _client(c.district_b).get("/api/v1/upper/kpis", {"union": c.district_b.pk, **YEAR})
    assert body.json()["units"] == 2


def test_a_period_ending_before_it_starts_is_refused_in_chinese(c):
    response = _client(c.city).get(
        "/api/v1/upper/kpis", {"union": c.city.pk, "from": "2026-12-31", "to": "2026-01-01"}
    )
    assert response.status_code == 400
    assert "结束日期不能早于开始日期" in response.json()["detail"]


def test_a_malformed_date_is_refused(c):
    response = _client(c.city).get(
        "/api/v1/upper/kpis", {"union": c.city.pk, "from": "2026-02-30", "to": "2026-12-31"}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "from"


def test_an_unknown_metric_key_is_refused_in_chinese(c):
    response = _client(c.city).get(
        "/api/v1/upper/overview", {"union": c.city.pk, **YEAR, "metric": "members.nope"}
    )
    assert response.status_code == 400
    assert response.json()["detail"] == "未登记的指标：members.nope"


def test_a_grassroots_chair_is_refused(c):
    response = _client(c.a1, Role.CHAIR).get("/api/v1/upper/kpis", {"union": c.a1.pk, **YEAR})
    assert response.status_code == 403
    assert "上级工会" in response.json()["detail"]


def test_a_sibling_district_is_not_found(c):
    response = _client(c.district_a).get("/api/v1/upper/kpis", {"union": c.district_b.pk, **YEAR})
    assert response.status_code == 404


def test_a_unit_is_not_an_upper_union(c):
    response = _client(c.city).get("/api/v1/upper/kpis", {"union": c.a1.pk, **YEAR})
    assert response.status_code == 400
    assert "不是上级工会" in response.json()["detail"]


def test_the_endpoints_are_in_the_schema(c):
    schema = _client(c.city).get("/api/v1/openapi.json").json()
    assert {"/api/v1/upper/overview", "/api/v1/upper/kpis"} <= set(schema["paths"])


def test_the_overview_agrees_with_the_figures_layer(c):
    keys = ["care.hardship_open", "rights.wage_contract_coverage"]
    body = (
        _client(c.city)
        .get("/api/v1/upper/overview", {"union": c.city.pk, **YEAR, "metric": keys})
        .json()
    )
    values = figures.unit_values(c.city, PERIOD, keys)
    for unit in body["units"]:
        assert unit["values"] == {
            k: (f"{v}" if not isinstance(v, int) else v) for k, v in values[unit["id"]].items()
        }
