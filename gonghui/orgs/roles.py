"""Roles and what each may do. One table, read by tenancy, admin, portal and API."""

from django.db import models


class Role(models.TextChoices):
    CHAIR = "chair", "工会主席"
    COMMITTEE = "committee", "工会委员"
    LIAISON = "liaison", "工会小组长/联络员"
    REPRESENTATIVE = "representative", "职工代表"
    AUDIT = "audit", "经审委员"
    WOMEN = "women", "女职委委员"
    SAFETY = "safety", "群众安全监督员"
    HANDLER = "handler", "职能部门承办人"
    MEMBER = "member", "会员"
    UPPER_STAFF = "upper_staff", "上级工会工作人员"


class Perm:
    """Permission codes. Checked with orgs.access.can(user, perm, union)."""

    VIEW_ROSTER = "members.view"
    CHANGE_ROSTER = "members.change"
    IMPORT_ROSTER = "members.import"
    EXPORT_ROSTER = "members.export"
    REVEAL_SENSITIVE = "members.reveal"
    DECIDE_APPLICATIONS = "members.decide_applications"
    MANAGE_ORGS = "orgs.manage"
    MANAGE_ACCOUNTS = "orgs.accounts"
    VIEW_DASHBOARD = "reports.view"
    VIEW_FINANCE = "finance.view"
    CHANGE_FINANCE = "finance.change"
    VIEW_ACTIVITIES = "activities.view"
    CHANGE_ACTIVITIES = "activities.change"
    VIEW_CARE = "care.view"
    CHANGE_CARE = "care.change"
    REVEAL_CARE = "care.reveal"


_ALL = {
    Perm.VIEW_ROSTER,
    Perm.CHANGE_ROSTER,
    Perm.IMPORT_ROSTER,
    Perm.EXPORT_ROSTER,
    Perm.REVEAL_SENSITIVE,
    Perm.DECIDE_APPLICATIONS,
    Perm.MANAGE_ORGS,
    Perm.MANAGE_ACCOUNTS,
    Perm.VIEW_DASHBOARD,
    Perm.VIEW_FINANCE,
    Perm.CHANGE_FINANCE,
    Perm.VIEW_ACTIVITIES,
    Perm.CHANGE_ACTIVITIES,
    Perm.VIEW_CARE,
    Perm.CHANGE_CARE,
    Perm.REVEAL_CARE,
}

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.CHAIR: frozenset(_ALL),
    Role.COMMITTEE: frozenset(
        {
            Perm.VIEW_ROSTER,
            Perm.CHANGE_ROSTER,
            Perm.IMPORT_ROSTER,
            Perm.EXPORT_ROSTER,
            Perm.DECIDE_APPLICATIONS,
            Perm.VIEW_DASHBOARD,
            Perm.VIEW_FINANCE,
            Perm.VIEW_ACTIVITIES,
            Perm.CHANGE_ACTIVITIES,
            Perm.VIEW_CARE,
            Perm.CHANGE_CARE,
        }
    ),
    Role.LIAISON: frozenset({Perm.VIEW_ROSTER, Perm.VIEW_DASHBOARD, Perm.VIEW_ACTIVITIES}),
    Role.REPRESENTATIVE: frozenset(),
    Role.AUDIT: frozenset({Perm.VIEW_DASHBOARD, Perm.VIEW_FINANCE}),
    Role.WOMEN: frozenset({Perm.VIEW_ROSTER, Perm.VIEW_DASHBOARD, Perm.VIEW_CARE}),
    Role.SAFETY: frozenset(),
    Role.HANDLER: frozenset(),
    Role.MEMBER: frozenset(),
    # Upper-union staff read their subtree; they never write below themselves.
    Role.UPPER_STAFF: frozenset({Perm.VIEW_ROSTER, Perm.VIEW_DASHBOARD}),
}

# Roles that work in the back office (as opposed to only the portal).
STAFF_ROLES = frozenset(
    {Role.CHAIR, Role.COMMITTEE, Role.LIAISON, Role.AUDIT, Role.WOMEN, Role.UPPER_STAFF}
)
