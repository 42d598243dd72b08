import json
import re
from datetime import date
from decimal import Decimal

import pytest
from django.templatetags.static import static
from django.urls import reverse

from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs.roles import Role
from gonghui.orgs.tests.factories import GroupFactory, UnionFactory, user_with_role
from gonghui.periods import Period
from gonghui.reports import charts, registry
from gonghui.reports.views import AREAS, display, presets

pytestmark = pytest.mark.django_db

PERIOD = {"start": "2024-01-01", "end": "2024-12-31"}


def _signed_in(client, user):
    client.force_login(user)
    return client


def test_the_dashboard_shows_the_registrys_figures(client):
    union = UnionFactory()
    MemberFactory.create_batch(3, union=union, joined_on=date(2020, 1, 1))
    response = _signed_in(client, user_with_role(union)).get(
        reverse("reports:dashboard"), {"union": union.pk, **PERIOD}
    )
    figures = {f["metric"].key: f["value"] for f in response.context["figures"]}
    assert figures["members.at_end"] == 3
    assert "期末会员数" in response.content.decode()


def test_the_dashboard_compares_members_per_group_in_a_chart(client):
    union = UnionFactory()
    group = GroupFactory(union=union, name="语文组")
    MemberFactory.create_batch(2, union=union, group=group, joined_on=date(2020, 1, 1))
    MemberFactory(union=union, joined_on=date(2020, 1, 1))
    response = _signed_in(client, user_with_role(union)).get(
        reverse("reports:dashboard"), {"union": union.pk, **PERIOD}
    )
    chart = response.context["chart_data"]["groups_comparison"]
    assert dict(zip(chart["labels"], chart["series"][0]["values"], strict=True)) == {
        "语文组": 2,
        "未分组": 1,
    }


def test_the_records_page_shows_members_with_group_and_a_link_to_their_page(client):
    union = UnionFactory()
    group = GroupFactory(union=union, name="数学组")
    member = MemberFactory(union=union, group=group, name="张三", joined_on=date(2020, 1, 1))
    response = _signed_in(client, user_with_role(union)).get(
        reverse("reports:metric_records", args=["members.at_end"]), {"union": union.pk, **PERIOD}
    )
    html = response.content.decode()
    assert response.context["headers"][:2] == ["姓名", "工会小组"]
    assert response.context["rows"][0]["cells"][:2] == ["张三", "数学组"]
    assert reverse("admin:members_member_change", args=[member.pk]) in html


def test_the_records_page_never_shows_a_plain_id_number(client):
    member = MemberFactory(joined_on=date(2020, 1, 1))
    response = _signed_in(client, user_with_role(member.union)).get(
        reverse("reports:metric_records", args=["members.at_end"]),
        {"union": member.union.pk, **PERIOD},
    )
    assert member.id_number not in response.content.decode()


def test_another_unions_dashboard_is_not_found(client):
    other = UnionFactory(name="别人的工会")
    client = _signed_in(client, user_with_role(UnionFactory()))
    response = client.get(reverse("reports:dashboard"), {"union": other.pk})
    assert response.status_code == 404


def test_a_member_without_a_staff_role_cannot_see_the_dashboard(client):
    union = UnionFactory()
    user = user_with_role(union, Role.REPRESENTATIVE)
    response = _signed_in(client, user).get(reverse("reports:dashboard"))
    assert response.status_code in (302, 403)


@pytest.mark.parametrize("key", sorted(m.key for m in registry.all_metrics()))
def test_every_registered_metric_opens_its_records_page(client, key):
    union = UnionFactory()
    response = _signed_in(client, user_with_role(union)).get(
        reverse("reports:metric_records", args=[key]), {"union": union.pk, **PERIOD}
    )
    assert response.status_code == 200


# The whole dashboard ------------------------------------------------------------------------


def _dashboard(client, union, **params):
    return _signed_in(client, user_with_role(union)).get(
        reverse("reports:dashboard"), {"union": union.pk, **PERIOD, **params}
    )


def test_the_dashboard_shows_the_key_figures_of_every_area(client):
    response = _dashboard(client, UnionFactory())
    areas = [a["key"] for a in response.context["areas"]]
    assert areas == [key for key, _, _ in AREAS]
    html = response.content.decode()
    for title in ("会员", "职工活动", "帮扶慰问", "工会经费", "民主管理", "安全生产", "维权"):
        assert f">{title}</h2>" in html


