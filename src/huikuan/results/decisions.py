"""What a clerk decides after a run, as data, and the run's entries with those decisions applied.

A decision names records, never match ids: ``(content hash of the import file, record_id, side)``.
Match ids are numbered afresh by every run, while a file's hash and a record's id survive a
re-run, so a decision made on one run can be replayed on the next (DESIGN.md "Storage").

Decisions apply in order. Each is checked against the state the earlier ones left (a confirm
needs its records still together in one suggested group, a manual match needs them all
unmatched…); one that no longer applies is set aside with the reason why, never half-applied.

Only the records decisions touch (and the other members of their groups) reach Python; the
effective table is the run's entries joined in DuckDB with a small overlay of what changed, so
it stays a single join on a million entries (see :mod:`huikuan.results.overlay`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

import duckdb
import pyarrow as pa

from huikuan.domain.money import format_minor
from huikuan.results.overlay import EFFECTIVE_SCHEMA, OVERLAY_SCHEMA, Key, effective_table, fetch_touched


class DecisionKind(StrEnum):
    CONFIRM = "confirm"            # a suggested match is right: status ``confirmed``
    REJECT = "reject"              # a suggested match is wrong: its records back to unmatched
    MANUAL_MATCH = "manual_match"  # records matched by hand: a new group ``D000001…``, status ``manual``
    UNMATCH = "unmatch"            # undo any match: its records back to unmatched
    WRITE_OFF = "write_off"        # 核销: accept a group's small difference, status ``written_off``
    NOTE = "note"                  # a remark on records; changes nothing else


#: Why a difference may be written off: a closed list, so reports can total by it.
#: code → (Chinese, English)
WRITE_OFF_REASONS: dict[str, tuple[str, str]] = {
    "rounding": ("尾差", "rounding"),
    "fee_difference": ("手续费差", "fee difference"),
    "platform_subsidy": ("平台补贴", "platform subsidy"),
    "bad_debt": ("坏账", "bad debt"),
}

#: the unmatched reasons a decision gives records it takes out of a match
REJECTED = "rejected"
UNMATCHED_BY_USER = "unmatched_by_user"

#: why a decision does not apply, for a person; ``{name}`` fields are filled in (amounts as
#: written, e.g. 6.41). Interfaces translate by these templates (``refusal_parts``).
REFUSALS: dict[str, str] = {
    "empty": "the decision names no records",
    "missing": "record {record} is not in this run",
    "duplicate": "a record is a duplicate of one imported earlier",
    "locked": "a record belongs to the locked period {start} – {end}",
    "note": "the note is empty",
    "currencies": "the records are in different currencies",
    "not_suggested": "the records are no longer one suggested match",
    "not_a_match": "the records are no longer one match",
    "matched": "a record is already matched",
    "one_side": "choose records on both sides",
    "reason": "choose a reason for the write-off",
    "write_off_what": "write off one whole match, or unmatched records only",
    "no_difference": "there is no difference to write off",
    "difference_changed": "the difference is {difference}, not {amount}",
    "over_limit": "the difference {difference} exceeds the write-off limit of {limit}",
}


def refusal_parts(why: str) -> tuple[str, dict[str, str]]:
    """The template of ``REFUSALS`` a refusal was made from, and its fields; ``(why, {})`` for
    any other text."""
    for template in REFUSALS.values():
        pattern = re.escape(template)
        for name in re.findall(r"\{(\w+)\}", template):
            pattern = pattern.replace(re.escape("{" + name + "}"), f"(?P<{name}>.+?)")
        found = re.fullmatch(pattern, why)
        if found:
            return template, found.groupdict()
    return why, {}


#: how a flow's two sides compare: ``equal`` (orders = payments) or ``opposite`` (a payout
#: leaving the wallet = a credit arriving at the bank)
Relation = str


@dataclass(frozen=True)
class RecordRef:
    """One record, named so that it survives a re-run."""

    hash: str       # sha256 of the imported file's content
    record_id: str
    side: str       # left / right


@dataclass(frozen=True)
class Decision:
    """One action, as stored. ``amount_minor`` is the written-off amount (write-offs only); a
    stored write-off applies only while the difference is still exactly that amount. ``None``
    (when a clerk decides) takes the difference as it is now; the replay reports it."""

    id: str
    kind: DecisionKind
    records: tuple[RecordRef, ...]
    amount_minor: int | None = 0
    reason: str = ""
    note: str = ""


@dataclass
class Replay:
    """Decisions applied in order: the overlay of changed records, and what was set aside."""

    overlay: pa.Table
    applied: list[Decision] = field(default_factory=list)
    refused: list[tuple[Decision, str]] = field(default_factory=list)
    #: decision id → (left total, right total, difference) of its records when it was checked
    sums: dict[str, tuple[int, int, int]] = field(default_factory=dict)


@dataclass
class _Record:
    match_id: str | None
    status: str | None
    rule: str | None
    reason: str | None
    amount_minor: int
    currency: str
    day: dt.date | None
    decision_id: str | None = None
    written_off_minor: int | None = None
    note: str | None = None
    touched: bool = False


@dataclass
class _State:
    """The touched records and their groups, changed decision by decision."""

    records: dict[Key, _Record]
    names: Mapping[str, str]                  # content hash → file name in entries
    relation: Relation = "equal"
    write_off_limit_minor: int | None = None
    #: the engine's difference of each of its matches that has one (differences.csv; the
    #: first disagreeing check): a whole engine match is written off by that, since its sum
    #: over all records would count the fees the check leaves out
    engine_differences: Mapping[str, int] = field(default_factory=dict)
    locked: Sequence[tuple[dt.date, dt.date]] = ()
    next_group: int = 1
    last_sums: tuple[int, int, int] = (0, 0, 0)
    #: match id → its records' keys, kept in step with the records' match ids by ``move``
    groups: dict[str, set[Key]] = field(default_factory=dict)

    def key(self, ref: RecordRef) -> Key | None:
        name = self.names.get(ref.hash)
        return None if name is None else (name, ref.record_id, ref.side)

    def group(self, match_id: str) -> set[Key]:
        return self.groups.get(match_id, set())

    def move(self, key: Key, match_id: str | None) -> None:
        """Put the record ``key`` into group ``match_id`` (None: out of any group)."""
        record = self.records[key]
        if record.match_id is not None:
            self.groups[record.match_id].discard(key)
        record.match_id = match_id
        if match_id is not None:
            self.groups.setdefault(match_id, set()).add(key)


def difference(left_minor: int, right_minor: int, relation: Relation = "equal") -> int:
    """What is left over when the sides are set against each other: left − right when they
    should be equal, left + right when opposite (a payout −100 against a credit +100 gives 0)."""
    return left_minor - right_minor if relation == "equal" else left_minor + right_minor


def sums(records: Iterable[tuple[str, int]], relation: Relation = "equal") -> tuple[int, int, int]:
    """(left total, right total, difference) of ``(side, amount_minor)`` pairs."""
    left = right = 0
    for side, amount in records:
        if side == "left":
            left += amount
        else:
            right += amount
    return left, right, difference(left, right, relation)


def _why_not(state: _State, decision: Decision) -> str | None:
    if not decision.records:
        return REFUSALS["empty"]
    keys = [state.key(r) for r in decision.records]
    missing = [r.record_id for r, k in zip(decision.records, keys, strict=True)
               if k is None or k not in state.records]
    if missing:
        return REFUSALS["missing"].format(record=missing[0])
    found = [state.records[k] for k in keys if k is not None]
    state.last_sums = _sums(state, decision, found)
    if any(r.reason == "duplicate" for r in found):
        return REFUSALS["duplicate"]
    for record in found:
        for start, end in state.locked:
            if record.day is not None and start <= record.day <= end:
                return REFUSALS["locked"].format(start=f"{start:%Y-%m-%d}", end=f"{end:%Y-%m-%d}")
    if decision.kind == DecisionKind.NOTE:
        return None if decision.note.strip() else REFUSALS["note"]
    if len({r.currency for r in found}) > 1:
        return REFUSALS["currencies"]
    match_ids = {r.match_id for r in found}
    whole_group = len(match_ids) == 1 and None not in match_ids and \
        state.group(next(iter(match_ids))) == set(keys)  # type: ignore[arg-type]
    status = found[0].status if whole_group else None
    if decision.kind in (DecisionKind.CONFIRM, DecisionKind.REJECT):
        return None if whole_group and status == "suggested" else REFUSALS["not_suggested"]
    if decision.kind == DecisionKind.UNMATCH:
        return None if whole_group else REFUSALS["not_a_match"]
    all_unmatched = match_ids == {None}
    if decision.kind == DecisionKind.MANUAL_MATCH:
        if not all_unmatched:
            return REFUSALS["matched"]
        sides = {r.side for r in decision.records}
        return None if sides == {"left", "right"} else REFUSALS["one_side"]
    return _why_not_write_off(state, decision, whole_group and status != "written_off", all_unmatched)


def _sums(state: _State, decision: Decision, found: list[_Record]) -> tuple[int, int, int]:
    left, right, diff = sums(((r.side, f.amount_minor) for r, f in zip(decision.records, found, strict=True)),
                             state.relation)
    match_ids = {f.match_id for f in found}
    only = next(iter(match_ids)) if len(match_ids) == 1 else None
    if only is not None and only in state.engine_differences and \
            state.group(only) == {state.key(r) for r in decision.records}:
        diff = state.engine_differences[only]
    return left, right, diff


def _why_not_write_off(state: _State, decision: Decision, one_group: bool, all_unmatched: bool) -> str | None:
    if decision.reason not in WRITE_OFF_REASONS:
        return REFUSALS["reason"]
    if not (one_group or all_unmatched):
        return REFUSALS["write_off_what"]
    diff = state.last_sums[2]
    if diff == 0:
        return REFUSALS["no_difference"]
    if decision.amount_minor is not None and decision.amount_minor != diff:
        return REFUSALS["difference_changed"].format(difference=format_minor(diff),
                                                     amount=format_minor(decision.amount_minor))
    if state.write_off_limit_minor is not None and abs(diff) > state.write_off_limit_minor:
        return REFUSALS["over_limit"].format(difference=format_minor(abs(diff)),
                                             limit=format_minor(state.write_off_limit_minor))
    return None


def _apply(state: _State, decision: Decision) -> None:
    keys = [k for k in (state.key(r) for r in decision.records) if k is not None]
    records = [state.records[k] for k in keys]
    for record in records:
        record.touched = True
    if decision.kind == DecisionKind.NOTE:
        for record in records:
            record.note = decision.note if not record.note else f"{record.note} / {decision.note}"
        return
    new_group = decision.kind == DecisionKind.MANUAL_MATCH or (
        decision.kind == DecisionKind.WRITE_OFF and records[0].match_id is None)
    match_id = f"D{state.next_group:06d}" if new_group else records[0].match_id
    state.next_group += new_group
    for key, record in zip(keys, records, strict=True):
        record.decision_id = decision.id
        if decision.kind == DecisionKind.CONFIRM:
            record.status = "confirmed"
        elif decision.kind in (DecisionKind.REJECT, DecisionKind.UNMATCH):
            state.move(key, None)
            record.status = record.rule = record.written_off_minor = None
            record.reason = REJECTED if decision.kind == DecisionKind.REJECT else UNMATCHED_BY_USER
        else:
            if new_group:
                state.move(key, match_id)
                record.rule, record.reason = "manual", None
            record.status = "manual" if decision.kind == DecisionKind.MANUAL_MATCH else "written_off"
            record.written_off_minor = 0 if decision.kind == DecisionKind.WRITE_OFF else None
    if decision.kind == DecisionKind.WRITE_OFF:
        # the amount sits once per group, on its first record, so a column total is the total
        # written off; the other records of the group carry 0
        first = min(keys, key=lambda k: (k[2], k[0], k[1]))
        state.records[first].written_off_minor = state.last_sums[2]


def _state(con: duckdb.DuckDBPyConnection, source: str, decisions: Sequence[Decision],
           files: Mapping[str, str], **options: object) -> _State:
    state = _State({}, files, **options)  # type: ignore[arg-type]
    wanted = {k for d in decisions for k in (state.key(r) for r in d.records) if k is not None}
    for row in fetch_touched(con, source, wanted):
        key = (row["file"], row["record_id"], row["side"])
        state.records[key] = _Record(None, row["match_status"], row["rule"], row["reason"],
                                     row["amount_minor"], row["currency"], row["day"])
        state.move(key, row["match_id"])
    return state


def replay(con: duckdb.DuckDBPyConnection, source: str, decisions: Sequence[Decision],
           files: Mapping[str, str], *, relation: Relation = "equal",
           write_off_limit_minor: int | None = None, locked: Sequence[tuple[dt.date, dt.date]] = (),
           engine_differences: Mapping[str, int] | None = None) -> Replay:
    """Apply ``decisions`` in order to the entries SQL relation ``source`` on ``con``.

    ``files`` maps each import's content hash to its file name as ``entries.file`` holds it;
    ``locked`` lists locked periods (local dates) whose records no decision may touch;
    ``engine_differences`` gives the engine's difference of its matches (see ``_State``)."""
    state = _state(con, source, decisions, files, relation=relation,
                   write_off_limit_minor=write_off_limit_minor, locked=locked,
                   engine_differences=engine_differences or {})
    result = Replay(OVERLAY_SCHEMA.empty_table())
    for decision in decisions:
        state.last_sums = (0, 0, 0)
        why = _why_not(state, decision)
        result.sums[decision.id] = state.last_sums
        if why is None:
            _apply(state, decision)
            result.applied.append(decision)
        else:
            result.refused.append((decision, why))
    changed = [(k, r) for k, r in state.records.items() if r.touched]
    result.overlay = pa.Table.from_pylist([
        {"file": k[0], "record_id": k[1], "side": k[2], "match_id": r.match_id, "match_status": r.status,
         "rule": r.rule, "reason": r.reason, "decision_id": r.decision_id,
         "written_off_minor": r.written_off_minor, "note": r.note} for k, r in changed],
        schema=OVERLAY_SCHEMA)
    return result


