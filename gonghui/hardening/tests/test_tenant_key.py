"""Every union-owned table carries the tenant key `union_id` (docs/scaling.md).

A table belongs to a union when it points at a union, or at a row of a table
that belongs to a union (followed through every foreign key and one-to-one
link, including the many-to-many tables Django creates). Each such table
must have a non-null `union` foreign key to `orgs.Union`, backed in the
database by a NOT NULL, indexed `union_id` column, and a default manager
that refuses to run outside a django-scopes scope. That is what lets a union
see only its own rows today, and what lets the tables be distributed by
`union_id` (Citus' multi-tenant model) without a schema change tomorrow.

The exceptions are listed below with their reason; an entry that is no longer
needed (the model gained the key, or is gone) fails the test too, so the list
only shrinks. The database checks introspect the migrated schema, so on
PostgreSQL (CI's second run) they prove the real columns, not only the models.
"""

import pytest
from django.apps import apps
from django.db import connection, models
from django_scopes import scope
from django_scopes.exceptions import ScopeError

from gonghui.orgs.models import Union

pytestmark = pytest.mark.django_db

# Union-owned tables without a `union` key, and why. Each entry is a change
# docs/scaling.md lists under "What has to change" before the table could be
# distributed; none of them is a leak today, because each is only reached
# through a scoped parent row.
WITHOUT_TENANT_KEY = {
    "orgs.Union": "the union tree itself: a Citus reference table, copied to every node",
    # Many-to-many tables Django creates: a row joins two rows of one union and is
    # only read through the scoped row that owns it. Distributing them needs an
    # explicit through model with `union` (docs/scaling.md).
    "activities.Activity_audience_groups": "auto-created many-to-many (activity ↔ group)",
    "activities.Club_members": "auto-created many-to-many (club ↔ member)",
    "care.Visit_members": "auto-created many-to-many (visit ↔ member visited)",
    "care.Visit_visitors": "auto-created many-to-many (visit ↔ member visiting)",
    "democracy.Proposal_helper_departments": "auto-created many-to-many (proposal ↔ department)",
    "learning.Exam_groups": "auto-created many-to-many (exam ↔ group)",
    "learning.Exam_questions": "auto-created many-to-many (exam ↔ question)",
    "learning.TrainingSession_attendees": "auto-created many-to-many (session ↔ member)",
    "safety.Drill_attendees": "auto-created many-to-many (drill ↔ member)",
    "safety.Inspection_inspectors": "auto-created many-to-many (inspection ↔ member)",
}

# Union-owned tables with the key but a plain (unscoped) default manager, and why.
UNSCOPED_BY_DESIGN = {
    "orgs.RoleAssignment": (
        "read before any scope exists: it is what the request's scope is computed from"
        " (gonghui/orgs/access.py); written only by orgs.services"
    ),
}


def _label(model) -> str:
    return model._meta.label


def _tables() -> list:
    """Every concrete table the project creates, including many-to-many tables."""
    return [
        m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.managed and not m._meta.proxy
    ]


def _links(model) -> list:
    return [
        f.related_model
        for f in model._meta.get_fields()
        if f.concrete and f.is_relation and (f.many_to_one or f.one_to_one)
    ]


def union_owned(tables=None) -> set:
    """Models that point at a union, directly or through rows that do."""
    tables = _tables() if tables is None else tables
    owned = {Union}
    changed = True
    while changed:
        changed = False
        for model in tables:
            if model not in owned and any(target in owned for target in _links(model)):
                owned.add(model)
                changed = True
    return owned


def _union_field(model):
    try:
        field = model._meta.get_field("union")
    except Exception:  # noqa: BLE001 - FieldDoesNotExist
        return None
    if (field.many_to_one or field.one_to_one) and field.related_model is Union:
        return field
    return None


def test_the_discovery_finds_the_union_owned_tables_including_those_reached_through_others():
    owned = {_label(m) for m in union_owned()}
    # A direct key, one reached through a member, and an auto-created many-to-many table.
    assert {"members.Member", "finance.DuesPayment", "activities.Club_members"} <= owned
    # Accounts and their tokens belong to a person, not to a union.
    assert "orgs.User" not in owned
    assert "api.ApiToken" not in owned


def without_key(owned) -> list[str]:
    """The union-owned models, not excused, that have no non-null `union` key."""
    problems = []
    for model in owned:
        if _label(model) in WITHOUT_TENANT_KEY:
            continue
        field = _union_field(model)
        if field is None:
            problems.append(f"{_label(model)}: 没有 union 外键")
        elif field.null:
            problems.append(f"{_label(model)}: union 可为空")
    return sorted(problems)


def test_every_union_owned_model_has_a_non_null_union_key_or_a_written_reason():
    missing = without_key(union_owned())
    assert not missing, (
        "这些表属于某个工会，却没有非空的 union 外键（租户键）：给模型继承 ScopedModel，"
        "或在 WITHOUT_TENANT_KEY 中写明理由：\n" + "\n".join(missing)
    )


