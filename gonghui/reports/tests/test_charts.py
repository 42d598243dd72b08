"""Chart specs equal direct counts over the records, and every bar's link
lists records that add up to the bar."""

import io
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from PIL import Image

from gonghui.activities.models import Attendance, CheckIn
from gonghui.activities.tests.factories import ActivityFactory
from gonghui.democracy.models import Proposal
from gonghui.democracy.tests.congress_factories import (
    accepted_proposal,
    congress_with_representatives,
    session_of,
    submitted_proposal,
)
from gonghui.finance.models import Category, Payment
from gonghui.finance.tests.factories import BudgetLineFactory, FiscalYearFactory, pay
from gonghui.members.models import Member, Status
from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs.tests.factories import GroupFactory, UnionFactory, user_with_role
from gonghui.periods import Period
from gonghui.reports import charts
from gonghui.safety.models import Hazard, HazardStep
from gonghui.safety.tests import factories as safety

pytestmark = pytest.mark.django_db

YEAR = Period.year(2025)


def _members_ledger(union):
    group = GroupFactory(union=union, name="语文组")
    MemberFactory.create_batch(2, union=union, group=group, joined_on=date(2025, 1, 10))
    MemberFactory(union=union, joined_on=date(2025, 3, 5))
    MemberFactory(
        union=union,
        group=group,
        joined_on=date(2019, 1, 1),
        left_on=date(2025, 3, 20),
        status=Status.RETIRED,
    )
    return group


def _attend(activity, members):
    for member in members:
        Attendance.objects.create(
            union=activity.union,
            activity=activity,
            member=member,
            how=CheckIn.LIST,
            at=activity.starts_at,
        )


def _bar(chart, series_label, label):
    series = next(s for s in chart.series if s.label == series_label)
    i = chart.labels.index(label)
    return series.values[i], series.links[i]


def _records_behind(client, link):
    response = client.get(link)
    assert response.status_code == 200, link
    return response.context["value"], response.context["page"].paginator.count


# Monthly trends ------------------------------------------------------------------------------


def test_the_members_trend_counts_joiners_and_leavers_month_by_month():
    union = UnionFactory()
    _members_ledger(union)
    chart = charts.build("members_trend", [union.pk], YEAR)
    assert chart.labels == [f"{m}月" for m in range(1, 13)]
    joined = [
        Member.objects.filter(union=union, joined_on__year=2025, joined_on__month=m).count()
        for m in range(1, 13)
    ]
    left = [
        Member.objects.filter(union=union, left_on__year=2025, left_on__month=m).count()
        for m in range(1, 13)
    ]
    assert chart.series[0].values == joined == [2, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]
    assert chart.series[1].values == left


def test_a_months_link_lists_the_records_of_that_month_only(client):
    union = UnionFactory()
    _members_ledger(union)
    client.force_login(user_with_role(union))
    chart = charts.build("members_trend", [union.pk], YEAR)
    value, link = _bar(chart, "新入会会员", "1月")
    assert "start=2025-01-01" in link and "end=2025-01-31" in link
    assert _records_behind(client, link) == (2, 2)


def test_the_activities_trend_counts_activities_and_attendances_per_month():
    union = UnionFactory()
    members = MemberFactory.create_batch(3, union=union)
    march = datetime(2025, 3, 8, 2, 0, tzinfo=UTC)
    _attend(ActivityFactory(union=union, starts_at=march), members)
    _attend(ActivityFactory(union=union, starts_at=march.replace(day=20)), members[:1])
    ActivityFactory(union=union, starts_at=march.replace(month=5))
    chart = charts.build("activities_trend", [union.pk], YEAR)
    held, attended = chart.series
    assert held.values[2:5] == [2, 0, 1]
    assert attended.values[2] == Attendance.objects.filter(activity__union=union).count() == 4
    assert (held.kind, attended.kind, attended.axis) == ("bar", "line", "y2")


def test_the_trend_of_a_short_period_cuts_its_months_to_the_period():
    parts = charts.buckets(Period(date(2025, 1, 15), date(2025, 2, 10)))
    assert parts == [
        ("1月", Period(date(2025, 1, 15), date(2025, 1, 31))),
        ("2月", Period(date(2025, 2, 1), date(2025, 2, 10))),
    ]


