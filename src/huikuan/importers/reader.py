"""The one reader: opens any export (CSV in any encoding, Excel, HTML disguised as .xls, XML,
fixed text) and yields rows of cleaned cells with their physical line numbers.

Large files are streamed: rows are produced one at a time from an incremental decoder, never
read into memory as a whole. How CSV text becomes records is :mod:`.records`; HTML tables are
:mod:`.html_table`.
"""

from __future__ import annotations

import functools
import io
import itertools
import re
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, Literal

from huikuan.domain.errors import InputError
from huikuan.importers.cells import clean_cell
from huikuan.importers.encoding import sniff_encoding
from huikuan.importers.html_table import html_rows
from huikuan.importers.records import RawRow, parse_csv, sniff_delimiter
from huikuan.importers.workbook import calamine_guard, check_xlsx, guarded_rows

FileKind = Literal["text", "excel", "html", "binary"]
HEAD_BYTES = 64 * 1024
_HTML = re.compile(rb"<\s*(html|table)\b", re.IGNORECASE)
_NON_ASCII = re.compile(rb"[\x80-\xff]")


class SourceFile:
    """An export on disk: what kind of file it is, its encoding, and its rows or text."""

    def __init__(self, path: str | Path, *, name: str | None = None, origin: Path | None = None,
                 keep: object = None) -> None:
        self.path = Path(path)
        #: the name the file is reported by: ``archive.zip!member.csv`` for a member of an archive
        self.name = name or self.path.name
        #: the file the user gave (the archive, for a member); ``path`` is where it is read from
        self.origin = origin or self.path
        self._keep = keep  # the temporary folder of an archive member lives as long as its source
        if not self.path.is_file():
            raise InputError(str(path), "file not found")
        with self.path.open("rb") as fh:
            self.head = fh.read(HEAD_BYTES)
        self.size = self.path.stat().st_size
        self.kind: FileKind = _classify(self.head)
        self.encoding: str | None = None
        if self.kind in ("text", "html"):
            self.encoding = sniff_encoding(self._encoding_sample())
        self.delimiter: str | None = None
        self._sheet: Any = None
        self._head: list[RawRow] | None = None
        self.sheet: str | None = None

    # ---- text -------------------------------------------------------------------------------
    def _encoding_sample(self) -> bytes:
        """The head, or for a head of pure ASCII the first non-ASCII stretch further in.

        The search is a compiled regex over 1 MiB blocks (C speed: a 300 MB ASCII file is
        scanned in well under a second); the codec is then verified while decoding, since every
        byte it cannot decode becomes U+FFFD and the row holding it a row error.
        """
        if self.size <= HEAD_BYTES or _NON_ASCII.search(self.head):
            return self.head
        with self.path.open("rb") as fh:
            offset = 0
            while chunk := fh.read(1 << 20):
                hit = _NON_ASCII.search(chunk)
                if hit is not None:
                    fh.seek(max(0, offset + hit.start() - 64))
                    return fh.read(HEAD_BYTES)
                offset += len(chunk)
        return self.head

    def head_text(self) -> str:
        """The decoded start of a text file ('' for Excel or binary)."""
        if self.kind not in ("text", "html") or self.encoding is None:
            return ""
        return self.head.decode(self.encoding, errors="replace")

    def open_text(self) -> io.TextIOWrapper:
        """The whole file as a text stream, decoded on the fly; bad bytes become U+FFFD."""
        if self.encoding is None:
            raise InputError(self.name, f"not a text file ({self.kind})")
        return open(self.path, encoding=self.encoding, errors="replace", newline="")

    def lines(self) -> Iterator[tuple[int, str]]:
        """Physical lines (1-based number, text without the line break)."""
        with self.open_text() as fh:
            for number, line in enumerate(fh, start=1):
                yield number, line.rstrip("\r\n")

    def read_text(self) -> str:
        """Whole file as text, for small structured formats (MT940, OFX, XML, BAI2)."""
        with self.open_text() as fh:
            return fh.read()

    # ---- rows -------------------------------------------------------------------------------
    def rows(self, delimiter: str | None = None) -> Iterator[RawRow]:
        """Every record of the file as cleaned cells, streamed."""
        if self.kind == "excel":
            yield from _excel_rows(self._excel_sheet(), self.name)
        elif self.kind == "html":
            yield from html_rows(self.read_text())
        elif self.kind == "text":
            yield from self._csv(delimiter or self.sniff_delimiter())
        else:
            raise InputError(self.name, "binary file: not a CSV, Excel or text export")

    def head_rows(self, limit: int = 80) -> list[RawRow]:
        """The first ``limit`` records, for detection."""
        if self.kind == "excel":
            if self._head is None or len(self._head) < limit:
                self._head = list(itertools.islice(_excel_rows(self._excel_sheet(), self.name), limit))
            return self._head[:limit]
        if self.kind == "html":
            return list(html_rows(self.head_text()))[:limit]
        if self.kind != "text":
            return []
        if self._head is None:  # parsed once: every importer's detect asks for it
            text = self.head_text()
            if self.size > HEAD_BYTES:
                text = text[: text.rfind("\n") + 1]
            self._head = list(parse_csv(io.StringIO(text, newline=""), self.sniff_delimiter()))
        return self._head[:limit]

    def sniff_delimiter(self) -> str:
        """The field separator: the candidate that splits most lines into the same width."""
        if self.delimiter is None:
            self.delimiter = sniff_delimiter(self.head_text().splitlines()[:200])
        return self.delimiter

    def _csv(self, delimiter: str) -> Iterator[RawRow]:
        with self.open_text() as fh:
            yield from parse_csv(fh, delimiter)

    def _excel_sheet(self) -> Any:
        """The first sheet with data (the workbook is opened once, rows are read lazily)."""
        if self._sheet is None:
            self._sheet = _first_sheet(self)
        return self._sheet


