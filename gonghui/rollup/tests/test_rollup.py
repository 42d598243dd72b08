from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_scopes import scopes_disabled

from gonghui.demo.tests.dates import TODAY
from gonghui.members.models import Member
from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs.models import Union
from gonghui.periods import Period
from gonghui.reports import registry
from gonghui.rollup import plans, services
from gonghui.rollup.models import Change, Coverage, MetricMonth

YEAR = Period.year(TODAY.year)
QUARTER = Period(date(TODAY.year, 4, 1), date(TODAY.year, 6, 30))
MONTH = Period(date(TODAY.year, 3, 1), date(TODAY.year, 3, 31))


def _as_shown(key, value):
    """SQLite sums decimals as floats (38356.2499999999 for 38356.25); the
    tables keep the field's places, which is what every page shows."""
    places = services.rolled_up()[key].sum_places
    if places is None or not isinstance(value, Decimal):
        return value
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _unions():
    return services.all_union_ids()


@pytest.mark.parametrize("period", [YEAR, QUARTER, MONTH], ids=["year", "quarter", "month"])
def test_stored_figures_equal_the_live_registry_for_every_rolled_up_metric(city, period):
    keys = sorted(services.rolled_up())
    stored = services.stored_unit_values(_unions(), period, keys)
    assert stored is not None
    wrong = []
    for union_id in _unions():
        for key in keys:
            live = _as_shown(key, registry.get(key).value([union_id], period))
            got = stored[union_id][key]
            if live != got or type(live) is not type(got):
                wrong.append((union_id, key, live, got))
    assert wrong == []


@pytest.mark.parametrize("period", [YEAR, QUARTER, MONTH], ids=["year", "quarter", "month"])
def test_every_unions_own_denominator_asked_together_is_what_it_is_alone(city, period):
    ratios = [m for m in registry.all_metrics() if m.denominators is not None]
    unions = _unions()
    wrong = []
    for m in ratios:
        together = m.denominators_of(unions, period)
        alone = {u: m.denominator_value([u], period) for u in unions}
        if together != alone:
            wrong.append((m.key, together, alone))
    assert len(ratios) >= 7
    assert wrong == []


@pytest.mark.parametrize("period", [YEAR, QUARTER, MONTH], ids=["year", "quarter", "month"])
def test_every_unions_value_from_one_query_is_what_it_is_alone(city, period):
    answering = [m for m in registry.all_metrics() if m.answers_per_union]
    unions = _unions()
    wrong = []
    for m in answering:
        with registry.parts():  # as the summary tables ask, parts shared
            shared = m.values_by_union(unions, period)
        together = m.values_by_union(unions, period)
        alone = {u: m.value([u], period) for u in unions}
        if shared != alone or together != alone:
            wrong.append((m.key, shared, together, alone))
    assert len(answering) >= 5
    assert wrong == []


@pytest.mark.parametrize("period", [YEAR, QUARTER, MONTH], ids=["year", "quarter", "month"])
def test_each_unions_own_denominator_is_stored_beside_its_ratio(city, period):
    ratios = [m for m in registry.all_metrics() if m.denominators is not None]
    unions = _unions()
    stored = services.stored_denominators(unions, period, [m.key for m in ratios])
    assert stored is not None
    live = {u: {m.key: m.denominator_value([u], period) for m in ratios} for u in unions}
    assert stored == live


def test_a_denominator_is_not_served_once_its_records_change(
    city, django_capture_on_commit_callbacks
):
    union_id = _unions()[-1]
    with django_capture_on_commit_callbacks(execute=True):
        MemberFactory(union_id=union_id)
    key = "members.membership_rate"  # its denominator reads the union's headcount
    assert services.stored_denominators([union_id], YEAR, [key]) is None


def test_a_metric_without_a_stored_denominator_is_not_answered(city):
    assert services.stored_denominators(_unions(), YEAR, ["members.joined"]) is None


def test_the_city_has_a_nonzero_denominator_for_every_ratio_with_its_own(city):
    ratios = [m for m in registry.all_metrics() if m.denominators is not None]
    empty = [m.key for m in ratios if not any(m.denominators_of(_unions(), YEAR).values())]
    assert empty == []


