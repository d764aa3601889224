"""The importer contract and the table importer most formats are built on.

An importer is a small class (beangulp's shape): ``detect(source) -> confidence`` looks at the
content, ``read(source) -> ImportResult`` produces canonical entries and row errors. Rows that
cannot be read become :class:`RowError` with file, line and reason; nothing is dropped silently.

The context a format fills while it reads (and the result) live in :mod:`.context`; the
per-row reading of a table's body in :mod:`.body`. Their names are importable from here too.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from huikuan.domain.dates import DateOrder, parse_timestamp
from huikuan.domain.errors import InputError
from huikuan.domain.money import parse_amount
from huikuan.domain.roles import Role
from huikuan.importers.body import ROW_PROBLEMS, Body, Header, Row
from huikuan.importers.cells import IdError, clean_id, normalise_header
from huikuan.importers.columns import Column, fields
from huikuan.importers.context import Check, ImportResult, ReadContext
from huikuan.importers.reader import RawRow, SourceFile

if TYPE_CHECKING:
    import pyarrow as pa

    from huikuan.importers.vector import VectorEntries, VectorRows


class Importer:
    """Base of every format. Subclasses set the class attributes and implement detect/read."""

    id: ClassVar[str] = ""
    title: ClassVar[str] = ""
    #: the part the file plays (see :class:`~huikuan.domain.roles.Role`)
    role: ClassVar[Role] = Role.PLATFORM
    currency: ClassVar[str] = "CNY"
    tz: ClassVar[str] = "Asia/Shanghai"
    date_order: ClassVar[DateOrder] = "ymd"
    decimal_comma: ClassVar[bool] = False
    #: words whose presence near the top suggests this format (for "closest formats" hints)
    hint_words: ClassVar[tuple[str, ...]] = ()
    #: True where every line of a file read is an entry, a row error or named in ``layout``
    #: (tables, MT940, BAI2, QIF); the XML formats (camt, OFX) do not name their lines yet
    names_every_line: ClassVar[bool] = False

    def detect(self, source: SourceFile) -> float:
        """Confidence 0..1 that ``source`` is in this format, from its content only."""
        raise NotImplementedError

    def read(self, source: SourceFile) -> ImportResult:
        """Read the whole file. Formats do not override this: they read in :meth:`read_into`
        (tables: in :meth:`TableImporter.parse_row` and its hooks) and end in :meth:`finish`."""
        ctx = ReadContext(self, source)
        self.read_into(source, ctx)
        return ctx.result(self.finish(ctx, ctx.builder.table()))

    def finish(self, ctx: ReadContext, entries: pa.Table) -> pa.Table:
        """The one hook after the last row: add file-level warnings and checks from what was kept
        in :meth:`ReadContext.state`, and return the entries — changed only where a row's meaning
        depends on other rows (Alipay's 交易分账 fees take the order of their payment)."""
        return entries

    def read_into(self, source: SourceFile, ctx: ReadContext) -> None:
        raise NotImplementedError

    # shared parsing helpers: every importer parses money, dates and ids the same way
    def money(self, text: str, currency: str | None = None) -> int:
        return parse_amount(text, currency or self.currency, decimal_comma=self.decimal_comma)

    def when(self, text: str) -> datetime:
        return parse_timestamp(text, self.tz, order=self.date_order)

    def when_or_none(self, text: str) -> datetime | None:
        return self.when(text) if text.strip() else None


class TableImporter(Importer):
    """A CSV/Excel export with optional preamble lines, one header row, data rows and an
    optional footer. Subclasses declare their columns (typed, with the header texts each goes
    by: see :mod:`.columns`) and implement :meth:`parse_row`."""

    #: field name -> its kind and accepted header texts (compared after :func:`normalise_header`)
    columns: ClassVar[Mapping[str, Column]] = fields()
    #: fields that must all be present for the file to be this format
    required: ClassVar[tuple[str, ...]] = ()
    delimiter: ClassVar[str | None] = None
    #: a text that must appear in the first lines (e.g. a title in the preamble)
    marker: ClassVar[str | None] = None
    #: headers that must NOT be present (to tell apart near-identical layouts)
    excluded: ClassVar[tuple[str, ...]] = ()
    #: True where a quoted cell spanning lines is part of the format (no warning then)
    multiline_cells: ClassVar[bool] = False
    names_every_line = True

    @classmethod
    def all_header_words(cls) -> tuple[str, ...]:
        return tuple(normalise_header(a) for aliases in cls.columns.values() for a in aliases)

    def find_header(self, rows: Sequence[RawRow]) -> Header | None:
        """The first row holding every required column. A field takes the column of its first
        alias that is present (alias order is preference order)."""
        aliases = {name: [normalise_header(a) for a in names] for name, names in self.columns.items()}
        excluded = {normalise_header(e) for e in self.excluded}
        for position, row in enumerate(rows):
            names = [normalise_header(c) for c in row.cells]
            if excluded.intersection(names):
                continue
            where: dict[str, int] = {}
            for i, cell in enumerate(names):
                where.setdefault(cell, i)
            index: dict[str, int] = {}
            for name, options in aliases.items():
                hit = next((where[a] for a in options if a in where), None)
                if hit is not None:
                    index[name] = hit
            if all(r in index for r in self.required):
                return Header(position, index, len(row.cells))
        return None

    def detect(self, source: SourceFile) -> float:
        rows = source.head_rows()
        header = self.find_header(rows)
        if header is None:
            return 0.0
        if self.marker and self.marker not in "".join("".join(r.cells) for r in rows[: header.position + 1]):
            return 0.0
        # more recognised columns = more certainty; a marker line is strong evidence
        share = len(header.index) / max(1, len(self.columns))
        return min(1.0, 0.5 + 0.4 * share + (0.1 if self.marker else 0.0))

    def is_footer(self, row: RawRow) -> bool:
        """True for the first line after the data (totals, export notes)."""
        first = row.cells[0] if row.cells else ""
        return first.startswith("#") or first.startswith("----")

    #: first-cell prefixes that may start a footer: a superset of what :meth:`is_footer` accepts.
    #: Declaring them (with :meth:`vector_parse`) gives the format the vectorised reader.
    footer_prefixes: ClassVar[tuple[str, ...]] = ("#", "----")

    def read_into(self, source: SourceFile, ctx: ReadContext) -> None:
        """Preamble, header, data rows and footer. Text exports of a format that implements
        :meth:`vector_parse` are read column-wise (see :mod:`.vector`); this per-row loop stays
        the reference that path is tested against, and takes every row it cannot vouch for."""
        from huikuan.importers.vector import read_vectorised

        if read_vectorised(self, source, ctx):
            return
        self.read_rows(source, ctx)

    def read_rows(self, source: SourceFile, ctx: ReadContext) -> None:
        """The per-row reading of a whole table (the reference)."""
        rows: Iterator[RawRow] = iter(source.rows(self.delimiter))
        preamble = self.find_preamble(rows, source)
        body = self.start_body(preamble, source, ctx)
        for row in rows:
            body.take(row)
        self.read_footer(body.footer, ctx)

    def find_preamble(self, rows: Iterable[RawRow], source: SourceFile) -> list[RawRow]:
        """The rows up to and including the header row (at most 201 rows are searched)."""
        preamble: list[RawRow] = []
        for row in rows:
            preamble.append(row)
            if self.find_header([row]) is not None:
                return preamble
            if len(preamble) > 200:
                break
        raise InputError(source.name, f"no header row with the columns of {self.title}")

    def start_body(self, preamble: list[RawRow], source: SourceFile, ctx: ReadContext) -> Body:
        """Name the preamble and header lines, read the preamble, and return the reader of the
        rows that follow."""
        header = self.find_header(preamble[-1:])
        assert header is not None  # find_preamble ends on the header row
        ctx.header_cells = preamble[-1].cells
        ctx.header = header
        for row in preamble[:-1]:
            ctx.name_lines(row.line, row.last_line, "preamble")
        ctx.name_lines(preamble[-1].line, preamble[-1].last_line, "header")
        self.read_preamble(preamble[:-1], ctx)
        return Body(self, header, source, ctx)

    def looks_like_data(self, row: RawRow, header: Header) -> bool:
        """After a footer line: is this row data after all? By default a row as wide as the
        header whose required cells are all filled; formats with wide summary rows narrow it."""
        return len(row.cells) >= header.width and all(
            row.cells[header.index[r]] for r in self.required if header.index[r] < len(row.cells))

    def read_preamble(self, rows: list[RawRow], ctx: ReadContext) -> None:
        """Pick account, period and the like out of the lines above the header (the header
        itself is ``ctx.header`` and ``ctx.header_cells``): the hook before the first row."""

    def read_footer(self, rows: list[RawRow], ctx: ReadContext) -> None:
        """Check footer totals against the rows read, where the format has them."""

    def parse_row(self, row: Row, ctx: ReadContext) -> None:
        raise NotImplementedError

    def vector_parse(self, rows: VectorRows) -> VectorEntries | None:
        """:meth:`parse_row` for many rows at once, in Arrow compute; ``None`` where the format
        has no such reading. Rows it does not mark ``ok`` are read by :meth:`parse_row`."""
        return None


def first_nonempty(*values: str) -> str:
    return next((v for v in values if v), "")


__all__ = [
    "ROW_PROBLEMS", "Body", "Check", "Header", "IdError", "ImportResult", "Importer", "ReadContext", "Row",
    "TableImporter", "clean_id", "first_nonempty",
]
