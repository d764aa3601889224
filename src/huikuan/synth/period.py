"""The simulated period and the text forms of its times and amounts.

Times inside the generator are whole seconds (numpy int64) counted from 00:00 of the first day of
the period, local time (Asia/Shanghai, as every Chinese export writes it). Turning them into text
goes through lookup tables, which is what makes writing millions of rows fast.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

DAY = 86_400
HOUR = 3_600
#: days before the period and after its end that still need a text form (carry-in, late events)
MARGIN_DAYS = 60
#: two-digit cents: ``CENTS[7] == "07"``
CENTS = tuple(f"{c:02d}" for c in range(100))


@dataclass(frozen=True)
class Period:
    """Whole calendar months starting with ``first`` (the first day of a month)."""

    first: date
    months: int
    month_starts: tuple[date, ...] = field(init=False)

    def __post_init__(self) -> None:
        if self.first.day != 1:
            raise ValueError(f"a period starts on the first day of a month, not {self.first}")
        if self.months < 1:
            raise ValueError("a period has at least one month")
        starts = [self.first]
        for _ in range(self.months):
            y, m = starts[-1].year, starts[-1].month
            starts.append(date(y + m // 12, m % 12 + 1, 1))
        object.__setattr__(self, "month_starts", tuple(starts))

    @classmethod
    def parse(cls, first_month: str, months: int) -> Period:
        """``Period.parse("2023-11", 2)``: November and December 2023."""
        year, month = (int(part) for part in first_month.split("-"))
        return cls(date(year, month, 1), months)

    @property
    def days(self) -> int:
        """Number of days in the period."""
        return (self.month_starts[-1] - self.first).days

    @property
    def end(self) -> int:
        """First second after the period."""
        return self.days * DAY

    def bound(self, month: int) -> int:
        """First second of month ``month`` (0-based); ``bound(months)`` is :attr:`end`."""
        return (self.month_starts[month] - self.first).days * DAY

    def label(self, month: int) -> str:
        """``2023-11`` for month ``month`` (0-based)."""
        return self.month_starts[month].strftime("%Y-%m")

    def date_of(self, second: int) -> date:
        """The calendar day of a second offset."""
        return self.first + timedelta(days=second // DAY)


class Texts:
    """Lookup tables from day and second-of-day to the strings exports use."""

    def __init__(self, period: Period) -> None:
        self.period = period
        self.offset = MARGIN_DAYS
        days = [period.first + timedelta(days=d - MARGIN_DAYS)
                for d in range(period.days + 2 * MARGIN_DAYS)]
        #: ``2023-11-02`` by day index (day 0 of the period is at :attr:`offset`)
        self.dash = [d.isoformat() for d in days]
        #: ``20231102``
        self.compact = [d.strftime("%Y%m%d") for d in days]
        #: ``2023年11月02日``
        self.chinese = [f"{d.year}年{d.month:02d}月{d.day:02d}日" for d in days]
        #: ``21:03:11`` by second of the day
        self.clock = [f"{s // HOUR:02d}:{s // 60 % 60:02d}:{s % 60:02d}" for s in range(DAY)]

    def day_index(self, second: int) -> int:
        """Index into the day tables for a second offset."""
        return second // DAY + self.offset

    def stamp(self, second: int) -> str:
        """``2023-11-02 10:15:32``."""
        return f"{self.dash[second // DAY + self.offset]} {self.clock[second % DAY]}"

    def chinese_stamp(self, second: int) -> str:
        """``2023年11月02日 10:15:32`` (Alipay preamble and footer)."""
        return f"{self.chinese[second // DAY + self.offset]} {self.clock[second % DAY]}"


def yuan(minor: int) -> str:
    """``-1250`` → ``-12.50``: major units, two decimals, no grouping."""
    sign = "-" if minor < 0 else ""
    whole, cents = divmod(abs(minor), 100)
    return f"{sign}{whole}.{CENTS[cents]}"
