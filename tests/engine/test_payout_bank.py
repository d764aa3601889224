"""payout-bank: platform withdrawals against bank credits."""

from __future__ import annotations

from huikuan.engine import load_template, reconcile
from tests.engine.entries import entries, line
from tests.engine.helpers import groups, pair, reasons

TEMPLATE = load_template("payout-bank")
ALIPAY = "支付宝（中国）网络技术有限公司"


def run(left, right, backend):
    return reconcile(entries(*left), entries(*right), TEMPLATE, backend=backend)


def credit(record_id, amount, day, **extra):
    return line(record_id, "bank_credit", amount, day, counterparty=ALIPAY, **extra)


def test_reference_in_the_bank_memo_wins_over_amount_and_date(backend):
    result = run(
        [line("w1", "payout", -100000, 1, batch_ref="20231106110070001506560012345683"),
         line("w2", "payout", -100000, 1.5)],
        [credit("b1", 100000, 2), credit("b2", 100000, 2.2, batch_ref="20231106110070001506560012345683")],
        backend)
    assert pair(result, "w1") == (frozenset({"w1"}), frozenset({"b2"}), "payout-reference", "auto")
    assert pair(result, "w2")[1] == frozenset({"b1"})


def test_same_amount_payouts_pair_in_time_order_never_crosswise(backend):
    # Pairing by smallest lag would give w2-b1 (0 days) and then w1-b2 (2 days): crossed.
    result = run(
        [line("w1", "payout", -500000, 1), line("w2", "payout", -500000, 2)],
        [credit("b1", 500000, 2), credit("b2", 500000, 3)],
        backend)
    assert groups(result) == [
        (frozenset({"w1"}), frozenset({"b1"}), "payout-amount-date", "auto"),
        (frozenset({"w2"}), frozenset({"b2"}), "payout-amount-date", "auto"),
    ]


def test_many_equal_payouts_over_a_month_keep_their_order(backend):
    left = [line(f"w{i:02d}", "payout", -300000, i) for i in range(1, 21)]
    right = [credit(f"b{i:02d}", 300000, i + 1) for i in range(1, 21)]
    result = run(left, right, backend)
    assert {(sorted(g[0])[0][1:], sorted(g[1])[0][1:]) for g in groups(result)} == \
        {(f"{i:02d}", f"{i:02d}") for i in range(1, 21)}


def test_credit_before_the_payout_is_not_taken(backend):
    result = run([line("w0", "payout", -1, 1), line("w1", "payout", -100000, 15)],
                 [credit("b0", 100000, 14), credit("b9", 2, 30)], backend)
    assert result.matches.num_rows == 0
    assert reasons(result) == {"w0": "timing", "w1": "payout_not_received", "b0": "unknown_credit",
                               "b9": "unknown_credit"}


def test_payout_at_the_end_of_the_period_is_timing(backend):
    result = run([line("w0", "payout", -1, 1), line("w1", "payout", -100000, 30)],
                 [credit("b0", 2, 2), credit("b1", 3, 31)], backend)
    assert reasons(result)["w1"] == "timing"


def test_two_payouts_credited_together_are_suggested(backend):
    result = run(
        [line("w1", "payout", -120000, 10), line("w2", "payout", -80000, 10.5),
         line("w3", "payout", -55500, 11)],
        [credit("b1", 200000, 11)], backend)
    assert pair(result, "b1") == (frozenset({"w1", "w2"}), frozenset({"b1"}), "batched-payouts", "suggested")
    assert reasons(result) == {"w3": "timing"}


def test_late_credit_is_only_suggested(backend):
    # paid out Wednesday 1 November; with the weekend, on time until Monday the 6th
    result = run([line("w1", "payout", -100000, 1)], [credit("b1", 100000, 7), credit("b9", 1, 20)],
                 backend)
    assert pair(result, "w1")[2:] == ("payout-amount-date", "suggested")


def test_bank_debits_are_out_of_scope_and_unknown_credits_named(backend):
    result = run([line("w1", "payout", -100000, 1), line("f1", "fee", -300, 1, order_ref="A1")],
                 [credit("b1", 100000, 1), line("d1", "bank_debit", -320000, 2),
                  credit("x1", 77700, 15)], backend)
    assert pair(result, "w1")[1] == frozenset({"b1"})
    assert reasons(result) == {"f1": "out_of_scope", "d1": "out_of_scope", "x1": "unknown_credit"}
