"""Opaque cursors for keyset pagination on the primary key.

A cursor names the last row of the previous page; the next page is the rows
after it in id order, so pages stay stable while rows are added or changed.
"""

import base64
import binascii
import re

from django.core.exceptions import ValidationError

_SHAPE = re.compile(r"^m(\d{1,18})$")
INVALID = "分页游标无效，请去掉 cursor 参数从第一页重新开始"


def encode(last_id: int) -> str:
    return base64.urlsafe_b64encode(f"m{last_id}".encode()).decode().rstrip("=")


def decode(cursor: str) -> int:
    """The id the cursor points after; ValidationError (field `cursor`) if it is not ours."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise ValidationError({"cursor": INVALID}) from None
    match = _SHAPE.match(raw)
    if not match:
        raise ValidationError({"cursor": INVALID})
    return int(match.group(1))
