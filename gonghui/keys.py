"""Secrets kept in var/ on a development machine, from the environment in production."""

import os
import secrets
from pathlib import Path

from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured


def _write_private(path: Path, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(text)


def secret_in(path: Path, production: bool) -> str:
    """Return the secret stored at path, creating it on first use outside production."""
    if path.exists():
        return path.read_text().strip()
    if production:
        raise ImproperlyConfigured(f"{path.name.upper()} must be set in the environment")
    try:
        _write_private(path, secrets.token_urlsafe(50))
    except FileExistsError:
        pass  # another process created it first
    return path.read_text().strip()


def fernet_keys(from_env: str | None, path: Path, production: bool) -> list[str]:
    """Comma-separated Fernet keys; the first encrypts, all decrypt."""
    if from_env:
        return [k.strip() for k in from_env.split(",") if k.strip()]
    if not path.exists():
        if production:
            raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS must be set in the environment")
        try:
            _write_private(path, Fernet.generate_key().decode())
        except FileExistsError:
            pass
    return [k.strip() for k in path.read_text().split(",") if k.strip()]
