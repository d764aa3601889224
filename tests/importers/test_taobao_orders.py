"""Taobao/Tmall order export: the left side of orders-settlement."""

from __future__ import annotations

from huikuan.importers import import_file
from tests.conftest import FIXTURES
from tests.importers.golden import assert_golden

ORDERS = FIXTURES / "taobao_orders_2023-11.csv"


def test_golden():
    assert_golden(import_file(ORDERS), "taobao_orders_2023-11")


def test_order_numbers_stay_exact_text():
    refs = import_file(ORDERS).entries["order_ref"].to_pylist()
    assert "3518234567891234567" in refs  # 19 digits, read through its ="…" guard
    assert all(isinstance(r, str) for r in refs)


def test_paid_amount_status_and_refund():
    entries = {e["record_id"]: e for e in import_file(ORDERS).entries.to_pylist()}
    hat = entries["3518234567890000001"]
    assert (hat["kind"], hat["amount_minor"], hat["status"]) == ("order", 5990, "completed")
    assert hat["batch_ref"] == "2023103022001156781234569999"  # 支付单号
    refund = entries["3518234567890000001/refund"]
    assert (refund["kind"], refund["amount_minor"], refund["order_ref"]) == \
        ("order_refund", -2000, "3518234567890000001")
    assert entries["3518234567890000003"]["status"] == "closed"
    assert entries["3518234567890000002"]["status"] == "shipped"


def test_malformed_order_number_is_reported_not_dropped():
    result = import_file(ORDERS)
    assert [(e.file, e.line) for e in result.errors] == [("taobao_orders_2023-11.csv", 6)]
    assert "351823456789000000X" in result.errors[0].reason
