"""One world per test module: two unions built the way the tenancy sweep builds
them (a row of every union-owned model), an all-roles cadre of union A with an
API token, and a member of A with a portal account and a token.

The world is written once inside a transaction that is rolled back when the
module ends; each test runs in a savepoint inside it (pytest-django's `db`).
"""

from dataclasses import dataclass

import pytest
from django.db import connection, transaction
from django.test import Client
from django_scopes import scopes_disabled

from gonghui.api.tokens import issue_token
from gonghui.orgs import services as orgs
from gonghui.orgs.models import UnionKind
from gonghui.orgs.roles import Role
from gonghui.orgs.tests.sweep import World, build_union, owned_by

CADRE_ROLES = (
    Role.CHAIR,
    Role.COMMITTEE,
    Role.AUDIT,
    Role.WOMEN,
    Role.SAFETY,
    Role.REPRESENTATIVE,
    Role.LIAISON,
)


@dataclass
class Hardening:
    """Union A (ours) and union B (someone else's), and the keys to call as A."""

    ours: World
    theirs: World
    cadre_key: str
    member_key: str
    our_rows: dict  # model -> primary keys of A's rows
    their_rows: dict  # model -> primary keys of B's rows

    def auth(self, *, as_member: bool = False) -> dict:
        key = self.member_key if as_member else self.cadre_key
        return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), scopes_disabled():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            city = orgs.create_union(
                code="hard-city", name="硬化市总工会", kind=UnionKind.FEDERATION
            )
            ours = build_union(code="hard-a", marker="甲硬化", parent=city, sequence=1)
            theirs = build_union(code="hard-b", marker="乙外来", parent=city, sequence=2)
            for role in CADRE_ROLES:
                orgs.assign_role(user=ours.chair, union=ours.union, role=role)
            orgs.assign_role(user=ours.member.user, union=ours.union, role=Role.MEMBER)
            yield Hardening(
                ours=ours,
                theirs=theirs,
                cadre_key=ours.chair_key,
                member_key=issue_token(user=ours.member.user, name="会员令牌"),
                our_rows=owned_by(ours.union, ours.secrets),
                their_rows=owned_by(theirs.union, theirs.secrets),
            )
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def _generous_api_rate(settings):
    # Hundreds of cases run as one account within a minute.
    settings.API_THROTTLE_RATE = "1000000/min"


@pytest.fixture
def api(world, db):
    return Client(raise_request_exception=False)


def row_counts() -> tuple:
    """The number of rows of every table, in one query."""
    with connection.cursor() as cursor:
        tables = sorted(connection.introspection.table_names(cursor))
        quoted = [connection.ops.quote_name(t) for t in tables]
        cursor.execute("SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {q})" for q in quoted))
        return dict(zip(tables, cursor.fetchone(), strict=True))


def changed_tables(before: dict, after: dict) -> dict:
    return {t: (before.get(t), n) for t, n in after.items() if before.get(t) != n}
