"""Mark a union's summary figures stale when any of its records changes.

Every saved or deleted row of a model with a `union` foreign key (and every
change to a many-to-many link of one, and a union's own row) marks the table
written as changed for that union once its transaction commits (one upsert
per union, table and transaction). `rollup.services.stored_unit_values` then
declines to answer a figure that read that table until `gonghui rollup
refresh --stale` has recomputed it, and the refresh recomputes only those
figures. Rows written with COPY or `QuerySet.update` send no signal: writers
that move records between unions in bulk call `services.mark_changed`, which
marks every table (the union merge does, below).
"""

import functools
import threading

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

_pending = threading.local()
_SKIP_APPS = {"rollup", "auditlog", "sessions", "admin", "contenttypes"}
# A secret vote leaves no time behind (DESIGN.md, secret ballot): not even a
# union's "changed at" may move when a ballot or evaluation sheet is written.
# Their counts reach the summary when the election or evaluation is closed.
_SECRET_MODELS = {
    "democracy.Ballot",
    "democracy.RollEntry",
    "democracy.VotingCode",
    "democracy.EvaluationRoll",
    "democracy.EvaluationSheet",
}


def _tracked(sender) -> bool:
    cached = _TRACKED.get(sender)
    if cached is None:
        meta = sender._meta
        cached = (meta.app_label not in _SKIP_APPS and meta.label not in _SECRET_MODELS) and any(
            f.name == "union"
            and f.is_relation
            and f.many_to_one
            and f.related_model._meta.label == "orgs.Union"
            for f in meta.concrete_fields
        )
        _TRACKED[sender] = cached
    return cached


_TRACKED: dict = {}


def _changed(sender, instance, **kwargs) -> None:
    if kwargs.get("raw"):
        return
    if sender._meta.label == "orgs.Union":
        # Its headcount is the membership rate's denominator.
        union_id = instance.pk
    elif sender._meta.auto_created and kwargs.get("action", "").startswith("post_"):
        # A many-to-many link (attendees, visitors…) of a union's record.
        union_id = getattr(instance, "union_id", None)
    elif _tracked(sender):
        union_id = getattr(instance, "union_id", None)
    else:
        return
    if union_id is None:
        return
    # The table written: for a many-to-many link, the link table itself.
    mark = (union_id, sender._meta.db_table)
    from gonghui.rollup.services import mark_tables

    conn = transaction.get_connection()
    if not conn.in_atomic_block:
        mark_tables([mark])
        return
    # One mark per union, table and transaction. Django replaces its list of
    # commit hooks after a commit, a rollback or a rolled-back savepoint (which
    # drops the hooks registered inside it), so a new list means a new hook.
    state = getattr(_pending, "state", None)
    if state is None or state[0] is not conn.run_on_commit:
        marks: set[tuple[int, str]] = set()
        transaction.on_commit(functools.partial(mark_tables, marks))
        state = _pending.state = (conn.run_on_commit, marks)
    state[1].add(mark)


def _merged(sender, **kwargs) -> None:
    from gonghui.rollup.services import mark_changed

    mark_changed([kwargs["source"].pk, kwargs["target"].pk])


def connect() -> None:
    post_save.connect(_changed, dispatch_uid="rollup-changed-save")
    # A delete is listened to per tracked model: a receiver for every model
    # would make each queryset's delete() load its rows to send the signal,
    # the summary tables' own included (414,000 rows a city refresh).
    from django.apps import apps

    for model in apps.get_models():
        if model._meta.label == "orgs.Union" or _tracked(model):
            post_delete.connect(
                _changed, sender=model, dispatch_uid=f"rollup-changed-delete-{model._meta.label}"
            )
    m2m_changed.connect(_changed, dispatch_uid="rollup-changed-links")
    try:
        from gonghui.orgs.services import union_merged
    except ImportError:  # the restructuring services are not there yet
        return
    union_merged.connect(_merged, dispatch_uid="rollup-union-merged")
