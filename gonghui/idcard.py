"""居民身份证号码 (GB 11643-1999): check digit, birth date and gender."""

import re
from datetime import date

from django.utils import timezone

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_SHAPE = re.compile(r"^\d{17}[\dX]$")


class IdNumberError(ValueError):
    """The message is Chinese and says what is wrong."""


def check_digit(first17: str) -> str:
    return _CHECK[sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def normalise(raw: str) -> str:
    return (raw or "").strip().replace(" ", "").upper()


def parse(raw: str) -> tuple[str, date, str]:
    """Return (normalised number, birth date, gender 'M'/'F') or raise IdNumberError."""
    number = normalise(raw)
    if len(number) != 18:
        raise IdNumberError(f"身份证号应为18位，实际为{len(number)}位")
    if not _SHAPE.match(number):
        raise IdNumberError("身份证号前17位须为数字，最后一位为数字或X")
    try:
        birth = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError as e:
        raise IdNumberError("身份证号中的出生日期无效") from e
    if birth.year < 1900 or birth > timezone.localdate():
        raise IdNumberError("身份证号中的出生日期超出合理范围")
    if check_digit(number[:17]) != number[17]:
        raise IdNumberError("身份证号校验位错误")
    gender = "M" if int(number[16]) % 2 else "F"
    return number, birth, gender


def make(region: str, birth: date, sequence: int, gender: str) -> str:
    """Build a valid number (for demo data and tests): sequence 0-99, gender 'M'/'F'."""
    seq = sequence % 100 * 10 + (1 if gender == "M" else 0)
    seq = seq + (0 if (seq % 2 == 1) == (gender == "M") else 1)
    first17 = f"{region}{birth:%Y%m%d}{seq:03d}"
    return first17 + check_digit(first17)
