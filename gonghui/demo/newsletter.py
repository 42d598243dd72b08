"""The demo's newsletters (工会简报): the last three full months of each union
generated from its records and published, the way a union office would have
issued them, so the portal and the back office show real issues. Written last,
after every area has filled its months."""

import random
from datetime import date, timedelta

from django.db import transaction

from gonghui.orgs.models import Union
from gonghui.reports import newsletter_services as newsletters
from gonghui.reports.models import Newsletter

MONTHS = 3


def months_before(today: date, count: int) -> list[date]:
    """The first days of the `count` full months before today's, oldest first."""
    month = today.replace(day=1)
    found = []
    for _ in range(count):
        month = (month - timedelta(days=1)).replace(day=1)
        found.append(month)
    return found[::-1]


@transaction.atomic
def fill(*, union: Union, rng: random.Random, today: date, actor) -> None:
    """Generate and publish the last full months' newsletters; a month with no
    records gets none (an empty issue is never published).

    The city scale fills its 2,000 unions through an inactive ledger clerk, for
    volume only: no one signs in to those unions' portals, and three issues
    each (about a third of a second apiece) would add many minutes to the
    build, so they get none."""
    if not actor.is_active:
        return
    for month in months_before(today, MONTHS):
        if Newsletter.objects.filter(union=union, month=month).exists():
            continue
        issue = newsletters.generate(union=union, month=month, actor=actor, today=today)
        if not issue.items.exists():
            issue.delete()
            continue
        newsletters.publish(newsletter=issue, actor=actor)
