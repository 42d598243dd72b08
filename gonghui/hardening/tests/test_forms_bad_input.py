"""Bad input on the HTML side: uploads to the importers and attachment pages,
posts without a CSRF token, script text shown back on every back-office and
portal page.

The rule for an HTML form (docs/decisions.md): bad input answers the same page
again with the error in Chinese, by 400 on the members' portal and by 200 in
the back office (Django admin's own convention), or a 4xx refusal; never a
500, and nothing written.
"""

import io
import re
import uuid

import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import get_resolver, reverse

from gonghui.activities.models import Activity
from gonghui.attachments.models import Attachment
from gonghui.hardening.tests import files
from gonghui.hardening.tests.conftest import changed_tables, row_counts
from gonghui.orgs.tests.sweep import _admin_model, _is_standard_admin_view, _url, _walk

pytestmark = pytest.mark.django_db

CHINESE = re.compile(r"[\u4e00-\u9fff]")
XSS = '<script>alert("xss")</script>'

# (case name, file name, bytes, words the refusal must contain)
WORKBOOK_CASES = [
    ("pdf-renamed-xlsx", "名册.xlsx", files.pdf, "PDF文件"),
    ("png-renamed-xlsx", "名册.xlsx", files.png, "不是有效的Excel"),
    ("csv-text-renamed-xlsx", "名册.xlsx", files.text, "不是有效的Excel"),
    ("word-renamed-xlsx", "名册.xlsx", files.docx, "Word文档"),
    ("old-xls-renamed-xlsx", "名册.xlsx", files.old_excel, "旧版Excel"),
    ("xxe-external-entity", "名册.xlsx", files.xxe_workbook, "不安全的XML"),
    ("billion-laughs", "名册.xlsx", files.billion_laughs_workbook, "不安全的XML"),
    ("zip-bomb", "名册.xlsx", files.zip_bomb_workbook, "压缩炸弹"),
    ("unsupported-zip-version", "名册.xlsx", files.unsupported_zip_version_workbook, "已损坏"),
]
ATTACHMENT_CASES = [
    ("pdf-renamed-jpg", "现场.jpg", files.pdf, "内容是PDF"),
    ("text-renamed-png", "现场.png", files.text, "无法识别的内容"),
    ("program-renamed-jpg", "现场.jpg", files.windows_program, "无法识别的内容"),
    ("html-renamed-pdf", "通知.pdf", files.html, "无法识别的内容"),
    ("png-renamed-pdf", "通知.pdf", files.png, "不是PDF"),
    ("word-renamed-xlsx", "表.xlsx", files.docx, "不是"),
    ("program-extension", "setup.exe", files.windows_program, "不支持"),
    ("svg-extension", "logo.svg", lambda: b"<svg onload=alert(1)/>", "不支持"),
    ("unsupported-zip-version", "表.xlsx", files.unsupported_zip_version_workbook, "无法识别"),
]


@pytest.fixture
def cadre(world, db):
    client = Client(raise_request_exception=False)
    client.force_login(world.ours.chair)
    return client


@pytest.fixture
def member(world, db):
    client = Client(raise_request_exception=False)
    client.force_login(world.ours.member.user)
    return client


def _upload(name: str, content: bytes):
    handle = io.BytesIO(content)
    handle.name = name
    return handle


def _assert_refused_on_page(response, words: str):
    assert response.status_code in (200, 400, 413), response.status_code
    page = response.content.decode()
    assert words in page, f"{words!r} not on the page"


# Importers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [pytest.param(n, c, w, id=f"roster-import {case}") for case, n, c, w in WORKBOOK_CASES],
)
def test_a_hostile_roster_file_is_refused_in_chinese_and_imports_nobody(
    cadre, settings, name, content, words
):
    settings.MEMBER_IMPORT_SYNC = True
    before = row_counts()
    response = cadre.post(
        reverse("members:import"), {"file": _upload(name, content())}, follow=True
    )
    _assert_refused_on_page(response, words)
    # The attempt itself is recorded (an import job saying why it failed); nothing else.
    assert set(changed_tables(before, row_counts())) <= {"members_importjob"}


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [pytest.param(n, c, w, id=f"dues-import {case}") for case, n, c, w in WORKBOOK_CASES],
)
def test_a_hostile_payroll_deduction_file_is_refused_in_chinese_and_records_no_dues(
    cadre, world, name, content, words
):
    before = row_counts()
    response = cadre.post(
        reverse("finance:deductions_import"),
        {
            "union": world.ours.union.pk,
            "month": "2025-03",
            "paid_on": "2025-03-10",
            "idempotency_key": uuid.uuid4().hex,
            "file": _upload(name, content()),
        },
    )
    _assert_refused_on_page(response, words)
    assert changed_tables(before, row_counts()) == {}


