"""submit_opinion(): members, liaisons and other areas add opinions."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from gonghui.finance.tests.factories import staff
from gonghui.members.models import Status
from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs.roles import Role
from gonghui.orgs.tests.factories import UnionFactory
from gonghui.voice import services
from gonghui.voice.models import Opinion, State

pytestmark = pytest.mark.django_db


def test_a_members_opinion_is_recorded_waiting_for_judgement():
    member = MemberFactory()
    opinion = services.submit_opinion(
        union=member.union, member=member, content="建议食堂增加晚餐供应", category="living"
    )
    assert opinion.state == State.SUBMITTED
    assert opinion.submitted_on == timezone.localdate()
    assert opinion.category == "living"
    assert opinion.is_valid is None


def test_a_liaison_may_record_an_opinion_for_a_member():
    member = MemberFactory()
    liaison = staff(member.union, Role.LIAISON)
    opinion = services.submit_opinion(
        union=member.union, member=member, content="车间通风差", recorded_by=liaison, actor=liaison
    )
    assert opinion.recorded_by == liaison
    assert opinion.member == member


def test_an_opinion_links_the_record_it_came_from():
    member = MemberFactory()
    other = MemberFactory(union=member.union)
    opinion = services.submit_opinion(
        union=member.union, member=member, content="由提案转为意见", source=other
    )
    assert opinion.source == other


def test_an_empty_opinion_is_refused_in_chinese_and_nothing_is_written():
    member = MemberFactory()
    with pytest.raises(ValidationError) as e:
        services.submit_opinion(union=member.union, member=member, content="   ")
    assert e.value.message_dict["content"] == ["意见内容不能为空"]
    assert Opinion.objects.count() == 0


def test_a_member_of_another_union_cannot_be_the_proposer():
    member = MemberFactory()
    with pytest.raises(ValidationError) as e:
        services.submit_opinion(union=UnionFactory(), member=member, content="建议")
    assert e.value.message_dict["member"] == ["提出人不是本工会会员"]


def test_a_retired_member_cannot_submit():
    member = MemberFactory(status=Status.RETIRED)
    with pytest.raises(ValidationError) as e:
        services.submit_opinion(union=member.union, member=member, content="建议")
    assert "不是在册会员" in e.value.message_dict["member"][0]


def test_an_unknown_category_is_refused():
    member = MemberFactory()
    with pytest.raises(ValidationError) as e:
        services.submit_opinion(union=member.union, member=member, content="建议", category="x")
    assert "类别“x”不在可选范围内" in e.value.message_dict["category"][0]
