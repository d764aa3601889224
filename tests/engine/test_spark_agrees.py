"""The hand-built cases of refunds, follow-ups and payout chains give the same result on Spark
as on DuckDB: all of them at once, in one run per template (a Spark run costs seconds)."""

from __future__ import annotations

import pytest

from huikuan.engine import load_template, reconcile
from tests.engine import test_payout_chains, test_refunds
from tests.engine.entries import at, entries, line, order

pytestmark = pytest.mark.spark


def settlement_inputs():
    left = [order("A1", 10000, 1), test_refunds.stated_refund("A1", 3000, 2),
            order("A2", 10000, 1), test_refunds.stated_refund("A2", 3000, 8),
            order("P1", 10000, 1), order("P2", 10000, 1), order("P3", 10000, 1, status="refunded"),
            order("C1", 5000, 1, batch_ref="T100"), order("C2", 3000, 1, batch_ref="T100"),
            {**order("C2", -1000, 6, batch_ref="T100"), "record_id": "C2/refund", "kind": "order_refund"},
            order("S1", 10000, 1), order("X1", 9900, 2)]
    right = [line("p1", "payment", 7000, 5, order_ref="A1"), line("p2", "payment", 10000, 5, order_ref="A2"),
             line("p3", "payment", 10000, 3, order_ref="P1"), line("r3", "refund", -3000, 9, order_ref="P1"),
             line("p4", "payment", 10000, 3, order_ref="P2"), line("r4", "refund", -10001, 9, order_ref="P2"),
             line("p5", "payment", 10000, 3, order_ref="P3"), line("r5", "refund", -10000, 9, order_ref="P3"),
             line("p6", "payment", 8000, 4, batch_ref="T100"), line("f6", "fee", -250, 4, order_ref="C1"),
             line("f7", "fee", -150, 4, order_ref="C2"), line("r7", "refund", -1000, 6, order_ref="C2"),
             line("g8", "payment", 10000, 2, order_ref="S1", line=40),
             line("g8/fee", "fee", -320, 2, line=40), line("p9", "payment", 8900, 3, order_ref="X1"),
             line("p10", "payment", 5555, 4)]
    return entries(*left), entries(*right)


def payout_inputs():
    payout, credit = test_payout_chains.payout, test_payout_chains.credit
    left = [payout("w1", 1_000_000, "2023-11-06 10:00"), payout("w2", 1_000_000, "2023-11-09 09:00"),
            payout("w3", 1_000_000, "2023-11-13 10:00"), payout("w5", 500_000, "2023-11-07 10:34"),
            payout("w6", 3_000_000, "2023-11-14 10:00"), payout("w7", 3_000_000, "2023-11-15 10:00"),
            payout("w8", 2_000_000, "2024-09-30 15:00"), payout("w9", 100_000, "2023-11-20 09:00")]
    right = [credit("b1", 1_000_000, "2023-11-09 12:00"), credit("b2", 1_000_000, "2023-11-09 13:00"),
             credit("b3", 1_000_000, "2023-11-13 11:00"), credit("b5", 500_000, "2023-11-07"),
             credit("b6", 3_000_000, "2023-11-15 15:00"), credit("b8", 2_000_000, "2024-10-08 10:00"),
             credit("b9", 100_000, "2023-11-20 12:00", currency="USD"),
             line("d1", "bank_debit", -5000, None, ts=at("2023-11-21 10:00"))]
    return entries(*left), entries(*right)


@pytest.mark.parametrize(("template", "inputs"), [
    ("orders-settlement", settlement_inputs), ("payout-bank", payout_inputs)])
def test_spark_gives_the_duckdb_result(template, inputs):
    left, right = inputs()
    results = [reconcile(left, right, load_template(template), backend=b) for b in ("duckdb", "spark")]
    duck, spark = results
    assert duck.matches.num_rows > 6
    for name in ("matches", "unmatched", "differences"):
        assert getattr(duck, name).to_pylist() == getattr(spark, name).to_pylist(), name
