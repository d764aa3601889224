"""Cleaning of single cells: padding, text guards, Excel damage to ids."""

from __future__ import annotations

import functools
import re
import unicodedata
from decimal import Decimal

_PAD = " \t\r\n\u3000\u00a0\ufeff"
_GUARDS = frozenset("=`'\"")
_SCIENTIFIC = re.compile(r"[+-]?\d(?:\.\d+)?[eE][+-]?\d+")
_EXCEL_FLOAT_ID = re.compile(r"\d{12,}\.0+")


def clean_cell(value: str) -> str:
    """Strip padding and the guards exports put around text: ``="…"``, a leading backtick,
    an apostrophe before digits. The raw row keeps the original."""
    s = value.strip(_PAD)
    if not s or s[0] not in _GUARDS:
        return s
    first = s[0]
    if first == "=" and s.startswith('="') and s.endswith('"'):
        s = s[2:-1].strip(_PAD)
    elif first == "`":
        s = s[1:].strip(_PAD)
    elif first == "'" and s[1:2].isdigit():
        s = s[1:]
    elif first == '"' and s.endswith('"') and len(s) >= 2:  # double-quoted inside a tab file
        s = s[1:-1].strip(_PAD)
    return s


class IdError(ValueError):
    """An identifier that was damaged (usually by Excel) and cannot be trusted; ``shown`` is
    the damaged id written out in digits, as the user would see it in Excel."""

    def __init__(self, message: str, shown: str = "") -> None:
        super().__init__(message)
        self.shown = shown


def clean_id(value: str) -> str:
    """An order number or serial as exact text: full-width digits folded, damage refused.

    ``10160070484512.0`` (Excel's float of an integer) is restored; scientific notation such as
    ``1.01600704845E+13`` has lost digits and is refused with an explanation.
    """
    s = value.strip(_PAD)
    if s.isdigit() and s.isascii():  # the common case: plain digits, nothing to repair
        return s
    if not s.isascii():
        s = unicodedata.normalize("NFKC", s).strip()
    if _SCIENTIFIC.fullmatch(s):
        shown = f"{Decimal(s):f}" if abs(Decimal(s)) < 10**30 else s
        raise IdError(
            f"id {shown} was stored as a number by Excel, which keeps 15 significant digits, so its "
            "last digits may be lost; export the file again as CSV (or format the column as text)",
            shown,
        )
    if _EXCEL_FLOAT_ID.fullmatch(s):
        return s.split(".", 1)[0]
    return s


@functools.lru_cache(maxsize=4096)  # every importer's detect folds the same head cells
def normalise_header(value: str) -> str:
    """Header cell for lookup: padding, full-width brackets and spaces folded."""
    s = unicodedata.normalize("NFKC", value) if not value.isascii() else value
    return re.sub(r"\s+", "", s.strip(_PAD + '"#'))