def test_the_demo_city_has_figures_in_every_area_so_the_comparison_means_something(city):
    stored = services.stored_unit_values(_unions(), YEAR, sorted(services.rolled_up()))
    areas_with_figures = {
        key.split(".")[0] for row in stored.values() for key, value in row.items() if value
    }
    assert {"members", "finance", "activities", "care", "safety", "learning"} <= areas_with_figures


def test_every_registered_metric_is_rolled_up(
    db,
):  # planning compiles one query that reads the database
    assert set(services.rolled_up()) == {m.key for m in registry.all_metrics()}


def test_members_on_the_roll_are_stored_per_period_not_summed_over_months(
    db,
):  # planning compiles one query that reads the database
    rolled = services.rolled_up()["members.at_end"]
    assert rolled.plan.grouped_by == "union_id"
    assert not rolled.plan.additive


def test_new_members_are_summed_over_months(
    db,
):  # planning compiles one query that reads the database
    assert services.rolled_up()["members.joined"].plan.additive


def test_the_year_of_new_members_is_the_sum_of_its_months(city):
    union_id = Union.objects.get(code__startswith="nb-l-", code__endswith="001").pk
    months = [
        services.stored_unit_values(
            [union_id], services.as_period(date(TODAY.year, m, 1), 1), ["members.joined"]
        )
        for m in range(1, 13)
    ]
    year = services.stored_unit_values([union_id], YEAR, ["members.joined"])
    assert (
        sum(m[union_id]["members.joined"] for m in months) == year[union_id]["members.joined"] > 0
    )


def test_a_span_that_is_not_a_month_quarter_or_year_is_not_answered(city):
    assert (
        services.stored_unit_values(
            _unions(), Period(date(TODAY.year, 1, 1), TODAY), ["members.joined"]
        )
        is None
    )


def test_an_unknown_metric_key_is_not_answered(city):
    assert services.stored_unit_values(_unions(), YEAR, ["members.joined", "nope.nothing"]) is None


def test_a_year_that_was_never_refreshed_is_not_answered(city):
    assert (
        services.stored_unit_values(_unions(), Period.year(TODAY.year - 1), ["members.joined"])
        is None
    )


def test_a_union_created_after_the_refresh_is_not_answered(city):
    newcomer = Union.objects.create(code="late-1", name="新建工会", kind="enterprise", headcount=5)
    assert services.stored_unit_values([*_unions(), newcomer.pk], YEAR, ["members.joined"]) is None


def test_figures_computed_under_other_metric_definitions_are_not_served(city):
    Coverage.objects.filter(union_id=_unions()[0]).update(definitions="0" * 64)
    assert services.stored_unit_values(_unions(), YEAR, ["members.joined"]) is None
    assert _unions()[0] in services.stale_union_ids(TODAY.year)


def test_a_saved_record_makes_its_union_stale_once_its_transaction_commits(
    city, django_capture_on_commit_callbacks
):
    union = Union.objects.get(code__startswith="nb-l-", code__endswith="002")
    with django_capture_on_commit_callbacks(execute=True):
        MemberFactory(union=union, joined_on=date(TODAY.year, 3, 5))
        MemberFactory(union=union, joined_on=date(TODAY.year, 3, 6))
    assert Change.objects.filter(union=union).count() == 1
    assert services.stored_unit_values([union.pk], MONTH, ["members.joined"]) is None
    assert services.stale_union_ids(TODAY.year) == [union.pk]


def test_a_change_rolled_back_leaves_the_union_fresh(city, django_capture_on_commit_callbacks):
    from django.db import transaction

    union = Union.objects.get(code__startswith="nb-l-", code__endswith="002")
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            MemberFactory(union=union)
            raise RuntimeError
    assert not Change.objects.filter(union=union).exists()


def test_refreshing_the_stale_union_serves_its_new_figures(
    city, django_capture_on_commit_callbacks
):
    union = Union.objects.get(code__startswith="nb-l-", code__endswith="002")
    before = services.stored_unit_values([union.pk], MONTH, ["members.joined"])[union.pk]
    with django_capture_on_commit_callbacks(execute=True):
        MemberFactory(union=union, joined_on=date(TODAY.year, 3, 5))
    call_command("rollup", "refresh", "--stale", "--no-progress", stdout=StringIO())
    after = services.stored_unit_values([union.pk], MONTH, ["members.joined"])[union.pk]
    assert after["members.joined"] == before["members.joined"] + 1


