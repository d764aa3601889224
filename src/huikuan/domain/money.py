"""Money as integer minor units plus an ISO currency code.

Amounts are parsed once, at the edge, into ``int`` minor units (分 for CNY, cents for USD) and
formatted back only for output. No float ever carries money.
"""

from __future__ import annotations

import re
import unicodedata

import pyarrow as pa
import pyarrow.compute as pc

from huikuan.domain.errors import MoneyError

#: Digits after the decimal point, per ISO 4217. Anything not listed uses 2.
_EXPONENTS: dict[str, int] = {
    "JPY": 0, "KRW": 0, "VND": 0, "CLP": 0, "ISK": 0, "HUF": 2, "TWD": 2,
    "BHD": 3, "KWD": 3, "OMR": 3, "JOD": 3, "TND": 3, "IQD": 3, "LYD": 3,
}

_SYMBOLS = re.compile(
    r"(?:RMB|CNY|USD|EUR|GBP|HKD|JPY|CAD|AUD|SGD|人民币|元|¥|\$|€|£|US|HK|CA|AU|S)", re.IGNORECASE
)
_TRAILING_SYMBOL = re.compile(f"(?:{_SYMBOLS.pattern})$", re.IGNORECASE)
_GROUP_SPACE = re.compile(r"(?<=\d)[ \u00a0\u202f](?=\d{3}(?!\d))")
_SPLIT_DIGITS = re.compile(r"\d\s+\d")
_SPACES = re.compile(r"\s+")
_PLAIN = re.compile(r"[+-]?\d+(?:\.\d+)?")
_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")
_GROUPED_COMMA = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d*)?|\d+(?:,\d*)?")  # SWIFT writes "380115,"


def exponent(currency: str) -> int:
    """Number of minor-unit digits of ``currency`` (2 for CNY and most others)."""
    return _EXPONENTS.get(currency.upper(), 2)


def format_minor(minor: int, currency: str = "CNY") -> str:
    """``-1250`` CNY → ``"-12.50"``: a plain decimal string, no grouping, no symbol."""
    digits = exponent(currency)
    sign = "-" if minor < 0 else ""
    whole, frac = divmod(abs(minor), 10**digits)
    if digits == 0:
        return f"{sign}{whole}"
    return f"{sign}{whole}.{frac:0{digits}d}"


def format_minor_array(amounts: pa.Array | pa.ChunkedArray,
                       currencies: pa.Array | pa.ChunkedArray) -> pa.Array:
    """Vectorised :func:`format_minor` for Arrow columns (millions of rows for CSV output)."""
    if isinstance(amounts, pa.ChunkedArray):
        amounts = amounts.combine_chunks()
    if isinstance(currencies, pa.ChunkedArray):
        currencies = currencies.combine_chunks()
    encoded = pc.dictionary_encode(currencies)
    exponents = pa.array([exponent(c) for c in encoded.dictionary.to_pylist()], type=pa.int64())
    digits = pc.take(exponents, encoded.indices)
    magnitude = pc.abs(amounts)
    sign = pc.if_else(pc.less(amounts, 0), "-", "")
    result = pc.binary_join_element_wise(sign, pc.cast(magnitude, pa.string()), "")
    for d in sorted(set(exponents.to_pylist()) - {0}):
        scale = 10**d
        whole = pc.divide(magnitude, scale)  # integer division: int64 operands
        frac = pc.utf8_lpad(pc.cast(pc.subtract(magnitude, pc.multiply(whole, scale)), pa.string()), d, "0")
        decimal = pc.binary_join_element_wise(sign, pc.cast(whole, pa.string()), ".", frac, "")
        result = pc.if_else(pc.equal(digits, d), decimal, result)
    return result


def parse_amount(text: str, currency: str = "CNY", *, decimal_comma: bool = False) -> int:
    """Read an amount as exports write it and return integer minor units.

    Accepts ``1,234.50``, ``-0.01``, full-width ``１２３.００``, ``¥12``, ``12.5元``, ``+3``,
    accounting negatives ``(12.50)``, trailing minus ``12.50-`` and, with ``decimal_comma``,
    ``1.234,56``. Refuses anything ambiguous (``12.3.4``, ``1,2,3``) and any digit beyond the
    currency's minor unit that is not zero: amounts are never rounded silently.
    """
    digits = exponent(currency)
    if not decimal_comma and _PLAIN.fullmatch(text):  # fast path: most cells look like this
        return _to_minor(text, text.lstrip("+-"), text.startswith("-"), digits, ".")
    s = text
    if not s.isascii():
        s = unicodedata.normalize("NFKC", s).replace("\u2212", "-")
    s = _GROUP_SPACE.sub("", s.strip().replace("'", ""))
    if _SPLIT_DIGITS.search(s):
        raise MoneyError(text, "digits separated by a space")
    s = _SPACES.sub("", s)
    if not s:
        raise MoneyError(text, "empty")
    signs = 0
    if s.startswith("(") and s.endswith(")"):
        signs, s = 1, s[1:-1]
    if s.endswith("-"):
        signs, s = signs + 1, s[:-1]
    negative = signs > 0
    for _ in range(2):  # the sign may stand before or after the symbol: "-¥12", "¥-12"
        if s[:1] and s[0] in "+-":
            signs, negative, s = signs + 1, negative or s[0] == "-", s[1:]
        s = _SYMBOLS.sub("", s, count=1) if s and not s[0].isdigit() else s
    s = _TRAILING_SYMBOL.sub("", s)  # "12.5元", "12 USD"; a letter between digits is no symbol
    if signs > 1:
        raise MoneyError(text, "more than one sign")
    if not s:
        raise MoneyError(text, "no digits")
    separator = "," if decimal_comma else "."
    pattern = _GROUPED_COMMA if decimal_comma else _GROUPED
    if not pattern.fullmatch(s):
        if any(ch.isdigit() for ch in s):
            raise MoneyError(text, "digits and separators do not form one number")
        raise MoneyError(text, "no digits")
    return _to_minor(text, s, negative, digits, separator)


def _to_minor(text: str, body: str, negative: bool, digits: int, separator: str) -> int:
    whole, _, frac = body.partition(separator)
    whole = whole.replace("," if separator == "." else ".", "")
    if len(frac) > digits:
        if frac[digits:].strip("0"):
            raise MoneyError(text, f"more than {digits} decimal places")
        frac = frac[:digits]
    value: int = int(whole or "0") * 10**digits + (int(frac.ljust(digits, "0")) if digits else 0)
    return -value if negative else value


def parse_minor_units(text: str) -> int:
    """Read an amount that the export already gives in minor units (Douyin writes 分)."""
    s = unicodedata.normalize("NFKC", text).strip() if not text.isascii() else text.strip()
    if not re.fullmatch(r"[+-]?\d+", s):
        raise MoneyError(text, "expected a whole number of minor units (分)")
    return int(s)
