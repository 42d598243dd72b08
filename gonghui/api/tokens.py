"""Bearer tokens for the API."""

from gonghui import encryption
from gonghui.api.models import ApiToken


def issue_token(*, user, name: str) -> str:
    """Create a token for user and return its key (shown once, stored as a digest)."""
    key = ApiToken.new_key()
    ApiToken.objects.create(user=user, name=name, digest=encryption.digest(key), prefix=key[:8])
    return key


def user_for_token(key: str):
    if not key:
        return None
    token = (
        ApiToken.objects.filter(digest=encryption.digest(key), user__is_active=True)
        .select_related("user")
        .first()
    )
    return token.user if token else None