def test_changing_a_unions_headcount_makes_it_stale(city, django_capture_on_commit_callbacks):
    union = Union.objects.get(code__startswith="nb-l-", code__endswith="003")
    with django_capture_on_commit_callbacks(execute=True):
        union.headcount += 10
        union.save()
    assert services.stored_unit_values([union.pk], YEAR, ["members.membership_rate"]) is None


def test_as_of_is_when_the_oldest_of_the_unions_was_computed(city):
    first, second = _unions()[:2]
    early = timezone.now() - timedelta(hours=3)
    Coverage.objects.filter(union_id=first).update(computed_at=early)
    assert services.as_of([first, second], TODAY.year) == early


def test_as_of_is_none_while_a_union_has_no_figures(city):
    newcomer = Union.objects.create(code="late-2", name="新建工会", kind="enterprise", headcount=5)
    assert services.as_of([_unions()[0], newcomer.pk]) is None


def test_zero_figures_are_not_stored_but_read_as_zero(city):
    assert (
        not MetricMonth.objects.filter(value=0, places__isnull=True)
        .exclude(
            metric_key__in=[k for k, r in services.rolled_up().items() if r.kind == "computed"]
        )
        .exists()
    )


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        (Period(date(2026, 2, 1), date(2026, 2, 28)), (date(2026, 2, 1), 1)),
        (Period(date(2026, 10, 1), date(2026, 12, 31)), (date(2026, 10, 1), 3)),
        (Period(date(2026, 1, 1), date(2026, 12, 31)), (date(2026, 1, 1), 12)),
        (Period(date(2026, 2, 1), date(2026, 4, 30)), None),
        (Period(date(2026, 1, 1), date(2026, 11, 26)), None),
        (Period(date(2026, 2, 2), date(2026, 2, 28)), None),
        (Period(date(2025, 12, 1), date(2026, 1, 31)), None),
    ],
)
def test_only_a_month_a_quarter_or_a_calendar_year_is_a_standard_period(period, expected):
    assert services.standard_period(period) == expected


def test_the_command_refuses_an_unknown_union(db):
    with pytest.raises(CommandError, match="没有 ID 为 987654 的工会"):
        call_command("rollup", "refresh", "--union", "987654", stdout=StringIO())


def test_the_command_refuses_a_year_out_of_range(db):
    with pytest.raises(CommandError, match="1899"):
        call_command("rollup", "refresh", "--year", "1899", stdout=StringIO())


def test_the_command_says_when_nothing_is_stale(city):
    out = StringIO()
    call_command("rollup", "refresh", "--stale", stdout=out)
    assert "均为最新" in out.getvalue()


def test_the_status_command_reports_stale_unions_and_the_as_of_time(city):
    out = StringIO()
    call_command("rollup", "status", "--year", str(TODAY.year - 1), stdout=out)
    assert f"共 {len(_unions())} 家工会，{len(_unions())} 家待刷新" in out.getvalue()


def test_a_secret_ballot_or_evaluation_sheet_never_moves_a_unions_changed_at():
    from django.apps import apps

    from gonghui.rollup import signals

    for label in ["democracy.Ballot", "democracy.RollEntry", "democracy.EvaluationSheet"]:
        assert not signals._tracked(apps.get_model(label))
    assert signals._tracked(apps.get_model("democracy.Election"))


# Marks per table: a refresh recomputes only what a change can affect -----------------------

MEMBERS = "members_member"


def _union(suffix):
    return Union.objects.get(code__startswith="nb-l-", code__endswith=suffix)


def _sources(union_id):
    return Coverage.objects.get(union_id=union_id, year=TODAY.year).sources


def _add_member(union, capture):
    with capture(execute=True):
        MemberFactory(union=union, joined_on=date(TODAY.year, 3, 5))


def test_a_new_member_marks_only_the_members_table_of_its_union(
    city, django_capture_on_commit_callbacks
):
    union = _union("002")
    _add_member(union, django_capture_on_commit_callbacks)
    assert list(Change.objects.values_list("union_id", "source")) == [(union.pk, MEMBERS)]


