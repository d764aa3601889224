"""Pinduoduo order export: the orders side of a PDD orders-settlement reconciliation."""

from __future__ import annotations

from pathlib import Path

import pytest

from huikuan.importers import import_file
from huikuan.importers.sources.pdd import date_from_order_number
from tests.conftest import FIXTURES
from tests.importers.entries import entries_by_id as by_id
from tests.importers.golden import assert_golden

ORDERS = FIXTURES / "pdd_orders" / "pdd_orders_2023-11.csv"


def changed(tmp_path: Path, old: str, new: str) -> Path:
    text = ORDERS.read_text(encoding="utf-8-sig")
    assert old in text
    path = tmp_path / "orders.csv"
    path.write_text(text.replace(old, new), encoding="utf-8-sig")
    return path



def test_golden():
    assert_golden(import_file(ORDERS), "pdd_orders_2023-11")


def test_amount_is_what_the_merchant_receives():
    entries = by_id(import_file(ORDERS))
    gloves = entries["231104-518273645077777"]
    # buyer paid 42.00, the platform's 3.00 coupon is the merchant's money too
    assert (gloves["kind"], gloves["amount_minor"], gloves["order_ref"]) == \
        ("order", 4500, "231104-518273645077777")
    assert gloves["text"] == "羊毛手套"


def test_status_is_normalised():
    entries = by_id(import_file(ORDERS))
    assert entries["231101-518273645012345"]["status"] == "completed"
    assert entries["231104-518273645077777"]["status"] == "shipped"
    assert entries["231105-518273645055555"]["status"] == "paid"
    assert entries["231106-518273645044444"]["status"] == "refunded"
    assert entries["231107-518273645033333"]["status"] == "closed"


def test_empty_deal_time_falls_back_to_the_order_number_and_says_so():
    result = import_file(ORDERS)
    scarf = by_id(result)["231128-518273645022222"]
    assert scarf["ts"].isoformat() == "2023-11-27T16:00:00+00:00"  # 2023-11-28 00:00 in Shanghai
    assert len(result.warnings) == 1
    assert "line 8" in result.warnings[0]
    assert "order number" in result.warnings[0]


def test_no_warning_when_every_row_has_its_time(tmp_path: Path):
    path = changed(tmp_path, "WJ-BLU,WJ,,无售后或售后取消,,,",
                   "WJ-BLU,WJ,,无售后或售后取消,,,2023-11-28 09:00:00")
    assert import_file(path).warnings == []


def test_order_number_damaged_by_excel_keeps_the_order_and_is_reported(tmp_path: Path):
    result = import_file(changed(tmp_path, "231107-518273645033333", "2.31107E+20"))
    assert result.errors == []
    assert result.entries.num_rows == 7
    [damaged] = [e for e in result.entries.to_pylist() if e["line"] == 7]
    assert damaged["record_id"] == "orders.csv:7"
    assert damaged["order_ref"] is None
    assert "2.31107E+20" in damaged["raw"]
    assert any("line 7" in w and "Excel" in w for w in result.warnings)


@pytest.mark.parametrize(("order_no", "date"), [
    ("231122-123456789012345", "2023-11-22"),
    ("240101-000000000000001", "2024-01-01"),
    ("3518234567891234567", None),
    ("A607198974342268", None),
])
def test_date_from_order_number(order_no, date):
    assert date_from_order_number(order_no) == date
