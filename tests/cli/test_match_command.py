"""``huikuan match`` as a user (and the contract checker) sees it: files in, result folder out."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, ROOT

CHECKER = ROOT.parent / "shared" / "tools" / "check_contract.py"
ORDERS = FIXTURES / "taobao_orders_2023-11.csv"
ALIPAY = FIXTURES / "alipay_account_2023-11.csv"
BANK = FIXTURES / "cmb_corporate_2023-11.csv"


def huikuan(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).with_name("huikuan")
    return subprocess.run([str(exe), *map(str, args)], capture_output=True, text=True, cwd=cwd,
                          env={**os.environ, "COLUMNS": "120"}, check=False)


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def contract_ok(out: Path) -> None:
    assert CHECKER.is_file(), f"contract checker missing at {CHECKER}"
    check = subprocess.run([sys.executable, str(CHECKER), str(out)], capture_output=True, text=True,
                           check=False)
    assert check.returncode == 0, check.stdout


def test_orders_against_alipay(tmp_path: Path):
    out = tmp_path / "out"
    done = huikuan("match", "--left", ORDERS, "--right", ALIPAY, "--out", out)
    assert done.returncode == 0, done.stderr
    contract_ok(out)
    matches = read_csv(out / "matches.csv")
    hat = {r["record_id"]: r for r in matches if r["match_id"] == next(
        m["match_id"] for m in matches if m["record_id"] == "3518234567890000001")}
    assert set(hat) == {"3518234567890000001", "3518234567890000001/refund",
                        "20231104200040011100560012345681", "20231105200040011100560012345682"}
    assert hat["20231105200040011100560012345682"]["amount"] == "-20.00"
    assert {r["status"] for r in matches} == {"auto"}
    unmatched = {r["record_id"]: r["reason"] for r in read_csv(out / "unmatched.csv")}
    assert unmatched == {"3518234567890000002": "timing", "3518234567890000003": "order_closed",
                         "20231106200040011100560012345683": "transfer"}
    summary = json.loads((out / "summary.json").read_text("utf-8"))
    assert summary["template"] == "orders-settlement"
    assert summary["left"]["row_errors"] == 1
    assert summary["row_errors"][0]["line"] == 6
    assert "taobao_orders_2023-11.csv:6" in done.stderr  # the bad row is named, not dropped


def test_alipay_payouts_against_the_bank(tmp_path: Path):
    out = tmp_path / "out"
    done = huikuan("match", "--left", ALIPAY, "--right", BANK, "--out", out, "--quiet")
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    contract_ok(out)
    matches = read_csv(out / "matches.csv")
    assert [(r["side"], r["record_id"], r["amount"]) for r in matches] == [
        ("left", "20231106200040011100560012345683", "-1000.00"),
        ("right", "G0271300000123A", "1000.00"),
    ]
    assert json.loads((out / "summary.json").read_text("utf-8"))["template"] == "payout-bank"


def test_overlapping_exports_are_reported_once_as_duplicates(tmp_path: Path):
    out = tmp_path / "out"
    copy = tmp_path / "alipay_again.csv"
    copy.write_bytes(ALIPAY.read_bytes())
    done = huikuan("match", "--left", ORDERS, "--right", ALIPAY, copy, "--out", out)
    assert done.returncode == 0, done.stderr
    contract_ok(out)
    unmatched = read_csv(out / "unmatched.csv")
    duplicates = [r for r in unmatched if r["reason"] == "duplicate"]
    assert len(duplicates) == 6
    assert {r["file"] for r in duplicates} == {"alipay_again.csv"}
    summary = json.loads((out / "summary.json").read_text("utf-8"))
    assert summary["duplicates_dropped"] == {"left": 0, "right": 6}
    assert len(read_csv(out / "matches.csv")) == 8  # matches unchanged by the second copy


def test_same_input_gives_byte_identical_files(tmp_path: Path):
    for name in ("a", "b"):
        done = huikuan("match", "--left", ORDERS, "--right", ALIPAY, "--out", tmp_path / name, "--quiet")
        assert done.returncode == 0
    for name in ("matches.csv", "unmatched.csv", "differences.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


@pytest.mark.parametrize(("make_input", "expected"), [
    (lambda d: d / "missing.csv", "missing.csv: file not found"),
    (lambda d: (d / "notes.csv").write_text("just,some\nwords,here\n") and d / "notes.csv",
     "notes.csv: unknown layout"),
    (lambda d: (d / "empty.csv").write_bytes(b"") or d / "empty.csv", "empty.csv"),
])
def test_bad_input_is_one_line_naming_the_file(tmp_path: Path, make_input, expected):
    bad = make_input(tmp_path)
    done = huikuan("match", "--left", bad, "--right", ALIPAY, "--out", tmp_path / "out")
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert expected in lines[0]


def test_unknown_template_and_wrong_sides_are_explained(tmp_path: Path):
    done = huikuan("match", "--left", ORDERS, "--right", ALIPAY, "--template", "nope", "--out", tmp_path)
    assert done.returncode != 0
    assert "unknown template 'nope'" in done.stderr
    done = huikuan("match", "--left", ALIPAY, "--right", ORDERS, "--out", tmp_path / "o")
    assert done.returncode != 0
    assert "swap --left and --right" in done.stderr


def test_own_rules_file(tmp_path: Path):
    rules = tmp_path / "mine.toml"
    rules.write_text('''
name = "refund-check"
[scope.left]
kinds = ["order_refund"]
[scope.right]
kinds = ["refund"]
[[rules]]
name = "refund-by-order"
type = "key"
key = "order_ref"
  [[rules.checks]]
  left_kinds = ["order_refund"]
  right_kinds = ["refund"]
''', encoding="utf-8")
    out = tmp_path / "out"
    done = huikuan("match", "--left", ORDERS, "--right", ALIPAY, "--rules", rules, "--out", out)
    assert done.returncode == 0, done.stderr
    contract_ok(out)
    assert {r["rule"] for r in read_csv(out / "matches.csv")} == {"refund-by-order"}


def test_inspect_names_format_rows_range_and_errors():
    done = huikuan("inspect", ORDERS, "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)[0]
    assert report["format"] == "taobao_orders"
    assert report["encoding"] == "gbk"
    assert report["rows_read"] == 5
    assert report["row_errors"][0]["line"] == 6
    assert report["date_range"] == ["2023-10-28T21:03:15+08:00", "2023-11-29T08:00:00+08:00"]
    assert {"kind": "order", "currency": "CNY", "count": 4, "amount": "286.90"} in report["totals"]
