"""The dues metrics count in SQL what finance.dues.DuesBook decides member by
member in Python; on varied ledgers both must name the same members in arrears
and owe the same amount to the fen."""

import random
from datetime import date, timedelta
from decimal import Decimal

import pytest

from gonghui.finance import dues, queries, services
from gonghui.finance.models import Rounding
from gonghui.finance.tests.factories import dues_line, pay_dues
from gonghui.members.models import Member, Status
from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs.tests.factories import UnionFactory
from gonghui.periods import Period
from gonghui.reports import registry

pytestmark = pytest.mark.django_db

YEAR = Period(date(2025, 1, 1), date(2025, 12, 31))


def _varied_ledger(seed: int):
    """A union whose members join and leave at odd dates, with one or two bases
    (some with their own rate, one rounding to zero), exemptions with and without
    an end, and payments for some of their owed months."""
    rng = random.Random(seed)
    union = UnionFactory()
    dues_line(union, 2024)
    dues_line(union, 2025)
    services.update_finance_settings(
        union=union,
        dues_rate=rng.choice([Decimal("0.005"), Decimal("0.003"), Decimal("0.01")]),
        rounding=rng.choice(list(Rounding.values)),
        allocation_rate=Decimal("0.02"),
        upward_share=Decimal("0.4"),
    )
    members = []
    for _ in range(10):
        joined = date(2024, 1, 1) + timedelta(days=rng.randrange(700))
        left = joined + timedelta(days=rng.randrange(30, 300)) if rng.random() < 0.3 else None
        member = MemberFactory(
            union=union,
            joined_on=joined,
            left_on=left,
            status=Status.RETIRED if left else Status.ACTIVE,
        )
        members.append(member)
        first_base = date(2024, rng.randrange(1, 13), 1)
        if left is not None:
            first_base = min(first_base, dues.month_of(left))
        tiny = rng.random() < 0.1
        services.set_dues_base(
            member=member,
            base=Decimal("0.50") if tiny else Decimal(rng.randrange(250000, 1200000)) / 100,
            since=first_base,
            rate=Decimal("0.008") if rng.random() < 0.2 else None,
        )
        if left is None and rng.random() < 0.5:
            services.set_dues_base(
                member=member,
                base=Decimal(rng.randrange(300000, 1500000)) / 100,
                since=date(2025, rng.randrange(1, 13), 1),
            )
        if left is None and rng.random() < 0.3:
            start = date(2024, rng.randrange(6, 13), 1)
            end = date(2025, rng.randrange(1, 13), 1) if rng.random() < 0.5 else None
            services.exempt_from_dues(
                member=member, starts_on=start, ends_on=end, reason="长期病休"
            )
    book = dues.DuesBook.load(unions=[union.pk])
    for member in members:
        for month, amount in book.owed_months(member, date(2024, 1, 1), date(2025, 12, 1)):
            if rng.random() < 0.7:
                pay_dues(member, month, str(amount), paid_on=date(2025, 12, 20))
    return union


@pytest.mark.parametrize("seed", range(4))
def test_members_in_arrears_in_sql_are_those_the_dues_book_lists(seed):
    union = _varied_ledger(seed)
    for on in (date(2024, 9, 30), date(2025, 6, 15), date(2025, 12, 31)):
        period = Period(date(on.year, 1, 1), on)
        expected = {row.member.pk for row in queries.arrears(unions=[union.pk], on=on)}
        records = registry.get("finance.dues_arrears_members").records_for([union.pk], period)
        assert set(records.values_list("pk", flat=True)) == expected


@pytest.mark.parametrize("seed", range(4))
def test_dues_owed_in_sql_equals_the_dues_book_to_the_fen(seed):
    union = _varied_ledger(seed)
    book = dues.DuesBook.load(unions=[union.pk])
    members = list(Member.objects.filter(union=union))
    for first, last in ((date(2024, 1, 1), date(2024, 12, 31)), (YEAR.start, YEAR.end)):
        expected = dues.owed_total(members, book, first, last)
        assert dues.owed_sum(unions=[union.pk], first=first, last=last) == expected


