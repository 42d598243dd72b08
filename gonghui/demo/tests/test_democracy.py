"""The school demo's 教代会: a term with representatives, a session each year
with sign-in and passed resolutions published to open affairs, and proposals
in every state from submitted to rated, consistent with what the services keep."""

from datetime import date

from gonghui.demo.tests.dates import TODAY
from gonghui.democracy.models import (
    Congress,
    CongressKind,
    CongressSession,
    Proposal,
    ProposalReply,
    ProposalState,
    Rating,
    Representative,
    RepresentativeCategory,
    ResolutionState,
    SessionAttendance,
    SessionState,
)
from gonghui.democracy.queries import congress as congress_queries
from gonghui.democracy.services.proposals import handler_department_error
from gonghui.disclosure.models import Post
from gonghui.members.models import Member, Status
from gonghui.periods import Period
from gonghui.reports import registry

YEARS = (
    Period(date(TODAY.year - 1, 1, 1), date(TODAY.year - 1, 12, 31)),
    Period(date(TODAY.year, 1, 1), TODAY),
)


def test_the_school_has_one_staff_congress_term_with_about_one_representative_in_nine(school):
    congress = Congress.objects.get(union=school)
    assert congress.kind == CongressKind.STAFF
    reps = Representative.objects.filter(congress=congress)
    members = Member.objects.filter(union=school, status=Status.ACTIVE).count()
    assert members / 11 <= reps.count() <= members / 7
    assert not congress_queries.composition(congress)["problems"]
    assert reps.filter(category=RepresentativeCategory.MANAGER).count() * 5 <= reps.count()


def test_the_school_held_a_closed_and_published_session_in_each_of_the_two_years(school):
    sessions = CongressSession.objects.filter(union=school).order_by("date")
    assert [s.date.year for s in sessions] == [TODAY.year - 1, TODAY.year]
    for session in sessions:
        assert session.state == SessionState.CLOSED and session.date < TODAY
        quorum = congress_queries.quorum(session)
        assert quorum["reached"] and quorum["present"] < quorum["total"] + 1
        assert SessionAttendance.objects.filter(session=session).count() == quorum["present"]
        kinds = set(session.agenda.values_list("kind", flat=True))
        assert {"work_report", "finance_report", "audit_report", "affairs_plan"} <= kinds
        resolutions = session.resolutions.all()
        assert resolutions and all(r.state == ResolutionState.PASSED for r in resolutions)
        assert {r.mode for r in resolutions} == {"open", "secret"}
        for r in resolutions.filter(mode="open"):
            assert r.open_votes.count() == r.votes_for + r.votes_against + r.votes_abstain
        post = Post.objects.get(union=school, title__contains=str(session))
        assert session.date < post.publish_on <= TODAY
        assert session.published_at.date() == post.publish_on


def test_the_schools_proposals_reach_every_state_with_replies_and_ratings(school):
    proposals = Proposal.objects.filter(union=school)
    per_year = [
        proposals.filter(submitted_on__year=y).count() for y in (TODAY.year - 1, TODAY.year)
    ]
    assert all(8 <= n <= 25 for n in per_year)
    states = set(proposals.values_list("state", flat=True))
    assert {ProposalState.COMPLETED, ProposalState.CONVERTED} <= states
    assert states & {ProposalState.REJECTED, ProposalState.ACCEPTED, ProposalState.REOPENED}
    for p in proposals:
        assert p.co_signatures.count() >= p.session.congress.co_signers_min
        assert p.session.proposals_open_on <= p.submitted_on <= p.session.proposals_close_on
        assert p.created_at.date() <= p.submitted_on
        if p.state == ProposalState.REJECTED:
            assert p.decision_reason
    replies = ProposalReply.objects.filter(union=school)
    assert replies.exists()
    assert replies.filter(rating=Rating.SATISFIED).count() * 2 > replies.exclude(rating="").count()
    for reply in replies.select_related("proposal"):
        assert reply.replied_on <= TODAY and (reply.rated_on is None or reply.rated_on <= TODAY)
        assert handler_department_error(proposal=reply.proposal, user=reply.handler) is None
        assert reply.on_time == (reply.replied_on <= reply.proposal.deadline) or reply.round == 2


def test_the_proposal_metrics_are_non_zero_and_add_up(school):
    for period in YEARS:

        def value(name, period=period):
            return registry.value(f"democracy.{name}", [school.pk], period)

        submitted = value("proposals_submitted")
        assert submitted > 0
        assert 0 < value("proposals_accepted") + value("proposals_converted") <= submitted
        assert 0 < value("proposals_replied_on_time") <= value("proposals_replied")
        assert 0 < value("proposals_satisfied") <= value("proposals_completed")
        assert value("resolutions_passed") > 0 and value("sessions_held") == 1
    assert registry.value("democracy.proposals_overdue", [school.pk], YEARS[1]) > 0
