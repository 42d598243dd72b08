"""Opinions built through voice.services."""

from datetime import timedelta

from django.utils import timezone

from gonghui.finance.tests.factories import staff
from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs.tests.factories import UnionFactory
from gonghui.voice import services


def opinion(union=None, member=None, **kwargs):
    union = union or (member.union if member else UnionFactory())
    member = member or MemberFactory(union=union)
    return services.submit_opinion(
        union=union,
        member=member,
        content=kwargs.pop("content", "建议在车间增设饮水点"),
        category=kwargs.pop("category", "living"),
        kind=kwargs.pop("kind", "suggestion"),
        submitted_on=kwargs.pop("submitted_on", timezone.localdate() - timedelta(days=20)),
        **kwargs,
    )


def valid(union=None, **kwargs):
    found = opinion(union, **kwargs)
    actor = staff(found.union)
    services.judge(
        opinion=found,
        valid=True,
        on=found.submitted_on + timedelta(days=2),
        handler=MemberFactory(union=found.union),
        deadline=found.submitted_on + timedelta(days=30),
        actor=actor,
    )
    return found
