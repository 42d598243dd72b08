"""A union with a month of records (March 2025) for the newsletter tests, and
the numbers a direct count over those records gives."""

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from django.utils import timezone

from gonghui.activities.models import Attendance, CheckIn
from gonghui.activities.tests.factories import ActivityFactory
from gonghui.attachments import services as attachments
from gonghui.care.tests.factories import campaign, donate, visit
from gonghui.honors import services as honors
from gonghui.honors.tests.factories import star_nomination
from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs.roles import Role
from gonghui.orgs.tests.factories import UnionFactory, user_with_role
from gonghui.safety.tests.factories import photo

MONTH = date(2025, 3, 1)


def at(day: date, hour: int = 15):
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def activity(union, title: str, day: date, present):
    starts = at(day)
    found = ActivityFactory(
        union=union,
        title=title,
        starts_at=starts,
        signup_opens_at=at(date(day.year, day.month, 1), 8),
        signup_closes_at=at(day, 8),
    )
    for m in present:
        Attendance.objects.create(
            union=union, activity=found, member=m, how=CheckIn.LIST, at=starts
        )
    return found


@dataclass
class Month:
    union: object
    chair: object
    members: list
    tug_of_war: object
    activities_held: int
    attendances: int
    visits: int
    members_visited: int
    donated: Decimal
    awards: int


def month_of_records(union=None) -> Month:
    union = union or UnionFactory(name="实验学校工会")
    chair = user_with_role(union, Role.CHAIR, username=f"chair-{union.code}")
    members = MemberFactory.create_batch(6, union=union)
    tug = activity(union, "教职工拔河比赛", date(2025, 3, 12), members[:5])
    activity(union, "读书分享会", date(2025, 3, 20), members[:2])
    activity(union, "四月踏青", date(2025, 4, 5), members)  # another month
    attachments.attach(record=tug, upload=photo("拔河.jpg"), actor=chair)
    visit(union, members[:2], on=date(2025, 3, 10), amount="0")
    visit(union, members[2:3], on=date(2025, 3, 25), kind="birth")
    visit(union, members[3:4], on=date(2025, 2, 25))  # another month
    drive = campaign(union, opens_on=date(2025, 3, 1), closes_on=date(2025, 4, 30))
    donate(drive, "200.50", on=date(2025, 3, 5))
    donate(drive, "100.00", on=date(2025, 3, 18))
    donate(drive, "50.00", on=date(2025, 4, 2))
    nomination = star_nomination(union=union, member=members[0])
    honors.decide(nomination=nomination, granted=True, on=date(2025, 3, 30), actor=chair)
    return Month(
        union=union,
        chair=chair,
        members=members,
        tug_of_war=tug,
        activities_held=2,
        attendances=7,
        visits=2,
        members_visited=3,
        donated=Decimal("300.50"),
        awards=1,
    )
