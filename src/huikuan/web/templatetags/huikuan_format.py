"""How numbers and times look on every page: ``¥1,234.50``, Asia/Shanghai local time."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils.translation import gettext_lazy as _

from huikuan.domain.dates import SHANGHAI
from huikuan.domain.money import exponent, parse_amount

register = template.Library()
#: an entry's kind in the interface language (the chain and the workbench tables)
KIND_LABELS = {"order": _("order"), "order_refund": _("order refund"), "payment": _("payment"),
               "settlement": _("settlement"), "fee": _("fee"), "refund": _("refund"), "payout": _("payout"),
               "bank_credit": _("bank credit"), "subsidy": _("subsidy")}
SYMBOLS = {"CNY": "¥", "USD": "$", "EUR": "€", "HKD": "HK$", "JPY": "JP¥", "GBP": "£"}


@register.filter
def money(minor: Any, currency: str = "CNY") -> str:
    """Integer minor units → ``¥1,234.50`` (``-¥12.50`` when negative); blank for no value."""
    if minor is None or minor == "":
        return ""
    minor = int(minor)
    currency = currency or "CNY"
    digits = exponent(currency)
    whole, frac = divmod(abs(minor), 10**digits)
    number = f"{whole:,}" + (f".{frac:0{digits}d}" if digits else "")
    symbol = SYMBOLS.get(currency.upper(), currency.upper() + " ")
    return f"{'-' if minor < 0 else ''}{symbol}{number}"


@register.filter
def local_time(value: Any) -> str:
    """A timestamp shown as Shanghai wall-clock time, ``2023-11-03 14:05``."""
    if not isinstance(value, dt.datetime):
        return "" if value is None else str(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")


@register.filter
def local_date(value: Any) -> str:
    if not isinstance(value, dt.datetime):
        return "" if value is None else str(value)
    return value.astimezone(SHANGHAI).strftime("%Y-%m-%d")


@register.filter
def percent_width(value: Any) -> str:
    """A 0–100 integer as a CSS width, clamped."""
    return f"{max(0, min(int(value or 0), 100))}%"


@register.filter
def totals(amounts: Any) -> str:
    """summary.json's ``{"CNY": "1234.50"}`` as ``¥1,234.50`` (currencies joined by " · ")."""
    if not isinstance(amounts, dict) or not amounts:
        return "—"
    return " · ".join(money(parse_amount(str(v), c), c) for c, v in amounts.items())


@register.filter
def get(mapping: Any, key: Any) -> Any:
    return mapping.get(key) if isinstance(mapping, dict) else None


@register.filter
def entry_kind(kind: Any) -> str:
    """An entry's kind in words (a kind with no label yet shows as the code)."""
    return str(KIND_LABELS.get(str(kind), kind or ""))


@register.filter
def reason(code: Any) -> str:
    """A reason code in words, in the interface language (English, else Chinese), code kept."""
    from django.utils.translation import get_language

    from huikuan.results import Lang, reason_label

    if not code:
        return ""
    lang: Lang = "en" if (get_language() or "").startswith("en") else "zh"
    return f"{reason_label(str(code), lang)} ({code})"


@register.filter
def basis_points(value: Any) -> str:
    """A rate kept in basis points as a percentage: 60 → ``0.60%``."""
    whole, rest = divmod(int(value or 0), 100)
    return f"{whole}.{rest:02d}%"


@register.filter
def rate(value: Any) -> str:
    """A rate the reports compute as a fraction (0.9731) as a percentage, ``97.31%``; — for none."""
    if value is None or value == "":
        return "—"
    return f"{float(value):.2%}"  # ok-float: a rate for display, never money