def test_a_trend_over_more_than_two_years_goes_year_by_year():
    parts = charts.buckets(Period(date(2021, 7, 1), date(2025, 3, 31)))
    assert [label for label, _ in parts] == ["2021年", "2022年", "2023年", "2024年", "2025年"]
    assert parts[0][1] == Period(date(2021, 7, 1), date(2021, 12, 31))


def test_a_trend_across_a_new_year_names_the_year_of_each_month():
    parts = charts.buckets(Period(date(2024, 12, 1), date(2025, 1, 31)))
    assert [label for label, _ in parts] == ["2024年12月", "2025年1月"]


# Groups -------------------------------------------------------------------------------------------


def test_the_group_comparison_counts_members_and_attendances_per_group(client):
    union = UnionFactory()
    group = _members_ledger(union)
    other = GroupFactory(union=union, name="数学组")
    maths = MemberFactory.create_batch(3, union=union, group=other)
    _attend(ActivityFactory(union=union, starts_at=datetime(2025, 4, 1, tzinfo=UTC)), maths[:2])
    chart = charts.build("groups_comparison", [union.pk], YEAR)
    assert chart.labels == ["数学组", "语文组", "未分组"]
    assert chart.series[0].values == [
        Member.objects.filter(union=union, group=other).count(),
        Member.objects.filter(union=union, group=group, left_on__isnull=True).count(),
        1,
    ]
    assert chart.series[1].values == [2, 0, 0]
    client.force_login(user_with_role(union))
    for series in chart.series:
        for value, link in zip(series.values, series.links, strict=True):
            assert _records_behind(client, link) == (value, value)


def test_the_group_comparison_shows_the_largest_groups_and_says_how_many_are_left_out(
    monkeypatch,
):
    monkeypatch.setattr(charts, "MAX_GROUPS", 2)
    union = UnionFactory()
    for size, name in ((3, "一组"), (2, "二组"), (1, "三组")):
        MemberFactory.create_batch(size, union=union, group=GroupFactory(union=union, name=name))
    chart = charts.build("groups_comparison", [union.pk], YEAR)
    assert chart.labels == ["一组", "二组"]
    assert "另有1个小组未显示" in chart.note


# Hazard funnel ---------------------------------------------------------------------------------


def _hazard_cards():
    team = safety.Team()
    safety.report(team)
    safety.in_work(team)
    safety.rectified(team)
    card = safety.rectified(team)
    from gonghui.safety import services

    services.verify_hazard(hazard=card, accepted=True, actor=team.supervisor)
    return team.union


def test_the_hazard_funnel_follows_the_periods_cards_stage_by_stage(client):
    union = _hazard_cards()
    this_year = Period.year(date.today().year)
    chart = charts.build("hazard_funnel", [union.pk], this_year)
    cards = Hazard.objects.filter(union=union)
    assert chart.labels == ["上报", "制定措施", "整改完成", "验收通过"]
    assert chart.series[0].values == [
        cards.count(),
        cards.exclude(measures="").count(),
        cards.filter(rectified_on__isnull=False).count(),
        cards.filter(verified_on__isnull=False).count(),
    ]
    assert chart.series[0].values == [4, 3, 2, 1]
    client.force_login(user_with_role(union))
    for value, link in zip(chart.series[0].values, chart.series[0].links, strict=True):
        assert _records_behind(client, link) == (value, value)


def test_the_hazard_funnel_counts_a_stage_only_when_it_was_reached_by_the_periods_end():
    union = _hazard_cards()
    cards = Hazard.objects.filter(union=union)
    cards.update(reported_on=date(2025, 1, 5))
    cards.filter(rectified_on__isnull=False).update(rectified_on=date(2025, 3, 1))
    cards.filter(verified_on__isnull=False).update(verified_on=date(2025, 4, 1))
    HazardStep.objects.filter(hazard__union=union).update(on=date(2025, 2, 1))
    stages = {
        end: charts.build("hazard_funnel", [union.pk], Period(date(2025, 1, 1), end))
        .series[0]
        .values
        for end in (date(2025, 1, 31), date(2025, 2, 15), date(2025, 3, 15), date(2025, 4, 30))
    }
    assert list(stages.values()) == [[4, 0, 0, 0], [4, 3, 0, 0], [4, 3, 2, 0], [4, 3, 2, 1]]


