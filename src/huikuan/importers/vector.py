"""The vectorised reader of table exports: the file decoded once in large blocks, split into
physical lines and cells by Arrow compute, and read by the format's
:meth:`~huikuan.importers.base.TableImporter.vector_parse` a block at a time.

Why: reading row by row in Python cost about 17 µs a row (a million-row Alipay export took
17 s); Arrow kernels do the same work on whole columns. What stays exact, and how:

- Physical line numbers: a block is cut at a line break and split on ``\\n``; a block holding
  a lone ``\\r``, a NUL or a quoted cell that runs over a line break is not split here, and the
  rest of the file is read by the per-row reference (:meth:`TableImporter.read_rows`' loop).
- Every row this path cannot vouch for — a line with a quoted cell, a footer candidate and
  everything after it, a row that may be blank, is cut short or holds undecodable bytes, and
  every row :meth:`vector_parse` does not mark ``ok`` — goes through the same per-row code
  (:class:`~huikuan.importers.base.Body`) in line order, so row errors, warnings and named lines
  are those of the reference. Their entries are merged with the column-wise ones by line.
- Record ids and dedupe keys are computed by :meth:`EntryBuilder.extend`, in file order, with
  the same digests as per-row entries.
"""

from __future__ import annotations

import codecs
import csv
import io
import queue
import re
import sys
import threading
from collections.abc import Callable, Generator, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from huikuan.domain.entry import ENTRY_SCHEMA
from huikuan.domain.errors import InputError
from huikuan.importers import vector_cells as vc
from huikuan.importers.builder import EntryBuilder, check_entry
from huikuan.importers.cells import clean_cell
from huikuan.importers.reader import RawRow, SourceFile, parse_csv
from huikuan.importers.vector_cells import PAD, clean, strings

if TYPE_CHECKING:
    from huikuan.importers.base import Body, ReadContext, TableImporter

#: bytes read (and so at most characters decoded) per block: a block's lines, cells and parsed
#: columns take about ten times its size while it is read, up to three blocks are in flight
#: (parsed, handed over, prepared: see _read_ahead), and past 4 MB larger blocks read no faster
BLOCK_CHARS = 4 << 20
#: entry fields a part may give (the rest of ENTRY_SCHEMA is filled in by the builder)
PART_FIELDS = ("kind", "amount_minor", "ts", "record_id", "order_ref", "counterparty", "batch_ref",
               "text", "status", "category", "currency", "account", "balance_minor")
_TYPES = {f.name: f.type for f in ENTRY_SCHEMA}


@dataclass
class VectorEntries:
    """What :meth:`vector_parse` made of a block of rows: ``ok`` marks the rows it read (the
    others go to ``parse_row``); each part gives one entry per ``ok`` row where its ``present``
    mask (default: all) is true, like one ``ctx.add`` call of ``parse_row``. A part maps entry
    fields to arrays or to one value for every row; ``id_suffix`` names the entry of a row that
    gives several (as ``ctx.add(id_suffix=…)`` does)."""

    ok: pa.Array
    parts: list[dict[str, Any]] = field(default_factory=list)


class VectorRows:
    """A block of data rows as columns: ``rows["income"]`` is the cleaned cell of every row
    (``""`` where the file lacks the column or the row is short), with line numbers and raw text."""

    def __init__(self, importer: TableImporter, index: dict[str, int],  # noqa: PLR0917
                 cell: Callable[[int], pa.Array], line: pa.Array, raw: pa.Array,
                 ctx: ReadContext) -> None:
        self.importer = importer
        self.index = index
        self._cell = cell
        self._cache: dict[str, pa.Array] = {}
        self.line = line
        self.raw = raw
        self.ctx = ctx
        self.meta = ctx.meta

    def __len__(self) -> int:
        return len(self.line)

    def __getitem__(self, name: str) -> pa.Array:
        if name not in self._cache:
            position = self.index.get(name)
            self._cache[name] = (self._cell(position) if position is not None
                                 else pa.repeat("", len(self.line)).cast(pa.string()))
        return self._cache[name]


_PER_ROW: ContextVar[bool] = ContextVar("per_row", default=False)


@contextmanager
def per_row() -> Iterator[None]:
    """Read with the per-row reference only, e.g. to compare both readings of a file."""
    token = _PER_ROW.set(True)
    try:
        yield
    finally:
        _PER_ROW.reset(token)


