"""Reports benchmark: a simulated Tmall shop's month matched once, then each step of the 回款
services and reports timed on it (order statuses, aging, the collection report, the overdue list
as xlsx and PDF, the wallet walk).

    python bench/reports_bench.py [--orders 100000]

The services query entries.parquet with DuckDB; only report rows reach Python, so time should
grow with the number of report rows (the overdue list), not with the entries.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from huikuan.cli.main import run
from huikuan.receivables import ResultSet, aging_summary, order_collections, wallet_walks
from huikuan.reports import ReportRequest, build_report, write_report
from huikuan.synth import generate_files

from measure import gib, measure, print_table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        files = generate_files(base / "data", orders=args.orders, seed=5)
        result = base / "result"
        assert run(["match", "--quiet", "--left", *map(str, files.orders), "--right", *map(str, files.alipay),
                    "--out", str(result)]) == 0
        request = ReportRequest([result], as_of=None)
        overdue = build_report("overdue", request)
        with ResultSet([result]) as rs:
            runs = [
                ("order statuses (order_collections)", measure(lambda: order_collections(rs).num_rows)),
                ("aging buckets", measure(lambda: aging_summary(rs).num_rows)),
                ("wallet walk", measure(lambda: len(wallet_walks(rs)))),
            ]
        runs += [
            ("collection report (build)", measure(lambda: build_report("collection", request).rows.num_rows)),
            ("overdue report (build)", measure(lambda: build_report("overdue", request).rows.num_rows)),
            ("overdue list → xlsx", measure(lambda: write_report(overdue, base / "o.xlsx", "xlsx"))),
            ("overdue list → pdf (≤ 2 000 rows)",
             measure(lambda: write_report(overdue, base / "o.pdf", "pdf"))),
            ("collection → pdf", measure(lambda: write_report(build_report("collection", request),
                                                              base / "c.pdf", "pdf"))),
        ]
    print_table(f"{args.orders:,} orders, {overdue.rows.num_rows:,} overdue",
                ["step", "seconds", "peak RSS GiB"],
                [[name, f"{m.seconds:.2f}", gib(m.peak_rss)] for name, m in runs])


if __name__ == "__main__":
    main()