def test_the_list_of_exceptions_names_only_tables_that_still_need_it():
    by_label = {_label(m): m for m in _tables()}
    owned = union_owned()
    stale = sorted(
        label
        for label in WITHOUT_TENANT_KEY
        if label not in by_label
        or by_label[label] not in owned
        or (label != "orgs.Union" and _union_field(by_label[label]) is not None)
    )
    assert not stale, f"WITHOUT_TENANT_KEY 中这些条目已不需要，请删去：{stale}"


def _refuses_unscoped(model) -> bool:
    """True if the default manager refuses a query while scoping is on but no union
    is in scope (the test suite turns scoping off by default, gonghui/conftest.py)."""
    try:
        with scope():
            model._default_manager.filter(pk=None)
    except ScopeError:
        return True
    return False


def test_every_union_owned_model_refuses_queries_outside_a_scope():
    unscoped = sorted(
        _label(m)
        for m in union_owned()
        if _union_field(m) is not None
        and _label(m) not in UNSCOPED_BY_DESIGN
        and not _refuses_unscoped(m)
    )
    assert not unscoped, (
        "这些表有 union 外键，默认管理器却在没有作用域时照样查询（django-scopes 的"
        " ScopedManager 会拒绝），查询不会被限制在当前用户可见的工会：\n" + "\n".join(unscoped)
    )


def test_the_tables_left_unscoped_on_purpose_still_are():
    stale = sorted(
        label for label in UNSCOPED_BY_DESIGN if _refuses_unscoped(apps.get_model(label))
    )
    assert not stale, f"UNSCOPED_BY_DESIGN 中这些条目已不需要，请删去：{stale}"


def _schema(table: str) -> dict:
    """What the database says about a table: which columns may be null, the first
    column of each index, and the foreign keys as (column, table, column).

    SQLite is read with PRAGMAs: Django's SQLite introspection splits a table's SQL
    on ", " and trips over a CHECK (... IN (1, 3, 12)) constraint."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"PRAGMA table_info({quoted})")
            nullable = {row[1]: not row[3] for row in cursor.fetchall()}
            cursor.execute(f"PRAGMA index_list({quoted})")
            first = set()
            for index in [row[1] for row in cursor.fetchall()]:
                cursor.execute(f"PRAGMA index_info({connection.ops.quote_name(index)})")
                columns = sorted(cursor.fetchall())
                if columns:
                    first.add(columns[0][2])
            cursor.execute(f"PRAGMA foreign_key_list({quoted})")
            foreign = {(row[3], row[2], row[4]) for row in cursor.fetchall()}
        else:
            description = connection.introspection.get_table_description(cursor, table)
            nullable = {c.name: c.null_ok for c in description}
            constraints = connection.introspection.get_constraints(cursor, table)
            first = {
                c["columns"][0]
                for c in constraints.values()
                if c["columns"] and (c["index"] or c["unique"] or c["primary_key"])
            }
            foreign = {
                (c["columns"][0], *c["foreign_key"])
                for c in constraints.values()
                if c["foreign_key"] and len(c["columns"]) == 1
            }
    return {"nullable": nullable, "first": first, "foreign": foreign}


def test_the_database_holds_a_not_null_indexed_union_id_in_every_union_owned_table():
    problems = []
    with connection.cursor() as cursor:
        tables = set(connection.introspection.table_names(cursor))
    for model in sorted(union_owned(), key=_label):
        field = _union_field(model)
        if field is None:
            continue
        table = model._meta.db_table
        if table not in tables:
            problems.append(f"{_label(model)}: 数据库中没有表 {table}（缺迁移？）")
            continue
        schema = _schema(table)
        if field.column not in schema["nullable"]:
            problems.append(f"{table}: 没有 {field.column} 列")
        elif schema["nullable"][field.column]:
            problems.append(f"{table}.{field.column}: 数据库中允许为空")
        elif field.column not in schema["first"]:
            problems.append(f"{table}: 没有以 {field.column} 开头的索引")
    assert not problems, f"{connection.vendor} 数据库中的租户键不完整：\n" + "\n".join(problems)


def test_the_union_id_columns_reference_the_union_table_in_the_database():
    target = (Union._meta.db_table, "id")
    dangling = sorted(
        model._meta.db_table
        for model in union_owned()
        if (field := _union_field(model)) is not None
        and (field.column, *target) not in _schema(model._meta.db_table)["foreign"]
    )
    assert not dangling, f"这些表的 union_id 没有指向 {target[0]} 的外键约束：{dangling}"


def test_a_table_reaching_a_union_only_through_a_member_is_reported():
    """The check is not vacuous: a table with a link to a member and no key of its
    own, or with a key that may be empty, is named."""

    class Note(models.Model):
        member = models.ForeignKey("members.Member", on_delete=models.CASCADE)

        class Meta:
            app_label = "hardening"

        def __str__(self):
            return "note"

    class Memo(models.Model):
        union = models.ForeignKey(Union, null=True, on_delete=models.CASCADE)

        class Meta:
            app_label = "hardening"

        def __str__(self):
            return "memo"

    try:
        owned = union_owned([*_tables(), Note, Memo])
        assert [p for p in without_key(owned) if p.startswith("hardening.")] == [
            "hardening.Memo: union 可为空",
            "hardening.Note: 没有 union 外键",
        ]
    finally:
        for name in ("note", "memo"):
            apps.all_models["hardening"].pop(name, None)
        apps.clear_cache()
