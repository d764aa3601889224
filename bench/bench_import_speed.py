"""Import speed against the floor, per format, and `huikuan match` end to end (issue 11).

    python bench/bench_import_speed.py [--rows 1000000] [--other-rows 200000] [--match-orders 200000]

Per file: the floor (decode the file into UTF-8 with its codec, then pyarrow.csv parses the
table from the header on, every column as text), huikuan's per-row reference reading (the code
`main` runs: ``vector.per_row()``) and the vectorised reading, one after the other in this
process. Memory is the growth of the process's resident set during the call (sampled every
10 ms) against the file's size. End to end: `huikuan match` in-process on a Taobao order export
and its Alipay 账务明细, against decoding the same files and joining them on the order number
in DuckDB. Files come from :mod:`huikuan.synth`. The machine is shared and noisy: read the
ratios, not the seconds.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.csv as pacsv

sys.path.insert(0, str(Path(__file__).parent))

from huikuan.cli.main import run
from huikuan.importers import import_file
from huikuan.importers.reader import SourceFile
from huikuan.importers.vector import per_row
from huikuan.synth import generate_files

from measure import anonymous, measure, print_table

LINES_PER_ORDER = 1.77  # Alipay lines per order in the simulated shop


def decode(path: Path) -> bytes:
    """The file as UTF-8, decoded with the codec huikuan sniffs (the first half of the floor)."""
    codec = SourceFile(path).encoding or "utf-8"
    return path.read_bytes().decode(codec, errors="replace").encode("utf-8")


def parse(data: bytes, header_word: str) -> pa.Table:
    """pyarrow.csv from the header line on, every column as text (the second half)."""
    start = data.index(header_word.encode())
    start = data.rfind(b"\n", 0, start) + 1
    body = data[start:]
    names = pacsv.read_csv(pa.BufferReader(body.split(b"\n", 1)[0] + b"\n")).column_names
    return pacsv.read_csv(
        pa.BufferReader(body),
        parse_options=pacsv.ParseOptions(invalid_row_handler=lambda row: "skip"),
        convert_options=pacsv.ConvertOptions(column_types=dict.fromkeys(names, pa.string()),
                                             strings_can_be_null=False))


def floor(path: Path, header_word: str) -> int:
    return parse(decode(path), header_word).num_rows


def match_floor(orders: Path, alipay: Path) -> int:
    """Decode both files, parse them, join the orders to the Alipay lines on the order number."""
    left = parse(decode(orders), "订单编号")
    right = parse(decode(alipay), "账务流水号")
    con = duckdb.connect()
    con.register("o", left)
    con.register("a", right)
    sql = """
        select count(*) from o join a
          on regexp_replace(trim(o."订单编号", '="\t '), '"$', '')
           = regexp_replace(trim(a."商户订单号", E'\t '), '^T[0-9]{3,4}P', '')
    """
    row = con.execute(sql).fetchone()
    return int(row[0]) if row else 0


def in_child(*argv: str) -> dict[str, float]:
    """Run this script's ``--child`` mode in a fresh process; its seconds and anonymous growth."""
    out = subprocess.run([sys.executable, __file__, "--child", *argv], check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def child(argv: list[str]) -> None:
    """``--child import PATH [per-row]`` or ``--child match ARGV…``: one call, measured. The
    modules the call would load on first use are loaded before, so they are not counted."""
    import huikuan.engine.reconciler  # noqa: F401 - loaded before measuring
    from huikuan.importers.registry import importers

    importers()
    duckdb.connect().execute("select 1").fetchall()
    start = peak = anonymous()
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, anonymous())
            done.wait(0.01)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    began = time.perf_counter()
    if argv[0] == "import":
        if argv[2:] == ["per-row"]:
            per_row_import(Path(argv[1]))
        else:
            import_file(Path(argv[1]))
    else:
        run(argv[1:])
    seconds = time.perf_counter() - began
    done.set()
    sampler.join()
    print(json.dumps({"seconds": seconds, "growth": max(peak, anonymous()) - start}))


def per_row_import(path: Path) -> object:
    with per_row():
        return import_file(path)


def per_row_match(argv: list[str]) -> int:
    with per_row():
        return run(argv)


