"""Who may read a post, first reads, questions and replies, withdrawal."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from gonghui.disclosure import queries, services
from gonghui.disclosure.models import Feedback, Read
from gonghui.disclosure.tests.factories import member_with_account, post
from gonghui.finance.tests.factories import staff
from gonghui.members.models import Status
from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs.tests.factories import UnionFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def test_a_first_read_is_recorded_once_whatever_the_number_of_reads():
    union = UnionFactory()
    item = post(union)
    member = MemberFactory(union=union)
    first = services.record_read(post=item, member=member)
    again = services.record_read(post=item, member=member)
    assert first.pk == again.pk
    assert Read.objects.filter(post=item).count() == 1


def test_a_representatives_post_is_hidden_from_other_members():
    union = UnionFactory()
    item = post(union, audience="representatives")
    ordinary = member_with_account(union)
    assert not queries.member_can_see(item, ordinary, today=TODAY())
    with pytest.raises(ValidationError) as e:
        services.record_read(post=item, member=ordinary)
    assert e.value.message_dict["post"] == ["该公开事项不存在或您无权查看"]


def test_a_representative_reads_a_representatives_post():
    union = UnionFactory()
    item = post(union, audience="representatives")
    rep = member_with_account(union, representative=True)
    assert services.record_read(post=item, member=rep).member == rep


def test_a_post_of_another_union_cannot_be_read():
    item = post(UnionFactory())
    with pytest.raises(ValidationError):
        services.record_read(post=item, member=MemberFactory())


def test_a_post_not_yet_published_is_not_listed_for_members():
    union = UnionFactory()
    post(union, publish_on=TODAY() + timedelta(days=3), title="下周公开")
    member = MemberFactory(union=union)
    assert not queries.posts_for_member(member, today=TODAY()).exists()


def test_a_withdrawn_post_disappears_from_the_members_list():
    union = UnionFactory()
    item = post(union)
    services.withdraw(post=item, reason="内容有误，更正后重新公开", actor=staff(union))
    member = MemberFactory(union=union)
    assert not queries.posts_for_member(member, today=TODAY()).exists()


def test_withdrawing_without_a_reason_is_refused():
    union = UnionFactory()
    item = post(union)
    with pytest.raises(ValidationError) as e:
        services.withdraw(post=item, reason=" ", actor=staff(union))
    assert e.value.message_dict["withdraw_reason"] == ["请填写撤下原因"]


def test_a_retired_member_sees_no_posts():
    union = UnionFactory()
    post(union)
    member = MemberFactory(union=union, status=Status.RETIRED)
    assert not queries.posts_for_member(member, today=TODAY()).exists()


def test_a_member_asks_and_a_public_reply_is_seen_by_other_readers():
    union = UnionFactory()
    item = post(union)
    asker, other = MemberFactory(union=union), MemberFactory(union=union)
    question = services.ask(post=item, member=asker, content="绩效工资什么时候发放？")
    assert list(queries.visible_feedback(item, other)) == []
    services.reply(feedback=question, reply="每月15日随工资发放。", public=True, actor=staff(union))
    assert list(queries.visible_feedback(item, other)) == [question]


def test_a_private_reply_is_seen_only_by_the_asker():
    union = UnionFactory()
    item = post(union)
    asker, other = MemberFactory(union=union), MemberFactory(union=union)
    question = services.ask(post=item, member=asker, content="我的岗位系数是否有误？")
    services.reply(feedback=question, reply="已核对，无误。", public=False, actor=staff(union))
    assert list(queries.visible_feedback(item, asker)) == [question]
    assert list(queries.visible_feedback(item, other)) == []


def test_an_empty_question_is_refused_in_chinese_and_nothing_is_written():
    union = UnionFactory()
    item = post(union)
    with pytest.raises(ValidationError) as e:
        services.ask(post=item, member=MemberFactory(union=union), content="  ")
    assert e.value.message_dict["content"] == ["请填写问题或意见内容"]
    assert Feedback.objects.count() == 0


def test_an_empty_reply_is_refused():
    union = UnionFactory()
    question = services.ask(post=post(union), member=MemberFactory(union=union), content="问")
    with pytest.raises(ValidationError) as e:
        services.reply(feedback=question, reply="", public=True, actor=staff(union))
    assert e.value.message_dict["reply"] == ["答复内容不能为空"]


def test_post_stats_count_reads_against_the_audience():
    union = UnionFactory()
    item = post(union)
    readers = [MemberFactory(union=union) for _ in range(3)]
    MemberFactory(union=union)
    for m in readers[:2]:
        services.record_read(post=item, member=m)
    stats = queries.post_stats(item)
    assert (stats["reads"], stats["audience"], stats["read_rate"]) == (2, 4, 50.0)
