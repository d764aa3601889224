"""What an importer fills while it reads one file, and what it hands back.

:class:`ReadContext` collects entries, row errors, checks, warnings and the layout of lines;
:class:`ImportResult` is the finished reading of one file. Kept apart from the importer classes
so that a format module and the column-wise reader (:mod:`.vector`) share one context.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

import pyarrow as pa

from huikuan.domain.errors import RowError
from huikuan.domain.money import format_minor
from huikuan.domain.roles import Role
from huikuan.importers.body import Header, Row
from huikuan.importers.builder import EntryBuilder, check_entry
from huikuan.importers.progress import RowCounter
from huikuan.importers.reader import RawRow, SourceFile

if TYPE_CHECKING:
    from huikuan.importers.base import Importer


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
        self._rows = RowCounter()  # rows_read, heard by a progress display (see .progress)
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

    @property
    def rows_read(self) -> int:
        return self._rows.count

    @rows_read.setter
    def rows_read(self, count: int) -> None:
        self._rows.set(count)

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
