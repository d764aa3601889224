"""The SQL side of decisions: find the records they touch, and lay what changed over a run's
entries in one DuckDB join, so that reading the effective state costs one scan of the entries
however large the run (the overlay holds only the records decisions touched)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

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
    local (Asia/Shanghai) date: all a replay needs to know. Two hash joins against small build
    sides (the keys, then their match ids), so a million entries cost two column scans."""
    wanted = pa.Table.from_pylist([dict(zip(_KEY, k, strict=True)) for k in keys],
                                  schema=pa.schema([OVERLAY_SCHEMA.field(n) for n in _KEY]))
    if wanted.num_rows == 0:
        return []
    con.register("decision_keys", wanted)
    columns = ("file, record_id, side, match_id, match_status, rule, reason, amount_minor, currency, "
               "CAST(timezone('Asia/Shanghai', ts) AS DATE) AS day")
    named = con.sql(f"SELECT {columns} FROM {source} e "
                        "SEMI JOIN decision_keys k USING (file, record_id, side)").to_arrow_table()
    con.unregister("decision_keys")
    groups = pa.table({"match_id": pc.unique(named["match_id"].drop_null())})
    rows: list[dict[str, Any]] = named.to_pylist()
    if groups.num_rows:
        con.register("decision_groups", groups)
        members = con.sql(f"SELECT {columns} FROM {source} e "
                          "SEMI JOIN decision_groups g USING (match_id)").to_arrow_table()
        con.unregister("decision_groups")
        seen = {(r["file"], r["record_id"], r["side"]) for r in rows}
        rows += [r for r in members.to_pylist() if (r["file"], r["record_id"], r["side"]) not in seen]
    return rows


def entries_relation(path: Path) -> str:
    """``path``'s entries.parquet as a DuckDB relation with every column of today's schema: a
    result written before a column existed (``balance_minor``) reads it as null, so the pages and
    the decisions open old runs too. Only the file's footer is read to find out."""
    have = set(pq.read_schema(path).names)
    read = "read_parquet('" + str(path).replace("'", "''") + "')"
    missing = [f for f in SCHEMA if f.name not in have]
    if not missing:
        return read
    nulls = ", ".join(f'CAST(NULL AS {_SQL_TYPES[str(f.type)]}) AS "{f.name}"' for f in missing)
    return f"(SELECT *, {nulls} FROM {read})"


#: the DuckDB type of an entry column that may be missing from an older file
_SQL_TYPES = {"int64": "BIGINT", "string": "VARCHAR", "bool": "BOOLEAN",
              "timestamp[us, tz=UTC]": "TIMESTAMPTZ"}


def plain_sql(source: str) -> str:
    """``source``'s entries in the effective table's shape when no decision touches them."""
    appended = ", ".join(f'CAST(NULL AS {"BIGINT" if n == "written_off_minor" else "VARCHAR"}) AS "{n}"'
                         for n in APPENDED.names)
    columns = ", ".join(f'e."{n}"' for n in SCHEMA.names)
    return f"SELECT {columns}, {appended} FROM {source} e"


def effective_sql(source: str, overlay: str) -> str:
    """A SELECT of ``source``'s entries with ``overlay``'s changes laid over them, in the
    effective table's column order, for paging and counting in SQL. The untouched entries are
    read as they are (an anti-join against the small overlay) and the few touched ones joined
    with their changes, so filters push down into the scan and no wide join is built."""
    changed = ", ".join(f'o."{n}"' if n in _REPLACED else f'e."{n}"' for n in SCHEMA.names) + ", " + \
        ", ".join(f'o."{n}"' for n in APPENDED.names)
    return (f"{plain_sql(source)} ANTI JOIN {overlay} o USING (file, record_id, side) "
            f"UNION ALL SELECT {changed} FROM {source} e JOIN {overlay} o USING (file, record_id, side)")


def effective_table(con: duckdb.DuckDBPyConnection, entries: pa.Table, overlay: pa.Table) -> pa.Table:
    """The effective entries as an Arrow table in ``entries``' order, built column by column:
    DuckDB finds the row of each touched record, Arrow puts the overlay's values there."""
    n = entries.num_rows
    keys = entries.select(list(_KEY)).append_column("entry_row", pa.array(np.arange(n, dtype=np.int64)))
    con.register("entry_keys", keys)
    con.register("decision_overlay", overlay)
    placed = con.sql("SELECT k.entry_row, o.* FROM entry_keys k JOIN decision_overlay o "
                         "USING (file, record_id, side)").to_arrow_table()
    con.unregister("entry_keys")
    con.unregister("decision_overlay")
    rows = placed["entry_row"].to_numpy()
    index = np.full(n, -1, dtype=np.int64)
    index[rows] = np.arange(len(rows), dtype=np.int64)
    where = pa.array(index, mask=index < 0)
    touched = pa.array(index >= 0)
    columns = []
    for field in EFFECTIVE_SCHEMA:
        if field.name in APPENDED.names:
            columns.append(pc.take(placed[field.name].cast(field.type), where))
        elif field.name in _REPLACED:
            columns.append(pc.if_else(touched, pc.take(placed[field.name].cast(field.type), where),
                                      entries[field.name]))
        else:
            columns.append(entries[field.name])
    return pa.Table.from_arrays(columns, schema=EFFECTIVE_SCHEMA)
