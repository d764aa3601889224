"""entries.parquet: every canonical entry of both sides with what the run decided about it, so a
report or the web app builds on a result without reading the exports again (docs/RESULTS.md)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from huikuan.domain.entry import ENTRY_SCHEMA
from huikuan.engine import MatchResult
from huikuan.importers.registry import SideImport
from huikuan.results.tables import match_label

ENTRIES_PARQUET = "entries.parquet"

#: The columns after ENTRY_SCHEMA's, in order.
DECISION_SCHEMA = pa.schema([
    pa.field("side", pa.string(), nullable=False),
    pa.field("match_id", pa.string()),       # M000001, null when unmatched
    pa.field("match_status", pa.string()),   # auto / suggested, null when unmatched
    pa.field("rule", pa.string()),           # null when unmatched
    pa.field("reason", pa.string()),         # unmatched reason or duplicate, null when matched
    pa.field("in_scope", pa.bool_(), nullable=False),  # took part in this template's matching
])
SCHEMA = pa.schema([*ENTRY_SCHEMA, *DECISION_SCHEMA])


def _scatter(size: int, rows: np.ndarray, values: pa.Array) -> pa.Array:
    """An array of ``size`` nulls with ``values`` placed at ``rows``."""
    if size == 0:
        return pa.nulls(0, values.type)
    index = np.full(size, -1, dtype=np.int64)
    index[rows] = np.arange(len(rows), dtype=np.int64)
    return pc.take(values, pa.array(index, mask=index < 0))


def _side_decisions(result: MatchResult, side: str) -> pa.Table:
    table = result.left if side == "left" else result.right
    n = table.num_rows
    m = result.matches.filter(pc.equal(pc.cast(result.matches["side"], pa.string()), side))
    u = result.unmatched.filter(pc.equal(pc.cast(result.unmatched["side"], pa.string()), side))
    m_rows = m["row"].to_numpy()
    u_rows = u["row"].to_numpy()
    in_scope = np.ones(n, dtype=bool)
    in_scope[u_rows] = u["in_scope"].to_numpy(zero_copy_only=False)
    decisions = pa.table({
        "side": pa.array([side] * n, pa.string()),
        "match_id": _scatter(n, m_rows, match_label(m["match_id"])),
        "match_status": _scatter(n, m_rows, pc.cast(m["status"], pa.string()).combine_chunks()),
        "rule": _scatter(n, m_rows, pc.cast(m["rule"], pa.string()).combine_chunks()),
        "reason": _scatter(n, u_rows, pc.cast(u["reason"], pa.string()).combine_chunks()),
        "in_scope": pa.array(in_scope),
    }, schema=DECISION_SCHEMA)
    return _joined(table, decisions)


def _duplicates(duplicates: pa.Table, side: str) -> pa.Table:
    n = duplicates.num_rows
    decisions = pa.table({
        "side": pa.array([side] * n, pa.string()), "match_id": pa.nulls(n, pa.string()),
        "match_status": pa.nulls(n, pa.string()), "rule": pa.nulls(n, pa.string()),
        "reason": pa.array(["duplicate"] * n, pa.string()), "in_scope": pa.array([False] * n),
    }, schema=DECISION_SCHEMA)
    return _joined(duplicates, decisions)


def _joined(entries: pa.Table, decisions: pa.Table) -> pa.Table:
    columns = [entries[f.name].cast(f.type) for f in ENTRY_SCHEMA] + list(decisions.columns)
    return pa.Table.from_arrays(columns, schema=SCHEMA)


def entries_table(result: MatchResult, left: SideImport, right: SideImport) -> pa.Table:
    """Left entries, left duplicates, right entries, right duplicates, each in input order."""
    return pa.concat_tables([
        _side_decisions(result, "left"), _duplicates(left.duplicates, "left"),
        _side_decisions(result, "right"), _duplicates(right.duplicates, "right"),
    ])


def write_entries(result: MatchResult, left: SideImport, right: SideImport, folder: Path) -> None:
    """entries.parquet into ``folder`` (money as int64 minor units, as everywhere)."""
    pq.write_table(entries_table(result, left, right), folder / ENTRIES_PARQUET, compression="zstd")
