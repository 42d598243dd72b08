"""The quarterly safety draw (安全摸大奖), written so anyone can re-run it.

Algorithm (also shown on every draw's page):

1. The eligible list is the member numbers (会员编号, integers) of the members
   on the roll at the quarter's end with no violation recorded in the quarter,
   sorted ascending.
2. Each member's ticket is SHA-256 of the UTF-8 text "<seed>:<member number>",
   written as 64 lower-case hexadecimal digits.
3. Sort the members by ticket (ties, practically impossible, by member number);
   the first N are the winners, in that order.

The list's fingerprint is SHA-256 of the member numbers joined by "," (no
spaces), so a published list can be checked before re-running.
"""

import hashlib
import secrets

ALGORITHM = __doc__.split("Algorithm (also shown on every draw's page):", 1)[1].strip()

PYTHON = """import hashlib
seed = "{seed}"
eligible = [...]  # 公布的会员编号名单
tickets = sorted((hashlib.sha256(f"{{seed}}:{{n}}".encode()).hexdigest(), n) for n in eligible)
print([n for _, n in tickets[:{count}]])"""


def new_seed() -> str:
    return secrets.token_hex(8)


def ticket(seed: str, member_number: int) -> str:
    return hashlib.sha256(f"{seed}:{member_number}".encode()).hexdigest()


def pick(seed: str, eligible: list[int], count: int) -> list[int]:
    """The winners among `eligible` for `seed`, in draw order."""
    tickets = sorted((ticket(seed, n), n) for n in eligible)
    return [n for _, n in tickets[:count]]


def fingerprint(eligible: list[int]) -> str:
    return hashlib.sha256(",".join(str(n) for n in sorted(eligible)).encode()).hexdigest()


def python_snippet(seed: str, count: int) -> str:
    return PYTHON.format(seed=seed, count=count)
