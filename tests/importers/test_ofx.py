"""OFX / QFX downloads: SGML 1.x and XML 2.x, bank, credit card and brokerage cash lines."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from huikuan.domain.dates import SHANGHAI
from huikuan.importers import import_file
from huikuan.importers.sources.ofx import ofx_time
from tests.conftest import sample
from tests.importers.golden import assert_golden

SAMPLES = [
    "amex-us-creditcard.qfx", "anzcc.ofx", "bank_medium.ofx", "capitalone360-us-checking.qfx",
    "checking.ofx", "investment-cash-sanitized.ofx", "suncorp.ofx",
]


@pytest.mark.parametrize("name", SAMPLES)
def test_golden(name: str):
    result = import_file(sample(f"ofx/{name}"))
    assert result.format_id == "ofx"
    assert_golden(result, f"ofx-{name.rsplit('.', 1)[0]}")


def test_sgml_lines_with_time_zone_and_fitid():
    result = import_file(sample("ofx/bank_medium.ofx"))
    first = result.entries.to_pylist()[0]
    assert (first["record_id"], first["kind"], first["amount_minor"], first["currency"]) == (
        "0000123456782009040100001", "bank_debit", -660, "CAD")
    # 20090401122017.000[-5:EST]: posted on 1 April where the bank is (ofxparse asserts the
    # same day); the instant is 2 April in Shanghai, but the booking date is not converted
    assert first["ts"].astimezone(SHANGHAI).date() == date(2009, 4, 1)
    assert "20090401122017.000[-5:EST]" in first["raw"]  # the time of day is kept in raw
    assert first["counterparty"] == "MCDONALD'S #112"
    assert first["category"] == "POS"
    assert result.meta["account"] == "12300 000012345678"
    assert result.meta["ledger_balance"] == "382.34 CAD on 2009-05-23"


def test_credit_card_purchases_are_debits_despite_staircase_indentation():
    result = import_file(sample("ofx/amex-us-creditcard.qfx"))
    assert [(e["kind"], e["amount_minor"], e["counterparty"], e["text"])
            for e in result.entries.to_pylist()] == [
        ("bank_debit", -14394, "PRUNE NEW YORK", "7101466 RESTAURANT"),
        ("bank_debit", -2805, "TAKAHACHI RESTAURANTNEW YORK", "000451990 RESTAURANT"),
        ("bank_debit", -1876, "UNION MARKET - HOUSNEW YORK", "47155 GROCERY STORE"),
    ]
    assert result.meta["account"] == "379700001111222"


def test_impossible_server_time_keeps_its_date():
    result = import_file(sample("ofx/capitalone360-us-checking.qfx"))
    assert result.meta["server_time"] == "2023-03-10T00:00:00+00:00"  # 20230310048208.398
    assert result.entries["amount_minor"].to_pylist() == [1, 88899, -10000, 44455]


def test_brokerage_cash_lines_with_four_decimals_and_plus_sign():
    result = import_file(sample("ofx/investment-cash-sanitized.ofx"))
    amounts = result.entries["amount_minor"].to_pylist()
    assert len(amounts) == 13
    assert amounts[:3] == [-3372, -2768, 7560]
    assert "investment_transactions_not_imported" not in result.meta


def test_unclosed_leaves_in_xml_and_cdata():
    [card] = import_file(sample("ofx/anzcc.ofx")).entries.to_pylist()
    assert (card["record_id"], card["amount_minor"], card["currency"], card["text"]) == (
        "201705080001", -550, "AUD", "SOME MEMO")
    [suncorp] = import_file(sample("ofx/suncorp.ofx")).entries.to_pylist()
    assert suncorp["counterparty"] == "EFTPOS WDL HANDYWAY ALDI STORE"
    assert suncorp["ts"].astimezone(SHANGHAI).date() == date(2013, 12, 15)  # as the bank states it


def test_transaction_without_amount_is_reported_with_its_line(tmp_path: Path):
    text = sample("ofx/checking.ofx").read_text(encoding="ascii").replace("<TRNAMT>-34.51\n", "")
    changed = tmp_path / "checking.ofx"
    changed.write_text(text, encoding="ascii")
    result = import_file(changed)
    assert result.entries["record_id"].to_pylist() == ["0000486", "0000488"]
    assert [(e.line, e.reason) for e in result.errors] == [(54, "no amount (TRNAMT)")]


@pytest.mark.parametrize(("text", "iso"), [
    ("20090401122017.000[-5:EST]", "2009-04-01T12:20:17.000000-05:00"),
    ("20131215", "2013-12-15"),
    ("20170508000000", "2017-05-08T00:00:00"),
    ("20240101093000[+5.5:IST]", "2024-01-01T09:30:00+05:30"),
])
def test_ofx_dates_become_iso(text: str, iso: str):
    assert ofx_time(text) == iso


def test_self_closing_empty_element_does_not_swallow_its_siblings(tmp_path: Path):
    path = tmp_path / "empty.ofx"
    path.write_text(
        '<?xml version="1.0"?>\n<?OFX OFXHEADER="200" VERSION="220"?>\n<OFX><BANKMSGSRSV1>'
        "<STMTTRNRS><STMTRS><CURDEF>EUR</CURDEF><BANKACCTFROM><BANKID/><ACCTID>FR76 3000</ACCTID>"
        "</BANKACCTFROM><BANKTRANLIST>\n<STMTTRN><TRNTYPE>CREDIT</TRNTYPE><DTPOSTED>20240105"
        "</DTPOSTED><TRNAMT>1250,00</TRNAMT><FITID>A1</FITID><MEMO/><NAME>STRIPE PAYOUT</NAME>"
        "</STMTTRN></BANKTRANLIST><LEDGERBAL><BALAMT>1250.00</BALAMT><DTASOF>20240105</DTASOF>"
        "</LEDGERBAL></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>\n",
        encoding="ascii",
    )
    result = import_file(path)
    [entry] = result.entries.to_pylist()
    assert (entry["amount_minor"], entry["currency"], entry["counterparty"], entry["line"]) == (
        125000, "EUR", "STRIPE PAYOUT", 4)  # '1250,00': a decimal comma
    assert result.meta["account"] == "FR76 3000"
    assert result.meta["ledger_balance"] == "1250.00 EUR on 2024-01-05"


@pytest.mark.parametrize("prefix", [
    "<!-- exported by MyBank Online, 2009-05-23 -->\n",
    "\n\n  \t\n",
    '<?xml version="1.0"?>\n<!-- a comment\nover two lines -->\n\n',
], ids=["comment", "blank-lines", "declaration-and-comment"])
@pytest.mark.parametrize("name", ["bank_medium.ofx", "checking.ofx"])
def test_header_behind_a_comment_or_whitespace_reads_the_same(tmp_path: Path, prefix: str, name: str):
    original = sample(f"ofx/{name}")
    moved = tmp_path / name
    moved.write_bytes(prefix.encode() + original.read_bytes())
    before, after = import_file(original), import_file(moved)
    assert after.format_id == "ofx"
    assert after.errors == before.errors == []
    assert after.entries["amount_minor"].to_pylist() == before.entries["amount_minor"].to_pylist()
    assert after.entries["record_id"].to_pylist() == before.entries["record_id"].to_pylist()
