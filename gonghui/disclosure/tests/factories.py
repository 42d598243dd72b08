"""Open-affairs records built through disclosure.services."""

from datetime import timedelta

from django.utils import timezone

from gonghui.disclosure import services
from gonghui.finance.tests.factories import staff
from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs.roles import Role
from gonghui.orgs.tests.factories import user_with_role


def post(union, **kwargs):
    return services.create_post(
        union=union,
        category=kwargs.pop("category", "pay"),
        title=kwargs.pop("title", "2026年绩效工资分配方案"),
        body=kwargs.pop("body", "<p>经教代会审议通过，现予公开。</p>"),
        audience=kwargs.pop("audience", "all"),
        publish_on=kwargs.pop("publish_on", timezone.localdate() - timedelta(days=1)),
        actor=kwargs.pop("actor", None) or staff(union),
        **kwargs,
    )


def member_with_account(union, *, representative=False, **kwargs):
    user = user_with_role(union, Role.MEMBER, password=None)
    if representative:
        from gonghui.orgs.models import RoleAssignment

        RoleAssignment.objects.create(user=user, union=union, role=Role.REPRESENTATIVE)
    return MemberFactory(union=union, user=user, **kwargs)
