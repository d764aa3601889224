"""BMO credit card and bank account downloads (public samples)."""

from __future__ import annotations

from pathlib import Path

from huikuan.importers import import_file
from tests.conftest import sample
from tests.importers.golden import assert_golden

CREDIT = "bmo-ca-credit/bmo-ca-credit-2023-05.csv"
DEBIT = "bmo-debit/example-bmo-records.csv"


def test_golden_credit():
    assert_golden(import_file(sample(CREDIT)), "bmo-ca-credit")


def test_golden_debit():
    assert_golden(import_file(sample(DEBIT)), "bmo-debit")


def test_card_purchases_are_money_out_of_the_card():
    result = import_file(sample(CREDIT))
    assert result.format_id == "bmo_credit"
    rows = result.entries.to_pylist()
    assert [(e["kind"], e["amount_minor"], e["currency"]) for e in rows] == [
        ("bank_debit", -327, "CAD"), ("bank_debit", -8506, "CAD"), ("bank_debit", -600, "CAD")]
    assert rows[0]["account"] == "5191230567984561"  # quotes around the card number gone
    assert rows[2]["text"] == "T&T SUPERMARKET #026 SURREY BC"
    assert rows[2]["ts"].date().isoformat() == "2023-05-12"


def test_account_credits_and_debits_with_padded_descriptions():
    result = import_file(sample(DEBIT))
    assert result.format_id == "bmo_debit"
    rows = result.entries.to_pylist()
    assert [(e["kind"], e["amount_minor"]) for e in rows] == [
        ("bank_credit", 1), ("bank_debit", -6832), ("bank_debit", -5000), ("bank_debit", -4000)]
    assert rows[1]["text"] == "[CW]TELUS MOB"
    assert [e["line"] for e in rows] == [7, 8, 9, 10]


def test_unreadable_amount_is_reported_with_its_line(tmp_path: Path):
    changed = tmp_path / "bmo.csv"
    changed.write_text(sample(DEBIT).read_text().replace(",-68.32,", ",-68.3.2,"))
    result = import_file(changed)
    assert [e.line for e in result.errors] == [8]
    assert len(result.entries) == 3
