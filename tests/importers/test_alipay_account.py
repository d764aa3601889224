"""Alipay 账务明细: the statement every Taobao/Tmall reconciliation starts from."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from huikuan.importers import import_file
from huikuan.importers.sources.alipay_account import order_number
from tests.conftest import FIXTURES
from tests.importers.entries import entry as by_id
from tests.importers.golden import assert_golden

STATEMENT = FIXTURES / "alipay_account_2023-11.csv"



def test_golden():
    assert_golden(import_file(STATEMENT), "alipay_account_2023-11")


def test_reads_gbk_statement_with_preamble_footer_and_padding():
    result = import_file(STATEMENT)
    assert result.format_id == "alipay_account"
    assert result.encoding == "gbk"
    assert result.meta["account"] == "20881234567890120156"
    assert result.rows_read == result.entries.num_rows == 6
    assert not result.errors
    assert result.checks
    assert all(c.ok for c in result.checks)


def test_payment_refund_fee_and_payout_are_told_apart():
    result = import_file(STATEMENT)
    payment = by_id(result, "20231102200040011100560012345678")
    assert (payment["kind"], payment["amount_minor"]) == ("payment", 12800)
    assert payment["order_ref"] == "3518234567891234567"  # T200P stripped
    refund = by_id(result, "20231105200040011100560012345682")
    assert (refund["kind"], refund["amount_minor"]) == ("refund", -2000)
    payout = by_id(result, "20231106200040011100560012345683")
    assert (payout["kind"], payout["amount_minor"], payout["order_ref"]) == ("payout", -100000, None)
    assert payout["batch_ref"] == "20231106110070001506560012345683"


def test_fee_is_attributed_to_the_order_named_in_its_memo():
    result = import_file(STATEMENT)
    commission = by_id(result, "20231102200040011100560012345679")
    assert commission["kind"] == "fee"
    assert commission["order_ref"] == "3518234567891234567"
    assert commission["amount_minor"] == -640


def test_split_fee_without_order_number_takes_the_order_of_its_payment(tmp_path: Path):
    text = STATEMENT.read_bytes().decode("gbk").replace(
        "天猫佣金（类目）{3518234567891234567}扣款", "天猫佣金（类目）扣款")
    changed = tmp_path / "statement.csv"
    changed.write_bytes(text.encode("gbk"))
    commission = by_id(import_file(changed), "20231102200040011100560012345679")
    assert commission["order_ref"] == "3518234567891234567"  # via the shared 业务流水号


def test_footer_total_that_disagrees_is_reported(tmp_path: Path):
    text = STATEMENT.read_bytes().decode("gbk").replace("共187.90元", "共190.00元")
    changed = tmp_path / "statement.csv"
    changed.write_bytes(text.encode("gbk"))
    result = import_file(changed)
    assert any("收入合计" in w and "190.00" in w for w in result.warnings)


def test_bad_amount_is_a_row_error_with_its_line(tmp_path: Path):
    text = STATEMENT.read_bytes().decode("gbk").replace("+59.90", "+59.9.0")
    changed = tmp_path / "statement.csv"
    changed.write_bytes(text.encode("gbk"))
    result = import_file(changed)
    assert [(e.line, "59.9.0" in e.reason) for e in result.errors] == [(9, True)]
    assert result.entries.num_rows == 5


def test_columns_are_found_by_name_not_position(tmp_path: Path):
    lines = STATEMENT.read_bytes().decode("gbk").splitlines()
    header_at = next(i for i, line in enumerate(lines) if line.startswith("账务流水号"))
    end = next(i for i, line in enumerate(lines) if i > header_at and line.startswith("#"))
    swapped = []
    for line in lines[header_at:end]:
        cells = line.split(",")
        cells[0], cells[4] = cells[4], cells[0]
        swapped.append(",".join(cells))
    changed = tmp_path / "swapped.csv"
    changed.write_bytes("\r\n".join(lines[:header_at] + swapped + lines[end:]).encode("gbk"))
    assert import_file(changed).entries["record_id"].to_pylist() == \
        import_file(STATEMENT).entries["record_id"].to_pylist()


@pytest.mark.parametrize(("given", "expected"), [
    ("T200P3518234567891234567", "3518234567891234567"),
    ("T2000P3518234567891234567", "3518234567891234567"),
    ("3518234567891234567", "3518234567891234567"),
    ("TP123", "TP123"),
])
def test_order_number_prefix(given, expected):
    assert order_number(given) == expected


def test_detected_by_content_whatever_the_name(tmp_path: Path):
    renamed = tmp_path / "download (3).txt"
    shutil.copy(STATEMENT, renamed)
    assert import_file(renamed).format_id == "alipay_account"
