"""The workspace pages: who may open them, what they show, and bad input."""

from decimal import Decimal

import pytest
from django.urls import reverse

from gonghui.orgs.roles import Role
from gonghui.orgs.tests.factories import UnionFactory, user_with_role
from gonghui.upper.models import UnitTarget
from gonghui.upper.tests.subtree import PERIOD, city

pytestmark = pytest.mark.django_db

YEAR = {"start": "2026-01-01", "end": "2026-12-31"}


@pytest.fixture
def c():
    return city()


def _signed_in(client, union, role=Role.UPPER_STAFF):
    client.force_login(user_with_role(union, role))
    return client


def _get(client, name, **params):
    return client.get(reverse(name), {**YEAR, **params})


# Who may open the workspace -------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["upper:overview", "upper:ranking", "upper:targets", "upper:export"]
)
def test_a_grassroots_chair_is_refused_every_page(client, c, name):
    _signed_in(client, c.a1, Role.CHAIR)
    assert _get(client, name).status_code == 403


@pytest.mark.parametrize(
    "name", ["upper:overview", "upper:ranking", "upper:targets", "upper:export"]
)
def test_a_district_cannot_open_its_sibling_district(client, c, name):
    _signed_in(client, c.district_a)
    assert _get(client, name, union=c.district_b.pk).status_code == 404


def test_a_federation_chair_without_the_upper_staff_role_is_refused(client, c):
    # Their role reads the federation's own records only: its units' figures would be zero.
    _signed_in(client, c.district_a, Role.CHAIR)
    assert _get(client, "upper:overview").status_code == 403


def test_a_district_cannot_open_the_city_above_it(client, c):
    _signed_in(client, c.district_a)
    assert _get(client, "upper:overview", union=c.city.pk).status_code == 404


def test_a_union_named_by_a_non_number_is_not_found(client, c):
    _signed_in(client, c.city)
    assert _get(client, "upper:overview", union="abc").status_code == 404


def test_a_city_outside_the_tree_sees_nothing_of_this_city(client, c):
    other = UnionFactory(kind="federation", name="邻市总工会")
    _signed_in(client, other)
    response = _get(client, "upper:overview")
    assert response.status_code == 200
    assert c.a1.name not in response.content.decode()
    assert _get(client, "upper:overview", union=c.city.pk).status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(client, c):
    response = _get(client, "upper:overview")
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_sidebar_shows_the_workspace_to_upper_staff_only(client, c):
    _signed_in(client, c.city)
    assert "下属工会统计" in client.get(reverse("admin:index")).content.decode()
    client.logout()
    _signed_in(client, c.a1, Role.CHAIR)
    assert "下属工会统计" not in client.get(reverse("admin:index")).content.decode()


# The overview ---------------------------------------------------------------------------


def test_the_overview_shows_each_kpi_with_its_numerator_and_denominator(client, c):
    _signed_in(client, c.city)
    response = _get(client, "upper:overview")
    assert response.status_code == 200
    kpis = {item["kpi"].key: item["kpi"] for item in response.context["kpis"]}
    wage = kpis["rights.wage_contract_coverage"]
    assert (wage.numerator, wage.denominator, wage.value) == (2, 4, Decimal("50.0"))
    assert "建立工资集体协商制度的工会 2 ÷ 基层工会数 4" in response.content.decode()


def test_the_overview_compares_the_districts(client, c):
    _signed_in(client, c.city)
    rows = _get(client, "upper:overview").context["child_rows"]
    assert [(r["union"], r["units"]) for r in rows] == [(c.district_a, 2), (c.district_b, 2)]
    assert rows[0]["link"].startswith(reverse("upper:overview") + f"?union={c.district_a.pk}")


def test_a_district_drills_down_to_its_units_dashboards(client, c):
    _signed_in(client, c.city)
    rows = _get(client, "upper:overview", union=c.district_a.pk).context["child_rows"]
    assert [r["union"] for r in rows] == [c.a1, c.a2]
    assert rows[0]["link"].startswith(reverse("reports:dashboard") + f"?union={c.a1.pk}")
    assert client.get(rows[0]["link"]).status_code == 200


