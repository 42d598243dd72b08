"""Who may see and do what, in which unions.

A role held in a union grants its permissions in that union. Upper-union staff
read the whole subtree below their union (read-only). Everything that decides
access asks here, so the rule is written once.
"""

from dataclasses import dataclass, field

from django.db.models import Q

from gonghui.orgs.models import RoleAssignment, Union
from gonghui.orgs.roles import ROLE_PERMISSIONS, STAFF_ROLES, Role


@dataclass
class Access:
    """What one user may do, computed once per request."""

    read: set[int] = field(default_factory=set)
    perms: dict[int, set[str]] = field(default_factory=dict)
    roles: dict[int, set[str]] = field(default_factory=dict)
    is_staff: bool = False

    def can(self, perm: str, union_id: int | None) -> bool:
        return union_id is not None and perm in self.perms.get(union_id, ())

    def unions_with(self, perm: str) -> list[int]:
        return sorted(u for u, p in self.perms.items() if perm in p)

    def has_role(self, role: str, union_id: int) -> bool:
        return role in self.roles.get(union_id, ())


def access_for(user) -> Access:
    if user is None or not user.is_authenticated or not user.is_active:
        return Access()
    cached = getattr(user, "_gonghui_access", None)
    if cached is not None:
        return cached
    access = Access()
    assignments = list(
        RoleAssignment.objects.filter(user=user)
        .select_related("union")
        .only("role", "union__id", "union__path")
    )
    upper_paths = []
    for a in assignments:
        access.read.add(a.union_id)
        access.roles.setdefault(a.union_id, set()).add(a.role)
        access.perms.setdefault(a.union_id, set()).update(ROLE_PERMISSIONS.get(a.role, ()))
        if a.role in STAFF_ROLES:
            access.is_staff = True
        if a.role == Role.UPPER_STAFF:
            upper_paths.append(a.union.path)
    if upper_paths:
        q = Q()
        for p in upper_paths:
            q |= Q(path__startswith=p)
        upper_perms = ROLE_PERMISSIONS[Role.UPPER_STAFF]
        for union_id in Union.objects.filter(q).values_list("id", flat=True):
            access.read.add(union_id)
            access.perms.setdefault(union_id, set()).update(upper_perms)
    user._gonghui_access = access
    return access


def readable_unions(user):
    return Union.objects.filter(id__in=access_for(user).read)
