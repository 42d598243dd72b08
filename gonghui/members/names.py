"""Pinyin forms of a Chinese name, so `zs` or `zhangsan` finds 张三."""

from functools import lru_cache

from pypinyin import Style, lazy_pinyin


@lru_cache(maxsize=50_000)
def initials(name: str) -> str:
    return "".join(lazy_pinyin(name, style=Style.FIRST_LETTER, errors="ignore")).lower()


@lru_cache(maxsize=50_000)
def full_pinyin(name: str) -> str:
    return "".join(lazy_pinyin(name, errors="ignore")).lower()


def search_text(name: str) -> str:
    return f"{name} {initials(name)} {full_pinyin(name)}"


# Letters of any script (汉字 included), the separators used in minority and
# foreign names, and spaces. Anything else (<, >, digits, quotes…) is refused.
SEPARATORS = frozenset(" ·•・.-")


def error_in(name: str) -> str | None:
    """Chinese message saying what is wrong with a person's name, or None."""
    name = (name or "").strip()
    if not name:
        return "姓名不能为空"
    if len(name) > 40:
        return "姓名不能超过40个字"
    if any(not (ch.isalpha() or ch in SEPARATORS) for ch in name):
        return "姓名只能包含文字、间隔号“·”和空格"
    return None