def applies(importer: TableImporter, source: SourceFile) -> bool:
    """The format reads column-wise (its own class defines both ``parse_row`` and
    ``vector_parse``, so a subclass changing one does not inherit the other) and the file is text."""
    if source.kind != "text" or source.encoding is None or _PER_ROW.get():
        return False
    for klass in type(importer).__mro__:
        own = vars(klass)
        if "parse_row" in own or "vector_parse" in own:
            return "parse_row" in own and "vector_parse" in own
    return False


def read_vectorised(importer: TableImporter, source: SourceFile, ctx: ReadContext) -> bool:
    """Read ``source`` into ``ctx`` column-wise; False (nothing read) where this path does not
    apply, and the caller reads the file row by row."""
    if not applies(importer, source):
        return False
    delimiter = importer.delimiter or source.sniff_delimiter()
    blocks = _blocks(source)
    first = next(blocks, "")
    try:
        preamble = importer.find_preamble(parse_csv(io.StringIO(first, newline=""), delimiter),
                                          source)
    except InputError:
        return False  # not found in the first block: the reference searches further or says so
    end = preamble[-1].last_line
    if end >= first.count("\n") and source.size > BLOCK_CHARS:
        return False  # a header record may run on into the next block: not worth a special case
    offset = sum(len(line) for line in _iter_lines(first, end))
    body = importer.start_body(preamble, source, ctx)
    columns = sorted({0, *body.header.index.values()})  # 0: the footer test reads it
    per_row = threading.Event()  # set once the rest of the file is read row by row
    prepared = _read_ahead(_prepare(_chunks(first[offset:], blocks), delimiter, columns,
                                    per_row))
    number = end + 1
    try:
        with _quick_switching():
            _read_prepared(body, prepared, delimiter, number, per_row)
    finally:
        vc.forget()
    importer.read_footer(body.footer, ctx)
    return True


def _read_prepared(body: Body, prepared: Generator[_Block, None, None], delimiter: str,
                   number: int, per_row: threading.Event) -> None:
    """Every block into ``body``, the first line being ``number``; from a block the lines
    cannot be cut from (see :func:`_split_lines`, :func:`_plain`) on, row by row."""
    try:
        for block in prepared:
            if block.lines is None or block.plain is None:  # lone CR, NUL or multi-line cell
                per_row.set()  # the later blocks are wanted as text only
                rest = _rest_lines(block.text, (later.text for later in prepared))
                for row in parse_csv(rest, delimiter, first_line=number):
                    body.take(row)
                break
            _read_block(body, _Span(block.lines, block.plain, number, delimiter,
                                    replaced=block.replaced, cells=block.cells))
            number += len(block.lines)
    finally:
        prepared.close()


_SWITCHING = threading.Lock()
_switch_users = 0
_switch_before = 0.0


@contextmanager
def _quick_switching() -> Iterator[None]:
    """The interpreter lock handed over within 1 ms instead of 5 while files are read: each of
    the hundreds of Arrow calls a block makes gives the lock up and must get it back from the
    other thread, and waiting out the default interval each time cost a fifth of the reading
    (a million Alipay rows: 6.2 s against 5.1 s on two cores). Restored by the last reader out."""
    global _switch_users, _switch_before  # noqa: PLW0603 - one setting for the whole process
    with _SWITCHING:
        if _switch_users == 0:
            _switch_before = sys.getswitchinterval()
            sys.setswitchinterval(min(_switch_before, 0.001))
        _switch_users += 1
    try:
        yield
    finally:
        with _SWITCHING:
            _switch_users -= 1
            if _switch_users == 0:
                sys.setswitchinterval(_switch_before)


def _prepare(chunks: Iterator[str], delimiter: str, columns: list[int],
             per_row: threading.Event) -> Iterator[_Block]:
    """Blocks decoded, split into lines and cells, and the ``columns`` cleaned: the work that
    needs nothing from the blocks before, done ahead by :func:`_read_ahead`. Once ``per_row``
    is set, only the text."""
    for text in chunks:
        if per_row.is_set():
            yield _Block(text, b"", 0, 0, nul=False, quote=False, replaced=False)
            continue
        block = _Block.of(text)
        block.lines = _split_lines(block)
        block.plain = None if block.lines is None else _plain(block, block.lines, delimiter)
        if block.lines is not None and block.plain is not None and len(block.lines):
            block.cells = _Cells(block.lines, delimiter)
            for position in columns:
                block.cells(position)
        yield block


