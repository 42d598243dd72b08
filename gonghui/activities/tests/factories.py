from datetime import timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from gonghui.activities.models import Activity, ActivityType, Audience
from gonghui.orgs.tests.factories import UnionFactory


class ActivityFactory(DjangoModelFactory):
    """An activity next week whose sign-up is open now."""

    class Meta:
        model = Activity

    union = factory.SubFactory(UnionFactory)
    title = factory.Sequence(lambda n: f"拔河比赛{n}")
    type = ActivityType.CONTEST
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=2))
    place = "学校操场"
    organiser = "工会文体委员"
    audience = Audience.ALL
    capacity = None
    signup_opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    signup_closes_at = factory.LazyAttribute(lambda o: o.starts_at - timedelta(days=1))
