"""Venmo, DCU checking and Schwab checking (public samples; a Venmo statement fixture)."""

from __future__ import annotations

from pathlib import Path

from huikuan.importers import import_file
from tests.conftest import FIXTURES, sample
from tests.importers.entries import entries_by_id as by_id
from tests.importers.golden import assert_golden

VENMO = "venmo/venmo-transactions.csv"
VENMO_STATEMENT = FIXTURES / "venmo" / "venmo-statement-2024-03.csv"
DCU = "dcu-us-checking/dcu-checking-2021-12.csv"
SCHWAB = "schwab-us-checking/schwab-checking-2022.csv"



def test_golden_venmo():
    assert_golden(import_file(sample(VENMO)), "venmo")


def test_golden_venmo_statement_fixture():
    assert_golden(import_file(VENMO_STATEMENT), "venmo_statement-2024-03")


def test_golden_dcu():
    assert_golden(import_file(sample(DCU)), "dcu-us-checking")


def test_golden_schwab():
    assert_golden(import_file(sample(SCHWAB)), "schwab-us-checking")


def test_venmo_leading_space_header_and_signed_dollar_amounts():
    result = import_file(sample(VENMO))
    assert result.format_id == "venmo"
    rows = by_id(result)
    assert (rows["2394198259925614643"]["kind"], rows["2394198259925614643"]["amount_minor"]) == (
        "bank_debit", -22000)
    rent = rows["0454063333607815882"]  # the leading zero of the id is kept
    assert (rent["kind"], rent["amount_minor"]) == ("bank_credit", 115000)
    assert rent["counterparty"] == "Sally Smith"
    transfer = rows["355418184"]
    assert (transfer["kind"], transfer["amount_minor"], transfer["counterparty"]) == (
        "payout", -115000, "Visa Debit *8967")


def test_venmo_charge_paid_by_the_owner_is_to_the_person_who_charged():
    """A Charge row reads From = Maria Anderson (who asked), To = Brian Taylor (the owner, who
    paid): the other party is Maria, never the owner himself."""
    rows = by_id(import_file(sample(VENMO)))
    utilities = rows["3641977597632667950"]
    assert (utilities["category"], utilities["amount_minor"], utilities["counterparty"]) == (
        "Charge", -12000, "Maria Anderson")
    owner_named = [r for r in rows.values() if r["counterparty"] == "Brian Taylor"]
    assert owner_named == []


def test_venmo_statement_balances_fees_and_transfer_to_bank():
    result = import_file(VENMO_STATEMENT)
    assert result.meta["account"] == "@Warm-Wool-Studio"
    assert (result.meta["beginning_balance"], result.meta["ending_balance"]) == ("$120.00", "$32.00")
    rows = by_id(result)
    # the instant transfer moved 200.00 out of Venmo: 196.50 reach the bank, 3.50 is Venmo's fee
    assert rows["4017890123456789012"]["amount_minor"] == -19650
    assert rows["4017890123456789012"]["kind"] == "payout"
    assert rows["4017890123456789012/fee"]["amount_minor"] == -350
    assert rows["4019012345678901234"]["status"] == "pending"
    assert not result.errors


def test_dcu_signed_amounts_and_long_ids():
    result = import_file(sample(DCU))
    assert result.format_id == "dcu_checking"
    rows = result.entries.to_pylist()
    assert [e["amount_minor"] for e in rows[:2]] == [-797139, 600036]
    assert [e["kind"] for e in rows[:2]] == ["bank_debit", "bank_credit"]
    assert rows[0]["record_id"].startswith("dwA4AEUAZQBKAGcAKwBG")
    assert rows[0]["ts"].isoformat() == "2021-12-31T05:00:00+00:00"  # 12/31/2021, New York midnight


def test_schwab_split_columns_month_first_dates():
    rows = import_file(sample(SCHWAB)).entries.to_pylist()
    assert [(e["kind"], e["amount_minor"]) for e in rows] == [("bank_credit", 100), ("bank_debit", -200)]
    assert rows[1]["ts"].isoformat() == "2022-02-03T05:00:00+00:00"  # midnight in New York


def test_schwab_row_with_both_sides_is_refused(tmp_path: Path):
    changed = tmp_path / "schwab.csv"
    changed.write_text(sample(SCHWAB).read_text().replace('"$2.00","","$3.00"', '"$2.00","$1.00","$3.00"'))
    result = import_file(changed)
    assert [(e.line, "both" in e.reason) for e in result.errors] == [(3, True)]
