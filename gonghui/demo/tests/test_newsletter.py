"""The school demo carries the last three months' newsletters, published,
each written from that month's records."""

import random
from datetime import date

from gonghui.demo.newsletter import fill, months_before
from gonghui.demo.tests.dates import TODAY
from gonghui.orgs.tests.factories import UserFactory
from gonghui.periods import Period
from gonghui.reports import registry
from gonghui.reports.models import Newsletter, NewsletterState
from gonghui.reports.tests.newsletter_records import month_of_records


def test_months_before_are_the_full_months_before_todays_oldest_first():
    assert months_before(date(2026, 1, 15), 3) == [
        date(2025, 10, 1),
        date(2025, 11, 1),
        date(2025, 12, 1),
    ]


def test_the_school_demo_has_the_last_three_months_published_and_numbered(school):
    issues = list(Newsletter.objects.filter(union=school).order_by("month"))
    assert [n.month for n in issues] == months_before(TODAY, 3)
    assert [n.number for n in issues] == [1, 2, 3]
    assert {n.state for n in issues} == {NewsletterState.PUBLISHED}
    assert all(n.items.count() >= 3 for n in issues)


def test_the_demo_newsletters_figures_are_the_registrys_values_for_their_month(school):
    for issue in Newsletter.objects.filter(union=school):
        for f in issue.figures.all():
            now = registry.value(f.metric_key, [school], Period(f.start, f.end))
            assert f.value == round(now, 2), f.metric_key


def test_months_without_records_get_no_issue_and_the_rest_are_published(db):
    month = month_of_records()
    fill(union=month.union, rng=random.Random(1), today=date(2025, 4, 15), actor=month.chair)
    issues = list(Newsletter.objects.filter(union=month.union).order_by("month"))
    # January has no records; February has one visit, March the whole month.
    assert [(n.month, n.number, n.state) for n in issues] == [
        (date(2025, 2, 1), 1, NewsletterState.PUBLISHED),
        (date(2025, 3, 1), 2, NewsletterState.PUBLISHED),
    ]


def test_unions_filled_by_an_inactive_ledger_clerk_get_no_newsletters(db):
    month = month_of_records()
    clerk = UserFactory(is_active=False)
    fill(union=month.union, rng=random.Random(1), today=date(2025, 4, 15), actor=clerk)
    assert not Newsletter.objects.filter(union=month.union).exists()
