import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from gonghui.democracy.models import (
    AgendaKind,
    RepresentativeCategory,
    ResolutionState,
    ResolutionVote,
    SessionState,
    VoteChoice,
    VoteMode,
)
from gonghui.democracy.queries import congress as queries
from gonghui.democracy.services import congress as services
from gonghui.democracy.tests.congress_factories import congress_with_representatives, session_of
from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs.tests.factories import GroupFactory, UnionFactory

pytestmark = pytest.mark.django_db
ELECTED = datetime.date(2024, 1, 1)


def _motion(session, mode=VoteMode.OPEN, title="学校绩效工资分配方案"):
    item = services.add_agenda_item(
        session=session, kind=AgendaKind.MOTION, title=title, vote_mode=mode
    )
    return item.resolution


def test_a_group_cannot_elect_more_representatives_than_its_quota():
    congress, reps = congress_with_representatives(2)
    group = reps[0].group
    services.set_quota(congress=congress, group=group, seats=2)
    with pytest.raises(ValidationError) as e:
        services.elect_representative(
            congress=congress,
            member=MemberFactory(union=congress.union, group=group),
            group=group,
            elected_on=ELECTED,
        )
    assert "名额（2名）已满" in e.value.messages[0]


def test_composition_check_lists_every_rule_that_breaks():
    union = UnionFactory()
    group = GroupFactory(union=union)
    for _ in range(6):
        MemberFactory(union=union, gender="F")
    congress = services.create_congress(union=union, kind="staff", term=1, starts_on=ELECTED)
    for category in [RepresentativeCategory.MANAGER] * 2 + [RepresentativeCategory.TECHNICAL] * 2:
        services.elect_representative(
            congress=congress,
            member=MemberFactory(union=union, group=group, gender="M"),
            group=group,
            category=category,
            elected_on=ELECTED,
        )
    services.set_quota(congress=congress, group=group, seats=6)
    problems = queries.composition(congress)["problems"]
    assert any("一线代表0人" in p for p in problems)
    assert any("女代表0人" in p for p in problems)
    assert any("中层及以上管理人员代表2人，占50.0%，超过规定的20%" in p for p in problems)
    assert any("尚缺2名" in p for p in problems)


def test_a_balanced_congress_passes_the_composition_check():
    congress, _ = congress_with_representatives(6)
    assert queries.composition(congress)["problems"] == []


def test_quorum_needs_more_than_two_thirds_of_representatives_present():
    congress, reps = congress_with_representatives(6)
    session = session_of(congress, open_=True)
    services.sign_in(session=session, representatives=reps[:4])
    assert queries.quorum(session)["reached"] is False  # 4 of 6 is exactly two thirds
    services.sign_in(session=session, representatives=reps[4:5])
    assert queries.quorum(session)["reached"] is True


def test_signing_in_twice_by_qr_code_is_refused_in_chinese():
    congress, reps = congress_with_representatives(3)
    session = session_of(congress, open_=True)
    token = services.issue_token(session=session)
    services.sign_in_by_token(token=token.token, member=reps[0].member)
    with pytest.raises(ValidationError) as e:
        services.sign_in_by_token(token=token.token, member=reps[0].member)
    assert e.value.messages == ["您已签到，无需重复签到"]


def test_an_expired_qr_code_does_not_sign_in():
    congress, reps = congress_with_representatives(3)
    session = session_of(congress, open_=True)
    token = services.issue_token(session=session)
    later = timezone.now() + datetime.timedelta(hours=1)
    with pytest.raises(ValidationError) as e:
        services.sign_in_by_token(token=token.token, member=reps[0].member, now=later)
    assert "已过期" in e.value.messages[0]


def test_a_member_who_is_not_a_representative_cannot_sign_in_by_qr_code():
    congress, _ = congress_with_representatives(3)
    session = session_of(congress, open_=True)
    token = services.issue_token(session=session)
    with pytest.raises(ValidationError) as e:
        services.sign_in_by_token(token=token.token, member=MemberFactory(union=congress.union))
    assert "不是" in e.value.messages[0] and "代表" in e.value.messages[0]


def test_no_vote_is_taken_without_quorum():
    congress, reps = congress_with_representatives(6)
    session = session_of(congress, open_=True)
    services.sign_in(session=session, representatives=reps[:3])
    resolution = _motion(session)
    with pytest.raises(ValidationError) as e:
        services.record_open_vote(resolution=resolution, votes={reps[0]: VoteChoice.FOR})
    assert "未达到法定人数" in e.value.messages[0]


