"""A report as CSV: UTF-8 with a BOM (Excel shows the Chinese), Chinese headers, the rows, then
the totals. Money as plain decimals (``-12.50``), rates as fractions; text that a spreadsheet
would run as a formula gets a leading ``'`` (``domain.formula``; docs/RESULTS.md, formula guard):
every text and id cell, and the header."""

from __future__ import annotations

import csv
from pathlib import Path

import pyarrow as pa

from huikuan.domain.formula import escape_text, escape_texts
from huikuan.reports.cells import cell_text
from huikuan.reports.model import Column, Report


def _guarded(table: pa.Table, columns: list[Column]) -> pa.Table:
    """Text and id columns through the formula guard, one kernel call per column; money, counts,
    rates and dates are numbers and stay as they are."""
    for c in columns:
        if c.kind in ("text", "id") and c.key in table.column_names:
            table = table.set_column(table.column_names.index(c.key), c.key, escape_text(table[c.key]))
    return table


def write_csv(report: Report, path: Path) -> None:
    """Header, every row, every totals row (the totals' first column says 合计)."""
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(escape_texts([c.label for c in report.columns]))
        for table in (report.rows, report.totals):
            for batch in _guarded(table, report.columns).to_batches(max_chunksize=10_000):
                for row in batch.to_pylist():
                    writer.writerow([cell_text(c, row.get(c.key), row, symbol=False) for c in report.columns])
