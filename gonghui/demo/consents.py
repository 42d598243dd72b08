"""Separate consents for the demo's sensitive records (PIPL): every member
whose hardship case, health details or four-period record the demo stores
first signs a paper consent form, recorded by the union on or before the day
the record starts. Used by the care and women fillers."""

from datetime import date, datetime, time

from django.utils import timezone

from gonghui.privacy.models import Channel, Consent
from gonghui.privacy.purposes import purpose_of


def paper(*, union, signed: dict, category: str, actor) -> None:
    """Record, in one insert, a paper consent to `category` for each member in
    `signed` (member → the day she signed), skipping members who hold one."""
    held = set(
        Consent.objects.filter(
            member__in=list(signed), category=category, withdrawn_at=None
        ).values_list("member_id", flat=True)
    )
    purpose = purpose_of(category)
    Consent.objects.bulk_create(
        Consent(
            union=union,
            member=member,
            category=category,
            purpose_version=purpose.version,
            purpose_text=purpose.text,
            given_at=_moment(on),
            channel=Channel.PAPER,
            paper_reference=f"同意书{on:%Y%m%d}-{member.pk}",
            signed_on=on,
            recorded_by=actor,
        )
        for member, on in signed.items()
        if member.pk not in held
    )


def _moment(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(9, 0)))
