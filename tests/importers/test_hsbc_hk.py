"""HSBC Hong Kong account transactions CSV (public sample): day-first dates, mixed currencies."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from huikuan.importers import import_file
from tests.conftest import sample
from tests.importers.golden import assert_golden

SAMPLE = "hsbc-hk-debit/example-hsbchk-debit-records.csv"
HONG_KONG = ZoneInfo("Asia/Hong_Kong")


def by_line(result, line):
    return next(e for e in result.entries.to_pylist() if e["line"] == line)


def test_golden_sample():
    assert_golden(import_file(sample(SAMPLE)), "hsbc-hk-debit")


def test_day_first_dates_and_each_rows_own_currency():
    result = import_file(sample(SAMPLE))
    assert result.format_id == "hsbc_hk_debit"
    assert not result.errors
    salary_hkd, salary_cny = by_line(result, 7), by_line(result, 8)
    assert salary_hkd["ts"] == datetime(2025, 3, 12, tzinfo=HONG_KONG)  # 12/03/2025, not 3 December
    assert (salary_hkd["amount_minor"], salary_hkd["currency"]) == (1250000, "HKD")
    assert (salary_cny["amount_minor"], salary_cny["currency"]) == (1250000, "CNY")
    atm = by_line(result, 6)
    assert (atm["kind"], atm["amount_minor"], atm["category"]) == ("bank_debit", -100000, "ATM WITHDRAWAL")
    assert atm["text"] == "ATM WITHDRAWAL CENTRAL BRANCH"
