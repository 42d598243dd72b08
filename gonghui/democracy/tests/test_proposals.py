import datetime

import pytest
from django.core.exceptions import ValidationError

from gonghui.democracy.models import ProposalState, Rating
from gonghui.democracy.queries import proposals as queries
from gonghui.democracy.services import proposals as services
from gonghui.democracy.tests.congress_factories import (
    accepted_proposal,
    congress_with_representatives,
    handler_of,
    session_of,
    submitted_proposal,
)
from gonghui.orgs.tests.factories import DepartmentFactory
from gonghui.periods import Period

pytestmark = pytest.mark.django_db
IN_WINDOW = datetime.date(2025, 3, 10)


def _draft(session, reps):
    return services.draft_proposal(
        session=session,
        proposer=reps[0],
        title="增加教师体检项目",
        reason="现有体检项目少",
        measures="增加甲状腺和乳腺检查",
    )


def test_a_proposal_without_enough_co_signers_is_not_submitted():
    congress, reps = congress_with_representatives(4)
    session = session_of(congress)
    proposal = _draft(session, reps)
    services.co_sign(proposal=proposal, representative=reps[1])
    with pytest.raises(ValidationError) as e:
        services.submit_proposal(proposal=proposal, member=reps[0].member, today=IN_WINDOW)
    assert e.value.messages == ["附议代表不足：提案须有至少2名代表附议，目前只有1名"]


def test_a_proposal_after_the_deadline_is_not_submitted():
    congress, reps = congress_with_representatives(4)
    session = session_of(congress)
    proposal = _draft(session, reps)
    for rep in reps[1:3]:
        services.co_sign(proposal=proposal, representative=rep)
    with pytest.raises(ValidationError) as e:
        services.submit_proposal(
            proposal=proposal, member=reps[0].member, today=datetime.date(2025, 3, 19)
        )
    assert e.value.messages == ["提案征集已于2025年03月18日截止，不能再提交"]


def test_the_minimum_of_co_signers_is_configurable():
    congress, reps = congress_with_representatives(4, co_signers_min=0)
    session = session_of(congress)
    proposal = services.submit_proposal(
        proposal=_draft(session, reps), member=reps[0].member, today=IN_WINDOW
    )
    assert (proposal.state, proposal.number) == (ProposalState.SUBMITTED, 1)


def test_a_proposer_cannot_co_sign_their_own_proposal():
    congress, reps = congress_with_representatives(4)
    proposal = _draft(session_of(congress), reps)
    with pytest.raises(ValidationError) as e:
        services.co_sign(proposal=proposal, representative=reps[0])
    assert e.value.messages == ["提案人不能附议自己的提案"]


def test_co_signing_twice_is_refused():
    congress, reps = congress_with_representatives(4)
    proposal = _draft(session_of(congress), reps)
    services.co_sign(proposal=proposal, representative=reps[1])
    with pytest.raises(ValidationError) as e:
        services.co_sign(proposal=proposal, representative=reps[1])
    assert e.value.messages == ["您已附议该提案，无需重复附议"]


def test_submitted_proposals_are_numbered_in_order():
    congress, reps = congress_with_representatives(6)
    session = session_of(congress)
    first = submitted_proposal(session, reps)
    second = submitted_proposal(session, reps)
    assert (first.number, second.number) == (1, 2)


def test_accepting_needs_a_lead_department_and_a_deadline():
    congress, reps = congress_with_representatives(4)
    proposal = submitted_proposal(session_of(congress), reps)
    with pytest.raises(ValidationError) as e:
        services.decide_proposal(proposal=proposal, decision=services.ACCEPT, actor=None)
    assert set(e.value.message_dict) == {"lead_department", "deadline"}


def test_not_accepting_needs_a_reason():
    congress, reps = congress_with_representatives(4)
    proposal = submitted_proposal(session_of(congress), reps)
    with pytest.raises(ValidationError) as e:
        services.decide_proposal(proposal=proposal, decision=services.REJECT, actor=None)
    assert e.value.messages == ["不予立案须说明理由"]


def test_a_proposal_converted_becomes_an_opinion_linked_back_to_it():
    from gonghui.voice.models import Opinion

    congress, reps = congress_with_representatives(4)
    proposal = submitted_proposal(session_of(congress), reps)
    services.decide_proposal(proposal=proposal, decision=services.CONVERT, actor=None)
    opinion = Opinion.objects.get(member=reps[0].member)
    assert proposal.state == ProposalState.CONVERTED
    assert opinion.source_id == proposal.pk


