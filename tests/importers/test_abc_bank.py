"""Agricultural Bank of China account details (public sample), CSV and Excel."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from huikuan.domain.dates import SHANGHAI
from huikuan.importers import import_file
from tests.conftest import sample
from tests.importers.bank_variants import csv_to_xlsx, essence
from tests.importers.golden import assert_golden

SAMPLE = "abc-debit/example-abc_debit-records.csv"


def by_line(result, line):
    return next(e for e in result.entries.to_pylist() if e["line"] == line)


def test_golden_sample():
    assert_golden(import_file(sample(SAMPLE)), "abc-debit")


def test_signed_amounts_log_numbers_and_separate_time():
    result = import_file(sample(SAMPLE))
    assert result.format_id == "abc_debit"
    assert not result.errors
    deposit = by_line(result, 2)
    assert (deposit["kind"], deposit["amount_minor"], deposit["record_id"]) == (
        "bank_credit", 1000000, "369396693")
    assert deposit["ts"] == datetime(2024, 1, 1, 12, 34, 56, tzinfo=SHANGHAI)
    payment = by_line(result, 3)
    assert (payment["kind"], payment["amount_minor"]) == ("bank_debit", -1000)
    assert payment["counterparty"] == "微信支付北京一卡通"


def test_ragged_row_and_placeholders_are_read_not_refused():
    result = import_file(sample(SAMPLE))
    short = by_line(result, 4)  # the row stops after 日志号
    assert (short["amount_minor"], short["record_id"]) == (-1234589, "111222333")
    assert short["ts"] == datetime(2024, 1, 3, tzinfo=SHANGHAI)
    interest = by_line(result, 5)
    assert interest["counterparty"] is None  # '--'
    # 日志号 0000000000 is shared by both interest lines: they are named by file and line
    assert interest["record_id"] == "example-abc_debit-records.csv:5"
    assert by_line(result, 6)["record_id"] == "example-abc_debit-records.csv:6"
    assert by_line(result, 6)["amount_minor"] == 0


def test_bad_amount_is_reported_with_its_line(tmp_path: Path):
    text = sample(SAMPLE).read_text(encoding="utf-8").replace("-12345.89", "-12345.8.9")
    broken = tmp_path / "abc.csv"
    broken.write_text(text, encoding="utf-8")
    result = import_file(broken)
    assert [e.line for e in result.errors] == [4]
    assert result.entries.num_rows == 4


def test_excel_download_gives_the_same_entries(tmp_path: Path):
    from_csv = import_file(sample(SAMPLE))
    from_xlsx = import_file(csv_to_xlsx(sample(SAMPLE), tmp_path / "abc.xlsx"))
    assert from_xlsx.format_id == "abc_debit"
    assert essence(from_xlsx) == essence(from_csv)
