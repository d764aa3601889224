"""WeChat Pay merchant bills: the trade bill (交易账单) and the fund-flow bill (资金账单)."""

from __future__ import annotations

from pathlib import Path

from huikuan.importers import import_file
from tests.conftest import FIXTURES
from tests.importers.entries import entry as by_id
from tests.importers.golden import assert_golden

TRADE = FIXTURES / "wechat_trade" / "wechat_trade_2023-11.csv"
FUNDFLOW = FIXTURES / "wechat_fundflow" / "wechat_fundflow_2023-11.csv"



def changed(tmp_path: Path, source: Path, old: str, new: str, encoding: str = "utf-8-sig") -> Path:
    text = source.read_text(encoding="utf-8-sig")
    assert old in text
    path = tmp_path / source.name
    path.write_bytes(text.replace(old, new).encode(encoding))
    return path


# ---- trade bill ------------------------------------------------------------------------------

def test_trade_golden():
    assert_golden(import_file(TRADE), "wechat_trade_2023-11")


def test_trade_bill_summary_row_agrees_with_the_rows():
    result = import_file(TRADE)
    assert (result.format_id, result.rows_read, result.errors) == ("wechat_trade", 5, [])
    assert {c.name for c in result.checks} == {
        "总交易单数", "应结订单总金额", "退款总金额", "充值券退款总金额",
        "手续费总金额", "订单总金额", "申请退款总金额"}
    assert all(c.ok for c in result.checks)


def test_payment_is_the_order_amount_and_the_coupon_is_noted():
    result = import_file(TRADE)
    tea = by_id(result, "4200001987202311021234567802")
    assert (tea["kind"], tea["amount_minor"], tea["order_ref"]) == ("payment", 5000, "WX20231102000102")
    assert "应结订单金额 45.00" in tea["text"]
    assert "代金券 5.00" in tea["text"]
    fee = by_id(result, "4200001987202311021234567802/fee")
    assert (fee["kind"], fee["amount_minor"], fee["order_ref"]) == ("fee", -27, "WX20231102000102")


def test_refund_row_belongs_to_its_order_and_returns_the_fee():
    result = import_file(TRADE)
    refund = by_id(result, "50301508212023110312345678901")
    assert (refund["kind"], refund["amount_minor"], refund["status"]) == ("refund", -3000, "refunded")
    assert refund["order_ref"] == "WX20231102000101"
    assert refund["batch_ref"] == "4200001987202311021234567801"  # the 微信订单号 it refunds
    returned = by_id(result, "50301508212023110312345678901/fee")
    assert (returned["kind"], returned["amount_minor"]) == ("fee", 18)


def test_revoked_payment_is_a_refund_named_after_its_order(tmp_path: Path):
    old = ("`MICROPAY,`SUCCESS,`OTHERS,`CNY,`260.00,`0.00,`0,`0,`0.00,`0.00,`,`,"
           "`普洱熟茶饼 357g,`,`1.56000,`0.60%,`260.00,`0.00,`")
    new = ("`MICROPAY,`REVOKED,`OTHERS,`CNY,`0.00,`0.00,`0,`0,`260.00,`0.00,`,`PROCESSING,"
           "`普洱熟茶饼 357g,`,`0.00000,`0.60%,`0.00,`260.00,`")
    revoked = by_id(import_file(changed(tmp_path, TRADE, old, new)), "4200001987202311031234567803/revoked")
    assert (revoked["kind"], revoked["amount_minor"], revoked["status"]) == ("refund", -26000, "pending")
    assert revoked["order_ref"] == "WX20231103000103"


def test_zero_fee_gives_no_fee_entry():
    ids = import_file(TRADE).entries["record_id"].to_pylist()
    assert "4200001987202311041234567805" in ids
    assert "4200001987202311041234567805/fee" not in ids