def test_a_handler_of_another_department_cannot_reply():
    congress, reps = congress_with_representatives(4)
    proposal, _ = accepted_proposal(session_of(congress), reps)
    stranger = handler_of(DepartmentFactory(union=congress.union, name="教务处"))
    with pytest.raises(ValidationError) as e:
        services.reply_to_proposal(proposal=proposal, user=stranger, body="已安排")
    assert e.value.messages == ["您不是主办部门（总务处）的承办人，不能答复该提案"]


def test_the_lead_departments_handler_replies_on_time():
    congress, reps = congress_with_representatives(4)
    proposal, department = accepted_proposal(session_of(congress), reps)
    reply = services.reply_to_proposal(
        proposal=proposal,
        user=handler_of(department),
        body="已增设教师就餐区",
        today=datetime.date(2025, 4, 20),
    )
    assert reply.on_time and reply.round == 1
    assert proposal.state == ProposalState.REPLIED


def test_only_the_proposer_rates_the_reply():
    congress, reps = congress_with_representatives(4)
    proposal, department = accepted_proposal(session_of(congress), reps)
    services.reply_to_proposal(proposal=proposal, user=handler_of(department), body="已办理")
    with pytest.raises(ValidationError) as e:
        services.rate_reply(proposal=proposal, member=reps[1].member, rating=Rating.SATISFIED)
    assert e.value.messages == ["只有提案人本人可以评价答复"]


def test_unsatisfied_reopens_the_proposal_once_for_a_second_reply():
    congress, reps = congress_with_representatives(4)
    proposal, department = accepted_proposal(session_of(congress), reps)
    handler = handler_of(department)
    services.reply_to_proposal(proposal=proposal, user=handler, body="研究后答复")
    services.rate_reply(
        proposal=proposal, member=reps[0].member, rating=Rating.UNSATISFIED, comment="没有落实"
    )
    assert proposal.state == ProposalState.REOPENED
    second = services.reply_to_proposal(proposal=proposal, user=handler, body="已增设就餐区")
    services.rate_reply(
        proposal=proposal, member=reps[0].member, rating=Rating.UNSATISFIED, comment="仍不满意"
    )
    assert second.round == 2
    assert proposal.state == ProposalState.COMPLETED


def test_unsatisfied_without_a_reason_is_refused():
    congress, reps = congress_with_representatives(4)
    proposal, department = accepted_proposal(session_of(congress), reps)
    services.reply_to_proposal(proposal=proposal, user=handler_of(department), body="已办理")
    with pytest.raises(ValidationError) as e:
        services.rate_reply(proposal=proposal, member=reps[0].member, rating=Rating.UNSATISFIED)
    assert "不满意的原因" in e.value.messages[0]


def test_a_proposal_past_its_deadline_without_reply_is_overdue():
    congress, reps = congress_with_representatives(4)
    proposal, _ = accepted_proposal(session_of(congress), reps)
    late = queries.overdue(queries.of_congress(congress.pk), today=datetime.date(2025, 5, 1))
    assert list(late) == [proposal]


def test_the_board_puts_each_proposal_in_its_states_column():
    congress, reps = congress_with_representatives(4)
    session = session_of(congress)
    proposal, _ = accepted_proposal(session, reps)
    _draft(session, reps)
    columns = {c["state"]: c["proposals"] for c in queries.board(queries.of_congress(congress.pk))}
    assert columns[ProposalState.ACCEPTED] == [proposal]
    assert len(columns[ProposalState.DRAFT]) == 1


def test_satisfaction_rate_counts_satisfied_and_basically_satisfied_completions():
    from gonghui.reports.registry import value

    congress, reps = congress_with_representatives(4)
    session = session_of(congress)
    for rating in (Rating.SATISFIED, Rating.BASICALLY):
        proposal, department = accepted_proposal(session, reps)
        services.reply_to_proposal(proposal=proposal, user=handler_of(department), body="已办")
        services.rate_reply(
            proposal=proposal, member=reps[0].member, rating=rating, today=datetime.date(2025, 5, 2)
        )
    proposal, department = accepted_proposal(session, reps)
    handler = handler_of(department)
    for _ in range(2):
        services.reply_to_proposal(proposal=proposal, user=handler, body="已办")
        services.rate_reply(
            proposal=proposal,
            member=reps[0].member,
            rating=Rating.UNSATISFIED,
            comment="未解决",
            today=datetime.date(2025, 5, 2),
        )
    year = Period.year(2025)
    assert value("democracy.proposals_completed", [congress.union], year) == 3
    assert str(value("democracy.proposal_satisfaction_rate", [congress.union], year)) == "66.7"
