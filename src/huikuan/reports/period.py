"""``--period``: a month (``2026-10``) or a year (``2026``) as a half-open date range."""

from __future__ import annotations

import re
from datetime import date

from huikuan.domain.errors import HuikuanError


class ReportError(HuikuanError):
    """A report cannot be made as asked: named, with what to do."""


_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_YEAR = re.compile(r"^(\d{4})$")


def period_range(period: str | None) -> tuple[date, date] | None:
    """``2026-10`` → (2026-10-01, 2026-11-01); ``2026`` → the year; None → None (everything)."""
    if not period:
        return None
    if m := _MONTH.match(period.strip()):
        year, month = int(m.group(1)), int(m.group(2))
        if 1 <= month <= 12:
            start = date(year, month, 1)
            return start, date(year + (month == 12), month % 12 + 1, 1)
    if m := _YEAR.match(period.strip()):
        year = int(m.group(1))
        return date(year, 1, 1), date(year + 1, 1, 1)
    raise ReportError(f"--period {period}: give a month as 2026-10 or a year as 2026")


def period_sql(column: str, period: str | None) -> str:
    """A SQL condition keeping rows whose ``column`` (a date) falls in the period."""
    bounds = period_range(period)
    if bounds is None:
        return "true"
    return f"({column} >= DATE '{bounds[0].isoformat()}' AND {column} < DATE '{bounds[1].isoformat()}')"


def period_label(period: str | None, first: date | None, last: date | None) -> str:
    """What the report's header says: the period asked, else the dates the data covers."""
    if period:
        return period.strip()
    if first and last:
        return f"{first.isoformat()} – {last.isoformat()}"
    return "全部"
