"""Amazon settlement report, flat file V2: the US sample and a DE (decimal comma) fixture."""

from __future__ import annotations

from pathlib import Path

from huikuan.importers import import_file
from tests.conftest import FIXTURES, sample
from tests.importers.golden import assert_golden

US = "amazon-settlement-v2/amazon-settlement-flatfile-v2-us.txt"
DE = FIXTURES / "amazon_settlement_v2" / "amazon-settlement-de-2024-03.txt"


def entries(result):
    return result.entries.to_pylist()


def test_golden_us_sample():
    assert_golden(import_file(sample(US)), "amazon-settlement-v2")


def test_golden_de_fixture():
    assert_golden(import_file(DE), "amazon_settlement_v2_de-2024-03")


def test_summary_row_is_the_deposit_not_a_sale_and_its_total_is_checked():
    result = import_file(sample(US))
    assert result.format_id == "amazon_settlement_v2"
    assert result.meta["settlement_id"] == "28471003921"
    assert result.meta["total_amount"] == "582.89"
    deposit = [e for e in entries(result) if e["kind"] == "payout"]
    assert [(e["record_id"], e["amount_minor"], e["batch_ref"]) for e in deposit] == [
        ("28471003921/deposit", -58289, "28471003921")]
    assert deposit[0]["ts"].isoformat() == "2026-07-02T00:00:00+00:00"
    assert [(c.name, c.ok) for c in result.checks] == [("total-amount (USD)", True)]
    # 23 transaction rows, each one entry, none of them the summary
    assert sum(1 for e in entries(result) if e["kind"] != "payout") == 23


def test_order_lines_are_payments_and_fees_of_their_order():
    order = [e for e in entries(import_file(sample(US))) if e["order_ref"] == "114-8829371-4410258"]
    assert [(e["kind"], e["amount_minor"], e["category"]) for e in order] == [
        ("payment", 12999, "Order: ItemPrice/Principal"),
        ("payment", 1040, "Order: ItemPrice/Tax"),
        ("fee", -1950, "Order: ItemFees/Commission"),
        ("fee", -475, "Order: ItemFees/FBAPerUnitFulfillmentFee"),
        ("fee", -1040, "Order: ItemFees/MarketplaceFacilitatorVAT-Principal"),
    ]
    assert {e["batch_ref"] for e in order} == {"28471003921"}


def test_refund_returns_the_principal_and_the_commission_comes_back():
    refund = [e for e in entries(import_file(sample(US))) if e["order_ref"] == "112-5561209-7742044"]
    assert [(e["kind"], e["amount_minor"]) for e in refund] == [
        ("refund", -12999), ("fee", -500), ("fee", 1950)]


def test_reserve_is_a_deposit_and_service_fees_are_fees():
    by_category = {e["category"]: e for e in entries(import_file(sample(US)))}
    assert by_category["Transfer: other-transaction/Current Reserve Amount"]["kind"] == "deposit"
    assert by_category["ServiceFee: other-transaction/Storage Fee"]["amount_minor"] == -6428
    assert by_category["ServiceFee: other-transaction/Storage Fee"]["kind"] == "fee"


def test_rows_have_no_natural_id_and_are_named_by_line():
    result = import_file(sample(US))
    first = entries(result)[1]
    assert first["record_id"] == "amazon-settlement-flatfile-v2-us.txt:3"


def test_de_marketplace_decimal_commas_and_day_first_dates():
    result = import_file(DE)
    assert result.meta["decimal_separator"] == "comma"
    assert result.meta["marketplace"] == "Amazon.de"
    assert not result.errors
    assert all(c.ok for c in result.checks)
    lines = [e for e in entries(result) if e["order_ref"] == "028-9316602-1147520"]
    assert [(e["kind"], e["amount_minor"], e["currency"]) for e in lines] == [
        ("payment", 12900, "EUR"), ("payment", -1000, "EUR"), ("fee", -1785, "EUR")]
    assert lines[0]["ts"].isoformat() == "2024-03-05T18:40:52+00:00"  # 05.03. is 5 March


def test_total_that_disagrees_with_the_rows_is_a_warning(tmp_path: Path):
    changed = tmp_path / "settlement.txt"
    changed.write_text(sample(US).read_text().replace("\t582.89\t", "\t592.89\t"))
    result = import_file(changed)
    assert any("total-amount" in w and "592.89" in w and "582.89" in w for w in result.warnings)


def test_bad_amount_is_reported_with_its_line(tmp_path: Path):
    changed = tmp_path / "settlement.txt"
    changed.write_text(sample(US).read_text().replace("\t-13.35\t", "\t-13.3.5\t"))
    result = import_file(changed)
    assert [e.line for e in result.errors] == [10]
    assert "13.3.5" in result.errors[0].reason
    assert not all(c.ok for c in result.checks)  # the missing row shows in the total check
