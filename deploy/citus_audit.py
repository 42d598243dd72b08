"""Audit the schema for distribution by `union_id` (Citus' multi-tenant model).

Prints, from the models (no database needed), what docs/scaling.md lists
under "What has to change":

- union-owned tables without a `union_id` key (the test
  gonghui/hardening/tests/test_tenant_key.py keeps this list from growing);
- unique constraints and unique columns of union-owned tables that do not
  include `union_id` (Citus enforces uniqueness only within a shard, so it
  refuses them on a distributed table);
- foreign keys between union-owned tables (Citus needs them to include the
  distribution column: `(union_id, x_id)` → `(union_id, id)`);
- tables that are not union-owned: reference tables or coordinator-local.

    .venv/bin/python deploy/citus_audit.py            # a Markdown report
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gonghui.settings")
    import django

    django.setup()
    from django.apps import apps
    from django.db import models

    from gonghui.orgs.models import Union

    tables = [m for m in apps.get_models(include_auto_created=True) if m._meta.managed]

    def links(model):
        return [
            f
            for f in model._meta.get_fields()
            if f.concrete and f.is_relation and (f.many_to_one or f.one_to_one)
        ]

    owned = {Union}
    changed = True
    while changed:
        changed = False
        for m in tables:
            if m not in owned and any(f.related_model in owned for f in links(m)):
                owned.add(m)
                changed = True
    distributed = sorted(
        (m for m in owned if m is not Union and _has_key(m, Union)), key=lambda m: m._meta.label
    )

    print(f"## Distributed by union_id ({len(distributed)} tables)\n")
    print(", ".join(f"`{m._meta.db_table}`" for m in distributed) + "\n")

    print("## Union-owned without union_id\n")
    for m in sorted(owned - set(distributed) - {Union}, key=lambda m: m._meta.label):
        print(f"- `{m._meta.db_table}` ({m._meta.label})")

    print("\n## Unique constraints without union_id\n")
    for m in distributed:
        found = []
        for f in m._meta.local_fields:
            if f.unique and not f.primary_key:
                found.append(f"`{f.column}` unique")
        for c in m._meta.constraints:
            if isinstance(c, models.UniqueConstraint):
                fields = list(c.fields)
                if "union" not in fields:
                    cond = " (partial)" if c.condition is not None else ""
                    found.append(f"`{c.name}` ({', '.join(fields)}){cond}")
        for ut in m._meta.unique_together:
            if "union" not in ut:
                found.append(f"unique_together ({', '.join(ut)})")
        if found:
            print(f"- `{m._meta.db_table}`: " + "; ".join(found))

    print("\n## Foreign keys between distributed tables (need union_id in the key)\n")
    count = 0
    for m in distributed:
        for f in links(m):
            if f.related_model in distributed:
                count += 1
    print(f"{count} foreign keys; e.g. every `member_id` → `members_member`.\n")

    print("## Not union-owned (reference or coordinator-local)\n")
    for m in sorted(set(tables) - owned, key=lambda m: m._meta.label):
        print(f"- `{m._meta.db_table}` ({m._meta.label})")
    return 0


def _has_key(model, union) -> bool:
    try:
        field = model._meta.get_field("union")
    except Exception:  # noqa: BLE001 - FieldDoesNotExist
        return False
    return field.related_model is union and not field.null


if __name__ == "__main__":
    sys.exit(main())
