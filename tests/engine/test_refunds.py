"""Refunds as they really move (DOMAIN.md §2): before the buyer confirms receipt (售中, the payment
is paid − refunded and there is no refund line) and after settlement (售后, a refund line of its
own), on order lists that state the refund (Taobao 退款金额) and on those that do not (PDD, own
order lists, saved profiles)."""

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


def stated_refund(no: str, amount: int, day: float, **extra) -> dict:
    """The order export's 退款金额, as the Taobao importer gives it: ``<no>/refund``."""
    return {**order(no, -amount, day, **extra), "record_id": f"{no}/refund", "kind": "order_refund"}


def differences(result) -> list[tuple[str, int, int, str]]:
    return [(d["check"], d["left_minor"], d["right_minor"], d["reason"])
            for d in result.differences.to_pylist()]


# ---- the order list states the refund (Taobao 退款金额) ------------------------------------------

def test_refund_before_settlement_is_paid_net_and_matched_auto(backend):
    # 售中: the buyer paid 100.00, got 30.00 back before confirming; Alipay credits 70.00 only
    result = run([order("A1", 10000, 1), stated_refund("A1", 3000, 2)],
                 [line("p1", "payment", 7000, 5, order_ref="A1"),
                  line("f1", "fee", -350, 5, order_ref="A1")], backend)
    assert groups(result) == [(frozenset({"A1", "A1/refund"}), frozenset({"p1", "f1"}),
                               "order-number", "auto")]
    assert differences(result) == []


def test_refund_after_settlement_with_its_own_line_is_matched_auto(backend):
    result = run([order("A1", 10000, 1), stated_refund("A1", 3000, 8)],
                 [line("p1", "payment", 10000, 5, order_ref="A1"),
                  line("r1", "refund", -3000, 8, order_ref="A1")], backend)
    assert pair(result, "r1")[2:] == ("order-number", "auto")
    assert differences(result) == []


def test_stated_refund_missing_from_the_bill_is_suggested_as_not_deducted(backend):
    result = run([order("A1", 10000, 1), stated_refund("A1", 3000, 8)],
                 [line("p1", "payment", 10000, 5, order_ref="A1")], backend)
    assert pair(result, "A1")[2:] == ("order-number-amount-differs", "suggested")
    assert [d[3] for d in differences(result)] == ["refund_not_deducted"]


def test_bill_refunding_more_than_the_order_states_is_suggested(backend):
    result = run([order("A1", 10000, 1), stated_refund("A1", 3000, 8)],
                 [line("p1", "payment", 10000, 5, order_ref="A1"),
                  line("r1", "refund", -3000, 8, order_ref="A1"),
                  line("r2", "refund", -3000, 9, order_ref="A1")], backend)
    assert pair(result, "A1")[2:] == ("order-number-amount-differs", "suggested")
    assert [d[3] for d in differences(result)] == ["refunded_twice"]


def test_whole_refund_before_settlement_leaves_a_closed_order_explained(backend):
    # 售中 full refund: the order is closed and Alipay never credited anything
    result = run([order("A1", 10000, 1, status="closed"), stated_refund("A1", 10000, 2, status="closed"),
                  order("A2", 500, 1)],
                 [line("p2", "payment", 500, 4, order_ref="A2")], backend)
    assert reasons(result) == {"A1": "order_closed", "A1/refund": "order_closed"}


# ---- the order list states no refund (PDD order export, own ERP lists, profiles) -------------------

def test_after_sale_refund_joins_the_order_and_keeps_its_tier(backend):
    result = run([order("231122-000000000000001", 10000, 1)],
                 [line("p1", "payment", 10000, 3, order_ref="231122-000000000000001"),
                  line("f1", "fee", -60, 3, order_ref="231122-000000000000001"),
                  line("r1", "refund", -3000, 9, order_ref="231122-000000000000001",
                       text="售后单号 1234")], backend)
    assert pair(result, "r1") == (frozenset({"231122-000000000000001"}), frozenset({"p1", "f1", "r1"}),
                                  "order-number", "auto")
    # listed for information: the order list says nothing, the bill took 30.00 back
    assert differences(result) == [("order_refund vs refund", 0, -3000, "refund_after_settlement")]


def test_fully_refunded_order_is_explained_not_a_problem(backend):
    result = run([order("O1", 10000, 1, status="refunded")],
                 [line("p1", "payment", 10000, 3, order_ref="O1"),
                  line("r1", "refund", -10000, 9, order_ref="O1")], backend)
    assert pair(result, "O1")[2:] == ("order-number", "auto")
    assert [d[3] for d in differences(result)] == ["refund_after_settlement"]
    assert "refunded_twice" not in {d[3] for d in differences(result)}


def test_refund_larger_than_what_was_paid_is_a_problem(backend):
    result = run([order("O1", 10000, 1)],
                 [line("p1", "payment", 10000, 3, order_ref="O1"),
                  line("r1", "refund", -10001, 9, order_ref="O1")], backend)
    assert pair(result, "O1")[2:] == ("order-number-amount-differs", "suggested")
    assert "refunded_over_paid" in {d[3] for d in differences(result)}


def test_refund_of_exactly_what_was_paid_is_not_over_paid(backend):
    result = run([order("O1", 10000, 1)],
                 [line("p1", "payment", 10000, 3, order_ref="O1"),
                  line("r1", "refund", -10000, 9, order_ref="O1")], backend)
    assert pair(result, "O1")[2:] == ("order-number", "auto")


def test_wechat_refund_row_with_its_returned_fee_stays_whole(backend):
    # a WeChat REFUND row: the refund and the fee it gives back are parts of one source row
    result = run([order("W1", 20000, 1)],
                 [line("4200001", "payment", 20000, 2, order_ref="W1", line=2),
                  line("4200001/fee", "fee", -120, 2, order_ref="W1", line=2),
                  line("5030001", "refund", -5000, 6, order_ref="W1", line=3),
                  line("5030001/fee", "fee", 30, 6, line=3)], backend)
    whole = frozenset({"4200001", "4200001/fee", "5030001", "5030001/fee"})
    assert groups(result) == [(frozenset({"W1"}), whole, "order-number", "auto")]
