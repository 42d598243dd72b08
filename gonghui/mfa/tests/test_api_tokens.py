"""API calls carry bearer tokens, not sessions (docs/security.md): a token
stands in for the second factor only once the account has one."""

import pytest

from gonghui.api.tokens import issue_token
from gonghui.mfa.tests.factories import enrol
from gonghui.orgs.roles import Role
from gonghui.orgs.tests.factories import UnionFactory, user_with_role

UNIONS = "/api/v1/unions"


@pytest.fixture
def mfa_on(settings, db):
    settings.GONGHUI_MFA_ROLES = ["chair", "committee", "audit", "women", "upper_staff"]


def call(client, key):
    return client.get(UNIONS, HTTP_AUTHORIZATION=f"Bearer {key}")


def test_a_chairs_token_is_refused_while_the_chair_has_no_authenticator(client, mfa_on):
    chair = user_with_role(UnionFactory(), Role.CHAIR)
    response = call(client, issue_token(user=chair, name="报表"))
    assert response.status_code == 403
    assert "绑定身份验证器" in response.json()["detail"]


def test_a_chairs_token_works_once_the_chair_has_an_authenticator(client, mfa_on):
    chair = user_with_role(UnionFactory(), Role.CHAIR)
    key = issue_token(user=chair, name="报表")
    enrol(chair)
    assert call(client, key).status_code == 200


def test_a_liaisons_token_needs_no_authenticator(client, mfa_on):
    liaison = user_with_role(UnionFactory(), Role.LIAISON)
    assert call(client, issue_token(user=liaison, name="小组")).status_code == 200


def test_an_unknown_token_is_still_a_401_not_a_403(client, mfa_on):
    assert call(client, "not-a-token").status_code == 401


def test_a_session_signed_in_chair_cannot_use_the_api_without_a_token(client, mfa_on):
    chair = user_with_role(UnionFactory(), Role.CHAIR)
    client.force_login(chair)
    assert client.get(UNIONS).status_code == 401
