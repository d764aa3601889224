"""A streaming .xlsx writer for Arrow tables: every export a clerk opens in Excel goes through here.

Why not a general spreadsheet library: they build each cell's XML in Python, about 7 µs a cell,
so a million-row result takes minutes. A worksheet is plain XML and a workbook a zip of a few
such parts, so this module builds the XML of a whole batch of rows with Arrow's string kernels
(one kernel call per column, not per cell) and streams it into the zip entry as it goes: memory
stays at one batch whatever the number of rows.

What a sheet gets: a bold, filled header row that stays frozen, an auto filter over the data,
column widths from a sample of the values (a CJK character counts double), text as inline
strings (an 18-digit id stays text, never 3.5E+18), amounts as numbers in their currency's
format, dates as dates. A table longer than Excel's 1,048,576 rows continues on "<name> 2".

Every text cell is guarded against formulas here, whoever the caller: data, footer, title rows,
headers and notes pass through ``domain.formula.escape_text`` (``=HYPERLINK(…)`` is written as
``'=HYPERLINK(…)``), then are made valid XML. Only ``text`` columns are; money, numbers and dates
are numbers. Sheet names are not cells and never run; Excel refuses a leading ``'`` in them.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO, Literal

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from huikuan.domain.formula import escape_text
from huikuan.domain.money import exponent, format_minor_array

Kind = Literal["text", "number", "money", "date", "datetime", "bool"]

MAX_ROWS = 1_048_575           # Excel's 1,048,576 rows less the header row
MAX_COLUMNS = 16_384           # column XFD
MAX_CELL_CHARS = 32_767        # Excel refuses a longer cell; CSV files keep the full text
MAX_SHEET_NAME = 31
_EXCEL_EPOCH_DAYS = 25_569     # 1899-12-30 (Excel's day 0) to 1970-01-01
_FIRST_SAFE_SERIAL = 61        # 1900-03-01: before it Excel's serials carry the 1900 leap-day bug
_DAY_US = 86_400_000_000
_CELLS_PER_BATCH = 400_000     # one batch's XML is a few tens of MB
_MAX_ENTRY_BYTES = 1_900_000_000  # below zip's 2 GiB entry limit without zip64, which Excel dislikes
_WIDTH_SAMPLE = 1_000

#: currency → symbol shown before the amount (a currency not here shows its code after it)
SYMBOLS = {"CNY": "¥", "JPY": "¥", "USD": "$", "EUR": "€", "GBP": "£", "HKD": "HK$"}

_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
#: characters XML 1.0 cannot carry at all; OOXML writes them as _xHHHH_
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_CONTROL = np.zeros(256, dtype=bool)    # a UTF-8 byte that is one of those control characters
_CONTROL[[*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20)]] = True
_ESCAPED_LOOKALIKE = re.compile(b"_x[0-9A-Fa-f]{4}_")
_SHEET_NAME_FORBIDDEN = re.compile("[\\[\\]:*?/\\\\\x00-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class Column:
    """How one column of a table becomes one column of a sheet.

    ``money`` columns hold integer minor units; the amount's currency is ``currency`` for every
    row or, per row, the text column ``currency_column``. ``date`` columns are date32 or integer
    days since 1970-01-01; ``datetime`` columns are timestamps (a zoned one shows its wall clock).
    """

    source: str
    header: str
    kind: Kind = "text"
    currency: str | None = None
    currency_column: str | None = None
    number_format: str | None = None
    width: float | None = None


def money_format(currency: str | None) -> str:
    """Excel number format for amounts in ``currency``: ``"¥"#,##0.00`` for CNY, the code after
    the number for currencies without a well-known symbol, as many decimals as the minor unit."""
    code = (currency or "").upper()
    digits = exponent(code) if code else 2
    number = "#,##0" + ("." + "0" * digits if digits else "")
    if code in SYMBOLS:
        positive = f'"{SYMBOLS[code]}"{number}'
    elif code:
        positive = f'{number} "{code}"'
    else:
        positive = number
    return f"{positive};[Red]-{positive}"


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA … 16383 → XFD."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def display_width(text: str) -> int:
    """Columns a text takes on screen: CJK and other wide characters count double."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def safe_sheet_name(name: str, taken: Iterable[str] = (), suffix: str = "") -> str:
    """A name Excel accepts: no ``[]:*?/\\`` nor control characters, no leading or trailing
    quote, at most 31 characters with ``suffix`` (" 2"), and not already ``taken`` (Excel
    compares names ignoring case)."""
    clean = _SHEET_NAME_FORBIDDEN.sub("_", name).strip("'") or "Sheet"
    used = {t.casefold() for t in taken}
    candidate = clean[: MAX_SHEET_NAME - len(suffix)] + suffix
    n = 1
    while candidate.casefold() in used or candidate.casefold() == "history":
        n += 1
        extra = f"{suffix} ({n})"
        candidate = clean[: MAX_SHEET_NAME - len(extra)] + extra
    return candidate