def test_a_units_figure_opens_its_records_read_only(client, c):
    _signed_in(client, c.city)
    response = _get(client, "upper:overview", area="members")
    row = next(r for r in response.context["unit_rows"] if r["union"] == c.b1)
    cell = row["cells"][0]  # members.at_end
    assert cell["display"] == "4"
    records = client.get(cell["link"])
    assert records.status_code == 200 and "期末会员" in records.content.decode()


def test_the_unit_table_sorts_by_a_column(client, c):
    _signed_in(client, c.city)
    response = _get(client, "upper:overview", area="members", sort="members.at_end", order="desc")
    names = [r["union"] for r in response.context["unit_rows"]]
    # a1 and a2 each have one more member from the records of `city` (4, 5, 4, 2).
    assert names == [c.a2, c.a1, c.b1, c.b2]


def test_the_unit_table_refuses_to_sort_by_a_column_it_does_not_show(client, c):
    _signed_in(client, c.city)
    assert _get(client, "upper:overview", sort="finance.income_total").status_code == 404


def test_an_unknown_area_is_not_found(client, c):
    _signed_in(client, c.city)
    assert _get(client, "upper:overview", area="nope").status_code == 404


def test_a_bad_period_falls_back_to_this_year_with_a_message(client, c):
    _signed_in(client, c.city)
    response = client.get(reverse("upper:overview"), {"start": "2026-13-01", "end": "x"})
    assert response.status_code == 200
    assert "日期格式不正确" in response.content.decode()


def test_the_total_row_adds_up_the_units(client, c):
    _signed_in(client, c.city)
    columns = _get(client, "upper:overview", area="members").context["columns"]
    at_end = next(col for col in columns if col["metric"].key == "members.at_end")
    assert at_end["total"] == "15"


def test_every_registered_metric_has_a_subtree_total(client, c):
    from gonghui.reports import registry

    _signed_in(client, c.city)
    areas = _get(client, "upper:overview").context["registered_areas"]
    shown = {r["metric"].key for a in areas for r in a["rows"]}
    assert shown == {m.key for m in registry.all_metrics()}


# Rankings and targets -------------------------------------------------------------------


def _target(union, key="rights.wage_contract_coverage", value="90", comparison="gte"):
    return UnitTarget.objects.create(union=union, metric=key, value=value, comparison=comparison)


def test_the_ranking_puts_the_best_first(client, c):
    _signed_in(client, c.city)
    response = _get(client, "upper:ranking", metric="members.at_end")
    ranked = [(item["row"].rank, item["row"].unit) for item in response.context["rows"]]
    assert ranked == [(1, c.a2), (2, c.a1), (2, c.b1), (4, c.b2)]


def test_units_below_the_target_are_highlighted(client, c):
    _target(c.city)
    _signed_in(client, c.city)
    response = _get(client, "upper:ranking", metric="rights.wage_contract_coverage")
    below = {item["row"].unit for item in response.context["rows"] if item["row"].below_target}
    assert below == {c.a2, c.b2}
    assert response.context["below_count"] == 2
    assert response.context["charts"]["units"]["below"] == [False, False, True, True]
    assert response.context["total_state"] == "below"  # 50% of units, against 90%


def test_a_not_above_target_ranks_the_lowest_first(client, c):
    _target(c.city, key="members.at_end", value="3", comparison="lte")
    _signed_in(client, c.city)
    rows = _get(client, "upper:ranking", metric="members.at_end").context["rows"]
    assert [item["row"].unit for item in rows][0] == c.b2
    assert {item["row"].unit for item in rows if item["row"].below_target} == {c.a1, c.a2, c.b1}


def test_the_ranking_can_list_only_the_units_below_target(client, c):
    _target(c.city)
    _signed_in(client, c.city)
    response = _get(client, "upper:ranking", metric="rights.wage_contract_coverage", below="1")
    assert [item["row"].unit for item in response.context["rows"]] == [c.a2, c.b2]


