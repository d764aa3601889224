"""Bank of China 交易流水明细单 (public sample), CSV and Excel."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from huikuan.domain.dates import SHANGHAI
from huikuan.importers import import_file
from tests.conftest import sample
from tests.importers.bank_variants import csv_to_xlsx, essence
from tests.importers.golden import assert_golden

SAMPLE = "boc-debit/example-boc-records.csv"


def by_line(result, line):
    return next(e for e in result.entries.to_pylist() if e["line"] == line)


def test_golden_sample():
    assert_golden(import_file(sample(SAMPLE)), "boc-debit")


def test_alipay_withdrawal_arrives_as_a_credit():
    result = import_file(sample(SAMPLE))
    assert result.format_id == "boc_debit"
    assert not result.errors
    payout = by_line(result, 16)
    assert (payout["kind"], payout["amount_minor"]) == ("bank_credit", 300000)
    assert payout["category"] == "网上快捷提现"
    assert payout["counterparty"] == "支付宝-张三"
    assert payout["ts"] == datetime(2025, 8, 4, 16, 10, 21, tzinfo=SHANGHAI)
    assert payout["account"] == "3167"  # 借记卡号
    transfer = by_line(result, 10)
    assert (transfer["kind"], transfer["amount_minor"]) == ("bank_debit", -260000)


def test_dash_placeholders_never_reach_the_entries():
    entries = import_file(sample(SAMPLE)).entries.to_pylist()
    for entry in entries:
        for field in ("counterparty", "text", "category"):
            assert "-----" not in (entry[field] or ""), entry
    assert by_line(import_file(sample(SAMPLE)), 3)["text"] == "无卡支付"


def test_excel_download_gives_the_same_entries(tmp_path: Path):
    from_csv = import_file(sample(SAMPLE))
    from_xlsx = import_file(csv_to_xlsx(sample(SAMPLE), tmp_path / "boc.xlsx"))
    assert from_xlsx.format_id == "boc_debit"
    assert essence(from_xlsx) == essence(from_csv)
