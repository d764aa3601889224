"""Each order's 回款 status and money, on hand-built chains (orders ↔ Alipay lines)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from huikuan.receivables import ResultSet, SettlementTiming, WriteOff, order_collections, order_fees
from tests.engine.entries import day, line, order
from tests.receivables.chains import left, right, write_result

D1 = day(1).date()


def _by_order(folder: Path, **kwargs: Any) -> dict[str, dict[str, Any]]:
    with ResultSet([folder]) as rs:
        return {r["order_ref"]: r for r in order_collections(rs, **kwargs).to_pylist()}


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    """A Tmall month: every way an order's money can go."""
    return write_result(tmp_path / "shop", [
        # settled: paid 100.00, settled day 8 less a 5.00 commission
        *left(order("A", 10000, 1, match="M1")),
        *right(line("a1", "payment", 10000, 8, order_ref="A", match="M1"),
               line("a2", "fee", -500, 8, order_ref="A", match="M1", category="交易分账")),
        # refund before settlement (售中): the order says 30.00 refunded, the payment is 70.00
        *left(order("B", 10000, 2, match="M2"),
              line("B-r", "order_refund", -3000, 3, order_ref="B", match="M2")),
        *right(line("b1", "payment", 7000, 9, order_ref="B", match="M2"),
               line("b2", "fee", -350, 9, order_ref="B", match="M2", category="交易分账")),
        # refund after settlement (售后): all 100.00 taken back from the wallet on day 20
        *left(order("C", 10000, 2, match="M3")),
        *right(line("c1", "payment", 10000, 10, order_ref="C", match="M3"),
               line("c2", "refund", -10000, 20, order_ref="C", match="M3")),
        # refunded in full before settlement: nothing ever reaches the wallet
        *left(order("D", 8000, 3, status="refunded", reason="order_closed"),
              line("D-r", "order_refund", -8000, 4, order_ref="D", reason="order_closed")),
        # paid, not settled yet
        *left(order("E", 5000, 4, status="shipped", reason="not_settled")),
        # never paid
        *left(order("F", 4000, 5, status="unpaid", reason="unpaid")),
        # a suggested match: disputed until someone confirms it
        *left(order("G", 6000, 5, match="M4", match_status="suggested")),
        *right(line("g1", "payment", 6000, 12, order_ref="G", match="M4", match_status="suggested")),
        # a difference with a problem reason inside an auto match
        *left(order("H", 9000, 6, match="M5")),
        *right(line("h1", "payment", 8000, 13, order_ref="H", match="M5")),
        # an after-sale refund line still unmatched, carrying a settled order's number
        *left(order("K", 10000, 6, match="M6")),
        *right(line("k1", "payment", 10000, 14, order_ref="K", match="M6"),
               line("k2", "refund", -2500, 22, order_ref="K", reason="no_order")),
    ], differences=[{"match_id": "M5", "difference": "10.00", "currency": "CNY", "reason": "amount_mismatch"},
                    {"match_id": "M1", "difference": "0.01", "currency": "CNY", "reason": "rounding"}])


def test_a_settled_order_shows_what_came_in_net_of_fees_and_when(shop: Path) -> None:
    a = _by_order(shop)["A"]
    assert a["status"] == "settled"
    assert (a["settled_minor"], a["fees_minor"], a["refunds_minor"], a["net_received_minor"]) == \
        (10000, -500, 0, 9500)
    assert a["received_on"] == day(8).date()
    assert a["outstanding_minor"] == 0
    # Taobao/Tmall: up to 10 days after payment
    assert a["expected_on"] == D1 + timedelta(days=10)


def test_refund_before_settlement_counts_once_and_leaves_the_order_partly_refunded(shop: Path) -> None:
    b = _by_order(shop)["B"]
    assert b["status"] == "partly_refunded"
    assert b["refunds_minor"] == 3000          # from the order list; the bill shows no refund line
    assert b["net_received_minor"] == 7000 - 350


def test_refund_after_settlement_in_full_is_refunded_and_dated_by_the_payment(shop: Path) -> None:
    c = _by_order(shop)["C"]
    assert c["status"] == "refunded"
    assert c["net_received_minor"] == 0
    assert c["received_on"] == day(10).date()   # the refund line is not a settlement line


def test_order_refunded_before_anything_settled_is_refunded_not_owed(shop: Path) -> None:
    d = _by_order(shop)["D"]
    assert d["status"] == "refunded"
    assert d["outstanding_minor"] == 0


def test_paid_not_settled_and_unpaid(shop: Path) -> None:
    rows = _by_order(shop)
    assert rows["E"]["status"] == "paid_not_settled"
    assert rows["E"]["outstanding_minor"] == 5000
    assert rows["E"]["received_on"] is None
    assert rows["F"]["status"] == "unpaid"
    assert rows["F"]["outstanding_minor"] == 0


def test_suggested_matches_and_problem_differences_are_disputed_rounding_is_not(shop: Path) -> None:
    rows = _by_order(shop)
    assert rows["G"]["status"] == "disputed"
    assert rows["H"]["status"] == "disputed"
    assert rows["H"]["outstanding_minor"] == 1000   # ordered 90.00, 80.00 arrived
    assert rows["A"]["status"] == "settled"          # its only difference is rounding


def test_a_later_unmatched_refund_with_the_order_number_joins_the_order(shop: Path) -> None:
    k = _by_order(shop)["K"]
    assert k["status"] == "partly_refunded"
    assert (k["refunds_minor"], k["net_received_minor"]) == (2500, 7500)


