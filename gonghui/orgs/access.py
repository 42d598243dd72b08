"""Who may see and do what, in which unions.

A role held in a union grants its permissions in that union. Upper-union staff
read the whole subtree below their union (read-only). Everything that decides
access asks here, so the rule is written once.
"""

from dataclasses import dataclass, field

from django.db.models import Q

from gonghui.orgs.models import RoleAssignment, Union
from gonghui.orgs.roles import ROLE_PERMISSIONS, STAFF_ROLES, Role
from gonghui.sqlrows import Columns, fetch


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
    upper_paths = []
    for union_id, role, path in _assignments(user.pk):
        access.read.add(union_id)
        access.roles.setdefault(union_id, set()).add(role)
        access.perms.setdefault(union_id, set()).update(ROLE_PERMISSIONS.get(role, ()))
        if role in STAFF_ROLES:
            access.is_staff = True
        if role == Role.UPPER_STAFF:
            upper_paths.append(path)
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


_ROLE = Columns(RoleAssignment, "a", {"union_id", "role"})
_UNION = Columns(Union, "n", {"path"})


def _assignments(user_id: int) -> list[tuple[int, str, str]]:
    """(union id, role, union path) of each role the user holds. Read on every
    request, so written as one statement (gonghui.sqlrows) instead of an ORM
    query that costs more to build than to run."""
    a, n = _ROLE.column, _UNION.column
    return fetch(
        f"SELECT {a('union_id')}, {a('role')}, {n('path')} FROM {_ROLE.table()}"
        f" INNER JOIN {_UNION.table()} ON {n('id')} = {a('union_id')}"
        f" WHERE {a('user_id')} = %s",
        [user_id],
        many=True,
    )


def readable_unions(user):
    return Union.objects.filter(id__in=access_for(user).read)
