"""Douyin shop fund flow (资金流水明细 / 动账明细): settlements, refunds, fees and payouts in 分."""

from __future__ import annotations

from pathlib import Path

import pytest

from huikuan.importers import import_file
from huikuan.importers.sources.douyin import classify
from tests.conftest import FIXTURES
from tests.importers.entries import entries_by_id as by_id
from tests.importers.golden import assert_golden

FLOW = FIXTURES / "douyin_settlement" / "douyin_fund_flow_2023-11.csv"
SETTLED = "AS202311100800121602785799467_IN"
PAYOUT = "AS202311150900001602785799701_OUT"


def changed(tmp_path: Path, *replacements: tuple[str, str]) -> Path:
    text = FLOW.read_text(encoding="utf-8-sig")
    for old, new in replacements:
        assert old in text
        text = text.replace(old, new)
    path = tmp_path / "flow.csv"
    path.write_text(text, encoding="utf-8-sig")
    return path



def test_golden():
    assert_golden(import_file(FLOW), "douyin_fund_flow_2023-11")


def test_amounts_in_fen_and_direction_give_the_sign():
    result = import_file(FLOW)
    assert result.meta["amount_unit"] == "分"
    assert not result.errors
    entries = by_id(result)
    settled = entries[SETTLED]
    assert (settled["kind"], settled["amount_minor"], settled["order_ref"]) == \
        ("settlement", 12160, "6946267909343417830")
    assert settled["account"] == "聚合支付"
    refund = entries["AS202311121400001602785799620_OUT"]
    assert (refund["kind"], refund["amount_minor"], refund["order_ref"]) == \
        ("refund", -2000, "6946267909343417840")
    assert "7300123456789012345" in refund["text"]  # the after-sale number stays visible


def test_payout_and_its_bounce_carry_no_order():
    entries = by_id(import_file(FLOW))
    payout = entries[PAYOUT]
    assert (payout["kind"], payout["amount_minor"], payout["order_ref"]) == ("payout", -50000, None)
    bounced = entries["AS202311211000001602785799901_IN"]
    assert (bounced["kind"], bounced["amount_minor"]) == ("payout", 50000)
    deposit = entries["AS202311200800001602785799866_OUT"]
    assert (deposit["kind"], deposit["amount_minor"], deposit["category"]) == \
        ("deposit", -200000, "货款充值保证金")


def test_header_in_yuan_is_read_as_yuan(tmp_path: Path):
    path = changed(tmp_path, ("动账方向,动账金额,", "动账方向,动账金额(元),"),
                   ("入账,12160,", "入账,121.60,"), ("出账,50000,", "出账,500.00,"))
    result = import_file(path)
    assert result.meta["amount_unit"] == "元"
    entries = by_id(result)
    assert entries[SETTLED]["amount_minor"] == 12160
    assert entries[PAYOUT]["amount_minor"] == -50000


def test_decimal_amount_in_a_fen_file_is_reported_not_scaled(tmp_path: Path):
    result = import_file(changed(tmp_path, ("入账,12160,", "入账,121.60,")))
    assert [e.line for e in result.errors] == [2]
    assert "121.60" in result.errors[0].reason
    assert SETTLED not in by_id(result)


def test_unknown_direction_is_a_row_error(tmp_path: Path):
    result = import_file(changed(tmp_path, ("_OUT,出账,50000,", "_OUT,,50000,")))
    assert [e.line for e in result.errors] == [6]
    assert "动账方向" in result.errors[0].reason


def test_older_spelling_with_zhang_is_recognised(tmp_path: Path):
    result = import_file(changed(tmp_path, ("动账流水号", "动帐流水号")))
    assert result.format_id == "douyin_settlement"
    assert by_id(result)[SETTLED]["amount_minor"] == 12160


@pytest.mark.parametrize(("summary", "scene", "kind"), [
    ("订单结算", "货款结算入账", "settlement"),
    ("极速退款分账", "", "settlement"),
    ("已退款", "", "refund"),
    ("小额打款(原因:商品补偿)", "", "refund"),
    ("服务费返还", "", "fee"),
    ("支付BIC服务费", "", "fee"),
    ("平台补贴扣回", "", "subsidy"),
    ("提现退票", "", "payout"),
    ("保证金退款", "", "deposit"),
    ("其他", "货款充值保证金", "deposit"),
    ("结算重复扣款调账", "", "other"),
])
def test_classify(summary, scene, kind):
    assert classify(summary, scene) == kind