def _attr(text: str) -> str:
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))


def xml_text(values: pa.Array) -> pa.Array:
    """Text made safe for an XML element: ``& < >`` as entities, CR as ``&#13;`` (a parser
    would turn it into LF), characters XML forbids as OOXML's ``_xHHHH_``, and a literal
    ``_xHHHH_`` guarded so that Excel does not decode it.

    Whether a case occurs at all is asked of the column's whole UTF-8 buffer at once (a byte
    search, much faster than a kernel per value); the replacing kernels run only when it does."""
    data = bytes(_utf8(values))  # a copy, but bytes search like memchr; a memoryview does not
    if b"_x" in data and _ESCAPED_LOOKALIKE.search(data):
        values = pc.replace_substring_regex(values, "_(x[0-9A-Fa-f]{4}_)", r"_x005F_\1")
    for char, entity in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ("\r", "&#13;")):
        if char.encode() in data:
            values = pc.replace_substring(values, char, entity)
    if _CONTROL[np.frombuffer(data, dtype=np.uint8)].any() or b"\xef\xbf\xbe" in data \
            or b"\xef\xbf\xbf" in data:
        hit = values.filter(pc.match_substring_regex(values, _FORBIDDEN.pattern))
        present = set(_FORBIDDEN.findall("".join(v for v in hit.to_pylist() if v is not None)))
        for char in sorted(present):
            values = pc.replace_substring(values, char, f"_x{ord(char):04X}_")
    return values


def _utf8(values: pa.Array) -> memoryview:
    """The bytes of a string array's values, one after the other (what a slice spans, nulls empty)."""
    offsets = _offsets(values)
    data = values.buffers()[2]
    if data is None or not len(values):
        return memoryview(b"")
    return memoryview(data.slice(int(offsets[0]), int(offsets[-1] - offsets[0])))


def _offsets(values: pa.Array) -> np.ndarray:
    kind = np.int64 if pa.types.is_large_string(values.type) else np.int32
    return np.frombuffer(values.buffers()[1], dtype=kind)[values.offset: values.offset + len(values) + 1]


def _edge_space(values: pa.Array) -> np.ndarray:
    """Which values start or end with XML white space (space, tab, LF, CR), which a reader would
    trim unless told to preserve it."""
    offsets = _offsets(values)
    starts, ends = offsets[:-1], offsets[1:]
    data = values.buffers()[2]
    if data is None or not len(values):
        return np.zeros(len(values), dtype=bool)
    raw = np.frombuffer(data, dtype=np.uint8)
    filled = ends > starts
    first = raw[np.where(filled, starts, 0)] if raw.size else np.zeros(len(values), np.uint8)
    last = raw[np.where(filled, ends - 1, 0)] if raw.size else np.zeros(len(values), np.uint8)
    space = np.zeros(256, dtype=bool)
    space[[0x20, 0x09, 0x0A, 0x0D]] = True
    return filled & (space[first] | space[last])


