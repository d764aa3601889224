"""The SQL side of decisions: find the records they touch, and lay what changed over a run's
entries in one DuckDB join, so that reading the effective state costs one scan of the entries
however large the run (the overlay holds only the records decisions touched)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa

from huikuan.results.entries import SCHEMA

#: (file name, record_id, side): how entries.parquet names a record
Key = tuple[str, str, str]

#: what a decision may change about a record, plus the record's key
OVERLAY_SCHEMA = pa.schema([
    pa.field("file", pa.string()), pa.field("record_id", pa.string()), pa.field("side", pa.string()),
    pa.field("match_id", pa.string()), pa.field("match_status", pa.string()),
    pa.field("rule", pa.string()), pa.field("reason", pa.string()),
    pa.field("decision_id", pa.string()), pa.field("written_off_minor", pa.int64()),
    pa.field("note", pa.string()),
])
#: the columns appended to entries.parquet's in the effective table, in order
APPENDED = pa.schema([OVERLAY_SCHEMA.field(n) for n in ("decision_id", "written_off_minor", "note")])
EFFECTIVE_SCHEMA = pa.schema([*SCHEMA, *APPENDED])
#: the columns a decision may replace
_REPLACED = ("match_id", "match_status", "rule", "reason")
_KEY = ("file", "record_id", "side")


def fetch_touched(con: duckdb.DuckDBPyConnection, source: str, keys: Iterable[Key]) -> list[dict[str, Any]]:
    """The records named by ``keys`` and every other member of their match groups, with their
    local (Asia/Shanghai) date: all a replay needs to know, in one semi-join over ``source``."""
    wanted = pa.Table.from_pylist([dict(zip(_KEY, k, strict=True)) for k in keys],
                                  schema=pa.schema([OVERLAY_SCHEMA.field(n) for n in _KEY]))
    if wanted.num_rows == 0:
        return []
    con.register("decision_keys", wanted)
    cursor = con.execute(f"""
        WITH named AS (
            SELECT e.* FROM {source} e SEMI JOIN decision_keys k USING (file, record_id, side)),
        groups AS (SELECT DISTINCT match_id FROM named WHERE match_id IS NOT NULL)
        SELECT file, record_id, side, match_id, match_status, rule, reason, amount_minor, currency,
               CAST(timezone('Asia/Shanghai', ts) AS DATE) AS day
        FROM {source}
        WHERE (file, record_id, side) IN (SELECT (file, record_id, side) FROM named)
           OR match_id IN (SELECT match_id FROM groups)""")
    names = [d[0] for d in cursor.description]
    rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    con.unregister("decision_keys")
    return rows


def effective_sql(source: str, overlay: str, keep: tuple[str, ...] = ()) -> str:
    """A SELECT of ``source``'s entries with ``overlay``'s changes laid over them, in the
    effective table's column order. A record in the overlay takes all four state columns from
    it (a null there means "now unmatched", not "unchanged")."""
    columns = []
    for name in SCHEMA.names:
        if name in _REPLACED:
            columns.append(f'CASE WHEN o.file IS NULL THEN e."{name}" ELSE o."{name}" END AS "{name}"')
        else:
            columns.append(f'e."{name}"')
    columns += [f'o."{n}"' for n in APPENDED.names] + [f'e."{n}"' for n in keep]
    return (f"SELECT {', '.join(columns)} FROM {source} e "
            f"LEFT JOIN {overlay} o ON e.file = o.file AND e.record_id = o.record_id AND e.side = o.side")


def effective_table(con: duckdb.DuckDBPyConnection, entries: pa.Table, overlay: pa.Table) -> pa.Table:
    """The effective entries as an Arrow table, rows in ``entries``' order (a join does not
    keep order, so the rows are numbered first and sorted back)."""
    numbered = entries.append_column("entry_row", pa.array(np.arange(entries.num_rows)))
    con.register("numbered_entries", numbered)
    con.register("decision_overlay", overlay)
    query = effective_sql("numbered_entries", "decision_overlay", keep=("entry_row",))
    table = con.sql(f"SELECT * EXCLUDE (entry_row) FROM ({query}) ORDER BY entry_row").to_arrow_table()
    con.unregister("decision_overlay")
    con.unregister("numbered_entries")
    return table.cast(EFFECTIVE_SCHEMA)
