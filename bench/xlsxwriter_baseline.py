"""The workbook writer huikuan used before its own streaming writer (src/huikuan/results/xlsx.py):
xlsxwriter in constant-memory mode, one Python call per cell. Kept for bench/results_bench.py only,
to compare the two on the same tables; xlsxwriter is a dev dependency for that reason alone.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from huikuan.domain.formula import escape_text, reason_labels
from huikuan.domain.money import exponent
from huikuan.results.labels import Lang, header, sheet_name, word
from huikuan.results.sheets import attention_rows, summary_rows
from huikuan.results.tables import ResultTables

RESULT_XLSX = "result-xlsxwriter.xlsx"
MAX_ROWS = 1_048_575          # Excel's limit less the header: more rows continue on "匹配 2"
_EXCEL_EPOCH_DAYS = 25_569    # days from Excel's 1899-12-30 to 1970-01-01
_CHUNK = 65_536
_SYMBOLS = {"CNY": "¥", "JPY": "¥", "USD": "$", "EUR": "€", "GBP": "£", "HKD": "HK$"}
_WIDTH_SAMPLE = 2_000

#: column → how its cells are written
_AMOUNTS = {"amount", "left_amount", "right_amount", "difference"}
_WORDS = {"side", "status"}


class _Styles:
    """The workbook's formats, made once: xlsxwriter wants one object per distinct format."""

    def __init__(self, book: xlsxwriter.Workbook) -> None:
        self.book = book
        self.header = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
        self.date = book.add_format({"num_format": "yyyy-mm-dd"})
        self.text = book.add_format({"num_format": "@"})
        self._money: dict[str, Format] = {}

    def money(self, currency: str | None) -> Format:
        code = currency or ""
        if code not in self._money:
            digits = exponent(code) if code else 2
            number = "#,##0" + ("." + "0" * digits if digits else "")
            symbol = _SYMBOLS.get(code, f"{code} " if code else "")
            quoted = f'"{symbol}"' if symbol else ""
            self._money[code] = self.book.add_format(
                {"num_format": f"{quoted}{number};[Red]-{quoted}{number}"})
        return self._money[code]


def _display_width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def _prepared(table: pa.Table, lang: Lang) -> pa.Table:
    """Text escaped against formulas; side and status in the reader's words; amounts to numbers."""
    columns: dict[str, Any] = {}
    for name in table.column_names:
        column = table[name]
        if name in _WORDS:
            words = {w: word(w, lang) for w in ("left", "right", "auto", "suggested")}
            columns[name] = pa.array([words.get(v, v) if v else v for v in column.to_pylist()], pa.string())
        elif name == "reason_label":
            columns[name] = column
        elif pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
            columns[name] = escape_text(column)
        else:
            columns[name] = column
    return pa.table(columns)


def _chunks(table: pa.Table) -> Iterator[dict[str, list[Any]]]:
    for batch in table.to_batches(max_chunksize=_CHUNK):
        yield batch.to_pydict()


