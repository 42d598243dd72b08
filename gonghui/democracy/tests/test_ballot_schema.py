"""The ballot's storage itself keeps the secret (DESIGN.md "Secret ballot")."""

from auditlog.registry import auditlog
from django.apps import apps
from django.conf import settings
from django.db import models

from gonghui.democracy.models import Ballot, EvaluationSheet, RollEntry
from gonghui.members.models import Member

TIME_FIELDS = (
    models.DateField,
    models.TimeField,
    models.DurationField,
)  # DateTimeField is a DateField


def reachable_models(start) -> set:
    """Every model reachable from `start` by following forward relations
    (foreign keys, one-to-ones, many-to-manys declared on the model), transitively."""
    seen, todo = set(), [start]
    while todo:
        model = todo.pop()
        if model in seen:
            continue
        seen.add(model)
        for field in model._meta.get_fields():
            forward = (
                field.is_relation
                and field.concrete
                or (field.many_to_many and not field.auto_created)
            )
            if forward and field.related_model is not None:
                todo.append(field.related_model)
    return seen


def test_no_chain_of_relations_leads_from_a_ballot_to_a_member_or_an_account():
    reached = reachable_models(Ballot)

    assert Member not in reached
    assert apps.get_model(settings.AUTH_USER_MODEL) not in reached


def test_no_chain_of_relations_leads_from_an_evaluation_sheet_to_a_member_or_an_account():
    reached = reachable_models(EvaluationSheet)

    assert Member not in reached
    assert apps.get_model(settings.AUTH_USER_MODEL) not in reached


def test_the_path_check_would_notice_a_link_to_a_member():
    assert Member in reachable_models(RollEntry)


def test_a_ballot_has_no_date_or_time_field():
    assert [f.name for f in Ballot._meta.get_fields() if isinstance(f, TIME_FIELDS)] == []


def test_a_ballot_is_keyed_by_a_random_uuid_not_a_sequence():
    pk = Ballot._meta.pk

    assert isinstance(pk, models.UUIDField)
    assert not any(isinstance(f, models.AutoField) for f in Ballot._meta.get_fields())
    assert Ballot().pk != Ballot().pk


def test_ballots_are_listed_by_receipt_never_in_the_order_they_were_written():
    assert Ballot._meta.ordering == ["receipt"]


def test_ballots_rolls_and_evaluation_sheets_are_kept_out_of_the_audit_log():
    for model in (Ballot, RollEntry, EvaluationSheet):
        assert not auditlog.contains(model)
