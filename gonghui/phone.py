"""Mainland mobile numbers."""

import re

_MOBILE = re.compile(r"^1[3-9]\d{9}$")


def normalise(raw: str) -> str:
    text = (raw or "").strip().replace(" ", "").replace("-", "")
    if text.startswith("+86"):
        text = text[3:]
    return text


def error_in(raw: str) -> str | None:
    if not _MOBILE.match(normalise(raw)):
        return "手机号码格式不正确，应为11位大陆手机号"
    return None