@pytest.mark.parametrize("endpoint", ["roster-import", "dues-import"])
def test_an_oversized_workbook_is_refused_before_it_is_read(cadre, world, settings, endpoint):
    settings.MEMBER_IMPORT_MAX_BYTES = 1024
    settings.MEMBER_IMPORT_SYNC = True
    before = row_counts()
    upload = _upload("名册.xlsx", files.roster() + b"\x00" * 2048)
    if endpoint == "roster-import":
        response = cadre.post(reverse("members:import"), {"file": upload}, follow=True)
    else:
        response = cadre.post(
            reverse("finance:deductions_import"),
            {
                "union": world.ours.union.pk,
                "month": "2025-03",
                "paid_on": "2025-03-10",
                "idempotency_key": uuid.uuid4().hex,
                "file": upload,
            },
        )
    _assert_refused_on_page(response, "上限")
    assert changed_tables(before, row_counts()) == {}


# Attachments ----------------------------------------------------------------------------


def _activity(world) -> Activity:
    return Activity.objects.get(pk=sorted(world.our_rows[Activity])[0])


def _admin_upload(client, record, upload):
    content_type = ContentType.objects.get_for_model(record)
    url = reverse("attachments:upload", args=[content_type.pk, record.pk])
    return client.post(url, {"files": [upload]})


def _api_upload(client, world, record, upload):
    url = f"/api/v1/activities/{record.pk}/attachments"
    return client.post(url, {"file": upload}, **world.auth())


def _portal_report(client, upload):
    fields = {"place": "三号楼", "description": "楼梯扶手松动", "category": "equipment"}
    fields |= {"severity": "minor", "photos": [upload]}
    return client.post(reverse("safety_portal:report"), fields)


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [pytest.param(n, c, w, id=f"attachment-page {case}") for case, n, c, w in ATTACHMENT_CASES],
)
def test_a_file_whose_bytes_are_not_its_extension_is_refused_on_the_attachment_page(
    cadre, world, name, content, words
):
    before = row_counts()
    response = _admin_upload(cadre, _activity(world), _upload(name, content()))
    _assert_refused_on_page(response, words)
    assert changed_tables(before, row_counts()) == {}


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [pytest.param(n, c, w, id=f"attachment-api {case}") for case, n, c, w in ATTACHMENT_CASES],
)
def test_a_file_whose_bytes_are_not_its_extension_is_refused_by_the_api(
    api, world, name, content, words
):
    before = row_counts()
    response = _api_upload(api, world, _activity(world), _upload(name, content()))
    assert response.status_code == 400, response.content[:300]
    assert words in response.json()["detail"]
    assert changed_tables(before, row_counts()) == {}


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        pytest.param(n, c, w, id=f"hazard-photo {case}")
        for case, n, c, w in ATTACHMENT_CASES
        if n.endswith((".jpg", ".png", ".exe", ".svg"))
    ],
)
def test_a_hazard_photo_that_is_not_a_photo_is_refused_on_the_phone_page(
    member, name, content, words
):
    before = row_counts()
    response = _portal_report(member, _upload(name, content()))
    assert response.status_code == 400
    assert CHINESE.search(response.content.decode())
    assert changed_tables(before, row_counts()) == {}


@pytest.mark.parametrize("where", ["attachment-page", "attachment-api", "hazard-photo"])
def test_an_oversized_upload_is_refused_with_the_limit_named(
    cadre, member, api, world, settings, where
):
    settings.ATTACHMENT_MAX_BYTES = 400
    before = row_counts()
    upload = _upload("现场.jpg", files.jpeg_with_gps() + b"\x00" * 400)
    if where == "attachment-page":
        response = _admin_upload(cadre, _activity(world), upload)
    elif where == "attachment-api":
        response = _api_upload(api, world, _activity(world), upload)
    else:
        response = _portal_report(member, upload)
    assert response.status_code in (200, 400)
    shown = response.json()["detail"] if where == "attachment-api" else response.content.decode()
    assert "上限" in shown
    assert changed_tables(before, row_counts()) == {}


@pytest.mark.parametrize("where", ["attachment-page", "attachment-api", "hazard-photo"])
def test_a_photo_is_kept_without_its_gps_position_or_camera(cadre, member, api, world, where):
    photo = files.jpeg_with_gps()
    assert files.has_gps(photo)
    known = set(Attachment.objects.values_list("pk", flat=True))
    upload = _upload("现场.jpg", photo)
    if where == "attachment-page":
        response = _admin_upload(cadre, _activity(world), upload)
    elif where == "attachment-api":
        response = _api_upload(api, world, _activity(world), upload)
    else:
        response = _portal_report(member, upload)
    assert response.status_code in (201, 302), response.content[:300]
    stored = [a.file for a in Attachment.objects.exclude(pk__in=known)]
    assert stored
    for handle in stored:
        with handle.open("rb") as f:
            assert not files.has_gps(f.read())


