"""Cell cleaning and parsing over whole columns (Arrow compute), for the vectorised reader.

Each parser returns its values and an ``ok`` mask: ``ok`` is true only where the column-wise
reading is certain to give what the per-row parser (:func:`~huikuan.importers.cells.clean_cell`,
:func:`~huikuan.domain.money.parse_amount`, :func:`~huikuan.domain.dates.parse_timestamp`,
:func:`~huikuan.importers.cells.clean_id`) gives for that cell. The rest (thousands separators,
full-width digits, unusual date forms, damaged ids, bad cells) is left to the per-row code, which
either reads it or turns it into the row error users know — so the forms handled here can stay
few and obviously right.
"""

from __future__ import annotations

import re
import threading
from datetime import UTC, timedelta, tzinfo

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from huikuan.domain.dates import SHANGHAI, zone
from huikuan.domain.money import exponent
from huikuan.importers.cells import clean_cell

PAD = " \t\r\n\u3000\u00a0\ufeff"
#: a digit other than 0-9: Python's ``\d`` matches it, RE2's does not (and RE2's Unicode
#: classes are several times slower), so rows holding one are left to the per-row code
OTHER_DIGIT = r"[^\P{Nd}0-9]"
_PLAIN_AMOUNT = r"^(?P<sign>[+-]?)(?P<whole>[0-9]{1,15})(?:\.(?P<frac>[0-9]+))?$"
_DATE = r"[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])"
_TIME = r"(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]"
_SCIENTIFIC = r"^[+-]?[0-9](?:\.[0-9]+)?[eE][+-]?[0-9]+$"
_EXCEL_FLOAT_ID = r"^[0-9]{12,}\.0+$"


def strings(values: pa.Array | pa.ChunkedArray) -> pa.Array:
    """One contiguous string array (compute results may come chunked)."""
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks() if values.num_chunks != 1 else values.chunk(0)
    return values


def clean(cells: pa.Array) -> pa.Array:
    """:func:`~huikuan.importers.cells.clean_cell` for a column: padding and text guards
    (``="…"``, a leading backtick, an apostrophe before digits, a double-quoted cell)."""
    s = pc.utf8_trim(cells, characters=PAD)
    formula, tick, apostrophe, quoted = (pc.starts_with(s, first) for first in "=`'\"")
    if not pc.any(pc.or_(pc.or_(formula, tick), pc.or_(apostrophe, quoted))).as_py():
        return strings(s)
    formula = pc.and_(pc.starts_with(s, '="'), pc.ends_with(s, '"'))
    apostrophe = pc.match_substring_regex(s, r"^'[0-9]")
    quoted = pc.and_(pc.and_(quoted, pc.ends_with(s, '"')), pc.greater_equal(pc.utf8_length(s), 2))
    out = pc.if_else(formula, pc.utf8_trim(pc.utf8_slice_codeunits(s, 2, -1), characters=PAD),
          pc.if_else(tick, pc.utf8_trim(pc.utf8_slice_codeunits(s, 1), characters=PAD),
          pc.if_else(apostrophe, pc.utf8_slice_codeunits(s, 1),
          pc.if_else(quoted, pc.utf8_trim(pc.utf8_slice_codeunits(s, 1, -1), characters=PAD), s))))
    # str.isdigit() is true for more than 0-9 (superscripts, full-width, circled digits): an
    # apostrophe before any other non-ASCII character is decided by clean_cell itself
    odd = pc.indices_nonzero(pc.match_substring_regex(s, "^'[^\\x00-\\x7f]"))
    if len(odd):
        exact = [clean_cell(v) for v in pc.take(cells, odd).to_pylist()]
        out = scatter(strings(out), odd, pa.array(exact, pa.string()))
    return strings(out)


def filled(cells: pa.Array) -> pa.Array:
    """True where a cleaned cell is not empty."""
    return pc.not_equal(cells, "")


