"""Award kinds, nominations with reasons, the committee's decision, the announcement."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from gonghui.disclosure.models import Post
from gonghui.honors import queries, services
from gonghui.honors.models import AwardKind, NominationState
from gonghui.honors.tests.factories import kind, star_nomination
from gonghui.members.models import Status
from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs.tests.factories import GroupFactory, UnionFactory, user_with_role

pytestmark = pytest.mark.django_db


def test_a_union_gets_the_default_award_kinds_once():
    union = UnionFactory()
    services.ensure_default_kinds(union=union)
    services.ensure_default_kinds(union=union)
    names = set(AwardKind.objects.filter(union=union).values_list("name", flat=True))
    assert {
        "岗位之星",
        "优秀班级",
        "优秀小组",
        "工人先锋号",
        "最美职工",
        "首席员工",
        "金点子",
    } <= names
    assert AwardKind.objects.filter(union=union).count() == len(services.DEFAULT_KINDS)


def test_a_kind_with_a_name_already_used_is_refused():
    star = kind()
    with pytest.raises(ValidationError) as e:
        services.define_kind(
            union=star.union, name="岗位之星", scope="individual", cadence="monthly"
        )
    assert "已有荣誉类别" in e.value.message_dict["name"][0]


def test_a_monthly_award_without_a_month_is_refused():
    with pytest.raises(ValidationError) as e:
        star_nomination(month=None)
    assert "按月评选" in e.value.message_dict["month"][0]


def test_a_nomination_without_reasons_is_refused():
    with pytest.raises(ValidationError) as e:
        star_nomination(reasons="  ")
    assert e.value.message_dict["reasons"] == ["请填写推荐理由"]


def test_a_member_of_another_union_cannot_be_nominated():
    with pytest.raises(ValidationError) as e:
        star_nomination(member=MemberFactory())
    assert "不是本工会会员" in e.value.message_dict["member"][0]


def test_a_member_who_left_cannot_be_nominated():
    star = kind()
    gone = MemberFactory(union=star.union, status=Status.RETIRED)
    with pytest.raises(ValidationError) as e:
        star_nomination(union=star.union, member=gone)
    assert "退休" in e.value.message_dict["member"][0]


def test_the_same_member_is_nominated_once_for_the_same_month():
    first = star_nomination()
    with pytest.raises(ValidationError) as e:
        star_nomination(union=first.union, member=first.member)
    assert "已被推荐过" in e.value.message_dict["member"][0]


def test_a_group_award_names_a_group():
    best = kind(name="优秀班级")
    group = GroupFactory(union=best.union, name="初二（3）班")
    nomination = services.nominate(
        kind=best, year=2025, month=4, group=group, reasons="班风正", nominated_on=date(2025, 4, 30)
    )
    assert nomination.nominee_label == "初二（3）班"


def test_the_committee_grants_a_nomination_once():
    nomination = star_nomination()
    services.decide(nomination=nomination, granted=True, on=date(2025, 4, 2))
    assert nomination.state == NominationState.AWARDED
    with pytest.raises(ValidationError) as e:
        services.decide(nomination=nomination, granted=False, on=date(2025, 4, 3), note="重评")
    assert "已评定过" in e.value.message_dict["state"][0]


def test_a_decline_needs_the_committees_reason():
    with pytest.raises(ValidationError) as e:
        services.decide(nomination=star_nomination(), granted=False, on=date(2025, 4, 2))
    assert e.value.message_dict["note"] == ["未评上时请填写评定意见"]


def test_announcing_awards_publishes_an_open_affairs_post_under_honors():
    nomination = star_nomination()
    services.decide(nomination=nomination, granted=True, on=date(2025, 4, 2))
    chair = user_with_role(nomination.union)
    announcement = services.announce(
        union=nomination.union, awards=[nomination], title="2025年3月岗位之星公示", actor=chair
    )
    post = Post.objects.get(union=nomination.union)
    assert post.category == "honors"
    assert post.title == "2025年3月岗位之星公示"
    assert nomination.member.name in post.body
    nomination.refresh_from_db()
    assert nomination.announcement == announcement


def test_an_undecided_nomination_cannot_be_announced():
    nomination = star_nomination()
    with pytest.raises(ValidationError) as e:
        services.announce(union=nomination.union, awards=[nomination], title="公示", actor=None)
    assert "尚未授予" in e.value.message_dict["awards"][0]


def test_a_member_sees_awards_to_them_and_to_their_group():
    star = kind()
    group = GroupFactory(union=star.union)
    member = MemberFactory(union=star.union, group=group)
    mine = star_nomination(union=star.union, member=member)
    services.decide(nomination=mine, granted=True, on=date(2025, 4, 2))
    best = kind(star.union, "优秀小组")
    ours = services.nominate(
        kind=best,
        year=2025,
        month=3,
        group=group,
        reasons="考核第一",
        nominated_on=date(2025, 3, 31),
    )
    services.decide(nomination=ours, granted=True, on=date(2025, 4, 2))
    star_nomination(union=star.union)  # someone else's, undecided
    assert set(queries.awards_of(member)) == {mine, ours}
