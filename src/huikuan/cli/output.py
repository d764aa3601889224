"""Writes a reconciliation to the folder of the command-line contract (DESIGN.md):
``matches.csv``, ``unmatched.csv``, ``summary.json``, plus ``differences.csv``."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from huikuan.domain.money import format_minor, format_minor_array
from huikuan.engine import MatchResult
from huikuan.importers.registry import SideImport

MATCH_COLUMNS = ["match_id", "side", "file", "record_id", "amount", "currency", "rule", "status"]
UNMATCHED_COLUMNS = ["side", "file", "record_id", "amount", "currency", "reason"]
DIFFERENCE_COLUMNS = ["match_id", "rule", "status", "check", "left_amount", "right_amount",
                      "difference", "currency", "reason"]


def match_label(ids: pa.Array | pa.ChunkedArray) -> pa.Array:
    """1 → ``M000001`` (six digits at least, so that the ids sort in a spreadsheet)."""
    return pc.binary_join_element_wise("M", pc.utf8_lpad(pc.cast(ids, pa.string()), 6, "0"), "")


def _records(side_table: pa.Table, rows: pa.Array | pa.ChunkedArray) -> dict[str, pa.Array]:
    picked = side_table.select(["file", "record_id", "amount_minor", "currency"]).take(rows)
    return {
        "file": picked["file"], "record_id": picked["record_id"],
        "amount": format_minor_array(picked["amount_minor"], picked["currency"]),
        "currency": picked["currency"],
    }


def _by_side(result: MatchResult, table: pa.Table) -> dict[str, pa.Array]:
    """file, record_id, amount, currency for each row of ``table`` (which has side and row)."""
    both = pa.concat_tables([
        result.left.select(["file", "record_id", "amount_minor", "currency"]),
        result.right.select(["file", "record_id", "amount_minor", "currency"]),
    ])
    index = pc.if_else(pc.equal(table["side"], "left"), table["row"],
                       pc.add(table["row"], result.left.num_rows))
    return _records(both, index)


def _write_csv(table: pa.Table, path: Path) -> None:
    options = pacsv.WriteOptions(include_header=True, quoting_style="needed")
    pacsv.write_csv(table, path, write_options=options)


def write_results(result: MatchResult, left: SideImport, right: SideImport, out: Path,
                  *, backend: str, elapsed: float) -> dict[str, Any]:
    """Write the contract files into ``out`` and return the summary written to summary.json."""
    out.mkdir(parents=True, exist_ok=True)
    m = result.matches
    records = _by_side(result, m)
    _write_csv(pa.table({
        "match_id": match_label(m["match_id"]), "side": m["side"], "file": records["file"],
        "record_id": records["record_id"], "amount": records["amount"],
        "currency": records["currency"], "rule": m["rule"], "status": m["status"],
    }), out / "matches.csv")
    u = result.unmatched
    unmatched = _by_side(result, u)
    parts = [pa.table({"side": u["side"].cast(pa.string()),
                       **{k: unmatched[k] for k in ("file", "record_id", "amount", "currency")},
                       "reason": u["reason"]})]
    for side, imported in (("left", left), ("right", right)):
        dup = imported.duplicates
        if dup.num_rows:
            parts.append(pa.table({
                "side": pa.array([side] * dup.num_rows), "file": dup["file"],
                "record_id": dup["record_id"],
                "amount": format_minor_array(dup["amount_minor"], dup["currency"]),
                "currency": dup["currency"], "reason": pa.array(["duplicate"] * dup.num_rows),
            }))
    _write_csv(pa.concat_tables(parts).select(UNMATCHED_COLUMNS), out / "unmatched.csv")
    d = result.differences
    _write_csv(pa.table({
        "match_id": match_label(d["match_id"]), "rule": d["rule"], "status": d["status"],
        "check": d["check"],
        "left_amount": format_minor_array(d["left_minor"], d["currency"]),
        "right_amount": format_minor_array(d["right_minor"], d["currency"]),
        "difference": format_minor_array(d["difference_minor"], d["currency"]),
        "currency": d["currency"], "reason": d["reason"],
    }), out / "differences.csv")
    summary = build_summary(result, left, right, backend=backend, elapsed=elapsed)
    (out / "summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2) + "\n", "utf-8")
    return summary


def _totals(table: pa.Table) -> dict[str, str]:
    """Sum of amount_minor per currency, as decimal strings."""
    if table.num_rows == 0:
        return {}
    grouped = table.group_by("currency").aggregate([("amount_minor", "sum")]).to_pylist()
    return {g["currency"]: format_minor(g["amount_minor_sum"], g["currency"])
            for g in sorted(grouped, key=lambda g: g["currency"])}


def _side_summary(result: MatchResult, side: str, imported: SideImport) -> dict[str, Any]:
    table = result.left if side == "left" else result.right
    matched_rows = pc.filter(result.matches["row"], pc.equal(result.matches["side"], side))
    everything = result.unmatched.filter(pc.equal(result.unmatched["side"], side))
    unmatched = everything.filter(everything["in_scope"])
    outside = everything.filter(pc.invert(everything["in_scope"]))
    return {
        "files": [{
            "file": f.name, "format": f.format_id, "title": f.title, "encoding": f.encoding,
            "rows_read": f.rows_read, "entries": f.entries.num_rows, "row_errors": len(f.errors),
            "checks": [{"name": c.name, "file_says": c.expected, "rows_give": c.actual, "ok": c.ok}
                       for c in f.checks],
            "warnings": f.warnings, **({"meta": f.meta} if f.meta else {}),
        } for f in imported.files],
        "records": table.num_rows,
        "total": _totals(table),
        "matched": len(matched_rows),
        "matched_total": _totals(table.take(matched_rows)),
        "unmatched": unmatched.num_rows,
        "unmatched_total": _totals(table.take(unmatched["row"])),
        "unmatched_by_reason": dict(sorted(Counter(unmatched["reason"].to_pylist()).items())),
        "not_in_this_flow": outside.num_rows,
        "not_in_this_flow_by_reason": dict(sorted(Counter(outside["reason"].to_pylist()).items())),
        "duplicates_dropped": imported.duplicates.num_rows,
        "row_errors": len(imported.errors),
    }


def build_summary(result: MatchResult, left: SideImport, right: SideImport, *, backend: str,
                  elapsed: float) -> dict[str, Any]:
    groups = result.matches.group_by(["match_id", "rule", "status"]).aggregate([]).to_pylist()
    by_rule: dict[str, dict[str, int]] = {r.name: {"auto": 0, "suggested": 0}
                                          for r in result.template.rules}
    for g in groups:
        by_rule[g["rule"]][g["status"]] += 1
    by_status = Counter(g["status"] for g in groups)
    diffs = result.differences.to_pylist()
    return {
        "template": result.template.name,
        "backend": backend,
        "left": _side_summary(result, "left", left),
        "right": _side_summary(result, "right", right),
        "matches": {"groups": len(groups), "auto": by_status.get("auto", 0),
                    "suggested": by_status.get("suggested", 0), "by_rule": by_rule},
        "differences": {"count": len(diffs),
                        "by_reason": dict(sorted(Counter(d["reason"] for d in diffs).items()))},
        "duplicates_dropped": {"left": left.duplicates.num_rows, "right": right.duplicates.num_rows},
        "row_errors": [e.as_dict() for e in (*left.errors, *right.errors)],
        "elapsed_seconds": round(elapsed, 3),
        "timings": result.timings,
    }
