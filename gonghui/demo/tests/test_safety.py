"""The school demo has two years of safety ledgers, consistent with the rules."""

from django.db.models import F

from gonghui.demo.tests.dates import TODAY
from gonghui.safety.models import Contest, Drill, Hazard, HazardStep, Inspection, State


def test_the_school_demo_has_hazards_inspections_drills_and_contests(school):
    hazards = Hazard.objects.filter(union=school)
    assert 10 <= hazards.count() <= 80
    assert hazards.filter(state=State.VERIFIED).exists()
    assert Inspection.objects.filter(union=school, done_on__isnull=False).count() >= 12
    assert Drill.objects.filter(union=school).count() >= 4
    assert Contest.objects.filter(union=school).count() == 2


def test_the_demo_cards_keep_the_workflows_invariants(school):
    hazards = Hazard.objects.filter(union=school)
    assert not hazards.filter(reported_on__gt=TODAY).exists()
    assert not hazards.filter(rectified_on__lt=F("reported_on")).exists()
    rectified = hazards.filter(rectified_on__isnull=False)
    for card in rectified:
        assert card.days_to_rectify == (card.rectified_on - card.reported_on).days
        assert card.department_id is not None and card.deadline is not None
    assert HazardStep.objects.filter(hazard__in=hazards, action="report").count() == hazards.count()
