"""Window rules on many records: chains of equal amounts longer than the proof limit, and many
independent payouts that must not be treated as one long chain."""

from __future__ import annotations

import pytest

from huikuan.engine import assign, load_template, reconcile
from tests.engine.entries import entries, line
from tests.engine.helpers import groups

PAYOUT_BANK = load_template("payout-bank")


def test_a_chain_over_the_limit_pairs_in_time_order_and_is_only_suggested(monkeypatch: pytest.MonkeyPatch):
    # three payouts of one amount, each credited a day later: 3 × 3 candidates
    left = entries(*(line(f"w{n}", "payout", -100000, n) for n in (1, 2, 3)))
    right = entries(*(line(f"b{n}", "bank_credit", 100000, n + 1) for n in (1, 2, 3)))
    pairs = [(frozenset({f"w{n}"}), frozenset({f"b{n}"}), "payout-amount-date") for n in (1, 2, 3)]
    proven = groups(reconcile(left, right, PAYOUT_BANK))
    assert proven == [(*p, "auto") for p in pairs]  # time order decides each pair, a day late
    monkeypatch.setattr(assign, "MAX_CHAIN_CELLS", 4)
    # past the limit nothing is proven: the same pairs in time order, each for a person to confirm
    assert groups(reconcile(left, right, PAYOUT_BANK)) == [(*p, "suggested") for p in pairs]
    # at the limit (2 × 2 = 4 cells) the chain is still proven
    two = reconcile(left.slice(0, 2), right.slice(0, 2), PAYOUT_BANK)
    assert groups(two) == [(*p, "auto") for p in pairs[:2]]


def test_many_payouts_of_different_amounts_are_each_their_own_chain():
    # 70 × 70 records would be over the proof limit if they formed one chain; they do not
    left = [line(f"w{n}", "payout", -(100000 + n), 1 + n % 5) for n in range(70)]
    right = [line(f"b{n}", "bank_credit", 100000 + n, 2 + n % 5) for n in range(70)]
    found = groups(reconcile(entries(*left), entries(*right), PAYOUT_BANK))
    assert len(found) == 70
    assert {g[2:] for g in found} == {("payout-amount-date", "auto")}
    assert all(next(iter(g[0]))[1:] == next(iter(g[1]))[1:] for g in found)
