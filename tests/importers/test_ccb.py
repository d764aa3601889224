"""China Construction Bank: personal .xls download (public sample, also as CSV) and the corporate
账户明细 export (fixture)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from huikuan.domain.dates import SHANGHAI
from huikuan.importers import import_file
from tests.conftest import FIXTURES, sample
from tests.importers.bank_variants import csv_to_xlsx, essence, excel_to_csv
from tests.importers.entries import entry as by_id
from tests.importers.golden import assert_golden

DEBIT = "ccb-debit/ccb-debit-2025.xls"
CORPORATE = FIXTURES / "ccb_corporate" / "ccb_corporate_2024-03.csv"


def by_line(result, line):
    return next(e for e in result.entries.to_pylist() if e["line"] == line)


def test_golden_debit_sample():
    assert_golden(import_file(sample(DEBIT)), "ccb-debit")


def test_golden_corporate_fixture():
    assert_golden(import_file(CORPORATE), "ccb_corporate_2024-03")


def test_debit_xls_reads_preamble_with_ideographic_spaces_and_split_columns():
    result = import_file(sample(DEBIT))
    assert result.format_id == "ccb_debit"
    assert result.meta["account"] == "xxxxx*********xxxx"  # 账\u3000\u3000号：
    assert result.meta["currency"] == "人民币"  # 币\u3000\u3000种：
    assert result.meta["footer"] == "以上数据仅供参考|具体内容请以柜台为准"
    assert not result.errors
    first = by_line(result, 7)
    assert (first["kind"], first["amount_minor"], first["currency"]) == ("bank_debit", -6700, "CNY")
    assert first["ts"] == datetime(2025, 1, 1, 18, 53, 19, tzinfo=SHANGHAI)
    assert first["counterparty"] == "中***融科技有限公司"
    assert sum(result.entries["amount_minor"].to_pylist()) == -(6700 + 1678 + 2000 + 51502 + 1806 + 6640)


def test_csv_download_gives_the_same_entries(tmp_path: Path):
    from_xls = import_file(sample(DEBIT))
    from_csv = import_file(excel_to_csv(sample(DEBIT), tmp_path / "ccb.csv"))
    assert from_csv.format_id == "ccb_debit"
    assert from_csv.encoding == "gbk"
    assert essence(from_csv) == essence(from_xls)


def test_row_with_both_money_in_and_out_is_reported(tmp_path: Path):
    path = excel_to_csv(sample(DEBIT), tmp_path / "ccb.csv")
    lines = path.read_bytes().decode("gbk").split("\r\n")
    assert ",16.78,0," in lines[7]
    lines[7] = lines[7].replace(",16.78,0,", ",16.78,16.78,")
    path.write_bytes("\r\n".join(lines).encode("gbk"))
    result = import_file(path)
    assert [e.line for e in result.errors] == [8]
    assert "both" in result.errors[0].reason
    assert result.entries.num_rows == 5


def test_corporate_payout_carries_serial_and_reference():
    result = import_file(CORPORATE)
    assert result.format_id == "ccb_corporate"
    payout = by_id(result, "12-5101100300A1B2C3D4E5")
    assert (payout["kind"], payout["amount_minor"]) == ("bank_credit", 5800000)
    assert payout["counterparty"] == "支付宝（中国）网络技术有限公司"
    assert payout["batch_ref"] == "20240301110070001506560012345678"
    assert payout["account"] == "51050142620800001234"
    assert payout["ts"] == datetime(2024, 3, 1, 9, 15, 22, tzinfo=SHANGHAI)
    fee = by_id(result, "12-5101100300A1B2C3D4F8")
    assert (fee["kind"], fee["amount_minor"], fee["category"]) == ("bank_debit", -550, "手续费")


def test_corporate_excel_download_gives_the_same_entries(tmp_path: Path):
    from_csv = import_file(CORPORATE)
    from_xlsx = import_file(csv_to_xlsx(CORPORATE, tmp_path / "ccb.xlsx"))
    assert from_xlsx.format_id == "ccb_corporate"
    assert essence(from_xlsx) == essence(from_csv)
