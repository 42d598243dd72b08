"""A chair creates an API token in the back office and calls the API with it."""

import pytest

from gonghui.api.tests.calls import call
from gonghui.orgs.roles import Role
from gonghui.orgs.tests.factories import UnionFactory, user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_chair_creates_a_token_and_the_key_is_shown_once(page, client):
    user = user_with_role(UnionFactory(name="一中工会"), Role.CHAIR)
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": page.base}]
    )

    page.goto(page.base + "/admin/api/apitoken/add/")
    page.get_by_label("用途").fill("对接人事系统")
    page.get_by_role("button", name="保存", exact=True).click()

    key = page.locator("#api-token-key").inner_text().strip()
    page.screenshot(path="/tmp/api-token-created.png", full_page=True)
    assert call("get", "unions", key=key).json()[0]["name"] == "一中工会"
    page.goto(page.base + "/admin/api/apitoken/")
    page.get_by_text("对接人事系统").first.wait_for()
    page.screenshot(path="/tmp/api-token-list.png", full_page=True)
    assert key not in page.content()
