"""Bearer tokens for the API."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from gonghui import encryption
from gonghui.api.models import ApiToken
from gonghui.sqlrows import Columns, fetch

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


_TOKEN = Columns(ApiToken, "t")
_USER = Columns(get_user_model(), "u")


def token_for_key(key: str) -> ApiToken | None:
    """The active user's token with this key (its user fetched with it), or None.

    Every API call asks this first, so it is one hand-written statement
    (gonghui.sqlrows) rather than an ORM query that costs more to build than to run.
    """
    if not key:
        return None
    t, u = _TOKEN.column, _USER.column
    row = fetch(
        f"SELECT {_TOKEN.sql()}, {_USER.sql()} FROM {_TOKEN.table()}"
        f" INNER JOIN {_USER.table()} ON {u('id')} = {t('user_id')}"
        f" WHERE {t('digest')} = %s AND {u('is_active')}",
        [encryption.digest(key)],
    )
    if row is None:
        return None
    token = _TOKEN.build(row[: len(_TOKEN)])
    token.user = _USER.build(row[len(_TOKEN) :])
    return token


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
