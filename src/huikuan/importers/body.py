"""The rows after a table's header, one at a time: what each line is (data, blank, footer,
continuation, damaged) and the format's reading of each data row, by column name.

:class:`Body` is the per-row reference reading; the column-wise reader (:mod:`.vector`) hands it
every row it cannot vouch for, so both readings name lines and report rows alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from huikuan.domain.errors import HuikuanError
from huikuan.importers.cells import IdError, clean_id
from huikuan.importers.columns import Amount, Column, When, in_minus_out
from huikuan.importers.reader import RawRow, SourceFile

if TYPE_CHECKING:
    from huikuan.importers.base import TableImporter
    from huikuan.importers.context import ReadContext

#: Exceptions that mean "this row is bad", as opposed to a bug in huikuan.
ROW_PROBLEMS: tuple[type[Exception], ...] = (HuikuanError, IdError, ValueError, KeyError, IndexError)


class Row:
    """A data row with access to cells by the importer's column names: ``row["memo"]`` is the
    text, and :meth:`amount`, :meth:`when`, :meth:`id` and :meth:`in_minus_out` read a cell by
    its declared kind (see :mod:`.columns`)."""

    __slots__ = ("cells", "damaged", "importer", "index", "raw")

    def __init__(self, raw: RawRow, index: dict[str, int], importer: TableImporter) -> None:
        self.raw = raw
        self.cells = raw.cells
        self.index = index
        self.importer = importer
        #: id cells Excel had cut (see :meth:`id`), as written in the file
        self.damaged: list[str] = []

    @property
    def line(self) -> int:
        return self.raw.line

    def __getitem__(self, name: str) -> str:
        try:
            return self.cells[self.index[name]]
        except (KeyError, IndexError):  # a column the file lacks, or a short row
            return ""

    def has(self, name: str) -> bool:
        return name in self.index

    def _declared(self, name: str, kind: type[Column]) -> Column:
        column = self.importer.columns.get(name)
        if not isinstance(column, kind):  # a bug in the format module, not in the file
            raise TypeError(f"{type(self.importer).__name__}.columns[{name!r}] is not declared "
                            f"{kind.__name__} but {column!r}")
        return column

    def amount(self, name: str, currency: str | None = None) -> int | None:
        """An :class:`~.columns.Amount` cell in minor units (``currency`` if not the format's);
        None when blank."""
        self._declared(name, Amount)
        text = self[name]
        return self.importer.money(text, currency) if text else None

    def when(self, name: str) -> datetime | None:
        """A :class:`~.columns.When` cell as a timestamp; None when blank."""
        self._declared(name, When)
        text = self[name]
        return self.importer.when(text) if text else None

    def in_minus_out(self, money_in: str, money_out: str, currency: str | None = None) -> int:
        """The signed amount of two unsigned :class:`~.columns.Amount` columns (see
        :func:`.columns.in_minus_out` for the one rule every format follows)."""
        names = (self._declared(money_in, Amount).label, self._declared(money_out, Amount).label)
        return in_minus_out(self[money_in], self[money_out],
                            lambda text: self.importer.money(text, currency), names)

    def id(self, name: str) -> str:
        """An identifier cell as exact text (see :func:`clean_id`).

        An id Excel cut to 15 significant digits gives ``""``: the row is still imported (as
        ``file:line``, its money counts) rather than refused or filed under a wrong id; the
        damaged text is remembered so the file gets one warning naming such rows.
        """
        try:
            return clean_id(self[name])
        except IdError as exc:
            self.damaged.append(exc.shown or self[name])
            return ""


@dataclass(frozen=True)
class Header:
    """Where the header row is and which column holds each named field."""

    position: int
    index: dict[str, int]
    width: int


class Body:
    """The rows after the header, one at a time: blank lines, footers (and data after a footer),
    short rows, undecodable bytes, then the format's :meth:`TableImporter.parse_row`."""

    def __init__(self, importer: TableImporter, header: Header, source: SourceFile,
                 ctx: ReadContext) -> None:
        self.importer = importer
        self.header = header
        self.source = source
        self.ctx = ctx
        self.needed = max((header.index[r] for r in importer.required), default=0) + 1
        #: the footer lines seen so far; data after them empties it again (with a warning)
        self.footer: list[RawRow] = []

    def take(self, row: RawRow) -> None:
        ctx, footer, importer = self.ctx, self.footer, self.importer
        if footer and not (len(row.cells) >= self.needed and importer.looks_like_data(row, self.header)):
            footer.append(row)  # totals and notes after the data
            ctx.name_lines(row.line, row.last_line, "footer")
            return
        if row.is_blank():
            ctx.name_lines(row.line, row.last_line, "blank")
            return
        if importer.is_footer(row):
            footer.append(row)
            ctx.name_lines(row.line, row.last_line, "footer")
            return
        if footer:  # a footer-like line in the middle of the data: say so, read on
            ctx.warnings.append(f"{ctx.file}: line {footer[-1].line} looks like the end of the data, "
                                f"but data rows follow from line {row.line}; they were read")
            footer.clear()
        ctx.rows_read += 1
        if row.last_line > row.line:
            ctx.name_lines(row.line + 1, row.last_line, "continuation")
        if row.cells and row.cells[0].startswith("\ufffd"):
            ctx.error(row, "line cannot be parsed as CSV")
            return
        if len(row.cells) < self.needed:
            ctx.error(row, f"row is cut short: {len(row.cells)} of {self.header.width} columns")
            return
        # a record over several lines: a memo with a line break, or a quote that was lost (then
        # a stray quote sits in a cell after the break)
        if row.last_line > row.line and (
                not importer.multiline_cells or any("\n" in c and '"' in c for c in row.cells)):
            ctx.warnings.append(
                f"{ctx.file}: lines {row.line}–{row.last_line} were read as one record because a "
                f"quoted value spans them; if that is wrong, a quote is missing on line {row.line}")
        if "\ufffd" in row.raw:
            ctx.error(row, f"contains bytes that are not valid {self.source.encoding}; "
                           "the file mixes encodings")
            return
        self.parse(row)

    def parse(self, row: RawRow) -> None:
        """The format's reading of one data row; a bad row becomes a row error."""
        data = Row(row, self.header.index, self.importer)
        try:
            self.importer.parse_row(data, self.ctx)
        except ROW_PROBLEMS as exc:
            self.ctx.error(row, str(exc) if not isinstance(exc, KeyError) else f"missing value {exc}")
        else:
            if data.damaged:
                self.ctx.damaged_id(row.line, data.damaged[0])
