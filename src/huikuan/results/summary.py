"""summary.json: what a run read, matched and left to check, in numbers (docs/RESULTS.md).

Built here rather than in the CLI so that the web app shows the same numbers for a run.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from huikuan import __version__
from huikuan.domain.dates import SHANGHAI
from huikuan.domain.entry import Kind, Status
from huikuan.domain.money import format_minor
from huikuan.engine import MatchResult
from huikuan.importers.registry import SideImport

#: order statuses with nothing to collect: they count neither as ordered nor as outstanding
_NOT_PAID = pa.array([str(Status.UNPAID), str(Status.CLOSED)])
_SETTLED_PARTS = {"payments": (Kind.PAYMENT, Kind.SETTLEMENT), "fees": (Kind.FEE,),
                  "refunds": (Kind.REFUND,)}


def _totals(table: pa.Table) -> dict[str, str]:
    """Sum of amount_minor per currency, as decimal strings."""
    if table.num_rows == 0:
        return {}
    grouped = table.group_by("currency").aggregate([("amount_minor", "sum")]).to_pylist()
    return {g["currency"]: format_minor(g["amount_minor_sum"], g["currency"])
            for g in sorted(grouped, key=lambda g: g["currency"])}


def _of_side(table: pa.Table, side: str) -> pa.Table:
    return table.filter(pc.equal(pc.cast(table["side"], pa.string()), side))


def _marked(size: int, rows: pa.ChunkedArray | pa.Array) -> np.ndarray:
    """A boolean mask of ``size`` rows, true at ``rows``."""
    mask = np.zeros(size, dtype=bool)
    mask[rows.to_numpy()] = True
    return mask


def _in_scope_mask(result: MatchResult, side: str) -> np.ndarray:
    table = result.left if side == "left" else result.right
    unmatched = _of_side(result.unmatched, side)
    return ~_marked(table.num_rows, unmatched.filter(pc.invert(unmatched["in_scope"]))["row"])


def in_scope(result: MatchResult, side: str, columns: list[str] | None = None) -> pa.Table:
    """The side's entries that took part in this template's matching (not out of its scope);
    only ``columns`` where given (filtering every column copies the raw lines too)."""
    table = result.left if side == "left" else result.right
    if columns is not None:
        table = table.select(columns)
    return table.filter(pa.array(_in_scope_mask(result, side)))


def _side_summary(result: MatchResult, side: str, imported: SideImport) -> dict[str, Any]:
    # only what the totals read: taking rows of every column (raw lines included) cost a second
    table = (result.left if side == "left" else result.right).select(["amount_minor", "currency"])
    matched_rows = _of_side(result.matches, side)["row"]
    everything = _of_side(result.unmatched, side)
    unmatched = everything.filter(everything["in_scope"])
    outside = everything.filter(pc.invert(everything["in_scope"]))
    reasons = pc.cast(unmatched["reason"], pa.string()).to_pylist()
    by_reason = table.take(unmatched["row"]).append_column("reason", pa.array(reasons, pa.string()))
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
        "unmatched_by_reason": dict(sorted(Counter(reasons).items())),
        "unmatched_amount_by_reason": {
            code: _totals(by_reason.filter(pc.equal(by_reason["reason"], code)))
            for code in sorted(set(reasons))},
        "not_in_this_flow": outside.num_rows,
        "not_in_this_flow_by_reason": dict(sorted(Counter(
            pc.cast(outside["reason"], pa.string()).to_pylist()).items())),
        "duplicates_dropped": imported.duplicates.num_rows,
        "row_errors": len(imported.errors),
    }


def fees_by_type(entries: pa.Table) -> list[dict[str, Any]]:
    """Fee entries grouped by their source category (佣金, 技术服务费…), per currency, largest first."""
    fees = entries.filter(pc.equal(entries["kind"], str(Kind.FEE)))
    if fees.num_rows == 0:
        return []
    keyed = fees.select(["category", "currency", "amount_minor"]).set_column(
        0, "category", pc.fill_null(fees["category"], ""))
    grouped = keyed.group_by(["category", "currency"]).aggregate(
        [("amount_minor", "sum"), ("amount_minor", "count")]).to_pylist()
    grouped.sort(key=lambda g: (g["currency"], g["amount_minor_sum"], g["category"]))
    return [{"category": g["category"], "currency": g["currency"], "count": g["amount_minor_count"],
             "amount": format_minor(g["amount_minor_sum"], g["currency"])} for g in grouped]


def _refunds(entries: pa.Table) -> dict[str, Any]:
    kinds = pa.array([str(Kind.REFUND), str(Kind.ORDER_REFUND)])
    refunds = entries.filter(pc.is_in(entries["kind"], value_set=kinds))
    return {"count": refunds.num_rows, "total": _totals(refunds)}


def collections(result: MatchResult) -> dict[str, Any] | None:
    """The 回款 line of an orders ↔ settlement run, per currency (definitions in docs/RESULTS.md):
    ordered (paid orders in scope), settled net of fees and refunds (right records in a match),
    and outstanding (paid orders no rule matched). None when the left side holds no orders."""
    left = result.left.select(["kind", "status", "ts", "amount_minor", "currency"])
    right = result.right.select(["kind", "amount_minor", "currency"])
    is_order = pc.equal(left["kind"], str(Kind.ORDER)).to_numpy(zero_copy_only=False)
    unpaid = pc.fill_null(pc.is_in(left["status"], value_set=_NOT_PAID), False).to_numpy(zero_copy_only=False)
    paid_in_scope = _in_scope_mask(result, "left") & is_order & ~unpaid
    orders = left.filter(pa.array(paid_in_scope))
    if orders.num_rows == 0:
        return None
    matched = _marked(left.num_rows, _of_side(result.matches, "left")["row"])
    outstanding = left.filter(pa.array(paid_in_scope & ~matched))
    settled = right.take(_of_side(result.matches, "right")["row"])
    line: dict[str, Any] = {"ordered": _totals(orders), "orders": orders.num_rows,
                            "settled_net": _totals(settled)}
    for name, kinds in _SETTLED_PARTS.items():
        chosen = pc.is_in(settled["kind"], value_set=pa.array([str(k) for k in kinds]))
        line[name] = _totals(settled.filter(chosen))
    known = pa.array([str(k) for kinds in _SETTLED_PARTS.values() for k in kinds])
    line["other"] = _totals(settled.filter(pc.invert(pc.is_in(settled["kind"], value_set=known))))
    line["outstanding"] = _totals(outstanding)
    line["outstanding_orders"] = outstanding.num_rows
    days = pc.min_max(orders["ts"]).as_py()
    line["period"] = [d.astimezone(SHANGHAI).date().isoformat() if d else None
                      for d in (days["min"], days["max"])]
    return line


def build_summary(result: MatchResult, left: SideImport, right: SideImport, *, backend: str,
                  elapsed: float) -> dict[str, Any]:
    """Everything summary.json holds (and the terminal prints) about one run."""
    # counted by Arrow: a Python dict per match group cost a second at 200 000 orders
    groups = result.matches.group_by(["match_id", "rule", "status"]).aggregate([])
    counts = groups.group_by(["rule", "status"]).aggregate([("match_id", "count")]).to_pylist()
    by_rule: dict[str, dict[str, int]] = {r.name: {"auto": 0, "suggested": 0}
                                          for r in result.template.rules}
    by_status: Counter[str] = Counter()
    for c in counts:
        by_rule[c["rule"]][c["status"]] += c["match_id_count"]
        by_status[c["status"]] += c["match_id_count"]
    reasons = result.differences.group_by("reason").aggregate([("reason", "count")]).to_pylist()
    needed = ["kind", "category", "currency", "amount_minor"]
    left_scope, right_scope = in_scope(result, "left", needed), in_scope(result, "right", needed)
    return {
        "huikuan_version": __version__,
        "template": result.template.name,
        "backend": backend,
        "left": _side_summary(result, "left", left),
        "right": _side_summary(result, "right", right),
        "matches": {"groups": groups.num_rows, "auto": by_status.get("auto", 0),
                    "suggested": by_status.get("suggested", 0), "by_rule": by_rule},
        "differences": {"count": result.differences.num_rows,
                        "by_reason": dict(sorted((r["reason"], r["reason_count"]) for r in reasons))},
        "fees_by_type": fees_by_type(pa.concat_tables([left_scope, right_scope])),
        "refunds": {"left": _refunds(left_scope), "right": _refunds(right_scope)},
        "collections": collections(result),
        "duplicates_dropped": {"left": left.duplicates.num_rows, "right": right.duplicates.num_rows},
        "row_errors": [e.as_dict() for e in (*left.errors, *right.errors)],
        "warnings": list(result.warnings),
        "elapsed_seconds": round(elapsed, 3),
        "timings": result.timings,
    }
