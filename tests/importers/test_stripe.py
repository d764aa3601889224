"""Stripe: the "balance change from activity" sample and a dashboard balance-history fixture."""

from __future__ import annotations

from pathlib import Path

from huikuan.importers import import_file
from tests.conftest import FIXTURES, sample
from tests.importers.entries import entries_by_id as by_id
from tests.importers.golden import assert_golden

REPORT = "stripe-balance/stripe-balance-change-from-activity.csv"
HISTORY = FIXTURES / "stripe_balance" / "stripe-balance-history-2026-09.csv"



def test_golden_report_sample():
    assert_golden(import_file(sample(REPORT)), "stripe-balance")


def test_golden_balance_history_fixture():
    assert_golden(import_file(HISTORY), "stripe_balance_history-2026-09")


def test_report_charge_and_refund_in_upper_case_currency():
    result = import_file(sample(REPORT))
    assert result.format_id == "stripe_balance"
    rows = by_id(result)
    charge = rows["txn_14G11HjubSIHf9IKrvJdwN"]
    assert (charge["kind"], charge["amount_minor"], charge["currency"]) == ("payment", 1200, "USD")
    refund = rows["txn_14G11HjHgubIH9ZvbPgYO7"]
    assert (refund["kind"], refund["amount_minor"], refund["text"]) == ("refund", -77, "REFUND FOR PAYMENT")
    assert charge["ts"].isoformat() == "2020-01-23T08:26:29+00:00"
    assert len(rows) == 2  # no fee entries where the fee is 0.00


def test_charge_fee_is_a_separate_negative_entry_of_the_same_order_and_payout():
    rows = by_id(import_file(HISTORY))
    charge, fee = rows["txn_3NqK8bLkdIwHu7ix0Xo5zV1A"], rows["txn_3NqK8bLkdIwHu7ix0Xo5zV1A/fee"]
    assert (charge["kind"], charge["amount_minor"], charge["order_ref"]) == ("payment", 12000, "1001")
    assert (fee["kind"], fee["amount_minor"], fee["order_ref"]) == ("fee", -378, "1001")
    assert charge["batch_ref"] == fee["batch_ref"] == "po_1NrT5aLkdIwHu7ixQ2vD8sLp"


def test_payout_leaves_the_balance_and_carries_its_payout_id():
    payout = by_id(import_file(HISTORY))["txn_1NrT5aLkdIwHu7ixS9oB5kEe"]
    assert (payout["kind"], payout["amount_minor"]) == ("payout", -13810)
    assert payout["batch_ref"] == "po_1NrT5aLkdIwHu7ixQ2vD8sLp"


def test_rows_paid_out_together_add_up_to_the_payout():
    rows = import_file(HISTORY).entries.to_pylist()
    batch = [e["amount_minor"] for e in rows
             if e["batch_ref"] == "po_1NrT5aLkdIwHu7ixQ2vD8sLp" and e["kind"] != "payout"]
    assert sum(batch) == 13810


def test_net_column_is_checked_against_gross_less_fee(tmp_path: Path):
    result = import_file(HISTORY)
    assert [(c.name, c.ok) for c in result.checks] == [("net = gross - fee (USD)", True)]
    changed = tmp_path / "history.csv"
    changed.write_text(HISTORY.read_text().replace(",45.50,1.62,,,43.88,", ",45.50,1.62,,,43.98,"))
    warned = import_file(changed).warnings
    assert any(":3: net 43.98 is not gross 45.50 less fee 1.62" in w for w in warned)


def test_unreadable_amount_is_a_row_error(tmp_path: Path):
    changed = tmp_path / "history.csv"
    changed.write_text(HISTORY.read_text().replace(",1250.00,36.55,", ",1250.0.0,36.55,"))
    result = import_file(changed)
    assert [e.line for e in result.errors] == [7]
