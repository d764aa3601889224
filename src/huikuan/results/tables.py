"""A reconciliation as typed tables, one per result file, before any formatting.

The engine gives rows by index (side, row); these tables carry each record's own columns
(file, id, amount in minor units, local date, kind, counterparty, memo) so that the CSV and the
workbook writers only format. Amounts stay integers here; dates are days since 1970-01-01 in
Asia/Shanghai.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from huikuan.engine import MatchResult
from huikuan.importers.registry import SideImport

#: China keeps UTC+8 all year (domain.dates.SHANGHAI): a local date is a fixed shift away
_SHANGHAI_OFFSET_US = 8 * 3600 * 1_000_000
_DAY_US = 86_400 * 1_000_000
_RECORD_COLUMNS = ("file", "record_id", "amount_minor", "currency", "ts", "kind", "counterparty", "text")


def match_label(ids: pa.Array | pa.ChunkedArray) -> pa.Array:
    """1 → ``M000001`` (six digits at least, so that the ids sort in a spreadsheet)."""
    return pc.binary_join_element_wise("M", pc.utf8_lpad(pc.cast(ids, pa.string()), 6, "0"), "")


def local_days(ts: pa.Array | pa.ChunkedArray) -> pa.Array:
    """Each timestamp's calendar day in Asia/Shanghai, as days since 1970-01-01 (null stays null)."""
    micros = pc.cast(ts, pa.int64())
    if isinstance(micros, pa.ChunkedArray):
        micros = micros.combine_chunks()
    values = np.floor_divide(micros.fill_null(0).to_numpy() + _SHANGHAI_OFFSET_US, _DAY_US)
    return pa.array(values.astype(np.int32), mask=micros.is_null().to_numpy(zero_copy_only=False))


@dataclass
class ResultTables:
    """The rows of matches, unmatched (with duplicates) and differences, typed."""

    matches: pa.Table
    unmatched: pa.Table
    differences: pa.Table


def _record_columns(table: pa.Table) -> dict[str, pa.Array | pa.ChunkedArray]:
    return {
        "file": table["file"], "record_id": table["record_id"], "amount_minor": table["amount_minor"],
        "currency": table["currency"], "date": local_days(table["ts"]), "kind": table["kind"],
        "counterparty": table["counterparty"], "memo": table["text"],
    }


def _records(result: MatchResult, sides: pa.Array | pa.ChunkedArray,
             rows: pa.Array | pa.ChunkedArray) -> dict[str, pa.Array | pa.ChunkedArray]:
    """The record columns of each (side, row) of the engine's output, in that order."""
    both = pa.concat_tables([result.left.select(_RECORD_COLUMNS), result.right.select(_RECORD_COLUMNS)])
    index = pc.if_else(pc.equal(pc.cast(sides, pa.string()), "left"), rows,
                       pc.add(rows, result.left.num_rows))
    return _record_columns(both.take(index))


def build_tables(result: MatchResult, left: SideImport, right: SideImport) -> ResultTables:
    """Matches, unmatched records (every duplicate dropped at import last, reason ``duplicate``)
    and differences, with the columns of each record."""
    m = result.matches
    matches = pa.table({
        "match_id": match_label(m["match_id"]), "side": pc.cast(m["side"], pa.string()),
        **_records(result, m["side"], m["row"]),
        "rule": pc.cast(m["rule"], pa.string()), "status": pc.cast(m["status"], pa.string()),
    })
    u = result.unmatched
    parts = [pa.table({
        "side": pc.cast(u["side"], pa.string()), **_records(result, u["side"], u["row"]),
        "reason": pc.cast(u["reason"], pa.string()), "in_scope": u["in_scope"],
    })]
    for side, imported in (("left", left), ("right", right)):
        dup = imported.duplicates
        if dup.num_rows:
            parts.append(pa.table({
                "side": pa.array([side] * dup.num_rows, pa.string()), **_record_columns(dup),
                "reason": pa.array(["duplicate"] * dup.num_rows, pa.string()),
                "in_scope": pa.array([False] * dup.num_rows, pa.bool_()),
            }))
    unmatched = pa.concat_tables(parts, promote_options="permissive")
    d = result.differences
    differences = pa.table({
        "match_id": match_label(d["match_id"]), "rule": d["rule"], "status": d["status"],
        "check": d["check"], "left_minor": d["left_minor"], "right_minor": d["right_minor"],
        "difference_minor": d["difference_minor"], "currency": d["currency"], "reason": d["reason"],
    })
    return ResultTables(matches, unmatched, differences)
