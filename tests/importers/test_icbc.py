"""ICBC 明细查询 downloads: debit card and credit card (public samples), CSV and Excel."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from huikuan.domain.dates import SHANGHAI
from huikuan.importers import import_file
from tests.conftest import sample
from tests.importers.bank_variants import csv_to_xlsx, essence
from tests.importers.golden import assert_golden

DEBIT = "icbc-debit/example-icbc-debit-v1-records.csv"
CREDIT = "icbc-credit/example-icbc-credit-records.csv"


def by_line(result, line):
    return next(e for e in result.entries.to_pylist() if e["line"] == line)


def test_golden_debit_sample():
    assert_golden(import_file(sample(DEBIT)), "icbc-debit")


def test_golden_credit_sample():
    assert_golden(import_file(sample(CREDIT)), "icbc-credit")


def test_debit_rows_padded_with_tabs_are_read_with_booked_amounts():
    result = import_file(sample(DEBIT))
    assert result.format_id == "icbc_debit"
    assert result.meta["account"] == "1234****9876"
    # the masked balance 'xx,yyyy.zz' on every row is no reason to refuse a row
    assert not result.errors
    assert result.rows_read == result.entries.num_rows == 11
    redemption = by_line(result, 14)
    assert (redemption["kind"], redemption["amount_minor"]) == ("bank_credit", 34158)
    assert redemption["counterparty"] == "支付宝（中国）网络技术有限公司"
    assert redemption["ts"] == datetime(2023, 2, 28, tzinfo=SHANGHAI)
    assert redemption["account"] == "1234****9876"
    repayment = by_line(result, 9)
    assert (repayment["kind"], repayment["amount_minor"]) == ("bank_debit", -123456)
    assert repayment["category"] == "自动还款"


def test_anonymised_footer_totals_are_reported_not_ignored():
    result = import_file(sample(DEBIT))
    assert [c.name for c in result.checks] == ["人民币合计 收入", "人民币合计 支出"]
    assert not any(c.ok for c in result.checks)
    assert any("2841.74" in w for w in result.warnings)


def test_footer_totals_agree_when_the_file_is_consistent(tmp_path: Path):
    text = sample(DEBIT).read_text(encoding="utf-8").replace(
        '"1,234.56          \t","9,876.54          \t"', '"2,841.74\t","4,241.08\t"')
    fixed = tmp_path / "icbc.csv"
    fixed.write_text(text, encoding="utf-8")
    result = import_file(fixed)
    assert [c.ok for c in result.checks] == [True, True]
    # the sample's balances are anonymised (xx,yyyy.zz): said once, rows kept; nothing else warns
    assert not [w for w in result.warnings if "balance" not in w]
    assert result.entries.num_rows == 11
    assert result.entries["balance_minor"].null_count == 11


def test_unreadable_amount_is_reported_with_its_line(tmp_path: Path):
    text = sample(DEBIT).read_text(encoding="utf-8").replace('"13.40 ', '"13.4O ', 1)
    broken = tmp_path / "icbc.csv"
    broken.write_text(text, encoding="utf-8")
    result = import_file(broken)
    assert [e.line for e in result.errors] == [8]
    assert result.entries.num_rows == 10


def test_credit_card_spending_is_money_out_and_repayment_money_in():
    result = import_file(sample(CREDIT))
    assert result.format_id == "icbc_credit"
    spend = by_line(result, 9)
    assert (spend["kind"], spend["amount_minor"]) == ("bank_debit", -1800)
    assert spend["counterparty"] == "财付通-拼多多平台商户"  # 交易场所: 对方户名 is empty
    repayment = by_line(result, 13)
    assert (repayment["kind"], repayment["amount_minor"]) == ("bank_credit", 462101)
    assert sum(result.entries["amount_minor"].to_pylist()) == 462101 - 36313


def test_excel_download_gives_the_same_entries(tmp_path: Path):
    for name in (DEBIT, CREDIT):
        csv_result = import_file(sample(name))
        excel = import_file(csv_to_xlsx(sample(name), tmp_path / "icbc.xlsx"))
        assert excel.format_id == csv_result.format_id
        assert essence(excel) == essence(csv_result)
        assert excel.meta == csv_result.meta
