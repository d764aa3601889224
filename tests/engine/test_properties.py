"""Properties that hold for any input: every record is accounted for exactly once, no record is
in two matches, every match has both sides, auto key matches really agree."""

from __future__ import annotations

from collections import Counter, defaultdict

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from huikuan.engine import load_template, reconcile
from tests.engine.entries import entries

REFS = st.sampled_from(["A1", "A2", "A3", "A4", "A5", None])
AMOUNTS = st.sampled_from([100, 999, 5000, 5001, 12800, 30000])
DAYS = st.integers(min_value=1, max_value=30)


@st.composite
def settlement_case(draw):
    orders = [
        {"record_id": f"O{i}", "kind": draw(st.sampled_from(["order", "order", "order_refund"])),
         "order_ref": draw(REFS), "amount": draw(AMOUNTS), "day": draw(DAYS),
         "status": draw(st.sampled_from(["paid", "completed", "closed", None])),
         "batch_ref": draw(st.sampled_from(["T1", "T2", None]))}
        for i in range(draw(st.integers(0, 12)))
    ]
    lines = [
        {"record_id": f"S{i}", "kind": draw(st.sampled_from(["payment", "fee", "refund", "payout", "other"])),
         "order_ref": draw(REFS), "amount": draw(AMOUNTS) * draw(st.sampled_from([1, -1])),
         "day": draw(DAYS), "batch_ref": draw(st.sampled_from(["T1", "T2", None]))}
        for i in range(draw(st.integers(0, 16)))
    ]
    return orders, lines


@st.composite
def payout_case(draw):
    payouts = [{"record_id": f"W{i}", "kind": "payout", "amount": -draw(AMOUNTS), "day": draw(DAYS),
                "batch_ref": draw(st.sampled_from(["R1", "R2", None]))}
               for i in range(draw(st.integers(0, 10)))]
    credits = [{"record_id": f"B{i}", "kind": draw(st.sampled_from(["bank_credit", "bank_debit"])),
                "amount": draw(AMOUNTS) * draw(st.sampled_from([1, 2])), "day": draw(DAYS),
                "batch_ref": draw(st.sampled_from(["R1", "R2", None]))}
               for i in range(draw(st.integers(0, 10)))]
    return payouts, credits


def assert_accounted_once(result) -> None:
    seen = Counter((m["side"], m["row"]) for m in result.matches.to_pylist())
    seen.update((u["side"], u["row"]) for u in result.unmatched.to_pylist())
    expected = {("left", i) for i in range(result.left.num_rows)} | \
               {("right", i) for i in range(result.right.num_rows)}
    assert set(seen) == expected, "a record is missing from the result"
    assert max(seen.values(), default=1) == 1, "a record appears twice"
    sides = defaultdict(set)
    labels = defaultdict(set)
    for m in result.matches.to_pylist():
        sides[m["match_id"]].add(m["side"])
        labels[m["match_id"]].add((m["rule"], m["status"]))
    assert all(s == {"left", "right"} for s in sides.values()), "a match with one side only"
    assert all(len(v) == 1 for v in labels.values()), "a match with mixed rules"


SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(settlement_case())
def test_orders_settlement_accounts_for_every_record_once(case):
    orders, lines = case
    result = reconcile(entries(*orders), entries(*lines), load_template("orders-settlement"))
    assert_accounted_once(result)
    left, right = result.left.to_pylist(), result.right.to_pylist()
    members = defaultdict(list)
    for m in result.matches.to_pylist():
        members[m["match_id"]].append((m["side"], m["row"], m["rule"], m["status"]))
    for rows in members.values():
        if rows[0][2] != "order-number":
            continue
        order_total = sum(left[r]["amount_minor"] for s, r, *_ in rows
                          if s == "left" and left[r]["kind"] == "order")
        paid = sum(right[r]["amount_minor"] for s, r, *_ in rows
                   if s == "right" and right[r]["kind"] in ("payment", "settlement"))
        assert order_total == paid, "an auto match by order number whose amounts disagree"


@SETTINGS
@given(payout_case())
def test_payout_bank_accounts_for_every_record_once_and_never_crosses(case):
    payouts, credits = case
    result = reconcile(entries(*payouts), entries(*credits), load_template("payout-bank"))
    assert_accounted_once(result)
    left, right = result.left.to_pylist(), result.right.to_pylist()
    pairs = defaultdict(dict)
    for m in result.matches.to_pylist():
        if m["rule"] == "payout-amount-date":
            pairs[m["match_id"]][m["side"]] = m["row"]
    by_amount = defaultdict(list)
    for p in pairs.values():
        by_amount[left[p["left"]]["amount_minor"]].append((left[p["left"]]["ts"], right[p["right"]]["ts"]))
    for matched in by_amount.values():  # equal amounts: later payout never gets an earlier credit
        matched.sort()
        credit_times = [c for _, c in matched]
        assert credit_times == sorted(credit_times), "equal-amount payouts paired crosswise"
