"""Build canonical entry tables for engine tests in a few readable lines."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pyarrow as pa

from huikuan.domain.dates import SHANGHAI
from huikuan.domain.entry import ENTRY_SCHEMA

BASE = datetime(2023, 11, 1, 9, 0, tzinfo=SHANGHAI)


def day(n: float) -> datetime:
    """Day ``n`` of the test month (day 1 = 2023-11-01 09:00 Shanghai)."""
    return BASE + timedelta(days=n - 1)


def entries(*rows: dict[str, Any], file: str = "test.csv", source: str = "test") -> pa.Table:
    """Rows need ``record_id``, ``kind``, ``amount`` (minor units) and ``day``; the rest is optional
    (``line`` defaults to the row's position: give two rows the same line to split one source row;
    ``ts`` replaces ``day`` with an exact datetime; ``balance`` is the bill's running balance)."""
    out = []
    for line, row in enumerate(rows, start=2):
        out.append({
            "source": source, "file": row.get("file", file), "line": row.get("line", line),
            "record_id": row["record_id"], "kind": row["kind"], "order_ref": row.get("order_ref"),
            "amount_minor": row["amount"], "currency": row.get("currency", "CNY"),
            "ts": row["ts"] if "ts" in row else day(row["day"]) if row.get("day") is not None else None,
            "counterparty": row.get("counterparty"), "batch_ref": row.get("batch_ref"),
            "text": row.get("text"), "status": row.get("status"), "category": row.get("category"),
            "account": row.get("account"),
            "dedupe_key": f"{source}|{row['record_id']}", "raw": str(row),
            "balance_minor": row.get("balance"),
        })
    return pa.Table.from_pylist(out, schema=ENTRY_SCHEMA)


def order(no: str, amount: int, day_: float, status: str = "completed", **extra: Any) -> dict[str, Any]:
    return {"record_id": no, "kind": "order", "order_ref": no, "amount": amount, "day": day_,
            "status": status, **extra}


def line(record_id: str, kind: str, amount: int, day_: float | None, **extra: Any) -> dict[str, Any]:
    return {"record_id": record_id, "kind": kind, "amount": amount, "day": day_, **extra}


def at(text: str) -> datetime:
    """``"2024-09-30 15:00"`` (or a date alone, which a date-only statement gives as midnight)
    in Shanghai time."""
    stamp = datetime.fromisoformat(text)
    return stamp.replace(tzinfo=SHANGHAI)
