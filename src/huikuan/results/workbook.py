"""result.xlsx: the result as a clerk opens it — what needs attention first, then every match,
every unmatched record, the differences and the summary.

Written by the streaming writer in :mod:`huikuan.results.xlsx`: a batch of rows at a time, so a
million rows take seconds and no more memory than a batch. Ids and other text are written as text
(an 18-digit order number must never show as 3.5E+18), amounts as numbers in their currency's
format, dates as dates (Excel serial days), each sheet with a frozen header, filters and widths.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from huikuan.results.csv_files import reason_labels
from huikuan.results.labels import Lang, header, sheet_name, word
from huikuan.results.sheets import attention_rows, summary_rows
from huikuan.results.tables import ResultTables
from huikuan.results.xlsx import Column, XlsxBook

RESULT_XLSX = "result.xlsx"
MAX_ROWS = 1_048_575          # Excel's limit less the header: more rows continue on "匹配 2"

#: columns whose values are put in the reader's words
_WORDS = {"side", "status"}


def _prepared(table: pa.Table, lang: Lang) -> pa.Table:
    """Side and status in the reader's words (text is guarded against formulas by the writer)."""
    columns: dict[str, Any] = {}
    for name in table.column_names:
        column = table[name]
        if name in _WORDS:
            for key in ("left", "right", "auto", "suggested"):
                column = pc.if_else(pc.equal(column, key), word(key, lang), column)
        columns[name] = column
    return pa.table(columns)


def _columns(names: list[str], money: dict[str, str], lang: Lang) -> list[Column]:
    """The sheet's columns: ``money`` maps an amount column to its minor-unit column, whose
    currency is the row's ``currency``; ``date`` holds days since 1970; ``count`` is a number."""
    columns = []
    for name in names:
        if name in money:
            columns.append(Column(money[name], header(name, lang), "money", currency_column="currency"))
        elif name == "date":
            columns.append(Column(name, header(name, lang), "date"))
        elif name == "count":
            columns.append(Column(name, header(name, lang), "number"))
        else:
            columns.append(Column(name, header(name, lang)))
    return columns


def _write_sheet(book: XlsxBook, key: str, table: pa.Table, money: dict[str, str], lang: Lang) -> None:
    """One table as one or more sheets (a sheet holds at most ``MAX_ROWS`` rows)."""
    names = [c for c in table.column_names if c not in money.values()]
    book.add_sheet(sheet_name(key, lang), table, _columns(names, money, lang), max_rows=MAX_ROWS)


def write_workbook(tables: ResultTables, summary: dict[str, Any], folder: Path, lang: Lang) -> None:
    """result.xlsx into ``folder``: 待处理, 匹配, 未匹配, 差异, 汇总 (or their English names)."""
    with XlsxBook(folder / RESULT_XLSX) as book:
        _write_all(book, tables, summary, lang)


def _write_all(book: XlsxBook, tables: ResultTables, summary: dict[str, Any], lang: Lang) -> None:
    m, u, d = tables.matches, tables.unmatched, tables.differences
    amount = {"amount": "amount_minor"}
    attention = attention_rows(tables, lang)
    _write_sheet(book, "attention", _prepared(attention.append_column(
        "amount", attention["amount_minor"]).select(
        ["reason_label", "match_id", "side", "file", "record_id", "date", "kind", "amount", "amount_minor",
         "currency", "counterparty", "memo", "reason"]), lang), amount, lang)
    _write_sheet(book, "matches", _prepared(m.append_column("amount", m["amount_minor"]).select(
        ["match_id", "side", "file", "record_id", "date", "kind", "amount", "amount_minor", "currency",
         "counterparty", "memo", "rule", "status"]), lang), amount, lang)
    unmatched = u.append_column("amount", u["amount_minor"]).append_column(
        "reason_label", reason_labels(u["reason"], lang))
    _write_sheet(book, "unmatched", _prepared(unmatched.select(
        ["side", "file", "record_id", "date", "kind", "amount", "amount_minor", "currency", "counterparty",
         "memo", "reason_label", "reason"]), lang), amount, lang)
    differences = pa.table({
        "match_id": d["match_id"], "rule": d["rule"], "status": d["status"], "check": d["check"],
        "left_amount": d["left_minor"], "right_amount": d["right_minor"],
        "difference": d["difference_minor"], "left_minor": d["left_minor"],
        "right_minor": d["right_minor"], "difference_minor": d["difference_minor"],
        "currency": d["currency"], "reason_label": reason_labels(d["reason"], lang), "reason": d["reason"],
    })
    _write_sheet(book, "differences", _prepared(differences, lang),
                 {"left_amount": "left_minor", "right_amount": "right_minor",
                  "difference": "difference_minor"}, lang)
    _write_sheet(book, "summary", summary_rows(summary, lang), {"amount": "amount_minor"}, lang)