def test_each_figure_knows_the_tables_it_read(city):
    sources = _sources(_union("001").pk)
    assert set(sources) == set(services.rolled_up())
    assert MEMBERS in sources["members.joined"]
    assert MEMBERS not in sources["safety.drills"]
    # A denominator function's reads count for its ratio: the headcount.
    assert "orgs_union" in sources["members.membership_rate"]


def test_a_stale_refresh_recomputes_only_the_figures_that_read_the_marked_table(
    city, django_capture_on_commit_callbacks
):
    union = _union("002")
    sources = _sources(union.pk)
    _add_member(union, django_capture_on_commit_callbacks)
    computed = []
    assert services.refresh(year=TODAY.year, step=computed.append, only_stale=True) == 1
    reading_members = {k for k, tables in sources.items() if MEMBERS in tables}
    assert set(computed) == services.needed(reading_members)
    assert "safety.drills" not in computed


def test_after_a_stale_refresh_every_stored_figure_equals_the_live_registry(
    city, django_capture_on_commit_callbacks
):
    union = _union("002")
    _add_member(union, django_capture_on_commit_callbacks)
    services.refresh(year=TODAY.year, only_stale=True)
    keys = sorted(services.rolled_up())
    stored = services.stored_unit_values([union.pk], MONTH, keys)
    assert stored is not None
    wrong = [
        (key, live, stored[union.pk][key])
        for key in keys
        if (live := _as_shown(key, registry.get(key).value([union.pk], MONTH)))
        != stored[union.pk][key]
    ]
    assert wrong == []
    assert stored[union.pk]["members.joined"] > 0


def test_a_figure_that_read_the_marked_table_is_declined_until_refreshed(
    city, django_capture_on_commit_callbacks
):
    union = _union("002")
    _add_member(union, django_capture_on_commit_callbacks)
    assert services.stored_unit_values([union.pk], MONTH, ["members.joined"]) is None
    assert services.stored_unit_values([union.pk], MONTH, ["members.membership_rate"]) is None


def test_a_figure_that_did_not_read_the_marked_table_is_still_served(
    city, django_capture_on_commit_callbacks
):
    union = _union("002")
    before = services.stored_unit_values([union.pk], MONTH, ["safety.drills"])
    _add_member(union, django_capture_on_commit_callbacks)
    assert services.stored_unit_values([union.pk], MONTH, ["safety.drills"]) == before


def test_a_mark_the_refresh_did_not_see_keeps_the_union_stale_even_if_dated_earlier(city):
    # A mark committed while a refresh ran may carry a time before it started.
    union_id = _union("003").pk
    computed_at = Coverage.objects.get(union_id=union_id, year=TODAY.year).computed_at
    services.mark_tables([(union_id, MEMBERS)], when=computed_at - timedelta(minutes=5))
    assert services.stored_unit_values([union_id], MONTH, ["members.joined"]) is None
    assert union_id in services.stale_union_ids(TODAY.year)


def test_a_mark_written_again_after_the_refresh_saw_it_is_not_forgotten(city):
    union_id = _union("003").pk
    services.mark_tables([(union_id, MEMBERS)])
    services.refresh(year=TODAY.year, union_ids=[union_id], only_stale=True)
    assert not Change.objects.filter(union_id=union_id).exists()
    services.mark_tables([(union_id, MEMBERS)])
    assert services.stale_keys([union_id], TODAY.year)[union_id] >= {"members.joined"}


def test_a_bulk_move_between_unions_makes_every_figure_stale(city):
    union_id = _union("001").pk
    services.mark_changed([union_id])
    assert services.stale_keys([union_id], TODAY.year) == {union_id: services.ALL}
    assert services.stored_unit_values([union_id], MONTH, ["safety.drills"]) is None


def test_a_mark_on_a_table_no_figure_reads_is_only_noted_as_seen(city):
    union_id = _union("001").pk
    read = set().union(*_sources(union_id).values())
    unread = sorted(services._all_tables() - read - {"rollup_change"})[0]
    services.mark_tables([(union_id, unread)])
    computed = []
    services.refresh(year=TODAY.year, step=computed.append, only_stale=True)
    assert computed == []
    assert not Change.objects.exists()
    assert services.stale_union_ids(TODAY.year) == []


