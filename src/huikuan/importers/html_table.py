"""Rows of an HTML table: some banks save their statement as an HTML page with an .xls name."""

from __future__ import annotations

from collections.abc import Iterator

from huikuan.importers.cells import clean_cell
from huikuan.importers.records import RawRow


def html_rows(text: str) -> Iterator[RawRow]:
    """Rows of an HTML table (some banks save one with an .xls name)."""
    from html.parser import HTMLParser

    rows: list[list[str]] = []

    class _Table(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.cell: list[str] | None = None
            self.row: list[str] | None = None

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag == "tr":
                self.row = []
            elif tag in ("td", "th"):
                self.cell = []

        def handle_endtag(self, tag: str) -> None:
            if tag in ("td", "th") and self.cell is not None and self.row is not None:
                self.row.append("".join(self.cell))
                self.cell = None
            elif tag == "tr" and self.row is not None:
                rows.append(self.row)
                self.row = None

        def handle_data(self, data: str) -> None:
            if self.cell is not None:
                self.cell.append(data)

    _Table().feed(text)
    for number, row in enumerate(rows, start=1):
        cells = [clean_cell(c) for c in row]
        yield RawRow(number, cells, "\t".join(cells), number)
