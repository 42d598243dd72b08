import pytest
from django.test import Client

from gonghui.api.models import ApiToken
from gonghui.api.tests.calls import call, token_for
from gonghui.orgs.roles import Role
from gonghui.orgs.tests.factories import UnionFactory, user_with_role

pytestmark = pytest.mark.django_db


def test_a_request_without_a_token_is_refused_with_a_chinese_401():
    response = call("get", "unions")
    assert response.status_code == 401
    assert "令牌" in response.json()["detail"]
    assert response["WWW-Authenticate"] == "Bearer"


def test_an_unknown_token_is_refused():
    response = call("get", "unions", key="not-a-real-key")
    assert response.status_code == 401


def test_a_token_of_a_deactivated_account_is_refused():
    user = user_with_role(UnionFactory())
    key = token_for(user)
    user.is_active = False
    user.save()
    assert call("get", "unions", key=key).status_code == 401


def test_a_valid_token_lists_the_unions_of_its_account():
    union = UnionFactory(name="甲工会")
    key = token_for(user_with_role(union))
    response = call("get", "unions", key=key)
    assert response.status_code == 200
    assert [u["name"] for u in response.json()] == ["甲工会"]


def test_only_the_digest_of_a_token_is_stored():
    user = user_with_role(UnionFactory())
    key = token_for(user)
    token = ApiToken.objects.get(user=user)
    assert key not in (token.digest, token.prefix)
    assert token.prefix == key[:8]


def test_using_a_token_records_when_it_was_last_used():
    user = user_with_role(UnionFactory())
    key = token_for(user)
    call("get", "unions", key=key)
    assert ApiToken.objects.get(user=user).last_used_at is not None


def test_a_session_without_a_token_is_not_enough_for_the_api():
    user = user_with_role(UnionFactory())
    client = Client()
    client.force_login(user)
    assert client.get("/api/v1/unions").status_code == 401


def test_token_writes_need_no_csrf_token():
    union = UnionFactory()
    key = token_for(user_with_role(union))
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        f"/api/v1/unions/{union.id}/departments",
        {"name": "后勤部"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert response.status_code == 201


def test_too_many_requests_are_throttled_with_a_chinese_message(settings):
    settings.API_THROTTLE_RATE = "3/min"
    key = token_for(user_with_role(UnionFactory()))
    statuses = [call("get", "unions", key=key).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert "频繁" in call("get", "unions", key=key).json()["detail"]


def test_the_schema_is_served_with_a_chinese_title_and_lists_the_endpoints():
    response = Client().get("/api/v1/openapi.json")
    schema = response.json()
    assert schema["info"]["title"] == "工会工作系统接口"
    assert "/api/v1/members/{member_id}" in schema["paths"]
    assert schema["components"]["securitySchemes"]


def test_no_docs_page_pulls_scripts_from_a_cdn():
    response = Client().get("/api/v1/docs")
    assert response.status_code == 404


def test_staff_create_a_token_in_the_back_office_and_see_the_key_once(client):
    user = user_with_role(UnionFactory(), Role.CHAIR)
    client.force_login(user)
    response = client.post("/admin/api/apitoken/add/", {"name": "对接人事系统"})
    assert response.status_code == 200
    key = response.context["key"]
    assert key in response.content.decode()
    assert call("get", "unions", key=key).status_code == 200
    listing = client.get("/admin/api/apitoken/").content.decode()
    assert "对接人事系统" in listing
    assert key not in listing


def test_staff_see_only_their_own_tokens_in_the_back_office(client):
    union = UnionFactory()
    me, other = user_with_role(union), user_with_role(union)
    ApiToken.objects.create(user=other, name="别人的令牌", digest="x" * 64, prefix="abcdefgh")
    client.force_login(me)
    assert "别人的令牌" not in client.get("/admin/api/apitoken/").content.decode()
    other_token = ApiToken.objects.get(user=other)
    assert client.get(f"/admin/api/apitoken/{other_token.pk}/change/").status_code in (
        302,
        403,
        404,
    )