# CSRF -------------------------------------------------------------------------------------


def _admin_add_urls() -> list[str]:
    urls = []
    for model in admin.site._registry:
        if not model.__module__.startswith("gonghui."):
            continue
        urls.append(reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add"))
    return sorted(urls)


def _form_urls() -> list[str]:
    """Every page of our own that takes a POST (back office and phone), with ids filled in."""
    urls = set()
    for name, route, params in _walk(get_resolver().url_patterns):
        if route.startswith(("api/", "admin/login", "admin/logout", "static/")):
            continue
        if route.startswith("admin/") and not any(
            route.startswith(f"admin/{a}/") for a in _OWN_ADMIN_PREFIXES
        ):
            continue
        model = _admin_model(route)
        if model is not None and _is_standard_admin_view(route, model):
            continue  # the add form of every model is its own case above
        url = _url(name, route, {k: 1 for k in params})
        if url is not None:
            urls.add(url)
    return sorted(urls)


_OWN_ADMIN_PREFIXES = (
    "roster",
    "finance",
    "activities",
    "attachments",
    "care",
    "democracy",
    "disclosure",
    "voice",
    "safety",
    "women",
    "learning",
    "honors",
    "rights",
    "reports",
)


@pytest.mark.parametrize(
    "url", [pytest.param(u, id=f"csrf admin-add {u}") for u in _admin_add_urls()]
)
def test_a_back_office_form_posted_without_a_csrf_token_is_refused_in_chinese(world, db, url):
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.force_login(world.ours.chair)
    before = row_counts()
    response = client.post(url, {"name": "跨站伪造", "title": "跨站伪造"})
    assert response.status_code == 403
    assert "CSRF" in response.content.decode() and CHINESE.search(response.content.decode())
    assert changed_tables(before, row_counts()) == {}


@pytest.mark.parametrize("url", [pytest.param(u, id=f"csrf page {u}") for u in _form_urls()])
def test_any_page_posted_without_a_csrf_token_is_refused_in_chinese(world, db, url):
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.force_login(
        world.ours.member.user if not url.startswith("/admin/") else world.ours.chair
    )
    before = row_counts()
    response = client.post(url, {"name": "跨站伪造"})
    assert response.status_code in (403, 404, 405), (response.status_code, url)
    if response.status_code == 403:
        assert CHINESE.search(response.content.decode())
    assert changed_tables(before, row_counts()) == {}


# Script text is shown as text -------------------------------------------------------------


def _text_fields(model):
    from django.db import models

    return [
        f.attname
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField)
        and not f.choices
        and not f.primary_key
        and "encrypt" not in type(f).__name__.lower()
        and (f.max_length or 100) >= len(XSS)
        and f.name not in SANITISED_ON_WRITE.get(model._meta.label, ())
    ]


# Rich text kept as sanitised HTML by its service and shown as HTML on purpose.
SANITISED_ON_WRITE = {"disclosure.Post": ("body",)}
SKIP_APPS = {"reports"}  # drafts and newsletters are rich text by design (their owner tests them)


def _admin_models():
    return sorted(
        (m for m in admin.site._registry if m.__module__.startswith("gonghui.")),
        key=lambda m: m._meta.label,
    )


@pytest.mark.parametrize(
    "model",
    [
        pytest.param(m, id=f"xss admin {m._meta.label}")
        for m in _admin_models()
        if m._meta.app_label not in SKIP_APPS
    ],
)
def test_script_text_stored_in_a_record_is_shown_escaped_in_the_back_office(cadre, world, model):
    keys = sorted(world.our_rows.get(model, ()))
    fields = _text_fields(model)
    if not keys or not fields:
        pytest.skip("no text field or no row of union A")
    model._base_manager.filter(pk=keys[0]).update(**{f: XSS for f in fields})
    opts = model._meta
    for url in (
        reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"),
        reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[keys[0]]),
    ):
        response = cadre.get(url)
        assert response.status_code in (200, 302, 403, 404), (url, response.status_code)
        assert XSS not in response.content.decode(), url


def test_a_script_in_an_open_affairs_post_never_reaches_the_members_page(api, member, world):
    response = api.post(
        "/api/v1/disclosure/posts",
        {
            "union": world.ours.union.pk,
            "category": "other",
            "title": XSS,
            "body": f"<p>正文</p>{XSS}<img src=x onerror=alert(1)>",
            "audience": "all",
            "publish_on": "2020-01-01",
        },
        content_type="application/json",
        **world.auth(),
    )
    assert response.status_code == 201, response.content[:300]
    page = member.get(reverse("disclosure_portal:post", args=[response.json()["id"]]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "<script>alert" not in html and "onerror" not in html
    assert "&lt;script&gt;" in html  # the title, shown as text
