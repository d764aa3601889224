"""A hand-built Tmall month and a payout run, as result folders for the report tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.engine.entries import at, day, line, order
from tests.receivables.chains import left, right, write_result

#: an 18-digit order number: must stay text everywhere
LONG_ID = "350000019008846862"


@pytest.fixture
def month(tmp_path: Path) -> Path:
    return write_result(tmp_path / "tmall-2023-11", [
        *left(order(LONG_ID, 10000, 1, match="M1"), order("B2", 20000, 2, match="M2"),
              line("B2-r", "order_refund", -5000, 3, order_ref="B2", match="M2"),
              order("=HYPERLINK(1)", 3000, 3, status="shipped", reason="not_settled"),
              order("U1", 900, 4, status="unpaid", reason="unpaid"),
              order("DEC", 7000, 0, ts=at("2023-12-02 10:00"), status="paid", reason="timing")),
        *right(line("p1", "payment", 10000, 9, order_ref=LONG_ID, match="M1", account="2088"),
               line("f1", "fee", -500, 9, order_ref=LONG_ID, match="M1", category="交易分账", account="2088"),
               line("f1b", "fee", -100, 9, order_ref=LONG_ID, match="M1", category="淘宝客佣金",
                    account="2088"),
               line("p2", "payment", 15000, 12, order_ref="B2", match="M2", account="2088"),
               line("f2", "fee", -750, 12, order_ref="B2", match="M2", category="交易分账", account="2088"),
               line("x1", "fee", -300, 12, category="交易分账", reason="fee_without_order", account="2088")),
    ], differences=[{"match_id": "M2", "difference": "-0.02", "currency": "CNY", "reason": "rounding"}])


@pytest.fixture
def payouts(tmp_path: Path) -> Path:
    """Three withdrawals: one credited alone, two credited together, one never arrived."""
    return write_result(tmp_path / "payouts", [
        *left(line("w1", "payout", -100000, 2, match="M1"), line("w2", "payout", -30000, 5, match="M2"),
              line("w3", "payout", -20000, 5, match="M2"), line("w4", "payout", -7800, 9,
                                                                 reason="payout_not_received"),
              source="alipay_account"),
        *right(line("b1", "bank_credit", 100000, 3, match="M1"),
               line("b2", "bank_credit", 50000, 7, match="M2"),
               source="cmb_corporate"),
    ])


def month_day(n: int) -> str:
    return day(n).date().isoformat()