def test_an_open_vote_passes_when_for_votes_exceed_half_of_all_representatives():
    congress, reps = congress_with_representatives(6)
    session = session_of(congress, open_=True)
    services.sign_in(session=session, representatives=reps)
    resolution = _motion(session)
    votes = {r: VoteChoice.FOR for r in reps[:4]} | {reps[4]: VoteChoice.AGAINST}
    services.record_open_vote(resolution=resolution, votes=votes)
    resolution.refresh_from_db()
    assert (resolution.state, resolution.votes_for, resolution.votes_against) == (
        ResolutionState.PASSED,
        4,
        1,
    )
    assert ResolutionVote.objects.filter(resolution=resolution).count() == 5


def test_exactly_half_of_all_representatives_for_is_not_enough():
    congress, reps = congress_with_representatives(6)
    session = session_of(congress, open_=True)
    services.sign_in(session=session, representatives=reps)
    resolution = _motion(session)
    services.record_open_vote(resolution=resolution, votes={r: VoteChoice.FOR for r in reps[:3]})
    assert resolution.state == ResolutionState.FAILED


def test_the_passing_rule_can_count_only_representatives_present():
    congress, reps = congress_with_representatives(9, pass_basis="present")
    session = session_of(congress, open_=True)
    services.sign_in(session=session, representatives=reps[:7])
    resolution = _motion(session)
    services.record_open_vote(resolution=resolution, votes={r: VoteChoice.FOR for r in reps[:4]})
    assert resolution.state == ResolutionState.PASSED  # 4 > 7/2, though not > 9/2


def test_a_secret_vote_keeps_only_the_tellers_counts():
    congress, reps = congress_with_representatives(6)
    session = session_of(congress, open_=True)
    services.sign_in(session=session, representatives=reps)
    resolution = _motion(session, VoteMode.SECRET)
    services.record_secret_tally(
        resolution=resolution, votes_for=5, votes_against=0, votes_abstain=1, tellers="王芳、李四"
    )
    assert resolution.state == ResolutionState.PASSED
    assert not ResolutionVote.objects.filter(resolution=resolution).exists()


def test_a_secret_tally_larger_than_those_present_is_refused():
    congress, reps = congress_with_representatives(6)
    session = session_of(congress, open_=True)
    services.sign_in(session=session, representatives=reps[:5])
    resolution = _motion(session, VoteMode.SECRET)
    with pytest.raises(ValidationError) as e:
        services.record_secret_tally(
            resolution=resolution, votes_for=5, votes_against=1, votes_abstain=0, tellers="王芳"
        )
    assert "超过出席代表5人" in e.value.messages[0]
    resolution.refresh_from_db()
    assert resolution.state == ResolutionState.PENDING


def test_a_representative_absent_from_the_hall_cannot_vote_openly():
    congress, reps = congress_with_representatives(6)
    session = session_of(congress, open_=True)
    services.sign_in(session=session, representatives=reps[:5])
    resolution = _motion(session)
    with pytest.raises(ValidationError) as e:
        services.record_open_vote(resolution=resolution, votes={reps[5]: VoteChoice.FOR})
    assert "未签到" in e.value.messages[0]


def test_a_session_cannot_close_with_a_motion_not_voted():
    congress, _ = congress_with_representatives(3)
    session = session_of(congress, open_=True)
    _motion(session)
    with pytest.raises(ValidationError) as e:
        services.close_session(session=session)
    assert "尚未表决" in e.value.messages[0]


def test_results_and_minutes_are_published_to_open_affairs():
    from gonghui.disclosure.models import Post

    congress, reps = congress_with_representatives(3)
    session = session_of(congress, open_=True)
    services.sign_in(session=session, representatives=reps)
    resolution = _motion(session)
    services.record_open_vote(resolution=resolution, votes={r: VoteChoice.FOR for r in reps})
    services.close_session(session=session, minutes="会议审议通过了绩效工资分配方案。")
    post = services.publish_results(session=session, actor=None)
    assert Post.objects.filter(pk=post.pk, category="resolutions").exists()
    assert "绩效工资分配方案" in post.body and "通过" in post.body
    session.refresh_from_db()
    assert session.state == SessionState.CLOSED and session.published_at is not None


def test_the_quorum_rule_rejects_a_fraction_of_one_or_more():
    with pytest.raises(ValidationError) as e:
        congress_with_representatives(1, quorum_numerator=3, quorum_denominator=3)
    assert "分子必须小于分母" in e.value.messages[0]
