import pytest
from django.db import transaction
from django.test import override_settings
from django_scopes import scopes_disabled

from gonghui.demo import scales
from gonghui.demo.tests.dates import SEED, TODAY
from gonghui.demo.tests.snapshot import built_or_restored


@pytest.fixture(scope="module")
def built_school(django_db_setup, django_db_blocker):
    """The school with its two years of ledgers, rolled back after the module:
    built by the process's first module that asks for it, restored from that
    build's copy (gonghui/demo/tests/snapshot.py) in the next ones. The tests
    only read it."""
    with django_db_blocker.unblock(), scopes_disabled():
        with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
            with transaction.atomic():
                yield built_or_restored(
                    ("school", SEED, TODAY), lambda: scales.build_small(seed=SEED, today=TODAY)
                )
                transaction.set_rollback(True)


@pytest.fixture
def school(built_school, db):
    return built_school
