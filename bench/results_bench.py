"""Result-file benchmark: how long result.xlsx takes against the same rows as CSV by pyarrow.

    python bench/results_bench.py [--orders 360000] [--seed 7] [--no-xlsxwriter]

Prepares canonical entries (bench/prepared.py), reconciles them with ``orders-settlement`` once,
then writes, one after the other in this process, the three CSV files (pyarrow, the baseline),
entries.parquet, result.xlsx by huikuan's streaming writer and, for comparison, the same workbook
by xlsxwriter in constant-memory mode (bench/xlsxwriter_baseline.py, the writer huikuan used
before; minutes at a million rows, hence ``--no-xlsxwriter``). Prints rows written, seconds, rows
per second, the ratio to the CSV files and peak RSS of this process. 360,000 orders give about a
million rows of matches.csv.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from huikuan.engine import load_template, reconcile
from huikuan.importers import SideImport
from huikuan.results.csv_files import write_csv_files
from huikuan.results.entries import write_entries
from huikuan.results.summary import build_summary
from huikuan.results.tables import build_tables
from huikuan.results.workbook import write_workbook

from measure import gib, measure, print_table
from prepared import prepare


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=360_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-xlsxwriter", action="store_true", help="skip the (slow) xlsxwriter baseline")
    args = parser.parse_args()
    data = prepare(args.orders, seed=args.seed)
    result = reconcile(data.left, data.right, load_template("orders-settlement"))
    left = SideImport([], data.left, data.left.slice(0, 0))
    right = SideImport([], data.right, data.right.slice(0, 0))
    tables = build_tables(result, left, right)
    summary = build_summary(result, left, right, backend="duckdb", elapsed=0.0)
    rows = tables.matches.num_rows + tables.unmatched.num_rows + tables.differences.num_rows
    entries = data.left.num_rows + data.right.num_rows
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        runs = [
            ("CSV files, pyarrow (baseline)", rows, measure(lambda: write_csv_files(tables, out))),
            ("entries.parquet, pyarrow", entries, measure(lambda: write_entries(result, left, right, out))),
            ("result.xlsx, huikuan.results.xlsx", rows,
             measure(lambda: write_workbook(tables, summary, out, "zh"))),
        ]
        if not args.no_xlsxwriter:
            import xlsxwriter_baseline
            runs.append(("result.xlsx, xlsxwriter constant_memory", rows,
                         measure(lambda: xlsxwriter_baseline.write_workbook(tables, summary, out, "zh"))))
        sizes = {p.name: p.stat().st_size for p in out.iterdir()}
    baseline = runs[0][2].seconds
    table = [[name, f"{n:,}", f"{m.seconds:.2f}", f"{n / m.seconds:,.0f}", f"{m.seconds / baseline:.1f}×",
              gib(m.peak_rss)] for name, n, m in runs]
    print_table(f"{args.orders:,} orders → {tables.matches.num_rows:,} match rows, "
                f"{tables.unmatched.num_rows:,} unmatched, {tables.differences.num_rows:,} differences "
                f"({platform.python_version()}, load average {os.getloadavg()[0]:.1f})",
                ["writer", "rows", "seconds", "rows/s", "vs CSV", "peak RSS GiB"], table)
    print("file sizes: " + ", ".join(f"{name} {size / 2**20:.1f} MiB"
                                     for name, size in sorted(sizes.items())))


if __name__ == "__main__":
    main()
