"""What the cells of a column look like: dates, amounts, currency codes or text.

The generic reader trusts a header word only when the cells under it agree (a 交易时间 column that
holds only ``10:15:00`` is no date), and it types the columns of a headerless file by content
alone. Every judgement goes through the one money parser and the one date parser.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from huikuan.domain.dates import DateOrder, parse_timestamp
from huikuan.domain.errors import HuikuanError
from huikuan.domain.money import parse_amount
from huikuan.importers.cells import clean_id

_DAY_FIRST = re.compile(r"^\s*(\d{1,2})[-/.](\d{1,2})[-/.](\d{2,4})\b")
_HAS_DIGIT = re.compile(r"\d")
_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")
_COMMA_DECIMAL = re.compile(r"\d,\d{1,2}(?:\D*)$")
_POINT_DECIMAL = re.compile(r"\d\.\d{1,2}(?:\D*)$")
_CURRENCY_CODE = re.compile(r"[A-Z]{3}")
#: currency names exports write instead of a code
CURRENCY_NAMES = {"人民币": "CNY", "人民幣": "CNY", "RMB": "CNY", "美元": "USD", "港币": "HKD", "港元": "HKD",
                  "欧元": "EUR", "英镑": "GBP", "日元": "JPY", "円": "JPY"}
#: ISO codes a preamble may name (``Account Number: 1234567890 SGD``); any three capitals would
#: also catch words such as ``ATM``
KNOWN_CODES = frozenset({"CNY", "USD", "EUR", "GBP", "HKD", "JPY", "SGD", "CAD", "AUD", "CHF", "NZD",
                         "TWD", "MOP", "KRW", "SEK", "NOK", "DKK", "PLN", "CZK", "HUF", "INR", "THB",
                         "MYR", "IDR", "PHP", "VND", "MXN", "BRL", "ZAR", "AED"})
_SYMBOL_CURRENCY = (("€", "EUR"), ("£", "GBP"), ("円", "JPY"), ("US$", "USD"), ("$", "USD"))


def filled(cells: Sequence[str]) -> list[str]:
    return [c for c in cells if c.strip()]


def date_order_of(cells: Sequence[str], fallback: DateOrder) -> tuple[DateOrder, bool]:
    """How to read ``01/02/2024`` in this column, and whether the cells decided it.

    A first number above 12 means day first, a second above 12 month first; dates written with
    dots are day first in every country that writes them so. Otherwise ``fallback`` (from the
    header language) is taken and the answer is marked as a guess.
    """
    days_first = months_first = dotted = False
    for cell in cells:
        m = _DAY_FIRST.match(cell)
        if not m:
            continue
        first, second = int(m.group(1)), int(m.group(2))
        days_first |= first > 12
        months_first |= second > 12
        dotted |= "." in cell[: m.end()]
    if days_first and not months_first:
        return "dmy", True
    if months_first and not days_first:
        return "mdy", True
    if dotted:
        return "dmy", True
    if not any(_DAY_FIRST.match(c) for c in cells):
        return "ymd", True  # year first (ISO, 2024/03/01, 20240301): nothing to decide
    return fallback, False


_TIME_OF_DAY = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?|(\d{2})(\d{2})(\d{2})")


def time_of_day(cell: str) -> str | None:
    """``09:30``, ``09:30:15`` or ``093015`` as ``HH:MM:SS``; None for anything else."""
    m = _TIME_OF_DAY.fullmatch(cell.strip())
    if not m:
        return None
    hh, mm, ss = (m.group(1), m.group(2), m.group(3) or "00") if m.group(1) else m.group(4, 5, 6)
    if int(hh) > 23 or int(mm) > 59 or int(ss) > 59:
        return None
    return f"{int(hh):02d}:{mm}:{ss}"


def time_share(cells: Sequence[str]) -> float:
    """Share of the filled cells that are times of day (a 交易时间 column beside a 交易日期)."""
    values = filled(cells)
    return sum(1 for c in values if time_of_day(c)) / len(values) if values else 0.0


def decimal_comma_of(cells: Sequence[str]) -> bool:
    """True when amounts are written ``1.234,56`` / ``-12,50`` (decimal comma)."""
    comma = sum(1 for c in cells if _COMMA_DECIMAL.search(c.strip()))
    point = sum(1 for c in cells if _POINT_DECIMAL.search(c.strip()))
    return comma > point


def date_share(cells: Sequence[str], order: DateOrder) -> float:
    """Share of the filled cells that are dates (a bare number is no date)."""
    values = filled(cells)
    if not values:
        return 0.0
    good = 0
    for cell in values:
        bare = cell.strip()
        if not _HAS_DIGIT.search(bare) or (_NUMBER.fullmatch(bare) and len(bare) not in (8, 14)):
            continue  # a number is no date, except 20240301 (and 20240301093000)
        try:
            parse_timestamp(cell, "UTC", order=order)
        except HuikuanError:
            continue
        good += 1
    return good / len(values)


def money_share(cells: Sequence[str], decimal_comma: bool) -> float:
    """Share of the filled cells that are amounts."""
    values = filled(cells)
    if not values:
        return 0.0
    good = 0
    for cell in values:
        try:
            parse_amount(cell, "USD", decimal_comma=decimal_comma)
        except HuikuanError:
            continue
        good += 1
    return good / len(values)


def looks_like_money(cells: Sequence[str]) -> bool:
    """Amounts, not ids or counts: some cell has decimals, a sign or a currency mark."""
    return any(re.search(r"[.,]\d{1,2}\D*$|^[-+(]|[$€£¥]", c.strip()) for c in filled(cells))


def currency_of(cell: str) -> str | None:
    """``人民币`` → CNY, ``eur`` → EUR; None for a cell that names no currency."""
    text = cell.strip()
    if text in CURRENCY_NAMES:
        return CURRENCY_NAMES[text]
    upper = text.upper()
    return upper if _CURRENCY_CODE.fullmatch(upper) else None


def currency_share(cells: Sequence[str]) -> float:
    values = filled(cells)
    return sum(1 for c in values if currency_of(c)) / len(values) if values else 0.0


def symbol_currency(cells: Sequence[str]) -> str | None:
    """A currency the amounts themselves show (``€12,50``, ``$3.00``); ¥ is left out (CNY or JPY)."""
    for symbol, code in _SYMBOL_CURRENCY:
        if any(symbol in c for c in cells):
            return code
    return None


def unique_ids(cells: Sequence[str]) -> bool:
    """True when every row has its own id (then it can be the record id)."""
    values = filled(cells)
    if len(values) < len(cells) or not values:
        return False
    try:
        cleaned = [clean_id(v) for v in values]
    except ValueError:
        return False
    return len(set(cleaned)) == len(cleaned)


def text_length(cells: Sequence[str]) -> float:
    """Average length of the filled cells (the description is the longest text column)."""
    values = filled(cells)
    return sum(len(v) for v in values) / len(values) if values else 0.0


def preamble_currency(cells: Sequence[str]) -> str | None:
    """A currency the lines above the header name (``币种：人民币``, ``Account … SGD``)."""
    for text in cells:
        for word in re.split(r"[\s:：,;()（）\[\]]+", text):
            code = CURRENCY_NAMES.get(word) or (word if word in KNOWN_CODES else None)
            if code:
                return code
    return None
