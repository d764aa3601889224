"""The one date parser every importer uses.

Exports write dates in a dozen ways (``2023-02-12 21:32:14``, ``2023/2/12``, ``2023年02月12日``,
``20230212``, ``12/31/2023``, ``31.12.2023``, ``Jan 5, 2023 3:02:06 AM PST``, ISO with offsets).
A time without an offset is local time of the export's time zone, Asia/Shanghai unless the format
says otherwise. The result is always an aware :class:`datetime`.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from typing import Literal
from zoneinfo import ZoneInfo

from huikuan.domain.errors import DateError

DateOrder = Literal["ymd", "mdy", "dmy"]

#: China has kept UTC+8 without daylight saving since 1991; a fixed offset is exact and fast.
SHANGHAI = timezone(timedelta(hours=8), "Asia/Shanghai")

_ABBREVIATIONS = {
    "UTC": 0, "GMT": 0, "Z": 0, "PST": -8, "PDT": -7, "MST": -7, "MDT": -6, "EST": -5, "EDT": -4,
    "CDT": -5,  # US Central daylight time (Adyen reports); CST is left out: it is also China's
    "CET": 1, "CEST": 2, "BST": 1, "JST": 9, "HKT": 8, "SGT": 8, "AEST": 10, "AEDT": 11,
}
_MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)}

_TIME = (
    r"(?:[T\s]+(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,](?P<F>\d{1,9}))?)?"
    r"\s*(?P<ampm>[AaPp][Mm])?)?"
)
_ZONE = r"\s*(?P<tz>Z|[A-Z]{3,4}|(?:UTC|GMT)?\s*[+-]\d{1,2}(?::?\d{2})?)?"
_NUMERIC = re.compile(
    r"(?:(?P<y4>\d{4})[-/.](?P<a>\d{1,2})[-/.](?P<b>\d{1,2})"
    r"|(?P<c>\d{1,2})[-/.](?P<d>\d{1,2})[-/.](?P<y>\d{2,4})"
    r"|(?P<compact>\d{8})(?:[T\s]?(?P<ctime>\d{6}))?)" + _TIME + _ZONE
)
_NAMED = re.compile(
    r"(?:(?P<mon1>[A-Za-z]{3,9})\.?\s+(?P<d1>\d{1,2}),?\s+(?P<y1>\d{4})"
    r"|(?P<d2>\d{1,2})[-\s](?P<mon2>[A-Za-z]{3,9})\.?[-\s,]+(?P<y2>\d{2,4}))" + _TIME + _ZONE
)
_CJK = str.maketrans({"年": "-", "月": "-", "日": " ", "时": ":", "分": ":", "秒": " "})


@lru_cache(maxsize=64)
def zone(name: str) -> tzinfo:
    """The tzinfo for an IANA name; Asia/Shanghai is the fixed UTC+8 offset."""
    if name in ("Asia/Shanghai", "Asia/Chongqing", "PRC", "+08:00"):
        return SHANGHAI
    if name in ("UTC", "Etc/UTC", "Z"):
        return UTC
    return ZoneInfo(name)


def parse_timestamp(
    text: str,
    tz: str | tzinfo = "Asia/Shanghai",
    *,
    order: DateOrder = "ymd",
    two_digit_year: bool = False,
) -> datetime:
    """Parse ``text`` into an aware datetime; naive times are local to ``tz``.

    ``order`` tells how to read ``01/02/2023``: ``mdy`` (US exports) or ``dmy`` (EU). With
    ``two_digit_year`` a bare ``YYMMDD`` (MT940, BAI2) is accepted.
    """
    local = zone(tz) if isinstance(tz, str) else tz
    s = text.strip()
    try:  # fast path: ISO forms, the large majority of cells
        value = datetime.fromisoformat(s)
    except ValueError:
        value = _parse_general(text, s, order, two_digit_year)
    if value.tzinfo is None:
        return value.replace(tzinfo=local)
    return value


def _parse_general(text: str, s: str, order: DateOrder, two_digit_year: bool) -> datetime:
    if not s:
        raise DateError(text, "empty")
    if not s.isascii():
        s = unicodedata.normalize("NFKC", s).translate(_CJK).strip()
        s = re.sub(r"\s+", " ", s.replace("- ", " ")).rstrip("-: ")
    if two_digit_year and re.fullmatch(r"\d{6}", s):
        s = f"20{s[:2]}-{s[2:4]}-{s[4:]}" if int(s[:2]) < 80 else f"19{s[:2]}-{s[2:4]}-{s[4:]}"
    m = _NUMERIC.fullmatch(s)
    if m:
        if m["y4"]:
            y, mo, d = int(m["y4"]), int(m["a"]), int(m["b"])
        elif m["compact"]:
            c = m["compact"]
            y, mo, d = int(c[:4]), int(c[4:6]), int(c[6:])
        else:
            first, second, y = int(m["c"]), int(m["d"]), _year(m["y"])
            mo, d = (first, second) if order == "mdy" else (second, first)
            if order == "ymd":  # 01/02/2023 with no stated order: only unambiguous days pass
                if first <= 12 and second <= 12 and first != second:
                    raise DateError(text, "day and month are ambiguous; the format must say DMY or MDY")
                mo, d = (first, second) if second > 12 else (second, first)
        if m["ctime"]:
            ct = m["ctime"]
            return _build(text, y, mo, d, ct[:2], ct[2:4], ct[4:], None, None, m["tz"])
        return _build(text, y, mo, d, m["H"], m["M"], m["S"], m["F"], m["ampm"], m["tz"])
    m = _NAMED.fullmatch(s)
    if m:
        name = (m["mon1"] or m["mon2"]).lower()[:3]
        if name not in _MONTHS:
            raise DateError(text, f"unknown month name {name!r}")
        y = int(m["y1"]) if m["y1"] else _year(m["y2"])
        d = int(m["d1"] or m["d2"])
        return _build(text, y, _MONTHS[name], d, m["H"], m["M"], m["S"], m["F"], m["ampm"], m["tz"])
    raise DateError(text)


def _year(text: str) -> int:
    y = int(text)
    if len(text) == 2:
        return 2000 + y if y < 80 else 1900 + y
    return y


def _build(  # noqa: PLR0917 - the parts of one date, in reading order
    text: str, y: int, mo: int, d: int, hh: str | None, mm: str | None, ss: str | None,
    frac: str | None, ampm: str | None, tzname: str | None,
) -> datetime:
    hour, minute, second = int(hh or 0), int(mm or 0), int(ss or 0)
    if ampm:
        if not 1 <= hour <= 12:
            raise DateError(text, "hour out of range for AM/PM")
        hour = hour % 12 + (12 if ampm.lower() == "pm" else 0)
    micro = int((frac or "0")[:6].ljust(6, "0"))
    try:
        value = datetime(y, mo, d, hour, minute, second, micro)
    except ValueError as exc:
        raise DateError(text, str(exc)) from None
    if tzname:
        return value.replace(tzinfo=_offset(text, tzname))
    return value


def _offset(text: str, name: str) -> tzinfo:
    key = name.strip().upper()
    if key in _ABBREVIATIONS:
        return timezone(timedelta(hours=_ABBREVIATIONS[key]))
    m = re.fullmatch(r"(?:UTC|GMT)?\s*([+-])(\d{1,2}):?(\d{2})?", key)
    if not m:
        raise DateError(text, f"unknown time zone {name!r}")
    delta = timedelta(hours=int(m[2]), minutes=int(m[3] or 0))
    return timezone(-delta if m[1] == "-" else delta)
