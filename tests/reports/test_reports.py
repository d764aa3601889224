"""The named reports' numbers on hand-built results."""

from __future__ import annotations

from pathlib import Path

import pytest

from huikuan.reports import ReportError, ReportRequest, build_report, report_names
from tests.reports.conftest import LONG_ID


def _totals(report) -> dict:  # type: ignore[no-untyped-def]
    (row,) = report.totals.to_pylist()
    return row


def test_the_list_has_collection_among_them() -> None:
    assert {"collection", "aging", "overdue", "fees", "differences", "payouts"} <= set(report_names())


def test_collection_for_a_month(month: Path) -> None:
    report = build_report("collection", ReportRequest([month], period="2023-11"))
    total = _totals(report)
    # paid orders of November: 100.00 + 200.00 + 30.00 (the unpaid one and December's are not sales)
    assert (total["orders"], total["sales"]) == (3, 33000)
    assert total["refunds"] == 5000
    assert total["receivable"] == 28000
    assert total["collected"] == 25000
    assert total["outstanding"] == 3000
    assert total["rate"] == pytest.approx(25000 / 28000)
    fee_columns = {c.label: c.key for c in report.columns if c.key.startswith("fee_")}
    # fees of the orders only (the fee with no order is not part of an order's 回款)
    assert total[fee_columns["费用·交易分账"]] == -1250
    assert total[fee_columns["费用·淘宝客佣金"]] == -100
    (row,) = report.rows.to_pylist()
    assert (row["store"], row["platform"], row["month"]) == ("2088", "淘宝/天猫", "2023-11")


def test_period_selects_orders_by_payment_month(month: Path) -> None:
    december = _totals(build_report("collection", ReportRequest([month], period="2023-12")))
    assert (december["orders"], december["sales"], december["outstanding"]) == (1, 7000, 7000)


def test_fees_against_the_contract_rate_are_flagged(month: Path) -> None:
    rates = {"交易分账": 0.05, "淘宝客佣金": 0.004}
    report = build_report("fees", ReportRequest([month], contract_rates=rates))
    rows = {r["category"]: r for r in report.rows.to_pylist()}
    fee = rows["交易分账"]
    assert (fee["lines"], fee["amount"], fee["gross"]) == (3, -1550, 25000)
    assert fee["rate"] == pytest.approx(1550 / 25000)
    assert fee["flag"] == "高于合同"
    assert rows["淘宝客佣金"]["flag"] == ""      # 1.00 of 250.00 is 0.4 %: as agreed
    assert _totals(report)["amount"] == -1650


def test_differences_by_reason(month: Path) -> None:
    report = build_report("differences", ReportRequest([month]))
    rows = {(r["place"], r["reason"]): r for r in report.rows.to_pylist()}
    assert rows[("未匹配·左", "not_settled")]["amount"] == 3000
    assert rows[("未匹配·右", "fee_without_order")]["amount"] == -300
    assert rows[("匹配内差异", "rounding")]["amount"] == -2
    assert rows[("未匹配·左", "timing")]["label"] == "跨期"


def test_payouts_against_bank_credits(payouts: Path) -> None:
    report = build_report("payouts", ReportRequest([payouts]))
    rows = {r["payout_id"]: r for r in report.rows.to_pylist()}
    assert (rows["w1"]["credited"], rows["w1"]["lag_days"], rows["w1"]["state"]) == (100000, 1, "已到账")
    # credited together: the credit shows once, on the first payout of the two
    assert (rows["w2"]["credited"], rows["w3"]["credited"]) == (50000, None)
    assert rows["w3"]["credit_ids"] == "b2"
    assert rows["w4"]["state"] == "未到账"
    total = _totals(report)
    assert (total["payout"], total["credited"]) == (157800, 150000)
    assert any("1 笔提现" in note for note in report.notes)


def test_overdue_keeps_long_ids_and_chase_notes(month: Path) -> None:
    chase = {"=HYPERLINK(1)": ("已催收", "周五回复")}
    report = build_report("overdue", ReportRequest([month], chase=chase))
    (row,) = [r for r in report.rows.to_pylist() if r["order_ref"] == "=HYPERLINK(1)"]
    assert (row["chase_status"], row["chase_note"]) == ("已催收", "周五回复")
    assert LONG_ID not in [r["order_ref"] for r in report.rows.to_pylist()]   # settled: not overdue


def test_errors_are_one_line(month: Path, tmp_path: Path) -> None:
    with pytest.raises(ReportError, match="no report named 'nope'"):
        build_report("nope", ReportRequest([month]))
    with pytest.raises(ReportError, match="give a month as 2026-10"):
        build_report("collection", ReportRequest([month], period="11/2023"))
