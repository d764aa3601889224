"""Amount tolerances at their boundaries: exactly at the tolerance a rule takes the match, one fen
beyond it does not. The values are the business rules (5 fen of rounding between an order and
its payment, nothing between a payout and its bank credit), written here on purpose: a template
whose tolerance drifts (5 fen became 50 and the suite still passed) fails these tests.
Date windows are deliberately not probed here: their boundaries are tested with their semantics.
"""

from __future__ import annotations

import pytest

from huikuan.engine import MatchResult, load_template, reconcile, template_names
from huikuan.engine.rules import template_from_data
from huikuan.engine.sql import effective_checks
from tests.engine.entries import entries, line, order
from tests.engine.helpers import groups

ORDERS = load_template("orders-settlement")
PAYOUTS = load_template("payout-bank")

#: Every amount tolerance (tolerance_minor, tolerance_bp) of every check of every shipped rule, and
#: each template's rounding_minor. Each has a boundary test below: a tolerance that changes, or a
#: new one, fails here until its boundary is tested.
SHIPPED_TOLERANCES = {
    # checks: the payment, the net where the order states a refund, an after-sale refund where it
    # states none (reported only), refunds never above what was paid
    ("orders-settlement", "order-number"): ((0, 0), (0, 0), (0, 0), (0, 0)),
    ("orders-settlement", "order-number-rounding"): ((5, 0), (5, 0), (0, 0), (0, 0)),
    ("orders-settlement", "combined-payment"): ((0, 0), (0, 0), (0, 0), (0, 0)),
    ("orders-settlement", "order-number-amount-differs"): ((0, 0), (0, 0), (0, 0), (0, 0)),  # reports only
    ("orders-settlement", "amount-and-date"): ((0, 0),),
    ("payout-bank", "payout-reference"): ((0, 0),),
    ("payout-bank", "payout-amount-date"): ((0, 0),),
    ("payout-bank", "batched-payouts"): ((0, 0),),
}
SHIPPED_ROUNDING = {"orders-settlement": 5, "payout-bank": 0}


def test_every_shipped_tolerance_is_one_whose_boundaries_are_tested():
    found = {(name, rule.name): tuple((c.tolerance_minor, c.tolerance_bp) for c in effective_checks(rule))
             for name in template_names() for rule in load_template(name).rules}
    assert found == SHIPPED_TOLERANCES
    assert {name: load_template(name).rounding_minor for name in template_names()} == SHIPPED_ROUNDING


def matched_by(result: MatchResult, record_id: str) -> tuple[str, str] | None:
    """(rule, status) of the match holding ``record_id``, or None when it is unmatched."""
    found = [g[2:] for g in groups(result) if record_id in g[0] or record_id in g[1]]
    return found[0] if found else None


def differences(result: MatchResult) -> list[tuple[int, str]]:
    return [(d["difference_minor"], d["reason"]) for d in result.differences.to_pylist()]


# ---- orders-settlement -----------------------------------------------------------------------

def settle(paid: int, backend: str, *, refund: int | None = None, billed_refund: int | None = None):
    left = [order("A1", 9900, 1)]
    right = [line("p1", "payment", paid, 2, order_ref="A1")]
    if refund is not None:
        left.append({**order("A1", refund, 3), "record_id": "A1/refund", "kind": "order_refund"})
    if billed_refund is not None:
        right.append(line("r1", "refund", billed_refund, 3, order_ref="A1"))
    return reconcile(entries(*left), entries(*right), ORDERS, backend=backend)


@pytest.mark.parametrize("paid", [9895, 9905], ids=["5-fen-short", "5-fen-over"])
def test_five_fen_off_is_confirmed_as_rounding(paid, backend):
    result = settle(paid, backend)
    assert matched_by(result, "A1") == ("order-number-rounding", "auto")
    assert differences(result) == [(9900 - paid, "rounding")]


@pytest.mark.parametrize("paid", [9894, 9906], ids=["6-fen-short", "6-fen-over"])
def test_six_fen_off_is_only_suggested_and_not_called_rounding(paid, backend):
    result = settle(paid, backend)
    assert matched_by(result, "A1") == ("order-number-amount-differs", "suggested")
    assert differences(result) == [(9900 - paid, "amount_mismatch")]


@pytest.mark.parametrize("paid", [9899, 9901], ids=["1-fen-short", "1-fen-over"])
def test_one_fen_off_is_not_an_exact_order_number_match(paid, backend):
    assert matched_by(settle(9900, backend), "A1") == ("order-number", "auto")
    assert matched_by(settle(paid, backend), "A1") == ("order-number-rounding", "auto")


