"""Importer benchmark: 1 million Alipay 账务明细 rows (GBK, preamble, tab padding) and the Taobao
order export of the same simulated shop, against two floors measured in the same process:
Python's csv module merely splitting the decoded file, and pyarrow's vectorised CSV reader.

    python bench/import_bench.py [--rows 1000000]

Also times the whole chain a clerk runs (`huikuan match` in-process: import + match + write) on
about 300 000 lines, the design's bar being 30 s.
"""

from __future__ import annotations

import argparse
import codecs
import csv
import sys
import tempfile
import time
from pathlib import Path

import pyarrow.csv as pacsv

sys.path.insert(0, str(Path(__file__).parent))

from huikuan.cli.main import run
from huikuan.importers import import_file
from huikuan.synth import generate_files

from measure import gib, measure, print_table

LINES_PER_ORDER = 1.77  # Alipay lines per order in the simulated shop


def csv_floor(path: Path) -> int:
    with path.open(encoding="gbk", newline="") as fh:
        return sum(1 for _ in csv.reader(fh))


def arrow_floor(path: Path, header: str) -> int:
    # skip the preamble the way a hand-written loader would have to
    with path.open("rb") as fh:
        skip = next(i for i, line in enumerate(fh) if line.startswith(header.encode("gbk")))
    table = pacsv.read_csv(path, read_options=pacsv.ReadOptions(encoding="gbk", skip_rows=skip),
                           parse_options=pacsv.ParseOptions(invalid_row_handler=lambda row: "skip"),
                           convert_options=pacsv.ConvertOptions(column_types={}, strings_can_be_null=True))
    return table.num_rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--pipeline-orders", type=int, default=105_000)
    args = parser.parse_args()
    codecs.lookup("gbk")
    with tempfile.TemporaryDirectory() as tmp:
        began = time.perf_counter()
        files = generate_files(Path(tmp) / "shop", orders=int(args.rows / LINES_PER_ORDER), seed=1)
        print(f"generated in {time.perf_counter() - began:.1f} s: "
              + ", ".join(f"{p.name} {files.rows[p.name]:,} rows" for p in (*files.orders, *files.alipay)))
        rows = []
        inputs = (("Alipay 账务明细 (GBK CSV)", files.alipay[0], "账务流水号"),
                  ("Taobao orders (GBK CSV)", files.orders[0], "订单编号"))
        for label, path, header in inputs:
            floor = measure(lambda p=path: csv_floor(p))
            arrow = measure(lambda p=path, h=header: arrow_floor(p, h))
            imported = measure(lambda p=path: import_file(p))
            result = imported.value
            assert not result.errors, result.errors[:3]
            n = result.rows_read
            readers = (("csv.reader split only (floor)", floor), ("pyarrow.csv (vectorised floor)", arrow),
                       ("huikuan import", imported))
            for name, m in readers:
                rows.append([label, name, f"{n:,}", f"{m.seconds:.2f}", f"{n / m.seconds:,.0f}",
                             f"{m.seconds / floor.seconds:.2f}×", gib(m.peak_rss)])
        table = print_table("import", ["file", "reader", "rows", "seconds", "rows/s", "vs csv floor",
                                       "peak RSS GiB"], rows)
        pipe = generate_files(Path(tmp) / "pipe", orders=args.pipeline_orders, seed=2)
        left, right = pipe.sides("orders-settlement")
        lines = sum(pipe.rows[p.name] for p in (*left, *right))
        argv = ["match", "--left", *map(str, left), "--right", *map(str, right), "--out",
                str(Path(tmp) / "out"), "--quiet"]
        chain = measure(lambda: run(argv))
        assert chain.value == 0
        table += print_table("import + match + write (huikuan match, orders-settlement)",
                             ["lines", "seconds", "bar", "peak RSS GiB"],
                             [[f"{lines:,}", f"{chain.seconds:.2f}", "30 s", gib(chain.peak_rss)]])


if __name__ == "__main__":
    main()
