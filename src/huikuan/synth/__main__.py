"""``python -m huikuan.synth --orders N --out DIR [--seed S] [--months M] [--platform P]
[--bank-layout L]``: write a simulated shop's exports and the answer key, and say what was
written."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence

from huikuan.synth.generate import generate_files
from huikuan.synth.noise import Noise


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m huikuan.synth",
        description="Write a simulated shop's exports (Tmall: order export, Alipay statement, CMB "
                    "bank statement; PDD: order export and 货款明细; WeChat: own order list and "
                    "WeChat Pay trade bill), with truth.csv and differences.csv.")
    parser.add_argument("--orders", type=int, required=True, help="orders created in the period")
    parser.add_argument("--out", required=True, help="directory to write into (created if needed)")
    parser.add_argument("--seed", type=int, default=0, help="same seed, byte-identical files")
    parser.add_argument("--months", type=int, default=1, help="calendar months to simulate")
    parser.add_argument("--first-month", default="2023-11", help="first month, YYYY-MM")
    parser.add_argument("--clean", action="store_true", help="no noise (see Noise.clean)")
    parser.add_argument("--platform", choices=("tmall", "pdd", "wechat"), default="tmall",
                        help="which shop to simulate")
    parser.add_argument("--bank-layout", choices=("corporate", "personal"), default="corporate",
                        help="CMB corporate statement (with times) or personal (dates only)")
    args = parser.parse_args(argv)
    if args.orders < 0 or args.months < 1:
        parser.error("--orders must be ≥ 0 and --months ≥ 1")

    started = time.perf_counter()
    files = generate_files(args.out, orders=args.orders, months=args.months, seed=args.seed,
                           noise=Noise.clean() if args.clean else Noise(),
                           first_month=args.first_month, platform=args.platform,
                           bank_layout=args.bank_layout)
    elapsed = time.perf_counter() - started
    for role, paths in (("orders", files.orders), ("bill", files.bills), ("bank", files.bank)):
        for path in paths:
            size = path.stat().st_size / 1e6
            print(f"{role:7} {path}  {files.rows[path.name]:>10,} rows  {size:9.1f} MB")
    print(f"truth   {files.truth}")
    print(f"diffs   {files.differences}")
    for (flow, expected), count in sorted(files.truth_counts.items()):
        print(f"  {flow:18} {expected:20} {count:>10,}")
    print(f"written in {elapsed:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
