"""The one reader: opens any export (CSV in any encoding, Excel, HTML disguised as .xls, XML,
fixed text) and yields rows of cleaned cells with their physical line numbers.

Large files are streamed: rows are produced one at a time from an incremental decoder, never
read into memory as a whole. How CSV text becomes records is :mod:`.records`; HTML tables are
:mod:`.html_table`.
"""

from __future__ import annotations

import io
import itertools
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

from huikuan.domain.errors import InputError
from huikuan.importers.encoding import sniff_encoding
from huikuan.importers.html_table import html_rows
from huikuan.importers.records import RawRow, parse_csv, sniff_delimiter
from huikuan.importers.workbook import first_sheet, sheet_rows

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
            self._sheet, self.sheet = first_sheet(self.path, self.head, self.name)
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




def _excel_rows(sheet: Any, name: str) -> Iterator[RawRow]:
    """Rows of a sheet (see :func:`~huikuan.importers.workbook.sheet_rows`); the raw text of a
    row is its cells joined by tabs."""
    for number, cells in sheet_rows(sheet, name):
        yield RawRow(number, cells, "\t".join(cells), number)


__all__ = ["HEAD_BYTES", "FileKind", "RawRow", "SourceFile", "parse_csv",
           "sniff_delimiter"]