def test_summary_that_disagrees_is_a_warning(tmp_path: Path):
    result = import_file(changed(tmp_path, TRADE, "`2.18000,`398.05", "`2.20000,`398.05"))
    assert [w for w in result.warnings if "手续费总金额" in w and "2.20" in w]


def test_unknown_trade_status_is_a_row_error_with_its_line(tmp_path: Path):
    result = import_file(changed(tmp_path, TRADE, "`MICROPAY,`SUCCESS", "`MICROPAY,`NOTPAY"))
    assert [(e.line, "NOTPAY" in e.reason) for e in result.errors] == [(4, True)]
    assert any("总交易单数" in w for w in result.warnings)


def test_order_number_turned_into_a_number_by_excel_keeps_its_money(tmp_path: Path):
    before = import_file(TRADE)
    result = import_file(changed(tmp_path, TRADE, "`4200001987202311031234567803", "`4.20000E+27"))
    assert result.errors == []
    assert sorted(result.entries["amount_minor"].to_pylist()) == \
        sorted(before.entries["amount_minor"].to_pylist())
    assert next(e["record_id"] for e in result.entries.to_pylist() if e["line"] == 4).endswith(":4")
    assert any("line 4 (4200000000000000000000000000)" in w for w in result.warnings)


def test_trade_bill_saved_as_gbk_reads_the_same(tmp_path: Path):
    gbk = changed(tmp_path, TRADE, "试饮装", "试饮装", encoding="gbk")
    assert import_file(gbk).entries["amount_minor"].to_pylist() == \
        import_file(TRADE).entries["amount_minor"].to_pylist()


# ---- fund-flow bill --------------------------------------------------------------------------

def test_fundflow_golden():
    assert_golden(import_file(FUNDFLOW), "wechat_fundflow_2023-11")


def test_withdrawal_is_a_payout_with_its_voucher_as_batch():
    result = import_file(FUNDFLOW)
    assert (result.format_id, result.errors) == ("wechat_fundflow", [])
    payout = by_id(result, "1900012345202311050000000108")
    assert (payout["kind"], payout["amount_minor"]) == ("payout", -100000)
    assert payout["batch_ref"] == "WD20231105000001"
    assert payout["order_ref"] is None


def test_income_and_fee_rows_carry_the_merchant_order():
    result = import_file(FUNDFLOW)
    income = by_id(result, "1900012345202311030000000101")
    assert (income["kind"], income["amount_minor"], income["order_ref"]) == \
        ("payment", 8800, "WX20231102000101")
    fee = by_id(result, "1900012345202311030000000102")
    assert (fee["kind"], fee["amount_minor"], fee["order_ref"]) == ("fee", -53, "WX20231102000101")
    refund = by_id(result, "1900012345202311030000000105")
    assert (refund["kind"], refund["amount_minor"]) == ("refund", -2982)
    assert refund["batch_ref"] == "50301508212023110312345678901"  # the 微信退款单号


def test_fundflow_summary_counts_written_as_decimals_are_checked():
    result = import_file(FUNDFLOW)
    assert [(c.name, c.expected) for c in result.checks if c.name.endswith("笔数")] == [
        ("资金流水总笔数", "8"), ("收入笔数", "3"), ("支出笔数", "5")]
    assert all(c.ok for c in result.checks)


def test_fundflow_row_without_direction_is_reported(tmp_path: Path):
    result = import_file(changed(tmp_path, FUNDFLOW, "`提现,`提现,`支出", "`提现,`提现,`"))
    assert [(e.line, "收支类型" in e.reason) for e in result.errors] == [(9, True)]


def test_missing_summary_is_a_warning(tmp_path: Path):
    text = TRADE.read_text(encoding="utf-8-sig")
    path = tmp_path / "cut.csv"
    path.write_text(text[: text.index("总交易单数")], encoding="utf-8-sig")
    result = import_file(path)
    assert result.entries.num_rows == 9
    assert [w for w in result.warnings if "summary" in w and "总交易单数" in w]