def _classify(head: bytes) -> FileKind:
    if head.startswith(b"PK\x03\x04") or head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "excel"
    if _HTML.search(head[:4096]) and not head.lstrip().startswith(b"<?xml"):
        return "html"
    if b"\x00" in head[:4096] and not (head[:2] in (b"\xff\xfe", b"\xfe\xff") or _looks_utf16(head)):
        return "binary"
    return "text"


def _looks_utf16(head: bytes) -> bool:
    sample = head[:4000]
    return len(sample) >= 4 and (sample[1::2].count(0) > len(sample) // 4
                                 or sample[0::2].count(0) > len(sample) // 4)


def excel_cell_text(value: object) -> str:
    """Text of a spreadsheet cell exactly as the clerk sees it.

    Integral numbers lose the ``.0`` Excel adds; numbers too big to be exact (ids Excel stored as
    numbers) keep their scientific form so that id columns can refuse them loudly.
    """
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):  # ok-float: a spreadsheet cell, turned into exact text here
        # Excel keeps 15 significant digits: a 16-digit integer ending in 0 may have been cut
        exact = abs(value) < 10**15 or (abs(value) < 2**53 and value % 10)
        if value.is_integer() and exact:
            return str(int(value))
        text = f"{value:.15e}" if value.is_integer() and abs(value) < 2**53 else repr(value)
        if "e" not in text and "." in text and len(text.split(".")[1]) > 6:
            text = repr(round(value, 6))  # formula noise such as 1234.5600000000002
        return text
    if isinstance(value, datetime):
        return value.isoformat(" ")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    return clean_cell(str(value))


def _first_sheet(source: SourceFile) -> Any:
    """The first sheet with data. An .xlsx is measured first (see :mod:`.workbook`); every call
    into calamine turns its errors and panics into one "damaged workbook" line."""
    from python_calamine import CalamineWorkbook

    if source.head.startswith(b"PK\x03\x04"):
        check_xlsx(source.path, source.name)
    book = calamine_guard(source.name, lambda: CalamineWorkbook.from_path(str(source.path)),
                          quiet=True)
    for index, name in enumerate(calamine_guard(source.name, lambda: list(book.sheet_names))):
        sheet = calamine_guard(source.name, functools.partial(book.get_sheet_by_index, index),
                               quiet=True)
        # stops at the first row with a value: a sheet with data is found at once
        if sheet.height and any(any(v not in (None, "") for v in row)
                                for row in guarded_rows(source.name, iter(sheet.iter_rows()))):
            source.sheet = name
            return sheet
    raise InputError(source.name, "the workbook has no sheet with data")


def _excel_rows(sheet: Any, name: str) -> Iterator[RawRow]:
    """Rows of a sheet one at a time, numbered as Excel numbers them (blank top rows count)."""
    for number, row in enumerate(guarded_rows(name, iter(sheet.iter_rows())), start=1):
        cells = [excel_cell_text(v) for v in row]
        while cells and not cells[-1]:
            cells.pop()
        yield RawRow(number, cells, "\t".join(cells), number)


__all__ = ["HEAD_BYTES", "FileKind", "RawRow", "SourceFile", "excel_cell_text", "parse_csv",
           "sniff_delimiter"]