T = TypeVar("T")


def _read_ahead(items: Iterator[T]) -> Generator[T, None, None]:
    """``items``, made by a second thread one step ahead of the caller. Decoding holds the
    interpreter lock and Arrow's kernels release it, so the next block is decoded and split
    while this one is parsed: on two cores a block costs the longer of the two, not their sum.
    An error in the thread is raised here, at the item it stopped at; closing the generator
    stops the thread (and closes the file) before it returns."""
    handoff: queue.Queue[tuple[bool, Any]] = queue.Queue(maxsize=1)
    stop = threading.Event()

    def put(item: tuple[bool, Any]) -> bool:
        while not stop.is_set():
            try:
                handoff.put(item, timeout=0.05)
                return True
            except queue.Full:
                continue
        return False

    def work() -> None:
        try:
            for item in items:
                if not put((True, item)):
                    return
            put((False, None))
        except BaseException as exc:
            put((False, exc))
        finally:
            close = getattr(items, "close", None)
            if close is not None:
                close()

    worker = threading.Thread(target=work, name="huikuan-read-ahead", daemon=True)
    worker.start()
    try:
        while True:
            more, item = handoff.get()
            if not more:
                if item is not None:
                    raise item
                return
            yield item
    finally:
        stop.set()
        worker.join()


# ---- decoding and lines ------------------------------------------------------------------------
def _blocks(source: SourceFile) -> Iterator[str]:
    """The decoded file in blocks that end with a line break (the last one may not). Bytes the
    codec cannot decode become U+FFFD, as in :meth:`SourceFile.open_text`."""
    assert source.encoding is not None
    decoder = codecs.getincrementaldecoder(source.encoding)(errors="replace")
    carry = ""
    with source.path.open("rb") as fh:
        while data := fh.read(BLOCK_CHARS):
            text = carry + "".join(decoder.decode(piece) for piece in _pieces(data))
            cut = text.rfind("\n") + 1
            if cut == 0:
                carry = text
                continue
            yield text[:cut]
            carry = text[cut:]
    text = carry + decoder.decode(b"", final=True)
    if text:
        yield text


def _chunks(first: str, blocks: Iterator[str]) -> Iterator[str]:
    if first:
        yield first
    yield from blocks


def _iter_lines(text: str, count: int) -> Iterator[str]:
    """The first ``count`` lines of ``text`` as the per-row reader numbers them (with breaks)."""
    for number, line in enumerate(io.StringIO(text, newline=""), start=1):
        if number > count:
            return
        yield line


def _rest_lines(text: str, chunks: Iterator[str]) -> Iterator[str]:
    """The lines of ``text`` and of every later block, for the per-row reader."""
    yield from io.StringIO(text, newline="")
    for more in chunks:
        yield from io.StringIO(more, newline="")


@dataclass
class _Block:
    """A decoded block as UTF-8 bytes (searching bytes for one byte is memchr; searching a str
    of CJK text is several times slower), with what the splitting needs to know about it."""

    text: str
    data: bytes
    line_feeds: int
    carriage_returns: int
    nul: bool
    quote: bool
    replaced: bool  # holds U+FFFD: bytes the codec could not decode (or the file's own U+FFFD)
    lines: pa.Array | None = None  # see _split_lines and _plain
    plain: pa.Array | None = None
    cells: _Cells | None = None

    @classmethod
    def of(cls, text: str) -> _Block:
        parts = [text[i:i + _PIECE].encode("utf-8", errors="surrogatepass")
                 for i in range(0, len(text), _PIECE)]
        return cls(text, b"".join(parts), sum(p.count(b"\n") for p in parts),
                   sum(p.count(b"\r") for p in parts), any(b"\x00" in p for p in parts),
                   any(b'"' in p for p in parts), any(_REPLACEMENT in p for p in parts))


#: characters or bytes per call into the codec and per count: a call holds the interpreter lock
#: throughout, and the other thread (whose Arrow kernels let go of it) must not wait long for it
_PIECE = 1 << 18
_REPLACEMENT = "\ufffd".encode()


