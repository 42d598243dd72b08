"""Congress and proposal set-ups for tests: a term with representatives, an
open session, a submitted proposal. Written through the services so the
records keep their invariants."""

import datetime

from gonghui.democracy.models import CongressKind, RepresentativeCategory
from gonghui.democracy.services import congress as congress_services
from gonghui.democracy.services import proposals as proposal_services
from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs.models import Department, RoleAssignment
from gonghui.orgs.roles import Role
from gonghui.orgs.tests.factories import (
    DepartmentFactory,
    GroupFactory,
    UnionFactory,
    UserFactory,
)

DAY = datetime.date(2025, 3, 20)


def congress_with_representatives(n=6, union=None, **rules):
    """A 教代会 term whose `n` representatives are front-line, half of them women."""
    union = union or UnionFactory()
    group = GroupFactory(union=union)
    congress = congress_services.create_congress(
        union=union,
        kind=CongressKind.STAFF,
        term=3,
        starts_on=datetime.date(2024, 1, 1),
        **rules,
    )
    reps = [
        congress_services.elect_representative(
            congress=congress,
            member=MemberFactory(union=union, group=group, gender="FM"[i % 2]),
            group=group,
            category=RepresentativeCategory.FRONT_LINE,
            elected_on=datetime.date(2024, 1, 1),
        )
        for i in range(n)
    ]
    return congress, reps


def session_of(congress, *, open_=False, **kwargs):
    session = congress_services.create_session(
        congress=congress,
        date=kwargs.pop("date", DAY),
        place="学校报告厅",
        proposals_open_on=kwargs.pop("proposals_open_on", datetime.date(2025, 3, 1)),
        proposals_close_on=kwargs.pop("proposals_close_on", datetime.date(2025, 3, 18)),
    )
    if open_:
        congress_services.open_session(session=session)
    return session


def submitted_proposal(session, reps, *, today=datetime.date(2025, 3, 10)):
    proposal = proposal_services.draft_proposal(
        session=session,
        proposer=reps[0],
        title="改善教师午餐条件",
        reason="食堂座位不足，教师午餐排队时间长",
        measures="增设教师就餐区，错峰开餐",
        category="living",
    )
    for rep in reps[1 : 1 + session.congress.co_signers_min]:
        proposal_services.co_sign(proposal=proposal, representative=rep)
    return proposal_services.submit_proposal(proposal=proposal, member=reps[0].member, today=today)


def handler_of(department):
    """A portal account with Role.HANDLER whose member record is in `department`."""
    user = UserFactory()
    MemberFactory(union=department.union, department=department, user=user)
    RoleAssignment.objects.create(user=user, union=department.union, role=Role.HANDLER)
    return user


def accepted_proposal(session, reps, *, deadline=datetime.date(2025, 4, 30)):
    proposal = submitted_proposal(session, reps)
    department = Department.objects.filter(union=session.union, name="总务处").first()
    department = department or DepartmentFactory(union=session.union, name="总务处")
    proposal_services.decide_proposal(
        proposal=proposal,
        decision=proposal_services.ACCEPT,
        lead_department=department,
        deadline=deadline,
        actor=None,
        today=datetime.date(2025, 3, 25),
    )
    return proposal, department
