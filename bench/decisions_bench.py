"""Decisions on a large run: replaying them and reading workbench pages over the effective state.

    python bench/decisions_bench.py [--entries 1000000] [--decisions 2000]

Builds an entries.parquet of ``--entries`` rows (half orders, half payments; 90 % matched auto in
pairs, 2 % suggested pairs, the rest unmatched) with NumPy, then times: the replay of
``--decisions`` decisions (a third confirms, a third manual matches of unmatched pairs, a third
notes), ``apply_decisions`` over the whole table, and one workbench page per tab with the overlay.
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
import time
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from huikuan.results.decisions import Decision, DecisionKind, RecordRef, apply_decisions, replay
from huikuan.results.entries import SCHEMA
from huikuan.web import workbench

FILES = {"hash-orders": "orders.csv", "hash-bill": "bill.csv"}


def entries(n: int) -> pa.Table:
    pairs = n // 2
    rng = np.random.default_rng(7)
    status = np.where(np.arange(pairs) < pairs * 0.9, "auto",
                      np.where(np.arange(pairs) < pairs * 0.92, "suggested", ""))
    match = np.char.add("M", np.char.zfill(np.arange(1, pairs + 1).astype(str), 7))
    amount = rng.integers(100, 100_000, pairs)
    ts = pa.array(np.datetime64("2023-11-01") + rng.integers(0, 30 * 86400, pairs).astype("timedelta64[s]"),
                  pa.timestamp("us", tz="UTC"))
    columns = []
    for side, file, prefix in (("left", "orders.csv", "O"), ("right", "bill.csv", "P")):
        ids = np.char.add(prefix, np.arange(pairs).astype(str))
        matched = status != ""
        columns.append(pa.table({
            "source": pa.array(["bench"] * pairs), "file": pa.array([file] * pairs),
            "line": pa.array(np.arange(2, pairs + 2)), "record_id": pa.array(ids),
            "kind": pa.array(["order" if side == "left" else "payment"] * pairs),
            "order_ref": pa.array(ids), "amount_minor": pa.array(amount),
            "currency": pa.array(["CNY"] * pairs),
            "ts": ts, "counterparty": pa.nulls(pairs, pa.string()), "batch_ref": pa.nulls(pairs, pa.string()),
            "text": pa.nulls(pairs, pa.string()), "status": pa.nulls(pairs, pa.string()),
            "category": pa.nulls(pairs, pa.string()), "account": pa.nulls(pairs, pa.string()),
            "dedupe_key": pa.array(ids), "raw": pa.array([""] * pairs), "side": pa.array([side] * pairs),
            "match_id": pa.array(np.where(matched, match, None)),
            "match_status": pa.array(np.where(matched, status, None)),
            "rule": pa.array(np.where(matched, "order-number", None)),
            "reason": pa.array(np.where(matched, None, "no_counterpart")),
            "in_scope": pa.array(np.ones(pairs, dtype=bool)),
        }).cast(SCHEMA))
    return pa.concat_tables(columns)


def decisions_for(n: int, count: int) -> list[Decision]:
    pairs = n // 2
    suggested = range(int(pairs * 0.9), int(pairs * 0.92))
    unmatched = range(int(pairs * 0.92), pairs)
    found = []
    for i in range(count):
        pick = [suggested, unmatched, unmatched][i % 3][i // 3]
        refs = (RecordRef("hash-orders", f"O{pick}", "left"), RecordRef("hash-bill", f"P{pick}", "right"))
        if i % 3 == 0:
            found.append(Decision(str(i), DecisionKind.CONFIRM, refs))
        elif i % 3 == 1:
            found.append(Decision(str(i), DecisionKind.MANUAL_MATCH, refs))
        else:
            found.append(Decision(str(i), DecisionKind.NOTE, refs[:1], note="bench"))
    return found


def seconds(work) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    clock = time.perf_counter()
    out = work()
    return time.perf_counter() - clock, out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--decisions", type=int, default=2000)
    args = parser.parse_args()
    table = entries(args.entries)
    decisions = decisions_for(args.entries, args.decisions)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        pq.write_table(table, folder / "entries.parquet")
        (folder / "differences.csv").write_text("match_id,rule,status,check,difference\n", "utf-8")
        source = "read_parquet('" + str(folder / "entries.parquet") + "')"
        with duckdb.connect() as con:
            took, done = seconds(lambda: replay(con, source, decisions, FILES))
        print(f"{table.num_rows:,} entries, {len(decisions):,} decisions")
        print(f"replay over entries.parquet: {took:.3f} s ({len(done.applied)} applied, "  # type: ignore[attr-defined]
              f"{len(done.refused)} refused)")  # type: ignore[attr-defined]
        took, effective = seconds(lambda: apply_decisions(table, decisions, FILES))
        print(f"apply_decisions, whole table: {took:.3f} s ({effective.num_rows:,} rows)")  # type: ignore[attr-defined]
        for label, overlay in (("no decisions", None), ("decisions", done.overlay)):  # type: ignore[attr-defined]
            took, _shown = seconds(lambda overlay=overlay: workbench.page(
                folder, "auto", workbench.Filters(), 1, overlay=overlay))
            print(f"page 1 of auto, {label}: {took * 1000:.0f} ms")
            took, _cards = seconds(lambda overlay=overlay: workbench.overview(folder, overlay))
            print(f"cards (overview), {label}: {took * 1000:.0f} ms")
        for tab in ("auto", "confirmed", "manual", "unmatched_left"):
            for number in (1, 200):
                took, shown = seconds(lambda tab=tab, number=number: workbench.page(
                    folder, tab, workbench.Filters(), number, overlay=done.overlay))  # type: ignore[attr-defined]
                print(f"workbench page {number} of {tab}: {took * 1000:.0f} ms ({shown.total:,} rows)")  # type: ignore[attr-defined]
        took, _counts = seconds(lambda: workbench.tab_counts(folder, done.overlay))  # type: ignore[attr-defined]
        print(f"tab counts: {took * 1000:.0f} ms")
        took, _cards = seconds(lambda: workbench.overview(folder, done.overlay))  # type: ignore[attr-defined]
        print(f"cards (overview): {took * 1000:.0f} ms")
    print(f"measured {dt.datetime.now(dt.UTC):%Y-%m-%d}")


if __name__ == "__main__":
    main()
