"""Subset rules (n:1 and 1:n): how many parts make a whole, which sign they take, and when the
choice is certain enough to be ``auto``.

The shipped payout-bank template has one such rule (opposite signs, suggested only); a user's
rules file may ask for the others, so these run on small templates built as a rules file would.
"""

from __future__ import annotations

from typing import Any

from huikuan.engine import load_template, reconcile
from huikuan.engine.rules import template_from_data
from tests.engine.entries import entries, line
from tests.engine.helpers import groups, pair

PAYOUT_BANK = load_template("payout-bank")


def credit(record_id: str, amount: int, day: float) -> dict[str, Any]:
    return line(record_id, "bank_credit", amount, day)


def payouts(*amounts: int, day: float = 1) -> list[dict[str, Any]]:
    return [line(f"w{n}", "payout", -a, day) for n, a in enumerate(amounts, start=1)]


def subset_template(**rule: Any) -> Any:
    return template_from_data({"name": "mine", "rules": [{
        "name": "together", "type": "subset", "window_days": [0, 3], "max_items": 4, **rule}]},
        "test rules")


def test_three_and_four_payouts_credited_as_one_deposit():
    three = reconcile(entries(*payouts(30000, 20000, 10000)), entries(credit("b1", 60000, 2)), PAYOUT_BANK)
    assert groups(three) == [
        (frozenset({"w1", "w2", "w3"}), frozenset({"b1"}), "batched-payouts", "suggested")]
    four = reconcile(entries(*payouts(40000, 30000, 20000, 10000)), entries(credit("b1", 100000, 2)),
                     PAYOUT_BANK)
    assert pair(four, "b1")[0] == frozenset({"w1", "w2", "w3", "w4"})


def test_five_payouts_are_more_than_the_rule_allows():
    result = reconcile(entries(*payouts(50000, 40000, 30000, 20000, 10000)),
                       entries(credit("b1", 150000, 2)), PAYOUT_BANK)
    assert groups(result) == []


def test_one_part_within_the_tolerance_is_not_a_batch():
    template = subset_template(relation="opposite", tolerance_minor=5, tier="auto")
    result = reconcile(entries(*payouts(9998)), entries(credit("b1", 10000, 2)), template)
    assert groups(result) == []
    two = reconcile(entries(*payouts(6000, 3998)), entries(credit("b1", 10000, 2)), template)
    assert groups(two) == [(frozenset({"w1", "w2"}), frozenset({"b1"}), "together", "auto")]


def test_an_equal_relation_adds_parts_of_the_wholes_sign():
    template = subset_template(relation="equal", tier="auto")
    left = [line("i1", "invoice", 12000, 1), line("i2", "invoice", 8000, 1)]
    result = reconcile(entries(*left), entries(line("p1", "payment", 20000, 2)), template)
    assert groups(result) == [(frozenset({"i1", "i2"}), frozenset({"p1"}), "together", "auto")]


def test_a_whole_two_subsets_could_make_is_only_suggested():
    template = subset_template(relation="opposite", tier="auto")
    unique = reconcile(entries(*payouts(10000, 20000)), entries(credit("b1", 30000, 2)), template)
    assert pair(unique, "b1")[2:] == ("together", "auto")
    # 100 + 200 and 150 + 150 both make 300: a person chooses
    either = reconcile(entries(*payouts(10000, 20000, 15000, 15000)), entries(credit("b1", 30000, 2)),
                       template)
    assert pair(either, "b1")[3] == "suggested"


def test_one_to_n_splits_the_left_whole_over_right_parts():
    template = subset_template(relation="opposite", direction="1:n", tier="auto")
    result = reconcile(entries(line("w1", "payout", -30000, 1)),
                       entries(credit("b1", 10000, 1), credit("b2", 20000, 2)), template)
    assert groups(result) == [(frozenset({"w1"}), frozenset({"b1", "b2"}), "together", "auto")]


def test_each_payout_joins_one_deposit_and_the_nearest_in_time_first():
    # two deposits of 300, each of a 100 and a 200 payout: the day-2 deposit takes the day-2
    # payouts (nearest), the day-3 deposit the ones left, and no payout is in both
    left = [line("w1", "payout", -10000, 1), line("w2", "payout", -20000, 1),
            line("w3", "payout", -10000, 2), line("w4", "payout", -20000, 2)]
    right = [credit("b1", 30000, 2), credit("b2", 30000, 3)]
    assert groups(reconcile(entries(*left), entries(*right), PAYOUT_BANK)) == [
        (frozenset({"w1", "w2"}), frozenset({"b2"}), "batched-payouts", "suggested"),
        (frozenset({"w3", "w4"}), frozenset({"b1"}), "batched-payouts", "suggested"),
    ]


def test_a_deposit_no_payouts_add_up_to_does_not_stop_the_later_ones():
    left = payouts(10000, 20000)
    right = [credit("b0", 77700, 1), credit("b1", 30000, 2)]
    assert groups(reconcile(entries(*left), entries(*right), PAYOUT_BANK)) == [
        (frozenset({"w1", "w2"}), frozenset({"b1"}), "batched-payouts", "suggested")]
