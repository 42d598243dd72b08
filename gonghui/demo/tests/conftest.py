import pytest
from django.db import transaction
from django.test import override_settings
from django_scopes import scopes_disabled

from gonghui.demo import scales
from gonghui.demo.tests.dates import SEED, TODAY


@pytest.fixture(scope="module")
def built_school(django_db_setup, django_db_blocker):
    """The school with its two years of ledgers, built once per test module and
    rolled back after it: building takes seconds, the tests only read it."""
    with django_db_blocker.unblock(), scopes_disabled():
        with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
            with transaction.atomic():
                yield scales.build_small(seed=SEED, today=TODAY)
                transaction.set_rollback(True)


@pytest.fixture
def school(built_school, db):
    return built_school