class _Styles:
    """The cell formats of a workbook, numbered as they are first asked for; styles.xml is
    written last, once every sheet has said what it uses."""

    HEADER = 1
    TEXT = 2
    BOLD_TEXT = 3   # a totals row's words
    TITLE = 4       # a report's title above the table
    _FIXED = 5

    def __init__(self) -> None:
        self._formats: dict[str, int] = {}   # custom number format → numFmtId
        self._xfs: list[tuple[int, bool]] = []   # extra cellXfs: (numFmtId, bold)

    def number(self, code: str, bold: bool = False) -> int:
        """The cell style index of number format ``code`` (in bold for a totals row)."""
        if code not in self._formats:
            self._formats[code] = 164 + len(self._formats)
        key = (self._formats[code], bold)
        if key not in self._xfs:
            self._xfs.append(key)
        return self._FIXED + self._xfs.index(key)

    def xml(self) -> str:
        formats = "".join(f'<numFmt numFmtId="{i}" formatCode="{_attr(code)}"/>'
                          for code, i in self._formats.items())
        font = '<sz val="11"/><name val="Calibri"/><family val="2"/>'
        thin = '<color auto="1"/>'
        xfs = ['<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>',
               '<xf numFmtId="49" fontId="1" fillId="2" borderId="1" xfId="0" applyNumberFormat="1" '
               'applyFont="1" applyFill="1" applyBorder="1"/>',
               '<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>',
               '<xf numFmtId="49" fontId="1" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" '
               'applyFont="1"/>',
               '<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1"/>']
        xfs += [f'<xf numFmtId="{i}" fontId="{int(bold)}" fillId="0" borderId="0" xfId="0" '
                'applyNumberFormat="1"' + (' applyFont="1"/>' if bold else "/>") for i, bold in self._xfs]
        return (
            f'{_XML_DECL}<styleSheet xmlns="{_NS}">'
            + (f'<numFmts count="{len(self._formats)}">{formats}</numFmts>' if formats else "") +
            f'<fonts count="3"><font>{font}</font><font><b/>{font}</font>'
            '<font><b/><sz val="14"/><name val="Calibri"/><family val="2"/></font></fonts>'
            '<fills count="3"><fill><patternFill patternType="none"/></fill>'
            '<fill><patternFill patternType="gray125"/></fill>'
            '<fill><patternFill patternType="solid"><fgColor rgb="FFDDEBF7"/><bgColor indexed="64"/>'
            '</patternFill></fill></fills>'
            '<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>'
            f'<border><left style="thin">{thin}</left><right style="thin">{thin}</right>'
            f'<top style="thin">{thin}</top><bottom style="thin">{thin}</bottom><diagonal/></border>'
            '</borders>'
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
            f'<cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs>'
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
            '</styleSheet>')


def infer_columns(schema: pa.Schema) -> list[Column]:
    """A column per field, its kind from its type, its header its name."""
    columns = []
    for field in schema:
        t = field.type
        kind: Kind
        if pa.types.is_boolean(t):
            kind = "bool"
        elif pa.types.is_integer(t) or pa.types.is_floating(t) or pa.types.is_decimal(t):
            kind = "number"
        elif pa.types.is_date(t):
            kind = "date"
        elif pa.types.is_timestamp(t):
            kind = "datetime"
        else:
            kind = "text"
        columns.append(Column(field.name, field.name, kind))
    return columns


