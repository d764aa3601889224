"""The report workbook as huikuan wrote it before reports moved onto results/xlsx.py: xlsxwriter,
one Python call per cell. Kept for bench/report_export_bench.py only, to measure the two on the
same report; xlsxwriter is a dev dependency for the benchmarks alone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa
import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from huikuan.domain.money import exponent
from huikuan.reports.cells import SYMBOLS
from huikuan.reports.csv_out import _guarded
from huikuan.reports.model import Column, Report

HEADER_ROW = 3
_EPOCH = 25_569  # Excel serial of 1970-01-01


def _display_width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


class _Formats:
    def __init__(self, book: xlsxwriter.Workbook, bold: bool = False) -> None:
        self.book, self.bold = book, bold
        base: dict[str, Any] = {"bold": bold}
        self.text = book.add_format({**base, "num_format": "@"})
        self.date = book.add_format({**base, "num_format": "yyyy-mm-dd"})
        self.rate = book.add_format({**base, "num_format": "0.00%"})
        self.count = book.add_format({**base, "num_format": "#,##0"})
        self._money: dict[str, Format] = {}

    def money(self, currency: str) -> Format:
        if currency not in self._money:
            digits = exponent(currency)
            number = "#,##0" + ("." + "0" * digits if digits else "")
            symbol = '"' + SYMBOLS.get(currency, currency + " ") + '"'
            self._money[currency] = self.book.add_format(
                {"bold": self.bold, "num_format": f"{symbol}{number};[Red]-{symbol}{number}"})
        return self._money[currency]


def _write_rows(sheet: Worksheet, formats: _Formats, columns: list[Column], table: pa.Table,
               first: int) -> int:
    """Write ``table``'s rows from sheet row ``first``; returns the next free row."""
    row = first
    for batch in table.to_batches(max_chunksize=10_000):
        for values in batch.to_pylist():
            for col, c in enumerate(columns):
                value = values.get(c.key)
                if value is None or value == "":
                    continue
                if c.kind == "money":
                    currency = values.get(c.currency) or "CNY"
                    # display only: Excel keeps doubles; the minor units stay the truth
                    sheet.write_number(row, col, int(value) / 10 ** exponent(currency),
                                       formats.money(currency))
                elif c.kind == "count":
                    sheet.write_number(row, col, int(value), formats.count)
                elif c.kind == "rate":
                    sheet.write_number(row, col, float(value), formats.rate)
                elif c.kind == "date":
                    sheet.write_number(row, col, value.toordinal() - 719_163 + _EPOCH, formats.date)
                else:
                    sheet.write_string(row, col, _guarded(str(value), c.kind), formats.text)
            row += 1
    return row


def _widths(sheet: Worksheet, report: Report) -> None:
    sample = report.rows.slice(0, 500).to_pylist() + report.totals.to_pylist()
    for col, c in enumerate(report.columns):
        longest = max((_display_width(str(r.get(c.key) or "")) for r in sample), default=0)
        if c.kind == "money":
            longest = max(longest // 100 + 8, 14)
        sheet.set_column(col, col, min(48, max(_display_width(c.label), longest, 8) + 2))


def write_xlsx(report: Report, path: Path) -> None:
    """The report as one sheet named after it, notes below the totals."""
    book = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False,
                                           "strings_to_urls": False})
    sheet = book.add_worksheet(report.title[:31])
    title = book.add_format({"bold": True, "font_size": 14})
    header = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
    sheet.write_string(0, 0, f"{report.company}　{report.title}".strip(), title)
    sheet.write_string(1, 0, f"期间：{report.period}")
    for col, c in enumerate(report.columns):
        sheet.write_string(HEADER_ROW, col, c.label, header)
    sheet.freeze_panes(HEADER_ROW + 1, 0)
    end = _write_rows(sheet, _Formats(book), report.columns, report.rows, HEADER_ROW + 1)
    if report.rows.num_rows:
        sheet.autofilter(HEADER_ROW, 0, end - 1, len(report.columns) - 1)
    end = _write_rows(sheet, _Formats(book, bold=True), report.columns, report.totals, end)
    for i, note in enumerate(report.notes):
        sheet.write_string(end + 1 + i, 0, note)
    _widths(sheet, report)
    book.close()
