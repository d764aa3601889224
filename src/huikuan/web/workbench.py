"""Reading a run's results for the pages: one page of a tab at a time, straight from the
result folder's ``entries.parquet`` / ``differences.csv`` with DuckDB. Filtering, counting and
paging happen in SQL; only the rows of the page shown ever reach Python."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from huikuan.domain.errors import HuikuanError
from huikuan.domain.money import parse_amount

PAGE_SIZE = 50
TABS = ("auto", "suggested", "unmatched_left", "unmatched_right", "differences")
ENTRY_COLUMNS = ("side", "match_id", "match_status", "rule", "reason", "record_id", "file", "line",
                 "ts", "kind", "order_ref", "amount_minor", "currency", "counterparty", "text")
#: which entries each tab shows (duplicates and out-of-scope records are not work to do)
TAB_WHERE = {
    "auto": "match_status = 'auto'",
    "suggested": "match_status = 'suggested'",
    "unmatched_left": "side = 'left' AND match_id IS NULL AND in_scope AND reason <> 'duplicate'",
    "unmatched_right": "side = 'right' AND match_id IS NULL AND in_scope AND reason <> 'duplicate'",
}


@dataclass
class Filters:
    """What the user typed above a table; empty fields filter nothing."""

    text: str = ""          # order number, record id or counterparty, contained
    amount: str = ""        # an amount as written, e.g. 1,234.50
    date_from: str = ""     # YYYY-MM-DD, local date
    date_to: str = ""
    reason: str = ""
    rule: str = ""


@dataclass
class Page:
    rows: list[dict[str, Any]]
    total: int
    number: int
    pages: int
    columns: tuple[str, ...] = field(default=ENTRY_COLUMNS)
    error: str = ""


def summary(folder: Path) -> dict[str, Any]:
    return dict(json.loads((folder / "summary.json").read_text("utf-8")))


def tab_counts(folder: Path) -> dict[str, int]:
    """How many records each tab holds (differences: how many checks disagree)."""
    counts = {}
    with duckdb.connect() as con:
        source = _entries(folder)
        for tab, where in TAB_WHERE.items():
            counts[tab] = _one(con, f"SELECT count(*) FROM {source} WHERE {where}")
        counts["differences"] = _one(con, f"SELECT count(*) FROM {_differences(folder)}")
    return counts


def page(folder: Path, tab: str, filters: Filters, number: int = 1, size: int = PAGE_SIZE) -> Page:
    """Rows ``(number-1)*size …`` of ``tab`` under ``filters``, sorted so that a match's
    records stay together."""
    if tab not in TABS:
        raise ValueError(f"unknown tab {tab!r}")
    try:
        where, params = _where(tab, filters)
    except HuikuanError as exc:
        return Page([], 0, 1, 1, error=" ".join(str(exc).split()))
    if tab == "differences":
        source, order, columns = _differences(folder), "match_id, \"check\"", None
    else:
        source, order = _entries(folder), "match_id NULLS LAST, side, file, line, record_id"
        columns = ENTRY_COLUMNS
    with duckdb.connect() as con:
        total = _one(con, f"SELECT count(*) FROM {source} WHERE {where}", params)
        pages = max(1, -(-total // size))
        number = min(max(number, 1), pages)
        select = ", ".join(f'"{c}"' for c in columns) if columns else "*"
        cursor = con.execute(
            f"SELECT {select} FROM {source} WHERE {where} ORDER BY {order} "
            "LIMIT ? OFFSET ?", [*params, size, (number - 1) * size])
        names = tuple(d[0] for d in cursor.description)
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    return Page(rows, total, number, pages, names)


def raw_line(folder: Path, file: str, line: int) -> dict[str, Any] | None:
    """The entry (with its original row text) that came from ``file`` line ``line``."""
    with duckdb.connect() as con:
        cursor = con.execute(
            f"SELECT file, line, record_id, source, raw, amount_minor, currency FROM {_entries(folder)} "
            "WHERE file = ? AND line = ? ORDER BY record_id LIMIT 1", [file, line])
        row = cursor.fetchone()
        return dict(zip([d[0] for d in cursor.description], row, strict=True)) if row else None


def _where(tab: str, f: Filters) -> tuple[str, list[Any]]:
    clauses = [TAB_WHERE.get(tab, "TRUE")]
    params: list[Any] = []
    if tab == "differences":
        if f.text:
            clauses.append("(match_id ILIKE ? OR rule ILIKE ?)")
            params += [f"%{f.text}%"] * 2
        if f.reason:
            clauses.append("reason = ?")
            params.append(f.reason)
        if f.rule:
            clauses.append("rule = ?")
            params.append(f.rule)
        return " AND ".join(clauses), params
    if f.text:
        clauses.append("(order_ref ILIKE ? OR record_id ILIKE ? OR counterparty ILIKE ? OR match_id = ?)")
        params += [f"%{f.text}%"] * 3 + [f.text]
    if f.amount:
        minor = parse_amount(f.amount)
        clauses.append("abs(amount_minor) = ?")
        params.append(abs(minor))
    if f.date_from:
        clauses.append("CAST(timezone('Asia/Shanghai', ts) AS DATE) >= CAST(? AS DATE)")
        params.append(f.date_from)
    if f.date_to:
        clauses.append("CAST(timezone('Asia/Shanghai', ts) AS DATE) <= CAST(? AS DATE)")
        params.append(f.date_to)
    if f.reason:
        clauses.append("reason = ?")
        params.append(f.reason)
    if f.rule:
        clauses.append("rule = ?")
        params.append(f.rule)
    return " AND ".join(clauses), params


def _entries(folder: Path) -> str:
    return "read_parquet(" + _quote(folder / "entries.parquet") + ")"


def _differences(folder: Path) -> str:
    return "read_csv(" + _quote(folder / "differences.csv") + ", header=true, all_varchar=true)"


def _quote(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _one(con: duckdb.DuckDBPyConnection, query: str, params: list[Any] | None = None) -> int:
    row = con.execute(query, params or []).fetchone()
    return int(row[0]) if row else 0
