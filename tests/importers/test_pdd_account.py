"""Pinduoduo 店铺账务明细: the platform side of a PDD orders-settlement reconciliation."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest

from huikuan.importers import import_file
from huikuan.importers.reader import SourceFile
from huikuan.importers.sources.alipay_account import AlipayAccount
from huikuan.importers.sources.pdd import PddAccount, classify
from tests.conftest import FIXTURES
from tests.importers.golden import assert_golden

STATEMENT = FIXTURES / "pdd_account" / "pdd_account_2023-11.csv"
NAME = STATEMENT.name
COMPARED = ("line", "kind", "order_ref", "amount_minor", "ts", "category", "text", "batch_ref")


def entry_at(result, line):
    rows = [e for e in result.entries.to_pylist() if e["line"] == line]
    assert len(rows) == 1, line
    return rows[0]


def changed(tmp_path: Path, old: str, new: str) -> Path:
    text = STATEMENT.read_bytes().decode("gbk")
    assert old in text
    path = tmp_path / "pdd.csv"
    path.write_bytes(text.replace(old, new).encode("gbk"))
    return path


def as_xlsx(path: Path, target: Path) -> Path:
    """The same statement saved as .xlsx the way the platform offers it: preamble and footer as rows,
    amounts as numbers."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for record in csv.reader(io.StringIO(path.read_bytes().decode("gbk"), newline="")):
        cells: list[object] = [c.strip() for c in record]
        if len(cells) == 7 and not cells[0].startswith("商户"):
            cells[2], cells[3] = Decimal(str(cells[2])), Decimal(str(cells[3]))
        sheet.append(cells)
    book.save(target)
    return target


def test_golden():
    assert_golden(import_file(STATEMENT), "pdd_account_2023-11")


def test_reads_gbk_statement_with_preamble_and_footer_totals():
    result = import_file(STATEMENT)
    assert (result.format_id, result.encoding) == ("pdd_account", "gbk")
    assert result.meta["period_start"] == "2023-11-01 00:00:00"
    assert result.rows_read == result.entries.num_rows == 10
    assert not result.errors
    assert {c.name for c in result.checks} == {"收入笔数", "收入合计", "支出笔数", "支出合计"}
    assert all(c.ok for c in result.checks)


def test_payment_refund_and_fees_belong_to_their_order():
    result = import_file(STATEMENT)
    payment = entry_at(result, 6)
    assert (payment["kind"], payment["amount_minor"], payment["order_ref"]) == \
        ("payment", 5990, "231101-518273645012345")
    assert payment["record_id"] == f"{NAME}:6"  # the statement has no row id
    assert payment["category"] == "0010002|交易收入-订单收入"
    jinbao = entry_at(result, 8)
    assert (jinbao["kind"], jinbao["amount_minor"], jinbao["order_ref"]) == \
        ("fee", -599, "231101-518273645012345")
    assert jinbao["category"] == "0060001|营销费用-多多进宝"
    refund = entry_at(result, 10)
    assert (refund["kind"], refund["amount_minor"], refund["order_ref"]) == \
        ("refund", -2000, "231102-518273645099999")


def test_payout_deposit_and_penalty_are_not_sales():
    result = import_file(STATEMENT)
    payout = entry_at(result, 12)
    assert (payout["kind"], payout["amount_minor"], payout["order_ref"]) == ("payout", -100000, None)
    deposit = entry_at(result, 14)
    assert (deposit["kind"], deposit["amount_minor"], deposit["order_ref"]) == ("deposit", -200000, None)
    penalty = entry_at(result, 13)
    assert (penalty["kind"], penalty["amount_minor"]) == ("penalty", -5000)
    assert entry_at(result, 11)["kind"] == "subsidy"


def test_footer_total_that_disagrees_is_reported(tmp_path: Path):
    result = import_file(changed(tmp_path, "共190.90元", "共191.90元"))
    assert any("收入合计" in w and "191.90" in w for w in result.warnings)


def test_bad_amount_is_a_row_error_with_its_line(tmp_path: Path):
    result = import_file(changed(tmp_path, ",128.00,0,", ",128.0.0,0,"))
    assert [(e.line, "128.0.0" in e.reason) for e in result.errors] == [(9, True)]
    assert result.entries.num_rows == 9


def test_both_sides_filled_is_a_row_error(tmp_path: Path):
    result = import_file(changed(tmp_path, ",3.00,0,", ",3.00,-3.00,"))
    assert [e.line for e in result.errors] == [11]
    assert "both" in result.errors[0].reason


def test_xlsx_export_gives_the_same_entries(tmp_path: Path):
    xlsx = import_file(as_xlsx(STATEMENT, tmp_path / "账务明细.xlsx"))
    csv_result = import_file(STATEMENT)
    assert xlsx.format_id == "pdd_account"
    assert not xlsx.errors
    pick = lambda r: [{k: e[k] for k in COMPARED} for e in r.entries.to_pylist()]  # noqa: E731
    assert pick(xlsx) == pick(csv_result)
    assert xlsx.checks
    assert all(c.ok for c in xlsx.checks)


def test_not_confused_with_the_alipay_statement():
    pdd = SourceFile(STATEMENT)
    alipay = SourceFile(FIXTURES / "alipay_account_2023-11.csv")
    assert PddAccount().detect(alipay) == 0.0
    assert AlipayAccount().detect(pdd) == 0.0


@pytest.mark.parametrize(("description", "account_type", "memo", "kind"), [
    ("0010002|交易收入-订单收入", "交易收入", "-", "payment"),
    ("0020002|交易退款-订单退款", "交易退款", "", "refund"),
    ("0060001|营销费用-多多进宝", "多多进宝", "多多进宝佣金扣除", "fee"),
    ("", "技术服务费", "", "fee"),
    ("", "提现", "", "payout"),
    ("", "其他支出", "虚假发货罚款", "penalty"),
    ("0140028|其他支出-合作费追回", "其他支出", "", "other"),
])
def test_classify(description, account_type, memo, kind):
    assert classify(description, account_type, memo) == kind