def amount(cells: pa.Array, currency: str, *, decimal_comma: bool = False) -> tuple[pa.Array, pa.Array]:
    """Minor units of plain amounts (``-12.5``, ``+128.00``, ``3``), exactly as
    :func:`~huikuan.domain.money.parse_amount` reads them: integer arithmetic on the digits, never
    a float. Decimal places beyond the currency's must be zeros (else not ``ok``: the per-row
    parser refuses them with its message)."""
    digits = exponent(currency)
    if digits and not decimal_comma:
        # the usual cell has exactly the currency's decimals: drop the point and read an integer
        # (one pattern test, no extraction); the other filled cells take the general path
        usual = pc.match_substring_regex(cells, f"^[+-]?[0-9]{{1,15}}\\.[0-9]{{{digits}}}$")
        text = pc.utf8_ltrim(pc.replace_substring(pc.if_else(usual, cells, "0"), ".", ""), "+")
        value = pc.cast(text, pa.int64())
        # an empty cell is not an amount either (0, not ok), as the general path says
        others = pc.indices_nonzero(pc.invert(pc.or_(usual, pc.equal(cells, ""))))
        if not len(others):
            return value, usual
        rest, rest_ok = _general_amount(pc.take(cells, others), digits, decimal_comma)
        return scatter(value, others, rest), scatter(usual, others, rest_ok)
    return _general_amount(cells, digits, decimal_comma)


def _general_amount(cells: pa.Array, digits: int, decimal_comma: bool) -> tuple[pa.Array, pa.Array]:
    parts = pc.extract_regex(cells, _PLAIN_AMOUNT)
    ok = pc.fill_null(pc.is_valid(parts), False)
    if decimal_comma:  # "12.50" means something else there; leave it to the per-row parser
        ok = pc.and_(ok, pc.invert(pc.match_substring(cells, ".")))
    whole = pc.if_else(ok, pc.struct_field(parts, "whole"), "0")
    frac = pc.if_else(ok, pc.struct_field(parts, "frac"), "")
    kept = pc.utf8_slice_codeunits(frac, 0, digits) if digits else pa.repeat("", len(cells))
    beyond = pc.utf8_slice_codeunits(frac, digits)
    ok = pc.and_(ok, pc.equal(pc.utf8_trim(beyond, characters="0"), ""))
    value = pc.multiply(pc.cast(whole, pa.int64()), 10**digits)
    if digits:
        value = pc.add(value, pc.cast(pc.utf8_rpad(kept, digits, "0"), pa.int64()))
    negative = pc.equal(pc.if_else(ok, pc.struct_field(parts, "sign"), ""), "-")
    value = pc.if_else(negative, pc.negate(value), value)
    return pc.if_else(ok, value, 0), ok


def timestamp(cells: pa.Array, tz: str) -> tuple[pa.Array, pa.Array]:
    """``YYYY-MM-DD HH:MM:SS`` (or ``T``) and ``YYYY-MM-DD`` local to ``tz``, as UTC
    microseconds. Only zones with a fixed offset are read here; impossible days (30 February)
    are not ``ok`` and reach the per-row parser, which names them."""
    local = zone(tz)
    offset = _fixed_offset(local)
    if offset is None:
        return pa.nulls(len(cells), pa.timestamp("us", tz="UTC")), pa.repeat(False, len(cells))
    with_time = pc.match_substring_regex(cells, f"^{_DATE}[ T]{_TIME}$")
    day_only = pc.match_substring_regex(cells, f"^{_DATE}$")
    text = pc.if_else(with_time, pc.replace_substring(cells, "T", " "),
                      pc.if_else(day_only, pc.binary_join_element_wise(cells, "00:00:00", " "),
                                 "1970-01-01 00:00:00"))
    parsed = pc.strptime(text, format="%Y-%m-%d %H:%M:%S", unit="us", error_is_null=True)
    ok = pc.fill_null(pc.and_(pc.or_(with_time, day_only), pc.is_valid(parsed)), False)
    # strptime rolls 30 February over into March: the day it gives must be the day written
    written = pc.cast(pc.utf8_slice_codeunits(text, 8, 10), pa.int64())
    ok = pc.and_(ok, pc.fill_null(pc.equal(pc.day(pc.fill_null(parsed, 0)), written), False))
    micros = pc.subtract(pc.cast(parsed, pa.int64()), offset)
    value = pc.cast(micros, pa.timestamp("us")).cast(pa.timestamp("us", tz="UTC"))
    return pc.if_else(ok, value, pa.scalar(None, pa.timestamp("us", tz="UTC"))), ok


