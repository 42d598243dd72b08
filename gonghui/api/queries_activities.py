"""Reads behind the activities endpoints."""

from datetime import datetime, time, timedelta

from django.db.models import Count, Q
from django.utils import timezone

from gonghui.activities.models import Activity, SignUp, SignUpState
from gonghui.api.queries_finance import page


def _day_start(day):
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_current_timezone())


def open_now(now) -> Q:
    """Activities whose sign-up window is open at `now` (as the portal shows them)."""
    return Q(signup_opens_at__lte=now) & (
        Q(signup_closes_at__gte=now) | Q(signup_closes_at__isnull=True, starts_at__gt=now)
    )


def with_counts(activities):
    return activities.annotate(
        waiting_count=Count("signups", filter=Q(signups__state=SignUpState.WAITING))
    ).prefetch_related("audience_groups")


def activity_page(
    *,
    union_ids,
    union=None,
    type=None,
    starts_from=None,
    starts_until=None,
    open_for_sign_up=None,
    cursor=None,
    limit=50,
    now=None,
):
    """One page of activities of `union_ids` in id order, and the next page's cursor."""
    rows = Activity.objects.filter(union_id__in=union_ids)
    if union is not None:
        rows = rows.filter(union_id=union)
    if type:
        rows = rows.filter(type=type)
    if starts_from is not None:
        rows = rows.filter(starts_at__gte=_day_start(starts_from))
    if starts_until is not None:
        rows = rows.filter(starts_at__lt=_day_start(starts_until + timedelta(days=1)))
    if open_for_sign_up is not None:
        condition = open_now(now or timezone.now())
        rows = rows.filter(condition) if open_for_sign_up else rows.exclude(condition)
    return page(with_counts(rows), cursor=cursor, limit=limit)


def signups_of(activity):
    return (
        SignUp.objects.filter(activity=activity)
        .select_related("member")
        .order_by("created_at", "pk")
    )
