"""Bearer tokens for the API."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from gonghui import encryption
from gonghui.api.models import ApiToken

# Recording every use would turn each read into a write; a coarse timestamp is enough.
LAST_USED_RESOLUTION = timedelta(minutes=5)


@transaction.atomic
def save_new_token(*, token: ApiToken) -> str:
    """Give an unsaved token a fresh key, store only its digest, and return the key once."""
    key = ApiToken.new_key()
    token.digest = encryption.digest(key)
    token.prefix = key[:8]
    token.save()
    return key


def issue_token(*, user, name: str) -> str:
    """Create a token for user and return its key (shown once, stored as a digest)."""
    return save_new_token(token=ApiToken(user=user, name=name))


def user_for_token(key: str):
    if not key:
        return None
    token = (
        ApiToken.objects.filter(digest=encryption.digest(key), user__is_active=True)
        .select_related("user")
        .first()
    )
    return token.user if token else None


def mark_used(key: str) -> None:
    """Note when a token was last used (at most once per LAST_USED_RESOLUTION)."""
    now = timezone.now()
    ApiToken.objects.filter(digest=encryption.digest(key)).exclude(
        last_used_at__gt=now - LAST_USED_RESOLUTION
    ).update(last_used_at=now)
