"""Response headers, session expiry and sign-in limits that hold for every
page (gonghui/security.py, gonghui/mfa/throttling.py, settings.py)."""

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.conf import settings as django_settings
from django.core.cache import cache

from gonghui import security
from gonghui.orgs.roles import Role
from gonghui.orgs.tests.factories import UnionFactory, user_with_role


@pytest.fixture
def liaison(db):
    return user_with_role(UnionFactory(), Role.LIAISON)


def test_back_office_pages_are_not_stored_by_browsers_or_proxies(client, liaison):
    client.force_login(liaison)
    response = client.get("/admin/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_the_back_office_sign_in_page_is_not_stored_either(client, db):
    assert "no-store" in client.get("/admin/login/")["Cache-Control"]


def test_portal_pages_of_a_signed_in_member_are_not_stored(client, liaison):
    client.force_login(liaison)
    response = client.get("/")
    assert "no-store" in response["Cache-Control"]


def test_api_answers_are_not_stored(client, db):
    assert "no-store" in client.get("/api/v1/unions")["Cache-Control"]


def test_every_page_carries_a_policy_that_allows_no_inline_script(client, liaison):
    client.force_login(liaison)
    policy = client.get("/admin/")["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
    assert "'unsafe-inline'" not in directives["script-src"]
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"


def test_pages_cannot_be_framed(client, db):
    assert client.get("/admin/login/")["X-Frame-Options"] == "DENY"


def test_an_idle_session_is_signed_out_on_the_server(client, liaison):
    client.force_login(liaison)
    assert client.get("/admin/").status_code == 200
    session = client.session
    session[security.LAST_SEEN] = int(time.time()) - django_settings.SESSION_IDLE_SECONDS - 5
    session.save()
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_an_active_session_ends_after_the_maximum_age(client, liaison):
    client.force_login(liaison)
    client.get("/admin/")
    session = client.session
    session[security.STARTED] = int(time.time()) - django_settings.SESSION_MAX_SECONDS - 5
    session.save()
    assert client.get("/admin/").status_code == 302


def test_an_active_session_stays_signed_in(client, liaison):
    client.force_login(liaison)
    for _ in range(3):
        assert client.get("/admin/").status_code == 200


def test_an_address_with_too_many_failed_sign_ins_is_refused_for_the_hour(
    client, liaison, settings
):
    cache.clear()
    settings.GONGHUI_LOGIN_FAILURES_PER_ADDRESS = 3
    settings.AXES_FAILURE_LIMIT = 100  # spraying: each account fails once
    for n in range(3):
        client.post("/admin/login/", {"username": f"nobody{n}", "password": "guess"})
    response = client.post(
        "/admin/login/", {"username": liaison.username, "password": "pass-word-123"}
    )
    assert response.status_code == 429
    assert "登录失败的次数过多" in response.content.decode()
    response = client.post("/login/", {"username": "13800000000", "password": "guess"})
    assert response.status_code == 429
    cache.clear()


def test_successful_sign_ins_do_not_count_against_the_address(client, liaison, settings):
    cache.clear()
    settings.GONGHUI_LOGIN_FAILURES_PER_ADDRESS = 2
    for _ in range(4):
        response = client.post(
            "/admin/login/", {"username": liaison.username, "password": "pass-word-123"}
        )
        assert response.status_code == 302
        client.post("/admin/logout/")
    cache.clear()


def test_production_settings_pass_the_deploy_check_with_no_warnings(tmp_path):
    # The browser tests' DJANGO_ALLOW_ASYNC_UNSAFE is not part of a deployment.
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "GONGHUI_ENV": "production",
        "SECRET_KEY": "test-" + "k" * 60 + "Zq9",
        "ALLOWED_HOSTS": "gonghui.example.org",
        "GONGHUI_VAR_DIR": str(tmp_path),
        "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "FIELD_HMAC_KEY": "test-hmac-key-0123456789",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=django_settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_a_views_own_private_cache_choice_for_photos_stands():
    from django.http import HttpResponse

    photo = HttpResponse()
    photo["Cache-Control"] = "private, max-age=3600"
    public = HttpResponse()
    public["Cache-Control"] = "public, max-age=3600"
    assert security._kept_privately(photo)
    assert not security._kept_privately(public)


INLINE_SCRIPT = [
    (re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I), "inline event handler (on…=)"),
    (re.compile(r"javascript:", re.I), "javascript: link"),
    (
        re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*\bnonce=)(?![^>]*application/json)[^>]*>", re.I),
        "inline <script> without the CSP nonce",
    ),
]


def test_no_template_of_ours_holds_script_the_policy_would_refuse():
    root = Path(django_settings.BASE_DIR) / "gonghui"
    found = [
        f"{path.relative_to(root)}: {what}"
        for path in sorted(root.glob("**/templates/**/*.html"))
        for pattern, what in INLINE_SCRIPT
        if pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert found == []
