import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    """The join throttle counts in the cache, which outlives a test's database."""
    cache.clear()
    yield
    cache.clear()
