"""Reads and registered metrics of 厂务公开."""

from datetime import date

from django.db.models import Q

from gonghui.disclosure.models import Audience, Post
from gonghui.members.models import Member, Status
from gonghui.orgs.models import RoleAssignment
from gonghui.orgs.roles import Role


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
