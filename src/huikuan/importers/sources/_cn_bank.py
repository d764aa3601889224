"""Cell conventions shared by the Chinese bank exports (ICBC, CCB, ABC, BOC, BOCOM, CGB, CITIC).

Not a format: no importer lives here. These banks fill empty cells with placeholders (``-``,
``--``, ``-------------------``), give money in and out in two unsigned columns (``0`` or empty
for none; read by ``row.in_minus_out``, the rule every format shares) and put a bank title above
the header. The helpers below read those the same way in every module; money, dates and
references still go through the shared parsers (``Importer.money``, ``Importer.when``,
:func:`huikuan.importers.sources.cmb_bank.reference_in`).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence

from huikuan.importers.base import ReadContext, TableImporter
from huikuan.importers.cells import clean_cell
from huikuan.importers.reader import HEAD_BYTES, RawRow, SourceFile

_PLACEHOLDER = re.compile(r"[-—]+")
_LEADING_DASHES = re.compile(r"^-{5,}\s*")


def filled(text: str) -> str:
    """A cell without the bank's placeholder: ``-``, ``--``, ``-----…`` → ``''``.

    BOC sometimes writes the placeholder in front of real text (``------- 张三``); the dashes go.
    """
    text = text.strip()
    if _PLACEHOLDER.fullmatch(text):
        return ""
    return _LEADING_DASHES.sub("", text)


def joined(*parts: str) -> str:
    """Memo fields joined by a space, placeholders and repeats left out."""
    seen: list[str] = []
    for text in map(filled, parts):
        if text and text not in seen:
            seen.append(text)
    return " ".join(seen)


def head_rows_split_by(source: SourceFile, delimiter: str) -> list[RawRow]:
    """The first rows of a text file split by ``delimiter`` rather than the sniffed one.

    ICBC pads every field with spaces and a TAB *inside* the quotes (``"消费   \\t",``), which makes
    the shared sniffer count TABs and pick the wrong separator.
    """
    if source.kind != "text" or source.sniff_delimiter() == delimiter:
        return source.head_rows()
    text = source.head_text()
    if source.size > HEAD_BYTES:
        text = text[: text.rfind("\n") + 1]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    rows = []
    for number, cells in enumerate(reader, start=1):
        rows.append(RawRow(number, [clean_cell(c) for c in cells], "", number))
        if number >= 80:
            break
    return rows


def detect_with_title(importer: TableImporter, rows: Sequence[RawRow], titles: Sequence[str]) -> float:
    """The table score of :meth:`TableImporter.detect`, plus 0.1 when a bank title sits above the
    header. The title is evidence, not a requirement: re-saved files sometimes lose it."""
    header = importer.find_header(rows)
    if header is None:
        return 0.0
    share = len(header.index) / max(1, len(importer.columns))
    above = "".join("".join(r.cells) for r in rows[: header.position])
    bonus = 0.1 if any(t in above for t in titles) else 0.0
    return min(1.0, 0.5 + 0.4 * share + bonus)


def check_in_out(ctx: ReadContext, label: str, money_in: int, money_out: int,
                 currency: str | None = None) -> None:
    """Check a footer's money-in and money-out totals against the entries read."""
    table = ctx.builder.table()
    amounts = table["amount_minor"].to_pylist()
    currencies = table["currency"].to_pylist()
    picked = [a for a, c in zip(amounts, currencies, strict=True) if currency in (None, c)]
    shown = currency or (currencies[0] if currencies else "CNY")
    ctx.check(f"{label} 收入", money_in, sum(a for a in picked if a > 0), shown)
    ctx.check(f"{label} 支出", abs(money_out), -sum(a for a in picked if a < 0), shown)