def _fixed_offset(local: tzinfo) -> int | None:
    """Microseconds east of UTC for a zone without daylight saving, else ``None``."""
    if local is SHANGHAI or local is UTC:
        delta = local.utcoffset(None)
        return None if delta is None else delta // timedelta(microseconds=1)
    return None


def ident(cells: pa.Array) -> tuple[pa.Array, pa.Array]:
    """:func:`~huikuan.importers.cells.clean_id` where it leaves the cell as it is: ASCII text
    that is neither scientific notation (an id Excel damaged) nor Excel's ``….0`` float."""
    digits = pc.or_(pc.ascii_is_decimal(cells), pc.equal(cells, ""))
    if pc.all(digits).as_py() is not False:
        return cells, pa.repeat(True, len(cells))
    others = pc.indices_nonzero(pc.invert(digits))
    rest = pc.take(cells, others)
    damaged = pc.or_(pc.match_substring_regex(rest, _SCIENTIFIC),
                     pc.match_substring_regex(rest, _EXCEL_FLOAT_ID))
    rest_ok = pc.and_(pc.fill_null(pc.string_is_ascii(rest), False), pc.invert(damaged))
    return cells, scatter(pa.repeat(True, len(cells)), others, rest_ok)


def scatter(base: pa.Array, positions: pa.Array, values: pa.Array) -> pa.Array:
    """``base`` with ``values`` written at ``positions`` (ascending)."""
    if len(positions) == 0:
        return base
    flags = np.zeros(len(base), dtype=bool)
    flags[positions.to_numpy()] = True
    mask = pa.array(flags)
    return pc.replace_with_mask(base, mask, values.cast(base.type))


def lookup(cells: pa.Array, mapping: dict[str, str]) -> pa.Array:
    """``mapping.get(cell)`` for a column (null where the cell is not a key)."""
    keys = pa.array(list(mapping), pa.string())
    values = pa.array([str(v) for v in mapping.values()], pa.string())
    return pc.take(values, pc.index_in(cells, value_set=keys))


def contains_any(cells: pa.Array, words: tuple[str, ...]) -> pa.Array:
    """True where a cell contains one of ``words`` (one pass: an alternation of literals). A
    column of few distinct texts (a bill's 类型 or 备注) is searched once per distinct text."""
    pattern = "|".join(re.escape(w) for w in words)
    cells = strings(cells)
    encoded = _distinct(cells)
    if encoded is None:
        return pc.match_substring_regex(cells, pattern)
    return pc.take(pc.match_substring_regex(encoded.dictionary, pattern), encoded.indices)


_RECENT = threading.local()  # per thread: two files read at once do not share the columns


def forget() -> None:
    """Drop the columns :func:`_distinct` remembers (a read is over)."""
    _RECENT.__dict__.pop("encoded", None)


def _distinct(cells: pa.Array) -> pa.DictionaryArray | None:
    """``cells`` dictionary-encoded where they hold at most one distinct text in eight (else
    None); the last few columns asked about are remembered, as a format asks several times."""
    recent: list[tuple[pa.Array, pa.DictionaryArray | None]] = _RECENT.__dict__.setdefault(
        "encoded", [])
    for seen, encoded in recent:
        if seen is cells:
            return encoded
    if len(cells) < 64:
        return None
    whole = pc.dictionary_encode(cells)
    encoded = whole if len(whole.dictionary) * 8 <= len(cells) else None
    recent.insert(0, (cells, encoded))
    del recent[4:]
    return encoded


def first_match(cells: pa.Array, pattern: str, where: pa.Array | None = None) -> pa.Array:
    """The ``value`` group of the first match of ``pattern`` (RE2 syntax), ``""`` without one;
    only the rows ``where`` is true are searched (the others give ``""``)."""
    if where is None:
        found = pc.extract_regex(cells, pattern)
        return pc.fill_null(pc.struct_field(found, "value"), "")
    positions = pc.indices_nonzero(where)
    empty = pa.repeat("", len(cells)).cast(pa.string())
    if len(positions) == 0:
        return empty
    found = pc.extract_regex(pc.take(cells, positions), pattern)
    return scatter(empty, positions, pc.fill_null(pc.struct_field(found, "value"), ""))
