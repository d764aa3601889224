"""Build the other file type of a bank export at test time (CSV → .xlsx, .xls → CSV), so one test
can show that an importer gives the same entries from both, as the banks offer both downloads."""

from __future__ import annotations

import csv
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from huikuan.importers.base import ImportResult
from huikuan.importers.reader import SourceFile

_AMOUNT = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)\.\d+")


def csv_to_xlsx(src: Path, dest: Path, *, delimiter: str = ",") -> Path:
    """Each CSV record as one spreadsheet row. Cells that hold an amount become number cells
    (as when the bank writes the Excel download); everything else stays text, padding and all."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    with SourceFile(src).open_text() as fh:
        for record in csv.reader(fh, delimiter=delimiter, strict=False):
            row: list[Any] = []
            for cell in record:
                text = cell.strip(" \t")
                if _AMOUNT.fullmatch(text):
                    row.append(float(Decimal(text.replace(",", ""))))  # ok-float: an Excel number cell
                else:
                    row.append(cell)
            sheet.append(row)
    book.save(dest)
    return dest


def excel_to_csv(src: Path, dest: Path, *, encoding: str = "gbk") -> Path:
    """The rows of a spreadsheet as a CSV file, the way a bank's CSV download would hold them."""
    with dest.open("w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh, lineterminator="\r\n")
        for row in SourceFile(src).rows():
            writer.writerow(row.cells)
    return dest


def essence(result: ImportResult) -> list[dict[str, Any]]:
    """The entries without what depends on the file itself (its name, the raw row text)."""
    rows = result.entries.drop_columns(["file", "raw", "dedupe_key"]).to_pylist()
    for row in rows:
        row["record_id"] = row["record_id"].replace(result.name, "<file>")
    return rows