def test_every_figure_on_the_dashboard_links_to_its_records_for_the_period(client):
    union = UnionFactory()
    html = _dashboard(client, union).content.decode()
    for area in AREAS:
        for key in area[2]:
            url = reverse("reports:metric_records", args=[key])
            assert f'href="{url}?union={union.pk}&start=2024-01-01&end=2024-12-31"' in html


def test_the_dashboard_hands_each_chart_to_its_canvas_as_json(client):
    union = UnionFactory()
    MemberFactory(union=union, joined_on=date(2024, 5, 1))
    response = _dashboard(client, union)
    html = response.content.decode()
    data = json.loads(re.search(r'id="dashboard-charts"[^>]*>(.*?)</script>', html, re.S).group(1))
    assert list(data) == list(charts.CHARTS)
    assert data["members_trend"]["series"][0]["values"][4] == 1
    assert 'data-dashboard-chart="members_trend"' in html
    assert static("reports/dashboard.js") in html


def test_the_dashboard_has_no_inline_script(client):
    html = _dashboard(client, UnionFactory()).content.decode()
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    assert all('type="application/json"' in attrs for attrs in inline), inline


def test_the_dashboard_of_a_union_without_records_says_so(client):
    union = UnionFactory(name="空白工会")
    response = _dashboard(client, union)
    html = response.content.decode()
    assert response.context["nothing"] is True
    assert "空白工会在2024年01月01日至2024年12月31日期间没有任何记录" in html
    assert "data-dashboard-chart" not in html
    assert html.count("本期没有记录") == len(charts.CHARTS)


def test_the_dashboard_with_records_does_not_claim_to_be_empty(client):
    union = UnionFactory()
    MemberFactory(union=union, joined_on=date(2024, 5, 1))
    response = _dashboard(client, union)
    assert response.context["nothing"] is False
    assert "没有任何记录" not in response.content.decode()


def test_the_presets_are_this_month_quarter_half_year_year_and_last_year():
    found = {label: (p.start, p.end) for label, p in presets(date(2026, 11, 26))}
    assert found == {
        "本月": (date(2026, 11, 1), date(2026, 11, 30)),
        "本季度": (date(2026, 10, 1), date(2026, 12, 31)),
        "本年下半年": (date(2026, 7, 1), date(2026, 12, 31)),
        "本年度": (date(2026, 1, 1), date(2026, 12, 31)),
        "上年度": (date(2025, 1, 1), date(2025, 12, 31)),
    }


def test_the_first_half_year_preset_ends_in_june():
    found = dict(presets(date(2026, 2, 28)))
    assert found["本年上半年"] == Period(date(2026, 1, 1), date(2026, 6, 30))
    assert found["本季度"] == Period(date(2026, 1, 1), date(2026, 3, 31))


def test_the_chosen_preset_is_marked_current(client):
    today = date.today()
    response = _dashboard(
        client, UnionFactory(), start=f"{today.year}-01-01", end=f"{today.year}-12-31"
    )
    current = [p["label"] for p in response.context["presets"] if p["current"]]
    assert current == ["本年度"]


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("2024-13-01", "2024-12-31", "日期格式不正确"),
        ("yesterday", "2024-12-31", "日期格式不正确"),
        ("2024-12-31", "2024-01-01", "开始日期不能晚于结束日期"),
    ],
)
def test_a_bad_period_shows_this_year_so_far_and_says_why(client, start, end, message):
    response = _dashboard(client, UnionFactory(), start=start, end=end)
    assert response.status_code == 200
    assert response.context["period"] == Period.year_to_date(date.today())
    assert message in response.content.decode()


# Filters on the records page -------------------------------------------------------------------


def test_a_filtered_records_page_names_its_condition_and_counts_only_those_records(client):
    union = UnionFactory()
    group = GroupFactory(union=union, name="语文组")
    MemberFactory.create_batch(2, union=union, group=group, joined_on=date(2024, 3, 1))
    MemberFactory(union=union, joined_on=date(2024, 3, 1))
    response = _signed_in(client, user_with_role(union)).get(
        reverse("reports:metric_records", args=["members.joined"]),
        {"union": union.pk, **PERIOD, "filter": "group", "value": group.pk},
    )
    assert response.context["value"] == 2
    assert response.context["total"] == 3
    assert response.context["page"].paginator.count == 2
    assert "工会小组：语文组" in response.content.decode()


