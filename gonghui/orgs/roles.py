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
    # Democratic management (congresses, proposals, elections, evaluation).
    VIEW_DEMOCRACY = "democracy.view"
    CHANGE_DEMOCRACY = "democracy.change"
    # Open affairs.
    VIEW_DISCLOSURE = "disclosure.view"
    CHANGE_DISCLOSURE = "disclosure.change"
    # Members' opinions and suggestions.
    VIEW_VOICE = "voice.view"
    CHANGE_VOICE = "voice.change"
    # Safety: hazards, inspections, drills, contests, the quarterly draw.
    VIEW_SAFETY = "safety.view"
    CHANGE_SAFETY = "safety.change"
    VERIFY_SAFETY = "safety.verify"
    # Women workers; four-period records need REVEAL_WOMEN as well.
    VIEW_WOMEN = "women.view"
    CHANGE_WOMEN = "women.change"
    REVEAL_WOMEN = "women.reveal"
    # Learning: training, question bank, exams.
    VIEW_LEARNING = "learning.view"
    CHANGE_LEARNING = "learning.change"
    # Recognition: awards, model workers, group assessment.
    VIEW_HONORS = "honors.view"
    CHANGE_HONORS = "honors.change"
    # Rights: contracts, negotiation, disputes, legal aid, supervision.
    VIEW_RIGHTS = "rights.view"
    CHANGE_RIGHTS = "rights.change"
    # Personal-information duties: recording paper consents, anonymising
    # members past the retention period, reviewing the access log.
    RECORD_CONSENT = "privacy.consent"
    ANONYMISE = "privacy.anonymise"
    REVIEW_ACCESS_LOG = "privacy.access_log"
    # Report collection (上报): an upper union's staff issue requests, send
    # reminders and draft the consolidated report (only where they hold the
    # role themselves, see collection.queries); a unit's chair and committee submit.
    ISSUE_COLLECTION = "collection.issue"
    SUBMIT_COLLECTION = "collection.submit"
    # Restructuring the tree below an upper union: moving a union under another
    # parent, merging one union into another (orgs.services).
    RESTRUCTURE = "orgs.restructure"


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
    Perm.VIEW_DEMOCRACY,
    Perm.CHANGE_DEMOCRACY,
    Perm.VIEW_DISCLOSURE,
    Perm.CHANGE_DISCLOSURE,
    Perm.VIEW_VOICE,
    Perm.CHANGE_VOICE,
    Perm.VIEW_SAFETY,
    Perm.CHANGE_SAFETY,
    Perm.VERIFY_SAFETY,
    Perm.VIEW_WOMEN,
    Perm.CHANGE_WOMEN,
    Perm.REVEAL_WOMEN,
    Perm.VIEW_LEARNING,
    Perm.CHANGE_LEARNING,
    Perm.VIEW_HONORS,
    Perm.CHANGE_HONORS,
    Perm.VIEW_RIGHTS,
    Perm.CHANGE_RIGHTS,
    Perm.RECORD_CONSENT,
    Perm.ANONYMISE,
    Perm.REVIEW_ACCESS_LOG,
    Perm.SUBMIT_COLLECTION,
}

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    # Four-period records are the women's committee's and the member's own (issue 5).
    Role.CHAIR: frozenset(_ALL - {Perm.REVEAL_WOMEN}),
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
            Perm.VIEW_DEMOCRACY,
            Perm.CHANGE_DEMOCRACY,
            Perm.VIEW_DISCLOSURE,
            Perm.CHANGE_DISCLOSURE,
            Perm.VIEW_VOICE,
            Perm.CHANGE_VOICE,
            Perm.VIEW_SAFETY,
            Perm.CHANGE_SAFETY,
            Perm.VIEW_WOMEN,
            Perm.CHANGE_WOMEN,
            Perm.VIEW_LEARNING,
            Perm.CHANGE_LEARNING,
            Perm.VIEW_HONORS,
            Perm.CHANGE_HONORS,
            Perm.VIEW_RIGHTS,
            Perm.CHANGE_RIGHTS,
            Perm.RECORD_CONSENT,
            Perm.SUBMIT_COLLECTION,
        }
    ),
    Role.LIAISON: frozenset(
        {
            Perm.VIEW_ROSTER,
            Perm.VIEW_DASHBOARD,
            Perm.VIEW_ACTIVITIES,
            Perm.VIEW_VOICE,
            Perm.CHANGE_VOICE,
            Perm.VIEW_SAFETY,
            # A group leader follows the group assessment: rules, scores, ranking.
            Perm.VIEW_HONORS,
        }
    ),
    Role.REPRESENTATIVE: frozenset(),
    Role.AUDIT: frozenset({Perm.VIEW_DASHBOARD, Perm.VIEW_FINANCE}),
    Role.WOMEN: frozenset(
        {
            Perm.VIEW_ROSTER,
            Perm.VIEW_DASHBOARD,
            Perm.VIEW_CARE,
            Perm.VIEW_WOMEN,
            Perm.CHANGE_WOMEN,
            Perm.REVEAL_WOMEN,
            Perm.RECORD_CONSENT,
        }
    ),
    Role.SAFETY: frozenset({Perm.VIEW_SAFETY, Perm.CHANGE_SAFETY, Perm.VERIFY_SAFETY}),
    Role.HANDLER: frozenset(),
    Role.MEMBER: frozenset(),
    # Upper-union staff read their subtree; they never write below themselves,
    # except to restructure it (move or merge unions, orgs.services).
    Role.UPPER_STAFF: frozenset(
        {Perm.VIEW_ROSTER, Perm.VIEW_DASHBOARD, Perm.ISSUE_COLLECTION, Perm.RESTRUCTURE}
    ),
}

# Roles that work in the back office (as opposed to only the portal).
STAFF_ROLES = frozenset(
    {
        Role.CHAIR,
        Role.COMMITTEE,
        Role.LIAISON,
        Role.AUDIT,
        Role.WOMEN,
        Role.SAFETY,
        Role.UPPER_STAFF,
    }
)
