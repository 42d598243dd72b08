"""Test wiring shared by every app.

Tests run with scoping disabled unless they enter a scope themselves (the
tenancy tests do); factories live in each app's tests/factories.py.
"""

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher
from django_scopes import scopes_disabled


@pytest.fixture(autouse=True)
def _no_scope_by_default():
    with scopes_disabled():
        yield


@pytest.fixture(autouse=True)
def _empty_caches():
    """Each test starts with empty caches: rate limits count per user id, and
    ids are reused once a test's transaction rolls back, so counts from earlier
    tests in the same process would otherwise throttle a later one."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


class QuickArgon2PasswordHasher(Argon2PasswordHasher):
    """Production's Argon2 (same algorithm name, stored format and checks) at
    the smallest cost: the production parameters (100 MB, 8 lanes) take a
    quarter of a CPU-second a hash, and factories set a password on every
    user they make, thousands of times a run. No test measures the cost; the
    tests of how often a sign-in hashes count calls (members/tests/test_auth.py)."""

    time_cost = 1
    memory_cost = 8  # KiB: Argon2's floor for one lane
    parallelism = 1


@pytest.fixture(autouse=True)
def _quick_argon2(settings):
    settings.PASSWORD_HASHERS = [
        f"{__name__}.QuickArgon2PasswordHasher" if h.endswith(".Argon2PasswordHasher") else h
        for h in settings.PASSWORD_HASHERS
    ]


@pytest.fixture(autouse=True)
def _second_factor_off_by_default(settings):
    """Most tests sign a chair in with client.force_login and test the screen
    behind the sign-in, not the sign-in itself; production requires the
    second factor for chairs (settings.GONGHUI_MFA_ROLES). The MFA tests in
    gonghui/mfa/tests turn it back on with their own `mfa_on` fixture."""
    settings.GONGHUI_MFA_ROLES = []
    settings.GONGHUI_MFA_REQUIRED_FOR_SUPERUSERS = False


@pytest.fixture(autouse=True)
def _no_address_limit_by_default(settings):
    """Every test signs in from 127.0.0.1 and the failure count lives in the
    process's cache for an hour, so the suite's deliberate wrong passwords
    would add up to the per-address limit (gonghui/mfa/throttling.py);
    the tests of that limit set it themselves."""
    settings.GONGHUI_LOGIN_FAILURES_PER_ADDRESS = 10**9


# Browser tests -------------------------------------------------------------
# Playwright's sync API runs an event loop in the test thread; Django's ORM
# refuses to run beside one unless told it is safe (it is: one thread drives).
import os  # noqa: E402
import shutil  # noqa: E402

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium driven by Playwright; CI sets GONGHUI_REQUIRE_BROWSER=1."""
    if not os.path.exists(CHROMIUM):
        if os.environ.get("GONGHUI_REQUIRE_BROWSER"):
            pytest.fail("找不到 Chromium（apt-get install chromium）")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, live_server):
    """A fresh desktop-sized page; `page.base` is the live server's address."""
    context = chromium.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.base = live_server.url
    yield page
    context.close()


@pytest.fixture
def phone_page(chromium, live_server):
    """A page at phone width (iPhone-sized viewport, touch)."""
    context = chromium.new_context(
        viewport={"width": 390, "height": 844},
        locale="zh-CN",
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.base = live_server.url
    yield page
    context.close()


# A module whose tests share an expensive module-scoped fixture (a demo union
# built once, say) runs on one xdist worker: split over two, each worker built
# it again. `make test` distributes with --dist loadgroup, so every other test
# still goes to whichever worker is free. Big modules stay split: there the
# second build costs less than the work it shares out.
_GROUP_BELOW = 100


def pytest_collection_modifyitems(config, items):
    by_module: dict = {}
    for item in items:
        if getattr(item, "module", None) is not None and hasattr(item, "_fixtureinfo"):
            by_module.setdefault(item.module, []).append(item)
    for module, tests in by_module.items():
        if len(tests) >= _GROUP_BELOW:
            continue
        shares = any(
            defs[-1].scope == "module"
            for test in tests
            for defs in test._fixtureinfo.name2fixturedefs.values()
            if defs
        )
        if shares:
            for test in tests:
                test.add_marker(pytest.mark.xdist_group(module.__name__))
