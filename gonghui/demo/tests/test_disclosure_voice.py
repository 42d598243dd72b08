"""The school demo has two years of open affairs and opinions, consistent
with the rules the services keep."""

from django.db.models import F

from gonghui.demo.tests.dates import TODAY
from gonghui.disclosure.models import Feedback, Post, Read
from gonghui.finance.queries import payments_for
from gonghui.voice.models import Opinion, State


def test_the_school_demo_discloses_the_years_items_with_reads_and_questions(school):
    posts = Post.objects.filter(union=school)
    assert 10 <= posts.count() <= 40
    assert not posts.filter(publish_on__gt=TODAY).exists()
    assert posts.filter(category="plan_budget", source_id__isnull=False).exists()
    assert "教代会" in " ".join(posts.values_list("title", flat=True))
    reads = Read.objects.filter(union=school)
    assert reads.count() > posts.count() * 10
    assert not reads.filter(first_read_at__date__gt=TODAY).exists()
    questions = Feedback.objects.filter(union=school)
    assert questions.exists()
    assert not questions.filter(replied_at__lt=F("asked_at")).exists()


def test_the_school_demo_has_opinions_about_two_thirds_valid_and_implemented_in_time(school):
    opinions = Opinion.objects.filter(union=school)
    assert 40 <= opinions.count() <= 200
    assert not opinions.filter(submitted_on__gt=TODAY).exists()
    judged = opinions.exclude(state=State.SUBMITTED)
    valid = judged.exclude(state=State.INVALID).count()
    assert 0.5 < valid / judged.count() < 0.85
    assert not opinions.filter(state=State.INVALID, judgement_reason="").exists()
    assert not opinions.filter(implemented_on__lt=F("judged_on")).exists()
    assert not opinions.filter(implemented_on__gt=TODAY).exists()
    assert opinions.filter(state=State.IMPLEMENTED).exists()


def test_fund_paid_rewards_are_finance_payments_linked_to_their_opinion(school):
    for opinion in Opinion.objects.filter(union=school, rewarded_on__isnull=False):
        assert opinion.state == State.IMPLEMENTED
        for payment in payments_for(opinion):
            assert payment.amount == opinion.reward_amount
