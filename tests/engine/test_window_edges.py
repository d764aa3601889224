"""Every date window at its edge and one day past it: a window one day wider (or narrower) in
a template must fail here."""

from __future__ import annotations

import pytest

from huikuan.engine import load_template, reconcile
from tests.engine.entries import entries, line, order
from tests.engine.helpers import groups, reasons


@pytest.fixture
def backend() -> str:
    return "duckdb"  # the same SQL runs on Spark: see test_spark_agrees.py


def settle(left, right):
    return reconcile(entries(*left), entries(*right), load_template("orders-settlement"))


@pytest.mark.parametrize(("paid_on", "matched"), [(15, True), (16, False), (0, True), (-1, False)])
def test_payment_without_order_number_within_15_days(backend, paid_on, matched):
    # the order is on day 1 at 09:00; the payment line 'paid_on' days later, at the same time
    # (-1: the day before the order)
    result = settle([order("A1", 4321, 1)], [line("p1", "payment", 4321, 1 + paid_on)])
    assert bool(groups(result)) is matched


@pytest.mark.parametrize(("late_by", "matched"), [(3, True), (4, False)])
def test_batched_payouts_within_3_days(backend, late_by, matched):
    result = reconcile(
        entries(line("w1", "payout", -120000, 10), line("w2", "payout", -80000, 10)),
        entries(line("b1", "bank_credit", 200000, 10 + late_by)), load_template("payout-bank"))
    assert bool(groups(result)) is matched


@pytest.mark.parametrize(("order_day", "reason"), [(21, "timing"), (20, "not_settled")])
def test_order_is_timing_within_10_days_of_the_bills_end(backend, order_day, reason):
    # the bill's last line is on day 30: an unsettled order of day 21 may settle next month
    result = settle([order("A1", 5000, order_day)], [line("p9", "payment", 7000, 30, order_ref="X9")])
    assert reasons(result)["A1"] == reason


@pytest.mark.parametrize(("line_day", "reason"), [(10, "timing"), (11, "no_order")])
def test_line_is_timing_within_10_days_of_the_orders_start(backend, line_day, reason):
    # the order export starts on day 1: a line of day 10 may belong to last month's order
    result = settle([order("A1", 5000, 1)], [line("p9", "payment", 7000, line_day, order_ref="X9")])
    assert reasons(result)["p9"] == reason


@pytest.mark.parametrize(("payout_day", "reason"), [(28, "timing"), (27, "payout_not_received")])
def test_payout_is_timing_within_3_days_of_the_statements_end(backend, payout_day, reason):
    result = reconcile(entries(line("w1", "payout", -100000, payout_day)),
                       entries(line("b0", "bank_credit", 7, 1), line("b9", "bank_credit", 9, 30)),
                       load_template("payout-bank"))
    assert reasons(result)["w1"] == reason


@pytest.mark.parametrize(("credit_day", "reason"), [(3, "timing"), (4, "unknown_credit")])
def test_credit_is_timing_within_3_days_of_the_bills_start(backend, credit_day, reason):
    result = reconcile(entries(line("w0", "payout", -7, 1), line("w9", "payout", -9, 30)),
                       entries(line("b1", "bank_credit", 100000, credit_day)), load_template("payout-bank"))
    assert reasons(result)["b1"] == reason
