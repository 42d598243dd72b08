"""Consents for tests; other apps' factories give them before storing a
sensitive category, the way the union must."""

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from gonghui.privacy.models import Channel, Consent
from gonghui.privacy.purposes import Category, purpose_of


class ConsentFactory(DjangoModelFactory):
    """A current consent given by the member in the portal."""

    class Meta:
        model = Consent

    member = factory.SubFactory("gonghui.members.tests.factories.MemberFactory")
    union = factory.LazyAttribute(lambda o: o.member.union)
    category = Category.HARDSHIP
    purpose_version = factory.LazyAttribute(lambda o: purpose_of(o.category).version)
    purpose_text = factory.LazyAttribute(lambda o: purpose_of(o.category).text)
    given_at = factory.LazyFunction(timezone.now)
    channel = Channel.PORTAL


def consented(member, *categories):
    """Give `member` a current consent to each category she does not hold yet."""
    held = set(
        Consent.objects.filter(member=member, withdrawn_at=None).values_list("category", flat=True)
    )
    for category in categories:
        if category not in held:
            ConsentFactory(member=member, category=category)
    return member
