"""Which counterpart a window rule picks when a record has several: the nearest in time, and
before that the nearest in amount (a rule with a tolerance)."""

from __future__ import annotations

import pytest

from huikuan.engine import load_template, reconcile
from huikuan.engine.rules import template_from_data
from tests.engine.entries import entries, line
from tests.engine.helpers import groups, pair, reasons

PAYOUT_BANK = load_template("payout-bank")


def test_one_payout_two_credits_takes_the_earlier_and_leaves_the_later():
    result = reconcile(entries(line("w1", "payout", -100000, 1)),
                       entries(line("b1", "bank_credit", 100000, 2), line("b2", "bank_credit", 100000, 4)),
                       PAYOUT_BANK)
    # b2 could have been it: a person confirms
    assert groups(result) == [(frozenset({"w1"}), frozenset({"b1"}), "payout-amount-date", "suggested")]
    assert set(reasons(result)) == {"b2"}


def test_two_payouts_three_credits_pair_in_time_order_and_leave_the_last():
    result = reconcile(entries(line("w1", "payout", -100000, 1), line("w2", "payout", -100000, 5)),
                       entries(*(line(f"b{n}", "bank_credit", 100000, d)
                                 for n, d in ((1, 2), (2, 6), (3, 8)))),
                       PAYOUT_BANK)
    assert [g[:2] for g in groups(result)] == [(frozenset({"w1"}), frozenset({"b1"})),
                                              (frozenset({"w2"}), frozenset({"b2"}))]
    assert set(reasons(result)) == {"b3"}


@pytest.mark.parametrize("relation", ["opposite", "equal"])
@pytest.mark.parametrize(("earlier", "later"), [(100005, 99997), (99995, 100003)],
                         ids=["nearer-is-lower", "nearer-is-higher"])
def test_with_a_tolerance_the_nearer_amount_wins_over_the_earlier_record(relation, earlier, later):
    template = template_from_data({"name": "mine", "rules": [{
        "name": "near", "type": "window", "relation": relation, "window_days": [0, 10],
        "tolerance_minor": 10}]}, "test rules")
    sign = -1 if relation == "opposite" else 1
    result = reconcile(entries(line("w1", "payout", sign * 100000, 1)),
                       entries(line("b1", "bank_credit", earlier, 2), line("b2", "bank_credit", later, 3)),
                       template)
    assert pair(result, "w1")[1] == frozenset({"b2"})
    assert set(reasons(result)) == {"b1"}


def test_with_ties_suggest_only_a_pair_with_no_other_candidate_is_auto():
    template = template_from_data({"name": "mine", "rules": [{
        "name": "same-amount", "type": "window", "relation": "opposite", "window_days": [0, 3],
        "ties": "suggest"}]}, "test rules")
    alone = reconcile(entries(line("w1", "payout", -100000, 1)),
                      entries(line("b1", "bank_credit", 100000, 2)), template)
    assert groups(alone) == [(frozenset({"w1"}), frozenset({"b1"}), "same-amount", "auto")]
    # the credit could be either payout's; the payout could be either credit's
    for left, right in (((1, 1.5), (2,)), ((1,), (2, 2.5))):
        result = reconcile(entries(*(line(f"w{d}", "payout", -100000, d) for d in left)),
                           entries(*(line(f"b{d}", "bank_credit", 100000, d) for d in right)), template)
        assert [g[3] for g in groups(result)] == ["suggested"]