def _pieces(data: bytes) -> Iterator[memoryview]:
    view = memoryview(data)
    return (view[i:i + _PIECE] for i in range(0, len(data), _PIECE))


def _split_lines(block: _Block) -> pa.Array | None:
    """Physical lines without their line break (``\n`` or ``\r\n``); None where a carriage
    return stands alone (a line break of its own to the per-row reader)."""
    offsets = pa.py_buffer(np.array([0, len(block.data)], dtype=np.int32))
    whole = pa.StringArray.from_buffers(1, offsets, pa.py_buffer(block.data))
    if block.carriage_returns and block.carriage_returns == block.line_feeds:
        # Windows exports: split on CRLF, no second pass to cut the CRs. As many pieces as
        # breaks + 1 proves every CR is followed by its LF (the pairs cannot overlap)
        lines = pc.split_pattern(whole, "\r\n").flatten()
        if len(lines) == block.line_feeds + 1:
            return lines.slice(0, len(lines) - 1) if block.data.endswith(b"\r\n") else lines
    lines = pc.split_pattern(whole, "\n").flatten()
    if block.data.endswith(b"\n"):
        lines = lines.slice(0, len(lines) - 1)
    if not block.carriage_returns:
        return lines
    crlf = pc.ends_with(lines, "\r")
    if pc.sum(crlf).as_py() != block.carriage_returns:
        return None
    return strings(pc.if_else(crlf, pc.utf8_slice_codeunits(lines, 0, -1), lines))


_QUOTED_FIELD = r'(?:"(?:[^"]|"")*+"[^{d}]*+|[^"{d}][^{d}]*+|)'


def _plain(block: _Block, lines: pa.Array, delimiter: str) -> pa.Array | None:
    """True for lines the delimiter splits exactly as :mod:`csv` does (no field opens with a
    quote); None where the block cannot be read line by line: a lone CR or a NUL (csv and the
    line numbering treat them specially) or a quoted cell that runs over the line break."""
    if block.nul:
        return None
    if not block.quote:
        return pa.repeat(True, len(lines))
    quoted = pc.or_(pc.starts_with(lines, '"'), pc.match_substring(lines, f'{delimiter}"'))
    if pc.any(quoted).as_py():
        d = re.escape(delimiter)
        whole = re.compile(f"{_QUOTED_FIELD.format(d=d)}(?:{d}{_QUOTED_FIELD.format(d=d)})*+")
        for line in pc.filter(lines, quoted).to_pylist():
            if not whole.fullmatch(line):
                return None
    return pc.invert(quoted)


def _raw_row(number: int, line: str, plain: bool, delimiter: str) -> RawRow:
    """One physical line as the per-row reader gives it."""
    if not line:
        fields: list[str] = []
    elif plain:
        fields = line.split(delimiter)
    else:
        fields = next(csv.reader([line], delimiter=delimiter, strict=False), [])
    return RawRow(number, [clean_cell(f) for f in fields], line, number)


# ---- one block ----------------------------------------------------------------------------------
@dataclass
class _Span:
    """Consecutive physical lines of a block: their text, whether the delimiter splits each
    exactly (:func:`_plain`), the number of the first, and (once split) each line's cells."""

    lines: pa.Array
    plain: pa.Array
    first: int
    delimiter: str
    widths: pa.Array | None = None
    cell: Callable[[int], pa.Array] | None = None
    replaced: bool = True
    cells: _Cells | None = None  # the block's cells, split (and some cleaned) ahead of time

    def row(self, i: int) -> RawRow:
        """Line ``i`` as the per-row reader gives it."""
        return _raw_row(self.first + i, self.lines[i].as_py(), bool(self.plain[i].as_py()),
                        self.delimiter)

    def take_each(self, body: Body, start: int) -> None:
        """Lines ``start``… through the per-row code."""
        lines = self.lines.slice(start).to_pylist()
        plain = self.plain.slice(start).to_pylist()
        for i, (line, is_plain) in enumerate(zip(lines, plain, strict=True)):
            body.take(_raw_row(self.first + start + i, line, bool(is_plain), self.delimiter))


