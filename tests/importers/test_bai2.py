"""BAI2 balance and transaction reports: NatWest (UK), SVB (US) and a blank-trailer edge case."""

from __future__ import annotations

from pathlib import Path

import pytest

from huikuan.importers import import_file
from tests.conftest import sample
from tests.importers.golden import assert_golden

SAMPLES = ["account-trailer-blank.bai2", "natwest-gb.bai2", "svb-us.bai2"]


@pytest.mark.parametrize("name", SAMPLES)
def test_golden(name: str):
    result = import_file(sample(f"bai2/{name}"))
    assert result.format_id == "bai2"
    assert_golden(result, f"bai2-{name.rsplit('.', 1)[0]}")


def test_natwest_debits_credits_in_minor_units_and_wrapped_text():
    result = import_file(sample("bai2/natwest-gb.bai2"))
    rows = result.entries.to_pylist()
    assert [(e["line"], e["kind"], e["amount_minor"]) for e in rows] == [
        (5, "bank_debit", -971), (7, "bank_debit", -100), (9, "bank_debit", -123),
        (11, "bank_debit", -1571), (13, "bank_credit", 89)]
    assert {e["currency"] for e in rows} == {"GBP"}  # the 03 record's currency; the group's is blank
    assert rows[4]["category"] == "399 Miscellaneous credit"
    # text cut at 80 characters in the middle of 'CLIENT' and continued in a second 88 record
    assert rows[4]["text"].endswith("INTERNATIONAL-5373 CLIENT SECCY AC TFR")
    assert rows[0]["ts"].date().isoformat() == "2009-12-15"  # 2009-12-16 00:00 Shanghai, in UTC
    assert result.meta["account"] == "88888888 600004"


def test_natwest_totals_and_control_totals_agree():
    checks = import_file(sample("bai2/natwest-gb.bai2")).checks
    names = [c.name.split(") ", 1)[-1] for c in checks]
    assert "total debits (400)" in names
    assert "control total (49)" in names
    assert all(c.ok for c in checks), [str(c) for c in checks]


def test_svb_bank_reference_is_the_record_id_per_group_date():
    result = import_file(sample("bai2/svb-us.bai2"))
    assert [(e["record_id"], e["amount_minor"], e["ts"].date().isoformat())
            for e in result.entries.to_pylist()] == [
        ("172629", 490196, "2022-01-31"), ("150675", 905800, "2022-02-01")]  # 00:00 Shanghai, UTC
    assert all(c.ok for c in result.checks)
    assert sum(c.name == "file control total" for c in result.checks) == 1


def test_blank_control_total_is_not_checked():
    result = import_file(sample("bai2/account-trailer-blank.bai2"))
    assert result.entries.num_rows == 0
    assert not result.errors
    assert not any("control total (49)" in c.name for c in result.checks)
    assert all(c.ok for c in result.checks)


def test_wrong_control_total_is_a_warning_and_unknown_type_code_an_error(tmp_path: Path):
    text = sample("bai2/svb-us.bai2").read_text(encoding="ascii")
    text = text.replace("49,138884258,7/", "49,138884259,7/").replace("16,142,905800", "16,942,905800")
    changed = tmp_path / "svb.bai2"
    changed.write_text(text, encoding="ascii")
    result = import_file(changed)
    assert any("control total (49): file says 1388842.59, rows give 1388842.58" in w
               for w in result.warnings)
    assert [(e.line, "type code '942'" in e.reason) for e in result.errors] == [(16, True)]
