"""Guards around the Excel reader (calamine): a workbook is measured before it is read, and a
crash inside calamine becomes a one-line "damaged workbook" error.

Why: calamine builds a dense grid of every sheet it loads. A 4.7 KB .xlsx with values in A1 and
XFD1048576 asks for 2**34 cells (512 GiB) and the process aborts without a word; a 1.5 MB .xlsx
whose one cell expands to 1.5 GB, or an .xls cut short by a failed download, ends in a Rust panic.
pyo3 raises panics as ``PanicException``, which derives from ``BaseException``: ``except
Exception`` does not see it, so every call into calamine goes through :func:`calamine_guard`.
"""

from __future__ import annotations

import os
import re
import sys
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from huikuan.domain.errors import InputError

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
                for match in _CELL_REF.finditer(data):
                    col, row = _ref(match.group(1), match.group(2)) or (0, 0)
                    last_row, last_col = max(last_row, row), max(last_col, col)
                    first_row, first_col = min(first_row, row), min(first_col, col)
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
