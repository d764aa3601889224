"""Guards around the Excel reader (calamine): a workbook is measured before it is read, and a
crash inside calamine becomes a one-line "damaged workbook" error.

Why: calamine builds a dense grid of every sheet it loads. A 4.7 KB .xlsx with values in A1 and
XFD1048576 asks for 2**34 cells (512 GiB) and the process aborts without a word; a 1.5 MB .xlsx
whose one cell expands to 1.5 GB, or an .xls cut short by a failed download, ends in a Rust panic.
pyo3 raises panics as ``PanicException``, which derives from ``BaseException``: ``except
Exception`` does not see it, so every call into calamine goes through :func:`calamine_guard`.
"""

from __future__ import annotations

import functools
import itertools
import os
import re
import sys
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, TypeVar

from huikuan.domain.errors import InputError
from huikuan.importers.cells import clean_cell

T = TypeVar("T")

#: the largest sheet read: rows × columns of its used range (calamine holds it as a dense grid)
MAX_CELLS = 50_000_000
#: the most a single part of an .xlsx may expand to, and the most all its parts together may
MAX_PART_BYTES = 1 << 30
MAX_TOTAL_BYTES = 2 << 30
#: a part this much larger than its compressed size is a zip bomb, not a spreadsheet
MAX_RATIO = 200
_RATIO_FROM = 32 << 20
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"([A-Z]{1,3})(\d+)(?::([A-Z]{1,3})(\d+))?\"")
_CELL_REF = re.compile(rb"<(?:\w+:)?c\s[^>]*?\br=\"([A-Z]{1,3})(\d+)\"")


def calamine_guard(name: str, action: Callable[[], T], *, quiet: bool = False) -> T:
    """Run one call into calamine; its errors and panics become one ``InputError``.

    ``quiet`` silences the process's stderr during the call: Rust's panic hook prints the panic
    (and a backtrace under RUST_BACKTRACE) there before pyo3 turns it into an exception, which
    would bury the one-line message. Used for the calls that parse the file (open, load a sheet).
    """
    try:
        if quiet:
            with _stderr_silenced():
                return action()
        return action()
    except InputError:
        raise
    except BaseException as exc:  # a Rust panic (pyo3 PanicException) is a BaseException
        if not _is_calamine_failure(exc):
            raise
        raise InputError(name, f"damaged workbook: {_one_line(exc)}") from None


