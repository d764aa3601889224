"""Payouts of equal amounts against bank credits: calendar days, date-only statements, working
days, chains of the same round amount, and currencies that must not pair silently."""

from __future__ import annotations

import pytest

from huikuan.engine import load_template, reconcile
from tests.engine.entries import at, entries, line
from tests.engine.helpers import groups, pair, reasons

TEMPLATE = load_template("payout-bank")



@pytest.fixture
def backend() -> str:
    """DuckDB only: these cases run on Spark together in test_spark_agrees.py (each Spark run
    costs seconds)."""
    return "duckdb"

def run(left, right, backend):
    return reconcile(entries(*left), entries(*right), TEMPLATE, backend=backend)


def payout(record_id: str, amount: int, when: str, **extra):
    return line(record_id, "payout", -amount, None, ts=at(when), **extra)


def credit(record_id: str, amount: int, when: str, **extra):
    return line(record_id, "bank_credit", amount, None, ts=at(when), **extra)


def test_window_counts_calendar_days_not_seconds(backend):
    # 20:21 on the 2nd to 22:50 on the 5th is three days on the calendar (72 h + 2.5 h of clock)
    result = run([payout("w1", 1_000_000, "2023-11-06 20:21")], [credit("b1", 1_000_000, "2023-11-09 22:50")],
                 backend)
    assert pair(result, "w1")[2:] == ("payout-amount-date", "auto")


def test_same_day_credit_on_a_date_only_statement_matches(backend):
    # CMB personal statements give 记账日期 only: the credit looks earlier than a 10:34 payout
    result = run([payout("w1", 500_000, "2023-11-07 10:34")], [credit("b1", 500_000, "2023-11-07")], backend)
    assert pair(result, "w1")[2:] == ("payout-amount-date", "auto")


def test_credit_earlier_the_same_day_is_not_taken_when_both_have_times(backend):
    result = run([payout("w1", 500_000, "2023-11-07 10:34")], [credit("b1", 500_000, "2023-11-07 09:10")],
                 backend)
    assert result.matches.num_rows == 0


def test_one_late_credit_never_shifts_a_chain_of_equal_amounts(backend):
    # w1's credit comes 3 days 2 hours later; w2 must not take it, nor w3 w2's
    result = run(
        [payout("w1", 1_000_000, "2023-11-06 10:00"), payout("w2", 1_000_000, "2023-11-09 09:00"),
         payout("w3", 1_000_000, "2023-11-13 10:00"), payout("w4", 1_000_000, "2023-11-14 10:00")],
        [credit("b1", 1_000_000, "2023-11-09 12:00"), credit("b2", 1_000_000, "2023-11-09 13:00"),
         credit("b3", 1_000_000, "2023-11-13 11:00"), credit("b4", 1_000_000, "2023-11-14 11:00")],
        backend)
    assert groups(result) == [
        (frozenset({"w1"}), frozenset({"b1"}), "payout-amount-date", "auto"),
        (frozenset({"w2"}), frozenset({"b2"}), "payout-amount-date", "auto"),
        (frozenset({"w3"}), frozenset({"b3"}), "payout-amount-date", "auto"),
        (frozenset({"w4"}), frozenset({"b4"}), "payout-amount-date", "auto"),
    ]


def test_a_credit_two_payouts_could_take_is_only_suggested(backend):
    # two payouts of 30 000.00, one credit: which payout it belongs to is a person's call
    result = run([payout("w1", 3_000_000, "2023-11-06 10:00"), payout("w2", 3_000_000, "2023-11-07 10:00")],
                 [credit("b1", 3_000_000, "2023-11-07 15:00")], backend)
    assert [g[3] for g in groups(result)] == ["suggested"]
    assert len(reasons(result)) == 1


def test_a_missing_credit_in_a_chain_spares_the_pairs_time_order_decides(backend):
    # w2's credit never came: w1-b1 and w4-b4 are certain, the middle of the chain is not
    result = run(
        [payout("w1", 1_000_000, "2023-11-06 10:00"), payout("w2", 1_000_000, "2023-11-14 10:00"),
         payout("w3", 1_000_000, "2023-11-15 10:00"), payout("w4", 1_000_000, "2023-11-28 10:00")],
        [credit("b1", 1_000_000, "2023-11-06 15:00"), credit("b3", 1_000_000, "2023-11-15 15:00"),
         credit("b4", 1_000_000, "2023-11-28 15:00")],
        backend)
    assert pair(result, "w1")[1:] == (frozenset({"b1"}), "payout-amount-date", "auto")
    assert pair(result, "w4")[1:] == (frozenset({"b4"}), "payout-amount-date", "auto")
    assert pair(result, "b3")[3] == "suggested"
    assert pair(result, "b3")[0] == frozenset({"w3"})  # the shortest delay is proposed


@pytest.mark.parametrize(("credited", "status"), [
    ("2024-10-08 10:00", "auto"),       # the first working day after 国庆 (1–7 October)
    ("2024-10-09 10:00", "suggested"),  # a day later
])
def test_credits_after_national_day_are_on_time_on_the_next_working_day(backend, credited, status):
    result = run([payout("w1", 2_000_000, "2024-09-30 15:00")], [credit("b1", 2_000_000, credited)], backend)
    assert pair(result, "w1")[2:] == ("payout-amount-date", status)


@pytest.mark.parametrize(("credited", "status"), [
    ("2023-11-09 23:59", "auto"),       # Monday + 3 days: Thursday
    ("2023-11-10 00:01", "suggested"),  # Friday
])
def test_auto_window_edge_on_working_days(backend, credited, status):
    result = run([payout("w1", 2_000_000, "2023-11-06 09:00")], [credit("b1", 2_000_000, credited)], backend)
    assert pair(result, "w1")[2:] == ("payout-amount-date", status)


@pytest.mark.parametrize(("credited", "matched"), [
    ("2023-11-16 23:59", True),    # 10 calendar days after the payout
    ("2023-11-17 00:00", False),   # 11
])
def test_longest_window_edge(backend, credited, matched):
    result = run([payout("w1", 2_000_000, "2023-11-06 09:00")], [credit("b1", 2_000_000, credited)], backend)
    assert (result.matches.num_rows > 0) is matched


def test_friday_payout_credited_on_wednesday_is_on_time(backend):
    result = run([payout("w1", 2_000_000, "2023-11-10 16:00")], [credit("b1", 2_000_000, "2023-11-15 09:00")],
                 backend)
    assert pair(result, "w1")[3] == "auto"


def test_currencies_never_pair_silently(backend):
    result = run([payout("w1", 100_000, "2023-11-06 09:00")],
                 [credit("b1", 100_000, "2023-11-06 12:00", currency="USD")], backend)
    assert result.matches.num_rows == 0
    assert reasons(result) == {"w1": "currency_mismatch", "b1": "currency_mismatch"}


def test_a_side_entirely_in_a_currency_the_other_lacks_is_warned_about(backend):
    result = run([payout("w1", 100_000, "2023-11-06 09:00")],
                 [credit("b1", 100_000, "2023-11-06 12:00", currency="HKD")], backend)
    assert any("CNY" in w and "HKD" in w for w in result.warnings)
