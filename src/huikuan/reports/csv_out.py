"""A report as CSV: UTF-8 with a BOM (Excel shows the Chinese), Chinese headers, the rows, then
the totals. Money as plain decimals (``-12.50``), rates as fractions; text that a spreadsheet
would run as a formula gets a leading ``'`` (docs/RESULTS.md, formula guard)."""

from __future__ import annotations

import csv
from pathlib import Path

from huikuan.reports.cells import cell_text
from huikuan.reports.model import Report

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _guarded(text: str, kind: str) -> str:
    if kind in ("text", "id") and text.startswith(_FORMULA_START):
        return "'" + text
    return text


def write_csv(report: Report, path: Path) -> None:
    """Header, every row, every totals row (the totals' first column says 合计)."""
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow([c.label for c in report.columns])
        for table in (report.rows, report.totals):
            for batch in table.to_batches(max_chunksize=10_000):
                for row in batch.to_pylist():
                    writer.writerow([_guarded(cell_text(c, row.get(c.key), row, symbol=False), c.kind)
                                     for c in report.columns])