@contextmanager
def _stderr_silenced() -> Iterator[None]:
    """File descriptor 2 pointed at /dev/null for the duration (when the process has one)."""
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError, AttributeError):
        yield
        return
    try:
        with open(os.devnull, "wb") as null:
            os.dup2(null.fileno(), 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def guarded_rows(name: str, rows: Iterator[T]) -> Iterator[T]:
    """``rows`` with each step taken under :func:`calamine_guard`."""
    while True:
        try:
            row = calamine_guard(name, lambda: next(rows))
        except StopIteration:
            return
        yield row


def _is_calamine_failure(exc: BaseException) -> bool:
    if isinstance(exc, KeyboardInterrupt | SystemExit | GeneratorExit | StopIteration | MemoryError):
        return False
    return isinstance(exc, Exception) or type(exc).__name__ == "PanicException"


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 200 else text[:197] + "..."


def check_xlsx(path: Path, name: str) -> None:
    """Refuse an .xlsx whose parts expand absurdly or whose sheets span absurd ranges, before
    calamine sees it. Sheets are scanned as streams: memory stays small whatever the file says."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise InputError(name, f"damaged workbook: {_one_line(exc)}") from None
    with archive:
        members = archive.infolist()
        total = 0
        for info in members:
            total += info.file_size
            if info.file_size > MAX_PART_BYTES or total > MAX_TOTAL_BYTES:
                raise InputError(name, f"workbook part {info.filename} expands to {info.file_size:,} "
                                       "bytes: too large to be read safely")
            if info.file_size > _RATIO_FROM and info.file_size > MAX_RATIO * max(1, info.compress_size):
                fold = info.file_size // max(1, info.compress_size)
                raise InputError(name, f"workbook part {info.filename} expands {fold}-fold: "
                                       "a zip bomb, not a spreadsheet")
        for info in members:
            if re.fullmatch(r"xl/worksheets/[^/]+\.xml", info.filename, re.IGNORECASE):
                _check_sheet(archive, info, name)


def _check_sheet(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> None:
    sheet = info.filename.rsplit("/", 1)[-1]
    last_row = last_col = 0
    first_row = first_col = 1 << 30
    read = 0
    tail = b""
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(1 << 20):
                read += len(chunk)
                if read > MAX_PART_BYTES:
                    raise InputError(name, f"sheet {sheet} expands past {MAX_PART_BYTES:,} bytes")
                data = tail + chunk
                if read == len(chunk) and (dim := _DIMENSION.search(data[:4096])):
                    top, bottom = _ref(dim.group(1), dim.group(2)), _ref(dim.group(3), dim.group(4))
                    _check_area(name, sheet, top, bottom or top, "declares")
                if found := _CELL_REF.findall(data):
                    # a sheet repeats few distinct columns and rows: split and fold them in C
                    # (min and max per cell in Python took 9 s for 60 000 rows of 27 columns)
                    letters, numbers = zip(*found, strict=True)
                    cols = [_ref(c, b"1")[0] for c in set(letters)]  # type: ignore[index]
                    rows = [int(n) for n in set(numbers)]
                    last_row, last_col = max(last_row, *rows), max(last_col, *cols)
                    first_row, first_col = min(first_row, *rows), min(first_col, *cols)
                tail = data[-256:]
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
        raise InputError(name, f"damaged workbook: {_one_line(exc)}") from None
    if last_row:
        _check_area(name, sheet, (first_col, first_row), (last_col, last_row), "has values over")


def _ref(col: bytes | None, row: bytes | None) -> tuple[int, int] | None:
    if not col or not row:
        return None
    number = 0
    for letter in col:
        number = number * 26 + letter - 64
    return number, int(row)


def _check_area(name: str, sheet: str, top: tuple[int, int] | None,
                bottom: tuple[int, int] | None, how: str) -> None:
    if top is None or bottom is None:
        return
    rows = abs(bottom[1] - top[1]) + 1
    cols = abs(bottom[0] - top[0]) + 1
    if rows * cols > MAX_CELLS:
        raise InputError(name, f"sheet {sheet} {how} a range of {rows:,} rows × {cols:,} columns; "
                               f"more than {MAX_CELLS:,} cells is not a real export")


# ---- reading a sheet ---------------------------------------------------------------------------
#: rows fetched from calamine per guarded call: one guard (a try block and a closure) per batch
#: instead of per row, and the batch converted in one tight loop
BATCH_ROWS = 4096


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


def first_sheet(path: Path, head: bytes, name: str) -> tuple[Any, str]:
    """The first sheet with data and its name. An .xlsx is measured first (:func:`check_xlsx`);
    every call into calamine turns its errors and panics into one "damaged workbook" line."""
    from python_calamine import CalamineWorkbook

    if head.startswith(b"PK\x03\x04"):
        check_xlsx(path, name)
    book = calamine_guard(name, lambda: CalamineWorkbook.from_path(str(path)), quiet=True)
    for index, sheet_name in enumerate(calamine_guard(name, lambda: list(book.sheet_names))):
        sheet = calamine_guard(name, functools.partial(book.get_sheet_by_index, index), quiet=True)
        # stops at the first row with a value: a sheet with data is found at once
        if sheet.height and any(any(v not in (None, "") for v in row)
                                for row in guarded_rows(name, iter(sheet.iter_rows()))):
            return sheet, sheet_name
    raise InputError(name, "the workbook has no sheet with data")


def sheet_rows(sheet: Any, name: str) -> Iterator[tuple[int, list[str]]]:
    """(row number as Excel numbers it, cell texts without trailing empty cells) for every row
    of a sheet, blank top rows counted. Rows are fetched in batches of :data:`BATCH_ROWS`."""
    rows = iter(sheet.iter_rows())
    number = 0
    while batch := calamine_guard(name, lambda: list(itertools.islice(rows, BATCH_ROWS))):
        for row in batch:
            number += 1
            yield number, _row_text(row)


def _row_text(row: list[Any]) -> list[str]:
    """:func:`excel_cell_text` of each cell, trailing empty cells dropped. Text and empty cells,
    most of a sheet, are done here; every other type goes through excel_cell_text."""
    cells = [(clean_cell(v) if v.__class__ is str else excel_cell_text(v)) if v != "" else ""
             for v in row]
    while cells and not cells[-1]:
        cells.pop()
    return cells
