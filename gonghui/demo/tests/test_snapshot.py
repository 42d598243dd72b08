"""The school a module reads is the one the build wrote, whether this process
built it for that module or restored it from the copy of an earlier build."""

from django.db import connection

from gonghui.demo.tests import snapshot
from gonghui.demo.tests.dates import SEED, TODAY

KEY = ("school", SEED, TODAY)


def test_the_school_a_module_reads_matches_the_build_table_by_table(school):
    assert snapshot.checksum(snapshot.dump()) == snapshot._kept[KEY].checksum


def test_a_restore_over_the_school_writes_back_exactly_what_the_build_wrote(school):
    kept = snapshot._kept[KEY]
    snapshot.restore(kept)

    assert snapshot.checksum(snapshot.dump()) == kept.checksum


def test_a_restore_leaves_every_id_counter_past_the_largest_restored_id(school):
    snapshot.restore(snapshot._kept[KEY])

    behind = []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for table, sequences in snapshot._kept[KEY].sequences.items():
                for sequence, column in sequences:
                    cursor.execute(
                        f'SELECT (SELECT MAX("{column}") FROM "{table}"),'
                        f' (SELECT last_value FROM "{sequence}")'
                    )
                    largest, counter = cursor.fetchone()
                    if largest is not None and counter < largest:
                        behind.append(table)
        else:
            cursor.execute("SELECT name, seq FROM sqlite_sequence")
            for table, counter in cursor.fetchall():
                cursor.execute(f'SELECT MAX(rowid) FROM "{table}"')
                largest = cursor.fetchone()[0]
                if largest is not None and counter < largest:
                    behind.append(table)
    assert behind == []
    assert snapshot._kept[KEY].sequences or connection.vendor == "sqlite"


def test_the_school_is_handed_over_with_no_commit_hooks_pending_from_the_build(school):
    assert connection.run_on_commit == []
