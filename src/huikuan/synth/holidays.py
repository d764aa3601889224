"""Which days a Chinese bank books large incoming transfers: not on weekends, not on PRC public
holidays (国庆 1–7 October, 春节 …) — the calendar the engine counts working days by
(:mod:`huikuan.domain.calendar`), so the simulation and the matching agree on what a day off is.

Withdrawals made on such a day are often credited on the next working day, which is what makes a
payout's credit come several calendar days late.
"""

from __future__ import annotations

from datetime import date, timedelta

from huikuan.domain.calendar import day_number, is_day_off


def is_bank_day(day: date) -> bool:
    """A weekday that is not a public holiday."""
    return not is_day_off(day_number(day))


def next_bank_day(day: date) -> date:
    """The first bank day after ``day``."""
    day += timedelta(days=1)
    while not is_bank_day(day):
        day += timedelta(days=1)
    return day
