"""Items disclosed by category, read rate, questions received and answered."""

from datetime import timedelta

import pytest
from django.utils import timezone

from gonghui.disclosure import services
from gonghui.disclosure.tests.factories import member_with_account, post
from gonghui.finance.tests.factories import staff
from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs.tests.factories import UnionFactory
from gonghui.periods import Period
from gonghui.reports.registry import get, value

pytestmark = pytest.mark.django_db


def _period():
    today = timezone.localdate()
    return Period(today - timedelta(days=30), today)


def test_posts_are_counted_by_category():
    union = UnionFactory()
    post(union, category="pay")
    post(union, category="pay")
    post(union, category="finance")
    assert value("disclosure.posts", [union], _period()) == 3
    assert value("disclosure.posts_pay", [union], _period()) == 2
    assert dict(get("disclosure.posts").by([union], _period())) == {"工资福利": 2, "财务收支": 1}


def test_the_read_rate_counts_reads_against_each_posts_audience():
    union = UnionFactory()
    everyone = post(union)
    reps_only = post(union, audience="representatives")
    rep = member_with_account(union, representative=True)
    others = [MemberFactory(union=union) for _ in range(3)]
    services.record_read(post=everyone, member=others[0])
    services.record_read(post=everyone, member=rep)
    services.record_read(post=reps_only, member=rep)
    # Expected reads: 4 members × 1 post + 1 representative × 1 post = 5; reads: 3.
    assert str(value("disclosure.read_rate", [union], _period())) == "60.0"


def test_questions_received_and_answered():
    union = UnionFactory()
    item = post(union)
    first = services.ask(post=item, member=MemberFactory(union=union), content="问一")
    services.ask(post=item, member=MemberFactory(union=union), content="问二")
    services.reply(feedback=first, reply="答", public=True, actor=staff(union))
    assert value("disclosure.feedback", [union], _period()) == 2
    assert value("disclosure.feedback_answered", [union], _period()) == 1
    assert str(value("disclosure.answer_rate", [union], _period())) == "50.0"