def test_a_district_inherits_the_citys_target(client, c):
    _target(c.city)
    _signed_in(client, c.city)
    response = _get(client, "upper:ranking", union=c.district_b.pk)
    assert response.context["figure"].key == "rights.wage_contract_coverage"
    assert response.context["target"].union == c.city


def test_a_share_kpi_ranks_units_by_whether_they_count(client, c):
    _signed_in(client, c.city)
    rows = _get(client, "upper:ranking", metric="upper.congress_rate").context["rows"]
    assert rows[0]["row"].unit == c.a2 and rows[0]["row"].value == Decimal("100.0")


def test_ranking_an_unknown_metric_is_not_found_in_chinese(client, c):
    _signed_in(client, c.city)
    response = _get(client, "upper:ranking", metric="members.nope")
    assert response.status_code == 404


def test_the_overview_marks_a_kpi_below_its_target(client, c):
    _target(c.city)
    _signed_in(client, c.city)
    content = _get(client, "upper:overview").content.decode()
    assert 'data-kpi="rights.wage_contract_coverage" data-state="below"' in content
    assert "目标不低于90%，未达到" in content


def test_upper_staff_set_a_target_for_their_own_union(client, c):
    _signed_in(client, c.city)
    response = client.post(
        reverse("upper:targets") + "?" + "start=2026-01-01&end=2026-12-31",
        {
            "union": c.city.pk,
            "metric": "rights.wage_contract_coverage",
            "comparison": "gte",
            "value": "90",
            "note": "年度工作要点",
        },
    )
    assert response.status_code == 302
    target = UnitTarget.objects.get(union=c.city)
    assert (target.metric, target.value, target.note) == (
        "rights.wage_contract_coverage",
        Decimal("90.00"),
        "年度工作要点",
    )


def test_city_staff_cannot_set_a_districts_targets(client, c):
    _signed_in(client, c.city)
    response = client.post(
        reverse("upper:targets"),
        {"union": c.district_a.pk, "metric": "members.at_end", "comparison": "gte", "value": "1"},
    )
    assert response.status_code == 403
    assert not UnitTarget.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("metric", "members.nope", "没有这个指标：members.nope"),
        ("value", "九十", "目标值“九十”不是数字"),
        ("value", "-1", "目标值不能为负数"),
        ("value", "120", "工资集体协商建制率是百分比，目标值不能超过100"),
        ("value", "90.005", "目标值最多两位小数"),
        ("comparison", "eq", "请选择“不低于”或“不高于”"),
        ("note", "长" * 201, "依据或说明不能超过200字"),
    ],
)
def test_a_bad_target_is_refused_in_chinese_and_nothing_is_saved(client, c, field, value, message):
    _signed_in(client, c.city)
    data = {
        "union": c.city.pk,
        "metric": "rights.wage_contract_coverage",
        "comparison": "gte",
        "value": "90",
        "note": "",
    }
    data[field] = value
    response = client.post(reverse("upper:targets"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not UnitTarget.objects.exists()


def test_a_target_is_removed_by_its_own_union(client, c):
    target = _target(c.city)
    _signed_in(client, c.city)
    response = client.post(reverse("upper:remove_target", args=[target.pk]))
    assert response.status_code == 302
    assert not UnitTarget.objects.exists()


def test_a_district_cannot_remove_the_citys_target(client, c):
    target = _target(c.city)
    _signed_in(client, c.district_a)
    response = client.post(reverse("upper:remove_target", args=[target.pk]))
    assert response.status_code == 404
    assert UnitTarget.objects.filter(pk=target.pk).exists()


def test_read_only_city_staff_see_the_targets_without_the_form(client, c):
    _target(c.city)
    _signed_in(client, c.city)
    response = _get(client, "upper:targets", union=c.district_a.pk)
    content = response.content.decode()
    assert response.status_code == 200
    assert 'id="read-only"' in content and 'id="target-form"' not in content
    assert "沿用上级的目标" in content


def test_the_overview_period_is_the_period_of_the_figures(client, c):
    _signed_in(client, c.city)
    response = _get(client, "upper:overview")
    assert response.context["period"] == PERIOD
