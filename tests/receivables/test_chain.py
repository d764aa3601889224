"""An Amazon order's chain across two results: order → settlement lines → the settlement's
deposit (payout) → the bank credit it was matched to in the payout-bank run."""

from __future__ import annotations

from pathlib import Path

from huikuan.receivables import ResultSet, order_chain
from tests.engine.entries import line, order
from tests.receivables.chains import left, right, write_result


def test_order_chain_reaches_the_bank_credit_through_the_settlement_id(tmp_path: Path) -> None:
    usd = {"currency": "USD"}
    deposit = line("SETT-9/deposit", "payout", -6125, 16, batch_ref="SETT-9", **usd)
    orders = write_result(tmp_path / "orders", [
        *left(order("111-1", 2500, 1, match="M1", **usd), order("111-2", 4000, 2, match="M2", **usd),
              source="own_orders"),
        *right(line("s1", "payment", 2500, 15, order_ref="111-1", batch_ref="SETT-9", match="M1", **usd),
               line("s2", "fee", -375, 15, order_ref="111-1", batch_ref="SETT-9", match="M1", **usd),
               line("s3", "payment", 4000, 15, order_ref="111-2", batch_ref="SETT-9", match="M2", **usd),
               {**deposit, "reason": "out_of_scope", "in_scope": False},
               source="amazon_settlement_v2"),
    ])
    payouts = write_result(tmp_path / "payouts", [
        *left({**deposit, "match": "M1"}, source="amazon_settlement_v2"),
        *right(line("BANK-77", "bank_credit", 6125, 18, match="M1", **usd), source="bai2"),
    ])
    with ResultSet([orders, payouts]) as rs:
        chain = order_chain(rs, "111-1").to_pylist()
        assert order_chain(rs, "no-such-order").num_rows == 0
    assert [(r["step"], r["record_id"]) for r in chain] == [
        ("order", "111-1"), ("bill", "s1"), ("bill", "s2"), ("payout", "SETT-9/deposit"), ("bank", "BANK-77")]
    payout = chain[3]
    assert (payout["result"], payout["match_id"]) == ("payouts", "M1")
