"""Quicken Interchange Format bank exports."""

from __future__ import annotations

from pathlib import Path

from huikuan.importers import import_file
from tests.conftest import sample
from tests.importers.golden import assert_golden

BANK = "qif/test-bank.qif"


def test_golden():
    result = import_file(sample(BANK))
    assert result.format_id == "qif"
    assert_golden(result, "qif-test-bank")


def test_records_with_us_dates_and_thousands_separators():
    rows = import_file(sample(BANK)).entries.to_pylist()
    first = rows[0]
    assert (first["line"], first["kind"], first["amount_minor"], first["counterparty"]) == (
        2, "bank_debit", -100000, "Delta PC")
    assert first["record_id"] == "test-bank.qif:2"  # QIF has no transaction id
    # 8/12/13 is 12 August 2013; the file is not in date order and stays in file order
    assert [e["ts"].date().isoformat() for e in rows] == [  # 00:00 Shanghai, shown in UTC
        "2013-08-11", "2013-08-14", "2013-03-02", "2013-03-03", "2013-03-02"]


def test_day_first_file_memo_and_broken_record(tmp_path: Path):
    path = tmp_path / "uk.qif"
    path.write_text(
        "!Type:Bank\nD02/01/2024\nT1,250.00\nPSTRIPE PAYMENTS UK\nMPayout po_1OaBc\nN1042\n^\n"
        "D31/01/2024\nT-12.50\nPBank charges\nLFees\n^\nD31/13/2024\nT5.00\n^\n",
        encoding="ascii",
    )
    result = import_file(path)
    assert result.meta["date_order"] == "dmy"  # 31/01 cannot be month/day
    rows = result.entries.to_pylist()
    assert [(e["line"], e["amount_minor"], e["ts"].date().isoformat()) for e in rows] == [
        (2, 125000, "2024-01-01"), (8, -1250, "2024-01-30")]
    assert rows[0]["text"] == "Payout po_1OaBc ref 1042"
    assert rows[1]["category"] == "Fees"
    assert [e.line for e in result.errors] == [13]


def test_account_block_names_the_account_and_investment_records_are_refused(tmp_path: Path):
    path = tmp_path / "quicken.qif"
    path.write_text(
        "!Option:AutoSwitch\n!Account\nNBusiness Checking\nTBank\n^\n!Clear:AutoSwitch\n"
        "!Type:Bank\nD1/5/2024\nT-30.00\nPAcme Hosting\n^\n"
        "!Type:Invst\nD1/6/2024\nNBuy\nYACME\nI10.00\nQ3\nT30.00\n^\n",
        encoding="ascii",
    )
    result = import_file(path)
    assert result.format_id == "qif"
    [entry] = result.entries.to_pylist()
    assert (entry["account"], entry["amount_minor"]) == ("Business Checking", -3000)
    assert [(e.line, "not a bank line" in e.reason) for e in result.errors] == [(13, True)]
