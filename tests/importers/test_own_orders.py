"""The merchant's own order list (ERP / shop system), recognised by header words with low confidence."""

from __future__ import annotations

from pathlib import Path

import pytest

from huikuan.importers import import_file
from huikuan.importers.reader import SourceFile
from huikuan.importers.sources.own_orders import OwnOrders, guess_columns, order_status
from huikuan.importers.sources.pdd import PddOrders
from tests.conftest import FIXTURES, SAMPLES
from tests.importers.entries import entries_by_id as by_id
from tests.importers.golden import assert_golden

YOUZAN = FIXTURES / "own_orders" / "youzan_like_orders_2023-11.csv"
JUSHUITAN = FIXTURES / "own_orders" / "jushuitan_like_orders_2023-11.csv"
ALL_SAMPLES = sorted(p for p in SAMPLES.rglob("*") if p.is_file() and p.suffix.lower() != ".md")



@pytest.mark.parametrize(("path", "name"), [
    (YOUZAN, "youzan_like_orders_2023-11"), (JUSHUITAN, "jushuitan_like_orders_2023-11"),
])
def test_golden(path, name):
    assert_golden(import_file(path), name)


def test_shop_export_mapping_is_shown_and_paid_amount_used():
    result = import_file(YOUZAN)
    assert result.format_id == "own_orders"
    assert result.meta["mapping"].startswith("id=订单号, amount=订单实付金额, time=支付时间 (else 下单时间)")
    scarf = by_id(result)["E20231102101533012345678"]
    assert (scarf["kind"], scarf["amount_minor"], scarf["status"]) == ("order", 11800, "completed")
    assert scarf["batch_ref"] == "4200001234202311021234567890"  # 支付流水号, the payment's serial
    assert scarf["ts"].isoformat() == "2023-11-02T02:16:01+00:00"  # 支付时间, not 下单时间


def test_refund_column_gives_an_order_refund():
    entries = by_id(import_file(YOUZAN))
    refund = entries["E20231103090000012345679/refund"]
    assert (refund["kind"], refund["amount_minor"], refund["order_ref"]) == \
        ("order_refund", -2000, "E20231103090000012345679")


def test_unpaid_order_is_dated_by_its_order_time():
    entries = by_id(import_file(YOUZAN))
    unpaid = entries["E20231104120000012345680"]
    assert unpaid["status"] == "unpaid"
    assert unpaid["ts"].isoformat() == "2023-11-04T04:00:00+00:00"  # 下单时间 12:00 Shanghai


def test_erp_export_uses_the_platform_order_number_and_its_own_id():
    result = import_file(JUSHUITAN)
    assert "id=线上订单号" in result.meta["mapping"]
    assert "own_id=内部订单号" in result.meta["mapping"]
    entries = by_id(result)
    first, second = entries["10002"], entries["10003"]  # one Tmall order split in two shipments
    assert first["order_ref"] == second["order_ref"] == "3518234567891234567"
    assert (first["amount_minor"], second["amount_minor"]) == (10000, 2800)
    assert entries["10004"]["status"] == "closed"
    assert result.checks
    assert all(c.ok for c in result.checks)


def test_repeated_order_numbers_are_named_apart_and_reported(tmp_path: Path):
    text = YOUZAN.read_text(encoding="utf-8")
    lines = text.splitlines()
    path = tmp_path / "orders.csv"
    path.write_text("\n".join([*lines, lines[1]]) + "\n", encoding="utf-8")
    result = import_file(path)
    entries = by_id(result)
    assert "E20231102101533012345678/2" in entries
    assert any("E20231102101533012345678" in w and "more than one row" in w for w in result.warnings)


def test_bad_amount_is_a_row_error_with_its_line(tmp_path: Path):
    path = tmp_path / "orders.csv"
    path.write_text(YOUZAN.read_text(encoding="utf-8").replace(",96.00,", ",96.0O,"), encoding="utf-8")
    result = import_file(path)
    assert [e.line for e in result.errors] == [6]


def test_low_confidence_so_specific_importers_win():
    pdd = SourceFile(FIXTURES / "pdd_orders" / "pdd_orders_2023-11.csv")
    assert 0.5 <= OwnOrders().detect(SourceFile(YOUZAN)) <= 0.6
    assert OwnOrders().detect(pdd) < PddOrders().detect(pdd)


@pytest.mark.parametrize("path", ALL_SAMPLES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_claims_no_public_sample(path: Path):
    assert OwnOrders().detect(SourceFile(path)) < 0.5


@pytest.mark.parametrize(("header", "found"), [
    (["外部订单号", "实付金额(元)", "支付时间"], True),
    (["订单编号", "订单金额", "创建时间"], True),
    (["订单号", "运费", "寄件日期"], False),          # a courier bill
    (["交易时间", "商户订单号", "订单金额", "交易类型"], False),  # a payment bill
    (["账务流水号", "金额", "时间"], False),
])
def test_guess_columns(header, found):
    assert (guess_columns(header) is not None) == found


@pytest.mark.parametrize(("text", "status"), [
    ("待发货", "paid"), ("已发货", "shipped"), ("交易成功", "completed"), ("已关闭", "closed"),
    ("已发货，退款成功", "refunded"), ("待付款", "unpaid"),
])
def test_order_status(text, status):
    assert order_status(text) == status
