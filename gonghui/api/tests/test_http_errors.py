"""A wrong method or an unknown address under /api/ answers in the API's own
shape, Chinese JSON, not django-ninja's English text or Django's HTML page."""

import pytest

from gonghui.api.tests.calls import call, token_for
from gonghui.orgs.tests.factories import UnionFactory, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def key():
    union = UnionFactory()
    return token_for(user_with_role(union))


def test_a_wrong_method_answers_405_in_chinese_json_naming_the_method(key):
    response = call("put", "members", key, {})
    assert response.status_code == 405
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"].startswith("此地址不支持 PUT 方法")


def test_a_wrong_method_keeps_the_allow_header_listing_what_the_address_takes(key):
    response = call("delete", "members", key)
    assert set(response["Allow"].split(", ")) == {"GET", "POST"}
    assert "GET、POST" in response.json()["detail"]


def test_a_wrong_method_is_refused_in_chinese_without_a_token_too():
    response = call("patch", "members")
    assert response.status_code == 405
    assert "PATCH" in response.json()["detail"]


@pytest.mark.parametrize(
    "path", ["/api/v1/no-such-thing", "/api/v1/members/1/nothing", "/api/v2/members", "/api/"]
)
def test_an_unknown_api_address_answers_404_in_chinese_json(key, path):
    response = call("get", path, key)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"] == f"接口地址不存在：{path}（全部地址见 /api/v1/openapi.json）"


def test_an_unknown_api_address_is_not_stored_by_browsers(key):
    response = call("get", "/api/v1/no-such-thing", key)
    assert "no-store" in response["Cache-Control"]


def test_a_record_that_is_not_visible_keeps_the_api_s_own_404(key):
    response = call("get", "members/987654321", key)
    assert response.status_code == 404
    assert response.json()["detail"] == "未找到"


def test_pages_outside_the_api_keep_django_s_404_page(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert not response["Content-Type"].startswith("application/json")
