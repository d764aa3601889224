"""ISO 20022 camt.053 / camt.052 / camt.054 XML: the public samples of versions .02 to .08."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from huikuan.importers import detect, import_file
from tests.conftest import sample
from tests.importers.golden import assert_golden

SAMPLES = {
    "camt053/camt053.v2.minimal.xml": "camt053",
    "camt053/camt053.v2.multi.statement.xml": "camt053",
    "camt053/camt053.v3.xml": "camt053",
    "camt053/camt053.v4.xml": "camt053",
    "camt053/camt053.v8.xml": "camt053",
    "camt053/camt054.v2.xml": "camt054",
    "camt053/oca-abnamro-nl-camt053.001.02.xml": "camt053",
    "camt052/genkgo-camt052.001.02.xml": "camt052",
}
ABN = "camt053/oca-abnamro-nl-camt053.001.02.xml"


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_golden_and_message_type(name: str):
    importer, confidence, _ = detect(sample(name))
    assert (importer.id, confidence >= 0.9) == (SAMPLES[name], True)
    result = import_file(sample(name))
    assert_golden(result, f"camt-{Path(name).stem}")


def test_batch_of_two_direct_debits_is_one_reversed_entry():
    result = import_file(sample(ABN))
    rows = result.entries.to_pylist()
    assert [(e["line"], e["kind"], e["amount_minor"]) for e in rows] == [
        (50, "bank_debit", -75425), (113, "bank_debit", -66405), (228, "bank_credit", 140531)]
    batch = rows[1]
    assert batch["status"] == "reversed"                     # RvslInd true
    assert batch["batch_ref"] == "2018/125-20141229-NORM"    # Btch/PmtInfId
    assert batch["counterparty"] == "Test Customer"
    assert batch["text"].startswith("2 transactions:")
    assert "564.05 EUR TESTBANK/NL/20141229/01206408" in batch["text"]
    assert "100.00 EUR TESTBANK/NL/20141229/01206407" in batch["text"]
    assert "return reason AC06" in batch["text"]
    credit = rows[2]
    assert (credit["counterparty"], credit["batch_ref"]) == ("3rd party Media", "115")  # EndToEndId
    assert credit["category"] == "PMNT-RCDT-ESCT"
    assert result.meta["account"] == "NL77ABNA0574908765"


def test_balance_check_per_statement():
    result = import_file(sample("camt053/camt053.v2.multi.statement.xml"))
    assert [(c.expected, c.actual, c.ok) for c in result.checks] == [
        ("27.00", "27.00", True), ("20.00", "20.00", True)]
    abn = import_file(sample(ABN))  # the sample's own balances do not add up: said, not hidden
    assert [c.ok for c in abn.checks] == [False]
    assert any("15121.12" in w for w in abn.warnings)


def test_balances_in_two_currencies_are_not_compared():
    result = import_file(sample("camt053/camt053.v2.minimal.xml"))
    assert result.checks == []
    assert any("closing in SEK; not checked" in w for w in result.warnings)


def test_v8_booking_time_with_offset_and_party_wrapped_in_pty():
    [entry] = import_file(sample("camt053/camt053.v8.xml")).entries.to_pylist()
    assert entry["ts"] == datetime(2014, 12, 31, 12, 15, tzinfo=UTC)
    assert (entry["record_id"], entry["counterparty"]) == ("AAAASESS-FP-CN_98765/01", "NAME NAME")
    assert entry["amount_minor"] == 885  # the entry's 8.85 EUR, not the detail's 0 SEK


def test_notification_with_three_details_is_one_debit():
    result = import_file(sample("camt053/camt054.v2.xml"))
    [entry] = result.entries.to_pylist()
    assert (entry["amount_minor"], entry["currency"]) == (-20000000, "SEK")
    assert entry["batch_ref"] == "MUELL/FINP/RA12345"
    assert entry["text"].startswith("3 transactions:")
    assert "Unstructured Remittance Information V3 block 2" in entry["text"]


def test_broken_xml_keeps_entries_before_and_names_the_line(tmp_path: Path):
    lines = sample(ABN).read_text(encoding="utf-8").splitlines(keepends=True)
    broken = tmp_path / "cut.xml"
    broken.write_text("".join(lines[:150]) + "<Ntry><Amt Ccy='EUR'>1.00</Amt>\n<oops>\n",
                      encoding="utf-8")
    result = import_file(broken)
    assert result.entries["amount_minor"].to_pylist() == [-75425]
    [error] = result.errors
    assert "XML is broken" in error.reason
    assert error.line >= 150


def test_entry_without_currency_is_a_row_error(tmp_path: Path):
    text = sample("camt053/camt053.v2.multi.statement.xml").read_text(encoding="utf-8")
    changed = tmp_path / "no-ccy.xml"
    changed.write_text(text.replace('<Amt Ccy="EUR">7.00</Amt>', "<Amt>7.00</Amt>"), encoding="utf-8")
    result = import_file(changed)
    assert result.entries.num_rows == 1
    assert [(e.line, "without a currency" in e.reason) for e in result.errors] == [(145, True)]
