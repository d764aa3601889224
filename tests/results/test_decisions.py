"""Decisions on hand-built entries: each kind's effect, each precondition's edge, order, replay."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pytest

from huikuan.domain.entry import ENTRY_SCHEMA
from huikuan.results.decisions import (
    EFFECTIVE_SCHEMA,
    Decision,
    DecisionKind,
    RecordRef,
    apply_decisions,
    check_decision,
    sums,
)
from huikuan.results.entries import SCHEMA

FILES = {"h-orders": "orders.csv", "h-bill": "bill.csv"}
HASH = {"left": "h-orders", "right": "h-bill"}


def entry(side: str, record_id: str, amount: int, match_id: str | None = None,  # noqa: PLR0917
          status: str | None = None,
          rule: str | None = None, reason: str | None = None, day: int = 10) -> dict[str, object]:
    return {
        "source": "test", "file": FILES[HASH[side]], "line": 2, "record_id": record_id, "kind": "order",
        "order_ref": record_id, "amount_minor": amount, "currency": "CNY",
        "ts": dt.datetime(2023, 11, day, 4, tzinfo=dt.UTC), "counterparty": None, "batch_ref": None,
        "text": None, "status": None, "category": None, "account": None, "dedupe_key": record_id,
        "raw": "", "side": side, "match_id": match_id, "match_status": status, "rule": rule,
        "reason": reason, "in_scope": True,
    }


def table() -> pa.Table:
    """M1 auto (equal), M2 suggested with 3 fen over, L3/L4 and R3 unmatched, a duplicate."""
    rows = [
        entry("left", "L1", 10000, "M000001", "auto", "order-number"),
        entry("right", "R1", 10000, "M000001", "auto", "order-number"),
        entry("left", "L2", 5000, "M000002", "suggested", "amount-and-date"),
        entry("right", "R2a", 4000, "M000002", "suggested", "amount-and-date"),
        entry("right", "R2b", 997, "M000002", "suggested", "amount-and-date"),
        entry("left", "L3", 2500, reason="not_settled"),
        entry("left", "L4", 1200, reason="not_settled", day=2),
        entry("right", "R3", 2495, reason="no_order"),
        entry("right", "R1", 10000, reason="duplicate") | {"file": "bill-again.csv"},
    ]
    return pa.Table.from_pylist(rows, schema=SCHEMA)


def refs(*records: tuple[str, str]) -> tuple[RecordRef, ...]:
    return tuple(RecordRef(HASH[side], record_id, side) for side, record_id in records)


def decide(number: int, kind: DecisionKind, *records: tuple[str, str], **fields: object) -> Decision:
    return Decision(str(number), kind, refs(*records), **fields)  # type: ignore[arg-type]


SUGGESTED = (("left", "L2"), ("right", "R2a"), ("right", "R2b"))


def by_record(effective: pa.Table) -> dict[tuple[str, str], dict[str, object]]:
    return {(r["side"], r["record_id"]): r for r in effective.to_pylist() if r["reason"] != "duplicate"}


def test_no_decisions_change_nothing_but_append_three_empty_columns() -> None:
    entries = table()
    effective = apply_decisions(entries, [], FILES)
    assert effective.schema == EFFECTIVE_SCHEMA
    assert effective.select(SCHEMA.names).equals(entries)
    assert effective["decision_id"].null_count == entries.num_rows


def test_a_confirmed_suggestion_is_confirmed_and_keeps_its_group_and_rule() -> None:
    rows = by_record(apply_decisions(table(), [decide(1, DecisionKind.CONFIRM, *SUGGESTED)], FILES))
    for key in SUGGESTED:
        row = rows[key]
        assert (row["match_id"], row["match_status"], row["rule"], row["decision_id"]) == (
            "M000002", "confirmed", "amount-and-date", "1")
    assert rows[("left", "L1")]["match_status"] == "auto"


def test_a_confirm_needs_the_whole_suggested_group() -> None:
    assert check_decision(table(), decide(1, DecisionKind.CONFIRM, *SUGGESTED[:2]), FILES) == \
        "the records are no longer one suggested match"
    auto = decide(1, DecisionKind.CONFIRM, ("left", "L1"), ("right", "R1"))
    assert check_decision(table(), auto, FILES) == "the records are no longer one suggested match"
    assert check_decision(table(), decide(1, DecisionKind.CONFIRM, *SUGGESTED), FILES) is None


def test_a_rejected_suggestion_goes_back_to_unmatched_with_reason_rejected() -> None:
    rows = by_record(apply_decisions(table(), [decide(1, DecisionKind.REJECT, *SUGGESTED)], FILES))
    for key in SUGGESTED:
        assert (rows[key]["match_id"], rows[key]["match_status"], rows[key]["rule"], rows[key]["reason"]) == (
            None, None, None, "rejected")


def test_a_manual_match_makes_a_new_d_group_and_needs_unmatched_records_on_both_sides() -> None:
    decisions = [decide(1, DecisionKind.MANUAL_MATCH, ("left", "L3"), ("right", "R3")),
                 decide(2, DecisionKind.REJECT, *SUGGESTED),
                 decide(3, DecisionKind.MANUAL_MATCH, ("left", "L2"), ("right", "R2a"))]
    rows = by_record(apply_decisions(table(), decisions, FILES))
    assert (rows[("left", "L3")]["match_id"], rows[("right", "R3")]["match_id"]) == ("D000001", "D000001")
    l3 = rows[("left", "L3")]
    assert (l3["match_status"], l3["rule"], l3["reason"]) == ("manual", "manual", None)
    assert rows[("right", "R2a")]["match_id"] == "D000002"
    assert rows[("right", "R2b")]["reason"] == "rejected"  # rejected, not taken by the hand match
    assert check_decision(table(), decide(1, DecisionKind.MANUAL_MATCH, ("left", "L3"), ("right", "R1")),
                          FILES) == "a record is already matched"
    assert check_decision(table(), decide(1, DecisionKind.MANUAL_MATCH, ("left", "L3"), ("left", "L4")),
                          FILES) == "choose records on both sides"


def test_unmatch_takes_a_whole_match_apart() -> None:
    unmatch = decide(1, DecisionKind.UNMATCH, ("left", "L1"), ("right", "R1"))
    rows = by_record(apply_decisions(table(), [unmatch], FILES))
    assert (rows[("left", "L1")]["match_id"], rows[("right", "R1")]["reason"]) == (None, "unmatched_by_user")
    assert check_decision(table(), decide(1, DecisionKind.UNMATCH, ("left", "L3")), FILES) == \
        "the records are no longer one match"


def test_a_write_off_of_exactly_the_difference_marks_the_group_and_carries_the_amount_once() -> None:
    left, right, diff = sums([("left", 5000), ("right", 4000), ("right", 997)])
    assert (left, right, diff) == (5000, 4997, 3)
    write_off = decide(1, DecisionKind.WRITE_OFF, *SUGGESTED, amount_minor=3, reason="rounding")
    effective = apply_decisions(table(), [write_off], FILES)
    rows = by_record(effective)
    assert {rows[k]["match_status"] for k in SUGGESTED} == {"written_off"}
    assert [rows[k]["written_off_minor"] for k in SUGGESTED] == [3, 0, 0]
    assert sum(v for v in effective["written_off_minor"].to_pylist() if v) == 3


def test_a_write_off_one_fen_more_than_the_difference_or_above_the_limit_is_refused() -> None:
    over = decide(1, DecisionKind.WRITE_OFF, *SUGGESTED, amount_minor=4, reason="rounding")
    assert check_decision(table(), over, FILES) == "the difference is 0.03, not 0.04"
    exact = decide(1, DecisionKind.WRITE_OFF, *SUGGESTED, amount_minor=3, reason="rounding")
    assert check_decision(table(), exact, FILES, write_off_limit_minor=3) is None
    assert check_decision(table(), exact, FILES, write_off_limit_minor=2) == \
        "the difference 0.03 exceeds the write-off limit of 0.02"
    assert check_decision(table(), decide(1, DecisionKind.WRITE_OFF, *SUGGESTED, amount_minor=3), FILES) == \
        "choose a reason for the write-off"
    no_difference = decide(1, DecisionKind.WRITE_OFF, ("left", "L1"), ("right", "R1"), amount_minor=0,
                           reason="rounding")
    assert check_decision(table(), no_difference, FILES) == "there is no difference to write off"


def test_selected_unmatched_records_can_be_written_off_as_a_new_group() -> None:
    write_off = decide(7, DecisionKind.WRITE_OFF, ("left", "L3"), ("right", "R3"), amount_minor=5,
                       reason="fee_difference")
    rows = by_record(apply_decisions(table(), [write_off], FILES))
    assert (rows[("left", "L3")]["match_id"], rows[("left", "L3")]["match_status"],
            rows[("left", "L3")]["written_off_minor"]) == ("D000001", "written_off", 5)


def test_opposite_sides_compare_by_their_sum() -> None:
    assert sums([("left", -10000), ("right", 9990)], relation="opposite") == (-10000, 9990, -10)


def test_records_not_in_the_run_duplicates_and_locked_periods_are_refused() -> None:
    gone = Decision("1", DecisionKind.NOTE, (RecordRef("h-other", "L1", "left"),), note="x")
    assert check_decision(table(), gone, FILES) == "record L1 is not in this run"
    assert check_decision(table(), decide(1, DecisionKind.NOTE, ("left", "L9"), note="x"), FILES) == \
        "record L9 is not in this run"
    duplicate = Decision("1", DecisionKind.NOTE, (RecordRef("h-again", "R1", "right"),), note="x")
    assert check_decision(table(), duplicate, FILES | {"h-again": "bill-again.csv"}) == \
        "a record is a duplicate of one imported earlier"
    october = [(dt.date(2023, 10, 1), dt.date(2023, 11, 2))]
    match = decide(1, DecisionKind.MANUAL_MATCH, ("left", "L4"), ("right", "R3"))
    assert check_decision(table(), match, FILES, locked=october) == \
        "a record belongs to the locked period 2023-10-01 – 2023-11-02"
    later = decide(1, DecisionKind.MANUAL_MATCH, ("left", "L3"), ("right", "R3"))  # 10 November
    assert check_decision(table(), later, FILES, locked=october) is None


def test_notes_add_up_and_change_no_state() -> None:
    decisions = [decide(1, DecisionKind.NOTE, ("left", "L3"), note="买家说已付"),
                 decide(2, DecisionKind.NOTE, ("left", "L3"), note="催款中")]
    row = by_record(apply_decisions(table(), decisions, FILES))[("left", "L3")]
    assert (row["note"], row["reason"], row["decision_id"]) == ("买家说已付 / 催款中", "not_settled", None)
    assert check_decision(table(), decide(1, DecisionKind.NOTE, ("left", "L3"), note=" "), FILES) == \
        "the note is empty"


def test_a_decision_that_no_longer_applies_is_skipped_whole_and_later_ones_still_apply() -> None:
    decisions = [decide(1, DecisionKind.UNMATCH, ("left", "L1"), ("right", "R1")),
                 decide(2, DecisionKind.CONFIRM, ("left", "L1"), ("right", "R1")),  # no longer one match
                 decide(3, DecisionKind.MANUAL_MATCH, ("left", "L1"), ("right", "R3"))]
    rows = by_record(apply_decisions(table(), decisions, FILES))
    assert rows[("left", "L1")]["match_id"] == rows[("right", "R3")]["match_id"] == "D000001"
    assert rows[("right", "R1")]["reason"] == "unmatched_by_user"


@pytest.mark.parametrize("copies", [1, 3])
def test_the_effective_table_keeps_the_entries_order(copies: int) -> None:
    entries = pa.concat_tables([table()] * copies)
    effective = apply_decisions(entries, [decide(1, DecisionKind.CONFIRM, *SUGGESTED)], FILES)
    assert effective["record_id"].to_pylist() == entries["record_id"].to_pylist()
    assert effective.num_rows == entries.num_rows
    assert ENTRY_SCHEMA.names == effective.schema.names[:len(ENTRY_SCHEMA)]


def test_a_whole_engine_match_is_written_off_by_the_engines_difference() -> None:
    """Fees inside a match are not a difference: the engine's check leaves them out, and so
    does the write-off (the sum of all records would be 9.97 here)."""
    rows = [entry("left", "L1", 10000, "M000001", "auto", "order-number"),
            entry("right", "R1", 9999, "M000001", "auto", "order-number"),
            entry("right", "F1", -2, "M000001", "auto", "order-number") | {"kind": "fee"}]
    entries = pa.Table.from_pylist(rows, schema=SCHEMA)
    group = (("left", "L1"), ("right", "R1"), ("right", "F1"))
    exact = decide(1, DecisionKind.WRITE_OFF, *group, amount_minor=1, reason="rounding")
    assert check_decision(entries, exact, FILES) == "the difference is 0.03, not 0.01"
    assert check_decision(entries, exact, FILES, engine_differences={"M000001": 1}) is None
    assert check_decision(entries, exact, FILES, engine_differences={"M000002": 1}) is not None


def test_refusals_split_back_into_template_and_fields_for_translation() -> None:
    from huikuan.results.decisions import REFUSALS, refusal_parts

    assert refusal_parts("the difference 0.03 exceeds the write-off limit of 0.02") == (
        REFUSALS["over_limit"], {"difference": "0.03", "limit": "0.02"})
    assert refusal_parts("record L9 is not in this run") == (REFUSALS["missing"], {"record": "L9"})
    assert refusal_parts("something else") == ("something else", {})


def test_the_reasons_decisions_give_read_as_words() -> None:
    from huikuan.results import reason_label

    assert reason_label("rejected") == "建议匹配被拒绝"
    assert reason_label("unmatched_by_user", "en") == "unmatched by hand"
