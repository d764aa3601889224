"""SWIFT MT940 statements: the 13 public samples (NL, DE, PL, HU banks and two fragments)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from huikuan.domain.dates import SHANGHAI
from huikuan.importers import detect, import_file
from tests.conftest import FIXTURES, sample
from tests.importers.entries import entries_by_id as by_id
from tests.importers.golden import assert_golden

SAMPLES = [
    "171011_01234945.sta", "abnamro.sta", "amount_formats.sta", "ing-nl-structured.940", "ing.sta",
    "mt940.sta", "rabobank-nl-iban.sta", "rabobank.sta", "sepa_mt9401.sta", "sns-nl.940",
    "sparkassen.sta", "triodos.sta", "whitespace.sta",
]


def entries(name: str) -> dict[str, dict]:
    result = import_file(sample(f"mt940/{name}"))
    return {e["record_id"]: e for e in result.entries.to_pylist()}


@pytest.mark.parametrize("name", SAMPLES)
def test_golden(name: str):
    result = import_file(sample(f"mt940/{name}"))
    assert result.format_id == "mt940"
    assert_golden(result, f"mt940-{name.rsplit('.', 1)[0]}")


@pytest.mark.parametrize("name", ["amount_formats.sta", "sparkassen.sta"])
def test_fragments_are_recognised_as_mt940(name: str):
    importer, confidence, _ = detect(sample(f"mt940/{name}"))
    assert importer.id == "mt940"
    assert confidence >= 0.5


def test_abn_amro_debit_with_decimal_comma_and_free_text():
    result = import_file(sample("mt940/abnamro.sta"))
    assert result.meta["account"] == "517852257"
    first = result.entries.to_pylist()[0]
    assert (first["kind"], first["amount_minor"], first["currency"]) == ("bank_debit", -900, "EUR")
    assert first["ts"].date().isoformat() == "2011-05-23"  # 2011-05-24 00:00 Shanghai, in UTC
    assert first["record_id"] == "abnamro.sta:8"  # NONREF: no bank reference
    assert "BETREFT FACTUUR D.D. 20-05-2011" in first["text"]
    # '107,' (no decimals) and '11,8' (one decimal)
    assert {-10700, -1180} <= set(result.entries["amount_minor"].to_pylist())


def test_ing_structured_references_counterparty_and_sum_totals():
    result = import_file(sample("mt940/ing-nl-structured.940"))
    by_id = {e["record_id"]: e for e in result.entries.to_pylist()}
    # the bank reference '//00000000001' continues as '005' on the next line
    first = by_id["00000000001005"]
    assert first["amount_minor"] == 156
    assert first["counterparty"] == "ING BANK NV INZAKE WEB"
    assert first["batch_ref"] == "EV12341REP1231456T1234"  # /EREF/
    assert first["text"].startswith("EV10001REP1000000T1000")  # /REMI/USTD//
    returned = by_id["00000000001010"]  # /RTRN/ wrapped mid-token over four lines
    assert returned["amount_minor"] == -1275
    assert returned["counterparty"] == "J.Janssen"
    assert "CONTRIBUTIE FEB 2014" in returned["text"]
    assert "return MS03" in returned["text"]
    assert by_id["00000000001006"]["batch_ref"] == "M000000003333333"  # /PREF/ batch
    assert len(result.checks) == 5
    assert all(c.ok for c in result.checks), [str(c) for c in result.checks]
    assert "/SUM/4/4/134,46/36,58/" in result.meta["statement_info"]


def test_german_storno_is_a_reversed_debit_and_balances_agree():
    result = import_file(sample("mt940/sepa_mt9401.sta"))
    rows = result.entries.to_pylist()
    storno = next(e for e in rows if e["line"] == 19)  # :61:0709040904RCR204,88NRTINONREF
    assert (storno["kind"], storno["amount_minor"], storno["status"]) == ("bank_debit", -20488,
                                                                         "reversed")
    assert storno["category"] == "SAMMLER/STORNO"
    credit = next(e for e in rows if e["record_id"] == "0724710290621954")
    assert credit["amount_minor"] == 1500005
    assert credit["counterparty"] == "Richter Renate 70 Zeichen Beginn Fuellzeichen xxxxxxxx"
    assert credit["batch_ref"] == "EndToEndIdTFNR2000400001"  # EREF+ running over ?20 into ?21
    assert result.rows_read == 97
    assert not result.errors
    assert all(c.ok for c in result.checks)  # opening balances in debit (D) included
    assert len(result.checks) == 26


def test_one_bank_reference_on_two_accounts_gives_two_distinct_ids():
    rows = import_file(sample("mt940/sepa_mt9401.sta")).entries.to_pylist()
    ids = [e["record_id"] for e in rows]
    assert len(ids) == len(set(ids))
    pair = [e for e in rows if e["record_id"].startswith("0724710352954937")]
    assert [(e["record_id"], e["amount_minor"]) for e in pair] == [
        ("0724710352954937", -5099005),
        ("0724710352954937@50880050/0194780101888", 5099005),
    ]


def test_information_after_the_closing_balance_belongs_to_the_statement():
    result = import_file(sample("mt940/ing.sta"))
    last = result.entries.to_pylist()[-1]
    assert "D000004C000002" not in (last["text"] or "")
    assert result.meta["statement_info"] == "D000004C000002D25,24C28,71"


def test_counterparty_from_rabobank_benm_name_and_hungarian_ns_lines_as_text():
    iban = import_file(sample("mt940/rabobank-nl-iban.sta")).entries.to_pylist()
    assert [e["counterparty"] for e in iban][:2] == ["CONTRA ACCOUNT HOLDER", "JOHN DOE"]
    hungarian = import_file(sample("mt940/171011_01234945.sta"))
    assert hungarian.entries["amount_minor"].to_pylist() == [-240200, -346000, -357500]
    assert "ERGO Eletbiztosito Zrt." in hungarian.entries["text"].to_pylist()[1]
    assert all(c.ok for c in hungarian.checks)


def test_broken_sparkasse_fragment_is_reported_not_crashing():
    result = import_file(sample("mt940/sparkassen.sta"))
    assert result.entries.num_rows == 0
    assert [(e.line, "no opening balance" in e.reason, "30,00" in e.reason)
            for e in result.errors] == [(1, True, True)]


def test_amount_fragment_opening_balances():
    result = import_file(sample("mt940/amount_formats.sta"))
    assert result.entries.num_rows == 0
    assert not result.errors
    opening = [w.split("opening balance ")[1].split(",")[0] for w in result.warnings]
    assert opening == ["380115.12 EUR", "380115.10 EUR", "380115.00 EUR", "0.12 EUR", "0.12 EUR",
                       "1.12 EUR"]


def test_closing_balance_disagreement_is_a_warning(tmp_path: Path):
    text = sample("mt940/mt940.sta").read_bytes().replace(b":62F:C170119PLN0,43", b":62F:C170119PLN0,44")
    changed = tmp_path / "mbank.sta"
    changed.write_bytes(text)
    result = import_file(changed)
    assert [c.ok for c in result.checks] == [False]
    assert any("file says 0.44, rows give 0.43" in w for w in result.warnings)


def test_reversal_of_debit_and_unreadable_line_are_handled(tmp_path: Path):
    path = tmp_path / "storno.sta"
    path.write_text(
        ":20:STARTUMS\n:25:10020030/1234567\n:28C:1\n:60F:C240102EUR100,00\n"
        ":61:2401030103RD25,50NDDTNONREF//B4A03XYZ\n:86:109?00RUECKLASTSCHRIFT?20EREF+ORDER-4711\n"
        ":61:24010301X3D2,00NTRFNONREF\n:86:not a statement line\n"
        ":62F:C240103EUR125,50\n-\n",
        encoding="ascii",
    )
    result = import_file(path)
    [entry] = result.entries.to_pylist()
    assert (entry["record_id"], entry["kind"], entry["amount_minor"], entry["status"]) == (
        "B4A03XYZ", "bank_credit", 2550, "reversed")
    assert entry["batch_ref"] == "ORDER-4711"
    assert [e.line for e in result.errors] == [7]
    assert all(c.ok for c in result.checks)


EDGES = FIXTURES / "mt940" / "edge-dates-amounts.sta"


def test_golden_edge_cases():
    assert_golden(import_file(EDGES), "mt940-edge-dates-amounts")


def test_amount_without_decimal_comma_is_whole_units():
    """WoLpH/mt940 reads ``:61:…C500NTRF`` as +500.00; so does huikuan (not a row error)."""
    rows = by_id(import_file(EDGES))
    assert (rows["B160301002"]["kind"], rows["B160301002"]["amount_minor"]) == ("bank_credit", 50000)


def test_impossible_value_date_keeps_the_row_on_its_booking_date():
    """``1602300301``: value date 30 February 2016, booking date 1 March. The booking date is
    valid: the row is read on it, the value date's text is kept, and a warning names the line."""
    result = import_file(EDGES)
    assert result.errors == []
    row = by_id(result)["B160301001"]
    assert row["amount_minor"] == 50000
    assert row["ts"].astimezone(SHANGHAI).date() == date(2016, 3, 1)
    assert "value date 160230 (not a date)" in row["text"]
    assert any("edge-dates-amounts.sta:5" in w and "160230" in w for w in result.warnings)
    assert [c.ok for c in result.checks] == [True]  # every amount counted: the balance agrees


def test_value_date_is_kept_beside_the_booking_date():
    rows = by_id(import_file(sample("mt940/abnamro.sta")))
    booked_later = next(r for r in rows.values() if r["line"] == 12)
    assert booked_later["ts"].astimezone(SHANGHAI).date() == date(2011, 5, 23)
    assert booked_later["text"].endswith("value date 2011-05-21")


def test_file_without_a_final_line_break_reads_the_same(tmp_path: Path):
    for name in ("mt940.sta", "abnamro.sta", "ing-nl-structured.940"):
        data = sample(f"mt940/{name}").read_bytes()
        cut = tmp_path / name
        cut.write_bytes(data.rstrip(b"\r\n"))
        assert data != cut.read_bytes()
        before, after = import_file(sample(f"mt940/{name}")), import_file(cut)
        assert after.entries["amount_minor"].to_pylist() == before.entries["amount_minor"].to_pylist()
        assert [c.ok for c in after.checks] == [c.ok for c in before.checks]
        assert len(after.errors) == len(before.errors)
