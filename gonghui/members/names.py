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
