"""A matched order takes all of its rows: whichever rule matched it, every other open line with
its order number joins the group, and a source row split into parts is never torn apart."""

from __future__ import annotations

import pytest

from huikuan.engine import load_template, reconcile
from tests.engine.entries import entries, line, order
from tests.engine.helpers import groups, pair, reasons

TEMPLATE = load_template("orders-settlement")



@pytest.fixture
def backend() -> str:
    """DuckDB only: these cases run on Spark together in test_spark_agrees.py (each Spark run
    costs seconds)."""
    return "duckdb"

def run(left, right, backend):
    return reconcile(entries(*left), entries(*right), TEMPLATE, backend=backend)


def test_combined_payment_takes_the_fees_and_refunds_keyed_only_by_order_number(backend):
    # 合并付款: two orders, one 交易付款 line for both (its 业务流水号 is the orders' 支付单号);
    # the 天猫佣金 fees and an after-sale refund carry only the order number (from 备注)
    result = run(
        [order("A1", 5000, 1, batch_ref="T100"), order("B1", 3000, 1, batch_ref="T100"),
         {**order("B1", -1000, 6, batch_ref="T100"), "record_id": "B1/refund", "kind": "order_refund"}],
        [line("p1", "payment", 8000, 4, batch_ref="T100"),
         line("f1", "fee", -250, 4, order_ref="A1"), line("f2", "fee", -150, 4, order_ref="B1"),
         line("r1", "refund", -1000, 6, order_ref="B1")],
        backend)
    assert groups(result) == [(frozenset({"A1", "B1", "B1/refund"}), frozenset({"p1", "f1", "f2", "r1"}),
                               "combined-payment", "auto")]
    assert result.unmatched.num_rows == 0


def test_order_number_never_stands_in_both_matches_and_unmatched(backend):
    result = run(
        [order("A1", 5000, 1, batch_ref="T1"), order("B1", 3000, 1, batch_ref="T1"), order("C1", 700, 2)],
        [line("p1", "payment", 8000, 4, batch_ref="T1"), line("s1", "subsidy", 200, 9, order_ref="A1"),
         line("p3", "payment", 700, 5, order_ref="C1"), line("f3", "fee", -7, 20, order_ref="C1")],
        backend)
    matched = {g for m in groups(result) for g in (*m[0], *m[1])}
    assert {"s1", "f3"} <= matched
    assert reasons(result) == {}


def test_parts_of_one_row_stay_together_when_only_one_part_has_the_key(backend):
    # a wallet row split into gross and fee: only the gross part carries the order number
    result = run([order("S1", 10000, 1)],
                 [line("txn_1", "payment", 10000, 2, order_ref="S1", line=7),
                  line("txn_1/fee", "fee", -320, 2, line=7)], backend)
    assert pair(result, "txn_1/fee") == (frozenset({"S1"}), frozenset({"txn_1", "txn_1/fee"}),
                                         "order-number", "auto")


def test_an_order_number_shared_by_two_matches_is_left_for_a_person(backend):
    # two groups claim order number X1 (a damaged export): a fee keyed X1 joins neither
    result = run([order("X1", 100, 1, batch_ref="T1"), order("X1b", 100, 1, batch_ref="T2"),
                  {**order("X1", 100, 1, batch_ref="T2"), "record_id": "X1-copy"}],
                 [line("p1", "payment", 100, 2, batch_ref="T1"),
                  line("p2", "payment", 200, 2, batch_ref="T2"),
                  line("f1", "fee", -1, 3, order_ref="X1")], backend)
    assert "f1" in reasons(result)


def test_follow_ups_keep_the_tier_of_the_group_they_join(backend):
    result = run([order("A1", 9900, 1)],
                 [line("p1", "payment", 8900, 2, order_ref="A1"),
                  line("f1", "fee", -89, 2, order_ref="A1")], backend)
    assert pair(result, "f1")[2:] == ("order-number-amount-differs", "suggested")
