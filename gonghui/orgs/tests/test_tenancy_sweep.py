"""Signed in as union A, request every URL of union B: nothing of B's may show.

See sweep.py: URLs come from the admin registry, the URL resolver and the API
schema, so screens and endpoints added later are swept without editing this.
"""

import pytest
from django.test import Client

from gonghui.api.tokens import issue_token
from gonghui.members.models import Member
from gonghui.orgs import services as orgs
from gonghui.orgs.models import Group, UnionKind
from gonghui.orgs.roles import Role
from gonghui.orgs.tests.sweep import Sweep, build_union, owned_by, snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def worlds(django_user_model):
    city = orgs.create_union(code="city", name="市总工会", kind=UnionKind.FEDERATION)
    other_city = orgs.create_union(code="other-city", name="邻市总工会", kind=UnionKind.FEDERATION)
    a = build_union(code="jia", marker="甲可见", parent=city, sequence=1)
    b = build_union(code="yi-secret", marker="乙秘密", parent=city, sequence=2)
    c = build_union(code="ding-secret", marker="丁秘密", parent=other_city, sequence=3)
    upper = django_user_model.objects.create_user(username="city-staff")
    orgs.assign_role(user=upper, union=city, role=Role.UPPER_STAFF)
    return {"city": city, "a": a, "b": b, "c": c, "upper": upper}


def _sweep(user, key, foreign):
    # A server error is recorded as a finding instead of ending the sweep.
    client = Client(raise_request_exception=False)
    client.force_login(user)
    owned = owned_by(foreign.union, foreign.secrets)
    return Sweep(client=client, key=key, foreign=foreign, owned=owned), owned


def test_every_model_owned_by_a_union_has_a_row_to_sweep(worlds):
    assert worlds["b"].skipped == [], "the sweep could not generate rows for these models"


def test_a_chair_of_union_a_sees_nothing_of_union_b_anywhere(worlds):
    a, b = worlds["a"], worlds["b"]
    sweep, owned = _sweep(a.chair, a.chair_key, b)
    before = snapshot(owned)
    sweep.admin_screens()
    sweep.url_patterns()
    sweep.api()
    assert sweep.findings == [], "\n".join(map(str, sweep.findings))
    assert snapshot(owned) == before
    assert sweep.requests > 100


def test_the_sweep_finds_a_leak_when_there_is_one(worlds):
    a, b = worlds["a"], worlds["b"]
    orgs.assign_role(user=a.chair, union=b.union, role=Role.CHAIR)
    sweep, _ = _sweep(a.chair, a.chair_key, b)
    sweep.api()
    assert any("乙秘密" in str(f) for f in sweep.findings)


def test_upper_union_staff_see_their_subtree_but_no_sibling_federation(worlds):
    upper, c = worlds["upper"], worlds["c"]
    key = issue_token(user=upper, name="市总")
    sweep, owned = _sweep(upper, key, c)
    before = snapshot(owned)
    sweep.admin_screens()
    sweep.url_patterns()
    sweep.api()
    assert sweep.findings == [], "\n".join(map(str, sweep.findings))
    assert snapshot(owned) == before
    unions = Client().get("/api/v1/unions", HTTP_AUTHORIZATION=f"Bearer {key}").json()
    assert {u["code"] for u in unions} == {"city", "jia", "yi-secret"}


def test_upper_union_staff_read_a_member_below_them_but_every_write_is_refused(worlds):
    upper, b = worlds["upper"], worlds["b"]
    key = issue_token(user=upper, name="市总")
    sweep, owned = _sweep(upper, key, b)
    before = snapshot(owned)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    assert sweep.client.get(f"/api/v1/members/{b.member.pk}", **auth).status_code == 200
    schema = sweep.client.get("/api/v1/openapi.json").json()
    writes = 0
    for path, operations in schema["paths"].items():
        for method in operations:
            if method == "get" or "{" not in path:
                continue
            for kwargs, _ in sweep._arguments({p: "int" for p in _params(path)}):
                url = path.format(**kwargs)
                response = sweep._api_call(method, url, _body_for(path), auth)
                assert response.status_code in (403, 404), (url, response.content)
                writes += 1
    assert writes >= 3
    assert snapshot(owned) == before
    assert Member.objects.get(pk=b.member.pk).status == "active"
    assert not Group.objects.filter(union=b.union, name="市总新建").exists()


def _params(path):
    return [part[1:-1] for part in path.split("/") if part.startswith("{")]


def _body_for(path):
    if "/transfers/" in path:
        # A valid body, so the refusal comes from the permission check.
        return {} if path.endswith("/accept") else {"reason": "市总代办"}
    if path.endswith("/status"):
        return {"to": "retired", "on": "2024-01-02", "reason": "市总代办"}
    if path.endswith("/groups") or path.endswith("/departments"):
        return {"name": "市总新建"}
    return {"position": "市总改动"}
