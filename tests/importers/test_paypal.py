"""PayPal activity download and monthly statement (public samples)."""

from __future__ import annotations

from pathlib import Path

import pytest

from huikuan.importers import import_file
from huikuan.importers.sources.paypal import paypal_kind
from tests.conftest import FIXTURES, sample
from tests.importers.entries import entries_by_id as by_id
from tests.importers.golden import assert_golden

ACTIVITY = "paypal-activity/paypal-activity-en.csv"
STATEMENT = "paypal-statement/paypal-statement-en.csv"



def test_golden_activity():
    assert_golden(import_file(sample(ACTIVITY)), "paypal-activity")


def test_golden_statement():
    assert_golden(import_file(sample(STATEMENT)), "paypal-statement")


def test_payment_and_fee_carry_the_invoice_number():
    rows = by_id(import_file(sample(ACTIVITY)))
    payment, fee = rows["TID4"], rows["TID4/fee"]
    assert (payment["kind"], payment["amount_minor"], payment["order_ref"]) == ("payment", 165375, "31")
    assert (fee["kind"], fee["amount_minor"], fee["order_ref"]) == ("fee", -7307, "31")
    assert payment["counterparty"] == "PARTNER2"


def test_withdrawal_is_a_pending_payout_funded_by_a_conversion_pair():
    rows = by_id(import_file(sample(ACTIVITY)))
    payout = rows["TID11"]
    assert (payout["kind"], payout["amount_minor"], payout["currency"], payout["status"]) == (
        "payout", -1243137, "EUR", "pending")
    pair = [rows["TID12"], rows["TID13"]]
    assert [(e["kind"], e["amount_minor"], e["currency"], e["batch_ref"]) for e in pair] == [
        ("transfer", -1400000, "USD", "TID11"), ("transfer", 1243137, "EUR", "TID11")]


def test_day_first_dates_and_pacific_time():
    result = import_file(sample(ACTIVITY))
    assert result.meta["date_order"] == "dmy"
    rows = by_id(result)
    assert rows["TID2"]["ts"].isoformat() == "2016-02-12T21:30:31+00:00"  # 12/02/2016 13:30:31 PST
    assert rows["TID4"]["ts"].isoformat() == "2016-06-09T14:19:50+00:00"  # PDT


def test_hold_and_release_are_deposits_and_a_payment_sent_is_not_a_sale():
    rows = by_id(import_file(sample(ACTIVITY)))
    assert (rows["TID37"]["kind"], rows["TID37"]["amount_minor"]) == ("deposit", -374722)
    assert (rows["TID46"]["kind"], rows["TID46"]["amount_minor"]) == ("deposit", 374722)
    assert (rows["TID14"]["kind"], rows["TID14"]["amount_minor"]) == ("other", -19500)


def test_every_row_read_and_net_checked_per_currency():
    result = import_file(sample(ACTIVITY))
    assert result.rows_read == 76
    assert not result.errors
    assert {c.name for c in result.checks} == {
        "net = gross - fee (AUD)", "net = gross - fee (EUR)", "net = gross - fee (USD)"}
    assert all(c.ok for c in result.checks)


def test_statement_month_first_dates_and_zone_names():
    result = import_file(sample(STATEMENT))
    assert result.format_id == "paypal_statement"
    assert result.meta["date_order"] == "mdy"
    rows = by_id(result)
    assert rows["TID1"]["ts"].isoformat() == "2018-09-05T04:15:11+00:00"  # 9/4 21:15 Los Angeles
    assert rows["TID16"]["ts"].isoformat() == "2018-09-27T16:16:12+00:00"  # CET zone: summer time


def test_statement_withdrawal_to_bank_and_its_conversion():
    rows = by_id(import_file(sample(STATEMENT)))
    payout = rows["TID1"]
    assert (payout["kind"], payout["amount_minor"], payout["counterparty"]) == (
        "payout", -105809, "Bank A 6491")
    assert (rows["TID2"]["batch_ref"], rows["TID10"]["batch_ref"]) == ("TID1", "TID1")
    assert (rows["TID9/fee"]["amount_minor"], rows["TID9/fee"]["order_ref"]) == (-4876, "361")


