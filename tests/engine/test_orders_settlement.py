"""orders-settlement: an order with its payment, fees and refunds, and why others are left."""

from __future__ import annotations

from huikuan.engine import load_template, reconcile
from tests.engine.entries import entries, line, order
from tests.engine.helpers import groups, pair, reasons

TEMPLATE = load_template("orders-settlement")


def run(left, right, backend):
    return reconcile(entries(*left), entries(*right), TEMPLATE, backend=backend)


def test_order_gathers_payment_fees_and_refund(backend):
    result = run(
        [order("A1", 12800, 1), {**order("A1", -2000, 5), "record_id": "A1/refund", "kind": "order_refund"}],
        [line("p1", "payment", 12800, 3, order_ref="A1"), line("f1", "fee", -640, 3, order_ref="A1"),
         line("f2", "fee", -384, 4, order_ref="A1"), line("r1", "refund", -2000, 5, order_ref="A1")],
        backend)
    assert groups(result) == [(frozenset({"A1", "A1/refund"}), frozenset({"p1", "f1", "f2", "r1"}),
                               "order-number", "auto")]
    assert result.unmatched.num_rows == 0
    assert result.differences.num_rows == 0


def test_cent_difference_is_matched_and_reported_as_rounding(backend):
    result = run([order("A1", 9900, 1)], [line("p1", "payment", 9899, 2, order_ref="A1")], backend)
    assert pair(result, "A1")[2:] == ("order-number-rounding", "auto")
    diff = result.differences.to_pylist()
    assert [(d["difference_minor"], d["reason"]) for d in diff] == [(1, "rounding")]


def test_amount_mismatch_is_only_suggested_with_its_reason(backend):
    result = run([order("A1", 9900, 1)], [line("p1", "payment", 8900, 2, order_ref="A1")], backend)
    assert pair(result, "A1")[2:] == ("order-number-amount-differs", "suggested")
    assert [d["reason"] for d in result.differences.to_pylist()] == ["amount_mismatch"]


def test_refund_in_the_order_but_not_in_the_bill(backend):
    result = run(
        [order("A1", 5990, 1), {**order("A1", -2000, 4), "record_id": "A1/refund", "kind": "order_refund"}],
        [line("p1", "payment", 5990, 2, order_ref="A1")], backend)
    assert pair(result, "A1")[2:] == ("order-number-amount-differs", "suggested")
    assert [d["reason"] for d in result.differences.to_pylist()] == ["refund_not_deducted"]


def test_refunded_twice(backend):
    result = run(
        [order("A1", 5990, 1), {**order("A1", -2000, 4), "record_id": "A1/refund", "kind": "order_refund"}],
        [line("p1", "payment", 5990, 2, order_ref="A1"), line("r1", "refund", -2000, 4, order_ref="A1"),
         line("r2", "refund", -2000, 5, order_ref="A1")], backend)
    assert [d["reason"] for d in result.differences.to_pylist()] == ["refunded_twice"]


def test_orders_paid_together_match_by_trade_number(backend):
    result = run(
        [order("A1", 3000, 1, batch_ref="T9"), order("A2", 2000, 1, batch_ref="T9")],
        [line("p1", "payment", 5000, 3, batch_ref="T9"), line("f1", "fee", -250, 3, batch_ref="T9")],
        backend)
    assert groups(result) == [(frozenset({"A1", "A2"}), frozenset({"p1", "f1"}), "combined-payment", "auto")]


def test_each_unmatched_record_gets_a_reason(backend):
    result = run(
        [order("C1", 0, 1, status="closed"), order("U1", 5000, 2, status="unpaid"),
         order("N1", 5000, 3), order("T1", 7000, 29), order("M1", 100, 2)],
        [line("p0", "payment", 1000, 20, order_ref="A1"), line("f0", "fee", -50, 20, order_ref="Z9"),
         line("w1", "payout", -100000, 10), line("d1", "deposit", -50000, 12),
         line("pend", "payment", 4000, 30, order_ref="ZZ")],
        backend)
    assert reasons(result) == {
        "C1": "order_closed", "U1": "unpaid", "N1": "not_settled", "T1": "timing", "M1": "not_settled",
        "p0": "no_order", "f0": "fee_without_order", "w1": "transfer", "d1": "reserve_held",
        "pend": "no_order",
    }
    assert result.matches.num_rows == 0


def test_payment_without_order_number_is_suggested_by_amount_and_date(backend):
    result = run([order("A1", 4321, 1), order("A2", 5000, 1)],
                 [line("p1", "payment", 4321, 3)], backend)
    assert pair(result, "A1") == (frozenset({"A1"}), frozenset({"p1"}), "amount-and-date", "suggested")
    # the bill ends on day 3: an order of day 1 without settlement probably settles later
    assert reasons(result) == {"A2": "timing"}


def test_a_record_claimed_by_a_strong_rule_is_not_offered_again(backend):
    result = run([order("A1", 5000, 1), order("A2", 5000, 1)],
                 [line("p1", "payment", 5000, 2, order_ref="A1")], backend)
    assert pair(result, "p1")[0] == frozenset({"A1"})
    assert set(reasons(result)) == {"A2"}


def test_timing_only_near_the_edges_of_the_other_file(backend):
    result = run([order("A1", 5000, 1), order("A2", 5000, 12), order("A3", 5000, 25)],
                 [line("p0", "payment", 7000, 2, order_ref="X0"),
                  line("p9", "payment", 7000, 20, order_ref="X9"),
                  line("p8", "payment", 7000, 30, order_ref="X8")], backend)
    assert reasons(result) == {"A1": "not_settled", "A2": "not_settled", "A3": "timing",
                               "p0": "timing", "p9": "no_order", "p8": "no_order"}