# Budget -------------------------------------------------------------------------------------------


def test_the_budget_chart_sets_each_categorys_budget_against_its_payments(client):
    year = FiscalYearFactory(year=2025)
    union = year.union
    activities = BudgetLineFactory(
        fiscal_year=year, category=Category.ACTIVITIES, planned=Decimal("8000.00")
    )
    BudgetLineFactory(fiscal_year=year, category=Category.RIGHTS, planned=Decimal("2000.00"))
    pay(activities, "1200.50", on=date(2025, 4, 2))
    pay(activities, "300.00", on=date(2025, 9, 2))
    chart = charts.build("budget_execution", [union.pk], YEAR)
    assert chart.labels == ["职工活动支出", "维权支出"]
    budget, spent = chart.series
    assert budget.values == [Decimal("8000.00"), Decimal("2000.00")]
    paid = sum(Payment.objects.filter(union=union).values_list("amount", flat=True))
    assert spent.values == [paid, Decimal("0.00")] == [Decimal("1500.50"), Decimal("0")]
    client.force_login(user_with_role(union))
    assert _records_behind(client, spent.links[0]) == (Decimal("1500.50"), 2)
    assert budget.links[0].startswith(reverse("finance:execution"))
    assert client.get(budget.links[0]).status_code == 200


# Proposals ----------------------------------------------------------------------------------------


def test_the_proposal_chart_counts_the_periods_proposals_by_state(client):
    congress, reps = congress_with_representatives()
    session = session_of(congress, open_=True)
    accepted_proposal(session, reps)
    submitted_proposal(session, reps)
    submitted_proposal(session, reps)
    union = congress.union
    chart = charts.build("proposal_states", [union.pk], YEAR)
    by_state = {
        label: Proposal.objects.filter(union=union, state=state).count()
        for state, label in Proposal._meta.get_field("state").choices
    }
    assert dict(zip(chart.labels, chart.series[0].values, strict=True)) == {
        k: v for k, v in by_state.items() if v
    }
    assert chart.labels == ["已提交，待审查", "已立案，办理中"]
    client.force_login(user_with_role(union))
    for value, link in zip(chart.series[0].values, chart.series[0].links, strict=True):
        assert _records_behind(client, link) == (value, value)


# Every chart, every link -------------------------------------------------------------------------


def test_every_link_of_every_chart_lists_records_adding_up_to_its_value(client):
    union = UnionFactory()
    _members_ledger(union)
    members = Member.objects.filter(union=union, left_on__isnull=True)
    _attend(ActivityFactory(union=union, starts_at=datetime(2025, 6, 1, tzinfo=UTC)), members)
    client.force_login(user_with_role(union))
    checked = 0
    for chart in charts.build_all([union.pk], YEAR):
        for series in chart.series:
            for value, link in zip(series.values, series.links, strict=True):
                if "/metric/" not in link:
                    continue
                total, _count = _records_behind(client, link)
                assert total == value, (chart.name, series.label, link)
                checked += 1
    assert checked > 30


def test_a_chart_over_several_unions_has_no_links():
    first, second = UnionFactory(), UnionFactory()
    chart = charts.build("members_trend", [first.pk, second.pk], YEAR)
    assert all(link is None for s in chart.series for link in s.links)


def test_a_union_without_records_gets_empty_charts():
    union = UnionFactory()
    assert all(chart.empty for chart in charts.build_all([union.pk], YEAR))


def test_an_unknown_chart_is_refused():
    with pytest.raises(KeyError):
        charts.build("pie_of_everything", [1], YEAR)