def apply_decisions(entries: pa.Table, decisions: Sequence[Decision], files: Mapping[str, str],
                    **options: object) -> pa.Table:
    """``entries`` (entries.parquet's schema) with ``decisions`` applied, in input order, plus
    the columns decision_id, written_off_minor and note. Decisions that no longer apply are
    skipped; :func:`replay` says which and why."""
    with duckdb.connect() as con:
        con.register("entries_in", entries)
        done = replay(con, "entries_in", decisions, files, **options)  # type: ignore[arg-type]
        return effective_table(con, entries, done.overlay)


def check_decision(entries: pa.Table, decision: Decision, files: Mapping[str, str],
                   **options: object) -> str | None:
    """None when ``decision`` applies to ``entries`` as they stand, else why not (for a person)."""
    with duckdb.connect() as con:
        con.register("entries_in", entries)
        done = replay(con, "entries_in", [decision], files, **options)  # type: ignore[arg-type]
    return done.refused[0][1] if done.refused else None


__all__ = ["EFFECTIVE_SCHEMA", "REFUSALS", "REJECTED", "UNMATCHED_BY_USER", "WRITE_OFF_REASONS", "Decision",
           "DecisionKind", "RecordRef", "Replay", "apply_decisions", "check_decision", "difference",
           "refusal_parts", "replay", "sums"]
