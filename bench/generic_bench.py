"""Generic reader benchmark: what guessing the columns costs per row.

The same bank statement (CMB personal layout: 记账日期, 货币, 交易金额, 联机余额, 交易摘要, 对手信息,
客户摘要; a running balance on every row) is read by its own module and by the generic reader,
one after the other in the same process; the generic reader also checks the balance on every pair
of rows, which the module does not.

    python bench/generic_bench.py [--rows 300000]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from huikuan.importers.generic import GenericReader
from huikuan.importers.reader import SourceFile
from huikuan.importers.sources.cmb_bank import CmbPersonal

from measure import gib, measure, print_table


def statement(path: Path, rows: int) -> None:
    """A statement of ``rows`` lines whose balance follows every amount."""
    rng = random.Random(1)
    balance = 0
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write("记账日期,货币,交易金额,联机余额,交易摘要,对手信息,客户摘要\n")
        for i in range(rows):
            cents = rng.randint(-50_000, 50_000)
            balance += cents
            fh.write(f"2024-{1 + i % 12:02d}-{1 + i % 28:02d},人民币,{cents / 100:.2f},{balance / 100:.2f},"
                     f"转账 {i},某某公司,备注\n")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=300_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "statement.csv"
        statement(path, args.rows)
        table = []
        for name, importer in (("module cmb_personal", CmbPersonal()), ("generic reader", GenericReader())):
            source = SourceFile(path)
            importer.detect(source)
            result = measure(lambda imp=importer, src=source: imp.read(src))
            entries = result.value.entries.num_rows
            table.append([name, f"{entries:,}", f"{result.seconds:.2f}", f"{entries / result.seconds:,.0f}",
                          gib(result.peak_rss)])
        print_table(f"Generic reader against the module ({args.rows:,} rows)",
                    ["reader", "entries", "seconds", "rows/s", "peak RSS GiB"], table)


if __name__ == "__main__":
    main()
