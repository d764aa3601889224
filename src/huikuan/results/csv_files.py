"""matches.csv, unmatched.csv and differences.csv: the contract's columns in order, then the
appended ones (DESIGN.md: append, never rename).

UTF-8 with a byte-order mark, because Excel opens a CSV without one in the machine's ANSI code
page and shows Chinese as mojibake. Every text cell is guarded against formula injection
(:func:`huikuan.domain.formula.escape_text`); amounts are plain decimal strings (``-12.50``) and
never escaped.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from huikuan.domain.formula import escape_text
from huikuan.domain.money import format_minor_array
from huikuan.results.labels import reason_label
from huikuan.results.tables import ResultTables

MATCHES_CSV = "matches.csv"
UNMATCHED_CSV = "unmatched.csv"
DIFFERENCES_CSV = "differences.csv"
BOM = b"\xef\xbb\xbf"

MATCH_COLUMNS = ["match_id", "side", "file", "record_id", "amount", "currency", "rule", "status",
                 "date", "kind", "counterparty", "memo"]
UNMATCHED_COLUMNS = ["side", "file", "record_id", "amount", "currency", "reason",
                     "date", "kind", "counterparty", "memo", "reason_label"]
DIFFERENCE_COLUMNS = ["match_id", "rule", "status", "check", "left_amount", "right_amount",
                      "difference", "currency", "reason", "reason_label"]

def iso_dates(days: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """Days since 1970-01-01 → ``YYYY-MM-DD`` (null stays empty)."""
    return pc.cast(pc.cast(days, pa.date32()), pa.string())


def reason_labels(codes: pa.Array | pa.ChunkedArray, lang: str = "zh") -> pa.Array:
    """The Chinese (or English) label of each reason code, looked up once per distinct code."""
    encoded = pc.dictionary_encode(codes.combine_chunks() if isinstance(codes, pa.ChunkedArray) else codes)
    labels = pa.array([reason_label(c, "en" if lang == "en" else "zh")
                       for c in encoded.dictionary.to_pylist()], pa.string())
    return pc.take(labels, encoded.indices)


def _escaped(table: pa.Table, keep: set[str]) -> pa.Table:
    """Every text column escaped except ``keep`` (our own words and the formatted amounts)."""
    columns = [table[name] if name in keep or not pa.types.is_string(table.schema.field(name).type)
               else escape_text(table[name]) for name in table.column_names]
    return pa.table(columns, names=table.column_names)


def _write(table: pa.Table, path: Path) -> None:
    with pa.OSFile(str(path), "wb") as sink:
        sink.write(BOM)
        pacsv.write_csv(table, sink, write_options=pacsv.WriteOptions(quoting_style="needed"))


def write_csv_files(tables: ResultTables, folder: Path) -> None:
    """The three CSV files of a result into ``folder``."""
    m = tables.matches
    _write(_escaped(pa.table({
        "match_id": m["match_id"], "side": m["side"], "file": m["file"], "record_id": m["record_id"],
        "amount": format_minor_array(m["amount_minor"], m["currency"]), "currency": m["currency"],
        "rule": m["rule"], "status": m["status"], "date": iso_dates(m["date"]), "kind": m["kind"],
        "counterparty": m["counterparty"], "memo": m["memo"],
    }), keep={"match_id", "side", "amount", "status", "date"}), folder / MATCHES_CSV)
    u = tables.unmatched
    _write(_escaped(pa.table({
        "side": u["side"], "file": u["file"], "record_id": u["record_id"],
        "amount": format_minor_array(u["amount_minor"], u["currency"]), "currency": u["currency"],
        "reason": u["reason"], "date": iso_dates(u["date"]), "kind": u["kind"],
        "counterparty": u["counterparty"], "memo": u["memo"], "reason_label": reason_labels(u["reason"]),
    }), keep={"side", "amount", "date"}), folder / UNMATCHED_CSV)
    d = tables.differences
    _write(_escaped(pa.table({
        "match_id": d["match_id"], "rule": d["rule"], "status": d["status"], "check": d["check"],
        "left_amount": format_minor_array(d["left_minor"], d["currency"]),
        "right_amount": format_minor_array(d["right_minor"], d["currency"]),
        "difference": format_minor_array(d["difference_minor"], d["currency"]),
        "currency": d["currency"], "reason": d["reason"], "reason_label": reason_labels(d["reason"]),
    }), keep={"match_id", "status", "left_amount", "right_amount", "difference"}), folder / DIFFERENCES_CSV)
