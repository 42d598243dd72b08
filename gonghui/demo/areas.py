"""The later areas' demo ledgers, filled after money, activities and care.

Each area keeps its filler in gonghui/demo/<area>.py with a function
`fill(*, union, rng, today, actor)` writing two years (last calendar year and
this year up to today) of that area's records for one union, in one
transaction, fast enough for the 2,000 unions of the `l` scale. Every area gets
a generator of its own seeded from the union and the area's name, so adding
or changing one area never shifts the records drawn by another.
"""

import importlib
import importlib.util
import inspect
import random
from datetime import date

from gonghui.orgs.models import Union

AREAS = (
    "disclosure",
    "voice",
    "democracy",
    "elections",
    "safety",
    "learning",
    "women",
    "honors",
    "rights",
    "audit",
    "newsletter",
)


def years(today: date, bulk: bool = False) -> range:
    """The years an area's ledgers cover: last year and this year to date; at
    scale l (`bulk`) this year only, the issue's "a year of ledgers" for a
    million members (docs/scaling.md)."""
    return range(today.year if bulk else today.year - 1, today.year + 1)


def fillers():
    """(area, fill) for every area whose demo module exists, in AREAS order."""
    for area in AREAS:
        name = f"gonghui.demo.{area}"
        if importlib.util.find_spec(name) is not None:
            yield area, importlib.import_module(name).fill


def fill(*, union: Union, seed: int, today: date, actor, bar=None, bulk: bool = False) -> None:
    """Every area's records for `union`; with `bulk` (scale l), the areas that
    have a bulk path write their rows with COPY instead of through the services."""
    for area, filler in fillers():
        extra = {"bulk": True} if bulk and "bulk" in inspect.signature(filler).parameters else {}
        filler(
            union=union,
            rng=random.Random(f"{seed}-{union.code}-{area}"),
            today=today,
            actor=actor,
            **extra,
        )
        if bar is not None:
            bar.update(1)
