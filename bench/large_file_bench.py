"""Large-file benchmark (issue 11 §4): one big Alipay 账务明细 export written by ``huikuan.synth``,
read by huikuan in a child process of its own so that its peak resident memory is exact
(``ru_maxrss`` of the child), not mixed with the generator's.

    python bench/large_file_bench.py [--rows 5700000] [--keep DIR]

Prints file size, rows, seconds, rows/s and peak RSS / file size (the goal: under 2×). About
5.7 million rows make the 1 GB export of the issue; the default is smaller so that a run on a
shared machine stays in minutes. Results are recorded by hand in bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

LINES_PER_ORDER = 1.77  # Alipay lines per order in the simulated shop (see import_bench.py)


def read_in_child(path: Path) -> dict[str, float]:
    """Import ``path`` in a fresh interpreter; its peak RSS, time and counts."""
    code = (
        "import json, resource, sys, time\n"
        "from huikuan.importers import import_file\n"
        "began = time.perf_counter()\n"
        "result = import_file(sys.argv[1])\n"
        "seconds = time.perf_counter() - began\n"
        "peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024\n"
        "print(json.dumps({'seconds': seconds, 'peak': peak, 'rows': result.rows_read,\n"
        "                  'entries': result.entries.num_rows, 'errors': len(result.errors),\n"
        "                  'table_bytes': result.entries.nbytes}))\n"
    )
    baseline = subprocess.run([sys.executable, "-c", "import huikuan.importers, resource;"
                               "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)"],
                              capture_output=True, text=True, check=True)
    done = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True,
                          check=True)
    found: dict[str, float] = json.loads(done.stdout)
    found["baseline"] = float(baseline.stdout)
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000, help="Alipay lines (about)")
    parser.add_argument("--keep", type=Path, help="write the files here and keep them")
    args = parser.parse_args()
    from huikuan.synth import generate_files

    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        began = time.perf_counter()
        files = generate_files(folder / "shop", orders=int(args.rows / LINES_PER_ORDER), seed=1)
        alipay = max(files.alipay, key=lambda p: p.stat().st_size)
        size = alipay.stat().st_size
        print(f"generated {alipay.name}: {size / 2**20:,.0f} MiB, {files.rows[alipay.name]:,} rows "
              f"in {time.perf_counter() - began:.0f} s")
        got = read_in_child(alipay)
        rows_per_s = got["rows"] / got["seconds"]
        print(f"| {size / 2**20:,.0f} MiB | {int(got['rows']):,} | {int(got['entries']):,} "
              f"| {got['seconds']:.1f} | {rows_per_s:,.0f} | {got['peak'] / 2**30:.2f} "
              f"| {got['peak'] / size:.2f}× | {(got['peak'] - got['baseline']) / size:.2f}× "
              f"| {got['table_bytes'] / size:.2f}× |")
        print("columns: file size | rows read | entries | seconds | rows/s | peak RSS GiB | "
              "peak RSS / file | (peak − interpreter) / file | entries table / file")


if __name__ == "__main__":
    main()