def test_a_mark_is_kept_while_another_covered_year_has_not_seen_it(city):
    union_id = _union("001").pk
    last_year = Coverage.objects.get(union_id=union_id, year=TODAY.year)
    last_year.pk, last_year.year = None, TODAY.year - 1
    last_year.save()
    services.mark_tables([(union_id, MEMBERS)])
    services.refresh(year=TODAY.year, union_ids=[union_id], only_stale=True)
    assert Change.objects.filter(union_id=union_id, source=MEMBERS).exists()
    assert services.stale_union_ids(TODAY.year) == []
    assert union_id in services.stale_union_ids(TODAY.year - 1)


def test_only_the_tables_a_sql_statement_names_are_its_sources():
    sql = 'SELECT "members_member"."id" FROM "members_member" WHERE members_member_x = 1'
    assert services.tables_in(sql) == {MEMBERS}


# Figures that cannot be grouped: one correlated statement per period -----------------------


def _rolled(key):
    return services.rolled_up()[key]


def test_a_figure_that_cannot_be_grouped_is_computed_for_all_unions_in_one_statement(city):
    rolled = _rolled("care.members_visited")
    assert rolled.plan.grouped_by is None
    unions = _unions()
    with CaptureQueriesContext(connection) as queries:
        together = services._correlated(rolled, unions, YEAR, {})
    assert len(queries) == 1
    assert together == services._one_by_one(rolled, unions, YEAR, {})
    assert any(together.values())


def test_a_records_function_that_queries_first_is_computed_one_union_at_a_time(db):
    def records(unions, period):
        first = Member.objects.order_by("pk").values_list("pk", flat=True).first()
        return Member.objects.filter(union__in=unions, pk__gte=first or 0)

    metric = registry.Metric(key="test.metric", label="测试", unit="人", records=records)
    rolled = services.Rolled(metric, plans.plan(metric), "count")
    with scopes_disabled():
        assert services._per_union_statement(rolled, MONTH) is None


def test_a_statement_already_run_in_a_refresh_is_not_run_again(city):
    rolled = _rolled("members.at_end")
    reuse, sources, unions = {}, {}, _unions()
    march = services._grouped(rolled, unions, MONTH, sources, reuse=reuse)
    with CaptureQueriesContext(connection) as queries:
        first_quarter = services._grouped(
            rolled, unions, Period(date(TODAY.year, 1, 1), MONTH.end), sources, reuse=reuse
        )
    assert len(queries) == 0
    assert first_quarter == march
    assert MEMBERS in sources["members.at_end"][unions[0]]


def test_a_new_link_of_a_many_to_many_field_marks_the_link_table_its_figures_read(
    city, django_capture_on_commit_callbacks
):
    from gonghui.care.models import Visit

    visit = Visit.objects.filter(union__code__endswith="001").order_by("pk").first()
    member = Member.objects.filter(union_id=visit.union_id).exclude(care_visits=visit).first()
    link_table = Visit.members.through._meta.db_table
    assert link_table in _sources(visit.union_id)["care.members_visited"]
    with django_capture_on_commit_callbacks(execute=True):
        visit.members.add(member)
    assert (visit.union_id, link_table) in set(Change.objects.values_list("union_id", "source"))
    assert services.stored_unit_values([visit.union_id], YEAR, ["care.members_visited"]) is None


def _roll_reads(queries) -> int:
    """Statements reading the unions' rolls (members.rolls.read_rolls)."""
    shape = '"members_member"."left_on" AS "left_on", "members_member"."gender"'
    return sum(1 for q in queries if shape in q["sql"])


def test_a_refresh_reads_the_unions_rolls_once_for_every_figure_of_the_year(city):
    unions = _unions()
    with CaptureQueriesContext(connection) as queries:
        services.compute(unions, TODAY.year)
    assert _roll_reads(queries) == 1


def test_a_figure_given_the_rolls_another_read_still_knows_it_read_the_members(city):
    sources = {}
    services.compute(
        _unions(), TODAY.year, keys=["members.at_end", "women.members"], sources=sources
    )
    for key in ("members.at_end", "women.members"):
        assert MEMBERS in sources[key][_unions()[0]]
