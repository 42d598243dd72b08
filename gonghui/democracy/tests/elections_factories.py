"""Elections and evaluations built through the services, with only what a test cares about."""

from datetime import timedelta

from django.utils import timezone

from gonghui.democracy.services import elections as services
from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs.tests.factories import UnionFactory

NAMES = ["王建国", "李秀英", "张伟", "刘芳", "陈磊", "杨静", "赵强", "孙丽", "周军", "吴敏"]


def election(
    union=None,
    *,
    seats=2,
    candidates=3,
    voters=5,
    open=True,
    channel="online",
    kind="other",
    **kwargs,
):
    """An election with `candidates` candidates and `voters` active members, opened
    now (window from an hour ago to an hour ahead) unless open=False."""
    union = union or UnionFactory()
    now = timezone.now()
    if voters:
        MemberFactory.create_batch(voters, union=union)
    made = services.create_election(
        union=union,
        title=kwargs.pop("title", "第三届工会委员会换届选举"),
        kind=kind,
        seats=seats,
        channel=channel,
        opens_at=kwargs.pop("opens_at", now - timedelta(hours=1)),
        closes_at=kwargs.pop("closes_at", now + timedelta(hours=1)),
        **kwargs,
    )
    for name in NAMES[:candidates]:
        services.add_candidate(election=made, name=name, profile=f"{name}，教师")
    if open:
        services.open_election(election=made)
    return made


def candidate_ids(election):
    return list(election.candidates.order_by("position").values_list("pk", flat=True))


def choose(*ids, write_ins=()):
    return {"c": {str(pk): "for" for pk in ids}, "w": list(write_ins)}


def electors(election):
    from gonghui.democracy.models import RollEntry
    from gonghui.members.models import Member

    ids = RollEntry.objects.filter(election=election).values("member_id")
    return list(Member.objects.filter(pk__in=ids).order_by("pk"))