def _write_sheet(styles: _Styles, key: str, table: pa.Table, money: dict[str, str], lang: Lang) -> None:
    """One table as one or more sheets. ``money`` maps an amount column to its minor-unit column
    and the table's ``currency`` column gives its format; ``date`` holds days since 1970."""
    names = [c for c in table.column_names if c not in money.values()]
    parts = max(1, -(-table.num_rows // MAX_ROWS))
    for part in range(parts):
        rows = table.slice(part * MAX_ROWS, MAX_ROWS)
        title = sheet_name(key, lang) + (f" {part + 1}" if part else "")
        sheet = styles.book.add_worksheet(title)
        _layout(sheet, styles, rows, names, lang)
        _fill(sheet, styles, rows, names, money)


def _layout(sheet: Worksheet, styles: _Styles, rows: pa.Table, names: list[str], lang: Lang) -> None:
    sample = rows.slice(0, _WIDTH_SAMPLE).to_pydict()
    for col, name in enumerate(names):
        title = header(name, lang)
        values = sample.get(name, [])
        longest = max((_display_width(str(v)) for v in values if v is not None), default=0)
        width = 12 if name == "date" or name in _AMOUNTS else min(60, max(_display_width(title), longest) + 2)
        sheet.set_column(col, col, width)
        sheet.write_string(0, col, title, styles.header)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(rows.num_rows, 1), len(names) - 1)


def _fill(sheet: Worksheet, styles: _Styles, rows: pa.Table, names: list[str], money: dict[str, str]) -> None:
    write_string, write_number = sheet.write_string, sheet.write_number
    date_format = styles.date
    row = 1
    for chunk in _chunks(rows):
        currencies = chunk.get("currency") or [None] * len(next(iter(chunk.values())))
        columns = []
        for name in names:
            if name in money:
                # Excel keeps every number as a double: minor units become one here, at the edge,
                # for display only; nothing computes with these values afterwards
                scale = [10 ** exponent(c) if c else 100 for c in currencies]
                minor = chunk[money[name]]
                columns.append(("money", [None if m is None else m / s
                                          for m, s in zip(minor, scale, strict=True)]))
            elif name == "count":
                columns.append(("count", chunk[name]))
            elif name == "date":
                columns.append(("date", [None if d is None else d + _EXCEL_EPOCH_DAYS for d in chunk[name]]))
            else:
                columns.append(("text", chunk[name]))
        formats = [styles.money(c) for c in currencies]
        for i in range(len(currencies)):
            for col, (how, values) in enumerate(columns):
                value = values[i]
                if value is None or value == "":
                    continue
                if how == "text":
                    write_string(row, col, str(value))
                elif how == "money":
                    write_number(row, col, value, formats[i])
                elif how == "count":
                    write_number(row, col, value)
                else:
                    write_number(row, col, value, date_format)
            row += 1


def write_workbook(tables: ResultTables, summary: dict[str, Any], folder: Path, lang: Lang) -> None:
    """result.xlsx into ``folder``: 待处理, 匹配, 未匹配, 差异, 汇总 (or their English names)."""
    book = xlsxwriter.Workbook(str(folder / RESULT_XLSX),
                               {"constant_memory": True, "strings_to_numbers": False,
                                "strings_to_formulas": False, "strings_to_urls": False})
    styles = _Styles(book)
    m, u, d = tables.matches, tables.unmatched, tables.differences
    amount = {"amount": "amount_minor"}
    attention = attention_rows(tables, lang)
    _write_sheet(styles, "attention", _prepared(attention.append_column(
        "amount", attention["amount_minor"]).select(
        ["reason_label", "match_id", "side", "file", "record_id", "date", "kind", "amount", "amount_minor",
         "currency", "counterparty", "memo", "reason"]), lang), amount, lang)
    _write_sheet(styles, "matches", _prepared(m.append_column("amount", m["amount_minor"]).select(
        ["match_id", "side", "file", "record_id", "date", "kind", "amount", "amount_minor", "currency",
         "counterparty", "memo", "rule", "status"]), lang), amount, lang)
    unmatched = u.append_column("amount", u["amount_minor"]).append_column(
        "reason_label", reason_labels(u["reason"], lang))
    _write_sheet(styles, "unmatched", _prepared(unmatched.select(
        ["side", "file", "record_id", "date", "kind", "amount", "amount_minor", "currency", "counterparty",
         "memo", "reason_label", "reason"]), lang), amount, lang)
    differences = pa.table({
        "match_id": d["match_id"], "rule": d["rule"], "status": d["status"], "check": d["check"],
        "left_amount": d["left_minor"], "right_amount": d["right_minor"],
        "difference": d["difference_minor"], "left_minor": d["left_minor"],
        "right_minor": d["right_minor"], "difference_minor": d["difference_minor"],
        "currency": d["currency"], "reason_label": reason_labels(d["reason"], lang), "reason": d["reason"],
    })
    _write_sheet(styles, "differences", _prepared(differences, lang),
                 {"left_amount": "left_minor", "right_amount": "right_minor",
                  "difference": "difference_minor"}, lang)
    _write_sheet(styles, "summary", summary_rows(summary, lang), {"amount": "amount_minor"}, lang)
    book.close()