def test_a_bad_filter_on_the_records_page_is_a_bad_request_that_says_why(client):
    union = UnionFactory()
    response = _signed_in(client, user_with_role(union)).get(
        reverse("reports:metric_records", args=["members.joined"]),
        {"union": union.pk, **PERIOD, "filter": "stage", "value": "verified"},
    )
    assert response.status_code == 400
    assert "只有隐患卡可以按整改环节筛选" in response.content.decode()


def test_another_unions_group_filters_to_nothing(client):
    union, other = UnionFactory(), UnionFactory()
    theirs = GroupFactory(union=other, name="别人的小组")
    MemberFactory(union=other, group=theirs, joined_on=date(2024, 3, 1))
    response = _signed_in(client, user_with_role(union)).get(
        reverse("reports:metric_records", args=["members.joined"]),
        {"union": union.pk, **PERIOD, "filter": "group", "value": theirs.pk},
    )
    assert response.status_code in (200, 400)
    assert "别人的小组" not in response.content.decode()


# Chart images ---------------------------------------------------------------------------------


def _png(client, union, chart="members_trend", **params):
    return client.get(
        reverse("reports:chart_png", args=[chart]), {"union": union.pk, **PERIOD, **params}
    )


def test_a_chart_image_is_served_as_a_png(client):
    union = UnionFactory(code="sy01")
    MemberFactory(union=union, joined_on=date(2024, 5, 1))
    response = _png(_signed_in(client, user_with_role(union)), union, download="1")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response.content.startswith(b"\x89PNG")
    assert response["Content-Disposition"] == (
        'attachment; filename="sy01-members_trend-20240101-20241231.png"'
    )


def test_an_unknown_chart_image_is_not_found(client):
    union = UnionFactory()
    response = _png(_signed_in(client, user_with_role(union)), union, chart="pie")
    assert response.status_code == 404


def test_another_unions_chart_image_is_not_found(client):
    other = UnionFactory()
    response = _png(_signed_in(client, user_with_role(UnionFactory())), other)
    assert response.status_code == 404


def test_a_member_without_a_staff_role_cannot_download_a_chart(client):
    union = UnionFactory()
    client = _signed_in(client, user_with_role(union, Role.REPRESENTATIVE))
    assert _png(client, union).status_code in (302, 403)


def test_an_anonymous_visitor_is_sent_to_sign_in_for_a_chart(client):
    union = UnionFactory()
    response = _png(client, union)
    assert response.status_code == 302
    assert "login" in response["Location"]


@pytest.mark.parametrize(
    ("key", "value", "shown"),
    [
        ("care.donations_total", Decimal("12228.7000000000"), "12,228.70"),
        ("finance.income_total", Decimal("282022.63"), "282,022.63"),
        ("members.women_share", Decimal("75.6"), "75.6"),
        ("learning.training_hours", Decimal("12.50"), "12.5"),
        ("learning.training_hours", Decimal("12.00"), "12"),
        ("members.at_end", 50123, "50,123"),
    ],
)
def test_a_figure_is_shown_as_a_cadre_reads_it(key, value, shown):
    assert display(value, registry.get(key)) == shown


def test_the_next_page_of_a_filtered_records_page_keeps_its_filter(client):
    union = UnionFactory()
    group = GroupFactory(union=union, name="语文组")
    MemberFactory.create_batch(51, union=union, group=group, joined_on=date(2024, 3, 1))
    url = reverse("reports:metric_records", args=["members.joined"])
    client = _signed_in(client, user_with_role(union))
    first = client.get(url, {"union": union.pk, **PERIOD, "filter": "group", "value": group.pk})
    assert f"filter=group&amp;value={group.pk}&page=2" in first.content.decode()
    second = client.get(
        url, {"union": union.pk, **PERIOD, "filter": "group", "value": group.pk, "page": 2}
    )
    assert second.context["page"].number == 2
    assert len(second.context["rows"]) == 1
