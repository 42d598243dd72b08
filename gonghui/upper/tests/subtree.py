"""A small city for the upper-union tests, built with the apps' own factories:

    市总工会 (city)
    ├── 甲区总工会 (district A): a1 (enterprise), a2 (school)
    └── 乙区总工会 (district B): b1 (enterprise), b2 (school)

The figures of 2026 (PERIOD) are known. `bare_city` has members 3/2/4/1
against headcounts 10/20/30/40. `city` adds a wage contract in force at a1 and
b1, a congress session held at a2 (its 3 representatives are members), open
affairs published at a1, a2 and b1, and hardship cases at a1 (not reviewed)
and b2 (reviewed), each for one more member.
"""

import datetime
from dataclasses import dataclass

from gonghui.care.models import ReviewOutcome
from gonghui.care.services import review_case
from gonghui.care.tests.factories import case
from gonghui.democracy.services import congress as congress_services
from gonghui.democracy.tests.congress_factories import congress_with_representatives, session_of
from gonghui.disclosure.tests.factories import post
from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs.models import Union, UnionKind
from gonghui.orgs.tests.factories import UnionFactory
from gonghui.periods import Period
from gonghui.rights.tests.factories import signed

PERIOD = Period.year(2026)
SESSION_DAY = datetime.date(2026, 3, 20)


@dataclass
class City:
    city: Union
    district_a: Union
    district_b: Union
    a1: Union
    a2: Union
    b1: Union
    b2: Union

    @property
    def units(self) -> list[Union]:
        return [self.a1, self.a2, self.b1, self.b2]


def _upper(name: str, parent: Union | None = None) -> Union:
    return UnionFactory(name=name, kind=UnionKind.FEDERATION, parent=parent, headcount=0)


def _unit(name: str, parent: Union, kind: str, headcount: int, members: int) -> Union:
    unit = UnionFactory(name=name, kind=kind, parent=parent, headcount=headcount)
    MemberFactory.create_batch(members, union=unit)
    return unit


def bare_city() -> City:
    """The tree and the members only."""
    city = _upper("测试市总工会")
    a = _upper("甲区总工会", city)
    b = _upper("乙区总工会", city)
    return City(
        city=city,
        district_a=a,
        district_b=b,
        a1=_unit("甲区机械厂工会", a, UnionKind.ENTERPRISE, 10, 3),
        a2=_unit("甲区实验小学工会", a, UnionKind.SCHOOL, 20, 2),
        b1=_unit("乙区电子厂工会", b, UnionKind.ENTERPRISE, 30, 4),
        b2=_unit("乙区中学工会", b, UnionKind.SCHOOL, 40, 1),
    )


def _congress_held(union: Union) -> None:
    congress, reps = congress_with_representatives(3, union=union)
    session = session_of(
        congress,
        open_=True,
        date=SESSION_DAY,
        proposals_open_on=datetime.date(2026, 3, 1),
        proposals_close_on=datetime.date(2026, 3, 18),
    )
    congress_services.sign_in(session=session, representatives=reps)
    congress_services.close_session(session=session, minutes="会议审议通过了年度工作报告。")


def city() -> City:
    """The tree with the records the KPIs count."""
    c = bare_city()
    signed(c.a1)
    signed(c.b1)
    _congress_held(c.a2)
    for unit in (c.a1, c.a2, c.b1):
        post(unit, publish_on=datetime.date(2026, 6, 1))
    case(MemberFactory(union=c.a1), filed_on=datetime.date(2025, 5, 1))
    reviewed = case(MemberFactory(union=c.b2), filed_on=datetime.date(2025, 5, 1))
    review_case(case=reviewed, on=datetime.date(2026, 5, 1), outcome=ReviewOutcome.CONTINUE)
    return c
