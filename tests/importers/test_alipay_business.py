"""Alipay 业务明细: one row per trade or refund, with 服务费 and 分润 beside it."""

from __future__ import annotations

from pathlib import Path

from huikuan.importers import import_file
from huikuan.importers.reader import SourceFile
from huikuan.importers.sources.alipay_account import AlipayAccount
from huikuan.importers.sources.alipay_business import AlipayBusiness
from tests.conftest import FIXTURES
from tests.importers.entries import entry as by_id
from tests.importers.golden import assert_golden

DETAIL = FIXTURES / "alipay_business" / "alipay_business_2023-11.csv"



def changed(tmp_path: Path, old: str, new: str) -> Path:
    text = DETAIL.read_bytes().decode("gbk")
    assert old in text
    path = tmp_path / "detail.csv"
    path.write_bytes(text.replace(old, new).encode("gbk"))
    return path


def test_golden():
    assert_golden(import_file(DETAIL), "alipay_business_2023-11")


def test_reads_gbk_detail_with_preamble_and_checks_the_footer_totals():
    result = import_file(DETAIL)
    assert (result.format_id, result.encoding) == ("alipay_business", "gbk")
    assert result.meta["account"] == "20881234567890120156"
    assert result.rows_read == 5
    assert not result.errors
    assert [c.name for c in result.checks] == [
        "交易合计 笔数", "交易合计 商家实收", "交易合计 商家优惠",
        "退款合计 笔数", "退款合计 商家实收", "退款合计 商家优惠"]
    assert all(c.ok for c in result.checks)


def test_payment_is_what_the_merchant_received_and_the_fee_belongs_to_its_order():
    result = import_file(DETAIL)
    cup = by_id(result, "2023110222001456781234560002")
    assert (cup["kind"], cup["amount_minor"], cup["order_ref"]) == ("payment", 4990, "SO20231102000102")
    assert "订单金额 59.90" in cup["text"]
    assert "商家优惠 10.00" in cup["text"]
    fee = by_id(result, "2023110222001456781234560002/fee")
    assert (fee["kind"], fee["amount_minor"], fee["order_ref"]) == ("fee", -30, "SO20231102000102")
    share = by_id(result, "2023110322001456781234560003/share")
    assert (share["kind"], share["amount_minor"], share["category"]) == ("fee", -200, "分润")


def test_refund_has_its_own_id_and_gets_its_fee_back():
    result = import_file(DETAIL)
    refund = by_id(result, "2023110222001456781234560001/RF202311040001")
    assert (refund["kind"], refund["amount_minor"]) == ("refund", -2800)
    assert refund["order_ref"] == "SO20231102000101"
    assert refund["batch_ref"] == "2023110222001456781234560001"  # the refunded trade
    returned = by_id(result, "2023110222001456781234560001/RF202311040001/fee")
    assert (returned["kind"], returned["amount_minor"]) == ("fee", 17)


def test_fee_sign_does_not_depend_on_how_the_export_writes_it(tmp_path: Path):
    result = import_file(changed(tmp_path, ",-0.77,", ",0.77,"))
    assert by_id(result, "2023110222001456781234560001/fee")["amount_minor"] == -77


def test_footer_total_that_disagrees_is_a_warning(tmp_path: Path):
    result = import_file(changed(tmp_path, "商家实收共414.40元", "商家实收共420.00元"))
    assert [w for w in result.warnings if "交易合计 商家实收" in w and "420.00" in w]


def test_bad_amount_is_a_row_error_with_its_line(tmp_path: Path):
    result = import_file(changed(tmp_path, ",59.90,49.90,", ",59.90,49.9.0,"))
    assert [(e.line, "49.9.0" in e.reason) for e in result.errors] == [(7, True)]
    assert "2023110222001456781234560002" not in result.entries["record_id"].to_pylist()
    assert any("交易合计 笔数" in w for w in result.warnings)  # the footer notices the lost row


def test_not_confused_with_the_account_statement():
    assert AlipayAccount().detect(SourceFile(DETAIL)) == 0.0
    assert AlipayBusiness().detect(SourceFile(FIXTURES / "alipay_account_2023-11.csv")) == 0.0
