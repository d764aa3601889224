"""Reading a run's results for the pages: one page of a tab at a time, straight from the
result folder's ``entries.parquet`` / ``differences.csv`` with DuckDB. Filtering, counting and
paging happen in SQL; only the rows of the page shown ever reach Python.

A large run is read from a *prepared* folder (:func:`prepare`): the effective entries written
once, sorted the way pages show them, with each record's tab and its position in that tab, and
the tab counts and cards beside them in ``workbench.json``. A page is then a range read of one
file (Parquet row-group statistics skip the rest) instead of a sort of every entry."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from huikuan.domain.errors import HuikuanError
from huikuan.domain.money import format_minor, parse_amount
from huikuan.results.folder import MARKER
from huikuan.results.overlay import effective_sql, entries_relation, plain_sql

PAGE_SIZE = 50
TABS = ("auto", "suggested", "confirmed", "manual", "written_off", "unmatched_left", "unmatched_right",
        "differences")
ENTRY_COLUMNS = ("side", "match_id", "match_status", "rule", "reason", "record_id", "file", "line",
                 "ts", "kind", "order_ref", "amount_minor", "currency", "counterparty", "text",
                 "decision_id", "written_off_minor", "note")
#: a prepared folder holds this file (tab counts and cards) beside its entries
PREPARED = "workbench.json"
#: the order records are shown in: a match's records together
ENTRY_ORDER = "match_id NULLS LAST, side, file, line, record_id"
_UNMATCHED = "match_id IS NULL AND in_scope AND reason <> 'duplicate'"
#: which entries each tab shows, in the effective state (run + decisions); duplicates and
#: out-of-scope records are not work to do
TAB_WHERE = {
    "auto": "match_status = 'auto'",
    "suggested": "match_status = 'suggested'",
    "confirmed": "match_status = 'confirmed'",
    "manual": "match_status = 'manual'",
    "written_off": "match_status = 'written_off'",
    "unmatched_left": f"side = 'left' AND {_UNMATCHED}",
    "unmatched_right": f"side = 'right' AND {_UNMATCHED}",
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


class _Result:
    """One DuckDB connection over a result folder with the decisions' overlay registered, so
    every query below reads the effective entries the same way."""

    def __init__(self, folder: Path, overlay: pa.Table | None, *, prepared: bool | None = None) -> None:
        self.folder = folder
        self.con = duckdb.connect()
        self.prepared = (folder / PREPARED).is_file() if prepared is None else prepared
        entries = entries_relation(folder / "entries.parquet")
        differences = "read_csv(" + _quote(folder / "differences.csv") + ", header=true, all_varchar=true)"
        if self.prepared:  # effective already, status_now already beside each difference
            self.entries, self.differences = entries, differences
            return
        if overlay is None or overlay.num_rows == 0:
            self.entries = f"({plain_sql(entries)})"
        else:
            self.con.register("decision_overlay", overlay)
            self.entries = f"({effective_sql(entries, 'decision_overlay')})"
        # a difference shows what became of its match: written off, confirmed, taken apart…
        # only the entries of matches with a difference are looked up (a semi-join, not a
        # grouping of every entry)
        status = (f"SELECT match_id, any_value(match_status) AS match_status FROM {self.entries} e "
                  f"SEMI JOIN {differences} x USING (match_id) GROUP BY match_id")
        self.differences = (f"(SELECT d.*, s.match_status AS status_now FROM {differences} d "
                            f"LEFT JOIN ({status}) s USING (match_id))")

    def tab_where(self, tab: str) -> str:
        if self.prepared and tab in TAB_WHERE:
            return f"tab = '{tab}'"
        return TAB_WHERE.get(tab, "TRUE")

    def stored(self) -> dict[str, Any] | None:
        """The counts and cards written by :func:`prepare`, when this is a prepared folder."""
        path = self.folder / PREPARED
        return dict(json.loads(path.read_text("utf-8"))) if self.prepared and path.is_file() else None

    def source(self, tab: str) -> str:
        return self.differences if tab == "differences" else self.entries

    def count(self, tab: str, where: str, params: list[Any] | None = None) -> int:
        query = f"SELECT count(*) FROM {self.source(tab)} WHERE {where}"
        row = self.con.execute(query, params or []).fetchone()
        return int(row[0]) if row else 0

    def rows(self, query: str, params: list[Any]) -> tuple[tuple[str, ...], list[dict[str, Any]]]:
        cursor = self.con.execute(query, params)
        names = tuple(d[0] for d in cursor.description)
        return names, [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def __enter__(self) -> _Result:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.con.close()


def tab_counts(folder: Path, overlay: pa.Table | None = None) -> dict[str, int]:
    """How many records each tab holds (differences: how many checks disagree), in one scan."""
    with _Result(folder, overlay) as result:
        return _counts(result)


def _counts(result: _Result) -> dict[str, int]:
    stored = result.stored()
    if stored:
        return dict(stored["counts"])
    tabs = list(TAB_WHERE)
    filters = ", ".join(f"count(*) FILTER (WHERE {TAB_WHERE[t]})" for t in tabs)
    row = result.con.execute(f"SELECT {filters} FROM {result.entries}").fetchone() or (0,) * len(tabs)
    counts = {t: int(n or 0) for t, n in zip(tabs, row, strict=True)}
    counts["differences"] = result.count("differences", "TRUE")
    return counts


def overview(folder: Path, overlay: pa.Table | None = None) -> dict[str, Any]:
    """The run page's cards in the effective state: matches by status (groups), and the
    unmatched records of each side with their totals per currency ({"CNY": "1234.50"}, as
    summary.json writes them), so that the cards move as the clerk decides."""
    with _Result(folder, overlay) as result:
        return _overview(result)


def _overview(result: _Result) -> dict[str, Any]:
    stored = result.stored()
    if stored:
        return dict(stored["overview"])
    left, right = (TAB_WHERE[f"unmatched_{side}"] for side in ("left", "right"))
    decided = "match_status IN ('confirmed', 'manual', 'written_off')"
    rows = result.con.execute(f"""
        SELECT currency,
               count(DISTINCT match_id) FILTER (WHERE match_status = 'auto'),
               count(DISTINCT match_id) FILTER (WHERE match_status = 'suggested'),
               count(DISTINCT match_id) FILTER (WHERE {decided}),
               count(*) FILTER (WHERE {left}), sum(amount_minor) FILTER (WHERE {left}),
               count(*) FILTER (WHERE {right}), sum(amount_minor) FILTER (WHERE {right})
        FROM {result.entries} GROUP BY currency ORDER BY currency""").fetchall()
    # a difference written off (or whose match was taken apart) is no longer open
    open_differences = result.count("differences", "status_now IS NOT NULL AND status_now <> 'written_off'")
    found: dict[str, Any] = {"auto": sum(r[1] for r in rows), "suggested": sum(r[2] for r in rows),
                             "decided": sum(r[3] for r in rows), "differences_open": open_differences}
    for side, (count, total) in (("left", (4, 5)), ("right", (6, 7))):
        totals = {r[0]: format_minor(int(r[total]), r[0]) for r in rows if r[count]}
        found[f"unmatched_{side}"] = {"count": sum(r[count] for r in rows), "totals": totals}
    return found


def page(folder: Path, tab: str, filters: Filters, number: int = 1, size: int = PAGE_SIZE, *,
         overlay: pa.Table | None = None) -> Page:
    """Rows ``(number-1)*size …`` of ``tab`` under ``filters``, sorted so that a match's
    records stay together; ``overlay`` (``huikuan.results.decisions.replay``) gives the
    decisions' effect."""
    if tab not in TABS:
        raise ValueError(f"unknown tab {tab!r}")
    if tab == "differences":
        order, select = 'match_id, "check"', "*"
    else:
        order, select = ENTRY_ORDER, ", ".join(f'"{c}"' for c in ENTRY_COLUMNS)
    with _Result(folder, overlay) as result:
        try:
            where, params = _where(tab, filters, result.tab_where(tab))
        except HuikuanError as exc:
            return Page([], 0, 1, 1, error=" ".join(str(exc).split()))
        stored = result.stored()
        ranged = result.prepared and tab != "differences"
        by_position = ranged and stored is not None and not params  # no filter: a range of positions
        total = int(stored["counts"][tab]) if by_position and stored else result.count(tab, where, params)
        pages = max(1, -(-total // size))
        number = min(max(number, 1), pages)
        first = (number - 1) * size
        if by_position:
            query, values = (f"SELECT {select} FROM {result.entries} WHERE {where} "
                             "AND tab_pos > ? AND tab_pos <= ? ORDER BY tab_pos", [first, first + size])
        else:
            query, values = (f"SELECT {select} FROM {result.source(tab)} WHERE {where} "
                             f"ORDER BY {'tab_pos' if ranged else order} LIMIT ? OFFSET ?",
                             [*params, size, first])
        names, rows = result.rows(query, values)
    return Page(rows, total, number, pages, names)


def prepare(folder: Path, target: Path, overlay: pa.Table | None = None) -> Path:
    """Write result ``folder`` as it stands after ``overlay``'s decisions into ``target`` (a new
    folder), ready for fast pages: entries.parquet sorted by tab and position with ``tab`` and
    ``tab_pos`` appended, differences.csv with ``status_now``, summary.json, and workbench.json
    with the tab counts and cards. It is a result folder like any other (the reports read it),
    written once per change of decisions, not once per page."""
    target.mkdir(parents=True)
    tab_of = "CASE " + " ".join(f"WHEN {where} THEN '{tab}'" for tab, where in TAB_WHERE.items()) + \
        " ELSE NULL END"
    with _Result(folder, overlay) as result:
        result.con.execute(
            f"COPY (SELECT *, row_number() OVER (PARTITION BY tab ORDER BY {ENTRY_ORDER}) AS tab_pos "
            f"FROM (SELECT *, {tab_of} AS tab FROM {result.entries}) ORDER BY tab NULLS LAST, tab_pos) "
            f"TO {_quote(target / 'entries.parquet')} "
            "(FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 16384)")
        result.con.execute(f"COPY (SELECT * FROM {result.differences}) "
                           f"TO {_quote(target / 'differences.csv')} (HEADER, DELIMITER ',')")
    for name in ("summary.json", MARKER):
        if (folder / name).is_file():
            shutil.copyfile(folder / name, target / name)
    with _Result(target, None, prepared=True) as written:
        stored = {"counts": _counts(written), "overview": _overview(written)}
    (target / PREPARED).write_text(json.dumps(stored, ensure_ascii=False), "utf-8")
    return target


#: an exported tab's columns: (column of the page query, Chinese header, English header, kind)
EXPORT_COLUMNS = (("match_id", "匹配号", "Match", "text"), ("match_status", "状态", "Status", "text"),
                  ("side", "方", "Side", "text"), ("ts", "时间", "Time", "datetime"),
                  ("kind", "类型", "Kind", "text"), ("order_ref", "订单号", "Order", "text"),
                  ("record_id", "流水号", "Record", "text"), ("amount_minor", "金额", "Amount", "money"),
                  ("currency", "币种", "Currency", "text"), ("rule", "规则", "Rule", "text"),
                  ("reason", "原因", "Reason", "text"), ("counterparty", "对方", "Counterparty", "text"),
                  ("text", "备注", "Memo", "text"), ("written_off_minor", "核销金额", "Written off", "money"),
                  ("note", "处理备注", "Note", "text"), ("file", "文件", "File", "text"),
                  ("line", "行", "Line", "number"))
#: the differences tab's columns: the amounts as money (differences.csv writes them as plain
#: decimals with the currency's digits, ``-0.02``, so dropping the point gives minor units)
DIFFERENCE_EXPORT_COLUMNS = (
    ("match_id", "匹配号", "Match", "text"), ("rule", "规则", "Rule", "text"),
    ("check", "核对项", "Check", "text"), ("left_amount", "左方", "Left", "money"),
    ("right_amount", "右方", "Right", "money"), ("difference", "差额", "Difference", "money"),
    ("currency", "币种", "Currency", "text"), ("reason_label", "原因", "Reason", "text"),
    ("reason", "原因代码", "Reason code", "text"), ("status_now", "当前状态", "Now", "text"))


def export_xlsx(folder: Path, tab: str, filters: Filters, path: Path, *, title: str = "",
                english: bool = False) -> None:
    """Every row of ``tab`` under ``filters`` (what the pages show, all pages) as an .xlsx at
    ``path``, streamed from DuckDB in batches into the project's streaming writer: money in ¥
    formats, ids as text, a frozen header; the writer guards every text cell, the title row
    included, against formulas. A bad filter raises :class:`HuikuanError`."""
    from huikuan.results.xlsx import Column, XlsxBook

    if tab not in TABS:
        raise ValueError(f"unknown tab {tab!r}")
    with _Result(folder, None) as result:
        where, params = _where(tab, filters, result.tab_where(tab))
        spec: tuple[tuple[str, str, str, str], ...]
        if tab == "differences":
            spec = DIFFERENCE_EXPORT_COLUMNS
            select = ", ".join(f"TRY_CAST(replace(\"{c}\", '.', '') AS BIGINT) AS \"{c}\"" if kind == "money"
                               else f'"{c}"' for c, _, _, kind in spec)
            query = f'SELECT {select} FROM {result.differences} WHERE {where} ORDER BY match_id, "check"'
        else:
            spec = EXPORT_COLUMNS
            order = "tab_pos" if result.prepared else ENTRY_ORDER
            # the timestamp as the clerk reads it: Shanghai wall clock
            select = ", ".join("timezone('Asia/Shanghai', ts) AS ts" if c == "ts" else f'"{c}"'
                               for c, *_ in spec)
            query = f"SELECT {select} FROM {result.entries} WHERE {where} ORDER BY {order}"
        columns = [Column(c, en if english else zh, kind,  # type: ignore[arg-type]
                          currency_column="currency" if kind == "money" else None)
                   for c, zh, en, kind in spec]
        reader = result.con.sql(query, params=params).to_arrow_reader(50_000)
        if reader is None:  # DuckDB returns a reader for every SELECT; this keeps mypy honest
            raise HuikuanError(f"{tab}: nothing to export")
        with XlsxBook(path) as book:
            book.add_sheet(title or tab, reader, columns, title_rows=(title,) if title else ())


def raw_line(folder: Path, file: str, line: int) -> dict[str, Any] | None:
    """The entry (with its original row text) that came from ``file`` line ``line``."""
    with _Result(folder, None) as result:
        _names, rows = result.rows(
            f"SELECT file, line, record_id, side, source, raw, amount_minor, currency FROM {result.entries} "
            "WHERE file = ? AND line = ? ORDER BY record_id LIMIT 1", [file, line])
    return rows[0] if rows else None


#: filter field → (SQL condition with one ``?`` per value, how many values), per kind of tab
_DIGITS_TEXT = "(contains(order_ref, ?) OR contains(record_id, ?) OR counterparty ILIKE ? OR match_id = ?)"
_TEXT = {"entries": "(order_ref ILIKE ? OR record_id ILIKE ? OR counterparty ILIKE ? OR match_id = ?)",
         "differences": "(match_id ILIKE ? OR rule ILIKE ?)"}
_LOCAL_DAY = "CAST(timezone('Asia/Shanghai', ts) AS DATE)"


def _where(tab: str, f: Filters, tab_clause: str) -> tuple[str, list[Any]]:
    kind = "differences" if tab == "differences" else "entries"
    clauses = [tab_clause]
    params: list[Any] = []

    def add(clause: str, *values: Any) -> None:
        clauses.append(clause)
        params.extend(values)

    if f.text:
        contained = f"%{f.text}%"
        if kind == "entries" and not any(ch.isascii() and ch.isalpha() for ch in f.text):
            # digits (most order numbers and record ids): a plain substring test, which costs
            # a third of a case-insensitive LIKE over a million ids; letters keep ILIKE
            add(_DIGITS_TEXT, f.text, f.text, contained, f.text)
        elif kind == "entries":
            add(_TEXT[kind], contained, contained, contained, f.text)
        else:
            add(_TEXT[kind], contained, contained)
    if kind == "entries":
        if f.amount:
            add("abs(amount_minor) = ?", abs(parse_amount(f.amount)))
        if f.date_from:
            add(f"{_LOCAL_DAY} >= CAST(? AS DATE)", f.date_from)
        if f.date_to:
            add(f"{_LOCAL_DAY} <= CAST(? AS DATE)", f.date_to)
    if f.reason:
        add("reason = ?", f.reason)
    if f.rule:
        add("rule = ?", f.rule)
    return " AND ".join(clauses), params


def _quote(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"
