import pytest
from django.db import connection, transaction
from django.test import override_settings
from django_scopes import scopes_disabled

from gonghui.demo import scales
from gonghui.demo.tests.dates import SEED, TODAY
from gonghui.rollup import services, signals


@pytest.fixture(scope="module")
def built_city(django_db_setup, django_db_blocker):
    """A small city (three grassroots unions with two years of ledgers) with
    its summary tables refreshed for this year, built once per module and
    rolled back after it."""
    with django_db_blocker.unblock(), scopes_disabled():
        with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
            with transaction.atomic():
                city = scales.build_large(seed=SEED, today=TODAY, unions=3, members=360)
                if connection.vendor == "postgresql":
                    # The rows are not committed, so autovacuum never counts them:
                    # without this the planner takes every table for empty and
                    # nests loops over thousands of dues rows (minutes a query).
                    with connection.cursor() as cursor:
                        cursor.execute("ANALYZE")
                services.refresh(year=TODAY.year)
                yield city
                transaction.set_rollback(True)


@pytest.fixture
def city(built_city, db):
    # The build's transaction is still open, with the marks of its saves
    # waiting on a commit hook that never runs (it is rolled back). A test's
    # own saves must get their own hook, which its capture of commit hooks runs.
    signals._pending.state = None
    return built_city
