"""Working days: when a bank credit may still be on time.

Banks in mainland China credit platform payouts on working days. A payout made before a weekend
or a public holiday (国庆 1–7 October, 春节) arrives after it, so a date window counted in plain
calendar days turns ordinary credits into "late" ones. :func:`auto_deadline` extends a window by
the days off inside it.

Days are counted as integers: days since 1970-01-01 in the statement's local time zone (what
``pyarrow`` gives for a ``date32``), so the engine can compare them without timestamps.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

#: Public holidays of the PRC as the State Council announced them (inclusive ranges). Make-up
#: working days (调休) are not listed: treating one as a day off only lengthens a window by a day.
#: Years missing here fall back to New Year's Day, Labour Day and National Day (_FIXED).
_PRC_HOLIDAYS: dict[int, tuple[tuple[str, str], ...]] = {
    2020: (("01-01", "01-01"), ("01-24", "02-02"), ("04-04", "04-06"), ("05-01", "05-05"),
           ("06-25", "06-27"), ("10-01", "10-08")),
    2021: (("01-01", "01-03"), ("02-11", "02-17"), ("04-03", "04-05"), ("05-01", "05-05"),
           ("06-12", "06-14"), ("09-19", "09-21"), ("10-01", "10-07")),
    2022: (("01-01", "01-03"), ("01-31", "02-06"), ("04-03", "04-05"), ("04-30", "05-04"),
           ("06-03", "06-05"), ("09-10", "09-12"), ("10-01", "10-07")),
    2023: (("01-01", "01-02"), ("01-21", "01-27"), ("04-05", "04-05"), ("04-29", "05-03"),
           ("06-22", "06-24"), ("09-29", "10-06"), ("12-30", "12-31")),
    2024: (("01-01", "01-01"), ("02-10", "02-17"), ("04-04", "04-06"), ("05-01", "05-05"),
           ("06-08", "06-10"), ("09-15", "09-17"), ("10-01", "10-07")),
    2025: (("01-01", "01-01"), ("01-28", "02-04"), ("04-04", "04-06"), ("05-01", "05-05"),
           ("05-31", "06-02"), ("10-01", "10-08")),
    2026: (("01-01", "01-03"), ("02-15", "02-23"), ("04-04", "04-06"), ("05-01", "05-05"),
           ("06-19", "06-21"), ("09-25", "09-27"), ("10-01", "10-07")),
}
_FIXED = (("01-01", "01-01"), ("05-01", "05-05"), ("10-01", "10-07"))
_EPOCH = date(1970, 1, 1)
#: calendars a rule may name: ``none`` counts every day alike, ``cn`` skips PRC days off
CALENDARS = ("none", "cn")


def day_number(d: date) -> int:
    """Days since 1970-01-01."""
    return (d - _EPOCH).days


def from_day_number(n: int) -> date:
    return _EPOCH + timedelta(days=n)


@cache
def _holidays(year: int) -> frozenset[int]:
    ranges = _PRC_HOLIDAYS.get(year, _FIXED)
    days: set[int] = set()
    for first, last in ranges:
        lo = day_number(date.fromisoformat(f"{year}-{first}"))
        hi = day_number(date.fromisoformat(f"{year}-{last}"))
        days.update(range(lo, hi + 1))
    return frozenset(days)


def is_day_off(day: int, calendar: str = "cn") -> bool:
    """Saturday, Sunday or a public holiday (``calendar = "none"``: never)."""
    if calendar == "none":
        return False
    d = from_day_number(day)
    return d.weekday() >= 5 or day in _holidays(d.year)


@cache
def auto_deadline(day: int, days: int, calendar: str = "cn") -> int:
    """The last day a credit for something sent on ``day`` is still on time when ``days``
    calendar days are allowed: every day off inside the window adds a day, and a deadline that
    falls on a day off moves to the next working day.

    A payout on Friday with three days allowed may arrive by Wednesday (Saturday and Sunday
    added); one on 30 September by 8 October, after 国庆."""
    if calendar == "none":
        return day + days
    end = day + days + sum(is_day_off(d, calendar) for d in range(day + 1, day + days + 1))
    while is_day_off(end, calendar):
        end += 1
    return end
