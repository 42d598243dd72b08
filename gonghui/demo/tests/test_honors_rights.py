"""The school demo has two years of recognition and rights records, true to
the rules the services keep."""

from datetime import date

from gonghui.demo.tests.dates import TODAY
from gonghui.honors.models import GroupResult, Nomination, NominationState, Score
from gonghui.orgs.models import Group
from gonghui.periods import Period
from gonghui.reports import registry
from gonghui.rights.models import Contract, DisputeCase, NegotiationRound


def test_the_school_scores_every_group_each_month_and_ranks_them(school):
    union = school
    groups = Group.objects.filter(union=union).count()
    months = GroupResult.objects.filter(union=union).values("month").distinct().count()
    assert months >= 12
    assert GroupResult.objects.filter(union=union).count() == months * groups
    reasons = Score.objects.filter(union=union).exclude(deduction_reason="")
    assert reasons.exists()
    assert (
        not Score.objects.filter(union=union, deduction_reason="")
        .exclude(points__in=[30, 20])
        .exists()
    )


def test_the_school_names_a_post_star_most_months(school):
    union = school
    stars = Nomination.objects.filter(
        union=union, kind__name="岗位之星", state=NominationState.AWARDED
    )
    assert stars.values("year", "month").distinct().count() >= 10
    assert registry.value("honors.awards", [union.pk], Period.year(TODAY.year - 1)) > 12


def test_the_schools_wage_contract_was_negotiated_in_four_rounds_then_voted_signed_and_filed(
    school,
):
    union = school
    wage = Contract.objects.get(union=union, kind="wage")
    assert NegotiationRound.objects.filter(contract=wage).count() == 4
    assert wage.vote_passed and wage.vote_on < wage.signed_on <= wage.filed_on
    assert wage.filed_on <= TODAY
    assert not DisputeCase.objects.filter(union=union, closed_on__gt=TODAY).exists()
    period = Period(date(TODAY.year, 1, 1), TODAY)
    assert registry.value("rights.wage_contract_coverage", [union.pk], period) == 100


def test_this_months_post_star_nominations_wait_for_the_committee(school):
    pending = Nomination.objects.filter(
        union=school, kind__name="岗位之星", state=NominationState.NOMINATED
    )
    assert pending.exists()
    assert set(pending.values_list("year", "month")) == {(TODAY.year, TODAY.month)}
    assert not pending.filter(nominated_on__gt=TODAY).exists()