# Filters --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "filter_name", "value", "message"),
    [
        ("members.joined", "colour", "red", "筛选条件“colour”无效"),
        ("members.joined", "group", "abc", "工会小组“abc”无效"),
        ("members.joined", "group", "999999", "没有编号为999999的工会小组"),
        ("members.joined", "state", "submitted", "没有办理状态"),
        ("democracy.proposals_submitted", "state", "lost", "办理状态“lost”无效"),
        ("members.joined", "stage", "rectified", "只有隐患卡"),
        ("safety.hazards_reported", "stage", "dreamt", "整改环节“dreamt”无效"),
        ("safety.hazards_reported", "stage", "", "请给出整改环节"),
    ],
)
def test_a_bad_filter_is_refused_with_a_reason(key, filter_name, value, message):
    from gonghui.reports import registry

    metric = registry.get(key)
    records = metric.records_for([1], YEAR)
    with pytest.raises(charts.BadFilter, match=message):
        charts.narrow(metric, records, YEAR, filter_name=filter_name, value=value)


def test_a_breakdown_value_narrows_to_the_records_of_that_value():
    from gonghui.reports import registry

    union = UnionFactory()
    _members_ledger(union)
    metric = registry.get("members.per_group")
    records, applied = charts.narrow(
        metric, metric.records_for([union.pk], YEAR), YEAR, by="语文组"
    )
    assert records.count() == dict(metric.by([union.pk], YEAR))["语文组"]
    assert applied == ["语文组"]


def test_a_breakdown_value_on_a_metric_without_breakdown_is_refused():
    from gonghui.reports import registry

    metric = registry.get("members.joined")
    with pytest.raises(charts.BadFilter, match="没有分组明细"):
        charts.narrow(metric, metric.records_for([1], YEAR), YEAR, by="x")


# PNG ----------------------------------------------------------------------------------------------


def test_a_chart_png_is_a_real_png_drawn_with_a_chinese_font():
    union = UnionFactory()
    _members_ledger(union)
    png = charts.chart_png("members_trend", [union.pk], YEAR, subtitle="实验学校工会")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    image = Image.open(io.BytesIO(png))
    assert image.size == (1200, 675)
    font = charts.cjk_font()
    assert font is not None
    assert font.get_name() in charts.CJK_FONTS


@pytest.mark.parametrize("name", list(charts.CHARTS))
def test_every_chart_draws_as_png_even_when_empty(name):
    png = charts.chart_png(name, [UnionFactory().pk], YEAR)
    assert png.startswith(b"\x89PNG") and len(png) > 5000


def test_every_chart_says_which_metrics_it_reads():
    assert set(charts.NEEDS) == set(charts.CHARTS)
    assert charts.available() == list(charts.CHARTS)


def test_a_chart_whose_area_is_not_installed_is_left_out(monkeypatch):
    from gonghui.reports import registry

    kept = [m for m in registry.all_metrics() if m.area != "democracy"]
    monkeypatch.setattr(registry, "all_metrics", lambda area=None: kept)
    assert "proposal_states" not in charts.available()
    assert "members_trend" in charts.available()


@pytest.mark.parametrize(
    "period",
    [
        YEAR,
        Period(date(2024, 11, 15), date(2025, 4, 10)),
        Period(date(2021, 6, 1), date(2025, 6, 1)),
    ],
    ids=["year", "across-new-year", "by-year"],
)
def test_a_trend_grouped_in_one_query_equals_each_buckets_own_figure(period):
    from gonghui.reports import registry

    union = UnionFactory()
    _members_ledger(union)
    members = list(Member.objects.filter(union=union, left_on__isnull=True))
    # 17:00 UTC on 31 March is 1 April in China: the activity counts in April.
    late = datetime(2025, 3, 31, 17, 0, tzinfo=UTC)
    _attend(ActivityFactory(union=union, starts_at=late), members)
    _attend(ActivityFactory(union=union, starts_at=datetime(2024, 12, 3, tzinfo=UTC)), members[:1])
    parts = charts.buckets(period)
    for key in charts.DATE_FIELDS:
        metric = registry.get(key)
        expected = [metric.value([union.pk], p) for _, p in parts]
        assert charts._trend_values(metric, [union.pk], period, parts) == expected, key


def test_a_trend_says_whether_it_goes_by_month_or_by_year():
    union = UnionFactory()
    by_month = charts.build("members_trend", [union.pk], YEAR)
    by_year = charts.build("members_trend", [union.pk], Period(date(2021, 1, 1), YEAR.end))
    assert (by_month.title, by_year.title) == ("会员增减（按月）", "会员增减（按年）")
