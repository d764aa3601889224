"""Alipay personal 交易明细: unsigned amounts, 收/支 direction, 不计收支 rows kept."""

from __future__ import annotations

from pathlib import Path

from huikuan.importers import import_file
from huikuan.importers.reader import SourceFile
from huikuan.importers.sources.alipay_personal import AlipayPersonal
from tests.conftest import sample
from tests.importers.entries import entry as by_id
from tests.importers.golden import assert_golden

BILL = "alipay-personal/example-alipay-records.csv"



def test_golden():
    assert_golden(import_file(sample(BILL)), "alipay-personal")


def test_every_row_is_kept_with_the_sign_of_its_direction():
    result = import_file(sample(BILL))
    assert (result.format_id, result.encoding, result.errors) == ("alipay_personal", "gbk", [])
    assert result.rows_read == result.entries.num_rows == 10
    assert result.meta["account"] == "xx@gmail.com"
    paid = by_id(result, "202302xxxxxx0011000103xxxxxx")
    assert (paid["kind"], paid["amount_minor"], paid["status"]) == ("payment", -4974, "completed")
    assert paid["order_ref"] == "20230xxxxxxx014741014xxxxxx"  # the tab before the comma is gone
    received = by_id(result, "2xxxxxxxxxxxxxxxxxxxxxxxxx9")  # 转账红包: money from a person, not a sale
    assert (received["kind"], received["amount_minor"]) == ("transfer", 22222850)


def test_neutral_rows_are_refunds_transfers_or_other_never_dropped():
    result = import_file(sample(BILL))
    refund = by_id(result, "2023xxxxx88_2023xx57")
    assert (refund["kind"], refund["amount_minor"], refund["order_ref"]) == ("refund", 5000, "D12*****14")
    closed_payment = by_id(result, "2023xxxxx88")  # paid, closed, then refunded by the row above
    assert (closed_payment["amount_minor"], closed_payment["status"]) == (-5000, "closed")
    fund_sale = by_id(result, "2xxxxxxxxxxxxxxxxxxxxxxxxxx8")  # 卖出至余额宝: back into the account
    assert (fund_sale["kind"], fund_sale["amount_minor"]) == ("transfer", 9934)
    never_paid = by_id(result, "xxxx")  # 不计收支 + 交易关闭: no money moved, not income
    assert (never_paid["kind"], never_paid["amount_minor"], never_paid["status"]) == \
        ("other", 0, "closed")
    assert "82.00 not moved" in never_paid["text"]  # the written amount is not lost
    income = sum(a for a, k in zip(result.entries["amount_minor"].to_pylist(),
                                   result.entries["kind"].to_pylist(), strict=True)
                 if a > 0 and k in ("payment", "other"))
    assert income == 0  # neither the closed row nor the red packet counts as sales income


def test_ids_repeated_by_anonymisation_stay_unique():
    ids = import_file(sample(BILL)).entries["record_id"].to_pylist()
    assert ids.count("xxxx") == 1
    assert "xxxx#2" in ids
    assert "xxxx#3" in ids
    assert len(ids) == len(set(ids))


def test_preamble_totals_are_checked_and_the_truncated_sample_is_flagged():
    result = import_file(sample(BILL))
    checks = {c.name: c for c in result.checks}
    assert (checks["共…笔记录"].expected, checks["共…笔记录"].actual) == ("66", "10")
    assert checks["收入笔数"].ok
    assert not checks["支出笔数"].ok
    assert result.meta["stated 不计收支"] == "2笔 16.37元"


def test_bad_amount_is_a_row_error_with_its_line(tmp_path: Path):
    text = sample(BILL).read_bytes().decode("gbk").replace("49.74", "49.7.4")
    path = tmp_path / "bill.csv"
    path.write_bytes(text.encode("gbk"))
    result = import_file(path)
    assert [(e.line, "49.7.4" in e.reason) for e in result.errors] == [(26, True)]
    assert result.entries.num_rows == 9


def test_jd_bill_with_nearly_the_same_header_is_not_claimed():
    assert AlipayPersonal().detect(SourceFile(sample("jd-personal/example-jd-records.csv"))) == 0.0
