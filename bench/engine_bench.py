"""Engine benchmark: huikuan's orders-settlement template against the same key logic written as
one DuckDB SQL statement, in pandas and in polars, on the same prepared data, in one process.

    python bench/engine_bench.py [--sizes 100000 1000000 10000000] [--seed 7]

Prints, per size, seconds and the ratio to the bare DuckDB join (all run in this process, one
after the other, on the same Arrow tables), peak RSS in this process (which holds the whole
prepared data set) and in a process of its own that reads only the columns the implementation
needs, and huikuan's precision and recall (auto matches) against the generator's answer key.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).parent))

from huikuan.engine import MatchResult, load_template, reconcile

from baselines import duckdb_sql, pandas_frames, pandas_logic, polars_frames, polars_logic
from measure import gib, measure, print_table
from prepared import Prepared, prepare


def score(result: MatchResult, data: Prepared) -> tuple[float, float]:
    """Precision and recall of auto matches, counted in (left record, right record) pairs."""
    con = duckdb.connect()
    n_left, n_right = len(data.left_group), len(data.right_group)
    truth = pa.table({"side": ["left"] * n_left + ["right"] * n_right,
                      "row": np.concatenate([np.arange(n_left), np.arange(n_right)]),
                      "grp": np.concatenate([data.left_group, data.right_group])})
    con.register("truth", truth)
    con.register("matches", result.matches)
    found = con.sql("""
        WITH m AS (SELECT m.match_id, m.side, t.grp FROM matches m JOIN truth t USING (side, row)
                   WHERE m.status = 'auto'),
             per AS (SELECT match_id, grp, count(*) FILTER (side = 'left') AS nl,
                            count(*) FILTER (side = 'right') AS nr FROM m GROUP BY match_id, grp),
             tot AS (SELECT match_id, sum(nl) AS nl, sum(nr) AS nr FROM per GROUP BY match_id)
        SELECT (SELECT sum(nl * nr) FROM tot) AS pairs,
               (SELECT sum(nl * nr) FROM per WHERE grp >= 0) AS correct""").fetchall()[0]
    expected = con.sql("""SELECT sum(nl * nr) FROM (SELECT grp, count(*) FILTER (side = 'left') AS nl,
                          count(*) FILTER (side = 'right') AS nr FROM truth WHERE grp >= 0 GROUP BY grp)
                       """).fetchall()[0][0]
    con.close()
    pairs, correct = int(found[0] or 0), int(found[1] or 0)
    return (correct / pairs if pairs else 1.0), (correct / expected if expected else 1.0)


def peak_alone(implementation: str, data: Prepared, folder: Path) -> int:
    """Peak RSS of ``implementation`` in a process of its own, reading only what it needs."""
    if not (folder / "right.parquet").exists():
        folder.mkdir(parents=True, exist_ok=True)
        pq.write_table(data.left, folder / "left.parquet")
        pq.write_table(data.right, folder / "right.parquet")
    probe = Path(__file__).with_name("memory_probe.py")
    done = subprocess.run([sys.executable, str(probe), implementation, str(folder)],
                          capture_output=True, text=True, check=True)
    return int(done.stdout.split()[-1])


def run(size: int, seed: int, scratch: Path) -> list[list[str]]:
    data = prepare(size, seed=seed)
    template = load_template("orders-settlement")
    rows = []
    base = measure(lambda: duckdb_sql(data.left, data.right))
    hk = measure(lambda: reconcile(data.left, data.right, template))
    precision, recall = score(hk.value, data)
    first_rule = hk.value.timings.get("rule order-number", 0.0)
    pd_frames = pandas_frames(data.left, data.right)
    pd_run = measure(lambda f=pd_frames: pandas_logic(*f))
    del pd_frames
    gc.collect()
    pl_frames = polars_frames(data.left, data.right)
    pl_run = measure(lambda f=pl_frames: polars_logic(*f))
    del pl_frames
    label = f"{size:,} orders / {data.right.num_rows:,} lines"
    folder = scratch / str(size)
    for name, probe, m, extra in (
        ("bare DuckDB SQL (baseline)", "duckdb", base, ""),
        ("huikuan orders-settlement (DuckDB)", "huikuan", hk,
         f"P {precision:.4%} R {recall:.4%}; key rule {first_rule:.2f}s = "
         f"{first_rule / base.seconds:.2f}×"),
        ("pandas", "pandas", pd_run, ""),
        ("polars", "polars", pl_run, ""),
    ):
        rows.append([label, name, f"{m.seconds:.2f}", f"{m.seconds / base.seconds:.2f}×",
                     gib(m.peak_rss), gib(peak_alone(probe, data, folder)), extra])
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", nargs="+", type=int, default=[100_000, 1_000_000, 10_000_000])
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    print(f"# engine benchmark — {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, DuckDB {duckdb.__version__}\n")
    rows: list[list[str]] = []
    with tempfile.TemporaryDirectory() as scratch:
        for size in args.sizes:
            rows += run(size, args.seed, Path(scratch))
            print_table("engine: orders-settlement on prepared data",
                        ["data", "implementation", "seconds", "vs baseline", "peak RSS GiB (shared)",
                         "peak RSS GiB (alone)", "notes"], rows)


if __name__ == "__main__":
    main()