class _Cells:
    """The cells of a block's lines split on the delimiter; ``cells(position)`` is one column,
    cleaned (``""`` for rows too short to have it), computed once."""

    def __init__(self, lines: pa.Array, delimiter: str) -> None:
        self.split = pc.split_pattern(lines, delimiter)
        self.widths = pc.list_value_length(self.split)
        self.narrowest = pc.min(self.widths).as_py() if len(lines) else 0
        self._cleaned: dict[int, pa.Array] = {}

    def __call__(self, position: int) -> pa.Array:
        if position not in self._cleaned:
            if position < self.narrowest:  # every row has the column
                taken = pc.list_element(self.split, position)
            else:
                there = pc.greater(self.widths, position)
                starts = self.split.offsets.slice(0, len(self.widths))
                taken = pc.take(self.split.flatten(),
                                pc.if_else(there, pc.add(starts, position), 0))
                taken = pc.if_else(there, taken, "")
            self._cleaned[position] = clean(strings(taken))
        return self._cleaned[position]


def _read_block(body: Body, span: _Span) -> None:
    lines, n = span.lines, len(span.lines)
    if n == 0:
        return
    if body.footer:  # after a footer everything is read as the reference reads it
        span.take_each(body, 0)
        return
    cell = span.cells or _Cells(lines, span.delimiter)
    widths = cell.widths
    candidate = pc.invert(span.plain)
    for prefix in body.importer.footer_prefixes:
        candidate = pc.or_(candidate, pc.starts_with(cell(0), prefix))
    tail = _first_true(candidate)
    head = n if tail is None else tail
    if head:
        _read_head(body, _Span(lines.slice(0, head), span.plain.slice(0, head), span.first,
                               span.delimiter, widths.slice(0, head),
                               lambda position: cell(position).slice(0, head), span.replaced))
    if tail is not None:
        span.take_each(body, tail)


def _read_head(body: Body, span: _Span) -> None:
    """Rows before any footer candidate: blanks named, the rest read column-wise where the
    format can, every other row by the per-row code, all in line order."""
    importer, ctx, header = body.importer, body.ctx, body.header
    lines, n, cell = span.lines, len(span.lines), span.cell
    assert cell is not None
    assert span.widths is not None
    numbers = pa.array(np.arange(span.first, span.first + n, dtype=np.int64))
    # a blank line has an empty first cell; the pattern only runs on those
    empty = pc.indices_nonzero(pc.equal(cell(0), ""))
    blank = vc.scatter(pa.repeat(False, n), empty, pc.match_substring_regex(
        pc.take(lines, empty), f"^[{re.escape(PAD + span.delimiter)}]*$"))
    some_filled = pa.repeat(False, n)  # certainly not blank (the rest: the per-row check)
    for name in importer.required:
        some_filled = pc.or_(some_filled, pc.not_equal(cell(header.index[name]), ""))
    careful = pc.or_(pc.invert(some_filled), pc.less(span.widths, body.needed))
    if span.replaced:
        careful = pc.or_(careful, pc.match_substring(lines, "\ufffd"))
    careful = pc.and_(careful, pc.invert(blank))
    picked = pc.indices_nonzero(pc.invert(pc.or_(blank, careful)))
    every = len(picked) == n
    rows = VectorRows(importer, header.index,
                      cell if every else (lambda p: pc.take(cell(p), picked)),
                      numbers if every else pc.take(numbers, picked),
                      lines if every else pc.take(lines, picked), ctx)
    ctx.rows_read += len(rows)
    result = importer.vector_parse(rows) if len(rows) else VectorEntries(pa.array([], pa.bool_()))
    if result is None:
        result = VectorEntries(pa.repeat(False, len(rows)))
    ok = pc.fill_null(result.ok, False)
    if "balance" in header.index and len(rows):
        ok = _with_balance(result, ok, rows, "balance_currency" in header.index)
    special = sorted([(i, "blank") for i in pc.indices_nonzero(blank).to_pylist()]
                     + [(i, "take") for i in pc.indices_nonzero(careful).to_pylist()]
                     + [(i, "parse") for i in
                        pc.take(picked, pc.indices_nonzero(pc.invert(ok))).to_pylist()])
    capture = _Capture(ctx.builder)
    real, ctx.builder = ctx.builder, capture  # type: ignore[assignment]
    try:
        for i, what in special:
            if what == "blank":
                ctx.name_lines(span.first + i, span.first + i, "blank")
            elif what == "take":
                body.take(span.row(i))
            else:
                body.parse(span.row(i))
    finally:
        ctx.builder = real
    real.extend(_merge(result, ok, rows, capture))


