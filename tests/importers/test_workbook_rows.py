"""Excel sheets read in batches give the rows the per-row reading gave, cell type by cell type."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest

from huikuan.importers import workbook
from huikuan.importers.reader import SourceFile
from huikuan.importers.workbook import excel_cell_text, first_sheet

#: one cell of every type a sheet gives calamine, with the forms that have bitten before
CELLS: list[Any] = [
    "订单号", "  padded\t", "`4200001987202311021234567801", '="00123"', "'0456", "",
    0, 7, -12, 2**40, 0.5, -6.4, 1234.5600000000002, 128.0, 10160070484512.0,
    4.2000019872023112e27, 1234567890123456.0, 9007199254740993.0, 1e-7, float("inf"),
    True, False, datetime(2023, 11, 1, 8, 56, 57), datetime(2023, 11, 30, 0, 0),
    date(2023, 11, 1), time(10, 8, 58), timedelta(days=1, hours=2), "=1/0",
]


def _reference(path: Path) -> list[tuple[int, list[str]]]:
    """The per-row reading this replaced: every cell through excel_cell_text, one row at a time."""
    sheet, _ = first_sheet(path, path.read_bytes()[:8], path.name)
    rows = []
    for number, row in enumerate(sheet.iter_rows(), start=1):
        cells = [excel_cell_text(v) for v in row]
        while cells and not cells[-1]:
            cells.pop()
        rows.append((number, cells))
    return rows


def _write_every_type(path: Path, rows: int) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([])  # a blank top row still counts in the numbering
    for i in range(rows):
        shift = i % len(CELLS)
        sheet.append([*CELLS[shift:], *CELLS[:shift]][: 5 + i % 7])
        if i % 5 == 0:
            sheet.append([None, None, "", None])  # blank, and empty cells to be dropped
    book.save(path)


@pytest.mark.parametrize("batch", [1, 3, 4096])
def test_batched_rows_equal_the_per_row_reading(tmp_path: Path, batch: int,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "every_type.xlsx"
    _write_every_type(path, rows=60)
    monkeypatch.setattr(workbook, "BATCH_ROWS", batch)
    source = SourceFile(path)
    read = [(r.line, r.cells) for r in source.rows()]
    assert read == _reference(path)
    assert len(read) == 73  # the blank top row, 60 rows and 12 blank ones
    shown = {cell for _, cells in read for cell in cells}
    # the texts a clerk sees, checked against excel_cell_text's promises
    assert {"4200001987202311021234567801", "0456", "10160070484512", "-6.4",
            "1234.56", "TRUE", "2023-11-01 08:56:57", "10:08:58"} <= shown
    assert "4.200001987202311e+27" in shown  # an id Excel cut stays visibly damaged


def test_rows_of_a_workbook_are_numbered_and_joined_as_before(tmp_path: Path) -> None:
    path = tmp_path / "small.xlsx"
    _write_every_type(path, rows=3)
    rows = list(SourceFile(path).rows())
    assert [r.line for r in rows] == [1, 2, 3, 4, 5]
    assert all(r.raw == "\t".join(r.cells) and r.last_line == r.line for r in rows)