@pytest.mark.parametrize(("billed_refund", "matched", "difference"), [
    (-2005, ("order-number-rounding", "auto"), (5, "rounding")),
    (-1995, ("order-number-rounding", "auto"), (-5, "rounding")),
    (-2006, ("order-number-amount-differs", "suggested"), (6, "refunded_twice")),
    (-1994, ("order-number-amount-differs", "suggested"), (-6, "refund_not_deducted")),
])
def test_a_refund_within_five_fen_of_the_order_is_rounding_six_is_not(billed_refund, matched, difference,
                                                                      backend):
    exact = settle(9900, backend, refund=-2000, billed_refund=-2000)
    assert matched_by(exact, "A1") == ("order-number", "auto")
    assert differences(exact) == []
    result = settle(9900, backend, refund=-2000, billed_refund=billed_refund)
    assert matched_by(result, "A1") == matched
    assert differences(result) == [difference]


@pytest.mark.parametrize(("paid", "reason"), [(9895, "rounding"), (9905, "rounding"),
                                              (9894, "amount_mismatch"), (9906, "amount_mismatch")])
def test_a_difference_is_called_rounding_up_to_five_fen_in_any_match(paid, reason, backend):
    # the bill refunds 5.00 more than the order says, so only the review rule takes the order; its
    # payment difference is named by the template's rounding_minor, not by a rule's tolerance
    result = settle(paid, backend, refund=-2000, billed_refund=-2500)
    assert matched_by(result, "A1") == ("order-number-amount-differs", "suggested")
    net = 9900 - 2000 - (paid - 2500)
    assert sorted(differences(result)) == sorted([(9900 - paid, reason), (net, "refunded_twice")])


@pytest.mark.parametrize(("paid", "rule"), [(5000, "combined-payment"), (5001, None), (4999, None)])
def test_orders_paid_together_must_sum_to_the_fen(paid, rule, backend):
    result = reconcile(entries(order("A1", 3000, 1, batch_ref="T9"), order("A2", 2000, 1, batch_ref="T9")),
                       entries(line("p1", "payment", paid, 2, batch_ref="T9")), ORDERS, backend=backend)
    assert matched_by(result, "p1") == ((rule, "auto") if rule else None)


@pytest.mark.parametrize(("paid", "matched"), [(4321, True), (4322, False), (4320, False)])
def test_a_payment_without_order_number_must_equal_the_order(paid, matched, backend):
    result = reconcile(entries(order("A1", 4321, 1)), entries(line("p1", "payment", paid, 3)), ORDERS,
                       backend=backend)
    assert matched_by(result, "p1") == (("amount-and-date", "suggested") if matched else None)


# ---- payout-bank -----------------------------------------------------------------------------

def bank(payouts: list[dict], credits: list[dict], backend: str) -> MatchResult:
    return reconcile(entries(*payouts), entries(*credits), PAYOUTS, backend=backend)


@pytest.mark.parametrize(("credited", "rule"), [(100000, "payout-reference"), (100001, None), (99999, None)])
def test_a_payout_named_in_the_memo_must_be_credited_to_the_fen(credited, rule, backend):
    result = bank([line("w1", "payout", -100000, 1, batch_ref="S1")],
                  [line("b1", "bank_credit", credited, 2, batch_ref="S1")], backend)
    assert matched_by(result, "w1") == ((rule, "auto") if rule else None)


@pytest.mark.parametrize(("credited", "day", "rule"), [
    (100000, 2, ("payout-amount-date", "auto")), (100001, 2, None), (99999, 2, None),
    (100000, 7, ("payout-amount-date", "suggested")), (100001, 7, None), (99999, 7, None)])
def test_a_payout_without_reference_must_be_credited_to_the_fen(credited, day, rule, backend):
    result = bank([line("w1", "payout", -100000, 1)], [line("b1", "bank_credit", credited, day)], backend)
    assert matched_by(result, "w1") == rule


@pytest.mark.parametrize(("credited", "rule"), [(200000, ("batched-payouts", "suggested")), (200001, None),
                                                (199999, None)])
def test_payouts_credited_together_must_sum_to_the_fen(credited, rule, backend):
    result = bank([line("w1", "payout", -120000, 10), line("w2", "payout", -80000, 10.5)],
                  [line("b1", "bank_credit", credited, 11)], backend)
    assert matched_by(result, "b1") == rule
    assert result.differences.num_rows == 0  # payout-bank never reports a difference inside a match


# ---- tolerance in basis points (no shipped rule uses one yet) --------------------------------

PERCENT = template_from_data({"name": "percent", "rules": [
    {"name": "within-1pct", "type": "key", "key": "order_ref", "cardinality": "1:n",
     "checks": [{"left_kinds": ["order"], "right_kinds": ["payment"], "tolerance_bp": 100}]}]},
    "percent")


@pytest.mark.parametrize(("paid", "matched"), [(9900, True), (10100, True), (9899, False), (10101, False)])
def test_a_tolerance_in_basis_points_is_a_share_of_the_left_amount(paid, matched, backend):
    result = reconcile(entries(order("A1", 10000, 1)),
                       entries(line("p1", "payment", paid, 2, order_ref="A1")), PERCENT, backend=backend)
    assert matched_by(result, "A1") == (("within-1pct", "auto") if matched else None)