def test_a_write_off_decision_closes_the_order(shop: Path) -> None:
    rows = _by_order(shop, write_offs=[WriteOff("E", reason="小额差异，经理批准")])
    assert rows["E"]["status"] == "written_off"
    assert rows["E"]["write_off_reason"] == "小额差异，经理批准"
    assert rows["E"]["outstanding_minor"] == 0


def test_a_difference_written_off_in_the_workbench_closes_the_order(tmp_path: Path) -> None:
    """The web app's effective entries mark a written-off group ``written_off``; a confirmed
    suggestion is an ordinary settled order."""
    folder = write_result(tmp_path / "decided", [
        *left(order("W", 9000, 6, match="M1", match_status="written_off")),
        *right(line("w1", "payment", 8995, 13, order_ref="W", match="M1", match_status="written_off")),
        *left(order("C", 6000, 5, match="M2", match_status="confirmed")),
        *right(line("c1", "payment", 6000, 12, order_ref="C", match="M2", match_status="confirmed")),
    ], differences=[{"match_id": "M1", "difference": "0.05", "currency": "CNY", "reason": "amount_mismatch"}])
    rows = _by_order(folder)
    assert (rows["W"]["status"], rows["W"]["outstanding_minor"]) == ("written_off", 0)
    assert (rows["C"]["status"], rows["C"]["net_received_minor"]) == ("settled", 6000)


def test_timing_rules_can_be_overridden_per_platform(shop: Path) -> None:
    rows = _by_order(shop, timing=SettlementTiming(days={"taobao": 3}))
    assert rows["A"]["expected_on"] == D1 + timedelta(days=3)


def test_fees_by_type_per_order(shop: Path) -> None:
    with ResultSet([shop]) as rs:
        fees = order_fees(rs).to_pylist()
    assert {(f["order_ref"], f["category"], f["amount_minor"]) for f in fees} == {
        ("A", "交易分账", -500), ("B", "交易分账", -350)}


def test_orders_paid_together_share_the_combined_payment_in_proportion(tmp_path: Path) -> None:
    folder = write_result(tmp_path / "r", [
        *left(order("P", 20000, 1, match="M1"), order("Q", 10001, 1, match="M1")),
        *right(line("pay", "payment", 30001, 9, batch_ref="T1", match="M1"),
               line("fp", "fee", -1000, 9, order_ref="P", match="M1", category="佣金"),
               line("fq", "fee", -500, 9, order_ref="Q", match="M1", category="佣金")),
    ])
    rows = _by_order(folder)
    assert rows["P"]["settled_minor"] + rows["Q"]["settled_minor"] == 30001
    assert abs(rows["P"]["settled_minor"] - 20000) <= 1
    assert (rows["P"]["fees_minor"], rows["Q"]["fees_minor"]) == (-1000, -500)
    assert {rows["P"]["status"], rows["Q"]["status"]} == {"settled"}


def test_batch_settlement_keeps_the_settlement_id_and_amazon_timing(tmp_path: Path) -> None:
    """Amazon pays every 14 days in settlements: each order's lines carry the settlement id."""
    folder = write_result(tmp_path / "amz", [
        *left(order("111-1", 2500, 1, match="M1", currency="USD"),
              order("111-2", 4000, 2, match="M2", currency="USD"),
              order("111-3", 3000, 3, status="shipped", reason="not_settled", currency="USD"),
              source="own_orders"),
        *right(line("s1", "payment", 2500, 15, order_ref="111-1", batch_ref="SETT-9", match="M1",
                    currency="USD"),
               line("s2", "fee", -375, 15, order_ref="111-1", batch_ref="SETT-9", match="M1", currency="USD",
                    category="Commission"),
               line("s3", "payment", 4000, 15, order_ref="111-2", batch_ref="SETT-9", match="M2",
                    currency="USD"),
               source="amazon_settlement_v2"),
    ])
    rows = _by_order(folder)
    assert rows["111-1"]["batch_refs"] == rows["111-2"]["batch_refs"] == "SETT-9"
    assert rows["111-1"]["platform"] == "amazon"
    # an unsettled order of the same run takes the run's platform, and Amazon's 14 days
    assert rows["111-3"]["platform"] == "amazon"
    assert rows["111-3"]["expected_on"] == day(3).date() + timedelta(days=14)
    assert rows["111-3"]["currency"] == "USD"


def test_a_folder_that_is_not_a_result_is_refused_in_one_line(tmp_path: Path) -> None:
    from huikuan.receivables import NotAResultError
    (tmp_path / "x").mkdir()
    with pytest.raises(NotAResultError, match=r"entries\.parquet is missing"):
        ResultSet([tmp_path / "x"])


def test_two_shops_with_same_folder_name_stay_apart(tmp_path: Path) -> None:
    unsettled = {"status": "paid", "reason": "not_settled"}
    a = write_result(tmp_path / "shop-a" / "2023-11", left(order("X", 100, 1, **unsettled)))
    b = write_result(tmp_path / "shop-b" / "2023-11", left(order("X", 200, 1, **unsettled)))
    with ResultSet([a, b]) as rs:
        rows = order_collections(rs).to_pylist()
    assert sorted(r["ordered_minor"] for r in rows) == [100, 200]
    assert len({r["result"] for r in rows}) == 2