def main() -> None:
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2:])
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000, help="Alipay 账务明细 rows")
    parser.add_argument("--other-rows", type=int, default=200_000,
                        help="orders of the PDD and WeChat Pay shops")
    parser.add_argument("--match-orders", type=int, default=200_000)
    parser.add_argument("--huge-rows", type=int, default=0,
                        help="also read one Alipay export of this many rows in a fresh process")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        tmall = generate_files(base / "tmall", orders=int(args.rows / LINES_PER_ORDER), seed=1)
        pdd = generate_files(base / "pdd", orders=args.other_rows, seed=1, platform="pdd")
        wechat = generate_files(base / "wechat", orders=args.other_rows, seed=1, platform="wechat")
        inputs = [("Alipay 账务明细 (GBK)", tmall.alipay[0], "账务流水号"),
                  ("Taobao orders (GBK)", tmall.orders[0], "订单编号"),
                  ("PDD 货款明细", pdd.bills[0], "商户订单号"),
                  ("WeChat Pay trade bill", wechat.bills[0], "交易时间"),
                  ("CMB corporate", tmall.bank[0], "交易日")]
        rows = []
        for label, path, word in inputs:
            size = path.stat().st_size
            low = measure(lambda p=path, w=word: floor(p, w))
            before = measure(lambda p=path: per_row_import(p))
            after = measure(lambda p=path: import_file(p))
            n = after.value.rows_read
            assert before.value.entries.equals(after.value.entries), label
            memory = {"before": in_child("import", str(path), "per-row")["growth"],
                      "after": in_child("import", str(path))["growth"]}
            for name, m, grew in (("floor: decode + pyarrow.csv", low, None),
                                  ("before: per row", before, memory["before"]),
                                  ("after: column-wise", after, memory["after"])):
                rows.append([label, name, f"{n:,}", f"{size / 2**20:.0f}", f"{m.seconds:.2f}",
                             f"{n / m.seconds:,.0f}", f"{m.seconds / low.seconds:.2f}×",
                             "" if grew is None else f"{grew / size:.2f}×"])
        print_table("import speed against the floor", [
            "file", "reader", "rows", "MB", "seconds", "rows/s", "vs floor",
            "memory growth / file size"], rows)

        shop = generate_files(base / "match", orders=args.match_orders, seed=2)
        orders, alipay = shop.orders[0], shop.alipay[0]
        lines = sum(shop.rows[p.name] for p in (orders, alipay))
        size = sum(p.stat().st_size for p in (orders, alipay))
        low = measure(lambda: match_floor(orders, alipay))
        out = base / "out"
        argv = ["match", "--left", str(orders), "--right", str(alipay), "--out", str(out), "--quiet"]
        before = measure(lambda: per_row_match(argv))
        after = measure(lambda: run(argv))
        assert before.value == 0
        assert after.value == 0
        grew = in_child("match", *argv)["growth"]
        print_table("huikuan match (orders ↔ Alipay) against decode + DuckDB key join", [
            "reader", "lines", "MB", "seconds", "vs floor", "memory growth / file size"],
            [[name, f"{lines:,}", f"{size / 2**20:.0f}", f"{m.seconds:.2f}",
              f"{m.seconds / low.seconds:.2f}×", note]
             for name, m, note in (("floor: decode + DuckDB join", low, ""),
                                   ("before: per row", before, ""),
                                   ("after: column-wise", after, f"{grew / size:.2f}×"))])

        if args.huge_rows:
            huge = generate_files(base / "huge", orders=int(args.huge_rows / LINES_PER_ORDER),
                                  seed=3).alipay[0]
            size = huge.stat().st_size
            low = measure(lambda: floor(huge, "账务流水号"))
            read = in_child("import", str(huge))
            print_table("one large Alipay 账务明细, read in a fresh process", [
                "MB", "rows", "floor seconds", "seconds", "vs floor", "memory growth / file size"],
                [[f"{size / 2**20:,.0f}", f"{low.value:,}", f"{low.seconds:.1f}",
                  f"{read['seconds']:.1f}", f"{read['seconds'] / low.seconds:.2f}×",
                  f"{read['growth'] / size:.2f}×"]])


if __name__ == "__main__":
    main()
