"""The school's two years of money, activities and care (scale s)."""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, F, Sum, Value
from django.db.models.functions import Concat
from django.test import override_settings

from gonghui.activities.models import Activity, Result, SignUp, SignUpState
from gonghui.activities.queries import participation
from gonghui.care.models import (
    AidState,
    Assistance,
    CaseReview,
    DonationCampaign,
    FestivalDistribution,
    MutualAidEnrolment,
    SchoolAid,
    Visit,
    VisitKind,
)
from gonghui.care.queries import campaign_totals
from gonghui.demo import scales
from gonghui.demo.tests.dates import SEED, TODAY
from gonghui.finance.models import (
    EXPENDITURE_CATEGORIES,
    INCOME_CATEGORIES,
    BudgetLine,
    DuesImport,
    FiscalYear,
    Income,
    Payment,
)
from gonghui.finance.queries import arrears, payments_for
from gonghui.orgs.models import Union, User
from gonghui.periods import Period
from gonghui.reports import registry

THIS_YEAR = Period(date(TODAY.year, 1, 1), TODAY)
LAST_YEAR = Period(date(TODAY.year - 1, 1, 1), date(TODAY.year - 1, 12, 31))


def test_the_donation_campaign_adds_up_to_the_seed_reports_13228_70_and_was_handed_over(school):
    campaign = DonationCampaign.objects.get(union=school)
    totals = campaign_totals(campaign)
    assert totals["raised"] == Decimal("12228.70")
    assert totals["fund"] == Decimal("1000.00")
    assert totals["total"] == totals["delivered"] == Decimal("13228.70")
    assert totals["available"] == 0
    assert totals["donors"] >= 40


def test_both_fiscal_years_have_lines_in_every_standard_category(school):
    years = FiscalYear.objects.filter(union=school)
    assert sorted(y.year for y in years) == [TODAY.year - 1, TODAY.year]
    for year in years:
        categories = set(year.lines.values_list("category", flat=True))
        assert categories == set(EXPENDITURE_CATEGORIES) | set(INCOME_CATEGORIES)


def test_every_budget_lines_actual_is_what_was_booked_to_it(school):
    for line in BudgetLine.objects.filter(union=school):
        paid = Payment.objects.filter(line=line).aggregate(s=Sum("amount"))["s"] or 0
        received = Income.objects.filter(line=line).aggregate(s=Sum("amount"))["s"] or 0
        assert line.actual == paid + received, line.name
    assert not Payment.objects.filter(union=school, on__gt=TODAY).exists()


def test_paid_visits_gifts_aid_and_assistance_each_have_their_payment(school):
    visits = Visit.objects.filter(union=school, amount__gt=0)
    assert set(visits.values_list("kind", flat=True)) >= {
        VisitKind.ILLNESS,
        VisitKind.BIRTH,
        VisitKind.MARRIAGE,
        VisitKind.RETIREMENT,
        VisitKind.FESTIVAL,
    }
    records = [
        *visits,
        *FestivalDistribution.objects.filter(union=school),
        *SchoolAid.objects.filter(union=school, state=AidState.APPROVED),
        *Assistance.objects.filter(union=school, source="fund"),
    ]
    for record in records:
        amount = getattr(record, "total", None) or record.amount
        assert payments_for(record).get().amount == amount


def test_the_tug_of_war_was_won_by_the_support_staff_and_results_were_paid_for(school):
    tug = Activity.objects.filter(union=school, title__contains="拔河比赛").first()
    first = Result.objects.get(activity=tug, rank=1)
    assert first.group.name == "后勤组" and first.get_award_level_display() == "第一名"
    assert Result.objects.get(activity=tug, rank=2).group.name == "幼教组"
    titles = " ".join(Activity.objects.filter(union=school).values_list("title", flat=True))
    for name in ("趣味运动会", "三八", "品读社", "演讲比赛"):
        assert name in titles


def test_seats_taken_match_admitted_sign_ups_and_only_admitted_members_attended(school):
    for activity in Activity.objects.filter(union=school, capacity__isnull=False):
        admitted = SignUp.objects.filter(activity=activity, state=SignUpState.ADMITTED)
        assert activity.admitted == admitted.count() <= activity.capacity
        attended = set(activity.attendances.values_list("member_id", flat=True))
        assert attended <= set(admitted.values_list("member_id", flat=True))
    assert SignUp.objects.filter(union=school, state=SignUpState.WAITING).exists()


def test_participation_rates_are_realistic(school):
    # Club sessions count everyone as their audience, so the overall rate is modest.
    rate = registry.value("activities.participation_rate", [school.id], LAST_YEAR)
    assert 20 <= rate <= 80
    sports_day = Activity.objects.filter(union=school, title__contains="趣味运动会").first()
    assert 75 <= participation(sports_day)["rate"] <= 100


