"""Adyen settlement details report: CSV batch sample, XLSX sample with ids damaged by Excel."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from huikuan.importers import import_file
from tests.conftest import sample
from tests.importers.entries import entries_by_id as by_id
from tests.importers.golden import assert_golden

CSV = "adyen-settlement-detail/adyen-settlement-detail-batch380.csv"
XLSX = "adyen-settlement-detail/adyen-settlement-detail.xlsx"



def test_golden_csv():
    assert_golden(import_file(sample(CSV)), "adyen-settlement-detail-batch380")


def test_golden_xlsx():
    assert_golden(import_file(sample(XLSX)), "adyen-settlement-detail-xlsx")


def test_settled_payment_and_its_fees_belong_to_the_merchant_reference():
    rows = by_id(import_file(sample(CSV)))
    payment, fee = rows["1829098024817852"], rows["1829098024817852/fee"]
    assert (payment["kind"], payment["amount_minor"]) == ("payment", 3145)
    assert payment["order_ref"] == "CM1000028854"
    assert (fee["kind"], fee["amount_minor"]) == ("fee", -30)
    assert fee["text"] == "Markup 0.16 + Scheme Fees 0.05 + Interchange 0.09"
    assert payment["batch_ref"] == fee["batch_ref"] == "380"


def test_refund_is_named_by_its_modification_reference():
    rows = by_id(import_file(sample(CSV)))
    refund, fee = rows["1816098659464421"], rows["1816098659464421/fee"]
    assert (refund["kind"], refund["amount_minor"], refund["order_ref"]) == ("refund", -4000, "CM300143509")
    assert fee["amount_minor"] == -20


def test_batch_fee_and_payout_and_the_batch_nets_to_zero():
    result = import_file(sample(CSV))
    rows = result.entries.to_pylist()
    payout = [e for e in rows if e["kind"] == "payout"]
    assert [(e["amount_minor"], e["batch_ref"], e["text"]) for e in payout] == [
        (-5530807, "380", "TX635094301XT batch 380, YOURCOMPANY_ACCOUNT")]
    assert [e["amount_minor"] for e in rows if e["category"] == "Fee"] == [-3810]
    assert sum(e["amount_minor"] for e in rows) == 0
    assert [(c.name, c.ok) for c in result.checks] == [("batch 380 paid out in full (USD)", True)]
    assert result.rows_read == 228
    assert not result.errors
    assert not result.warnings


def test_xlsx_references_cut_by_excel_keep_their_money_under_file_and_line():
    """The XLSX holds 16-digit Psp References as numbers (4814769000000000): Excel keeps 15
    significant digits, so they cannot be trusted as ids. Each such row is still imported —
    named ``file:line``, the damaged reference in raw — so the batch's money is all there and
    nets to its payout; one warning names the rows."""
    result = import_file(sample(XLSX))
    assert result.rows_read == 21
    assert result.errors == []
    payments = [e for e in result.entries.to_pylist() if e["kind"] == "payment"]
    assert [e["line"] for e in payments] == list(range(5, 24))
    assert payments[0]["record_id"] == "adyen-settlement-detail.xlsx:5"
    assert "4.814769000000000e+15" in payments[0]["raw"]  # the damaged id, as the reader saw it
    [check] = result.checks  # every net amount counted: the batch nets to its payout
    assert check.ok
    assert check.expected == "23006.27"
    [warning] = [w for w in result.warnings if "15 significant digits" in w]
    assert "line 5 (4814769000000000)" in warning
    assert "19 rows" in warning


@pytest.fixture
def small_xlsx(tmp_path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Company Account", "Merchant Account", "Psp Reference", "Merchant Reference",
                  "Creation Date", "TimeZone", "Type", "Modification Reference", "Gross Currency",
                  "Gross Debit (GC)", "Gross Credit (GC)", "Net Currency", "Net Debit (NC)",
                  "Net Credit (NC)", "Commission (NC)", "Batch Number"])
    base = ["ACME", "ACME_EU", None, "ORD-1", "2023-05-02 10:00:00", "CEST", "Settled", None,
            "EUR", None, 10, "EUR", None, 9.8, 0.2, 7]
    for psp, mod in ((4814769000000017, 8814769000000013), (4814769000000020, 8814769000000021),
                     ("4814769000000030", "8814769000000031")):
        sheet.append([*base[:2], psp, *base[3:7], mod, *base[8:]])
    path = tmp_path / "settlement.xlsx"
    book.save(path)
    return path


def test_xlsx_reference_that_excel_could_not_have_cut_is_kept(small_xlsx: Path):
    result = import_file(small_xlsx)
    ids = [e["record_id"] for e in result.entries.to_pylist() if e["kind"] == "payment"]
    # ends in 7: exact (below 2**53, and Excel would have written a 0); stored as text: exact
    assert ids == ["4814769000000017", "settlement.xlsx:3", "4814769000000030"]
    # ends in 0: maybe cut by Excel: imported under file:line, never under a wrong id
    assert result.errors == []
    assert any("line 3 (4814769000000020)" in w for w in result.warnings)
