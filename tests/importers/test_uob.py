"""UOB Singapore account history (.xls public sample)."""

from __future__ import annotations

from huikuan.importers import import_file
from tests.conftest import sample
from tests.importers.golden import assert_golden

HISTORY = "uob-sg-account/uob-sg-account-2023.xls"


def test_golden():
    assert_golden(import_file(sample(HISTORY)), "uob-sg-account")


def test_preamble_gives_account_currency_and_period():
    result = import_file(sample(HISTORY))
    assert result.format_id == "uob_sg"
    assert result.meta["account"] == "1234567890"  # stored as the number 1234567890.0
    assert result.meta["currency"] == "SGD"
    assert result.meta["period"] == "02 May 2023 To 01 Jul 2023"


def test_withdrawals_and_deposits_with_day_month_name_dates():
    rows = import_file(sample(HISTORY)).entries.to_pylist()
    assert len(rows) == 8
    cash = rows[1]
    assert (cash["kind"], cash["amount_minor"], cash["currency"]) == ("bank_debit", -80000, "SGD")
    assert cash["text"] == "Cash Withdrawal-ATM NFC Mobile WDL"
    assert cash["ts"].isoformat() == "2023-06-15T16:00:00+00:00"  # 16 Jun 2023 in Singapore
    cheque = rows[3]
    assert (cheque["kind"], cheque["amount_minor"]) == ("bank_credit", 54505)
