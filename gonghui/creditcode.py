"""统一社会信用代码 (GB 32100-2015): 18 characters with a check character."""

_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def check_character(first17: str) -> str:
    total = sum(_ALPHABET.index(c) * w for c, w in zip(first17, _WEIGHTS, strict=True))
    return _ALPHABET[(31 - total % 31) % 31]


def error_in(code: str) -> str | None:
    """Chinese message saying what is wrong with code, or None when it is valid."""
    code = (code or "").strip().upper()
    if len(code) != 18:
        return f"统一社会信用代码应为18位，实际为{len(code)}位"
    if any(c not in _ALPHABET for c in code):
        return "统一社会信用代码含有不允许的字符（不含I、O、Z、S、V）"
    if check_character(code[:17]) != code[17]:
        return "统一社会信用代码校验位错误"
    return None


def make(body: str) -> str:
    """Complete a 17-character body with its check character (demo data, tests)."""
    return body + check_character(body)
