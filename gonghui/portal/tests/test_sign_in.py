from datetime import date

import pytest
from django.test import Client

from gonghui.members import services
from gonghui.members.models import Status
from gonghui.members.tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Lanhua-2024-yuan"


def _member_with_account(**fields):
    member = MemberFactory(**fields)
    services.create_portal_account(member=member, password=PASSWORD)
    return member


def _sign_in(client, number, password=PASSWORD):
    return client.post("/login/", {"username": number, "password": password})


def test_a_member_signs_in_with_their_mobile_number_and_lands_on_home(client):
    member = _member_with_account(phone="13912345678", name="王小明")
    response = _sign_in(client, "13912345678")
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert "王小明" in client.get("/").content.decode()
    assert client.session["_auth_user_id"] == str(member.user_id)


def test_a_mobile_number_typed_with_spaces_or_country_code_signs_in(client):
    _member_with_account(phone="13912345678")
    assert _sign_in(client, "+86 139 1234 5678").status_code == 302


def test_a_wrong_password_says_number_or_password_is_wrong(client):
    _member_with_account(phone="13912345678")
    response = _sign_in(client, "13912345678", "not-the-password")
    assert response.status_code == 200
    assert "手机号或密码不正确" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_an_unknown_number_gets_the_same_message_as_a_wrong_password(client):
    response = _sign_in(client, "13700000000", "whatever-123")
    assert "手机号或密码不正确" in response.content.decode()


def test_the_fifth_wrong_password_locks_the_number_for_an_hour(client):
    _member_with_account(phone="13912345678")
    for _ in range(5):
        _sign_in(client, "13912345678", "not-the-password")
    response = _sign_in(client, "13912345678")
    page = response.content.decode()
    assert response.status_code == 429
    assert "锁定1小时" in page
    assert "工会办公室" in page
    assert "_auth_user_id" not in client.session


def test_a_member_who_has_left_cannot_sign_in(client):
    member = _member_with_account(phone="13912345678")
    services.change_status(member=member, to=Status.RETIRED, on=date(2024, 6, 30), reason="退休")
    response = _sign_in(client, "13912345678")
    assert "手机号或密码不正确" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_sign_in_form_refuses_a_post_without_csrf_token():
    client = Client(enforce_csrf_checks=True)
    _member_with_account(phone="13912345678")
    assert _sign_in(client, "13912345678").status_code == 403


def test_signing_out_needs_a_post(client):
    member = _member_with_account()
    client.force_login(member.user)
    assert client.get("/logout/").status_code == 405
    response = client.post("/logout/")
    assert response["Location"] == "/login/"
    assert "_auth_user_id" not in client.session


def test_a_member_changes_their_password_and_signs_in_with_the_new_one(client):
    member = _member_with_account(phone="13912345678")
    client.force_login(member.user)
    response = client.post(
        "/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "Meihua-2025-kai",
            "new_password2": "Meihua-2025-kai",
        },
    )
    assert response.status_code == 302
    client.post("/logout/")
    assert _sign_in(client, "13912345678", "Meihua-2025-kai").status_code == 302


def test_a_wrong_old_password_is_refused_in_chinese(client):
    member = _member_with_account()
    client.force_login(member.user)
    response = client.post(
        "/password/",
        {
            "old_password": "wrong",
            "new_password1": "Meihua-2025-kai",
            "new_password2": "Meihua-2025-kai",
        },
    )
    assert response.status_code == 200
    assert "旧密码" in response.content.decode()
