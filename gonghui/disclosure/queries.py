"""Reads and registered metrics of 厂务公开."""

from datetime import date, datetime, time, timedelta

from django.db.models import Case, CharField, Count, Exists, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone

from gonghui.disclosure.models import Audience, Category, Feedback, FeedbackKind, Post, Read
from gonghui.members.models import Member, Status
from gonghui.orgs.models import RoleAssignment
from gonghui.orgs.roles import Role
from gonghui.reports.registry import metric, ratio


def is_representative(member: Member) -> bool:
    """A congress representative: the member's account holds
    Role.REPRESENTATIVE in the member's union."""
    if member.user_id is None:
        return False
    return RoleAssignment.objects.filter(
        user_id=member.user_id, union_id=member.union_id, role=Role.REPRESENTATIVE
    ).exists()


def visible_on(day: date) -> Q:
    return Q(publish_on__lte=day) & (Q(withdraw_on__isnull=True) | Q(withdraw_on__gt=day))


def posts_for_member(member: Member, *, today: date):
    """The posts this member may read today, newest first."""
    if member.status != Status.ACTIVE:
        return Post.objects.none()
    posts = Post.objects.filter(visible_on(today), union_id=member.union_id)
    if not is_representative(member):
        posts = posts.filter(audience=Audience.ALL)
    return posts


def member_can_see(post: Post, member: Member, *, today: date) -> bool:
    if post.union_id != member.union_id or member.status != Status.ACTIVE:
        return False
    if not post.is_visible_on(today):
        return False
    return post.audience == Audience.ALL or is_representative(member)


def visible_feedback(post: Post, member: Member):
    """The questions a member sees under a post: every publicly answered one
    and their own."""
    return (
        Feedback.objects.filter(post=post)
        .filter(Q(member=member) | Q(reply_public=True, replied_at__isnull=False))
        .order_by("asked_at", "id")
    )


def audience_size(post: Post) -> int:
    """How many members may read the post (today's roll)."""
    members = Member.objects.filter(union_id=post.union_id, status=Status.ACTIVE)
    if post.audience == Audience.REPRESENTATIVES:
        members = members.filter(user_id__in=_representative_users([post.union_id]))
    return members.count()


def _representative_users(union_ids):
    return RoleAssignment.objects.filter(union_id__in=union_ids, role=Role.REPRESENTATIVE).values(
        "user_id"
    )


def post_stats(post: Post) -> dict:
    reads = post.reads.count()
    audience = audience_size(post)
    feedback = post.feedback.aggregate(
        asked=Count("pk"), answered=Count("pk", filter=Q(replied_at__isnull=False))
    )
    return {
        "reads": reads,
        "audience": audience,
        "read_rate": round(reads * 100 / audience, 1) if audience else 0.0,
        "asked": feedback["asked"],
        "answered": feedback["answered"],
    }


def unanswered(unions):
    return Feedback.objects.filter(union__in=unions, replied_at__isnull=True)


# Metrics -------------------------------------------------------------------------------


def _labelled(field: str, choices) -> Case:
    return Case(
        *[When(**{field: value}, then=Value(label)) for value, label in choices.choices],
        default=Value("其他"),
        output_field=CharField(),
    )


def _moments(period) -> tuple[datetime, datetime]:
    """The period as [first moment, moment after the last day), local time."""
    start, end = period.bounds
    zone = timezone.get_current_timezone()
    return (
        datetime.combine(start, time.min, tzinfo=zone),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone),
    )


def posts_in(unions, period) -> QuerySet:
    return Post.objects.filter(union__in=unions, publish_on__range=period.bounds)


@metric(
    "disclosure.posts",
    label="公开事项",
    unit="项",
    breakdown="category_label",
    description="本期发布的公开事项，按公开类别分",
)
def posts(unions, period):
    return posts_in(unions, period).annotate(category_label=_labelled("category", Category))


def _register_category(choice) -> None:
    def records(unions, period):
        return posts_in(unions, period).filter(category=choice.value)

    metric(
        f"disclosure.posts_{choice.value}",
        label=f"公开事项：{choice.label}",
        unit="项",
        description=f"本期发布的“{choice.label}”类公开事项",
    )(records)


for _choice in Category:
    _register_category(_choice)


@metric(
    "disclosure.reads",
    label="公开事项阅读人次",
    unit="人次",
    description="本期发布的公开事项被会员首次阅读的人次（同一会员重复阅读只计一次）",
)
def reads(unions, period):
    return Read.objects.filter(union__in=unions, post__publish_on__range=period.bounds)


def expected_reads(ids, period) -> dict[int, int]:
    """Each union's Σ over the period's posts of the members who may read
    them: every member on the roll at the period's end for an all-members
    post, the representatives among them for a representatives' post."""
    by_union: dict[int, dict[str, int]] = {}
    for union_id, audience, n in (
        posts_in(ids, period).values_list("union_id", "audience").annotate(n=Count("pk")).order_by()
    ):
        by_union.setdefault(union_id, {})[audience] = n
    if not by_union:
        return {}
    roll = Member.objects.filter(
        union_id__in=list(by_union), status=Status.ACTIVE, joined_on__lte=period.end
    )
    members = dict(roll.values_list("union_id").annotate(n=Count("pk")).order_by())
    # A representative of the member's own union, not of another one given.
    own_rep = RoleAssignment.objects.filter(
        union_id=OuterRef("union_id"), user_id=OuterRef("user_id"), role=Role.REPRESENTATIVE
    )
    reps = dict(
        roll.filter(Exists(own_rep)).values_list("union_id").annotate(n=Count("pk")).order_by()
    )
    return {
        union_id: posts.get(Audience.ALL, 0) * members.get(union_id, 0)
        + posts.get(Audience.REPRESENTATIVES, 0) * reps.get(union_id, 0)
        for union_id, posts in by_union.items()
    }


ratio(
    "disclosure.read_rate",
    label="公开事项阅读率",
    numerator="disclosure.reads",
    denominators=expected_reads,
    description="本期公开事项的阅读人次 ÷ 应阅读人次（每项公开事项的公开范围内在册会员数之和）",
)


@metric(
    "disclosure.feedback",
    label="收到提问和反馈",
    unit="条",
    breakdown="kind_label",
    description="本期会员对公开事项提出的问题和意见反馈",
)
def feedback(unions, period):
    start, end = _moments(period)
    return Feedback.objects.filter(
        union__in=unions, asked_at__gte=start, asked_at__lt=end
    ).annotate(kind_label=_labelled("kind", FeedbackKind))


@metric(
    "disclosure.feedback_answered",
    label="已答复提问和反馈",
    unit="条",
    description="本期提出、已经答复的问题和反馈",
)
def feedback_answered(unions, period):
    return feedback(unions, period).filter(replied_at__isnull=False)


ratio(
    "disclosure.answer_rate",
    label="提问答复率",
    numerator="disclosure.feedback_answered",
    denominator="disclosure.feedback",
    description="本期提出的问题和反馈中已答复的 ÷ 本期提出的",
)
