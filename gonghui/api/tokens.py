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


def token_for_key(key: str) -> ApiToken | None:
    """The active user's token with this key (its user fetched with it), or None."""
    if not key:
        return None
    return (
        ApiToken.objects.filter(digest=encryption.digest(key), user__is_active=True)
        .select_related("user")
        .first()
    )


def user_for_token(key: str):
    token = token_for_key(key)
    return token.user if token else None


def mark_used(token: ApiToken) -> None:
    """Note when a token was last used (at most once per LAST_USED_RESOLUTION).

    The check is made on the row already read, so a fresh token costs no
    statement at all: on SQLite even an UPDATE that matches nothing takes the
    write lock, which would queue every API read behind the writers.
    """
    now = timezone.now()
    if token.last_used_at is not None and token.last_used_at > now - LAST_USED_RESOLUTION:
        return
    ApiToken.objects.filter(pk=token.pk).exclude(
        last_used_at__gt=now - LAST_USED_RESOLUTION
    ).update(last_used_at=now)
    token.last_used_at = now
