"""The pieces a draft is made of, and the context section writers work in."""

import hashlib
import random
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import connection

from gonghui.periods import Period
from gonghui.reports import registry


def number_text(value) -> str:
    """318 → "318", Decimal("13228.70") → "13228.7", Decimal("100.0") → "100"."""
    if isinstance(value, int):
        return str(value)
    value = Decimal(value)
    if value == value.to_integral_value():
        return str(value.quantize(Decimal(1)))
    return format(value.normalize(), "f")


@dataclass(eq=False)
class Fig:
    """One figure in the text: a metric's value over a period, linked to its records."""

    ref: str
    key: str
    label: str
    unit: str
    value: Decimal | int
    period: Period
    union_id: int

    @property
    def text(self) -> str:
        return f"{number_text(self.value)}{self.unit}"

    counted: int | None = None  # the record count when already known (a count metric's value)

    def records(self) -> int:
        """How many records stand behind the figure (for a ratio, the numerator's)."""
        if self.counted is None:
            metric = registry.get(self.key)
            self.counted = metric.records_for([self.union_id], self.period).count()
        return self.counted

    def json_value(self):
        if isinstance(self.value, int):
            return self.value
        return float(self.value)


Paragraph = list  # of str and Fig


@dataclass
class Section:
    title: str
    intro: Paragraph | None = None
    points: list[Paragraph] = field(default_factory=list)


@dataclass
class Draft:
    union: object
    period: Period
    kind: str
    title: str
    opening: list[Paragraph]
    sections: list[Section]
    empty: bool = False
    figures: list[Fig] = field(default_factory=list)


CHINESE_NUMERALS = "一二三四五六七八九十"


def chinese_number(n: int) -> str:
    """1 → 一, 12 → 十二 (enough for the sections of a report)."""
    if n <= 10:
        return CHINESE_NUMERALS[n - 1]
    if n < 20:
        return "十" + CHINESE_NUMERALS[n - 11]
    tens, ones = divmod(n, 10)
    return CHINESE_NUMERALS[tens - 1] + "十" + (CHINESE_NUMERALS[ones - 1] if ones else "")


def day_text(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


class Context:
    """What a section writer sees: the union, the period, and figures on demand.

    Phrasing varies by a seed taken from the union and the period, so the same
    report drafts the same way twice but two unions do not read alike.
    """

    def __init__(self, *, union, period: Period, kind: str):
        self.union = union
        self.period = period
        self.kind = kind
        self.earlier = period.a_year_earlier()
        seed = hashlib.sha256(f"{union.code}|{period.start}|{period.end}|{kind}".encode()).digest()
        self.rng = random.Random(int.from_bytes(seed[:8], "big"))
        self.figures: list[Fig] = []
        self._values: dict = {}
        self._figs: dict = {}
        self._installed: dict = {}
        self._table_names: set | None = None
        self.school = union.kind in ("school", "kindergarten")

    # Figures -----------------------------------------------------------------------

    def has(self, key: str) -> bool:
        """Is the metric registered, and its area's tables migrated?"""
        if key not in self._installed:
            try:
                metric = registry.get(key)
            except KeyError:
                self._installed[key] = False
            else:
                table = metric.records_for([self.union.id], self.period).model._meta.db_table
                self._installed[key] = table in self._tables()
        return self._installed[key]

    def _tables(self) -> set[str]:
        if self._table_names is None:
            self._table_names = set(connection.introspection.table_names())
        return self._table_names

    def value(self, key: str, period: Period | None = None):
        """The metric's value, or None when that area is not installed."""
        period = period or self.period
        cache_key = (key, period)
        if cache_key not in self._values:
            if not self.has(key):
                self._values[cache_key] = None
            else:
                self._values[cache_key] = registry.get(key).value([self.union.id], period)
        return self._values[cache_key]

    def fig(self, key: str, period: Period | None = None) -> Fig | None:
        period = period or self.period
        value = self.value(key, period)
        if value is None:
            return None
        cache_key = (key, period)
        if cache_key not in self._figs:
            metric = registry.get(key)
            f = Fig(
                ref=f"f{len(self.figures) + 1}",
                key=key,
                label=metric.label,
                unit=metric.unit,
                value=value,
                period=period,
                union_id=self.union.id,
                counted=self._counted(metric, value, period),
            )
            self._figs[cache_key] = f
            self.figures.append(f)
        return self._figs[cache_key]

    def _counted(self, metric, value, period: Period) -> int | None:
        """A count metric's value is its record count; a ratio's, its numerator's."""
        if metric.is_ratio:
            numerator = registry.get(metric.numerator)
            if numerator.is_ratio or numerator.sum_field:
                return None
            return int(self.value(metric.numerator, period))
        return None if metric.sum_field else int(value)

    def positive(self, key: str, period: Period | None = None) -> bool:
        v = self.value(key, period)
        return v is not None and v > 0

    def records(self, key: str, period: Period | None = None):
        return registry.get(key).records_for([self.union.id], period or self.period)

    def by(self, key: str, top: int = 3) -> list[tuple[str, int]]:
        if not self.has(key):
            return []
        return registry.get(key).by([self.union.id], self.period)[:top]

    # Phrasing ----------------------------------------------------------------------

    def pick(self, *options):
        return self.rng.choice(options)

    def yoy(self, key: str) -> Paragraph:
        """A clause comparing with the same period a year earlier, or nothing."""
        now, before = self.value(key), self.value(key, self.earlier)
        if not before:
            return []
        earlier = self.fig(key, self.earlier)
        if now > before:
            tail = self.pick("有所增加", "有所增长", "有了提高", "稳中有升")
        elif now < before:
            tail = self.pick("略有减少", "有所回落", "有所下降")
        else:
            tail = self.pick("基本持平", "持平")
        return [self.pick("，较上年同期的", "，与上年同期的", "，比上年同期的"), earlier, tail]

    @property
    def staff_word(self) -> str:
        return "教职工" if self.school else "职工"

    @property
    def we(self) -> str:
        if self.union.kind == "kindergarten":
            return "我园工会"
        return "我校工会" if self.school else self.pick("我会", "公司工会", "本会")


def names(items, limit: int = 3) -> str:
    items = [str(i) for i in items if str(i).strip()][:limit]
    if not items:
        return ""
    return "、".join(quoted(i) for i in items)


def quoted(name: str) -> str:
    """“name”, unless the name carries quotes of its own (nested quotes read badly)."""
    return name if "“" in name or "《" in name else f"“{name}”"
