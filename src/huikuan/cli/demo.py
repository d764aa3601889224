"""``make demo``: a month of a simulated Tmall shop, reconciled twice, with readable summaries.

Writes the shop's raw exports (Taobao orders, the Alipay 账务明细 with an overlapping
re-export, the CMB bank statement) into ``demo-out/data/`` and runs ``huikuan match`` on them:
orders against Alipay, then Alipay payouts against the bank.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from rich.console import Console

from huikuan.cli.main import run
from huikuan.synth import generate_files

OUT = Path("demo-out")


def main(orders: int = 3000) -> int:
    console = Console()
    shutil.rmtree(OUT, ignore_errors=True)
    console.rule("[bold]huikuan demo[/bold] — 暖冬羊毛旗舰店, November 2023")
    files = generate_files(OUT / "data", orders=orders, seed=2023)
    for path in (*files.orders, *files.alipay, *files.bank):
        console.print(f"  {path}  ({files.rows.get(path.name, 0):,} rows)")
    steps = [
        ("Orders ↔ Alipay settlement", files.orders, files.alipay, OUT / "orders-settlement"),
        ("Alipay payouts ↔ CMB bank statement", files.alipay, files.bank, OUT / "payout-bank"),
    ]
    for title, left, right, out in steps:
        console.rule(title)
        command = ["match", "--left", *map(str, left), "--right", *map(str, right), "--out", str(out)]
        console.print("[dim]$ huikuan " + " ".join(command) + "[/dim]")
        status = run(command)
        if status:
            return status
    console.rule()
    console.print(f"Raw exports in {OUT / 'data'}/, results in {OUT}/*/ (open result.xlsx: "
                  "待处理 lists what needs a look, by reason). The answer key is "
                  f"{files.truth}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
