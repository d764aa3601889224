"""Reading a large sheet: huikuan's rows against the floor (issue 11 §1).

    python bench/bench_excel_speed.py [--rows 200000]

The sheet is a WeChat Pay trade bill from :mod:`huikuan.synth` written as .xlsx with xlsxwriter
(numbers as numbers, as Excel saves them) and, where LibreOffice is installed, converted to .xls.
Per workbook, in this process, one after the other: the floor (calamine opens the workbook and
reads the sheet into Python lists), the per-row reading this replaced (every row through its own
guarded call, every cell through ``excel_cell_text``) and ``SourceFile.rows()`` as it is now. The
machine is shared and noisy: read the ratios, not the seconds.
"""

from __future__ import annotations

import argparse
import csv
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from huikuan.importers.reader import SourceFile
from huikuan.importers.workbook import excel_cell_text, first_sheet, guarded_rows
from huikuan.synth import generate_files

from measure import measure, print_table


def write_xlsx(source: Path, target: Path) -> None:
    """The CSV bill as a sheet: cells that are numbers become numbers."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(target), {"constant_memory": True})
    sheet = book.add_worksheet()
    with source.open(encoding="utf-8-sig", newline="") as fh:
        for r, row in enumerate(csv.reader(fh)):
            for c, cell in enumerate(row):
                text = cell.lstrip("`")
                try:
                    sheet.write_number(r, c, float(text)) if text and len(text) < 15 else \
                        sheet.write_string(r, c, text)
                except ValueError:
                    sheet.write_string(r, c, text)
    book.close()


def to_xls(xlsx: Path) -> Path | None:
    """The workbook as .xls through LibreOffice, where it is installed."""
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        return None
    subprocess.run([office, "--headless", "--convert-to", "xls", "--outdir", str(xlsx.parent),
                    str(xlsx)], check=True, capture_output=True, timeout=1800)
    xls = xlsx.with_suffix(".xls")
    return xls if xls.exists() else None


def floor(path: Path) -> int:
    from python_calamine import CalamineWorkbook

    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    return len(sheet.to_python())


def per_row(path: Path) -> int:
    """The reading before batches: one guarded call and one excel_cell_text per cell."""
    sheet, _ = first_sheet(path, path.read_bytes()[:8], path.name)
    count = 0
    rows: Iterator[Any] = guarded_rows(path.name, iter(sheet.iter_rows()))
    for row in rows:
        cells = [excel_cell_text(v) for v in row]
        while cells and not cells[-1]:
            cells.pop()
        count += 1
    return count


def batched(path: Path) -> int:
    return sum(1 for _ in SourceFile(path).rows())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=200_000, help="orders of the WeChat shop")
    parser.add_argument("--no-xls", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        bill = generate_files(base / "wechat", orders=args.rows, seed=1, platform="wechat").bills[0]
        xlsx = base / "wechat.xlsx"
        write_xlsx(bill, xlsx)
        books = [("WeChat trade bill .xlsx", xlsx)]
        xls = None if args.no_xls or args.rows > 65_000 else to_xls(xlsx)  # .xls: 65 536 rows
        if xls is not None:
            books.append(("WeChat trade bill .xls", xls))
        table = []
        for label, path in books:
            low = measure(lambda p=path: floor(p))
            before = measure(lambda p=path: per_row(p))
            after = measure(lambda p=path: batched(p))
            assert before.value == after.value, label
            for name, m in (("floor: calamine to Python lists", low), ("before: per row", before),
                            ("after: batches", after)):
                table.append([label, name, f"{after.value:,}", f"{m.seconds:.2f}",
                              f"{m.seconds / low.seconds:.2f}×"])
        print_table("Excel sheet reading", ["workbook", "reading", "rows", "seconds", "vs floor"],
                    table)


if __name__ == "__main__":
    main()
