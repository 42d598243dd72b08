"""Test wiring shared by every app.

Tests run with scoping disabled unless they enter a scope themselves (the
tenancy tests do); factories live in each app's tests/factories.py.
"""

import pytest
from django_scopes import scopes_disabled


@pytest.fixture(autouse=True)
def _no_scope_by_default():
    with scopes_disabled():
        yield


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
