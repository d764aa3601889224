"""WeChat Pay personal bill (微信支付账单明细): ¥ amounts, '/' neutral rows, refunds in the status."""

from __future__ import annotations

from pathlib import Path

import pytest

from huikuan.importers import import_file
from tests.conftest import sample
from tests.importers.entries import entry as by_id
from tests.importers.golden import assert_golden

EXAMPLE = "wechat-personal/example-wechat-records.csv"
BOM_CRLF = "wechat-personal/wechat-personal-2020-bom-crlf.csv"



@pytest.mark.parametrize(("name", "golden"), [(EXAMPLE, "wechat-personal-example"),
                                              (BOM_CRLF, "wechat-personal-2020-bom-crlf")])
def test_golden(name, golden):
    assert_golden(import_file(sample(name)), golden)


def test_bom_crlf_export_reads_and_its_income_total_agrees():
    result = import_file(sample(BOM_CRLF))
    assert (result.format_id, result.encoding, result.errors) == ("wechat_personal", "utf-8-sig", [])
    assert result.rows_read == result.entries.num_rows == 7
    checks = {c.name: c for c in result.checks}
    assert checks["收入笔数"].ok
    assert checks["收入金额"].ok
    assert not checks["共…笔记录"].ok                       # the sample keeps 7 of 21 records
    assert result.meta["account_name"] == "微"


def test_refund_with_amount_in_the_status_is_money_back():
    result = import_file(sample(BOM_CRLF))
    refund = by_id(result, "50300605572020090402502430637")
    assert (refund["kind"], refund["amount_minor"], refund["status"]) == ("refund", 74200, "refunded")
    shop = by_id(result, "4200000686202009066696686773")  # quoted id with a tab inside the quotes
    assert (shop["kind"], shop["amount_minor"], shop["order_ref"]) == \
        ("payment", -15058, "61844920090614235306105")


def test_withdrawal_is_a_payout_net_of_its_service_fee():
    result = import_file(sample(EXAMPLE))
    payout = by_id(result, "207210715100077148235523883175")
    assert (payout["kind"], payout["amount_minor"]) == ("payout", -10000)  # ¥100.10 less 服务费¥0.10
    fee = by_id(result, "207210715100077148235523883175/fee")
    assert (fee["kind"], fee["amount_minor"]) == ("fee", -10)


def test_neutral_rows_move_money_between_own_accounts():
    result = import_file(sample(EXAMPLE))
    repay = by_id(result, "4200000069201710299246843141")  # 信用卡还款
    assert (repay["kind"], repay["amount_minor"]) == ("transfer", -54858)
    top_up = by_id(result, "110190416100031243293946287587")  # 零钱充值
    assert (top_up["kind"], top_up["amount_minor"]) == ("transfer", 130000)
    assert result.entries.num_rows == 30
    assert not result.errors


def test_slash_means_no_merchant_order():
    result = import_file(sample(EXAMPLE))
    assert by_id(result, "3985734#5")["order_ref"] is None  # 商户单号 "/\t"


def test_bad_time_is_a_row_error_with_its_line(tmp_path: Path):
    text = sample(EXAMPLE).read_text(encoding="utf-8").replace("2019-09-24 10:10:11", "2019-09-34 10:10:11")
    path = tmp_path / "bill.csv"
    path.write_text(text, encoding="utf-8")
    result = import_file(path)
    assert [e.line for e in result.errors] == [19]
