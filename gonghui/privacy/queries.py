"""Reads of the privacy screens: a member's consents, and the access log
filtered for review."""

from datetime import datetime, time

from django.db.models import Q, QuerySet
from django.utils import timezone

from gonghui.members.models import Member
from gonghui.orgs.models import AccessLog
from gonghui.privacy.models import Consent
from gonghui.privacy.purposes import PURPOSES, Category


def consents_of(member: Member) -> list[dict]:
    """Per category: the purpose text, the current consent (or None) and the history."""
    history = list(Consent.objects.filter(member=member).order_by("-given_at", "-id"))
    return [
        {
            "category": category,
            "label": label,
            "purpose": PURPOSES[category],
            "current": next((c for c in history if c.category == category and c.is_current), None),
            "history": [c for c in history if c.category == category],
        }
        for category, label in Category.choices
    ]


def reveals_of(member: Member, *, limit: int = 50) -> list[AccessLog]:
    """The latest reveals of the member's own sensitive values and records, so she
    can see who in the union opened them and why (PIPL art. 44: the right to know)."""
    from gonghui.care.models import HardshipCase
    from gonghui.women.models import ProtectionRecord

    cases = HardshipCase.objects.filter(member=member).values_list("pk", flat=True)
    records = ProtectionRecord.objects.filter(member=member).values_list("pk", flat=True)
    about = (
        Q(object_type="member", object_id=str(member.pk))
        | Q(object_type="hardship_case", object_id__in=[str(p) for p in cases])
        | Q(object_type="protection_record", object_id__in=[str(p) for p in records])
    )
    return list(
        AccessLog.objects.filter(about, union_id=member.union_id)
        .select_related("user")
        .order_by("-at", "-id")[:limit]
    )


def _day_start(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def access_log(*, unions, union=None, viewer="", subject="", field="", since=None, until=None):
    """Reveals in `unions`, newest first, narrowed by the review filters."""
    rows: QuerySet = AccessLog.objects.filter(union__in=unions)
    if union is not None:
        rows = rows.filter(union=union)
    if viewer:
        rows = rows.filter(
            Q(user__username__icontains=viewer) | Q(user__display_name__icontains=viewer)
        )
    if subject:
        rows = rows.filter(subject__icontains=subject)
    if field:
        rows = rows.filter(field=field)
    if since:
        rows = rows.filter(at__gte=_day_start(since))
    if until:
        rows = rows.filter(at__lt=_day_start(until) + timezone.timedelta(days=1))
    return rows.select_related("user", "union").order_by("-at", "-id")


def logged_fields(unions) -> list[str]:
    return sorted(
        set(AccessLog.objects.filter(union__in=unions).values_list("field", flat=True).distinct())
    )
