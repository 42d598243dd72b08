"""A period of dates that a metric or report covers, both ends included."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    def __post_init__(self):
        if self.start > self.end:
            raise ValueError("开始日期不能晚于结束日期")

    @property
    def bounds(self) -> tuple[date, date]:
        return (self.start, self.end)

    @classmethod
    def year(cls, year: int) -> "Period":
        return cls(date(year, 1, 1), date(year, 12, 31))

    @classmethod
    def year_to_date(cls, today: date | None = None) -> "Period":
        today = today or timezone.localdate()
        return cls(date(today.year, 1, 1), today)

    def a_year_earlier(self) -> "Period":
        def back(d: date) -> date:
            try:
                return d.replace(year=d.year - 1)
            except ValueError:  # 29 February
                return d.replace(year=d.year - 1, day=28)

        return Period(back(self.start), back(self.end))

    @property
    def days(self) -> int:
        return (self.end - self.start + timedelta(days=1)).days

    def __str__(self) -> str:
        return f"{self.start:%Y年%m月%d日}至{self.end:%Y年%m月%d日}"
