"""A tiny city built the way scale l builds it: ledgers and areas written in
bulk (COPY on PostgreSQL), keeping what the services would have kept."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest
from auditlog.models import LogEntry
from django.apps import apps
from django.db import transaction
from django.db.models import Count, F, Q, Sum
from django.test import override_settings
from django_scopes import scopes_disabled

from gonghui.activities.models import Activity, SignUp, SignUpState
from gonghui.care.models import (
    AidState,
    Assistance,
    AssistanceSource,
    CaseReview,
    Donation,
    DonationCampaign,
    HardshipCase,
    ReviewOutcome,
    SchoolAid,
)
from gonghui.demo import ledgers, scales
from gonghui.demo.tests.dates import SEED, TODAY
from gonghui.democracy.models import (
    CongressSession,
    Proposal,
    ProposalState,
    Rating,
    Resolution,
    ResolutionState,
    ResolutionVote,
    SessionAttendance,
    SessionState,
    VoteChoice,
    VoteMode,
)
from gonghui.democracy.queries import congress as congress_queries
from gonghui.disclosure.models import Post
from gonghui.finance.models import (
    Allocation,
    BudgetLine,
    Category,
    DuesImport,
    DuesPayment,
    FiscalYear,
    Income,
    Payment,
    UpwardTransfer,
)
from gonghui.learning.queries import exam_results, group_participation
from gonghui.members.models import Member, Status
from gonghui.orgs.models import Union
from gonghui.periods import Period
from gonghui.privacy.models import Consent
from gonghui.privacy.purposes import Category as PrivacyCategory
from gonghui.reports import registry
from gonghui.rollup.models import Change
from gonghui.safety.models import Contest, ContestResult

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


def test_the_ledgers_cover_this_year_only(units):
    assert set(FiscalYear.objects.filter(union__in=units).values_list("year", flat=True)) == {
        TODAY.year
    }
    before = Q(union__in=units, on__lt=THIS_YEAR.start)
    assert not Payment.objects.filter(before).exists()
    assert not Income.objects.filter(before).exists()
    assert not DuesPayment.objects.filter(union__in=units, month__lt=THIS_YEAR.start).exists()


def test_every_budget_lines_actual_is_what_was_booked_to_it(units):
    lines = BudgetLine.objects.filter(union__in=units)
    assert lines.count() >= 2 * len(ledgers.LINES)
    for line in lines:
        paid = Payment.objects.filter(line=line).aggregate(s=Sum("amount"))["s"] or 0
        received = Income.objects.filter(line=line).aggregate(s=Sum("amount"))["s"] or 0
        assert line.actual == paid + received, line.name


def test_the_live_totals_equal_the_rows_written_in_bulk(units):
    ids = [u.pk for u in units]
    on = Q(union__in=ids, on__gte=THIS_YEAR.start, on__lte=THIS_YEAR.end)
    paid = Payment.objects.filter(on).aggregate(s=Sum("amount"))["s"]
    received = Income.objects.filter(on).aggregate(s=Sum("amount"))["s"]
    assert paid > 0 and received > 0
    assert registry.value("finance.expenditure_total", ids, THIS_YEAR) == paid
    assert registry.value("finance.income_total", ids, THIS_YEAR) == received
    assert registry.value("finance.expenditure_total", ids, LAST_YEAR) == 0


def test_only_payments_on_lines_gone_over_budget_are_flagged(units):
    for line in BudgetLine.objects.filter(union__in=units, actual__lte=F("budget")):
        assert not Payment.objects.filter(line=line, over_budget=True).exists(), line.name
    flagged = Payment.objects.filter(union__in=units, over_budget=True)
    for payment in flagged.select_related("line"):
        assert payment.line.actual > payment.line.budget


def test_each_dues_deduction_adds_up_to_its_batch_and_its_income(units):
    batches = DuesImport.objects.filter(union__in=units).select_related("income")
    # This year's months whose deduction, on the 10th of the next, is done.
    assert batches.count() == 2 * (TODAY.month - 1 if TODAY.day >= 10 else TODAY.month - 2)
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


def test_every_reference_written_in_bulk_points_at_a_row(units):
    # On PostgreSQL bulk_load writes without the foreign-key checks; this is them.
    orphans = {}
    for model in apps.get_models(include_auto_created=True):
        if not model.__module__.startswith("gonghui."):
            continue
        for field in model._meta.concrete_fields:
            if not field.is_relation or not field.db_constraint:
                continue
            target = field.target_field
            referenced = field.related_model._base_manager.values(target.attname)
            dangling = (
                model._base_manager.exclude(**{f"{field.attname}__isnull": True})
                .exclude(**{f"{field.attname}__in": referenced})
                .count()
            )
            if dangling:
                orphans[f"{model._meta.label}.{field.name}"] = dangling
    assert Member.objects.filter(union__in=units).exists()
    assert orphans == {}


# Hardship cases, school aid, congresses and proposals, written in bulk at scale l.


def test_each_hardship_case_has_the_consents_file_case_requires(units):
    cases = HardshipCase.objects.filter(union__in=units)
    assert cases.exists()
    for case in cases:
        needed = [PrivacyCategory.HARDSHIP] + (
            [PrivacyCategory.HEALTH] if case.health_details else []
        )
        for category in needed:
            consent = Consent.objects.get(member=case.member, category=category, withdrawn_at=None)
            assert consent.signed_on <= case.filed_on, (case.pk, category)


def test_a_released_case_is_closed_on_its_review_and_the_others_stay_open(units):
    reviews = CaseReview.objects.filter(union__in=units).select_related("case")
    assert reviews.filter(outcome=ReviewOutcome.CONTINUE).exists()
    for review in reviews:
        if review.outcome == ReviewOutcome.RELEASE:
            assert review.case.closed_on == review.on and review.case.close_reason == review.note
        else:
            assert review.case.closed_on is None
        assert review.on >= review.case.filed_on


def test_hardship_review_coverage_counts_every_open_case_reviewed_this_year(units):
    ids = [u.pk for u in units]
    still_open = HardshipCase.objects.filter(union__in=ids, closed_on=None).count()
    assert registry.value("care.hardship_open", ids, THIS_YEAR) == still_open
    assert registry.value("care.hardship_reviewed", ids, THIS_YEAR) == still_open


def test_assistance_is_approved_for_open_cases_and_paid_once_from_the_fund(units):
    helped = Assistance.objects.filter(union__in=units).select_related("case")
    assert helped.filter(source=AssistanceSource.FUND).exists()
    for assistance in helped:
        assert assistance.approved_at is not None
        assert assistance.case.closed_on is None
        paid = Payment.objects.filter(idempotency_key=f"care.assistance.{assistance.pk}")
        if assistance.source == AssistanceSource.FUND:
            (payment,) = paid
            assert payment.amount == assistance.amount and payment.line == assistance.line
            assert payment.voucher == assistance.voucher and payment.on == assistance.on
        else:
            assert not paid.exists() and assistance.line is None
    total = helped.aggregate(s=Sum("amount"))["s"]
    assert registry.value("care.assistance_amount", [u.pk for u in units], THIS_YEAR) == total


def test_school_aid_is_approved_with_a_payment_or_declined_with_a_reason(units):
    aids = SchoolAid.objects.filter(union__in=units)
    assert aids.filter(state=AidState.APPROVED).exists()
    for aid in aids:
        assert aid.decided_on and aid.decided_on >= aid.applied_on
        paid = Payment.objects.filter(idempotency_key=f"care.school_aid.{aid.pk}")
        if aid.state == AidState.APPROVED:
            (payment,) = paid
            assert payment.amount == aid.amount and payment.line_id == aid.line_id
        else:
            assert aid.decline_reason and aid.amount is None and not paid.exists()
    approved = aids.filter(state=AidState.APPROVED)
    ids = [u.pk for u in units]
    assert registry.value("care.school_aid_granted", ids, THIS_YEAR) == approved.count()
    amount = approved.aggregate(s=Sum("amount"))["s"]
    assert registry.value("care.school_aid_amount", ids, THIS_YEAR) == amount


def test_each_congress_session_is_closed_voted_and_published(units):
    sessions = CongressSession.objects.filter(union__in=units).select_related("congress")
    assert sessions.exists()
    for session in sessions:
        assert session.state == SessionState.CLOSED and session.published_at is not None
        quorum = congress_queries.quorum(session)
        assert quorum["reached"]
        on_duty = congress_queries.representatives_on(session.congress, session.date).count()
        assert session.representatives_at_opening == on_duty
        orders = list(session.agenda.order_by("order").values_list("order", flat=True))
        assert orders == list(range(1, len(orders) + 1))
        assert Post.objects.filter(source_id=session.pk, category="resolutions").exists()


def test_each_resolution_counts_its_votes_and_follows_the_pass_rule(units):
    resolutions = Resolution.objects.filter(union__in=units).select_related("session__congress")
    assert resolutions.filter(mode=VoteMode.OPEN).exists()
    assert resolutions.filter(mode=VoteMode.SECRET).exists()
    for r in resolutions:
        present = SessionAttendance.objects.filter(session=r.session).count()
        assert r.present == present
        votes = ResolutionVote.objects.filter(resolution=r)
        if r.mode == VoteMode.OPEN:
            counted = dict(votes.values_list("choice").annotate(n=Count("id")))
            assert r.votes_for == counted.get(VoteChoice.FOR, 0)
            assert r.votes_against == counted.get(VoteChoice.AGAINST, 0)
            assert r.votes_abstain == counted.get(VoteChoice.ABSTAIN, 0)
        else:
            assert not votes.exists() and r.tellers
        assert r.votes_for + r.votes_against + r.votes_abstain <= present
        congress = r.session.congress
        passed = r.votes_for * congress.pass_denominator > r.basis * congress.pass_numerator
        assert r.state == (ResolutionState.PASSED if passed else ResolutionState.FAILED)
    ids = [u.pk for u in units]
    held = CongressSession.objects.filter(union__in=ids, date__year=TODAY.year).count()
    assert registry.value("democracy.sessions_held", ids, THIS_YEAR) == held


def test_proposals_are_numbered_co_signed_and_in_a_state_their_replies_explain(units):
    proposals = Proposal.objects.filter(union__in=units).select_related("session__congress")
    assert proposals.exists()
    for session_id in set(proposals.values_list("session_id", flat=True)):
        numbers = sorted(proposals.filter(session_id=session_id).values_list("number", flat=True))
        assert numbers == list(range(1, len(numbers) + 1))
    for p in proposals:
        session = p.session
        assert session.proposals_open_on <= p.submitted_on <= session.proposals_close_on
        assert p.co_signatures.count() >= session.congress.co_signers_min
        assert p.created_at.date() <= p.submitted_on
        replies = list(p.replies.order_by("round"))
        assert [r.round for r in replies] == list(range(1, len(replies) + 1))
        for reply in replies:
            assert reply.department_id == p.lead_department_id
            assert reply.on_time == (reply.replied_on <= (p.deadline or reply.replied_on))
        if p.state in (ProposalState.ACCEPTED, ProposalState.REPLIED, ProposalState.COMPLETED):
            assert p.lead_department_id and p.deadline and p.decided_on
        if p.state == ProposalState.COMPLETED:
            assert replies[-1].rated_on == p.completed_on
            assert replies[-1].rating != Rating.UNSATISFIED
        if p.reopened:
            assert replies[0].rating == Rating.UNSATISFIED
        if p.state == ProposalState.REJECTED:
            assert p.decision_reason and not replies
    assert proposals.filter(state=ProposalState.COMPLETED).exists()


def test_the_safety_contest_sat_as_an_exam_has_the_results_its_sittings_give(units):
    contests = Contest.objects.filter(union__in=units, exam_id__isnull=False)
    assert contests.exists()
    for contest in contests:
        scores: dict[int, list] = {}
        for member, score, _passed in exam_results(contest.exam):
            scores.setdefault(member.group_id, []).append(Decimal(str(score)))
        expected = {
            line.group.pk: (
                max(line.audience, line.took),
                line.took,
                line.passed,
                (sum(scores[line.group.pk]) / line.took).quantize(Decimal("0.1")),
            )
            for line in group_participation(contest.exam)
            if line.group is not None and line.took
        }
        recorded = {
            r.group_id: (r.audience, r.participants, r.passed, r.average_score)
            for r in ContestResult.objects.filter(contest=contest)
        }
        assert recorded == expected
