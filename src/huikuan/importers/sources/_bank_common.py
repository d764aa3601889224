"""Shared by the bank statement formats (MT940, camt, BAI2, OFX, QIF): record ids that stay
unique in a file, amounts that look cut short or too large to be real."""

from __future__ import annotations

import re
from collections import Counter

from huikuan.domain.errors import MoneyError

#: larger than any real statement line, and near the int64 limit of the entry table
_TOO_LARGE = 10**17


def sane(amount: int, text: str) -> int:
    """``amount`` unless it is too large to be real (garbage digits, a tag swallowing an id)."""
    if abs(amount) >= _TOO_LARGE:
        raise MoneyError(text, "too large to be a real amount")
    return amount


def unique_id(ref: str, account: str, seen: set[str]) -> str:
    """``ref``, or ``ref@account`` when the file already used it (a transfer between two of
    the customer's accounts carries one bank reference on both sides)."""
    candidate, n = ref, 1
    if candidate in seen and account:
        candidate = f"{ref}@{account}"
    while candidate in seen:
        n += 1
        candidate = f"{ref}/{n}"
    seen.add(candidate)
    return candidate


def decimals(amount: str) -> int:
    m = re.search(r"\.(\d*)\s*$", amount)
    return len(m.group(1)) if m else 0


def cut_short(amounts: list[tuple[int, str]], *, whole_too: bool) -> list[tuple[int, str]]:
    """(line, amount) of the amounts written with fewer decimals than most of the file's
    (``-75.4`` among ``-1,000.00``, ``-20.28``): the sign of a line cut short. ``whole_too``
    counts amounts without decimals as well (formats that always write them)."""
    counts = Counter(decimals(a) for _, a in amounts)
    if not counts:
        return []
    usual = max(counts, key=lambda d: (counts[d], d))
    return [(line, a) for line, a in amounts
            if decimals(a) < usual and (whole_too or decimals(a) > 0)]