def _month_ends(year: int) -> list[date]:
    return [dues.next_month(date(year, m, 1)) - timedelta(days=1) for m in range(1, 13)]


@pytest.mark.parametrize("seed", range(2))
def test_every_unions_arrears_at_every_month_end_counted_together_are_the_dues_books(seed):
    unions = [_varied_ledger(seed), _varied_ledger(seed + 10)]
    ids = [u.pk for u in unions]
    m = registry.get("finance.dues_arrears_members")
    with registry.parts():  # as the summary tables ask: one query for the year
        together = {on: m.per_union(ids, Period(date(2025, 1, 1), on)) for on in _month_ends(2025)}
    for on in _month_ends(2025):
        for union in unions:
            expected = len(queries.arrears(unions=[union.pk], on=on))
            assert together[on].get(union.pk, 0) == expected, (on, union.pk)


@pytest.mark.parametrize("seed", range(2))
def test_each_unions_arrears_asked_alone_are_the_dues_books(seed):
    union = _varied_ledger(seed)
    m = registry.get("finance.dues_arrears_members")
    for on in (date(2024, 9, 30), date(2025, 6, 15)):
        expected = len(queries.arrears(unions=[union.pk], on=on))
        assert m.per_union([union.pk], Period(date(on.year, 1, 1), on)).get(union.pk, 0) == expected


@pytest.mark.parametrize("seed", range(2))
def test_dues_owed_month_by_month_add_up_to_the_dues_book_for_any_span(seed):
    union = _varied_ledger(seed)
    book = dues.DuesBook.load(unions=[union.pk])
    members = list(Member.objects.filter(union=union))
    m = registry.get("finance.dues_collection_rate")
    spans = [
        (date(2025, 1, 1), date(2025, 3, 31)),
        (date(2025, 5, 1), date(2025, 5, 31)),
        (YEAR.start, YEAR.end),
    ]
    with registry.parts():  # the years counted once, month by month
        shared = {span: m.denominators_of([union.pk], Period(*span)) for span in spans}
    for first, last in spans:
        expected = dues.owed_total(members, book, first, last)
        assert shared[(first, last)][union.pk] == expected
        assert m.denominators_of([union.pk], Period(first, last))[union.pk] == expected


@pytest.mark.parametrize(
    "rounding, base, owed",
    [
        (Rounding.FEN, "2501.00", "12.51"),  # 12.505: half a fen rounds up
        (Rounding.FEN, "2500.80", "12.50"),  # 12.504
        (Rounding.JIAO, "2510.00", "12.60"),  # 12.55: half a jiao rounds up
        (Rounding.JIAO, "2509.80", "12.50"),  # 12.549
        (Rounding.YUAN_UP, "2402.00", "13.00"),  # 12.01 goes up to the next yuan
        (Rounding.YUAN_UP, "2400.00", "12.00"),
    ],
)
def test_each_months_dues_counted_in_sql_round_by_the_unions_rule_on_the_boundary(
    rounding, base, owed
):
    union = UnionFactory()
    services.update_finance_settings(
        union=union,
        dues_rate=Decimal("0.005"),
        rounding=rounding,
        allocation_rate=Decimal("0.02"),
        upward_share=Decimal("0.4"),
    )
    member = MemberFactory(union=union, joined_on=date(2024, 1, 1))
    services.set_dues_base(member=member, base=Decimal(base), since=date(2025, 1, 1))
    months = dues.owed_by_union_month(
        unions=[union.pk], first=date(2025, 1, 1), last=date(2025, 2, 28)
    )
    assert months == {
        (union.pk, date(2025, 1, 1)): Decimal(owed),
        (union.pk, date(2025, 2, 1)): Decimal(owed),
    }
    book = dues.DuesBook.load(unions=[union.pk])
    assert book.owed(member, date(2025, 1, 1)) == Decimal(owed)
