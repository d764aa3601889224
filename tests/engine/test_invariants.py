"""What a clerk relies on, for any month: an order number is either matched or unmatched, never
both; the parts of one source row stay in one place; every record is accounted for once."""

from __future__ import annotations

from collections import defaultdict

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from huikuan.engine import load_template, reconcile
from tests.engine.entries import entries
from tests.engine.test_properties import assert_accounted_once

AMOUNTS = st.sampled_from([990, 5000, 12800, 30000])


@st.composite
def month(draw):
    """Orders with unique numbers, some paid together; bill lines per order in the shapes the
    platforms use: payment (gross, or net of a refund before settlement), fees keyed only by
    order number, after-sale refunds, rows split into gross and fee parts."""
    n = draw(st.integers(1, 8))
    left, right = [], []
    line_no = 100
    for i in range(n):
        no = f"O{i}"
        paid = draw(AMOUNTS)
        batch = draw(st.sampled_from([None, None, "T1", "T2"]))
        status = draw(st.sampled_from(["completed", "completed", "closed", "refunded"]))
        left.append({"record_id": no, "kind": "order", "order_ref": no, "amount": paid, "day": 1,
                     "status": status, "batch_ref": batch, "line": 2 + 2 * i})
        refund = draw(st.sampled_from([0, 0, 100, paid]))
        stated = refund and draw(st.booleans())
        if stated:
            left.append({"record_id": f"{no}/refund", "kind": "order_refund", "order_ref": no,
                         "amount": -refund, "day": 2, "status": status, "batch_ref": batch,
                         "line": 2 + 2 * i})
        shape = draw(st.sampled_from(["gross", "net", "split", "none"]))
        if shape == "none":
            continue
        amount = paid - refund if shape == "net" else paid
        line_no += 1
        right.append({"record_id": f"P{i}", "kind": "payment", "amount": amount, "day": 3,
                      "order_ref": None if batch and draw(st.booleans()) else no,
                      "batch_ref": batch, "line": line_no})
        if shape == "split":
            right.append({"record_id": f"P{i}/fee", "kind": "fee", "amount": -paid // 100, "day": 3,
                          "order_ref": None, "line": line_no})
        if draw(st.booleans()):
            line_no += 1
            right.append({"record_id": f"F{i}", "kind": "fee", "amount": -paid // 50, "day": 3,
                          "order_ref": no, "line": line_no})
        if refund and shape != "net":
            line_no += 1
            right.append({"record_id": f"R{i}", "kind": "refund", "amount": -refund, "day": 5,
                          "order_ref": no, "line": line_no})
    if draw(st.booleans()):
        right.append({"record_id": "W1", "kind": "payout", "amount": -5000, "day": 6, "line": 999})
    return left, right


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(month())
def test_an_order_number_and_a_rows_parts_stand_in_one_place(case):
    left, right = case
    result = reconcile(entries(*left), entries(*right), load_template("orders-settlement"))
    assert_accounted_once(result)
    tables = {"left": result.left.to_pylist(), "right": result.right.to_pylist()}
    place_of_order: dict[str, set[str]] = defaultdict(set)
    place_of_row: dict[tuple[str, int], set[str]] = defaultdict(set)
    for m in result.matches.to_pylist():
        record = tables[m["side"]][m["row"]]
        if record["order_ref"]:
            place_of_order[record["order_ref"]].add(f"M{m['match_id']}")
        place_of_row[m["side"], record["line"]].add(f"M{m['match_id']}")
    for u in result.unmatched.to_pylist():
        if not u["in_scope"]:
            continue
        record = tables[u["side"]][u["row"]]
        if record["order_ref"]:
            place_of_order[record["order_ref"]].add("unmatched")
        place_of_row[u["side"], record["line"]].add("unmatched")
    split = {k: v for k, v in place_of_order.items() if len(v) > 1}
    assert not split, f"order numbers in two places: {split}"
    torn = {k: v for k, v in place_of_row.items() if len(v) > 1}
    assert not torn, f"a row's parts in two places: {torn}"
