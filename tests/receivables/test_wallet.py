"""The wallet walk of a pooled Alipay wallet: opening + settled − fees − refunds − payouts."""

from __future__ import annotations

from pathlib import Path

from huikuan.receivables import ResultSet, wallet_walks
from tests.engine.entries import line, order
from tests.receivables.chains import left, right, write_result

WALLET = "2088-shop"


def _wallet(tmp_path: Path, *, drop_payment: bool = False) -> Path:
    lines = [
        line("p1", "payment", 50000, 2, order_ref="A", match="M1", account=WALLET),
        line("f1", "fee", -2500, 2, order_ref="A", match="M1", account=WALLET, category="交易分账"),
        line("p2", "payment", 30000, 3, order_ref="B", match="M2", account=WALLET),
        line("w1", "payout", -60000, 4, account=WALLET, reason="out_of_scope", in_scope=False),
        line("r1", "refund", -5000, 5, order_ref="A", match="M1", account=WALLET),
        line("s1", "subsidy", 1000, 5, account=WALLET, reason="no_order"),
        line("w2", "payout", -20000, 6, account=WALLET, reason="out_of_scope", in_scope=False),
    ]
    if drop_payment:  # a line the export lost: the walk must not close
        lines = [entry for entry in lines if entry["record_id"] != "p2"]
    return write_result(tmp_path / "wallet", [
        *left(order("A", 50000, 1, match="M1"), order("B", 30000, 1, match="M2")),
        *right(*lines),
    ])


def test_walk_closes_against_the_stated_balances(tmp_path: Path) -> None:
    with ResultSet([_wallet(tmp_path)]) as rs:
        (walk,) = wallet_walks(rs, balances={WALLET: (10000, 3500)})
    assert (walk.settled_minor, walk.fees_minor, walk.refunds_minor, walk.other_minor, walk.payouts_minor) \
        == (80000, -2500, -5000, 1000, -80000)
    assert walk.computed_closing_minor == 10000 + 80000 - 2500 - 5000 + 1000 - 80000 == 3500
    assert walk.gap_minor == 0
    assert walk.closes is True
    assert [(s.inflow_minor, s.payout_minor) for s in walk.steps] == [(77500, -60000), (-4000, -20000)]


def test_walk_with_a_missing_line_does_not_close_and_names_the_gap(tmp_path: Path) -> None:
    with ResultSet([_wallet(tmp_path, drop_payment=True)]) as rs:
        (walk,) = wallet_walks(rs, balances={WALLET: (10000, 3500)})
    assert walk.closes is False
    assert walk.gap_minor == 30000
    # 100.00 + 500.00 − 25.00 cannot pay out 600.00: the first payout overdraws the wallet, and
    # it stays overdrawn through the second
    assert [(s.record_id, s.balance_after_minor) for s in walk.overdrawn] == [
        ("w1", 10000 + 50000 - 2500 - 60000), ("w2", 10000 + 50000 - 2500 - 60000 - 5000 + 1000 - 20000)]


def test_without_balances_the_walk_says_what_the_opening_must_have_been(tmp_path: Path) -> None:
    with ResultSet([_wallet(tmp_path, drop_payment=True)]) as rs:
        (walk,) = wallet_walks(rs)
    assert walk.closes is None
    assert walk.gap_minor is None
    # the lowest point is after the second payout
    assert walk.least_opening_minor == -(50000 - 2500 - 60000 - 5000 + 1000 - 20000)
