"""Which days a Chinese bank books large incoming transfers: not on weekends, not on PRC public
holidays (国庆 1–7 October, 春节 …).

Withdrawals made on such a day are often credited on the next working day, which is what makes a
payout's credit come several calendar days late. Make-up working weekends (调休) are ignored: the
simulation only needs the long closures to happen, not the exact State Council calendar.
"""

from __future__ import annotations

from datetime import date, timedelta

#: (first day, last day) of the public holidays the State Council announced, 2023–2026
_ANNOUNCED: tuple[tuple[date, date], ...] = (
    (date(2023, 1, 1), date(2023, 1, 2)), (date(2023, 1, 21), date(2023, 1, 27)),
    (date(2023, 4, 5), date(2023, 4, 5)), (date(2023, 4, 29), date(2023, 5, 3)),
    (date(2023, 6, 22), date(2023, 6, 24)), (date(2023, 9, 29), date(2023, 10, 6)),
    (date(2023, 12, 30), date(2024, 1, 1)), (date(2024, 2, 10), date(2024, 2, 17)),
    (date(2024, 4, 4), date(2024, 4, 6)), (date(2024, 5, 1), date(2024, 5, 5)),
    (date(2024, 6, 8), date(2024, 6, 10)), (date(2024, 9, 15), date(2024, 9, 17)),
    (date(2024, 10, 1), date(2024, 10, 7)), (date(2025, 1, 1), date(2025, 1, 1)),
    (date(2025, 1, 28), date(2025, 2, 4)), (date(2025, 4, 4), date(2025, 4, 6)),
    (date(2025, 5, 1), date(2025, 5, 5)), (date(2025, 5, 31), date(2025, 6, 2)),
    (date(2025, 10, 1), date(2025, 10, 8)), (date(2026, 1, 1), date(2026, 1, 3)),
    (date(2026, 2, 15), date(2026, 2, 23)), (date(2026, 4, 4), date(2026, 4, 6)),
    (date(2026, 5, 1), date(2026, 5, 5)), (date(2026, 6, 19), date(2026, 6, 21)),
    (date(2026, 9, 25), date(2026, 9, 27)), (date(2026, 10, 1), date(2026, 10, 7)),
)
_KNOWN_YEARS = range(2023, 2027)


def _holidays() -> frozenset[date]:
    days: set[date] = set()
    for first, last in _ANNOUNCED:
        days.update(first + timedelta(days=d) for d in range((last - first).days + 1))
    return frozenset(days)


_HOLIDAYS = _holidays()


def is_holiday(day: date) -> bool:
    """A PRC public holiday; outside 2023–2026 only 元旦, 劳动节 (1–5 May) and 国庆 (1–7 Oct)."""
    if day.year in _KNOWN_YEARS:
        return day in _HOLIDAYS
    return (day.month, day.day) == (1, 1) or (day.month == 5 and day.day <= 5) or (
        day.month == 10 and day.day <= 7)


def is_bank_day(day: date) -> bool:
    """A weekday that is not a public holiday."""
    return day.weekday() < 5 and not is_holiday(day)


def next_bank_day(day: date) -> date:
    """The first bank day after ``day``."""
    day += timedelta(days=1)
    while not is_bank_day(day):
        day += timedelta(days=1)
    return day
