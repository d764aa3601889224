"""Peak memory of one implementation in a process of its own: reads the prepared data (only the
columns it needs) from Parquet, runs once, prints the peak resident set size in bytes.

    python bench/memory_probe.py IMPLEMENTATION DATA_DIR
"""

from __future__ import annotations

import sys
from pathlib import Path

import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).parent))

from huikuan.engine import load_template, reconcile
from huikuan.engine.sql import input_columns

from baselines import duckdb_sql, pandas_frames, pandas_logic, polars_frames, polars_logic
from measure import measure

KEY_COLUMNS = ["order_ref", "kind", "amount_minor"]


def run(implementation: str, folder: Path) -> None:
    template = load_template("orders-settlement")
    # each implementation reads what it needs: huikuan the columns its template names, plus ts
    engine_columns = list(input_columns(template))
    columns = engine_columns if implementation == "huikuan" else KEY_COLUMNS
    left = pq.read_table(folder / "left.parquet", columns=columns)
    right = pq.read_table(folder / "right.parquet", columns=columns)
    if implementation == "huikuan":
        reconcile(left, right, template)
    elif implementation == "duckdb":
        duckdb_sql(left, right)
    elif implementation == "pandas":
        frames = pandas_frames(left, right)
        del left, right
        pandas_logic(*frames)
    elif implementation == "polars":
        frames = polars_frames(left, right)
        del left, right
        polars_logic(*frames)
    else:
        raise SystemExit(f"unknown implementation {implementation}")


if __name__ == "__main__":
    # sampled, not getrusage: a forked child inherits its parent's high-water mark
    print(measure(lambda: run(sys.argv[1], Path(sys.argv[2]))).peak_rss)
