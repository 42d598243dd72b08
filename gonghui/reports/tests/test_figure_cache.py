"""Kept figures are served only while the tables they read are unchanged."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gonghui.activities.tests.factories import ActivityFactory
from gonghui.members.models import Member
from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs.tests.factories import UnionFactory, user_with_role
from gonghui.periods import Period
from gonghui.reports import figure_cache, registry
from gonghui.reports.models import TableMark

pytestmark = pytest.mark.django_db

YEAR = Period.year(2024)
MEMBERS = Member._meta.db_table


@pytest.fixture(autouse=True)
def nothing_kept():
    figure_cache.forget()
    yield
    figure_cache.forget()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run the block's commit hooks, as if its writes had been committed."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def union(committed):
    with committed():
        union = UnionFactory()
        MemberFactory.create_batch(2, union=union, joined_on=date(2020, 1, 1))
    return union


def _at_end(union):
    with figure_cache.serving():
        return registry.value("members.at_end", [union], YEAR)


def _queries_for(fn) -> int:
    with CaptureQueriesContext(connection) as seen:
        fn()
    return len(seen)


def test_a_figure_asked_for_again_is_served_without_querying_the_records(union):
    assert _at_end(union) == 2
    assert _queries_for(lambda: _at_end(union)) == 1  # the marks, nothing else
    assert _at_end(union) == 2


def test_a_new_record_in_a_table_the_figure_reads_is_counted_at_once(union, committed):
    _at_end(union)
    with committed():
        MemberFactory(union=union, joined_on=date(2021, 5, 1))
    assert _at_end(union) == 3


def test_a_bulk_update_without_signals_still_renews_the_figure(union, committed):
    _at_end(union)
    with committed():
        Member.objects.with_scopes_disabled().filter(union=union).update(joined_on=date(2025, 1, 1))
    assert _at_end(union) == 0


def test_a_write_to_a_table_the_figure_does_not_read_keeps_it(union, committed):
    _at_end(union)
    with committed():
        ActivityFactory(union=union)
    assert _queries_for(lambda: _at_end(union)) == 1


def test_a_committed_write_gives_its_table_a_new_mark(union, committed):
    before = TableMark.objects.get(table=MEMBERS).token
    with committed():
        MemberFactory(union=union)
    assert TableMark.objects.get(table=MEMBERS).token != before


def test_a_rolled_back_write_leaves_the_mark_alone(union, committed):
    before = TableMark.objects.get(table=MEMBERS).token
    with committed(), pytest.raises(RuntimeError), transaction.atomic():
        MemberFactory(union=union)
        raise RuntimeError
    assert TableMark.objects.get(table=MEMBERS).token == before


def test_a_transaction_that_wrote_computes_live_and_keeps_nothing(union):
    _at_end(union)
    MemberFactory(union=union, joined_on=date(2021, 5, 1))  # not committed yet
    assert _at_end(union) == 3
    assert _queries_for(lambda: _at_end(union)) > 1


def test_a_ratio_kept_is_renewed_when_what_it_divides_changes(committed):
    with committed():
        union = UnionFactory()
        MemberFactory(union=union, joined_on=date(2020, 1, 1), gender="F")
        MemberFactory(union=union, joined_on=date(2020, 1, 1), gender="M")

    def women_share():
        with figure_cache.serving(), registry.evaluation():
            return registry.value("members.women_share", [union], YEAR)

    assert women_share() == Decimal("50.0")
    with committed():
        MemberFactory(union=union, joined_on=date(2020, 1, 1), gender="M")
    assert women_share() == Decimal("33.3")


def _dashboard_reader(client, union, committed):
    with committed():
        client.force_login(user_with_role(union))
    query = {"union": union.pk, "start": "2024-01-01", "end": "2024-12-31"}

    def at_end():
        with committed():  # each request is its own transaction
            figures = client.get(reverse("reports:dashboard"), query).context["figures"]
        return {f["metric"].key: f["value"] for f in figures}["members.at_end"]

    return at_end


def test_the_dashboard_viewed_again_reads_its_figures_from_memory(client, union, committed):
    at_end = _dashboard_reader(client, union, committed)
    first = _queries_for(at_end)
    assert _queries_for(at_end) < first - 20


def test_the_dashboard_shows_a_new_member_on_the_next_view(client, union, committed):
    at_end = _dashboard_reader(client, union, committed)
    assert at_end() == 2
    with committed():
        MemberFactory(union=union, joined_on=date(2021, 5, 1))
    assert at_end() == 3


def test_a_figure_computed_by_another_worker_is_served_from_the_shared_cache(union, settings):
    settings.CACHES = {
        **settings.CACHES,
        "figures": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }
    _at_end(union)
    figure_cache._entries.clear()  # this process: nothing of its own
    assert _queries_for(lambda: _at_end(union)) == 1


def test_a_migration_gives_every_table_a_new_mark(union):
    before = dict(TableMark.objects.values_list("table", "token"))
    figure_cache.migration_started()
    figure_cache.migration_finished()
    after = dict(TableMark.objects.values_list("table", "token"))
    assert after.keys() >= before.keys()
    assert all(after[t] != before[t] for t in before)


def test_an_update_of_a_column_the_figure_does_not_read_keeps_it(union, committed):
    _at_end(union)
    with committed():
        Member.objects.with_scopes_disabled().filter(union=union).update(gender="F")
    assert _queries_for(lambda: _at_end(union)) == 1


def test_an_update_of_a_column_the_figure_reads_renews_it(union, committed):
    _at_end(union)
    with committed():
        Member.objects.with_scopes_disabled().filter(union=union).update(left_on=date(2024, 6, 30))
    assert _at_end(union) == 0


def test_an_update_of_the_seat_counter_marks_only_that_column():
    sql = (
        'UPDATE "activities_activity" SET "admitted" = ("activities_activity"."admitted" + %s)'
        ' WHERE ("activities_activity"."id" = %s)'
    )
    assert figure_cache.written_marks(sql, "activities_activity") == [
        "activities_activity.*",
        "activities_activity.admitted",
    ]


def test_an_update_not_understood_marks_the_whole_table():
    sql = 'UPDATE "t" SET a = 1, "b" = 2 WHERE "t"."id" = %s'
    assert figure_cache.written_marks(sql, "t") == ["t"]


def test_a_query_the_compiler_wrote_depends_on_the_columns_it_names():
    sql = (
        'SELECT COUNT(*) AS "__count" FROM "members_member" WHERE ("members_member"."union_id"'
        ' IN (%s) AND "members_member"."joined_on" <= %s)'
    )
    assert figure_cache.read_marks(sql) == {
        "members_member",
        "members_member.union_id",
        "members_member.joined_on",
    }


def test_hand_written_sql_depends_on_every_column_of_every_table_it_names():
    sql = (
        "WITH spans AS (SELECT b.member_id FROM finance_duesbase b)"
        " SELECT COUNT(*) FROM spans, members_member m WHERE m.id = spans.member_id"
    )
    assert {"members_member.*", "finance_duesbase.*"} <= figure_cache.read_marks(sql)


@pytest.mark.django_db(transaction=True)
def test_a_write_outside_any_transaction_renews_its_mark_at_once():
    before = TableMark.objects.filter(table="orgs_union").values_list("token", flat=True).first()
    UnionFactory()  # autocommit: an INSERT … RETURNING, then the mark beside it
    after = TableMark.objects.get(table="orgs_union").token
    assert after != before


def test_a_write_inside_with_marks_every_table_it_writes(union, committed):
    before = TableMark.objects.get(table=MEMBERS).token
    with committed(), connection.cursor() as cursor:
        cursor.execute(
            f"WITH moved AS (UPDATE {MEMBERS} SET name = name WHERE union_id = %s RETURNING id)"
            " SELECT COUNT(*) FROM moved"
            if connection.vendor == "postgresql"
            else f"WITH moved AS (SELECT 1) UPDATE {MEMBERS} SET name = name WHERE union_id = %s",
            [union.pk],
        )
    assert TableMark.objects.get(table=MEMBERS).token != before


def test_a_figure_reading_a_secret_ballot_table_is_never_kept(union):
    def ballots():
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM democracy_ballot")
            return cursor.fetchone()[0]

    with figure_cache.serving():
        figure_cache.figure(("ballots",), ballots)
        assert _queries_for(lambda: figure_cache.figure(("ballots",), ballots)) == 1


def test_a_vote_renews_no_mark(committed):
    from gonghui.democracy.services import elections as services
    from gonghui.democracy.tests.elections_factories import choose, election, electors

    e = election(voters=2)

    def secret_marks():
        return {
            m.table: m.token
            for m in TableMark.objects.all()
            if m.table.split(".", 1)[0] in figure_cache.UNMARKED
        }

    before = secret_marks()
    with committed():
        services.cast_ballot(election=e, member=electors(e)[0], choices=choose())
    assert secret_marks() == before
