"""The rows about one member across every app, found from the model graph so
an app added later is covered the day it lands.

A row is *about* the member when it points at her through a member field and
is not principally about someone else: an opinion she handles as a cadre, or
a visit she made to other members, also has a `member`/`members` field naming
the person it is about, and is left out.
"""

from dataclasses import dataclass

from django.db import models

from gonghui.members.models import Member

SUBJECT_FIELDS = ("member", "members")


@dataclass(frozen=True)
class Relation:
    model: type
    field: models.Field

    @property
    def title(self) -> str:
        title = str(self.model._meta.verbose_name_plural)
        if self.field.name not in SUBJECT_FIELDS:
            title += f"（{self.field.verbose_name}）"
        return title

    def rows(self, member: Member):
        return self.model._base_manager.filter(**{self.field.name: member}).order_by("pk")


def _points_at_member(field) -> bool:
    return field.is_relation and field.related_model is Member


def relations() -> list[Relation]:
    """Every (model, field) through which a row is about a member, in app order."""
    found = []
    for rel in Member._meta.get_fields(include_hidden=True):
        if not (rel.auto_created and not rel.concrete):
            continue
        model, field = rel.related_model, rel.field
        if model._meta.auto_created:  # the through table of a many-to-many
            continue
        if model is Member:
            continue
        subject = [
            f
            for f in model._meta.get_fields()
            if not f.auto_created and f.name in SUBJECT_FIELDS and _points_at_member(f)
        ]
        if subject and field not in subject:
            continue
        found.append(Relation(model, field))
    return found