def test_ambiguous_dates_are_read_month_first(tmp_path: Path):
    lines = sample(STATEMENT).read_text().splitlines()
    small = tmp_path / "statement.csv"
    small.write_text("\n".join(lines[:3]) + "\n")
    result = import_file(small)
    assert result.meta["date_order"] == "mdy"
    assert result.entries.to_pylist()[0]["ts"].month == 9


def test_broken_gross_is_reported_with_its_line(tmp_path: Path):
    changed = tmp_path / "activity.csv"
    changed.write_text(sample(ACTIVITY).read_text().replace('"1,653.75"', '"1,6,53.75"'))
    result = import_file(changed)
    assert [e.line for e in result.errors] == [5]
    assert "TID4" not in by_id(result)


@pytest.mark.parametrize(("transaction_type", "gross", "kind"), [
    ("Express Checkout Payment", 130980, "payment"),
    ("Website Payment", -19500, "other"),  # the merchant paid someone: not a sale
    ("Payment Refund", -2000, "refund"),
    ("Chargeback Fee", -2000, "fee"),
    ("General Withdrawal - Bank Account", -105809, "payout"),
    ("General Currency Conversion", 105809, "transfer"),
    ("Reversal of General Account Hold", 5000, "deposit"),
    ("Bank Deposit to PP Account", 5000, "transfer"),
])
def test_kind_of_each_paypal_type(transaction_type, gross, kind):
    assert paypal_kind(transaction_type, gross) == kind


LANGUAGES = ["de", "fr", "zh"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_golden_activity_in_other_languages(language: str):
    """Fixtures written from PayPal's German, French and Chinese column names."""
    path = FIXTURES / "paypal" / f"paypal-activity-{language}.csv"
    assert_golden(import_file(path), f"paypal-activity-{language}")


@pytest.mark.parametrize(("language", "ids", "amount", "fee"), [
    ("de", ("8AB12345CD6789012", "2RF11112222333344", "3WD55556666777788"), 125000, -3560),
    ("fr", ("5FR00001111222233", "6FR44445555666677", "7FR88889999000011"), 148000, -4222),
    ("zh", ("8ZH12121212343434", "9ZH56565656787878", "1ZH90909090121212"), 108000, -3774),
])
def test_localised_activity_reads_like_the_english_one(language, ids, amount, fee):
    sale, refund, payout = ids
    result = import_file(FIXTURES / "paypal" / f"paypal-activity-{language}.csv")
    assert (result.format_id, result.errors) == ("paypal_activity", [])
    rows = by_id(result)
    assert (rows[sale]["kind"], rows[sale]["amount_minor"], rows[sale]["status"]) == (
        "payment", amount, "completed")
    assert rows[f"{sale}/fee"]["amount_minor"] == fee
    assert rows[refund]["kind"] == "refund"
    assert rows[refund]["amount_minor"] < 0
    assert rows[payout]["kind"] == "payout"
    assert all(check.ok for check in result.checks)  # net = gross - fee, in the file's format


def test_german_amounts_dates_and_zone():
    result = import_file(FIXTURES / "paypal" / "paypal-activity-de.csv")
    rows = by_id(result)
    # "1.250,00" is 1250.00; "03.03.2024" "10:15:02" "MEZ" is 09:15:02 UTC on 3 March
    first = rows["8AB12345CD6789012"]
    assert first["amount_minor"] == 125000
    assert first["ts"].isoformat() == "2024-03-03T09:15:02+00:00"
    assert first["order_ref"] == "R-1001"
    pending = rows["4PN99990000111122"]  # Ausstehend, Auswirkung auf Guthaben: Memo
    assert (pending["status"], pending["kind"]) == ("pending", "other")
