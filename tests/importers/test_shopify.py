"""Shopify Payments transactions export (fixture written from the public header layout)."""

from __future__ import annotations

from pathlib import Path

from huikuan.importers import import_file
from tests.conftest import FIXTURES
from tests.importers.golden import assert_golden

EXPORT = FIXTURES / "shopify_payouts" / "payment_transactions_export_1.csv"


def test_golden():
    assert_golden(import_file(EXPORT), "shopify_payouts-1")


def test_charge_and_its_fee_belong_to_the_order_and_the_payout():
    result = import_file(EXPORT)
    assert result.format_id == "shopify_payouts"
    rows = [e for e in result.entries.to_pylist() if e["line"] == 8]
    assert [(e["kind"], e["amount_minor"], e["order_ref"], e["batch_ref"]) for e in rows] == [
        ("payment", 5629, "1019", "140769394954"),
        ("fee", -193, "1019", "140769394954"),
    ]
    assert [e["record_id"] for e in rows] == [
        "payment_transactions_export_1.csv:8", "payment_transactions_export_1.csv:8/fee"]


def test_refund_and_dispute_with_its_fee():
    rows = import_file(EXPORT).entries.to_pylist()
    refund = next(e for e in rows if e["category"] == "refund")
    assert (refund["kind"], refund["amount_minor"], refund["order_ref"]) == ("refund", -2500, "1019")
    dispute = [(e["kind"], e["amount_minor"]) for e in rows if e["order_ref"] == "1009"]
    assert dispute == [("refund", -8990), ("fee", -1500)]


def test_payment_not_yet_paid_out_is_pending_without_payout_id():
    first = import_file(EXPORT).entries.to_pylist()[0]
    assert (first["status"], first["batch_ref"], first["order_ref"]) == ("pending", None, "1027")


def test_payout_totals_and_net_check():
    result = import_file(EXPORT)
    assert all(c.ok for c in result.checks)
    rows = result.entries.to_pylist()
    paid = sum(e["amount_minor"] for e in rows if e["batch_ref"] == "140769394954")
    assert paid == 5629 - 193 + 3752 - 169 + 12900 - 404 - 2500


def test_bad_date_is_reported_with_its_line(tmp_path: Path):
    changed = tmp_path / "export.csv"
    changed.write_text(EXPORT.read_text().replace("2026-03-04 21:17:44 -0500", "2026-03-44 21:17:44 -0500"))
    result = import_file(changed)
    assert [e.line for e in result.errors] == [5]
