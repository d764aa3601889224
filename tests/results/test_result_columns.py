"""Every column of matches.csv, unmatched.csv, differences.csv, entries.parquet and the summary's
counts, read back from a small run whose answer is known by hand.

tests/cli/test_result_files.py checks the same files on generated data through the command; these
run in-process, on six records, so that a writer that swaps the two sides, the left and right
amounts, a date or a label fails here in a second (and mutation testing sees them: docs/MUTATION.md).
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from huikuan.engine import load_template, reconcile
from huikuan.engine.rules import template_from_data
from huikuan.importers.registry import SideImport
from huikuan.results.csv_files import reason_labels, write_csv_files
from huikuan.results.entries import ENTRIES_PARQUET, write_entries
from huikuan.results.summary import build_summary
from huikuan.results.tables import build_tables
from tests.engine.entries import at, entries, line, order

LEFT = [
    # paid 99.00; the bill pays 99.02 and takes a 6.40 fee: matched by the rounding rule, with
    # a difference of -0.02 (a negative amount is a number, never escaped as a formula)
    order("A1", 9900, 1, counterparty="=HYPERLINK(x)", text="-77 note"),
    order("B2", 5000, 2, status="closed"),          # closed: nothing to collect
    order("C3", 4000, 3),                           # paid, nothing in the bill: outstanding
]
RIGHT = [
    # 23:30 in Shanghai is 15:30 UTC: the local date is the 12th
    {**line("p1", "payment", 9902, None, order_ref="A1", counterparty="@buyer", text="plain"),
     "ts": at("2023-11-12 23:30")},
    line("fA", "fee", -640, 3, order_ref="A1"),
    line("f7", "fee", -300, 20),                    # a fee of no order
    line("t1", "payout", -8000, 21),                # a payout: not part of this flow
]


# function scope on purpose: each test writes the files itself, so mutation testing, which runs
# only the tests that reach a function, runs every one of them against a mutated writer
@pytest.fixture
def run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    left = SideImport(files=[], entries=entries(*LEFT, file="orders.csv"),
                      duplicates=entries(order("C3", 4000, 3), file="orders.csv").slice(0, 0))
    right = SideImport(files=[], entries=entries(*RIGHT, file="bill.csv"),
                       duplicates=entries(line("f7", "fee", -300, 20), file="bill.csv"))
    result = reconcile(left.entries, right.entries, load_template("orders-settlement"))
    out = tmp_path_factory.mktemp("result")
    write_csv_files(build_tables(result, left, right), out)
    write_entries(result, left, right, out)
    return out, build_summary(result, left, right, backend="duckdb", elapsed=0.0)


@pytest.fixture
def folder(run: tuple[Path, dict[str, Any]]) -> Path:
    return run[0]


def rows(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), f"{path.name} lacks the byte-order mark Excel needs"
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def test_matches_csv_every_column(folder: Path):
    assert rows(folder / "matches.csv") == [
        ["match_id", "side", "file", "record_id", "amount", "currency", "rule", "status", "date", "kind",
         "counterparty", "memo"],
        ["M000001", "left", "orders.csv", "A1", "99.00", "CNY", "order-number-rounding", "auto",
         "2023-11-01", "order", "'=HYPERLINK(x)", "'-77 note"],
        ["M000001", "right", "bill.csv", "p1", "99.02", "CNY", "order-number-rounding", "auto",
         "2023-11-12", "payment", "'@buyer", "plain"],
        ["M000001", "right", "bill.csv", "fA", "-6.40", "CNY", "order-number-rounding", "auto",
         "2023-11-03", "fee", "", ""],
    ]


def test_unmatched_csv_every_column_sides_reasons_and_duplicates(folder: Path):
    assert rows(folder / "unmatched.csv") == [
        ["side", "file", "record_id", "amount", "currency", "reason", "date", "kind", "counterparty",
         "memo", "reason_label"],
        ["left", "orders.csv", "B2", "50.00", "CNY", "order_closed", "2023-11-02", "order", "", "",
         "交易关闭"],
        ["left", "orders.csv", "C3", "40.00", "CNY", "not_settled", "2023-11-03", "order", "", "",
         "已付款未结算"],
        ["right", "bill.csv", "f7", "-3.00", "CNY", "fee_without_order", "2023-11-20", "fee", "", "",
         "费用无对应订单"],
        ["right", "bill.csv", "t1", "-80.00", "CNY", "transfer", "2023-11-21", "payout", "", "", "内部转账"],
        ["right", "bill.csv", "f7", "-3.00", "CNY", "duplicate", "2023-11-20", "fee", "", "", "重复导入"],
    ]


def test_differences_csv_left_is_the_order_right_is_the_bill(folder: Path):
    assert rows(folder / "differences.csv") == [
        ["match_id", "rule", "status", "check", "left_amount", "right_amount", "difference", "currency",
         "reason", "reason_label"],
        ["M000001", "order-number-rounding", "auto", "order vs payment+settlement", "99.00", "99.02",
         "-0.02", "CNY", "rounding", "尾差"],
    ]


def test_entries_parquet_carries_each_records_decision(folder: Path):
    table = pq.read_table(folder / ENTRIES_PARQUET)
    decided = [(r["side"], r["record_id"], r["amount_minor"], r["match_id"], r["match_status"], r["rule"],
                r["reason"], r["in_scope"]) for r in table.to_pylist()]
    rounding = "order-number-rounding"
    assert decided == [
        ("left", "A1", 9900, "M000001", "auto", rounding, None, True),
        ("left", "B2", 5000, None, None, None, "order_closed", True),
        ("left", "C3", 4000, None, None, None, "not_settled", True),
        ("right", "p1", 9902, "M000001", "auto", rounding, None, True),
        ("right", "fA", -640, "M000001", "auto", rounding, None, True),
        ("right", "f7", -300, None, None, None, "fee_without_order", True),
        ("right", "t1", -8000, None, None, None, "transfer", False),
        ("right", "f7", -300, None, None, None, "duplicate", False),
    ]


def test_summary_counts_each_side_and_the_collections_line(run: tuple[Path, dict[str, Any]]):
    summary = run[1]
    left, right = summary["left"], summary["right"]
    assert (left["records"], left["matched"], left["unmatched"], left["not_in_this_flow"]) == (3, 1, 2, 0)
    assert left["total"] == {"CNY": "189.00"}
    assert left["matched_total"] == {"CNY": "99.00"}
    assert left["unmatched_total"] == {"CNY": "90.00"}
    assert left["unmatched_by_reason"] == {"not_settled": 1, "order_closed": 1}
    assert left["unmatched_amount_by_reason"] == {"not_settled": {"CNY": "40.00"},
                                                  "order_closed": {"CNY": "50.00"}}
    assert (right["records"], right["matched"], right["unmatched"], right["not_in_this_flow"]) == (4, 2, 1, 1)
    assert right["unmatched_by_reason"] == {"fee_without_order": 1}
    assert right["not_in_this_flow_by_reason"] == {"transfer": 1}
    assert (left["duplicates_dropped"], right["duplicates_dropped"]) == (0, 1)
    assert summary["matches"] == {"groups": 1, "auto": 1, "suggested": 0, "by_rule": {
        r.name: {"auto": int(r.name == "order-number-rounding"), "suggested": 0}
        for r in load_template("orders-settlement").rules}}
    assert summary["differences"] == {"count": 1, "by_reason": {"rounding": 1}}
    assert summary["fees_by_type"] == [{"category": "", "currency": "CNY", "count": 2, "amount": "-9.40"}]
    # the closed order is not money to collect; the paid one nobody settled is outstanding
    assert summary["collections"] == {
        "ordered": {"CNY": "139.00"}, "orders": 2, "settled_net": {"CNY": "92.62"},
        "payments": {"CNY": "99.02"}, "fees": {"CNY": "-6.40"}, "refunds": {}, "other": {},
        "outstanding": {"CNY": "40.00"}, "outstanding_orders": 1, "period": ["2023-11-01", "2023-11-03"]}


def test_reason_labels_follow_the_language_for_arrays_and_chunks():
    codes = pa.array(["rounding", "duplicate", "rounding"])
    assert reason_labels(codes).to_pylist() == ["尾差", "重复导入", "尾差"]
    assert reason_labels(pa.chunked_array([codes[:1], codes[1:]]), "en").to_pylist() == [
        "difference within rounding", "same record imported twice", "difference within rounding"]


def test_differences_csv_negative_left_amount_is_a_number_not_escaped(tmp_path: Path):
    # a payout (−1000.00) credited as 1000.03 by a rule with a tolerance: both sides signed
    template = template_from_data({"name": "mine", "rules": [{
        "name": "near", "type": "window", "relation": "opposite", "window_days": [0, 10],
        "tolerance_minor": 10}]}, "test rules")
    left = SideImport(files=[], entries=entries(line("w1", "payout", -100000, 1), file="wallet.csv"),
                      duplicates=entries(line("w1", "payout", 1, 1)).slice(0, 0))
    right = SideImport(files=[], entries=entries(line("b1", "bank_credit", 100003, 2), file="bank.csv"),
                       duplicates=entries(line("b1", "bank_credit", 1, 1)).slice(0, 0))
    write_csv_files(build_tables(reconcile(left.entries, right.entries, template), left, right), tmp_path)
    assert rows(tmp_path / "differences.csv")[1] == [
        "M000001", "near", "auto", "all vs all", "-1000.00", "1000.03", "0.03", "CNY", "rounding", "尾差"]
