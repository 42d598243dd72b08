"""Encryption at rest for sensitive fields, and keyed digests for exact lookup.

The ciphertext is Fernet (AES-128-CBC + HMAC-SHA256) under MultiFernet, so
keys rotate: put a new key first in FIELD_ENCRYPTION_KEYS and re-save rows.
A plain hash of an 18-digit ID number is guessable by enumeration, so lookups
use an HMAC keyed with FIELD_HMAC_KEY, which never leaves the server.
"""

import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(k.encode()) for k in keys])


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt(text: str) -> str:
    return fernet().encrypt(text.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return fernet().decrypt(token.encode()).decode()
    except InvalidToken as e:
        raise ValueError("无法解密：加密密钥不匹配") from e


def digest(value: str) -> str:
    """Keyed digest of a normalised value, for exact-match lookup and uniqueness."""
    if not value:
        return ""
    key = settings.FIELD_HMAC_KEY.encode()
    return hmac.new(key, value.strip().upper().encode(), hashlib.sha256).hexdigest()


class EncryptedTextField(models.TextField):
    """A text column stored encrypted; Python sees plaintext, the database never does.

    Not usable in filters or ordering: look up through a digest column instead.
    """

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return encrypt(value)

    def from_db_value(self, value, expression, connection):
        if value in (None, ""):
            return value
        return decrypt(value)
