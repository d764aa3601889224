"""Report export benchmark: one 100 000-row report (an overdue list: ids, money, dates, rates)
written as xlsx by the streaming writer (results/xlsx.py), as xlsx by xlsxwriter one cell at a
time (the writer reports used before, bench/report_xlsxwriter_baseline.py), and as CSV.

    python bench/report_export_bench.py [--rows 100000]

The bar (issue 13): any table of 100 000 rows to .xlsx well under 20 s on 2 cores.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

import pyarrow as pa

sys.path.insert(0, str(Path(__file__).parent))

from huikuan.reports.model import Column, Report
from huikuan.reports.write import write_report

from measure import gib, measure, print_table


def overdue_like(rows: int, seed: int = 3) -> Report:
    """A report shaped like the overdue list, ``rows`` long, made up deterministically."""
    rng = random.Random(seed)
    start = date(2026, 10, 1)
    paid = [start + timedelta(days=rng.randrange(60)) for _ in range(rows)]
    table = pa.table({
        "order_ref": [f"35{rng.randrange(10**16):016d}" for _ in range(rows)],
        "store": ["暖冬羊毛旗舰店"] * rows,
        "currency": ["CNY"] * rows,
        "ordered": pa.array([rng.randrange(100, 500_000) for _ in range(rows)], pa.int64()),
        "outstanding": pa.array([rng.randrange(0, 500_000) for _ in range(rows)], pa.int64()),
        "paid_on": pa.array(paid, pa.date32()),
        "days": pa.array([rng.randrange(1, 90) for _ in range(rows)], pa.int64()),
        "rate": pa.array([rng.random() for _ in range(rows)], pa.float64()),
        "note": [rng.choice(["", "=SUM(A1)", "已催收", "承诺月底到账"]) for _ in range(rows)],
    })
    columns = [Column("order_ref", "订单号", "id"), Column("store", "店铺"), Column("currency", "币种"),
               Column("ordered", "订单金额", "money"), Column("outstanding", "未回款", "money"),
               Column("paid_on", "付款日", "date"), Column("days", "逾期天数", "count"),
               Column("rate", "回款率", "rate"), Column("note", "备注")]
    totals = pa.table({c.key: pa.nulls(1, table.schema.field(c.key).type) for c in columns})
    return Report(name="bench", title="逾期未回款清单", period="2026-10", columns=columns, rows=table,
                  totals=totals, notes=["bench"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    report = overdue_like(args.rows)
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        runs = [("xlsx, streaming writer (results/xlsx.py)",
                 measure(lambda: write_report(report, base / "a.xlsx", "xlsx")))]
        try:
            import report_xlsxwriter_baseline
        except ImportError:
            print("xlsxwriter not installed: no xlsxwriter row")
        else:
            runs.append(("xlsx, xlsxwriter cell by cell (before)",
                         measure(lambda: report_xlsxwriter_baseline.write_xlsx(report, base / "b.xlsx"))))
        runs.append(("csv (reports/csv_out.py)",
                     measure(lambda: write_report(report, base / "c.csv", "csv"))))
    first = runs[0][1].seconds
    print_table(f"{args.rows:,}-row report export", ["writer", "seconds", "× streaming xlsx", "peak RSS GiB"],
                [[name, f"{m.seconds:.2f}", f"{m.seconds / first:.2f}", gib(m.peak_rss)] for name, m in runs])


if __name__ == "__main__":
    main()
