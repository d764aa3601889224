"""Hand-built result folders: the entries of a few orders and their bill lines, with what the
run decided about each (match, status, reason), written as a result's entries.parquet."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from huikuan.results.entries import DECISION_SCHEMA, SCHEMA
from tests.engine.entries import entries


def left(*rows: dict[str, Any], source: str = "taobao_orders") -> list[dict[str, Any]]:
    return [{**r, "side": "left", "source": source} for r in rows]


def right(*rows: dict[str, Any], source: str = "alipay_account") -> list[dict[str, Any]]:
    return [{**r, "side": "right", "source": source} for r in rows]


def write_result(folder: Path, rows: list[dict[str, Any]],
                 differences: list[dict[str, str]] | None = None) -> Path:
    """``rows`` as made by :func:`left`/:func:`right` over ``tests.engine.entries`` rows; a row's
    ``match`` (``M000001``), ``match_status`` (default auto) and ``reason`` are the decisions."""
    folder.mkdir(parents=True, exist_ok=True)
    parts = []
    for i, row in enumerate(rows):
        entry = entries({"line": i + 2, **row}, source=row["source"],
                        file=row.get("file", f"{row['side']}.csv"))
        match = row.get("match")
        decisions = pa.table({
            "side": [row["side"]], "match_id": [match],
            "match_status": [row.get("match_status", "auto") if match else None],
            "rule": ["test-rule" if match else None], "reason": [None if match else row.get("reason")],
            "in_scope": [row.get("in_scope", True)],
        }, schema=DECISION_SCHEMA)
        parts.append(pa.Table.from_arrays([*entry.columns, *decisions.columns], schema=SCHEMA))
    pq.write_table(pa.concat_tables(parts), folder / "entries.parquet")
    if differences is not None:
        names = ["match_id", "rule", "status", "check", "left_amount", "right_amount", "difference",
                 "currency", "reason", "reason_label"]
        with (folder / "differences.csv").open("w", encoding="utf-8-sig", newline="") as out:
            writer = csv.DictWriter(out, names)
            writer.writeheader()
            for d in differences:
                writer.writerow({n: d.get(n, "") for n in names})
    (folder / ".huikuan-result").write_text("")
    return folder
