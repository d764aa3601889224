"""The importer contract and the table importer most formats are built on.

An importer is a small class (beangulp's shape): ``detect(source) -> confidence`` looks at the
content, ``read(source) -> ImportResult`` produces canonical entries and row errors. Rows that
cannot be read become :class:`RowError` with file, line and reason; nothing is dropped silently.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar, cast

import pyarrow as pa

from huikuan.domain.dates import DateOrder, parse_timestamp
from huikuan.domain.errors import HuikuanError, InputError, RowError
from huikuan.domain.money import format_minor, parse_amount
from huikuan.domain.roles import Role
from huikuan.importers.builder import EntryBuilder, check_entry
from huikuan.importers.cells import IdError, clean_id, normalise_header
from huikuan.importers.reader import RawRow, SourceFile

if TYPE_CHECKING:
    from huikuan.importers.vector import VectorEntries, VectorRows

#: Exceptions that mean "this row is bad", as opposed to a bug in huikuan.
ROW_PROBLEMS: tuple[type[Exception], ...] = (HuikuanError, IdError, ValueError, KeyError, IndexError)


@dataclass
class Check:
    """A consistency check of a whole file, e.g. footer totals against the rows read."""

    name: str
    expected: str
    actual: str

    @property
    def ok(self) -> bool:
        return self.expected == self.actual

    def __str__(self) -> str:
        verdict = "ok" if self.ok else "DISAGREES"
        return f"{self.name}: file says {self.expected}, rows give {self.actual} ({verdict})"


@dataclass
class ImportResult:
    """What one file gave: entries, rows that could not be read, and what we know of the file."""

    path: Path
    format_id: str
    title: str
    role: Role
    encoding: str | None
    entries: pa.Table
    errors: list[RowError] = field(default_factory=list)
    rows_read: int = 0
    meta: dict[str, str] = field(default_factory=dict)
    checks: list[Check] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: the name entries carry in ``file`` when it is not the path's (``archive.zip!member.csv``)
    display: str = ""
    #: lines that hold no record, by what they are: (first, last, "preamble" | "header" |
    #: "blank" | "footer" | "continuation" | …); with entries and row errors they account for
    #: every line of a table file (see ``Importer.names_every_line``)
    layout: list[tuple[int, int, str]] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.display or self.path.name


_State = TypeVar("_State")

#: balances that are not amounts named one by one in the warnings, before a count of the rest
_BALANCES_NAMED = 3


class ReadContext:
    """Per-file state handed to an importer while it reads."""

    def __init__(self, importer: Importer, source: SourceFile) -> None:
        self.importer = importer
        self.source = source
        self.file = source.name
        self.builder = EntryBuilder(importer.id, source.name)
        self.errors: list[RowError] = []
        self.meta: dict[str, str] = {}
        self.checks: list[Check] = []
        self.warnings: list[str] = []
        self.rows_read = 0
        #: the header row as written, for importers whose reading depends on a header's text
        self.header_cells: list[str] = []
        #: the header row found (set before :meth:`TableImporter.read_preamble` is called)
        self.header: Header | None = None
        self._state: dict[type, object] = {}
        #: lines whose id Excel had damaged (imported as ``file:line``), for one warning per file
        self.damaged_ids: list[tuple[int, str]] = []
        self.layout: list[tuple[int, int, str]] = []
        #: rows whose balance cell is not an amount (line, cell, why), for the warnings
        self.bad_balances: list[tuple[int, str, str]] = []

    def state(self, kind: type[_State]) -> _State:
        """This file's one instance of ``kind``, made on first use: what an importer counts while
        it reads (waybills seen, running totals) and reports in :meth:`Importer.finish`.

        Why this and not subclasses of ReadContext: a subclass had to be made by overriding
        ``read()``, and every hook (they take a plain ReadContext) had to check it with
        ``isinstance``; a dict of names lost the types. A small class of the importer's own, asked
        for by type, keeps both the base ``read()`` and the types.
        """
        found = self._state.get(kind)
        if found is None:
            found = self._state[kind] = kind()
        return cast("_State", found)

    def add(self, row: RawRow | Row, **entry: Any) -> None:
        """Add an entry read from ``row`` (line and raw text come from the row)."""
        raw = row.raw if isinstance(row, Row) else row
        entry.setdefault("currency", self.importer.currency)
        entry.setdefault("account", self.meta.get("account"))
        if "balance_minor" not in entry and isinstance(row, Row) and row.has("balance"):
            entry["balance_minor"] = self.balance(row, entry["currency"])
        self.builder.add(line=raw.line, raw=raw.raw, **entry)

    def balance(self, row: Row, currency: str) -> int | None:
        """The row's ``balance`` cell (the bill's running balance after the row) in minor units.
        Blank, or kept in another currency than the entry's (``balance_currency``), gives None;
        a cell that is not an amount gives None and one warning naming the line, so the row and
        its money are still imported — a balance only checks the amounts, it never replaces them."""
        text = row["balance"]
        if not text:
            return None
        if row.has("balance_currency") and row["balance_currency"].strip().upper() not in ("", currency):
            return None
        try:
            value = self.importer.money(text, currency)
            check_entry(value, currency)  # Arrow could not hold it: the whole file would fail
            return value
        except ValueError as exc:
            if not self.bad_balances or self.bad_balances[-1][0] != row.line:  # once a row
                self.bad_balances.append((row.line, text, str(exc)))
            return None

    def error(self, row: RawRow | Row, reason: str) -> None:
        raw = row.raw if isinstance(row, Row) else row
        self.errors.append(RowError(self.file, raw.line, reason, raw.raw))

    def check(self, name: str, expected: int, actual: int, currency: str = "CNY", *,
              count: bool = False) -> None:
        """Record a file-level check; a disagreement is also a warning the user will see."""
        fmt = str if count else (lambda v: format_minor(v, currency))
        item = Check(name, fmt(expected), fmt(actual))
        self.checks.append(item)
        if not item.ok:
            self.warnings.append(f"{self.file}: {item}")

    def name_lines(self, first: int, last: int, what: str) -> None:
        """Say that lines ``first``..``last`` hold no record but ``what`` (runs are merged, so a
        file of millions of rows keeps a handful of ranges)."""
        last = max(first, last)
        if self.layout and self.layout[-1][2] == what and self.layout[-1][1] + 1 >= first:
            start, end, _ = self.layout[-1]
            self.layout[-1] = (start, max(end, last), what)
        else:
            self.layout.append((first, last, what))

    def damaged_id(self, line: int, text: str) -> None:
        """Note a row imported under ``file:line`` because its id lost digits in Excel."""
        self.damaged_ids.append((line, text))

    def _damaged_id_warning(self) -> None:
        if not self.damaged_ids:
            return
        shown = ", ".join(f"line {line} ({text})" for line, text in self.damaged_ids[:5])
        more = f" and {len(self.damaged_ids) - 5} more" if len(self.damaged_ids) > 5 else ""
        self.warnings.append(
            f"{self.file}: {len(self.damaged_ids)} rows have an id Excel stored as a number and cut "
            f"to 15 significant digits: {shown}{more}; they were imported under file:line with their "
            "money, the damaged id kept in raw; export the file again as CSV to match them by id")

    def _bad_balance_warnings(self) -> None:
        """One warning per row for the first few balances that are not amounts, then one for the
        rest (a redacted export can have ``xx,yyyy.zz`` on every row)."""
        for line, text, why in self.bad_balances[:_BALANCES_NAMED]:
            self.warnings.append(f"{self.file}:{line}: balance {text!r} is not an amount ({why}); "
                                 "the row is imported without its balance")
        rest = self.bad_balances[_BALANCES_NAMED:]
        if rest:
            self.warnings.append(f"{self.file}: {len(rest)} more rows (lines {rest[0][0]}–{rest[-1][0]}) "
                                 "have a balance that is not an amount; they are imported without it")

    def result(self, entries: pa.Table | None = None) -> ImportResult:
        """What the file gave; ``entries`` replaces the entries added when given (see
        :meth:`Importer.finish`)."""
        self._damaged_id_warning()
        self._bad_balance_warnings()
        imp = self.importer
        return ImportResult(
            path=self.source.origin, format_id=imp.id, title=imp.title, role=imp.role,
            encoding=(self.source.encoding if self.source.kind != "excel"
                      else f"excel:{self.source.sheet}"),
            entries=self.builder.table() if entries is None else entries,
            errors=self.errors, rows_read=self.rows_read,
            meta=self.meta, checks=self.checks, warnings=self.warnings,
            display=self.source.name if self.source.name != self.source.origin.name else "",
            layout=self.layout,
        )


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


class Row:
    """A data row with access to cells by the importer's column names."""

    __slots__ = ("cells", "damaged", "index", "raw")

    def __init__(self, raw: RawRow, index: dict[str, int]) -> None:
        self.raw = raw
        self.cells = raw.cells
        self.index = index
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


class TableImporter(Importer):
    """A CSV/Excel export with optional preamble lines, one header row, data rows and an
    optional footer. Subclasses declare their columns by header name (aliases allowed) and
    implement :meth:`parse_row`."""

    #: field name -> accepted header texts (compared after :func:`normalise_header`)
    columns: ClassVar[dict[str, tuple[str, ...]]] = {}
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
        data = Row(row, self.header.index)
        try:
            self.importer.parse_row(data, self.ctx)
        except ROW_PROBLEMS as exc:
            self.ctx.error(row, str(exc) if not isinstance(exc, KeyError) else f"missing value {exc}")
        else:
            if data.damaged:
                self.ctx.damaged_id(row.line, data.damaged[0])


def first_nonempty(*values: str) -> str:
    return next((v for v in values if v), "")


__all__ = [
    "ROW_PROBLEMS", "Body", "Check", "Header", "IdError", "ImportResult", "Importer", "ReadContext", "Row",
    "TableImporter", "clean_id", "first_nonempty",
]