def test_dues_were_deducted_for_each_past_month_and_a_few_members_are_in_arrears(school):
    assert DuesImport.objects.filter(union=school).count() == 12 + TODAY.month - 1
    owing = arrears(unions=[school.id], on=TODAY)
    assert 1 <= len(owing) <= 5
    # This month is owed but not yet deducted.
    assert 85 <= registry.value("finance.dues_collection_rate", [school.id], THIS_YEAR) < 100


def test_hardship_cases_were_reviewed_and_festival_gifts_stayed_under_the_yearly_cap(school):
    assert registry.value("care.hardship_review_coverage", [school.id], THIS_YEAR) == 100
    assert CaseReview.objects.filter(union=school).exists()
    assert not FestivalDistribution.objects.filter(union=school, over_cap=True).exists()
    occasions = set(FestivalDistribution.objects.filter(union=school).values_list("occasion"))
    assert {("spring",), ("mid_autumn",), ("womens_day",)} <= occasions
    enrolled = MutualAidEnrolment.objects.filter(union=school, year=TODAY.year).count()
    assert enrolled >= 90


def _fingerprint(union) -> list:
    rows = []
    for model, fields in (
        (Payment, ("on", "amount", "payee", "voucher", "category")),
        (Income, ("on", "amount", "payer", "category")),
        (Visit, ("on", "kind", "amount")),
        (SignUp, ("activity__title", "member__employee_number", "state")),
        (Result, ("activity__title", "rank", "award_level")),
    ):
        rows.append(list(model.objects.filter(union=union).order_by("pk").values_list(*fields)))
    return rows


def test_the_same_seed_gives_the_same_ledgers(school):
    expected = _fingerprint(school)
    with transaction.atomic():
        # Move the first school and its sign-ins out of the way, build a
        # second from the same seed, compare, and undo it all.
        Union.objects.filter(pk=school.pk).update(code="moved-away")
        User.objects.update(username=Concat(F("username"), Value("-moved")))
        with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
            again = scales.build_small(seed=SEED, today=TODAY)
        assert _fingerprint(again) == expected
        transaction.set_rollback(True)


def test_rows_written_in_bulk_for_a_larger_union_keep_what_the_services_keep(db):
    union = scales.build_medium(seed=1, today=TODAY, members=600)
    for batch in DuesImport.objects.filter(union=union):
        paid = batch.payments.aggregate(n=Count("pk"), s=Sum("amount"))
        assert (
            (paid["n"], paid["s"]) == (batch.rows, batch.total) == (batch.rows, batch.income.amount)
        )
    for activity in Activity.objects.filter(union=union, capacity__isnull=False):
        signups = SignUp.objects.filter(activity=activity)
        admitted = signups.filter(state=SignUpState.ADMITTED)
        assert activity.admitted == admitted.count() <= activity.capacity
        waiting = list(signups.waiting().values_list("position", flat=True))
        assert waiting == list(range(1, len(waiting) + 1)) and activity.next_position == len(
            waiting
        )
        attended = set(activity.attendances.values_list("member_id", flat=True))
        assert attended <= set(admitted.values_list("member_id", flat=True))
    for visit in Visit.objects.filter(union=union).prefetch_related("members"):
        assert payments_for(visit).get().amount == visit.amount and visit.members.exists()
    for gift in FestivalDistribution.objects.filter(union=union):
        assert gift.total == gift.amount_per_person * gift.recipients.count()
        assert payments_for(gift).get().amount == gift.total
    for line in BudgetLine.objects.filter(union=union):
        paid = Payment.objects.filter(line=line).aggregate(s=Sum("amount"))["s"] or 0
        received = Income.objects.filter(line=line).aggregate(s=Sum("amount"))["s"] or 0
        assert line.actual == paid + received, line.name


def test_the_audit_committee_reports_on_last_year_and_this_half_year(school):
    from gonghui.finance.models import AuditReport
    from gonghui.finance.services import is_auditor

    reports = list(AuditReport.objects.filter(union=school).order_by("starts_on"))
    assert [r.starts_on for r in reports] == [date(TODAY.year - 1, 1, 1), date(TODAY.year, 1, 1)]
    assert all(is_auditor(r.filed_by) for r in reports)
    from gonghui.finance.queries import statement

    year = Period(date(TODAY.year - 1, 1, 1), date(TODAY.year - 1, 12, 31))
    sheet = statement(unions=[school.pk], period=year)
    assert sheet["expenditure_total"] > 0
    assert f"支出合计{sheet['expenditure_total']}元" in reports[0].findings
    assert f"收入合计{sheet['income_total']}元" in reports[0].findings