class XlsxBook:
    """An .xlsx file being written; use as a context manager, add sheets, and it is complete on exit.

    ``compresslevel`` 1 deflates the XML about five times smaller at a few hundred MB/s; a higher
    level buys a few percent of size for much more time.
    """

    def __init__(self, path: Path | str, *, compresslevel: int = 1) -> None:
        self.path = Path(path)
        self._zip = zipfile.ZipFile(self.path, "w", compression=zipfile.ZIP_DEFLATED,
                                    compresslevel=compresslevel)
        self._styles = _Styles()
        self._sheets: list[tuple[str, str | None]] = []   # (name, auto filter range)
        self._closed = False

    def __enter__(self) -> XlsxBook:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if kind is None:
            self.close()
        else:  # a half-written workbook would only mislead: it goes
            self._zip.close()
            self.path.unlink(missing_ok=True)

    @property
    def sheet_names(self) -> list[str]:
        return [name for name, _ in self._sheets]

    def add_sheet(self, name: str, data: pa.Table | pa.RecordBatchReader | Iterable[pa.RecordBatch],
                  columns: Sequence[Column] | None = None, *, max_rows: int = MAX_ROWS,
                  title_rows: Sequence[str] = (), footer: pa.Table | None = None,
                  notes: Sequence[str] = ()) -> list[str]:
        """Write ``data`` as sheet ``name`` (and "<name> 2"… past ``max_rows`` rows); returns the
        names of the sheets written. ``columns`` defaults to every column, its kind by type.

        A report's frame: ``title_rows`` above the header (the first in large bold, each merged
        across the table's width, a blank row before the header, which stays frozen);
        ``footer`` rows in bold after the data (totals, same columns) and ``notes`` below them,
        on the last sheet."""
        if max_rows < 1:
            raise ValueError(f"sheet {name!r}: max_rows must be at least 1, not {max_rows}")
        batches, schema = _batches(data)
        cols = list(columns) if columns is not None else infer_columns(schema)
        if len(cols) > MAX_COLUMNS:
            raise ValueError(f"sheet {name!r}: {len(cols)} columns, Excel shows at most {MAX_COLUMNS}")
        rows_per_batch = max(1, min(65_536, _CELLS_PER_BATCH // max(1, len(cols))))
        pending = _rebatched(batches, rows_per_batch)
        first = next(pending, None)
        written: list[str] = []
        while True:
            sheet = _SheetWriter(self, safe_sheet_name(name, self.sheet_names,
                                                       f" {len(written) + 1}" if written else ""),
                                 cols, first, max_rows, title_rows=title_rows)
            written.append(sheet.name)
            leftover = sheet.write(first, pending, footer, notes)
            if leftover is None:
                return written
            first = leftover

    def close(self) -> None:
        """Write the workbook's own parts (sheet list, styles, relationships) and close the zip."""
        if self._closed:
            return
        if not self._sheets:
            self.add_sheet("Sheet1", pa.table({}))
        self._closed = True
        z = self._zip
        n = len(self._sheets)
        sheets = "".join(f'<sheet name="{_attr(name)}" sheetId="{i}" r:id="rId{i}"/>'
                         for i, (name, _) in enumerate(self._sheets, start=1))
        filters = "".join(
            f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'
            f"{_attr(_quoted(name))}!{_absolute(ref)}</definedName>"
            for i, (name, ref) in enumerate(self._sheets) if ref)
        z.writestr("xl/workbook.xml",
                   f'{_XML_DECL}<workbook xmlns="{_NS}" xmlns:r="{_REL_NS}">'
                   '<bookViews><workbookView/></bookViews>'
                   f"<sheets>{sheets}</sheets>"
                   + (f"<definedNames>{filters}</definedNames>" if filters else "")
                   + "</workbook>")
        z.writestr("xl/styles.xml", self._styles.xml())
        rels = "".join(f'<Relationship Id="rId{i}" Type="{_REL_NS}/worksheet" '
                       f'Target="worksheets/sheet{i}.xml"/>' for i in range(1, n + 1))
        z.writestr("xl/_rels/workbook.xml.rels",
                   f'{_XML_DECL}<Relationships xmlns="{_PKG_REL_NS}">{rels}'
                   f'<Relationship Id="rId{n + 1}" Type="{_REL_NS}/styles" Target="styles.xml"/>'
                   "</Relationships>")
        z.writestr("_rels/.rels",
                   f'{_XML_DECL}<Relationships xmlns="{_PKG_REL_NS}">'
                   f'<Relationship Id="rId1" Type="{_REL_NS}/officeDocument" Target="xl/workbook.xml"/>'
                   "</Relationships>")
        main = "application/vnd.openxmlformats-officedocument.spreadsheetml"
        overrides = "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
                            f'ContentType="{main}.worksheet+xml"/>' for i in range(1, n + 1))
        z.writestr("[Content_Types].xml",
                   f'{_XML_DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package'
                   '.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
                   f'<Override PartName="/xl/workbook.xml" ContentType="{main}.sheet.main+xml"/>'
                   f'<Override PartName="/xl/styles.xml" ContentType="{main}.styles+xml"/>'
                   f"{overrides}</Types>")
        z.close()


def write_xlsx(path: Path | str,
               sheets: Iterable[tuple[str, pa.Table, Sequence[Column] | None]]) -> list[str]:
    """Write each (name, table, columns) as a sheet of a new workbook at ``path``; the sheet names."""
    with XlsxBook(path) as book:
        for name, table, columns in sheets:
            book.add_sheet(name, table, columns)
        return book.sheet_names


def _quoted(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


def _absolute(ref: str) -> str:
    start, end = ref.split(":")
    return ":".join("$" + re.sub(r"(\d+)", r"$\1", part) for part in (start, end))


def _batches(data: pa.Table | pa.RecordBatchReader | Iterable[pa.RecordBatch]
             ) -> tuple[Iterator[pa.RecordBatch], pa.Schema]:
    if isinstance(data, pa.Table):
        return iter(data.to_batches()), data.schema
    if isinstance(data, pa.RecordBatchReader):
        return iter(data), data.schema
    batches = iter(data)
    first = next(batches, None)
    if first is None:
        return iter(()), pa.schema([])

    def chained() -> Iterator[pa.RecordBatch]:
        yield first
        yield from batches
    return chained(), first.schema


def _rebatched(batches: Iterator[pa.RecordBatch], rows: int) -> Iterator[pa.RecordBatch]:
    """Batches of at most ``rows`` rows (a table's own chunks may be any size)."""
    for batch in batches:
        for start in range(0, batch.num_rows, rows):
            yield batch.slice(start, rows)


class _SheetWriter:
    """One worksheet part: the header, then batches of rows, streamed into the zip entry."""

    def __init__(self, book: XlsxBook, name: str, columns: list[Column], sample: pa.RecordBatch | None,
                 max_rows: int, *, title_rows: Sequence[str] = ()) -> None:
        self.book, self.name, self.columns = book, name, columns
        self.titles = list(title_rows)
        #: the header's row number (1-based): below the titles and a blank row
        self.header_row = len(self.titles) + 2 if self.titles else 1
        self.max_rows = max(1, max_rows - self.header_row + 1)
        self.letters = [column_letter(i) for i in range(len(columns))]
        self.styles = book._styles
        self.widths = [c.width if c.width is not None else _width(c, sample) for c in columns]

    def write(self, first: pa.RecordBatch | None, rest: Iterator[pa.RecordBatch],
              footer: pa.Table | None = None, notes: Sequence[str] = ()) -> pa.RecordBatch | None:
        """Rows until the data or the sheet ends; the batch that goes on the next sheet, if any."""
        number = len(self.book._sheets) + 1
        rows = 0
        leftover: pa.RecordBatch | None = None
        with self.book._zip.open(f"xl/worksheets/sheet{number}.xml", "w") as out:
            size = self._start(out)
            batch = first
            while batch is not None:
                room = self.max_rows - rows
                if batch.num_rows > room:
                    batch, leftover = batch.slice(0, room), batch.slice(room)
                xml = self._rows(batch, rows + self.header_row + 1) if batch.num_rows else memoryview(b"")
                if size + xml.nbytes > _MAX_ENTRY_BYTES and rows:
                    leftover = _joined(batch, leftover)
                    break
                out.write(xml)
                size += xml.nbytes
                rows += batch.num_rows
                if leftover is not None:
                    break
                batch = next(rest, None)
            h = self.header_row
            ref = f"A{h}:{self.letters[-1]}{rows + h}" if self.columns else None
            if leftover is None:
                out.write(self._after(footer, notes, rows + h + 1))
            merged = "".join(f'<mergeCell ref="A{i}:{self.letters[-1]}{i}"/>'
                             for i in range(1, len(self.titles) + 1)) if len(self.columns) > 1 else ""
            out.write(("</sheetData>" + (f'<autoFilter ref="{ref}"/>' if ref else "")
                       + (f'<mergeCells count="{len(self.titles)}">{merged}</mergeCells>' if merged else "")
                       + '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" '
                       'footer="0.3"/></worksheet>').encode())
        self.book._sheets.append((self.name, ref))
        if leftover is not None and leftover.num_rows == 0:
            leftover = next(rest, None)
        return leftover

    def _after(self, footer: pa.Table | None, notes: Sequence[str], row: int) -> bytes:
        """Totals rows in bold, then a blank row and the notes, from sheet row ``row``."""
        parts: list[bytes] = []
        if footer is not None and footer.num_rows:
            parts.append(bytes(self._rows(footer.combine_chunks().to_batches()[0], row, bold=True)))
            row += footer.num_rows
        texts = _loose_texts(list(notes))
        for i, text in enumerate(texts):
            parts.append(f'<row r="{row + 1 + i}"><c r="A{row + 1 + i}" t="inlineStr"><is>'
                         f'<t xml:space="preserve">{text}</t></is></c></row>'.encode())
        return b"".join(parts)

    def _start(self, out: IO[bytes]) -> int:
        selected = ' tabSelected="1"' if not self.book._sheets else ""
        top = f"A{self.header_row + 1}"
        frozen = (f'<pane ySplit="{self.header_row}" topLeftCell="{top}" activePane="bottomLeft" '
                  f'state="frozen"/><selection pane="bottomLeft" activeCell="{top}" sqref="{top}"/>')
        view = (f'<sheetView workbookViewId="0"{selected}>{frozen}</sheetView>' if self.columns
                else f'<sheetView workbookViewId="0"{selected}/>')
        cols = "".join(f'<col min="{i}" max="{i}" width="{w:.2f}" customWidth="1"/>'
                       for i, w in enumerate(self.widths, start=1))
        titles = _loose_texts([c.header for c in self.columns])
        h = self.header_row
        header = "".join(f'<c r="{letter}{h}" s="{_Styles.HEADER}" t="inlineStr"><is><t xml:space="preserve">'
                         f"{title}</t></is></c>" for letter, title in zip(self.letters, titles, strict=True))
        above = _loose_texts(self.titles)
        title_style = f' s="{_Styles.TITLE}"'
        frame = "".join(f'<row r="{i}"><c r="A{i}"{title_style if i == 1 else ""} t="inlineStr"><is>'
                        f'<t xml:space="preserve">{text}</t></is></c></row>'
                        for i, text in enumerate(above, 1))
        text = (f'{_XML_DECL}<worksheet xmlns="{_NS}" xmlns:r="{_REL_NS}">'
                f"<sheetViews>{view}</sheetViews>"
                '<sheetFormatPr defaultRowHeight="15"/>'
                + (f"<cols>{cols}</cols>" if cols else "")
                + "<sheetData>"
                + frame + (f'<row r="{h}">{header}</row>' if header else "")).encode()
        out.write(text)
        return len(text)

    def _rows(self, batch: pa.RecordBatch, first_row: int, bold: bool = False) -> memoryview:
        """The XML of ``batch``'s rows, numbered from ``first_row`` (a totals row in ``bold``)."""
        numbers = pc.cast(pa.array(np.arange(first_row, first_row + batch.num_rows, dtype=np.int64)),
                          pa.string())
        parts: list[pa.Array | str] = ['<row r="', numbers, '">']
        for letter, column in zip(self.letters, self.columns, strict=True):
            # an empty value is an empty cell element: one join for the whole row, not one per cell
            cells = _cells(self.styles, column, batch, bold)
            parts += [f'<c r="{letter}', numbers, pc.fill_null(cells, '"/>')]
        parts.append("</row>")
        return _utf8(pc.binary_join_element_wise(*parts, ""))


def _joined(head: pa.RecordBatch, tail: pa.RecordBatch | None) -> pa.RecordBatch:
    if tail is None or tail.num_rows == 0:
        return head
    return pa.Table.from_batches([head, tail]).combine_chunks().to_batches()[0]


def _column(batch: pa.RecordBatch, name: str) -> pa.Array:
    index = batch.schema.get_field_index(name)
    if index < 0:
        raise KeyError(f"no column {name!r} in the table (columns: {', '.join(batch.schema.names)})")
    return batch.column(index)


def _cells(styles: _Styles, column: Column, batch: pa.RecordBatch, bold: bool = False) -> pa.Array:
    """Each row's cell of ``column`` from after its row number to ``</c>``; null where the cell is empty."""
    values = _column(batch, column.source)
    if column.kind == "money":
        return _money_cells(styles, column, batch, values, bold)
    if column.kind == "date":
        return _date_cells(styles, column, values, bold)
    if column.kind == "datetime":
        return _datetime_cells(styles, column, values)
    if column.kind == "number":
        return _number_cells(styles, column, values, bold)
    if column.kind == "bool":
        flags = pc.if_else(pc.cast(values, pa.bool_()), "1", "0")
        return pc.binary_join_element_wise('" t="b"><v>', flags, "</v></c>", "")
    return _text_cells(values, _Styles.BOLD_TEXT if bold else _Styles.TEXT)


def _loose_texts(texts: list[str]) -> list[str]:
    """Titles, headers and notes as cell text: formula-guarded, XML-safe (a missing one empty)."""
    cells: list[str] = xml_text(escape_text(pa.array([t or "" for t in texts], pa.string()))).to_pylist()
    return cells


def _text_cells(values: pa.Array, style: int = _Styles.TEXT) -> pa.Array:
    values = escape_text(values)  # also casts a column of another type to text
    values = pc.if_else(pc.equal(values, ""), pa.scalar(None, pa.string()), values)
    if len(values) and np.diff(_offsets(values)).max() > MAX_CELL_CHARS:  # bytes ≥ characters
        values = pc.utf8_slice_codeunits(values, 0, MAX_CELL_CHARS)
    spaced = _edge_space(values)
    open_tag = f'" s="{style}" t="inlineStr"><is><t>'
    if spaced.any():
        opening = pc.if_else(pa.array(spaced),
                             f'" s="{style}" t="inlineStr"><is><t xml:space="preserve">', open_tag)
        return pc.binary_join_element_wise(opening, xml_text(values), "</t></is></c>", "")
    return pc.binary_join_element_wise(open_tag, xml_text(values), "</t></is></c>", "")


def _number_cells(styles: _Styles, column: Column, values: pa.Array, bold: bool = False) -> pa.Array:
    if pa.types.is_floating(values.type):
        finite = pc.is_finite(values)
        values = pc.if_else(finite, values, pa.scalar(None, values.type))
    style = f' s="{styles.number(column.number_format, bold)}"' if column.number_format else ""
    return pc.binary_join_element_wise(f'"{style}><v>', pc.cast(values, pa.string()), "</v></c>", "")


def _money_cells(styles: _Styles, column: Column, batch: pa.RecordBatch, minor: pa.Array,
                 bold: bool = False) -> pa.Array:
    """Exact decimal text of the minor units (``-12.50``), never through a float, with the style of
    each row's currency."""
    if column.currency_column:
        currencies = pc.fill_null(pc.cast(_column(batch, column.currency_column), pa.string()), "")
    else:
        currencies = pa.array([column.currency or ""] * len(minor), pa.string())
    minor = pc.cast(minor, pa.int64())
    encoded = pc.dictionary_encode(currencies)
    codes = encoded.dictionary.to_pylist()
    style_of = pa.array([f'" s="{styles.number(money_format(c), bold)}"><v>' for c in codes], pa.string())
    decimals = format_minor_array(minor, currencies)
    return pc.binary_join_element_wise(pc.take(style_of, encoded.indices), decimals, "</v></c>", "")


def _date_cells(styles: _Styles, column: Column, values: pa.Array, bold: bool = False) -> pa.Array:
    days = pc.cast(pc.cast(values, pa.date32()), pa.int32()) if pa.types.is_date(values.type) \
        else pc.cast(values, pa.int64())
    serial = pc.add(pc.cast(days, pa.int64()), _EXCEL_EPOCH_DAYS)
    style = styles.number(column.number_format or "yyyy-mm-dd", bold)
    cells = pc.binary_join_element_wise(f'" s="{style}"><v>', pc.cast(serial, pa.string()), "</v></c>", "")
    early = pc.less(serial, _FIRST_SAFE_SERIAL)
    if pc.any(early).as_py():
        # Excel has no true serial for these days: the ISO date as text keeps them legible
        iso = pc.cast(pc.cast(pc.cast(days, pa.int32()), pa.date32()), pa.string())
        cells = pc.if_else(early, _text_cells(iso), cells)
    return cells


def _datetime_cells(styles: _Styles, column: Column, values: pa.Array) -> pa.Array:
    if not pa.types.is_timestamp(values.type):
        raise TypeError(f"column {column.source!r}: a datetime column must be a timestamp, not {values.type}")
    if values.type.tz is not None:
        values = pc.local_timestamp(values)
    micros = pc.cast(pc.cast(values, pa.timestamp("us")), pa.int64())
    # Excel's serial date-time is a fraction of days, not money
    days = pc.divide(pc.cast(micros, pa.float64()), float(_DAY_US))  # ok-float: a serial date
    serial = pc.add(days, float(_EXCEL_EPOCH_DAYS))  # ok-float: a serial date
    style = styles.number(column.number_format or "yyyy-mm-dd hh:mm:ss")
    cells = pc.binary_join_element_wise(f'" s="{style}"><v>', pc.cast(serial, pa.string()), "</v></c>", "")
    early = pc.less(serial, float(_FIRST_SAFE_SERIAL))  # ok-float: a serial date
    if pc.any(early).as_py():
        cells = pc.if_else(early, _text_cells(pc.cast(values, pa.string())), cells)
    return cells


def _width(column: Column, sample: pa.RecordBatch | None) -> float:
    """Characters wide enough for the header and the longest of the first values, within 8–60."""
    longest = display_width(column.header) + 2  # room for the filter button
    if column.kind == "date":
        longest = max(longest, 11)
    elif column.kind == "datetime":
        longest = max(longest, 19)
    elif sample is not None and sample.num_rows:
        values = _column(sample, column.source).slice(0, _WIDTH_SAMPLE)
        if column.kind == "money":
            # digits, a separator every three, the sign and a symbol of up to three characters
            digits = [len(str(abs(v))) for v in values.to_pylist() if v is not None]
            longest = max(longest, max(((d * 4) // 3 + 5 for d in digits), default=0))
        else:
            texts = pc.cast(values, pa.string()).to_pylist()
            longest = max(longest, max((display_width(t) for t in texts if t), default=0))
    return float(min(60, max(8, longest + 1)))  # ok-float: a column width in characters
