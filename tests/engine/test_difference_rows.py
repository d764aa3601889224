"""The differences report row by row: which check, which amounts on each side, the signed
difference and its reason, for a key rule with several kinds and a window rule with none."""

from __future__ import annotations

from huikuan.engine import load_template, reconcile
from huikuan.engine.differences import explain
from huikuan.engine.rules import AmountCheck, template_from_data
from tests.engine.entries import entries, line, order


def rows(result):
    return [(d["match_id"], d["rule"], d["status"], d["check"], d["left_minor"], d["right_minor"],
             d["difference_minor"], d["currency"], d["reason"]) for d in result.differences.to_pylist()]


def test_a_refund_the_bill_did_not_deduct_names_every_kind_of_the_check():
    result = reconcile(
        entries(order("A1", 5990, 1),
                {**order("A1", -2000, 4), "record_id": "A1/refund", "kind": "order_refund"}),
        entries(line("p1", "payment", 5990, 2, order_ref="A1")), load_template("orders-settlement"))
    # the order's net 39.90 against the bill's 59.90: the bill is 20.00 larger
    assert rows(result) == [(1, "order-number-amount-differs", "suggested",
                             "order+order_refund vs payment+settlement+refund", 3990, 5990, -2000, "CNY",
                             "refund_not_deducted")]


def test_a_window_rule_with_a_tolerance_reports_all_amounts_and_opposite_signs():
    template = template_from_data({"name": "mine", "rounding_minor": 5, "rules": [{
        "name": "near", "type": "window", "relation": "opposite", "window_days": [0, 10],
        "tolerance_minor": 10}]}, "test rules")
    left = entries(line("w1", "payout", -100000, 1), line("w2", "payout", -200000, 1))
    right = entries(line("b1", "bank_credit", 100003, 2), line("b2", "bank_credit", 200008, 2))
    assert rows(reconcile(left, right, template)) == [
        (1, "near", "auto", "all vs all", -100000, 100003, 3, "CNY", "rounding"),
        (2, "near", "auto", "all vs all", -200000, 200008, 8, "CNY", "amount_mismatch"),
    ]


def test_a_net_of_the_same_size_but_the_other_sign_is_a_mismatch_not_a_refund_reason():
    # order net 39.90, bill net −39.90: neither side is larger, the signs disagree
    check = AmountCheck(left_kinds=("order", "order_refund"), right_kinds=("payment", "refund"),
                        reason_if_right_larger="refund_not_deducted",
                        reason_if_right_smaller="refunded_twice")
    assert explain(check, 3990, -3990, 5) == "amount_mismatch"
    assert explain(check, 3990, 5990, 5) == "refund_not_deducted"
    assert explain(check, 3990, 1990, 5) == "refunded_twice"
