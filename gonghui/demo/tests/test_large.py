"""A tiny city built the way scale l builds it: ledgers and areas written in
bulk (COPY on PostgreSQL), keeping what the services would have kept."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest
from auditlog.models import LogEntry
from django.db import transaction
from django.db.models import Count, F, Q, Sum
from django.test import override_settings
from django_scopes import scopes_disabled

from gonghui.activities.models import Activity, SignUp, SignUpState
from gonghui.care.models import Donation, DonationCampaign
from gonghui.demo import ledgers, scales
from gonghui.demo.tests.dates import SEED, TODAY
from gonghui.finance.models import (
    Allocation,
    BudgetLine,
    Category,
    DuesImport,
    DuesPayment,
    Income,
    Payment,
    UpwardTransfer,
)
from gonghui.members.models import Member, Status
from gonghui.orgs.models import Union
from gonghui.periods import Period
from gonghui.reports import registry
from gonghui.rollup.models import Change

MEMBERS = 240
LAST_YEAR = Period(date(TODAY.year - 1, 1, 1), date(TODAY.year - 1, 12, 31))
THIS_YEAR = Period(date(TODAY.year, 1, 1), TODAY)


@pytest.fixture(scope="module")
def built_city(django_db_setup, django_db_blocker):
    """Two grassroots unions with their ledgers, built once for the module and
    rolled back after it."""
    with django_db_blocker.unblock(), scopes_disabled():
        with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
            with transaction.atomic():
                scales.build_large(seed=SEED, today=TODAY, unions=2, members=MEMBERS)
                yield list(Union.objects.filter(code__startswith="nb-l-").order_by("pk"))
                transaction.set_rollback(True)


@pytest.fixture
def units(built_city, db):
    return built_city


def test_every_member_is_counted_once_by_the_live_figures(units):
    ids = [u.pk for u in units]
    assert Member.objects.filter(union__in=ids).count() == MEMBERS
    active = Member.objects.filter(union__in=ids, status=Status.ACTIVE).count()
    assert registry.value("members.at_end", ids, THIS_YEAR) == active
    each = sum(registry.value("members.at_end", [pk], THIS_YEAR) for pk in ids)
    assert each == active


def test_every_budget_lines_actual_is_what_was_booked_to_it(units):
    lines = BudgetLine.objects.filter(union__in=units)
    assert lines.count() >= 2 * 2 * len(ledgers.LINES)
    for line in lines:
        paid = Payment.objects.filter(line=line).aggregate(s=Sum("amount"))["s"] or 0
        received = Income.objects.filter(line=line).aggregate(s=Sum("amount"))["s"] or 0
        assert line.actual == paid + received, line.name


def test_the_live_totals_equal_the_rows_written_in_bulk(units):
    ids = [u.pk for u in units]
    for period in (LAST_YEAR, THIS_YEAR):
        on = Q(union__in=ids, on__gte=period.start, on__lte=period.end)
        paid = Payment.objects.filter(on).aggregate(s=Sum("amount"))["s"]
        received = Income.objects.filter(on).aggregate(s=Sum("amount"))["s"]
        assert paid > 0 and received > 0
        assert registry.value("finance.expenditure_total", ids, period) == paid
        assert registry.value("finance.income_total", ids, period) == received


def test_only_payments_on_lines_gone_over_budget_are_flagged(units):
    for line in BudgetLine.objects.filter(union__in=units, actual__lte=F("budget")):
        assert not Payment.objects.filter(line=line, over_budget=True).exists(), line.name
    flagged = Payment.objects.filter(union__in=units, over_budget=True)
    for payment in flagged.select_related("line"):
        assert payment.line.actual > payment.line.budget


def test_each_dues_deduction_adds_up_to_its_batch_and_its_income(units):
    batches = DuesImport.objects.filter(union__in=units).select_related("income")
    assert batches.count() == 2 * (12 + TODAY.month - 1)
    for batch in batches.annotate(paid=Sum("payments__amount"), rows_=Count("payments")):
        assert batch.paid == batch.total == batch.income.amount
        assert batch.rows_ == batch.rows
    assert not DuesPayment.objects.filter(union__in=units, amount__lte=0).exists()


def test_allocations_were_received_in_full_and_their_share_passed_up(units):
    allocations = Allocation.objects.filter(union__in=units)
    assert allocations.exists()
    for allocation in allocations:
        received = Income.objects.get(linked_id=allocation.pk, category=Category.ALLOCATION)
        assert received.amount == allocation.amount_due
        share = (allocation.amount_due * allocation.upward_share).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP
        )
        sent = UpwardTransfer.objects.filter(allocation=allocation)
        assert sum(t.amount for t in sent) in (0, share)


def test_seats_taken_match_admitted_sign_ups_and_waiting_lists_count_from_one(units):
    activities = Activity.objects.filter(union__in=units, capacity__isnull=False)
    assert activities.exists()
    for activity in activities:
        admitted = SignUp.objects.filter(activity=activity, state=SignUpState.ADMITTED)
        assert activity.admitted == admitted.count() <= activity.capacity
        waiting = sorted(
            SignUp.objects.filter(activity=activity, state=SignUpState.WAITING).values_list(
                "position", flat=True
            )
        )
        assert waiting == list(range(1, len(waiting) + 1))
        assert activity.next_position == len(waiting)
        attended = set(activity.attendances.values_list("member_id", flat=True))
        assert attended <= set(admitted.values_list("member_id", flat=True))


def test_the_campaign_raised_what_the_seed_report_says(units):
    for campaign in DonationCampaign.objects.filter(union__in=units):
        raised = Donation.objects.filter(campaign=campaign).aggregate(s=Sum("amount"))["s"]
        assert raised == Decimal("12228.70")
        days = Donation.objects.filter(campaign=campaign).values_list("on", flat=True)
        assert all(campaign.opens_on <= day <= campaign.closes_on for day in days)


def test_no_audit_entries_are_written_and_each_union_is_marked_for_the_summaries(units):
    assert not LogEntry.objects.filter(actor__username=scales.LEDGER_CLERK).exists()
    assert set(Change.objects.values_list("union_id", flat=True)) >= {u.pk for u in units}