def _with_balance(result: VectorEntries, ok: pa.Array, rows: VectorRows, foreign: bool) -> pa.Array:
    """Give every part the row's balance, as :meth:`ReadContext.add` does; a balance cell this
    path cannot read (and every row of a file whose balances name their own currency) is left
    to the per-row code, which warns and keeps the row."""
    if foreign:
        return pa.repeat(False, len(ok))
    cells = rows["balance"]
    balance, balance_ok = vc.amount(cells, rows.importer.currency,
                                    decimal_comma=rows.importer.decimal_comma)
    written = vc.filled(cells)
    balance = pc.if_else(written, balance, pa.scalar(None, pa.int64()))
    for part in result.parts:
        part.setdefault("balance_minor", balance)
    return pc.and_(ok, pc.or_(pc.invert(written), pc.fill_null(balance_ok, False)))


def _first_true(mask: pa.Array) -> int | None:
    hits = pc.indices_nonzero(mask)
    return hits[0].as_py() if len(hits) else None


# ---- entries -------------------------------------------------------------------------------------
class _Capture:
    """Stands in for the builder while rows of a block are read one by one, so their entries can
    be merged with the block's column-wise entries in line order."""

    def __init__(self, builder: EntryBuilder) -> None:
        self.source = builder.source
        self.file = builder.file
        self.entries: list[dict[str, Any]] = []

    def add(self, **entry: Any) -> None:
        check_entry(entry["amount_minor"], entry.get("currency", "CNY"))
        self.entries.append(entry)


def _merge(result: VectorEntries, ok: pa.Array, rows: VectorRows, capture: _Capture) -> pa.Table:
    """The block's entries in line order (and, within a line, in the order of the parts)."""
    tables = []
    defaults = {"currency": rows.importer.currency, "account": rows.meta.get("account")}
    for seq, part in enumerate(result.parts):
        mask = ok if "present" not in part else pc.and_(ok, pc.fill_null(part["present"], False))
        picked = pc.indices_nonzero(mask)
        count = len(picked)
        every = count == len(rows)  # the usual block: no copy of the raw text and the columns

        def chosen(values: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
            return values if every else pc.take(values, picked)  # noqa: B023 - used at once

        columns: dict[str, pa.Array | pa.ChunkedArray] = {
            "line": chosen(rows.line), "raw": chosen(rows.raw),
            "seq": pa.repeat(seq, count).cast(pa.int64()),
            "id_suffix": pa.repeat(part.get("id_suffix", ""), count).cast(pa.string()),
        }
        for name in PART_FIELDS:
            value = part.get(name, defaults.get(name))
            if isinstance(value, pa.Array | pa.ChunkedArray):
                columns[name] = chosen(value).cast(_TYPES[name])
            else:
                columns[name] = pa.repeat(pa.scalar(_plain_value(value), _TYPES[name]), count)
        tables.append(pa.table(columns))
    if capture.entries:
        seen: dict[int, int] = {}
        listed: dict[str, list[Any]] = {name: [] for name in ("line", "raw", "seq", "id_suffix",
                                                               *PART_FIELDS)}
        for entry in capture.entries:
            line = entry["line"]
            seen[line] = seen.get(line, -1) + 1
            listed["seq"].append(seen[line])
            for name in ("line", "raw", "id_suffix", *PART_FIELDS):
                value = entry.get(name, "" if name == "id_suffix" else None)
                listed[name].append(_plain_value(value))
        types = {"line": pa.int64(), "raw": pa.string(), "seq": pa.int64(), "id_suffix": pa.string(),
                 **{name: _TYPES[name] for name in PART_FIELDS}}
        tables.append(pa.table({name: pa.array(values, types[name])
                                for name, values in listed.items()}))
    if not tables:
        return pa.table({})
    table = pa.concat_tables(tables)
    if len(tables) > 1:
        table = table.take(pc.sort_indices(table, [("line", "ascending"), ("seq", "ascending")]))
    return table


def _plain_value(value: Any) -> Any:
    """Enum members (Kind, Status) as their text, for Arrow."""
    return value.value if isinstance(value, Enum) else value
