"""The formula guard: text that a spreadsheet would run as a formula, made inert.

Every CSV and xlsx file the product writes (result files, reports, the workbench's tab exports, the
overdue list) passes every text cell through :func:`escape_text` — data, titles, headers, notes —
so that a counterparty ``=HYPERLINK("http://evil", "点我")`` or a memo ``@SUM(1+1)*cmd|' /C calc'!A0``
shows as the text it is in the clerk's Excel instead of running. Numbers are not text: an amount
is written as a number (xlsx) or a plain decimal (``-12.50`` in a CSV) and never passes here.

The rule (OWASP, CSV injection): a cell that starts with ``=``, ``+``, ``-``, ``@``, tab or carriage
return gets a leading ``'``. The fullwidth ``＝ ＋ － ＠`` are guarded too: a Chinese input method
types them, and spreadsheet apps with East Asian input settings may turn a leading fullwidth
``＝`` into ``=`` when a cell is edited or re-entered: such a cell is one keystroke from a formula.
The ``'`` shows (it is OWASP's advice, and what a clerk can read); a reader that needs the original
removes one leading ``'`` from a cell that starts with ``'`` followed by one of these characters.
An xlsx text cell is never a formula by itself (the writer writes inline strings, no ``<f>``), but
it is guarded the same way: editing the cell in Excel, or saving the sheet as CSV, would run it.
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

#: a cell starting with one of these is a formula, or becomes one, in Excel, LibreOffice, Sheets, WPS
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
#: what goes before such a cell
GUARD = "'"
#: RE2: one of them at the start, kept as group 1
_STARTS = "^([" + "".join({"-": r"\-", "\t": r"\t", "\r": r"\r"}.get(c, c) for c in FORMULA_STARTS) + "])"


def escape_text(values: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """Text cells made inert: each value that starts with one of :data:`FORMULA_STARTS` gets a
    leading ``'``; every other value, null and the empty text included, stays as it is. One
    kernel call for the whole column (about 0.1 s a million cells). Values that are not text are
    cast to text first (an id column read as numbers); never pass amounts here, they are numbers,
    not text."""
    if not (pa.types.is_string(values.type) or pa.types.is_large_string(values.type)):
        values = pc.cast(values, pa.string())
    return pc.replace_substring_regex(values, _STARTS, GUARD + r"\1", max_replacements=1)


def escape_texts(texts: list[str]) -> list[str]:
    """:func:`escape_text` for a few loose texts (a title, headers, notes)."""
    return [t or "" for t in escape_text(pa.array(texts, pa.string())).to_pylist()]
