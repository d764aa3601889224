"""DuckDB and Spark give the same answer, row for row, byte for byte."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from huikuan.synth import generate_files
from huikuan.synth.truth import ORDERS_SETTLEMENT, PAYOUT_BANK

OUTPUTS = ("matches.csv", "unmatched.csv", "differences.csv")


def match(left, right, out: Path, backend: str) -> None:
    exe = Path(sys.executable).with_name("huikuan")
    done = subprocess.run([str(exe), "match", "--left", *map(str, left), "--right", *map(str, right),
                           "--out", str(out), "--backend", backend, "--quiet"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


@pytest.mark.spark
@pytest.mark.parametrize("flow", [ORDERS_SETTLEMENT, PAYOUT_BANK])
def test_duckdb_and_spark_write_identical_results(tmp_path: Path, flow: str):
    files = generate_files(tmp_path / "data", orders=1500, seed=21)
    left, right = files.sides(flow)
    for backend in ("duckdb", "spark"):
        match(left, right, tmp_path / backend, backend)
    for name in OUTPUTS:
        duck = (tmp_path / "duckdb" / name).read_text("utf-8").splitlines()
        spark = (tmp_path / "spark" / name).read_text("utf-8").splitlines()
        assert len(duck) == len(spark), name
        for n, (a, b) in enumerate(zip(duck, spark, strict=True), start=1):
            assert a == b, f"{name}:{n}: duckdb {a!r} != spark {b!r}"
    summaries = [json.loads((tmp_path / b / "summary.json").read_text("utf-8")) for b in ("duckdb", "spark")]
    for s in summaries:
        s.pop("elapsed_seconds")
        s.pop("timings")
        s.pop("backend")
    assert summaries[0] == summaries[1]
    matched = (tmp_path / "duckdb" / "matches.csv").read_text("utf-8").count("\n")
    assert matched > 40  # the comparison covered real work
