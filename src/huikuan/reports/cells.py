"""A report's values as text, for CSV and PDF: money in major units from minor, rates as percent.

Money leaves int minor units only here, at the edge, through ``domain.money.format_minor``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from huikuan.domain.money import format_minor
from huikuan.reports.model import Column

SYMBOLS = {"CNY": "¥", "JPY": "¥", "USD": "$", "EUR": "€", "GBP": "£", "HKD": "HK$"}


def grouped(text: str) -> str:
    """``-1234567.50`` → ``-1,234,567.50`` (thousands separators for a human reader)."""
    sign = "-" if text.startswith("-") else ""
    whole, _, frac = text.lstrip("-").partition(".")
    whole = f"{int(whole):,}"
    return sign + whole + ("." + frac if frac else "")


def cell_text(column: Column, value: Any, row: dict[str, Any], *, symbol: bool) -> str:
    """One value as text: money ``12.50`` (``¥12.50`` with ``symbol``), rate ``5.00%``, date ISO."""
    if value is None:
        return ""
    if column.kind == "money":
        currency = row.get(column.currency) or "CNY"
        text = format_minor(int(value), currency)
        if not symbol:
            return text
        shown = grouped(text)
        mark = SYMBOLS.get(currency, currency + " ")
        return f"-{mark}{shown[1:]}" if shown.startswith("-") else f"{mark}{shown}"
    if column.kind == "rate":
        return f"{value:.2%}" if symbol else f"{value:.6f}"
    if column.kind == "count":
        return f"{int(value):,}" if symbol else str(int(value))
    if column.kind == "date" and isinstance(value, date):
        return value.isoformat()
    return str(value)
