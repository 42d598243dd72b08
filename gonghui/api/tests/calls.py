"""Calling the API as a token holder, the way an integration would."""

import json

from django.test import Client

from gonghui.api.tokens import issue_token


def token_for(user) -> str:
    return issue_token(user=user, name="测试")


def call(method: str, path: str, key: str | None = None, data=None, raw: str | None = None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"} if key else {}
    client = Client()
    url = path if path.startswith("/") else f"/api/v1/{path}"
    method = method.lower()
    if method == "get":
        return client.get(url, data or {}, **headers)
    body = raw if raw is not None else json.dumps(data if data is not None else {})
    return getattr(client, method)(url, body, content_type="application/json", **headers)
