"""The school demo has two years of learning and women's records, consistent
with the rules the services keep."""

from datetime import date

from django.db import connection
from django.db.models import Count, F

from bench import issue5_learning, issue5_women
from gonghui.demo.tests.dates import TODAY
from gonghui.finance.queries import payments_for
from gonghui.learning import services as learning
from gonghui.learning.models import (
    Attempt,
    DailyAnswer,
    DailyQuestion,
    Qualification,
    TrainingSession,
)
from gonghui.members.models import Member
from gonghui.periods import Period
from gonghui.reports import registry
from gonghui.reports.registry import value
from gonghui.women.models import Checkup, InsuranceEnrolment, InsurancePlan, ProtectionRecord

YEAR = Period(date(TODAY.year, 1, 1), TODAY)


def test_the_school_demo_has_trainings_daily_questions_exams_and_certificates(school):
    assert TrainingSession.objects.filter(union=school, attendees__isnull=False).exists()
    assert DailyQuestion.objects.filter(union=school).count() > 200
    assert DailyAnswer.objects.filter(union=school).exists()
    assert Attempt.objects.filter(union=school).count() > 100
    assert Qualification.objects.filter(union=school, kind="chair").count() == 1
    assert 50 < value("learning.awareness_rate", [school], YEAR) <= 100
    assert 50 < value("learning.pass_rate", [school], YEAR) <= 100


def test_the_demo_answers_keep_the_services_invariants(school):
    answers = DailyAnswer.objects.filter(union=school)
    assert not answers.exclude(on=F("daily__on")).exists()
    assert not answers.filter(on__gt=TODAY).exists()
    attempts = Attempt.objects.filter(union=school).select_related("exam")
    for attempt in attempts[:200]:
        assert attempt.exam.opens_at <= attempt.submitted_at <= attempt.exam.closes_at
        assert attempt.score == learning.score_of(attempt.correct, attempt.total)
        assert attempt.passed == (attempt.score >= attempt.exam.pass_mark)


def test_the_school_demo_insures_every_woman_and_pays_the_premiums(school):
    for plan in InsurancePlan.objects.filter(union=school):
        enrolled = InsuranceEnrolment.objects.filter(plan=plan).count()
        assert enrolled > 10
        assert sum(p.amount for p in payments_for(plan)) == plan.premium * enrolled


def test_the_school_demo_has_check_ups_with_coverage_and_four_period_records(school):
    assert 60 < value("women.checkup_coverage", [school], YEAR) <= 100
    assert not Checkup.objects.filter(union=school, done_on__gt=TODAY).exists()
    women = Member.objects.filter(union=school, gender="F").values("pk")
    assert not Checkup.objects.filter(union=school).exclude(member__in=women).exists()
    assert not ProtectionRecord.objects.filter(union=school, starts_on__gt=TODAY).exists()
    assert ProtectionRecord.objects.filter(union=school).exists()
    assert (
        InsuranceEnrolment.objects.filter(union=school)
        .values("plan", "member")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .count()
        == 0
    )


def _registry(area: str, union_id: int, period) -> dict:
    out = {}
    for m in registry.all_metrics(area=area):
        out[m.key] = m.value([union_id], period)
        if m.breakdown:
            out[f"{m.key}/by"] = sorted(n for _, n in m.by([union_id], period))
    return out


def test_the_raw_sql_gives_the_registrys_learning_and_women_figures(school):
    for period in (YEAR, Period.year(TODAY.year - 1)):
        with connection.cursor() as cursor:
            raw = {
                **issue5_learning.raw(cursor, school.pk, period.start, period.end),
                **issue5_women.raw(cursor, school.pk, period.start, period.end),
            }
        ours = {**_registry("learning", school.pk, period), **_registry("women", school.pk, period)}
        assert set(ours) == set(raw)
        for key, figure in ours.items():
            theirs = sorted(raw[key].values()) if key.endswith("/by") else raw[key]
            assert figure == theirs, key
